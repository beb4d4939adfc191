"""Leak audit over the whole corpus: findings per rule, cables/s and the riskiest findings.

    .venv/bin/python bench/audit.py                      # ../shared/corpus raw/ + variants/
    .venv/bin/python bench/audit.py --top 40 --min-risk 0.7
    .venv/bin/python bench/audit.py tests/data/sample    # any folder of cables, no variants

Cables are parsed first (not timed); ``audit_cables`` is then timed over all of them, raw and
variant files together (files sharing a reference id are versions of one cable).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from cabledesk.errors import ParseError
from cabledesk.protect.audit import RULES, audit_cables
from cabledesk.sources.text import read_text_file
from cabledesk.telegram import Cable, parse

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _load(folders: list[Path]) -> tuple[list[Cable], list[str]]:
    cables: list[Cable] = []
    labels: list[str] = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            record = read_text_file(path)
            try:
                cables.append(parse(record.text, record.hints))
            except ParseError as exc:
                print(f"skipped {path}: {exc}")
                continue
            labels.append(f"{folder.name}/{path.name}")
    return cables, labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, help="default: the corpus raw/ + variants/")
    ap.add_argument("--top", type=int, default=20, help="riskiest findings to print")
    ap.add_argument("--min-risk", type=float, default=0.0)
    args = ap.parse_args()
    folders = [args.folder] if args.folder else [CORPUS / "raw", CORPUS / "variants"]
    t0 = time.perf_counter()
    cables, labels = _load(folders)
    parsed = time.perf_counter() - t0
    redacted = sum(1 for c in cables if c.redactions)
    print(f"{len(cables):,} cables ({redacted:,} with redactions) parsed in {parsed:.1f} s")
    t0 = time.perf_counter()
    findings = audit_cables(cables, labels)
    took = time.perf_counter() - t0
    print(f"audit: {took:.1f} s, {len(cables) / took:,.0f} cables/s")
    per_rule = Counter(f.rule for f in findings)
    for floor in (0.0, 0.4, 0.5, 0.7, 0.9):
        counts = Counter(f.rule for f in findings if f.risk >= floor)
        row = ", ".join(f"{rule} {counts[rule]:,}" for rule in RULES)
        print(f"risk >= {floor:.1f}: {sum(counts.values()):,} findings ({row})")
    print(
        f"cables with a finding >= 0.7: {len({f.reference_id for f in findings if f.risk >= 0.7}):,}"
    )
    assert sum(per_rule.values()) == len(findings)
    print(f"\ntop {args.top} (risk >= {args.min_risk}):")
    shown = [f for f in findings if f.risk >= args.min_risk][: args.top]
    for f in shown:
        para = "-" if f.paragraph is None else f.paragraph
        print(f"{f.risk:.3f} {f.rule:11} {f.reference_id:18} ¶{para:<3} {f.name!r}: {f.detail}")


if __name__ == "__main__":
    main()
