"""How often does ``parse()`` of the text alone agree with the publisher's metadata?

Parses every cable of a corpus folder with NO hints and compares with the publisher's
``index.csv`` (WikiLeaks' page table, not the cable text):

* reference id (``canonical_id`` both sides) and date (day of ``created`` vs the UTC day of
  ``cable.date``) over the cables whose text carries them (``*_source`` not ``hint``); the rest
  are counted as "not carried by the text";
* classification level (index part before ``//``), origin post and subject over all cables.
  Where the text alone yields none of these, a second parse with the *file-name* hint (the
  reference id only, as ``sources.text`` gives it) may fill it; the output says how many did.
  The publisher's subject is often cut short (at ``;``, at a line end), so a subject agrees when
  the publisher's, whitespace-normalised, upper-cased and entity-decoded, is a prefix of ours.

Every disagreement is grouped by its likely cause. ``--out FILE`` writes them all as TSV.

Usage: ``python scripts/metadata_agreement.py [FOLDER] [--index index.csv] [--out FILE]``
(FOLDER defaults to ``../shared/corpus/raw``, else ``tests/data/sample``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cabledesk.errors import ParseError
from cabledesk.sources.text import hints_from_name, read_text_file
from cabledesk.telegram.model import Cable
from cabledesk.telegram.parser import parse

try:
    from cabledesk.telegram.ids import canonical_id as _canonical_id
except ImportError:  # pragma: no cover - before ids.py landed

    def _canonical_id(reference_id: str) -> str:
        return reference_id


ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "raw"
SAMPLE = ROOT / "tests" / "data" / "sample"
FIELDS = ("reference_id", "date", "classification", "origin", "subject")
TEXT_ONLY_FIELDS = ("reference_id", "date")
TARGET = 0.995

_WS = re.compile(r"\s+")
_HTML_TAG = re.compile(r"</?[a-zA-Z]+/?>|^[a-z]+>")  # ``<br>`` and cut ``strong>`` left in
_SUBJECT_LEAD = re.compile(
    r"^[\"'“‘(\[ ]*(?:(?:U|C|S|TS|SBU|LOU)(?:[/-](?:NF|N|NOFORN|REL [A-Z ,]+))?\)[ ]*)?[\"'“‘ ]*"
)
_LEVELS = {"UNCLAS": "UNCLASSIFIED", "TOPSECRET": "TOP SECRET"}
_WELL_FORMED_ID = re.compile(r"^(\d{2})([A-Z]+?)(\d+)$")


@dataclass(slots=True)
class Check:
    """One field of one cable: whether it counts, whether it agrees, and why not."""

    field: str
    counted: bool
    ok: bool
    ours: str | None
    theirs: str | None
    cause: str = ""
    via: str = "text"
    """``text``, ``file-name hint``, or for ids and dates the ``*_source`` that was used."""
    publisher_side: bool = False
    """The text itself supports our value (independent evidence): the publisher differs."""


# --- normalisers -------------------------------------------------------------------------


def norm_level(value: str | None) -> str | None:
    """``SECRET//NOFORN`` -> ``SECRET``; ``UNCLAS`` -> ``UNCLASSIFIED``; empty -> None."""
    if not value:
        return None
    head = value.split("//", 1)[0].strip().upper()
    squashed = head.replace(" ", "")
    return _LEVELS.get(squashed, head) or None


def norm_subject(value: str | None) -> str:
    """Entities decoded, line-end backslashes dropped, whitespace collapsed, upper-cased, and a
    leading portion mark or opening quote or bracket removed (the publisher drops ``(``, ``"``
    and ``[`` there), HTML tag remnants (``<br>``) removed."""
    if not value:
        return ""
    text = _HTML_TAG.sub(" ", html.unescape(html.unescape(value))).replace("\\", " ")
    text = _WS.sub(" ", text).strip().upper()
    return _SUBJECT_LEAD.sub("", text, count=1)


def norm_origin(value: str | None) -> str:
    return _WS.sub(" ", value or "").strip()


def canonical(reference_id: str | None) -> str | None:
    if not reference_id:
        return None
    try:
        return _canonical_id(reference_id)
    except (ValueError, ParseError):
        return reference_id


