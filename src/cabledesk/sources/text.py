"""Plain-text cables, one per file; a file named like a reference id passes that id as a hint.

``read_text`` is the reader the dispatcher uses: it yields one ``RawCable`` or one ``Rejected``
(empty, binary, not UTF-8 nor marked UTF-16, too large, unreadable) and never raises.
``read_text_file`` is the older one-shot form that raises ``ParseError`` instead, kept for the
command line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from cabledesk.errors import ParseError
from cabledesk.sources.files import (
    MAX_CABLE_BYTES,
    SourceProblem,
    decode_text,
    os_reason,
    read_limited,
)
from cabledesk.sources.records import RawCable, Record, Rejected

__all__ = [
    "MAX_CABLE_BYTES",
    "RawCable",
    "hints_from_name",
    "read_one_cable",
    "read_text",
    "read_text_file",
]

_ID_NAME = re.compile(r"^(?:\d{2}|\d{4})[A-Z][A-Z0-9-]*?\d+(?:_[a-z])?$")


def hints_from_name(path: str | os.PathLike[str]) -> dict[str, object]:
    """``07MOSCOW104.txt`` -> ``{"reference_id": "07MOSCOW104"}``; other names give nothing."""
    stem = os.path.basename(path).split(".", 1)[0]
    return {"reference_id": stem} if _ID_NAME.match(stem) else {}


def load_text(path: str | os.PathLike[str], limit: int = MAX_CABLE_BYTES) -> str:
    """The file's text: size-checked, gunzipped when gzip, strict UTF-8 (or UTF-16/32 with a
    byte-order mark), not blank.

    Raises :class:`SourceProblem` for a file that is not cable text, ``OSError`` when the
    system cannot read it.
    """
    text = decode_text(read_limited(path, limit))
    if not text or text.isspace():
        raise SourceProblem("empty file")
    return text


def read_one_cable(path: str | Path, load: Callable[[str | Path], str]) -> Iterator[Record]:
    """Yield the one cable of a file whose text ``load`` gives (raising ``SourceProblem`` or
    ``OSError``), or why it was refused; a file named like a reference id passes it as a hint."""
    try:
        text = load(path)
    except SourceProblem as problem:
        yield Rejected(str(path), problem.line, problem.reason)
        return
    except OSError as exc:
        yield Rejected(str(path), 0, os_reason(exc))
        return
    yield RawCable(text=text, source=os.fspath(path), hints=hints_from_name(path))


def read_text(path: str | Path) -> Iterator[Record]:
    """Yield the one cable of a text file (``.txt`` or ``.txt.gz``), or why it was refused."""
    return read_one_cable(path, load_text)


def read_text_file(path: Path) -> RawCable:
    """Read one cable file (UTF-8, or UTF-16/32 with a byte-order mark; a UTF-8 BOM is
    dropped). Anything else raises ParseError naming the file, line and problem."""
    try:
        text = decode_text(path.read_bytes())
    except SourceProblem as problem:
        raise ParseError(problem.reason, problem.line, str(path)) from None
    return RawCable(text=text, source=str(path), hints=hints_from_name(path))
