"""Ingest throughput and peak memory, for the real corpus or N synthetic cables.

    .venv/bin/python bench/ingest.py                       # ../shared/corpus/raw
    .venv/bin/python bench/ingest.py --synth 250000        # synthetic corpus (JSON Lines)
    .venv/bin/python bench/ingest.py --synth 250000 --keep bench-250k.db   # keep the archive

Prints cables/s for a fresh ingest and for a re-run (which must add nothing), and the peak
resident memory of the whole process tree (the writer plus its parsing workers), sampled every
50 ms from /proc. Timings are figures to read, never assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from cabledesk.archive import Archive, ingest

ROOT = Path(__file__).resolve().parents[1]


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            pids.extend(_tree(int(child)))
    return pids


class PeakMemory:
    """Samples the summed RSS of this process and its descendants until stopped."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(_rss_kib(p) for p in _tree(os.getpid()))
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _write_synthetic(n: int, folder: Path) -> Path:
    from cabledesk.sources.synthetic import synthesize

    path = folder / f"synth-{n}.jsonl"
    t0 = time.perf_counter()
    with path.open("w", encoding="utf-8") as fh:
        for reference_id, text in synthesize(n, seed=1):
            fh.write(json.dumps({"reference_id": reference_id, "text": text}) + "\n")
    print(f"generated {n:,} synthetic cables in {time.perf_counter() - t0:.1f} s -> {path}")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "raw")
    ap.add_argument("--synth", type=int, default=0, help="ingest N synthetic cables instead")
    ap.add_argument("--workers", type=int, default=None, help="parsing processes (default: cores)")
    ap.add_argument("--keep", type=Path, help="keep the archive at this path")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="cabledesk-bench-"))
    try:
        source = _write_synthetic(args.synth, tmp) if args.synth else args.corpus
        db = args.keep or tmp / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"cores: {os.cpu_count()}, workers: {args.workers or os.cpu_count()}")
        with PeakMemory() as mem:
            t0 = time.perf_counter()
            report = ingest([source], db, workers=args.workers)
            first = time.perf_counter() - t0
        print(
            f"ingest: {report.records:,} records, {report.added:,} cables, "
            f"{report.new_versions:,} new versions, {report.quarantined:,} quarantined"
        )
        print(f"ingest: {first:.1f} s, {report.records / first:,.0f} cables/s")
        print(f"peak memory (writer + workers): {mem.peak_kib / 1024:,.0f} MiB")
        t0 = time.perf_counter()
        again = ingest([source], db, workers=args.workers)
        rerun = time.perf_counter() - t0
        print(
            f"re-run: {rerun:.1f} s, added {again.added}, new versions {again.new_versions}, "
            f"unchanged {again.unchanged:,}"
        )
        with Archive.open(db, readonly=True) as archive:
            counts = archive.counts()
        size = Path(db).stat().st_size / 2**20
        print(f"archive: {counts} on {size:,.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
