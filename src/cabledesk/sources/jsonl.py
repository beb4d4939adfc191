"""JSON Lines as ``cabledesk parse --json`` writes them: one ``Cable.to_dict()`` object per line.

Each object's ``text`` is the full cable text; its published ``reference_id``, ``date``,
``origin``, ``classification`` and ``subject`` (and ``released`` / ``media_uris`` when an export
added them) come back as hints, so re-reading an export gives the same cables. Lines are read one
at a time with a length cap, so memory stays bounded whatever the file holds; a line that is not
a JSON object with a ``text`` string is rejected with its line number and reading goes on.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cabledesk.sources.files import MAX_CABLE_BYTES, open_binary, os_reason
from cabledesk.sources.records import RawCable, Record, Rejected

__all__ = ["MAX_JSON_LINE_BYTES", "cable_from_json_line", "read_jsonl", "read_jsonl_stream"]

MAX_JSON_LINE_BYTES = 8 * MAX_CABLE_BYTES
"""Longest line accepted: a cable at the size limit, JSON-escaped, with its parsed fields."""

_TEXT_HINTS = ("reference_id", "date", "origin", "classification", "subject", "released")


def cable_from_json_line(line: bytes, source: str, number: int) -> Record:
    """One line of JSON Lines to a RawCable, or the reason it cannot be one."""
    try:
        decoded = line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return Rejected(
            source, number, f"not UTF-8: byte 0x{line[exc.start]:02x} (wrong encoding?)"
        )
    try:
        obj = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return Rejected(source, number, f"bad JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return Rejected(source, number, "bad JSON: nested too deeply")
    if not isinstance(obj, dict):
        return Rejected(source, number, f"expected a JSON object, found {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        return Rejected(source, number, 'no "text" string in the object')
    if not text or text.isspace():
        return Rejected(source, number, "empty cable text")
    if len(text) > MAX_CABLE_BYTES // 4 and len(text.encode("utf-8", "replace")) > MAX_CABLE_BYTES:
        return Rejected(source, number, f"cable too large (limit {MAX_CABLE_BYTES:,} bytes)")
    hints: dict[str, object] = {}
    for key in _TEXT_HINTS:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            hints[key] = value.strip()
    media = obj.get("media_uris")
    if isinstance(media, list) and media and all(isinstance(u, str) for u in media):
        hints["media_uris"] = list(media)
    return RawCable(text=text, source=source, hints=hints, line=number)


def _skip_rest_of_line(fh: IO[bytes]) -> None:
    while True:
        piece = fh.readline(1 << 20)
        if not piece or piece.endswith(b"\n"):
            return


def read_jsonl_stream(fh: IO[bytes], source: str) -> Iterator[Record]:
    """Records of JSON Lines from an open binary stream; blank lines are skipped, a file with
    nothing else is rejected as empty."""
    number = 0
    seen = False
    while True:
        number += 1
        try:
            line = fh.readline(MAX_JSON_LINE_BYTES + 1)
        except (OSError, EOFError, ValueError, zlib.error) as exc:  # corrupt gzip, I/O error
            yield Rejected(source, number, f"cannot read further: {exc}")
            return
        if not line:
            if not seen:
                yield Rejected(source, 0, "empty file")
            return
        if line.isspace() or line.strip() == b"\xef\xbb\xbf":
            continue
        seen = True
        if len(line) > MAX_JSON_LINE_BYTES:
            yield Rejected(source, number, f"line too long (limit {MAX_JSON_LINE_BYTES:,} bytes)")
            if line.endswith(b"\n"):
                continue
            try:
                _skip_rest_of_line(fh)
            except (OSError, EOFError, ValueError, zlib.error) as exc:
                yield Rejected(source, number, f"cannot read further: {exc}")
                return
            continue
        yield cable_from_json_line(line, source, number)


def read_jsonl(path: str | Path) -> Iterator[Record]:
    """Yield every cable of a ``.jsonl`` / ``.ndjson`` file (optionally gzip)."""
    try:
        fh = open_binary(Path(path))
    except OSError as exc:
        yield Rejected(str(path), 0, os_reason(exc))
        return
    with fh:
        yield from read_jsonl_stream(fh, str(path))
