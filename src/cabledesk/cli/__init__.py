"""The ``cabledesk`` command line: each command opens its input, calls one API function, prints.

Commands live by what they work on: ``telegram`` (cable files), ``archive`` (building and
describing an archive), ``reading`` (search and reading an archive). All register on one app.
"""

from cabledesk.cli import archive, audit, protect, reading, telegram, web
from cabledesk.cli.common import app

__all__ = ["app", "main"]

_COMMAND_MODULES = (telegram, archive, reading, web, protect, audit)


def main() -> None:
    app()
