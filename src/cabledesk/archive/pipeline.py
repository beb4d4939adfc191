"""Ingest: stream records from sources, parse them on every core, store them in batches.

The pipeline keeps memory flat however large the input: records are read lazily, at most a
few chunks are in flight in the worker processes, and results are written in input order, so
two runs over the same input build the same archive row for row. Every batch is one
transaction and a text already stored is skipped before parsing, so a run killed at any point
and started again ends with the same archive as an uninterrupted run.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cabledesk.archive.rows import CableRows, Failure, prepare, text_hash
from cabledesk.archive.store import Archive, BatchResult
from cabledesk.sources.records import RawCable, Record, Rejected
from cabledesk.sources.walk import read_sources

__all__ = ["IngestReport", "Progress", "ingest", "ingest_records"]

CHUNK = 64
"""Records sent to a worker at once: large enough to amortise pickling, small enough to
keep every core busy near the end of a run."""

BATCH = 2048
"""Cables written per transaction: FTS5 writes each transaction's new terms as one segment,
and fewer, larger segments cost less merging later (a fifth of the writer's time against 512;
about 40 MB of rows in memory)."""


@dataclass(slots=True)
class IngestReport:
    """Totals of one ingest run, and the quarantined records (file, line, reason)."""

    records: int = 0
    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    quarantined: int = 0
    failures: list[Failure] = field(default_factory=list)

    def add(self, result: BatchResult) -> None:
        self.added += result.added
        self.new_versions += result.new_versions
        self.unchanged += result.unchanged
        self.quarantined += result.quarantined


Progress = Callable[[IngestReport], None]
_InFlight = tuple[list[Record], list[RawCable], list[Failure], Future[list[CableRows | Failure]]]
"""Called after every batch written, with the running totals."""

MAX_LISTED_FAILURES = 1000
"""Failures kept on the report for display; the quarantine table holds them all."""


def _prepare_chunk(
    chunk: list[RawCable], hashes: list[str], positions: dict[bytes, int] | None
) -> list[CableRows | Failure]:
    return [prepare(raw, positions, h) for raw, h in zip(chunk, hashes, strict=True)]


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: a worker whose ingest was killed (SIGKILL gives the pool no chance
    to stop it) exits within a second, instead of waiting forever on the pool's pipes with
    the archive's files open."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="cabledesk-parent-watch", daemon=True).start()


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Writer:
    """Collects results in input order and writes them a batch per transaction."""

    def __init__(
        self, archive: Archive, report: IngestReport, progress: Progress | None, batch: int
    ):
        self.archive = archive
        self.batch = batch
        self.report = report
        self.progress = progress
        self.pending: list[CableRows | Failure] = []

    def add(self, items: Iterable[CableRows | Failure]) -> None:
        for item in items:
            self.pending.append(item)
            if isinstance(item, Failure) and len(self.report.failures) < MAX_LISTED_FAILURES:
                self.report.failures.append(item)
        if len(self.pending) >= self.batch:
            self.flush()

    def skipped(self, count: int) -> None:
        self.report.unchanged += count
        self.report.records += count

    def flush(self) -> None:
        if not self.pending:
            return
        self.report.records += len(self.pending)
        self.report.add(self.archive.write_batch(self.pending))
        self.pending = []
        if self.progress:
            self.progress(self.report)


def _split(
    archive: Archive, chunk: list[Record]
) -> tuple[list[RawCable], list[str], list[Failure], int]:
    """Rejections become failures; texts already stored are dropped (counted, not parsed).
    Returns the texts to parse, their hashes, the failures and how many were dropped."""
    raws = [r for r in chunk if isinstance(r, RawCable)]
    failures = [Failure(r.source, r.line, r.reason) for r in chunk if isinstance(r, Rejected)]
    hashes = [text_hash(r.text) for r in raws]
    seen = archive.seen(hashes) if hashes else set()
    kept = [(r, h) for r, h in zip(raws, hashes, strict=True) if h not in seen]
    return [r for r, _ in kept], [h for _, h in kept], failures, len(raws) - len(kept)


def ingest_records(
    records: Iterable[Record],
    archive: Archive,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> IngestReport:
    """Store ``records`` in ``archive``. ``workers=0`` parses in this process (small inputs,
    tests); the default uses one process per core. ``batch_size`` cables per transaction."""
    report = IngestReport()
    writer = _Writer(archive, report, progress, max(1, batch_size))
    workers = (os.cpu_count() or 1) if workers is None else workers
    with archive.bulk_writes():
        if workers <= 0:
            for chunk in _chunks(records, CHUNK):
                todo, hashes, failures, skipped = _split(archive, chunk)
                writer.skipped(skipped)
                prepared = _prepare_chunk(todo, hashes, archive.term_positions())
                writer.add(_merge(chunk, todo, prepared, failures))
        else:
            _run_parallel(records, archive, writer, workers)
        writer.flush()
        archive.choose_terms()  # an archive upgraded to term counts, which this run grew not
    return report


def _run_parallel(
    records: Iterable[Record], archive: Archive, writer: _Writer, workers: int
) -> None:
    """Parse chunks in worker processes, writing results in input order as they come back.

    About a batch of chunks stays in flight beyond two per worker, so the workers go on
    parsing while the writer stores a batch (a second or so in which this thread submits
    nothing); with two per worker alone they sat idle for most of each write."""
    in_flight: deque[_InFlight] = deque()
    depth = 2 * workers + -(-writer.batch // CHUNK)
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        for chunk in _chunks(records, CHUNK):
            todo, hashes, failures, skipped = _split(archive, chunk)
            writer.skipped(skipped)
            job = pool.submit(_prepare_chunk, todo, hashes, archive.term_positions())
            in_flight.append((chunk, todo, failures, job))
            while len(in_flight) > depth or (in_flight and in_flight[0][3].done()):
                c, t, f, future = in_flight.popleft()
                writer.add(_merge(c, t, future.result(), f))
        while in_flight:
            c, t, f, future = in_flight.popleft()
            writer.add(_merge(c, t, future.result(), f))


def _merge(
    chunk: list[Record],
    todo: list[RawCable],
    prepared: list[CableRows | Failure],
    failures: list[Failure],
) -> list[CableRows | Failure]:
    """The chunk's results in input order: parsed cables and the reader's rejections."""
    todo_ids = {id(r) for r in todo}
    results = iter(prepared)
    rejected = iter(failures)
    merged: list[CableRows | Failure] = []
    for record in chunk:
        if isinstance(record, Rejected):
            merged.append(next(rejected))
        elif id(record) in todo_ids:
            merged.append(next(results))
    return merged


def ingest(
    paths: Iterable[str | Path],
    db: str | Path,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> IngestReport:
    """Ingest files and folders (every format ``cabledesk.sources`` reads) into the archive
    at ``db``, creating it if needed. Returns the run's totals; nothing raises for bad input:
    it is quarantined."""
    with Archive.open(db) as archive:
        return ingest_records(
            read_sources(paths),
            archive,
            workers=workers,
            progress=progress,
            batch_size=batch_size,
        )
