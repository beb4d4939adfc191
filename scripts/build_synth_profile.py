"""Build ``src/cabledesk/sources/data/synth_profile.json``: the real corpus's distributions.

The synthetic generator (``cabledesk.sources.synthetic``) draws every choice from this profile,
so generated corpora look like the real one: origins and their frequencies, years, levels,
precedences, captions, TAGS, addressees, REF counts and kinds, paragraphs per cable and their
lengths and portion marks, summaries, comments, redactions, signers; a word-bigram model of
subject lines and a bank of clauses for body prose (``synth_profile_text.py``). Only counts,
top-N lists and clauses are kept (no whole sentence, let alone cable, is copied), so the file
stays small.

Every cable of ``--corpus`` (default ``../shared/corpus/raw``) is parsed with
``cabledesk.telegram.parse``; header figures come from the ``telegram``-shaped ones.

Run: ``.venv/bin/python scripts/build_synth_profile.py [--corpus DIR] [--out FILE]``
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from synth_profile_text import (  # noqa: E402
    STRUCTURAL,
    body_sentences,
    fragment_bank,
    subject_model,
)

from cabledesk.errors import ParseError  # noqa: E402
from cabledesk.sources.text import read_text_file  # noqa: E402
from cabledesk.telegram import Cable, parse, parse_references, parse_tags  # noqa: E402
from cabledesk.telegram.ids import make_id, split_id  # noqa: E402
from cabledesk.telegram.stations import (  # noqa: E402
    known_stations,
    origin_name,
    station_for_routing_indicator,
    station_from_address,
)

CORPUS = ROOT.parent / "shared" / "corpus" / "raw"
OUT = ROOT / "src" / "cabledesk" / "sources" / "data" / "synth_profile.json"
LEVELS = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET")
SIMPLE_CAPTIONS = frozenset({"SIPDIS", "NOFORN", "SENSITIVE", "SENSITIVE BUT UNCLASSIFIED"})
PROSIGNS = ("OO", "PP", "RR")  # FL2 IMMEDIATE, PRIORITY, ROUTINE (format.md §4)


def load(corpus: Path, limit: int | None) -> list[Cable]:
    cables = []
    for path in sorted(corpus.glob("*.txt"))[:limit]:
        try:
            raw = read_text_file(path)
            cables.append(parse(raw.text, raw.hints))
        except ParseError as exc:
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
    return cables


def top(counter: Counter, n: int) -> list[list[Any]]:
    return [[k, v] for k, v in counter.most_common(n)]


def histogram(values: Iterable[int], cap: int) -> dict[str, int]:
    c = Counter(min(v, cap) for v in values)
    return {str(k): c[k] for k in sorted(c)}


def station_of(cable: Cable) -> str | None:
    split = split_id(cable.canonical_id or "")
    return split[1] if split else None


def stations_block(
    cables: list[Cable], tele: list[Cable], info: list[list[Any]]
) -> list[dict[str, Any]]:
    """One entry per origin with its weight and the header values that name it."""
    count = Counter(s for s in map(station_of, cables) if s)
    fields: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    serial_max: dict[str, Counter] = defaultdict(Counter)
    for c in cables:
        split = split_id(c.canonical_id or "")
        if split and split[0] and split[2].isdigit():
            year, post, serial = split
            key = str(year)
            serial_max[post][key] = max(serial_max[post][key], int(serial))
    for c in tele:
        st = station_of(c)
        if not st or c.classification_line is None or c.from_ is None:
            continue
        f = fields[st]
        f["originator"][c.classification_line.originator or ""] += 1
        f["plad"][c.from_.address] += 1
        if c.header.station:
            f["ri"][c.header.station] += 1
        f["signers"].update(s for s in c.signers if s.isupper() and 2 < len(s) < 20)
        f["tags"].update(t.code for t in c.tags if tag_ok(t.code))
        f["info"].update(
            (a.routing_indicator, a.address)
            for a in c.info
            if a.routing_indicator and address_ok(a.address)
        )
        f["handling"].update(h for h in c.handling if handling_ok(h))
    out = []
    for st, n in count.most_common():
        if st not in fields:
            continue
        f = fields[st]
        info_index = {(r, a): i for i, (r, a, _) in enumerate(info)}
        entry = station_entry(st, n, f, serial_max[st], info_index)
        if entry:
            out.append(entry)
        else:
            print(f"  origin {st} ({n} cables) left out: its header names do not resolve back")
    return out


def station_entry(
    st: str,
    n: int,
    f: dict[str, Counter],
    serial_max: Counter,
    info_index: dict[tuple[Any, Any], int],
) -> dict[str, Any] | None:
    originator = next((o for o, _ in f["originator"].most_common() if _round_trip(o, st)), None)
    plad = next((p for p, _ in f["plad"].most_common() if station_from_address(p) == st), None)
    ri = next((r for r, _ in f["ri"].most_common() if station_for_routing_indicator(r) == st), "")
    name = origin_name(st)
    if not originator or not plad or not ri or not name:
        return None
    years = sorted(serial_max.values())
    return {
        "station": st,
        "n": n,
        "origin": name,
        "originator": originator,
        "plad": plad,
        "ri": ri,
        "serial_max": years[len(years) // 2] if years else 1000,
        "signers": top(f["signers"], 3),
        "tags": top(f["tags"], 6),
        "info": [[info_index[a], k] for a, k in f["info"].most_common(12) if a in info_index][:5],
        "handling": [[h, k] for h, k in f["handling"].most_common(2) if k >= 2],
    }


def unpublished_posts(published: set[str]) -> list[list[str]]:
    """Posts without a cable in the profile, as REF lines write them (``PORT AU PRINCE``).

    External REF entries cite these, so they never collide with a generated cable's id.
    """
    out = []
    for st in sorted(known_stations() - published):
        kind, _, place = (origin_name(st) or "").partition(" ")
        written = place.upper()
        if kind not in ("Embassy", "Consulate") or not re.fullmatch(r"[A-Z][A-Z ]+", written):
            continue
        refs = parse_references(f"REF: {written} 123", 2009)
        if [r.cable_id for r in refs] == [f"09{st}123"]:
            out.append([st, written])
    return out


def _round_trip(originator: str, station: str) -> bool:
    return bool(originator) and make_id(2009, originator, "000123") == f"09{station}123"


def tag_ok(code: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9]{1,7}", code)) and parse_tags(f"TAGS: {code}") == [code]


def address_ok(address: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9 .-]{2,40}", address)) and "//" not in address


def handling_ok(line: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9 /,.'-]{5,60}", line)) and not STRUCTURAL.search(line)


def header_block(tele: list[Cable]) -> dict[str, Any]:
    xro = [c for c in tele if c.header.channel == "XRO"]
    routes = Counter(
        " ".join(c.header.routing_indicators)
        for c in xro
        if c.header.routing_indicators and len(c.header.routing_indicators) <= 10
    )
    info = Counter(
        (a.routing_indicator, a.address)
        for c in tele
        for a in c.info
        if a.routing_indicator and address_ok(a.address)
    )
    to_state = Counter(
        (a.routing_indicator, a.address)
        for c in tele
        if station_of(c) == "STATE"
        for a in c.to
        if a.routing_indicator and address_ok(a.address)
    )
    prosign = Counter(c.header.precedence_prosign for c in tele)
    return {
        "xro": round(len(xro) / max(1, len(tele)), 3),
        "xro_routes": top(routes, 25),
        "prosign": {p: prosign[p] for p in PROSIGNS},
        "info_count": histogram((len(c.info) for c in tele), 30),
        "info": [[r, a, k] for (r, a), k in info.most_common(150)],
        "state_to": [[r, a, k] for (r, a), k in to_state.most_common(40)],
        "fl5_signal": round(sum(bool(c.header.fl5_signals) for c in tele) / len(tele), 3),
    }


def level_blocks(tele: list[Cable]) -> dict[str, Any]:
    levels = Counter(c.classification for c in tele if c.classification in LEVELS)
    captions: dict[str, Counter] = {lv: Counter() for lv in LEVELS}
    marks: dict[str, Counter] = {lv: Counter() for lv in LEVELS}
    for c in tele:
        lv = c.classification
        if lv not in LEVELS:
            continue
        caps = [x for x in dict.fromkeys(c.captions)]
        if all(x in SIMPLE_CAPTIONS for x in caps):
            captions[lv][" ".join(caps)] += 1
        marks[lv].update(
            p.mark
            for p in c.paragraphs
            if p.number is not None
            and (p.mark is None or re.fullmatch(r"[A-Z]{1,3}(/NF)?", p.mark))
        )
    return {
        "levels": {lv: levels[lv] for lv in LEVELS},
        "captions": {lv: top(captions[lv], 8) for lv in LEVELS},
        "marks": {lv: [[m or "", k] for m, k in marks[lv].most_common(6)] for lv in LEVELS},
    }


def front_block(tele: list[Cable]) -> dict[str, Any]:
    decl = Counter(
        c.declassify_on.year - c.year
        for c in tele
        if c.declassify_on and c.year and 0 < c.declassify_on.year - c.year <= 30
    )
    reasons = Counter(
        " ".join(c.classified_by.reasons)
        for c in tele
        if c.classified_by and c.classified_by.reasons and len(c.classified_by.reasons) <= 3
    )
    titles = Counter(
        c.classified_by.title
        for c in tele
        if c.classified_by
        and c.classified_by.title
        and re.fullmatch(r"[A-Z][A-Za-z/ '.-]{1,40}", c.classified_by.title)
    )
    global_tags = Counter(t.code for c in tele for t in c.tags if tag_ok(t.code))
    return {
        "decl_years": {str(k): v for k, v in sorted(decl.items())},
        "reasons": top(reasons, 12),
        "officer_titles": top(titles, 25),
        "tags_count": histogram((len(c.tags) for c in tele), 14),
        "tags": top(global_tags, 250),
    }


def refs_block(tele: list[Cable]) -> dict[str, Any]:
    kinds = Counter(r.kind for c in tele for r in c.references)
    self_ = state = other = explicit = total = 0
    for c in tele:
        st = station_of(c)
        for r in c.references:
            if r.kind != "cable" or not r.cable_id:
                continue
            split = split_id(r.cable_id)
            if not split:
                continue
            total += 1
            self_ += split[1] == st
            state += split[1] == "STATE" and st != "STATE"
            explicit += split[0] != c.year
    other = total - self_ - state
    return {
        "count": histogram((len(c.references) for c in tele), 12),
        "kinds": {k: kinds[k] for k in ("cable", "email", "tel", "memo", "report")},
        "target": {"self": self_, "state": state, "other": other},
        "earlier_year": round(explicit / max(1, total), 3),
    }


def body_block(tele: list[Cable]) -> dict[str, Any]:
    numbered = [sum(p.number is not None for p in c.paragraphs) for c in tele]
    lengths = [len(p.text) for c in tele for p in c.paragraphs if p.number is not None]
    long_ = [c for c in tele if sum(len(p.text) for p in c.paragraphs) > 1500]
    wrapped = sum(
        sum("\n" in p.text for p in c.paragraphs if len(p.text) > 300)
        > sum(len(p.text) > 300 for p in c.paragraphs) / 2
        for c in long_
    )
    return {
        "paragraphs": histogram(numbered, 60),
        "paragraph_chars": [int(q) for q in statistics.quantiles(lengths, n=20)],
        # Text outside numbered paragraphs (headings, items, unnumbered paragraphs) per
        # character inside them: bodies are scaled by it to reach the corpus's text length.
        "body_scale": round(
            sum(len(p.text) for c in tele for p in c.paragraphs) / max(1, sum(lengths)), 3
        ),
        "text_chars": [int(q) for q in statistics.quantiles([len(c.text) for c in tele], n=20)],
        "summary": round(sum(bool(c.summary) for c in tele) / len(tele), 3),
        "comment": round(sum(bool(c.comments) for c in tele) / len(tele), 3),
        "redacted": round(sum(bool(c.redactions) for c in tele) / len(tele), 3),
        "wrapped": round(wrapped / max(1, len(long_)), 3),
        "pilcrow": round(sum("¶" in c.text for c in tele) / len(tele), 3),
        "headings": round(
            sum(any(is_heading(p.text) for p in c.paragraphs if p.number is None) for c in tele)
            / len(tele),
            3,
        ),
        "dash_items": round(
            sum(any(p.text.lstrip().startswith("--") for p in c.paragraphs) for c in tele)
            / len(tele),
            3,
        ),
        "signed": round(sum(bool(c.signers) for c in tele) / len(tele), 3),
    }


def is_heading(text: str) -> bool:
    return 3 < len(text) < 60 and "\n" not in text.strip() and text.rstrip()[-1:] not in ".:;,"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--limit", type=int, default=None, help="only the first N files (testing)")
    args = ap.parse_args()
    cables = load(args.corpus, args.limit)
    tele = [c for c in cables if c.shape == "telegram" and c.classification in LEVELS]
    years = Counter(split[0] for c in cables if (split := split_id(c.canonical_id or "")))
    names: Counter = Counter()
    surnames: Counter = Counter()
    sentences = body_sentences(tele, names, surnames)
    header = header_block(tele)
    stations = stations_block(cables, tele, header["info"])
    profile: dict[str, Any] = {
        "version": 1,
        "built_from": f"{len(cables)} cables, {len(tele)} telegram-shaped ({args.corpus.name})",
        "years": {str(y): k for y, k in sorted(years.items()) if y},
        "stations": stations,
        "header": header,
        **level_blocks(tele),
        **front_block(tele),
        "refs": refs_block(tele),
        "unpublished": unpublished_posts({s["station"] for s in stations}),
        "body": body_block(tele),
        "names": {
            "first": [n for n, k in names.most_common(300) if k >= 2 and len(n) >= 3],
            "last": [n for n, k in surnames.most_common(600) if k >= 2 and len(n) >= 3],
        },
        "subject": subject_model(tele),
        "text": fragment_bank(sentences),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(profile, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(data + "\n", encoding="utf-8")
    sizes = {
        k: len(json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for k, v in profile.items()
    }
    print(
        f"wrote {args.out} ({len(data.encode()) / 1024:.0f} KiB): {len(profile['stations'])} origins, "
        f"{len(sentences)} training sentences"
    )
    print("  bytes per block:", {k: v for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:8]})


if __name__ == "__main__":
    main()
