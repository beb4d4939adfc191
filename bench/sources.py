"""Throughput of the readers (``cabledesk.sources``): they must never be what ingest waits for.

Reports records/s (and MB/s of input) of ``read_sources`` over:

* the corpus ``raw/`` folder (one ``.txt`` per cable; target: well over 10,000 files/s),
* the corpus ``html/`` folder (WikiLeaks pages, ~70 KB each),
* a Cablegate-layout ``cables.csv`` written to a temporary folder from the same cables
  (MySQL escapes, fields spanning lines; target: well over 5,000 records/s), plain and gzip,
* JSON Lines of ``{"reference_id", "text"}`` objects written the same way.

Each figure is the best of ``--runs`` passes; the first pass also warms the page cache. For the
csv, the tracemalloc peak of one pass shows that streaming memory stays flat.

Usage: ``python bench/sources.py [CORPUS] [--runs 3]``; CORPUS defaults to ``../shared/corpus``,
falling back to ``tests/data/sample`` (raw folder only, csv and jsonl built from it).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import tempfile
import time
import tracemalloc
from collections.abc import Iterable
from pathlib import Path

from cabledesk.sources import RawCable, read_sources

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "tests" / "data" / "sample"


def quote(value: str) -> str:
    """A field as MySQL's SELECT ... INTO OUTFILE writes it (``\\`` escapes, quotes enclose)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\\n") + '"'


def csv_date(created: str) -> str:
    """``2009-12-14 16:04`` -> ``12/14/2009 16:04`` (the cables.csv form)."""
    day, hm = (created or "2000-01-01 00:00").split(" ")
    y, m, d = day.split("-")
    return f"{int(m)}/{int(d)}/{y} {int(hm[:2])}:{hm[3:]}"


def write_cables_csv(texts: dict[str, str], meta: dict[str, dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        for i, (ref_id, text) in enumerate(texts.items(), 1):
            header, _, body = text.partition("\n\n")
            row = meta.get(ref_id, {})
            fields = [
                str(i),
                csv_date(row.get("created", "")),
                ref_id,
                row.get("origin", ""),
                row.get("classification", ""),
                "",
                header,
                body,
            ]
            fh.write(",".join(quote(f) for f in fields) + "\n")


def write_jsonl(texts: dict[str, str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for ref_id, text in texts.items():
            fh.write(json.dumps({"reference_id": ref_id, "text": text}, ensure_ascii=False) + "\n")


def measure(label: str, paths: Iterable[Path], runs: int) -> None:
    paths = list(paths)
    size = sum(
        f.stat().st_size
        for p in paths
        for f in ([p] if p.is_file() else p.rglob("*"))
        if f.is_file()
    )
    best = float("inf")
    count = rejected = 0
    for _ in range(runs):
        start = time.perf_counter()
        count = rejected = 0
        for record in read_sources(paths):
            count += 1
            rejected += not isinstance(record, RawCable)
        best = min(best, time.perf_counter() - start)
    print(
        f"{label:<28} {count:>7,} records  {count / best:>9,.0f} records/s  "
        f"{size / best / 1e6:>7.1f} MB/s  ({rejected} rejected, best of {runs})"
    )


def csv_peak(path: Path) -> None:
    tracemalloc.start()
    try:
        for _ in read_sources([path]):
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(
        f"{'cables.csv tracemalloc peak':<28} {peak / 2**20:.1f} MiB for a {path.stat().st_size / 2**20:.0f} MiB file"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    raw = args.corpus / "raw" if (args.corpus / "raw").is_dir() else SAMPLE
    html = args.corpus / "html"
    index = (
        args.corpus / "index.csv" if (args.corpus / "index.csv").is_file() else raw / "index.csv"
    )
    with index.open(encoding="utf-8", newline="") as fh:
        meta = {row["reference_id"]: row for row in csv.DictReader(fh)}
    texts = {p.stem: p.read_text("utf-8") for p in sorted(raw.glob("*.txt"))}
    print(f"corpus: {raw} ({len(texts):,} cables), CPU count {os.cpu_count()}")

    measure("raw/ folder (.txt)", [raw], args.runs)
    if html.is_dir():
        measure("html/ folder (pages)", [html], args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "cables.csv"
        write_cables_csv(texts, meta, csv_path)
        measure("cables.csv", [csv_path], args.runs)
        gz_path = Path(tmp) / "cables.csv.gz"
        gz_path.write_bytes(gzip.compress(csv_path.read_bytes(), compresslevel=6))
        measure("cables.csv.gz", [gz_path], args.runs)
        jsonl_path = Path(tmp) / "cables.jsonl"
        write_jsonl(texts, jsonl_path)
        measure("cables.jsonl", [jsonl_path], args.runs)
        csv_peak(csv_path)


if __name__ == "__main__":
    main()
