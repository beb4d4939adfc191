"""Recall of person extraction (``cabledesk people``) on two sets labelled by others' hands.

1. The 65 hand-labelled cables of ``tests/data/protect_eval`` (every person mention): recall
   and precision of ``find_mentions`` over all people, officials included.
2. The 218 National Archives telegrams of 1973-79 in
   ``shared/corpus/extras/historylab-nara-ner``, labelled by the History Lab team (nested
   ``[[TEXT||n]]`` markup, entity types in each file's head): recall over the ``PER.IND``
   mentions that contain a name (a word neither common nor a title: their set also labels
   pronouns and bare roles such as "FOREIGN MINISTER", which no name finder should return);
   the figure over every ``PER.IND`` mention is printed beside it.

With ``--ner`` the doubtful runs go to spaCy's small English model (when installed).

Usage: ``python bench/protect_people.py [--ner] [--nara DIR] [--misses N]``.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from cabledesk.errors import ParseError
from cabledesk.protect.evaluation import read_labels
from cabledesk.protect.mentions import find_mentions, load_ner
from cabledesk.protect.names import is_common_word, is_title_word, tokens
from cabledesk.telegram import Cable, parse

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "protect_eval"
NARA = ROOT.parent / "shared" / "corpus" / "extras" / "historylab-nara-ner"
_ENTITY_LINE = re.compile(r"^\s*(\d+)\.\s+(.*?)\s+([A-Z]+\.[A-Z]+|[A-Z]{3})\s*$")


def nara_file(path: Path) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Clean body text and its labelled spans (start, end, text, type) of one annotated file."""
    raw = path.read_text("utf-8-sig")
    head, _, body = raw.partition("@@@")
    types = {}
    for line in head.splitlines():
        m = _ENTITY_LINE.match(line)
        if m:
            types[m.group(1)] = m.group(3)
    out: list[str] = []
    spans: list[tuple[int, int, str, str]] = []
    stack: list[int] = []
    pos = 0
    i = 0
    while i < len(body):
        if body.startswith("[[", i):
            stack.append(pos)
            i += 2
        elif body.startswith("||", i) and stack:
            j = body.index("]]", i)
            ident = body[i + 2 : j].strip()
            start = stack.pop()
            text = "".join(out)[start:pos]
            lead = len(text) - len(text.lstrip())
            trail = len(text.rstrip())
            spans.append((start + lead, start + trail, text.strip(), types.get(ident, "?")))
            i = j + 2
        else:
            out.append(body[i])
            pos += 1
            i += 1
    return "".join(out), spans


def _named(text: str) -> bool:
    return any(
        len(t.key) > 2 and not is_common_word(t.key) and not is_title_word(t.key)
        for t in tokens(text)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ner", action="store_true", help="ask spaCy about doubtful runs")
    ap.add_argument("--nara", type=Path, default=NARA)
    ap.add_argument("--misses", type=int, default=25, help="misses to list per set")
    args = ap.parse_args()
    ner = load_ner() if args.ner else None
    if args.ner and ner is None:
        raise SystemExit("--ner: spaCy's en_core_web_sm is not installed (pip install '.[ner]')")

    labelled = read_labels(sorted(EVAL.glob("labels-*.jsonl")))
    gold = found = predicted = correct = 0
    misses: list[str] = []
    t0 = time.perf_counter()
    for lc in labelled:
        cable = parse((EVAL / "cables" / f"{lc.reference_id}.txt").read_text("utf-8"))
        got = [m for m in find_mentions(cable, ner=ner) if m.kind == "person"]
        predicted += len(got)
        correct += sum(any(g.start < m.end and m.start < g.end for g in lc.mentions) for m in got)
        for g in lc.mentions:
            gold += 1
            if any(m.start < g.end and g.start < m.end for m in got):
                found += 1
            else:
                misses.append(f"{lc.reference_id} @{g.start} {g.text!r}")
    took = time.perf_counter() - t0
    print(f"hand-labelled set: {len(labelled)} cables, {gold} person mentions, {took:.1f} s")
    print(f"  recall    {found / gold:.4f} ({found}/{gold})")
    print(f"  precision {correct / predicted:.4f} ({correct}/{predicted})")
    for line in misses[: args.misses]:
        print("   miss", line)

    files = sorted(p for p in args.nara.rglob("*.txt") if "@@@" in p.read_text("utf-8-sig"))
    if not files:
        print(f"NARA set not found under {args.nara}")
        return
    n_all = f_all = n_named = f_named = 0
    nara_misses: list[str] = []
    t0 = time.perf_counter()
    for path in files:
        text, spans = nara_file(path)
        try:
            cable = parse(text, {"reference_id": path.stem})
        except ParseError:  # a bare body with no numbered paragraph: read it as plain text
            cable = Cable(text=text, reference_id=path.stem)
        got = [m for m in find_mentions(cable, ner=ner) if m.kind == "person"]
        for s, e, written, kind in spans:
            if kind != "PER.IND":
                continue
            hit = any(m.start < e and s < m.end for m in got)
            n_all += 1
            f_all += hit
            if _named(written):
                n_named += 1
                f_named += hit
                if not hit:
                    nara_misses.append(f"{path.stem} @{s} {written!r}")
    took = time.perf_counter() - t0
    print(f"NARA 1973-79 set: {len(files)} telegrams, {took:.1f} s")
    print(f"  recall, PER.IND mentions with a name: {f_named / n_named:.4f} ({f_named}/{n_named})")
    print(f"  recall, every PER.IND mention:        {f_all / n_all:.4f} ({f_all}/{n_all})")
    for line in nara_misses[: args.misses]:
        print("   miss", line)


if __name__ == "__main__":
    main()
