"""Plain-text cables, one per file; a file named like a reference id passes that id as a hint."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cabledesk.errors import ParseError

__all__ = ["RawCable", "hints_from_name", "read_text_file"]

_ID_NAME = re.compile(r"^(?:\d{2}|\d{4})[A-Z][A-Z0-9-]*?\d+(?:_[a-z])?$")


@dataclass(slots=True)
class RawCable:
    """Text of one cable as read, with the hints its container gave."""

    text: str
    source: str
    hints: dict[str, object] = field(default_factory=dict)


def hints_from_name(path: Path) -> dict[str, object]:
    """``07MOSCOW104.txt`` -> ``{"reference_id": "07MOSCOW104"}``; other names give nothing."""
    stem = path.name.split(".", 1)[0]
    return {"reference_id": stem} if _ID_NAME.match(stem) else {}


def read_text_file(path: Path) -> RawCable:
    """Read one cable file as UTF-8 (a BOM is dropped). Undecodable bytes raise ParseError."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ParseError("binary file: not cable text", 0, str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line, str(path)
        ) from None
    return RawCable(text=text, source=str(path), hints=hints_from_name(path))
