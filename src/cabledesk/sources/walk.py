"""``read_sources(paths)``: every cable in files and folders, in one deterministic order.

The reader is chosen by suffix, after a ``.gz`` is set aside (gzip itself is detected by magic
bytes): ``.txt`` text, ``.html``/``.htm`` WikiLeaks pages, ``.csv`` Cablegate cables.csv,
``.jsonl``/``.ndjson`` JSON Lines, ``.pdf`` the text layer of a PDF. A folder is walked
recursively, entries sorted by name at each level (so the order is that of the relative paths
compared part by part), skipping hidden entries, symlinked folders and files whose type is
unknown. Inside a folder a ``.csv`` is read
only when it starts like a cables.csv (the publisher's ``index.csv`` has a header row and is
skipped) and a file without a suffix only when it looks like text. A path named explicitly is
never skipped silently: it is read or rejected with the reason.

The order is the archive's resume point, so it depends only on names, never on the file system's
listing order.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from cabledesk.sources.csvfile import looks_like_cables_csv, read_cables_csv
from cabledesk.sources.files import open_binary, os_reason
from cabledesk.sources.html import read_html
from cabledesk.sources.jsonl import read_jsonl
from cabledesk.sources.pdf import read_pdf
from cabledesk.sources.records import Record, Rejected
from cabledesk.sources.stdin import STDIN, read_stdin
from cabledesk.sources.text import read_text

__all__ = ["SUFFIXES", "read_file", "read_sources", "source_kind"]

Reader = Callable[[str], Iterator[Record]]

SUFFIXES: dict[str, Reader] = {
    "txt": read_text,
    "html": read_html,
    "htm": read_html,
    "csv": read_cables_csv,
    "jsonl": read_jsonl,
    "ndjson": read_jsonl,
    "pdf": read_pdf,
}
"""Suffix (lower case, without ``.gz``) -> reader; a file without a suffix is read as text."""

_SNIFF_BYTES = 4096


def source_kind(path: str | Path) -> str | None:
    """``a/07MOSCOW104.txt.gz`` -> ``txt``; ``""`` when the name has no suffix; None when the
    suffix is not one cabledesk reads (``README.md``)."""
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if "." not in name:
        return ""
    suffix = name.rsplit(".", 1)[1]
    return suffix if suffix in SUFFIXES else None


def _head(path: str) -> bytes:
    with open_binary(Path(path)) as fh:
        return fh.read(_SNIFF_BYTES)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut by the sniff window is fine
        return exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return True


def _unsupported(path: Path) -> Rejected:
    known = ", ".join(f".{s}" for s in SUFFIXES)
    return Rejected(
        str(path), 0, f"unsupported file type {path.suffix!r}: expected {known} (or .gz of one)"
    )


def read_file(path: str | Path) -> Iterator[Record]:
    """The records of one file named by the user: read by its suffix, or rejected."""
    kind = source_kind(path)
    if kind is None:
        yield _unsupported(Path(path))
        return
    yield from SUFFIXES.get(kind, read_text)(os.fspath(path))


def _wanted_in_folder(path: str, kind: str) -> bool:
    """Whether a file met in a folder walk is a cable source (sniffing ``.csv`` and no suffix).

    Raises OSError when the file cannot be read.
    """
    if kind == "csv":
        head = _head(path).decode("utf-8", "replace")
        return looks_like_cables_csv(head)
    if kind == "":
        return _looks_like_text(_head(path))
    return True


def _walk_folder(folder: str) -> Iterator[Record]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Rejected(folder, 0, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = entry.path
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk_folder(path)
                continue
            if not entry.is_file():  # sockets, FIFOs, devices, dangling or folder symlinks
                continue
            kind = source_kind(path)
            if kind is None or not _wanted_in_folder(path, kind):
                continue
        except OSError as exc:
            yield Rejected(path, 0, os_reason(exc))
            continue
        yield from SUFFIXES.get(kind, read_text)(path)


def read_sources(paths: Iterable[str | Path]) -> Iterator[Record]:
    """Every record of the given files and folders, in order; never raises for bad input.
    ``-`` reads standard input (``cabledesk.sources.stdin``).

    A path that does not exist, cannot be read or is not a regular file or folder yields one
    ``Rejected``; the rest goes on.
    """
    for arg in paths:
        p = os.fspath(arg)
        if p == STDIN:
            yield from read_stdin()
            continue
        try:
            st = os.stat(p)
        except FileNotFoundError:
            yield Rejected(str(arg), 0, "no such file or folder")
            continue
        except OSError as exc:
            yield Rejected(str(arg), 0, os_reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(p)
        elif stat.S_ISREG(st.st_mode):
            yield from read_file(p)
        else:
            yield Rejected(str(arg), 0, "not a regular file or folder")
