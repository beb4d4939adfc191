"""Cables piped in: ``-`` as a path reads standard input (``parse --json ... | ingest -``).

A pipe has no name to read a format from, so its first bytes tell it, as they tell a file
without a suffix in a folder walk: gzip is unwrapped, a ``{`` opens JSON Lines (as
``cabledesk parse --json`` writes them), a first line shaped like a Cablegate ``cables.csv`` row
is that, and anything else is the text of one cable. Records name their source ``<stdin>``.
"""

from __future__ import annotations

import gzip
import io
import sys
import typing
import zlib
from collections.abc import Iterator
from typing import IO

from cabledesk.sources.csvfile import looks_like_cables_csv, read_cables_csv_stream
from cabledesk.sources.files import (
    GZIP_MAGIC,
    MAX_CABLE_BYTES,
    SourceProblem,
    decode_text,
    too_large,
)
from cabledesk.sources.jsonl import read_jsonl_stream
from cabledesk.sources.records import RawCable, Record, Rejected

__all__ = ["STDIN", "STDIN_SOURCE", "read_stdin"]

STDIN = "-"
"""The path that means standard input."""

STDIN_SOURCE = "<stdin>"
"""The ``source`` of records read from standard input."""

_SNIFF_BYTES = 4096


class _Replay(io.RawIOBase):
    """``head`` (bytes already read to sniff the format), then the rest of ``rest``."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _sniffed(stream: IO[bytes]) -> tuple[bytes, IO[bytes]]:
    """The first bytes of ``stream`` and a stream that reads it whole, gzip unwrapped."""
    head = b""
    while len(head) < _SNIFF_BYTES:
        piece = stream.read(_SNIFF_BYTES - len(head))
        if not piece:
            break
        head += piece
    whole: IO[bytes] = io.BufferedReader(_Replay(head, stream))
    if head.startswith(GZIP_MAGIC):
        return _sniffed(typing.cast(IO[bytes], gzip.GzipFile(fileobj=whole, mode="rb")))
    return head, whole


def _one_cable(stream: IO[bytes]) -> Record:
    data = stream.read(MAX_CABLE_BYTES + 1)
    if len(data) > MAX_CABLE_BYTES:
        return Rejected(STDIN_SOURCE, 0, too_large(len(data), MAX_CABLE_BYTES))
    try:
        text = decode_text(data)
    except SourceProblem as problem:
        return Rejected(STDIN_SOURCE, problem.line, problem.reason)
    if not text or text.isspace():
        return Rejected(STDIN_SOURCE, 0, "empty input")
    return RawCable(text=text, source=STDIN_SOURCE)


def read_stdin(stream: IO[bytes] | None = None) -> Iterator[Record]:
    """Every record piped in on ``stream`` (default: this process's standard input)."""
    try:
        head, whole = _sniffed(stream if stream is not None else sys.stdin.buffer)
        first = head.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
        if first == b"{":
            yield from read_jsonl_stream(whole, STDIN_SOURCE)
        elif looks_like_cables_csv(head.decode("utf-8", "replace")):
            text = io.TextIOWrapper(whole, encoding="utf-8", errors="surrogateescape", newline="")
            yield from read_cables_csv_stream(text, STDIN_SOURCE)
        else:
            yield _one_cable(whole)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        yield Rejected(STDIN_SOURCE, 0, f"cannot read standard input: {exc}")
