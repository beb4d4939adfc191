"""Recall and precision of the redaction plan on the hand-labelled cables (issue 5's measure).

Reads ``tests/data/protect_eval/labels-*.jsonl`` (every person mention of 65 real cables,
labelled by hand) and their cables, takes the protected people's names as the protect list,
plans every cable and prints recall and precision with every miss and false alarm.

Usage: ``python bench/protect_eval.py [--quiet]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cabledesk.protect.evaluation import evaluate, protect_list, read_labels
from cabledesk.protect.matching import targets
from cabledesk.protect.plan import plan_cable
from cabledesk.telegram import parse

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "protect_eval"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true", help="figures only, no lists")
    args = ap.parse_args()
    labelled = read_labels(sorted(EVAL.glob("labels-*.jsonl")))
    names = protect_list(labelled)
    prepared = targets(names)
    t0 = time.perf_counter()
    plans = {}
    for lc in labelled:
        text = (EVAL / "cables" / f"{lc.reference_id}.txt").read_text("utf-8")
        plans[lc.reference_id] = plan_cable(parse(text), prepared, lc.reference_id)
    elapsed = time.perf_counter() - t0
    ev = evaluate(labelled, plans)
    people = sum(len({m.entity for m in c.mentions}) for c in labelled)
    print(
        f"{len(labelled)} cables, {sum(len(c.mentions) for c in labelled)} person mentions of "
        f"{people} people (per cable); protect list: {len(names)} names"
    )
    print(f"plan: {ev.planned} spans in {elapsed:.2f} s")
    print(f"recall    {ev.recall:.4f}  ({ev.found}/{ev.protected_mentions} protected mentions)")
    print(f"precision {ev.precision:.4f}  ({ev.correct}/{ev.planned} planned spans)")
    print(f"covered under another protected name: {ev.wrong_entity}")
    if args.quiet:
        return
    print(f"\nmisses ({len(ev.misses)}):")
    for m in ev.misses:
        print(f"  {m.reference_id} @{m.start} {m.text!r} ({m.entity})")
    print(f"\nfalse alarms ({len(ev.false_alarms)}):")
    for p, what in ev.false_alarms:
        print(f"  {p.reference_id} @{p.start} {p.text!r} as {p.entity!r}: {what}")


if __name__ == "__main__":
    main()