def utc_day(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.date().isoformat()


# --- independent evidence in the text --------------------------------------------------------
# Deliberately crude regexes, independent of the parser: they only decide whether a difference
# lies with the publisher's table (the text itself says what we parsed) or with us.

_FL4 = re.compile(r"^ZN[YR] ([SCUET])[A-Z]{4}", re.M)
_FL4_LEVEL = {
    "S": "SECRET",
    "C": "CONFIDENTIAL",
    "U": "UNCLASSIFIED",
    "E": "UNCLASSIFIED",
    "T": "TOP SECRET",
}
_BANNER = re.compile(
    r"(T O P S E C R E T|S E C R E T|C O N F I D E N T I A L|CONFIDENTIAL|SECRET"
    r"|UNCLAS(?:SIFIED)?)(?=[ \t\n]|SECTION|$)"
)
_HEADER_LINE = re.compile(r"^(?:DE R[A-Z]{3,7} #|FM [A-Z])", re.M)
_GLUED_FRONT = re.compile(
    r"^(?:REFS?\b|REF\(S\)|REFTEL|CLASSIFIED BY|\(?SBU\)|SENS\w* BUT UNCLASSIFIED"
    r"|SUMMARY|E\.O\.|TAGS|\\|[A-Z ]+ \d{8} +\d{3}(?:\.\d)? OF \d{3})"
)


def text_levels(text: str) -> tuple[str | None, str | None]:
    """The levels the text states: FL4's letter and the first classification banner after it."""
    fl4 = _FL4.search(text, 0, 6000)
    m = _BANNER.search(text, fl4.end() if fl4 else 0)
    return (
        _FL4_LEVEL[fl4.group(1)] if fl4 else None,
        norm_level(m.group(1).replace(" ", "")) if m else None,
    )


def text_is_another_cable(text: str) -> bool:
    """No routing header (DE/FM) to name the publisher's cable: the text is all we have."""
    return _HEADER_LINE.search(text, 0, 20000) is None


# --- comparisons (imported by tests/test_sample.py) ----------------------------------------

PUBLISHER_OTHER_CABLE = "publisher-side: the text (no DE/FM header) is of another cable"


def compare_reference_id(cable: Cable, row: dict[str, str]) -> Check:
    theirs = canonical(row["reference_id"])
    source = cable.reference_id_source
    ours = cable.canonical_id or canonical(cable.reference_id)
    if source is None or source == "hint" or ours is None:
        via = "preamble" if source == "hint" else "none"
        ok = ours == theirs
        return Check("reference_id", False, ok, ours, theirs, "" if ok else "not carried", via)
    if ours == theirs:
        return Check("reference_id", True, True, ours, theirs, via=source)
    cause = _id_cause(ours, theirs, row)
    if "another cable" in cause and text_is_another_cable(cable.text):
        return Check("reference_id", True, False, ours, theirs, PUBLISHER_OTHER_CABLE, source, True)
    return Check("reference_id", True, False, ours, theirs, cause, source)


def _id_cause(ours: str, theirs: str | None, row: dict[str, str]) -> str:
    if theirs != row["reference_id"] or not _WELL_FORMED_ID.match(row["reference_id"]):
        return "publisher id malformed (canonical form differs)"
    a, b = _WELL_FORMED_ID.match(ours), _WELL_FORMED_ID.match(theirs or "")
    if a is None or b is None:
        return "our id malformed"
    if a.group(2) != b.group(2) and a.group(3) != b.group(3):
        return "text names another cable (station and serial differ)"
    if a.group(2) != b.group(2):
        return "station differs"
    if a.group(3) != b.group(3):
        return "text names another cable (serial differs)"
    return "year differs"


def _other_cable(cable: Cable, row: dict[str, str]) -> bool:
    """Our id (from the text) is another cable's and no header names the publisher's."""
    ours = cable.canonical_id
    return bool(
        ours and ours != canonical(row["reference_id"]) and text_is_another_cable(cable.text)
    )


def compare_date(cable: Cable, row: dict[str, str]) -> Check:
    theirs = row["created"][:10] or None
    ours = utc_day(cable.date)
    source = cable.date_source
    if source is None or source == "hint" or ours is None:
        via = "preamble" if source == "hint" else "none"
        ok = ours == theirs
        return Check("date", False, ok, ours, theirs, "" if ok else "not carried", via)
    if ours == theirs:
        return Check("date", True, True, ours, theirs, via=source)
    if _other_cable(cable, row):
        return Check("date", True, False, ours, theirs, PUBLISHER_OTHER_CABLE, source, True)
    return Check("date", True, False, ours, theirs, _date_cause(ours, theirs), source)


def _date_cause(ours: str, theirs: str | None) -> str:
    if theirs is None:
        return "publisher has no date"
    days = abs((dt.date.fromisoformat(ours) - dt.date.fromisoformat(theirs)).days)
    if days == 1:
        return "one day apart (time zone or midnight)"
    if days <= 31:
        return "days apart (2-31)"
    if ours[:4] != theirs[:4]:
        return "year differs"
    return "months apart"


def compare_classification(cable: Cable, row: dict[str, str], via: str = "text") -> Check:
    theirs = norm_level(row["classification"])
    ours = norm_level(cable.classification)
    if ours == theirs:
        return Check("classification", True, True, ours, theirs, via=via)
    if ours is None:
        return Check("classification", True, False, ours, theirs, "none found", via)
    fl4, banner = text_levels(cable.text)
    if fl4 and banner and fl4 != banner:
        cause = f"text's FL4 {fl4} and banner {banner} disagree; publisher {theirs}, ours {ours}"
        return Check("classification", True, False, ours, theirs, cause, via)
    if ours == (fl4 or banner) or _other_cable(cable, row):
        cause = f"publisher-side: table {theirs}, the text's FL4/banner {ours}"
        return Check("classification", True, False, ours, theirs, cause, via, True)
    cause = f"publisher {theirs}, ours {ours}"
    return Check("classification", True, False, ours, theirs, cause, via)


def compare_origin(cable: Cable, row: dict[str, str], via: str = "text") -> Check:
    theirs = norm_origin(row["origin"]) or None
    ours = norm_origin(cable.origin) or None
    if ours == theirs:
        return Check("origin", True, True, ours, theirs, via=via)
    if ours is None:
        return Check("origin", True, False, ours, theirs, "none found", via)
    if _other_cable(cable, row):
        return Check("origin", True, False, ours, theirs, PUBLISHER_OTHER_CABLE, via, True)
    if theirs is not None and ours.casefold() == theirs.casefold():
        cause = "capitalisation only"
    else:
        cause = f"{theirs!r} -> {ours!r}"
    return Check("origin", True, False, ours, theirs, cause, via)


def subject_agrees(ours: str | None, theirs: str | None) -> bool:
    """The publisher's subject (often cut short, sometimes marked so with ``...``) equals ours
    or is a prefix of it."""
    t = norm_subject(theirs)
    if t.endswith("..."):
        t = t[:-3].rstrip()
    return bool(t) and norm_subject(ours).startswith(t)


def publisher_subject_runs_on(ours: str | None, theirs: str | None) -> bool:
    """The publisher's subject is ours plus glued front matter (``REF:``, ``Classified By``...)."""
    o, t = norm_subject(ours), norm_subject(theirs)
    return bool(o) and t.startswith(o) and _GLUED_FRONT.match(t[len(o) :].lstrip()) is not None


def compare_subject(cable: Cable, row: dict[str, str], via: str = "text") -> Check:
    theirs = row["subject"] or None
    ours = cable.subject
    if not norm_subject(theirs):
        return Check("subject", False, False, ours, theirs, "publisher has no subject", via)
    if subject_agrees(ours, theirs):
        return Check("subject", True, True, ours, theirs, via=via)
    if publisher_subject_runs_on(ours, theirs):
        cause = "publisher-side: its subject runs on into REF/Classified By/page marker"
        return Check("subject", True, False, ours, theirs, cause, via, True)
    return Check("subject", True, False, ours, theirs, _subject_cause(ours, theirs), via)


def _subject_cause(ours: str | None, theirs: str | None) -> str:
    o, t = norm_subject(ours), norm_subject(theirs)
    if not o:
        return "none found"
    if t.startswith(o):
        return "ours is shorter (stopped early)"
    if o[:12] != t[:12]:
        return "differs from the start (another line taken)"
    n = next((i for i, (x, y) in enumerate(zip(o, t, strict=False)) if x != y), min(len(o), len(t)))
    ctx = t[max(0, n - 1) : n + 2]
    if not ctx.strip(" -") or any(not ch.isalnum() for ch in ctx):
        return "differs at punctuation or spacing"
    return "differs in the middle"


_FILLABLE: dict[str, Callable[[Cable], object]] = {
    "classification": lambda c: c.classification,
    "origin": lambda c: c.origin,
    "subject": lambda c: c.subject,
}
_COMPARE: dict[str, Callable[..., Check]] = {
    "classification": compare_classification,
    "origin": compare_origin,
    "subject": compare_subject,
}


def check_cable(
    text: str, row: dict[str, str], path: Path | None = None
) -> tuple[Cable, list[Check]]:
    """The hint-free parse and the five checks of one cable; raises ParseError if it fails."""
    cable = parse(text)
    checks = [compare_reference_id(cable, row), compare_date(cable, row)]
    hinted: Cable | None = None
    for name, get in _FILLABLE.items():
        if get(cable) is None and path is not None:
            if hinted is None:
                hinted = parse(text, hints_from_name(path))
            if get(hinted) is not None:
                checks.append(_COMPARE[name](hinted, row, via="file-name hint"))
                continue
        checks.append(_COMPARE[name](cable, row))
    return cable, checks


# --- the run -------------------------------------------------------------------------------


@dataclass
class FieldStats:
    counted: int = 0
    agreed: int = 0
    not_counted: int = 0
    not_counted_agreed: int = 0
    via: Counter[str] = field(default_factory=Counter)
    publisher_side: int = 0
    disagreements: list[tuple[str, Check]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Raw agreement with the publisher over the counted cables."""
        return self.agreed / self.counted if self.counted else 1.0

    @property
    def rate_ours(self) -> float:
        """Agreement leaving out publisher-side differences (the text supports our value)."""
        n = self.counted - self.publisher_side
        return self.agreed / n if n else 1.0


@dataclass
class Report:
    folder: Path
    cables: int = 0
    missing_files: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    fields: dict[str, FieldStats] = field(default_factory=lambda: {f: FieldStats() for f in FIELDS})
    shapes: dict[str, str] = field(default_factory=dict)

    def rate(self, name: str) -> float:
        return self.fields[name].rate


def read_index(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r.get("tier", "raw") == "raw"]


def default_index(folder: Path) -> Path:
    inside = folder / "index.csv"
    return inside if inside.exists() else folder.parent / "index.csv"


def run(folder: Path, index: Path | None = None, limit: int | None = None) -> Report:
    """Parse every indexed cable of ``folder`` and tally the five checks."""
    rows = read_index(index or default_index(folder))
    report = Report(folder)
    for row in rows[:limit] if limit else rows:
        ref = row["reference_id"]
        path = folder / f"{ref}.txt"
        if not path.exists():
            report.missing_files.append(ref)
            continue
        report.cables += 1
        try:
            raw = read_text_file(path)
            cable, checks = check_cable(raw.text, row, path)
            report.shapes[ref] = cable.shape
        except ParseError as exc:
            report.errors.append((ref, str(exc)))
            continue
        for chk in checks:
            st = report.fields[chk.field]
            st.via[chk.via] += 1
            if chk.counted:
                st.counted += 1
                st.agreed += chk.ok
                st.publisher_side += chk.publisher_side
                if not chk.ok:
                    st.disagreements.append((ref, chk))
            else:
                st.not_counted += 1
                st.not_counted_agreed += chk.ok
    return report


def groups(stats: FieldStats) -> list[tuple[str, list[tuple[str, Check]]]]:
    by: dict[str, list[tuple[str, Check]]] = {}
    for ref, chk in stats.disagreements:
        by.setdefault(chk.cause, []).append((ref, chk))
    return sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:6.2f} %" if b else "     - "


def summary_lines(report: Report, examples: int = 8) -> Iterable[str]:
    yield f"metadata agreement of parse(text) with the publisher's index: {report.folder}"
    yield (
        f"cables: {report.cables}   parse errors: {len(report.errors)}   "
        f"indexed but no file: {len(report.missing_files)}   target: >= {100 * TARGET:.1f} %"
    )
    yield ""
    yield (
        f"{'field':<15}{'agree':>7}{'of':>7}{'raw rate':>10}"
        f"{'publisher-side':>16}{'rate w/o them':>15}"
    )
    for name in FIELDS:
        st = report.fields[name]
        flag = "" if st.rate >= TARGET else "  below target"
        via = ", ".join(f"{k} {v}" for k, v in st.via.most_common())
        if name in TEXT_ONLY_FIELDS:
            scope = (
                f"cables whose text carries it; not carried: {st.not_counted}"
                f" (the page preamble gave it in {st.via.get('preamble', 0)},"
                f" agreeing {st.not_counted_agreed})"
            )
        elif name == "subject":
            scope = f"all cables with a publisher subject; publisher has none: {st.not_counted}"
        else:
            scope = "all cables"
        yield (
            f"{name:<15}{st.agreed:>7}{st.counted:>7}{_pct(st.agreed, st.counted):>10}"
            f"{st.publisher_side:>16}{_pct(st.agreed, st.counted - st.publisher_side):>15}{flag}"
        )
        yield f"{'':15}  over {scope}"
        yield f"{'':15}  values via: {via}"
    yield ""
    yield (
        "publisher-side = the publisher differs and independent evidence in the text (FL4 or"
        " banner; a text with no DE/FM header\n  naming another cable; a subject glued to"
        " REF/Classified By) supports our value. Raw rate counts them as disagreements."
    )
    yield (
        "Classification, origin and subject are read from the text; 'file-name hint' = the text"
        " alone gave none and a\n  second parse with the reference id from the file name did."
    )
    for name in FIELDS:
        st = report.fields[name]
        if not st.disagreements:
            continue
        yield ""
        yield f"== {name}: {len(st.disagreements)} disagreements, by likely cause"
        for cause, items in groups(st):
            ids = " ".join(ref for ref, _ in items[:examples])
            more = f" (+{len(items) - examples})" if len(items) > examples else ""
            yield f"  {len(items):5}  {cause}: {ids}{more}"
    if report.errors:
        yield ""
        yield f"== parse errors: {len(report.errors)}"
        for ref, msg in report.errors[:examples]:
            yield f"  {ref}: {msg}"


def write_disagreements(report: Report, out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["field", "cause", "reference_id", "publisher", "parsed", "via", "shape"])
        for name in FIELDS:
            for cause, items in groups(report.fields[name]):
                for ref, chk in items:
                    w.writerow(
                        [name, cause, ref, chk.theirs, chk.ours, chk.via, report.shapes.get(ref)]
                    )
                    n += 1
        for ref, msg in report.errors:
            w.writerow(["parse", "parse error", ref, "", msg, "", ""])
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Agreement of parse() with the publisher's index.")
    ap.add_argument("folder", nargs="?", type=Path, help="folder of <REFID>.txt cables")
    ap.add_argument(
        "--index", type=Path, help="index.csv (default: FOLDER/index.csv or ../index.csv)"
    )
    ap.add_argument("--out", type=Path, help="write every disagreement here (TSV)")
    ap.add_argument("--examples", type=int, default=8, help="ids shown per cause group")
    ap.add_argument("--limit", type=int, help="only the first N index rows")
    args = ap.parse_args(argv)
    folder = args.folder or (CORPUS if CORPUS.is_dir() else SAMPLE)
    index = args.index or default_index(folder)
    if not index.exists():
        print(f"no index.csv for {folder}", file=sys.stderr)
        return 2
    report = run(folder, index, args.limit)
    for line in summary_lines(report, args.examples):
        print(line)
    if args.out:
        n = write_disagreements(report, args.out)
        print(f"\n{n} disagreements written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
