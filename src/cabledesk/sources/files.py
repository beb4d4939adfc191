"""Opening the files cables come in: gzip by magic bytes, size limits, strict UTF-8.

Every reader goes through here so the same input gets the same verdict whatever its format:
a file larger than the limit is refused before it is read, a gzip member is decompressed only up
to the limit (no zip bombs), and bytes that are not UTF-8 are a rejection naming the byte offset
and line, never silently decoded as Latin-1.
"""

from __future__ import annotations

import gzip
import io
import os
import typing
import zlib
from pathlib import Path
from typing import IO

from cabledesk.errors import CabledeskError

__all__ = [
    "GZIP_MAGIC",
    "MAX_CABLE_BYTES",
    "SourceProblem",
    "decode_text",
    "is_gzip",
    "open_binary",
    "os_reason",
    "read_limited",
    "text_stream",
    "too_large",
]

MAX_CABLE_BYTES = 5 * 1024 * 1024
"""Largest cable text accepted (the largest real cable is 66 KB; 5 MB leaves room for any)."""

GZIP_MAGIC = b"\x1f\x8b"


class SourceProblem(CabledeskError):
    """Why a file or record cannot be read: ``reason`` in words, ``line`` (0 = whole file)."""

    def __init__(self, reason: str, line: int = 0) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason)


def os_reason(exc: OSError) -> str:
    """``PermissionError(13, 'Permission denied')`` -> ``cannot read: Permission denied``."""
    return f"cannot read: {exc.strerror or exc}"


def is_gzip(path: Path) -> bool:
    """True when the file starts with the gzip magic bytes, whatever its name says."""
    with path.open("rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed on the fly when it is gzip (detected by magic bytes)."""
    if is_gzip(path):
        return typing.cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def text_stream(path: Path) -> io.TextIOWrapper:
    """A UTF-8 text stream over the (possibly gzip) file; bad bytes become lone surrogates
    (``surrogateescape``) so a reader can reject just the record holding them. Line ends are
    kept as they are (``newline=""``)."""
    raw = open_binary(path)
    return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")


def too_large(size: int, limit: int) -> str:
    """The rejection reason for ``size`` bytes over ``limit``."""
    return f"file too large: {size:,} bytes (limit {limit:,})"


def _read_fd(fd: int, n: int) -> bytes:
    """Up to ``n`` bytes from ``fd`` (fewer only at the end of the file)."""
    first = os.read(fd, n)
    if len(first) == n or not first:
        return first
    parts = [first]
    got = len(first)
    while got < n:
        part = os.read(fd, n - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _gunzip_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    try:
        with gzip.open(path, "rb") as gz:
            data = gz.read(limit + 1)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise SourceProblem(f"corrupt gzip file: {exc}") from None
    if len(data) > limit:
        raise SourceProblem(f"file too large: over {limit:,} bytes once decompressed")
    return data


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The whole file (decompressed when gzip), refusing files over ``limit`` bytes.

    A plain file's size is checked with ``fstat`` before anything is read, so a 100 MB file is
    refused at once; a gzip file is decompressed up to ``limit + 1`` bytes only. One ``open``
    and one ``read`` for the usual small file: this is the hot path of reading a folder.
    Raises :class:`SourceProblem` (or ``OSError`` from the system).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        size = os.fstat(fd).st_size
        if size <= limit:
            data = _read_fd(fd, limit + 1)
            head = data[:2]
        else:
            data = b""
            head = os.read(fd, 2)
    finally:
        os.close(fd)
    if head == GZIP_MAGIC:
        return _gunzip_limited(path, limit)
    if size > limit or len(data) > limit:
        raise SourceProblem(too_large(max(size, len(data)), limit))
    return data


_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),  # before UTF-16 LE, whose mark it starts with
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
"""Byte-order marks that name their encoding: Windows tools save "Unicode" text as UTF-16."""


def decode_text(data: bytes) -> str:
    """Strict UTF-8 (a leading BOM dropped), or UTF-16/32 when a byte-order mark says so.
    NUL bytes in anything else mean a binary file. Never a guessed encoding such as Latin-1.

    Raises :class:`SourceProblem` naming the byte, its offset and its line.
    """
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise SourceProblem(
                    f"not {encoding.upper()} although it starts with its byte-order mark: "
                    f"bad bytes at offset {exc.start:,}"
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SourceProblem(f"binary file: NUL byte at offset {nul:,}", line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceProblem(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start:,} "
            "(wrong encoding? convert the file to UTF-8)",
            line,
        ) from None
