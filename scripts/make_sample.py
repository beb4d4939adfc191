"""Build ``tests/data/sample/``: a small, deterministic slice of the real corpus.

A fresh clone has no ``../shared``, so the tests, the demo and the by-id conformance vectors run
from this sample. The choice is reproducible (no clock, no unseeded randomness) and covers every
shape and trap the corpus README and ``reference/format.md`` list:

1. every cable *named* somewhere we test against: the conformance vectors' ``reference_id`` and
   ``comment`` fields, the corpus README, ``format.md`` and the repository's own tests;
2. for each feature below (a shape, a header oddity, a trap), a few cables that show it, picked by
   a stable hash among the small ones;
3. one cable per index year, classification value and non-embassy origin, and per embassy with
   many cables;
4. a seeded random remainder of small cables until the count target or the byte budget is met.

Files are copied byte-exact; ``index.csv`` keeps the publisher's columns for the chosen rows.

Usage: ``python scripts/make_sample.py [--corpus ../shared/corpus] [--out tests/data/sample]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared"
SEED = 20101128  # Cablegate's first release day; any fixed number would do.
TARGET = 360
BUDGET = 2_840_000  # bytes of cable text; index.csv and README.md add ~130 kB
SMALL = 9_000  # bytes: feature picks and the remainder prefer cables up to this size

# Cables the task brief names as traps without the docs naming them.
BRIEF_NAMED = ("09THEHAGUE2",)

_ID_TOKEN = re.compile(r"\b\d{2,4}[A-Z][A-Z0-9]*?\d+\b")
# A test that reads a sample file: ``"08MANAMA492.txt"`` or ``_sample("08MANAMA492")`` (ids in
# comments and expected values are only citations and need no file).
_TEST_LOAD = re.compile(
    r"(\d{2,4}[A-Z][A-Z0-9]*?\d+)\.txt\b|sample\w*\(\s*[\"'](\d{2,4}[A-Z][A-Z0-9]*?\d+)[\"']"
)
_BANNER = re.compile(
    r"(T O P S E C R E T|S E C R E T|C O N F I D E N T I A L|CONFIDENTIAL|SECRET"
    r"|UNCLAS(?:SIFIED)?|LIMITED OFFICIAL USE)(?=[ \t\n]|SECTION|$)"
)
_BANNER_NAME = {
    "UNCLAS": "UNCLASSIFIED",
    "TOPSECRET": "TOP SECRET",
    "LIMITEDOFFICIALUSE": "LIMITED OFFICIAL USE",
}
_FL4 = re.compile(r"^(ZN[YR]) ([A-Z]{5})", re.M)
_CLASS_LINE_ID = re.compile(
    r"(?:S E C R E T|C O N F I D E N T I A L|UNCLAS(?: E F T O)?|CONFIDENTIAL|SECRET)[ \t]+"
    r"(?:SECTION \d+ OF \d+[ \t]+)?([A-Z][A-Z .]*?)[ \t]+0*(\d{1,8})\b"
)
_DE = re.compile(r"^DE (R[A-Z]{3,7}) #(\d{4})(/\d{2})?", re.M)
_WELL_FORMED_ID = re.compile(r"^\d{2}[A-Z]+\d+$")


@dataclass
class Cable:
    ref: str
    path: Path
    size: int
    text: str
    row: dict[str, str]
    features: set[str] = field(default_factory=set)


def _banner_level(text: str) -> str | None:
    """Level of the first classification banner after FL4 (``ZNY CCCCC`` is not a banner)."""
    fl4 = _FL4.search(text, 0, 4000)
    m = _BANNER.search(text, fl4.end() if fl4 else 0)
    if m is None:
        return None
    word = m.group(1).replace(" ", "")
    return _BANNER_NAME.get(word, word)


def _partial_kind(text: str) -> str | None:
    if not text.startswith("This record is a partial extract"):
        return None
    rest = text.split("\n", 1)[1].lstrip()
    first = rest.split("\n", 1)[0]
    if first.startswith("id:"):
        return "record_preamble"
    if first.startswith("Cable dated:"):
        return "cable_dated_glued"
    if re.match(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d", first):
        return "weekday_date_line"
    if re.match(r"\d{6}Z \w{3} \d{2}", first):
        return "dtg_first"
    if re.match(r"(?:T O P )?S E C R E T|C O N F I D|UNCLAS|CONFIDENTIAL|SECRET", first):
        return "plain"
    if "PAGE 01" in rest[:600]:
        return "legacy_print"
    return "other"


def _class_line_mismatch(ref: str, text: str) -> bool:
    """The classification line names a different originator or serial than the file id."""
    m = _CLASS_LINE_ID.search(text)
    if m is None or not _WELL_FORMED_ID.match(ref):
        return False
    post = m.group(1).replace(" ", "").replace(".", "")
    serial = m.group(2).lstrip("0")
    tail = re.sub(r"^\d{2}", "", ref)
    return not tail.endswith(serial) or not tail.startswith(post[:4])


# name, predicate over (cable) and how many cables should show it.
Feature = tuple[str, Callable[[Cable], bool], int]


def _has(pattern: str, flags: int = re.M) -> Callable[[Cable], bool]:
    rx = re.compile(pattern, flags)
    return lambda c: rx.search(c.text) is not None


FEATURES: list[Feature] = [
    ("shape:partial_extract", lambda c: c.text.startswith("This record is a partial extract"), 3),
    ("shape:legacy_page_01", _has(r"^PAGE 01\b"), 4),
    ("shape:legacy_action_line", _has(r"^ACTION [A-Z]"), 3),
    ("shape:no_vzczc", lambda c: "VZCZC" not in c.text[:2000], 3),
    ("shape:no_de_line", lambda c: _DE.search(c.text, 0, 4000) is None, 3),
    ("shape:nara_copy_line", _has(r"National Archives|Declassified/Released"), 2),
    ("shape:dash_counter_line", _has(r"^[ \t]*-{8,}[0-9A-F]{4,}"), 2),
    ("id:malformed_file_name", lambda c: not _WELL_FORMED_ID.match(c.ref), 12),
    ("id:efto_in_id", lambda c: "EFTO" in c.ref, 3),
    ("id:class_line_other_cable", lambda c: _class_line_mismatch(c.ref, c.text), 8),
    ("id:de_serial_mismatch", lambda c: _de_mismatch(c), 5),
    (
        "classification:table_vs_banner",
        lambda c: _banner_level(c.text) not in (None, c.row["classification"].split("//")[0]),
        40,
    ),
    ("classification:no_banner", lambda c: _banner_level(c.text) is None, 3),
    ("classification:unspaced_banner", _has(r"^(?:CONFIDENTIAL|SECRET)[ \t]+(?:SECTION|[A-Z])"), 2),
    ("classification:fouo_in_text", _has(r"UNCLASSIFIED//FOR OFFICIAL USE ONLY"), 2),
    ("classification:unclas_efto", _has(r"UNCLAS E F T O"), 2),
    ("fl1:rare_channel", _has(r"^VZCZC(?!XRO|XYZ)[A-Z]{3}"), 2),
    ("fl2:flash_zz", _has(r"^ZZ R[A-Z]{3,7}"), 2),
    ("fl4:zny_eeeee", _has(r"^ZNY EEEEE"), 3),
    ("fl4:odd_letters", _has(r"^ZN[YR] (?!SSSSS|CCCCC|UUUUU|EEEEE|TTTTT)[A-Z]{5}"), 3),
    ("fl4:relay_zui", _has(r"\bZUI R[A-Z]{3,7}"), 1),
    ("fl5:dual_precedence", _has(r"^[ZOPR] [ZOPR] \d{6}Z"), 3),
    ("fl5:trailing_backslash", _has(r"^[ZOPR] \d{6}Z [A-Z]{3} \d{2}\\$"), 2),
    ("fl5:zfr_cancel", _has(r"^[ZOPR] \d{6}Z [A-Z]{3} \d{2} ZFR"), 1),
    ("fl7:niact", _has(r"NIACT IMMEDIATE"), 3),
    ("fl7:zen", _has(r"^(?:TO |INFO )?ZEN/"), 2),
    ("fl9:xmt", _has(r"^XMT "), 6),
    ("glued:class_line_after_info", _has(r"[a-z0-9](?:S E C R E T|C O N F I D E N T I A L) "), 3),
    ("glued:subject_ref_classified_by", _has(r"SUBJECT:[^\n]*REF:[^\n]*Classified By"), 2),
    ("glued:cable_dated", _has(r"Cable dated:\d"), 2),
    ("front:subj_short", _has(r"^SUBJ:"), 2),
    ("front:tags_no_colon", _has(r"^TAGS [A-Z]"), 2),
    ("front:decl_x_or_mr", _has(r"DECL: \(?(?:X\d|MR)\b"), 2),
    ("front:eo_legacy", _has(r"^EO 12958 DECL"), 2),
    ("front:corrected_copy", _has(r"C O R R E C T E D"), 2),
    ("front:classified_website", _has(r"Classified Website"), 1),
    ("body:truncated_ellipsis", lambda c: c.text.rstrip().endswith("..."), 4),
    ("body:pilcrow_year_trap", _has(r"¶(?:19|20)\d\d\."), 4),
    ("body:tabs", lambda c: "\t" in c.text, 3),
    ("body:nnnn", _has(r"^NNNN"), 2),
    ("body:smart_page_marker", _has(r"^[A-Z ]+ 0\d{7}\s+\d{3}(?:\.\d)? OF \d{3}"), 2),
    ("body:legacy_page_02", _has(r"^PAGE 02\b"), 2),
    ("body:no_pilcrow", lambda c: "¶" not in c.text, 2),
    ("body:multi_section", _has(r"SECTION 0?1 OF 0?[3-9]"), 2),
    ("body:embedded_record", _has(r"\d{2}[A-Z]+\d+ (?:Embassy|Consulate) [A-Z]"), 2),
    ("body:large", lambda c: c.size > 40_000, 1),
    ("index:ampersand_in_subject", lambda c: "&" in c.row["subject"], 2),
    ("index:subject_cut_at_semicolon", lambda c: c.row["subject"].rstrip().endswith(";"), 3),
    ("index:lower_case_subject", lambda c: any(ch.islower() for ch in c.row["subject"]), 3),
    ("index:empty_subject", lambda c: not c.row["subject"].strip(), 3),
]


def _de_mismatch(c: Cable) -> bool:
    m = _DE.search(c.text, 0, 4000)
    return bool(m and _WELL_FORMED_ID.match(c.ref) and not c.ref.endswith(m.group(2).lstrip("0")))


def _stable_key(seed: int, name: str, ref: str) -> str:
    return hashlib.sha1(f"{seed}:{name}:{ref}".encode()).hexdigest()


def named_ids(shared: Path, repo: Path) -> dict[str, str]:
    """Ids named by the vectors, the corpus notes and the repository's tests -> where."""
    named: dict[str, str] = {}

    def add(tokens: Iterable[str], where: str) -> None:
        for t in tokens:
            named.setdefault(t, where)

    add(BRIEF_NAMED, "named in the sample brief")
    vec_dir = repo / "tests" / "data" / "conformance" / "cablemap"
    for path in sorted(vec_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data.get("cases", []):
            for key in ("reference_id", "comment"):
                value = case.get(key)
                if isinstance(value, str):
                    add(_ID_TOKEN.findall(value), f"vector {path.stem}")
    for doc in (shared / "corpus" / "README.md", shared / "reference" / "format.md"):
        if doc.exists():
            add(_ID_TOKEN.findall(doc.read_text(encoding="utf-8")), f"named in {doc.name}")
    # Cables the tests load from their own bundled folders (tests/data/audit, protect_eval)
    # travel with those tests already.
    data = repo / "tests" / "data"
    bundled = {p.stem for p in data.rglob("*.txt") if "sample" not in p.relative_to(data).parts}
    for test in sorted((repo / "tests").glob("test_*.py")):
        loads = _TEST_LOAD.findall(test.read_text(encoding="utf-8"))
        add((a or b for a, b in loads if (a or b) not in bundled), f"used by {test.name}")
    return named


def load(shared: Path) -> tuple[list[str], dict[str, Cable]]:
    corpus = shared / "corpus"
    with (corpus / "index.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = list(reader.fieldnames or [])
        rows = [r for r in reader if r["tier"] == "raw"]
    cables: dict[str, Cable] = {}
    for row in rows:
        path = corpus / row["corpus_file"]
        data = path.read_bytes()
        c = Cable(row["reference_id"], path, len(data), data.decode("utf-8"), row)
        c.features = {name for name, pred, _ in FEATURES if pred(c)}
        cables[c.ref] = c
    return columns, cables


def select(
    cables: dict[str, Cable], named: dict[str, str], seed: int, target: int, budget: int
) -> dict[str, str]:
    """Ref id -> why it was chosen (first reason only), in choice order."""
    chosen: dict[str, str] = {}
    size = 0

    def take(ref: str, why: str) -> None:
        nonlocal size
        if ref not in chosen:
            chosen[ref] = why
            size += cables[ref].size

    for ref in sorted(named):
        if ref in cables:
            take(ref, named[ref])

    def cover(name: str, members: list[Cable], k: int) -> None:
        have = sum(1 for c in members if c.ref in chosen)
        if have >= k:
            return
        fresh = [c for c in members if c.ref not in chosen]
        small = sorted(
            (c for c in fresh if c.size <= SMALL), key=lambda c: _stable_key(seed, name, c.ref)
        )
        rest = sorted((c for c in fresh if c.size > SMALL), key=lambda c: (c.size, c.ref))
        for c in (small + rest)[: k - have]:
            take(c.ref, name)

    all_cables = sorted(cables.values(), key=lambda c: c.ref)
    for name, _, k in FEATURES:
        cover(name, [c for c in all_cables if name in c.features], k)

    # Partial extracts come in several kinds; each kind matters to the preamble reader.
    kinds: dict[str, list[Cable]] = {}
    for c in all_cables:
        kind = _partial_kind(c.text)
        if kind:
            kinds.setdefault(kind, []).append(c)
    for kind, members in sorted(kinds.items()):
        cover(f"partial:{kind}", members, 3)

    by: dict[str, dict[str, list[Cable]]] = {"year": {}, "classification": {}, "origin": {}}
    for c in all_cables:
        by["year"].setdefault(c.row["created"][:4], []).append(c)
        by["classification"].setdefault(c.row["classification"], []).append(c)
        by["origin"].setdefault(c.row["origin"], []).append(c)
    for value, members in sorted(by["year"].items()):
        cover(f"year:{value}", members, 1)
    for value, members in sorted(by["classification"].items()):
        cover(f"classification:{value}", members, 3)
    for value, members in sorted(by["origin"].items()):
        if not value.startswith("Embassy ") or len(members) >= 25:
            cover(f"origin:{value}", members, 1)

    rng = random.Random(seed)
    pool = [c.ref for c in all_cables if c.ref not in chosen and c.size <= SMALL]
    rng.shuffle(pool)
    for ref in pool:
        if len(chosen) >= target or size + cables[ref].size > budget:
            break
        take(ref, "random remainder")
    return chosen


README = """\
# Bundled sample of real cables

{n} US diplomatic telegrams copied **byte-exact** from the project's shared corpus
(`shared/corpus/raw/<REFID>.txt`), {size:,} bytes, with their rows of the corpus `index.csv`
(same columns, `tier` = `raw`; `corpus_file` still names the corpus path). Regenerate with
`python scripts/make_sample.py` (needs `../shared`); the choice is deterministic (seed {seed}).

## Provenance
The corpus texts are US State Department telegrams as published by WikiLeaks (Cablegate,
Nov 2010 - Aug 2011 site releases), taken from public GitHub mirrors (canonical source
avilaroman/Wikileaks-Mirror `cable/YYYY/MM/*.html`, content as of 2011-04-25; 5 cables from
MarkChips/cablegate-search-app). Each file is the page's `<pre>` blocks (routing header, body),
tags stripped, HTML entities decoded, blocks joined by one blank line, trailing newline added;
nothing else changed. The cable texts are works of the US Government; the `index.csv` metadata
(`created`, `released`, `classification`, `origin`, `subject`) comes from the WikiLeaks page's
metadata table, not from the cable text. `seed/07MOSCOW104.txt` (beside this folder) is the
WikiLeaks page rendering of one cable, with its page preamble.

## How they were chosen
1. Every cable named by a conformance vector (`reference_id` / `comment`), by the corpus README,
   by `reference/format.md` or by the repository's tests, when it is in the corpus, so by-id
   vectors and the named traps run from this sample.
2. For each feature below, a few cables that show it (stable hash among cables up to
   {small:,} bytes; larger ones only when no small one exists).
3. One cable per `created` year, three per `classification` value, one per non-embassy origin
   (consulates, missions, Secretary of State, AIT Taipei, REO) and per embassy with 25+ cables.
4. A seeded random remainder of small cables up to {target} cables / {budget:,} bytes.

## Coverage (cables in this sample showing each feature)
| feature | count | e.g. |
|---|---|---|
{table}

## Why each cable is here (first reason)
| reason | cables |
|---|---|
{reasons}
"""


def write(
    out: Path,
    columns: list[str],
    cables: dict[str, Cable],
    chosen: dict[str, str],
    seed: int,
    target: int,
    budget: int,
) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        if old.stem not in chosen:
            old.unlink()
    for ref in chosen:
        shutil.copyfile(cables[ref].path, out / f"{ref}.txt")
    with (out / "index.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for ref in sorted(chosen):
            w.writerow(cables[ref].row)

    picked = [cables[r] for r in sorted(chosen)]
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for c in picked:
        feats = set(c.features)
        kind = _partial_kind(c.text)
        if kind:
            feats.add(f"partial:{kind}")
        for f in feats:
            counts[f] += 1
            example.setdefault(f, c.ref)
    names = [name for name, _, _ in FEATURES] + sorted(
        k for k in counts if k.startswith("partial:")
    )
    table = "\n".join(f"| `{n}` | {counts[n]} | {example.get(n, '-')} |" for n in names)
    groups: dict[str, list[str]] = {}
    for ref, why in chosen.items():
        groups.setdefault(why, []).append(ref)
    reasons = "\n".join(
        f"| {why} | {' '.join(sorted(refs))} |" for why, refs in sorted(groups.items())
    )
    size = sum(c.size for c in picked)
    (out / "README.md").write_text(
        README.format(
            n=len(picked),
            size=size,
            seed=seed,
            small=SMALL,
            target=target,
            budget=budget,
            table=table,
            reasons=reasons,
        ),
        encoding="utf-8",
    )
    return size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder")
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "sample")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--target", type=int, default=TARGET, help="number of cables to reach")
    ap.add_argument("--budget", type=int, default=BUDGET, help="bytes of cable text at most")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus" / "index.csv").exists():
        print(f"no corpus under {args.shared}", file=sys.stderr)
        return 2
    columns, cables = load(args.shared)
    named = named_ids(args.shared, ROOT)
    chosen = select(cables, named, args.seed, args.target, args.budget)
    size = write(args.out, columns, cables, chosen, args.seed, args.target, args.budget)
    seed_src = args.shared / "seed" / "07MOSCOW104.txt"
    if seed_src.exists():
        seed_dir = ROOT / "tests" / "data" / "seed"
        seed_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed_src, seed_dir / seed_src.name)
    print(f"{len(chosen)} cables, {size:,} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
