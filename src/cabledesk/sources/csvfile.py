"""Cablegate ``cables.csv``: a 1.7 GB MySQL export, streamed record by record in constant memory.

Layout (no header row): row id, date ``12/28/1966 18:48``, reference id, origin, classification,
referenced ids joined by ``|``, header, body. Fields are enclosed in ``"``; a backslash escapes
the next character (``\\"`` is a quote, ``\\\\`` a backslash, a backslash before a line end
keeps the line end in the field); quotes are never doubled. Fields span lines.

The file is read in 256 K-character chunks (peak memory ~3 MB whatever the file's size) and cut
into records by a small tokenizer that finds closing quotes with ``str.find`` (no regex
backtracking, memory speed) and knows the line each record starts on. A malformed record (wrong number of columns, unterminated quote, bad row id or date, bytes that
are not UTF-8, too large) becomes a ``Rejected`` naming its line; reading resumes at the next
line that starts like a record (``"<digits>","<m/d/yyyy h:mm>",``), so one broken quote costs one
record, not the rest of the file.

The cable text is header and body, each trimmed of surrounding blank space, joined by one blank
line, with a final newline: the same text as the WikiLeaks page and the corpus's ``raw/`` file.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from cabledesk.sources.files import MAX_CABLE_BYTES, SourceProblem, os_reason, text_stream
from cabledesk.sources.records import RawCable, Record, Rejected

__all__ = ["COLUMNS", "looks_like_cables_csv", "read_cables_csv", "read_cables_csv_stream"]

COLUMNS = (
    "row_id",
    "date",
    "reference_id",
    "origin",
    "classification",
    "referenced_ids",
    "header",
    "body",
)
_N = len(COLUMNS)
_CHUNK = 1 << 18
_MAX_RECORD_CHARS = 2 * MAX_CABLE_BYTES
_BLANK = " \t\r\n\x0b\x0c"

_DATE_TEXT = r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d(?::\d\d)?"
_START_TEXT = rf'(?:"\d{{1,10}}"|\d{{1,10}}),(?:"{_DATE_TEXT}"|{_DATE_TEXT}),'
_START = re.compile(_START_TEXT)
_NEXT_START = re.compile(r"\n(?=" + _START_TEXT + ")")
_UNQUOTED = re.compile(r'[^,"\r\n]*+')
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d\d)(?::(\d\d))?")
_ROW_ID = re.compile(r"\d{1,10}")
_SURROGATE = re.compile("[\udc80-\udcff]")


class _NeedMore(Exception):
    """The buffer ends inside the record: read another chunk (or, at the end, it is malformed)."""


class _Malformed(Exception):
    """The record cannot be a cable; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def looks_like_cables_csv(head: str) -> bool:
    """True when ``head`` (the file's first characters) starts like a cables.csv record:
    a row id, then a ``m/d/yyyy h:mm`` date. A header row (``index.csv``) does not."""
    return _START.match(head.lstrip("\ufeff")) is not None


def _closing_quote(buf: str, start: int) -> int:
    """Index of the quote closing the field whose text starts at ``start``, or -1 when the buffer
    ends first. A quote preceded by an odd run of backslashes is escaped. ``str.find`` scans at
    memory speed, where a regular expression steps through every escaped line end."""
    i = start
    while True:
        q = buf.find('"', i)
        if q < 0:
            return -1
        k = q
        while k > start and buf[k - 1] == "\\":
            k -= 1
        if (q - k) % 2 == 0:
            return q
        i = q + 1


def _field(buf: str, pos: int, eof: bool, column: int) -> tuple[str, int]:
    """One field at ``pos``: its raw value (escapes still in) and the position after it."""
    if pos < len(buf) and buf[pos] == '"':
        q = _closing_quote(buf, pos + 1)
        if q < 0:
            if not eof:
                raise _NeedMore
            raise _Malformed(f"unterminated quoted field in column {column} (runs to end of file)")
        return buf[pos + 1 : q], q + 1
    m = _UNQUOTED.match(buf, pos)
    assert m is not None  # matches the empty string at worst
    if m.end() == len(buf) and not eof:
        raise _NeedMore
    return m[0], m.end()


