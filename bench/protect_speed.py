"""How fast source protection reads an archive: people, a plan, an audit (cables/s).

Builds an archive from the corpus (or takes ``--db FILE``), then times:

* ``people``: person mentions of every cable, rules alone (``--ner`` adds spaCy in doubt);
* ``plan``: a protect list of ``--names`` people (the most widely named non-officials the
  ``people`` step found), planned over the whole archive; only cables naming one of them are
  parsed, so the figure is per candidate cable and per archive cable;
* ``audit``: the leak audit over every cable (shape, version and cross-cable rules).

Usage: ``python bench/protect_speed.py [--db FILE] [--names 200] [--limit N] [--ner]
[--workers N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from cabledesk.archive import Archive, ingest
from cabledesk.protect.audit import audit_archive
from cabledesk.protect.matching import targets
from cabledesk.protect.mentions import load_ner
from cabledesk.protect.people import archive_ids, people
from cabledesk.protect.plan import candidate_ids, plan_archive

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "raw"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an archive (default: build one from the corpus)")
    ap.add_argument("--names", type=int, default=200, help="size of the protect list")
    ap.add_argument("--limit", type=int, default=0, help="cables for people/audit (0: all)")
    ap.add_argument("--ner", action="store_true")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="for people")
    args = ap.parse_args()
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp()) / "corpus.db"
        ingest([CORPUS], db)
    with Archive.open(db, readonly=True) as archive:
        ids = archive_ids(archive)
        if args.limit:
            ids = ids[: args.limit]
        t0 = time.perf_counter()
        found = people(archive, ids, ner=load_ner() if args.ner else None, workers=args.workers)
        took = time.perf_counter() - t0
        print(
            f"people: {len(ids):,} cables in {took:.1f} s = {len(ids) / took:,.0f} cables/s, "
            f"{len(found):,} people"
        )
        names = [e.name for e in found if not e.official and len(e.name.split()) > 1]
        names = names[: args.names]
        prepared = targets(names)
        t0 = time.perf_counter()
        candidates = candidate_ids(archive, prepared)
        spans = sum(len(plan) for _, plan in plan_archive(archive, prepared))
        took = time.perf_counter() - t0
        total = archive.counts()["cables"]
        print(
            f"plan: {len(names)} names over {total:,} cables: {len(candidates):,} candidates, "
            f"{spans:,} spans in {took:.1f} s = {total / took:,.0f} archive cables/s, "
            f"{len(candidates) / took:,.0f} candidate cables/s"
        )
        t0 = time.perf_counter()
        findings = audit_archive(archive, ids)
        took = time.perf_counter() - t0
        print(
            f"audit: {len(ids):,} cables in {took:.1f} s = {len(ids) / took:,.0f} cables/s, "
            f"{len(findings):,} findings"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
