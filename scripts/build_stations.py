"""Build ``src/cabledesk/telegram/data/stations.csv`` from real data (reproducible).

Inputs (defaults under ``../shared`` beside the repository, override with ``--corpus`` / ``--routing-indicators``):

* ``corpus/index.csv`` + ``corpus/raw/*.txt``: for each cable the publisher's ``origin``, the
  FL3 routing indicator (``DE RUEHMO #0104 ...``, ACP 127 Annex B FL3) and the FM address;
* ``data/stations_manual.csv``: a few non-post originators cited in REF lines (SECDEF, USDOC...);
* ``route2name.csv`` (ACP 117 via cablemap, BSD): RUEH* addresses of posts not in the corpus.

Rules: a station's origin is the publisher's name most used for cables whose FM address names
the same station (so USEU cables published under ``BRUSSELS`` ids do not rename the embassy);
its routing indicators are the FL3 RIs of those cables, most used first.  Two station names
with the same main RI and the same origin are one renamed post (``KIEV``/``KYIV``,
``IRANRPODUBAI``/``RPODUBAI``, ``TAIPEI``/``AITTAIPEI``): the name of the most recent cable is
kept, the other becomes a former name.

Run: ``.venv/bin/python scripts/build_stations.py``
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "cabledesk" / "telegram" / "data"
sys.path.insert(0, str(ROOT / "src"))

from cabledesk.telegram.ids import _SECTION, _two_digit_year  # noqa: E402

_DE = re.compile(r"^DE (R[A-Z]{3,7}) #", re.M)
_FM = re.compile(r"^FM (.+?)\s*$", re.M)
_ID = re.compile(r"^(\d+)([A-Z][A-Z\-]*?)(\d+)$")
_GLUED = ("EFTO", "NOFORN", "AMEMBASSY")
_PLAD_KIND = re.compile(
    r"^(AMEMBASSY|AMCONSUL|USMISSION|USMISSIN|US MISSION|USINT|USLO|AIT|REO|APP|IRAN RPO|RPO|"
    r"USEU)\s+(.+)$"
)


def id_station(rid: str) -> str | None:
    m = re.match(r"^(\d+)(.*)$", rid)
    if not m:
        return None
    split = _two_digit_year(m.group(1))
    if not split:
        return None
    rest = split[1] + m.group(2)
    sec = _SECTION.match(rest)
    if sec:
        rest = rest[sec.end() :]
    b = re.match(r"^([A-Z][A-Z\-]*?)(\d+)$", rest)
    if not b:
        return None
    st = b.group(1).replace("-", "")
    for g in _GLUED:
        if st.startswith(g) and len(st) > len(g):
            st = st[len(g) :]
    return st


def plad_station(plad: str) -> str | None:
    """Squashed station of a PLAD without any table (for the build only)."""
    p = " ".join(plad.upper().split())
    p = re.sub(r"//.*$", "", p)
    if p.startswith(("SECSTATE", "DEPT OF STATE")):
        return "STATE"
    m = _PLAD_KIND.match(p)
    if not m:
        return None
    kind, rest = m.group(1), m.group(2)
    words = rest.split()
    if len(words) > 1 and len(words[-1]) == 2 and kind not in ("AIT",):
        words = words[:-1]
    name = "".join(words).replace("-", "").replace(".", "").replace("'", "")
    if kind == "AIT":
        return "AIT" + name
    if kind == "USEU":
        return "USEU" + name
    if kind in ("IRAN RPO", "RPO"):
        return kind.replace(" ", "") + name
    return name


def title(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


def origin_from_plad(plad: str) -> str:
    kinds = {
        "AMEMBASSY": "Embassy",
        "AMCONSUL": "Consulate",
        "USMISSION": "Mission",
        "USMISSIN": "Mission",
        "US MISSION": "Mission",
        "USINT": "US Interests Section",
        "AIT": "American Institute Taiwan,",
        "REO": "REO",
        "APP": "American Presence Post",
    }
    m = _PLAD_KIND.match(" ".join(plad.upper().split()))
    if not m:
        return title(plad)
    return f"{kinds.get(m.group(1), m.group(1))} {title(m.group(2))}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--routing-indicators", type=Path, default=DATA / "routing_indicators.csv")
    ap.add_argument("--out", type=Path, default=DATA / "stations.csv")
    args = ap.parse_args()

    origins: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    all_origins: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    ris: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    all_ris: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    fm_names: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    latest: dict[str, str] = {}
    counts: collections.Counter[str] = collections.Counter()

    with open(args.corpus / "index.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["tier"] not in ("raw", "lossy"):
            continue
        st = id_station(row["reference_id"])
        if not st or not _ID.match(row["reference_id"]) and row["tier"] == "lossy":
            continue
        counts[st] += 1
        created = row["created"]
        if created > latest.get(st, ""):
            latest[st] = created
        if row["origin"]:
            all_origins[st][row["origin"]] += 1
        if row["tier"] != "raw":
            continue
        text = (args.corpus / row["corpus_file"]).read_text(encoding="utf-8")
        de = _DE.search(text)
        fm = _FM.search(text)
        fm_st = plad_station(fm.group(1)) if fm else None
        if fm_st:
            fm_names[st][fm_st] += 1
        if de:
            all_ris[st][de.group(1)] += 1
        if fm_st == st:
            if row["origin"]:
                origins[st][row["origin"]] += 1
            if de:
                ris[st][de.group(1)] += 1

    posts: dict[str, dict[str, object]] = {}
    for st in sorted(counts):
        if fm_names[st] and not fm_names[st][st]:
            continue  # damaged id (08SECTION01GF02BISHIEK21): no cable's FM names it
        org = origins[st] or all_origins[st]
        if not org:
            continue
        ri = ris[st] or all_ris[st]
        top = ri.most_common(1)[0][0] if ri else None
        kept = [r for r, n in ri.most_common() if n >= 2 or r == top]
        posts[st] = {
            "station": st,
            "origin": org.most_common(1)[0][0],
            "routing_indicators": kept,
            "former_names": [],
            "cables": counts[st],
            "source": "corpus",
        }

    # Renamed posts: same main RI and same origin.
    groups: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for st, p in posts.items():
        ri_list = p["routing_indicators"]
        assert isinstance(ri_list, list)
        if ri_list:
            groups[(ri_list[0], str(p["origin"]))].append(st)
    for members in groups.values():
        if len(members) < 2:
            continue

        def rank(s: str) -> tuple[str, int]:
            return latest.get(s, ""), fm_names[s][s]

        keep = max(members, key=rank)
        for other in members:
            if other == keep:
                continue
            p_keep, p_other = posts[keep], posts.pop(other)
            formers = p_keep["former_names"]
            assert isinstance(formers, list)
            formers.append(other)
            p_keep["cables"] = int(str(p_keep["cables"])) + int(str(p_other["cables"]))

    with open(DATA / "stations_manual.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            posts.setdefault(
                row["station"],
                {
                    "station": row["station"],
                    "origin": row["origin"],
                    "routing_indicators": row["routing_indicators"].split(),
                    "former_names": [],
                    "cables": 0,
                    "source": "manual",
                },
            )

    formers = {f: st for st, p in posts.items() for f in p["former_names"]}  # type: ignore[attr-defined]
    assigned = {r for p in posts.values() for r in p["routing_indicators"]}  # type: ignore[attr-defined]
    with open(args.routing_indicators, newline="", encoding="utf-8") as fh:
        for ri_row in csv.reader(fh):
            rind, name = ri_row[0], ri_row[1]
            if not rind.startswith("RUEH") or rind in assigned:
                continue
            st = plad_station(name)
            if not st:
                continue
            st = formers.get(st, st)
            if st in posts:
                ri_list = posts[st]["routing_indicators"]
                assert isinstance(ri_list, list)
                ri_list.append(rind)
                continue
            posts[st] = {
                "station": st,
                "origin": origin_from_plad(name),
                "routing_indicators": [rind],
                "former_names": [],
                "cables": 0,
                "source": "route2name",
            }

    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["station", "origin", "routing_indicators", "former_names", "cables", "source"])
        for st in sorted(posts):
            p = posts[st]
            w.writerow(
                [
                    st,
                    p["origin"],
                    " ".join(p["routing_indicators"]),  # type: ignore[arg-type]
                    " ".join(p["former_names"]),  # type: ignore[arg-type]
                    p["cables"],
                    p["source"],
                ]
            )
    print(f"wrote {len(posts)} stations to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