def _record(buf: str, pos: int, eof: bool) -> tuple[list[str], int]:
    """The fields of the record at ``pos`` and the position after its line end."""
    fields: list[str] = []
    n = len(buf)
    while True:
        value, pos = _field(buf, pos, eof, len(fields) + 1)
        fields.append(value)
        if pos >= n:
            if not eof:
                raise _NeedMore
            break  # the last record may lack its line end
        c = buf[pos]
        if c == ",":
            pos += 1
            if len(fields) >= 64:
                raise _Malformed(f"more than {_N} columns")
            continue
        if c == "\n":
            pos += 1
            break
        if c == "\r":
            if pos + 1 >= n and not eof:
                raise _NeedMore
            if buf.startswith("\n", pos + 1):
                pos += 2
                break
        found = repr(buf[pos : pos + 20])
        raise _Malformed(f"unexpected {found} after column {len(fields)} (a stray quote?)")
    if len(fields) != _N:
        found = f"{len(fields)} column" + ("s" if len(fields) > 1 else "")
        raise _Malformed(f"{found}, expected {_N}")
    return fields, pos


def _unescape(value: str) -> str:
    """Drop each escaping backslash (``\\x`` -> ``x``). Runs of backslashes pair up from the left,
    so after splitting at the escaped backslashes every backslash left escapes the next character
    and deleting them all is the whole job (str methods: far faster than a regex substitution)."""
    if "\\" not in value:
        return value
    if "\\\\" not in value:
        return value.replace("\\", "")
    return "\\".join(part.replace("\\", "") for part in value.split("\\\\"))


def _iso_date(value: str) -> str:
    m = _DATE.fullmatch(value.strip())
    if m is None:
        raise _Malformed(f"bad date in column 2: {value[:40]!r} (expected m/d/yyyy h:mm)")
    mo, d, y, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
    try:
        dt.datetime(y, mo, d, hh, mm, ss)
    except ValueError as exc:
        raise _Malformed(f"bad date in column 2: {value[:40]!r} ({exc})") from None
    return f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z"


def _cable(fields: list[str], source: str, line: int) -> RawCable:
    """One record's fields to a RawCable; ``_Malformed`` says why it cannot be one."""
    values = ["" if f == "\\N" else _unescape(f) for f in fields]  # \N: MySQL's NULL
    row_id, date, ref_id, origin, classification, referenced, header, body = values
    if not _ROW_ID.fullmatch(row_id.strip()):
        raise _Malformed(f"bad row id in column 1: {row_id[:40]!r}")
    hints: dict[str, object] = {"date": _iso_date(date)}
    for key, value in (
        ("reference_id", ref_id),
        ("origin", origin),
        ("classification", classification),
    ):
        value = value.strip()
        if value:
            hints[key] = value
    refs = [r.strip() for r in referenced.split("|") if r.strip()]
    if refs:
        hints["referenced_ids"] = refs
    header, body = header.strip(_BLANK), body.strip(_BLANK)
    if not header and not body:
        raise _Malformed("empty cable: header and body are both blank")
    text = f"{header}\n\n{body}\n" if header and body else f"{header or body}\n"
    if len(text) > MAX_CABLE_BYTES // 4 and len(text.encode("utf-8", "surrogateescape")) > (
        MAX_CABLE_BYTES
    ):
        raise _Malformed(f"cable too large (limit {MAX_CABLE_BYTES:,} bytes)")
    return RawCable(text=text, source=source, hints=hints, line=line)


