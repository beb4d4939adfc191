"""The ``cabledesk`` command line: each command opens its input, calls one API function, prints.

Commands live by what they work on: ``telegram`` (cable files), ``archive`` (building and
describing an archive), ``reading`` (search and reading an archive). All register on one app.
"""

import sys

from cabledesk.cli import archive, audit, protect, reading, telegram, web
from cabledesk.cli.common import app

__all__ = ["app", "main"]

_COMMAND_MODULES = (telegram, archive, reading, web, protect, audit)


def main() -> None:
    """The console script. A file the system refuses (an output folder that does not exist, a
    full disk, no permission) is one line on stderr and exit status 1, not a traceback (Click
    itself ends quietly when the reader of a pipe stops)."""
    try:
        app()
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename is not None else ""
        sys.stderr.write(f"error{where}: {exc.strerror or exc}\n")
        sys.exit(1)
