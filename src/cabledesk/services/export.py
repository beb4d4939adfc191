"""Export cables for other tools: JSON Lines, CSV or Parquet, streamed in constant memory.

One record per cable (its current version): the columns of the ``cables`` table, its TAGS and
captions as lists, and the text. Rows are read with ``fetchmany`` and written chunk by chunk
(Parquet: one row group per chunk), so exporting the whole of Cablegate needs no more memory
than exporting ten cables. What to export is a :class:`Selection` or any iterable of ids (the
hits of a search), never SQL.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cabledesk.archive.store import Archive
from cabledesk.services.selection import Selection

__all__ = [
    "COLUMNS",
    "FORMATS",
    "csv_value",
    "export_cables",
    "iter_records",
    "json_line",
    "parquet_schema",
    "search_hit_ids",
    "write_cables",
]

FORMATS = ("csv", "jsonl", "parquet")

COLUMNS: tuple[str, ...] = (
    "reference_id",
    "published_id",
    "date",
    "year",
    "origin",
    "station",
    "serial",
    "classification",
    "precedence",
    "subject",
    "summary",
    "declassify_on",
    "shape",
    "partial",
    "truncated",
    "signers",
    "redaction_count",
    "version",
    "tags",
    "captions",
    "text",
)
"""Field order of every format."""

_TABLE_COLUMNS = COLUMNS[:18]
_LISTS = ("signers", "tags", "captions")
_BOOLS = ("partial", "truncated")
_INTS = ("year", "serial", "redaction_count", "version")
CHUNK = 1000
"""Cables per fetch and per Parquet row group."""

Record = dict[str, Any]


def _children(
    archive: Archive, ids: list[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    marks = ", ".join("?" * len(ids))
    tags: dict[int, list[str]] = {i: [] for i in ids}
    captions: dict[int, list[str]] = {i: [] for i in ids}
    for cable_id, code in archive.conn.execute(
        f"SELECT cable_id, code FROM tags WHERE cable_id IN ({marks}) ORDER BY cable_id, position",
        ids,
    ):
        tags[cable_id].append(code)
    # captions are stored as a set (PRIMARY KEY cable_id, caption): rowid-less, so in key order
    for cable_id, caption in archive.conn.execute(
        f"SELECT cable_id, caption FROM captions WHERE cable_id IN ({marks}) "
        "ORDER BY cable_id, caption",
        ids,
    ):
        captions[cable_id].append(caption)
    return tags, captions


def _records(archive: Archive, rows: list[tuple[Any, ...]]) -> list[Record]:
    tags, captions = _children(archive, [row[0] for row in rows])
    records: list[Record] = []
    for cable_id, *values in rows:
        record = dict(zip(_TABLE_COLUMNS, values[:-1], strict=True))
        record["signers"] = json.loads(record["signers"])
        for name in _BOOLS:
            record[name] = bool(record[name])
        record["tags"] = tags[cable_id]
        record["captions"] = captions[cable_id]
        record["text"] = values[-1]
        records.append(record)
    return records


_SELECT = "SELECT c.id, " + ", ".join(f"c.{name}" for name in _TABLE_COLUMNS) + ", v.text "
_FROM = "FROM cables c JOIN versions v ON v.cable_id = c.id AND v.number = c.version "


def _selected_chunks(archive: Archive, selection: Selection, size: int) -> Iterator[list[Record]]:
    where, params = selection.where(archive.conn, "c")
    cursor = archive.conn.execute(
        _SELECT + _FROM + f"WHERE {where} ORDER BY c.reference_id", params
    )
    while rows := cursor.fetchmany(size):
        yield _records(archive, rows)


def _id_chunks(archive: Archive, ids: Iterable[str], size: int) -> Iterator[list[Record]]:
    """Records for ``ids`` in their order; ids not held are skipped, repeats exported once."""
    done: set[str] = set()
    chunk: list[str] = []

    def flush() -> list[Record]:
        marks = ", ".join("?" * len(chunk))
        rows = archive.conn.execute(
            _SELECT + _FROM + f"WHERE c.reference_id IN ({marks})", chunk
        ).fetchall()
        by_id = {r["reference_id"]: r for r in _records(archive, rows)} if rows else {}
        return [by_id[i] for i in chunk if i in by_id]

    for ref_id in ids:
        if ref_id in done:
            continue
        done.add(ref_id)
        chunk.append(ref_id)
        if len(chunk) >= size:
            yield flush()
            chunk = []
    if chunk:
        yield flush()


def _chunks(
    archive: Archive, selection: Selection | None, ids: Iterable[str] | None, size: int
) -> Iterator[list[Record]]:
    if ids is not None and selection is not None and not selection.is_everything:
        raise ValueError("export either a selection or a list of ids, not both")
    if ids is not None:
        return _id_chunks(archive, ids, size)
    return _selected_chunks(archive, selection or Selection(), size)


def iter_records(
    archive: Archive,
    selection: Selection | None = None,
    ids: Iterable[str] | None = None,
    chunk: int = CHUNK,
) -> Iterator[Record]:
    """The export records, one dict per cable (``COLUMNS`` keys), in ``reference_id`` order
    for a selection, in the given order for ``ids``."""
    for records in _chunks(archive, selection, ids, chunk):
        yield from records


def search_hit_ids(
    archive: Archive,
    query: str,
    *,
    origin: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    page_size: int | None = None,
) -> Iterator[str]:
    """Every hit of ``search(archive, query, ...)`` in the order search shows them, page after
    page, all from one read snapshot (so a concurrent ingest cannot shift the pages).

    Search serves at most ``MAX_WINDOW`` results; a query matching more raises
    :class:`QueryError` before the first id, so an export never stops part-way for that.
    """
    from cabledesk.services.query import QueryError
    from cabledesk.services.search import MAX_PER_PAGE, MAX_WINDOW, search

    size = min(page_size or MAX_PER_PAGE, MAX_PER_PAGE)
    conn = archive.conn
    own_snapshot = not conn.in_transaction
    if own_snapshot:
        conn.execute("BEGIN")
    try:
        page = 1
        while True:
            result = search(
                archive,
                query,
                origin=origin,
                date_from=date_from,
                date_to=date_to,
                page=page,
                per_page=size,
                facets=False,
            )
            if result.total > MAX_WINDOW:
                raise QueryError(
                    f"{query!r} matches {result.total:,} cables; search serves at most "
                    f"{MAX_WINDOW:,}: narrow the query, or export by --origin/--since/--until"
                )
            yield from (hit.reference_id for hit in result.hits)
            if page >= result.pages:
                return
            page += 1
    finally:
        if own_snapshot and conn.in_transaction:
            conn.execute("COMMIT")


# --- writers ------------------------------------------------------------------------------------


def csv_value(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in _LISTS:
        return "|".join(value)
    if name in _BOOLS:
        return "true" if value else "false"
    return str(value)


_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
"""Characters ``json.dumps`` leaves raw that ``str.splitlines`` and many readers treat as line
ends; escaped so one cable is always one line."""


def json_line(record: Record) -> str:
    """One exported cable as one JSON Lines line (the CLI and the HTTP API write the same)."""
    line = json.dumps(record, ensure_ascii=False)
    for char, escaped in _LINE_BREAKS.items():
        if char in line:  # rare: a search in C, not a per-character translate
            line = line.replace(char, escaped)
    return line + "\n"


def _write_jsonl(chunks: Iterator[list[Record]], fh: IO[str]) -> int:
    count = 0
    for chunk in chunks:
        fh.writelines(json_line(r) for r in chunk)
        count += len(chunk)
    return count


def _write_csv(chunks: Iterator[list[Record]], fh: IO[str]) -> int:
    writer = csv.writer(fh)
    writer.writerow(COLUMNS)
    count = 0
    for chunk in chunks:
        writer.writerows([csv_value(n, r[n]) for n in COLUMNS] for r in chunk)
        count += len(chunk)
    return count


def _arrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet, imported only when Parquet is asked for."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa, pq


def parquet_schema() -> Any:
    """The Arrow schema of the Parquet export (lists as ``list<string>``)."""
    pa, _pq = _arrow()

    def kind(name: str) -> Any:
        if name in _LISTS:
            return pa.list_(pa.string())
        if name in _BOOLS:
            return pa.bool_()
        if name in _INTS:
            return pa.int64()
        return pa.string()

    return pa.schema([(name, kind(name)) for name in COLUMNS])


def _write_parquet(chunks: Iterator[list[Record]], where: Path | IO[bytes]) -> int:
    pa, pq = _arrow()
    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(where, schema, compression="zstd") as writer:
        for chunk in chunks:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count


_TEXT_WRITERS: dict[str, Callable[[Iterator[list[Record]], IO[str]], int]] = {
    "jsonl": _write_jsonl,
    "csv": _write_csv,
}


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """Write to ``FILE.part`` and rename on success: a failed export leaves no half file."""
    partial = path.with_name(path.name + ".part")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def export_cables(
    archive: Archive,
    path: str | Path,
    fmt: str,
    selection: Selection | None = None,
    ids: Iterable[str] | None = None,
    chunk: int = CHUNK,
) -> int:
    """Write the selected cables (or exactly ``ids``, in order) to ``path`` as ``jsonl``,
    ``csv`` (lists joined with ``|``, booleans ``true``/``false``) or ``parquet``.
    ``chunk`` cables are read at a time (one Parquet row group each). Returns the number of
    cables written; the file appears whole or not at all."""
    _check_format(fmt)
    chunks = _chunks(archive, selection, ids, max(1, chunk))
    with _atomic(Path(path)) as partial:
        if fmt == "parquet":
            return _write_parquet(chunks, partial)
        with partial.open("w", encoding="utf-8", newline="") as fh:
            return _TEXT_WRITERS[fmt](chunks, fh)


def write_cables(
    archive: Archive,
    stream: IO[bytes],
    fmt: str,
    selection: Selection | None = None,
    ids: Iterable[str] | None = None,
    chunk: int = CHUNK,
) -> int:
    """:func:`export_cables` to an open binary stream (standard output: ``--out -``), written
    as the cables are read."""
    _check_format(fmt)
    chunks = _chunks(archive, selection, ids, max(1, chunk))
    if fmt == "parquet":
        return _write_parquet(chunks, stream)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        return _TEXT_WRITERS[fmt](chunks, text)
    finally:
        text.flush()
        text.detach()  # the caller's stream stays open