def _encodable(text: str) -> bool:
    """False when ``text`` holds lone surrogates (undecodable bytes); encoding is the fastest test."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Tokenizer:
    """The buffer over the stream, the position of the next record and the line it is on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False
        self.suspect = False  # the buffer may hold undecodable bytes (lone surrogates)

    def fill(self) -> None:
        """Drop what is consumed, append the next chunk (or note the end of the file)."""
        try:
            chunk = self.stream.read(_CHUNK)
        except (OSError, EOFError, ValueError, zlib.error) as exc:  # corrupt gzip, I/O error
            raise SourceProblem(f"cannot read further: {exc}", self.line) from None
        if not chunk:
            self.eof = True
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        self.suspect = not self.buf.isascii() and not _encodable(self.buf)

    def advance(self, end: int) -> None:
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end

    def resync(self) -> None:
        """Skip to the next line that starts like a record (or the end of the file)."""
        while True:
            m = _NEXT_START.search(self.buf, self.pos)
            if m is not None:
                self.advance(m.end())
                return
            if self.eof:
                self.advance(len(self.buf))
                return
            # keep a tail long enough to hold a record start cut by the chunk boundary
            self.advance(max(self.pos, len(self.buf) - 64))
            self.fill()

    def skip_blank_lines(self) -> None:
        end = self.pos
        while end < len(self.buf) and self.buf[end] in "\r\n":
            end += 1
        self.advance(end)

    def bad_byte(self, end: int) -> str | None:
        """Why the record ending at ``end`` is not UTF-8, if it is not."""
        if not self.suspect:
            return None
        m = _SURROGATE.search(self.buf, self.pos, end)
        if m is None:
            return None
        line = self.line + self.buf.count("\n", self.pos, m.start())
        byte = ord(m[0]) - 0xDC00
        return f"not UTF-8: byte 0x{byte:02x} on line {line:,} (wrong encoding?)"


def _check_first_line(tok: _Tokenizer, source: str) -> Rejected | None:
    """A file that does not start like a cables.csv is refused as a whole."""
    if tok.buf.startswith("\ufeff"):
        tok.pos = 1
    head = tok.buf[tok.pos : tok.pos + 200]
    if looks_like_cables_csv(head):
        return None
    first = head.split("\n", 1)[0][:60]
    return Rejected(
        source,
        1,
        "not a Cablegate cables.csv: the first line does not start with a row id and a "
        f"m/d/yyyy h:mm date ({first!r})",
    )


def read_cables_csv_stream(stream: TextIO, source: str) -> Iterator[Record]:
    """Records of a cables.csv already opened as text (``surrogateescape`` for bad bytes)."""
    tok = _Tokenizer(stream)
    try:
        while len(tok.buf) < 256 and not tok.eof:
            tok.fill()
        if not tok.buf.strip():
            yield Rejected(source, 0, "empty file")
            return
        refused = _check_first_line(tok, source)
        if refused is not None:
            yield refused
            return
        while True:
            if tok.pos >= len(tok.buf):
                if tok.eof:
                    return
                tok.fill()
                continue
            if tok.buf[tok.pos] in "\r\n":
                tok.skip_blank_lines()
                continue
            start_line = tok.line
            try:
                fields, end = _record(tok.buf, tok.pos, tok.eof)
            except _NeedMore:
                if len(tok.buf) - tok.pos <= _MAX_RECORD_CHARS:
                    tok.fill()
                    continue
                reason = (
                    f"record too large: no end within {_MAX_RECORD_CHARS:,} characters "
                    "(an unterminated quote?)"
                )
                yield Rejected(source, start_line, reason)
                tok.resync()
                continue
            except _Malformed as bad:  # the record's extent is unknown: skip to the next start
                yield Rejected(source, start_line, bad.reason)
                tok.resync()
                continue
            bad_byte = tok.bad_byte(end)
            tok_record: Record
            try:
                if bad_byte is not None:
                    raise _Malformed(bad_byte)
                tok_record = _cable(fields, source, start_line)
            except _Malformed as bad:  # the record's extent is known: go on after it
                tok_record = Rejected(source, start_line, bad.reason)
            tok.advance(end)
            yield tok_record
    except SourceProblem as problem:
        yield Rejected(source, problem.line, problem.reason)


def read_cables_csv(path: str | Path) -> Iterator[Record]:
    """Yield every cable of a Cablegate ``cables.csv`` (optionally gzip), or why one was refused."""
    try:
        stream = text_stream(Path(path))
    except OSError as exc:
        yield Rejected(str(path), 0, os_reason(exc))
        return
    with stream:
        yield from read_cables_csv_stream(stream, str(path))
