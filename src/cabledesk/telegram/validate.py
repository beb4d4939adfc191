"""``validate(cable) -> list[Finding]``: consistency checks across the parts of one cable.

Real cables break the rules often (format.md §8, §12), so every finding is a warning with a
stable code (documented in ``docs/validation.md``); nothing here raises or changes the model.
Each check names the rule it comes from; the corpus agreement figures are in format.md §7.
"""

from __future__ import annotations

import re

from cabledesk.telegram import codes, header, identity, ids, stations, tags
from cabledesk.telegram.model import Cable, Finding

__all__ = ["CODES", "validate"]

CODES: dict[str, str] = {
    "de-serial-mismatch": "FL3 station serial is not the last four digits of the cable's serial",
    "julian-date-mismatch": "FL3 Julian filing day differs from the FL5 DTG day by more than one",
    "julian-date-off-by-one": "FL3 Julian filing day is one day off the FL5 DTG day (midnight)",
    "security-mismatch": "FL4 security warning does not match the classification line",
    "fl2-fl5-precedence-mismatch": "FL2 precedence prosign differs from the FL5 prosign",
    "precedence-mismatch": "FL2 precedence is not the highest addressee precedence",
    "routing-indicator-mismatch": "FL3 routing indicator belongs to another post than the origin",
    "header-body-conflict": "DE/FM name another post and serial than the classification line",
    "portion-mark-above-classification": "a portion mark is above the cable's classification",
    "section-numbering": "SECTION n OF m out of range or inconsistent with DE /NN",
    "declassify-before-date": "the declassification date is before the cable's date",
    "declassify-too-far": "the declassification date is more than 25 years after the cable",
    "unknown-tag": "a TAGS code that is in no TAGS table",
    "truncated": "the text is cut short",
    "missing-subject": "no SUBJECT line",
    "missing-tags": "no TAGS line",
    "missing-classification": "no classification line at the start of the text",
    "missing-date": "no date in the text (no DTG, page or date line)",
}

_DIGITS = re.compile(r"\d+")
_SECTION_TEXT = re.compile(r"SECTION\s+0*(\d+)\s+OF\s+0*(\d+)", re.IGNORECASE)
_DECL_MAX_YEARS = 25


def validate(cable: Cable) -> list[Finding]:
    """All consistency findings for ``cable``, in a stable order (header first, then text)."""
    out: list[Finding] = []
    _de_serial(cable, out)
    _julian(cable, out)
    _security(cable, out)
    _fl2_fl5(cable, out)
    _precedence(cable, out)
    _routing_indicator(cable, out)
    _header_body(cable, out)
    _portion_marks(cable, out)
    _sections(cable, out)
    _declassification(cable, out)
    _tags(cable, out)
    _missing(cable, out)
    return out


def _add(
    out: list[Finding], code: str, message: str, start: int | None = None, end: int | None = None
) -> None:
    out.append(Finding(code=code, message=message, start=start, end=end))


def _last4(serial: str) -> str | None:
    digits = "".join(_DIGITS.findall(serial))
    return digits[-4:].zfill(4) if digits else None


def _cable_serial(cable: Cable) -> str | None:
    """The serial of the cable's own id (canonical, else as published)."""
    for rid in (cable.canonical_id, cable.reference_id):
        if rid:
            split = ids.split_id(rid)
            if split is not None:
                return split[2]
    return None


# --- transmission header -------------------------------------------------------------------


def _de_serial(cable: Cable, out: list[Finding]) -> None:
    """ACP 127 §129: the FL3 station serial; State uses the cable serial's last four digits."""
    de = cable.header.station_serial
    serial = _cable_serial(cable)
    if not de or not serial:
        return
    a, b = _last4(de), _last4(serial)
    if a and b and a != b:
        _add(out, "de-serial-mismatch", f"DE serial #{de} vs cable serial {serial}")


def _julian(cable: Cable, out: list[Finding]) -> None:
    """ACP 127 §115: the filing time's Julian day is the day the message was filed.

    The DTG (FL5) and filing time (FL3) may fall on either side of midnight UTC, so one day
    apart (including 31 Dec / 1 Jan) is its own, milder code.
    """
    h = cable.header
    if not h.filing_time or not h.dtg:
        return
    when = header.dtg_to_datetime(h.dtg)
    if when is None or len(h.filing_time) < 3 or not h.filing_time[:3].isdigit():
        return
    day = int(h.filing_time[:3])
    filed = None
    for year in (when.year, when.year - 1, when.year + 1):
        d = header.julian_to_date(h.filing_time[:3], year)
        if d is not None and (filed is None or abs(d - when.date()) < abs(filed - when.date())):
            filed = d
    dtg_day = when.timetuple().tm_yday
    if filed is None:
        _add(out, "julian-date-mismatch", f"FL3 Julian day {day:03d} is not a day of the year")
        return
    gap = abs((filed - when.date()).days)
    if gap == 1:
        _add(out, "julian-date-off-by-one", f"FL3 Julian day {day:03d}, DTG day {dtg_day:03d}")
    elif gap > 1:
        _add(out, "julian-date-mismatch", f"FL3 Julian day {day:03d}, DTG day {dtg_day:03d}")


def _security(cable: Cable, out: list[Finding]) -> None:
    """ACP 127 §203a: FL4 repeats the first letter of the text's classification (§209)."""
    h = cable.header
    cls = cable.classification_line
    if not h.security or cls is None:
        return
    group = h.security.split()[-1]
    level = codes.level_of_fl4(h.security)
    if level is None or len(group) != 5 or len(set(group)) != 1:
        _add(out, "security-mismatch", f"FL4 {h.security!r} is not a security warning")
    elif level != cls.level:
        _add(
            out,
            "security-mismatch",
            f"FL4 {h.security} ({level}) vs classification line {cls.level}",
            cls.start,
            cls.end,
        )


def _prosign_level(prosigns: list[str]) -> str | None:
    """The higher precedence of the prosigns (dual precedence, ACP 127 §152b)."""
    return codes.highest_precedence(
        w for w in (codes.precedence_from_prosign(p) for p in prosigns) if w
    )


def _fl2_fl5(cable: Cable, out: list[Finding]) -> None:
    """ACP 127 §151a, §152b: FL2 repeats the (higher) FL5 precedence prosign."""
    h = cable.header
    if not h.precedence_prosign or not h.fl5_precedence:
        return
    fl2 = _prosign_level([h.precedence_prosign])
    fl5 = _prosign_level(h.fl5_precedence)
    if fl2 and fl5 and fl2 != fl5:
        _add(
            out,
            "fl2-fl5-precedence-mismatch",
            f"FL2 {h.precedence_prosign} ({fl2}) vs FL5 {' '.join(h.fl5_precedence)} ({fl5})",
        )


def _same_precedence(word: str) -> str:
    # NIACT IMMEDIATE is an IMMEDIATE message for transmission (OO), 5 FAH-1 H-221.
    return "IMMEDIATE" if word == "NIACT IMMEDIATE" else word


def _precedence(cable: Cable, out: list[Finding]) -> None:
    """5 FAH-2 H-321.2-1: the highest addressee precedence sets the FL2 prosign.

    An addressee without a precedence word is ROUTINE (format.md §3.6).
    """
    h = cable.header
    addressees = cable.to + cable.info
    if not h.precedence_prosign or not addressees:
        return
    fl2 = _prosign_level([h.precedence_prosign])
    words = [a.precedence or "ROUTINE" for a in addressees]
    top = codes.highest_precedence(words)
    if fl2 and top and _same_precedence(fl2) != _same_precedence(top):
        _add(
            out,
            "precedence-mismatch",
            f"FL2 {h.precedence_prosign} ({fl2}) vs highest addressee precedence {top}",
        )


def _routing_indicator(cable: Cable, out: list[Finding]) -> None:
    """ACP 127 §133: FL3 names the station that prepared the message, i.e. the origin post.

    Only an RI the tables know is judged; an unknown RI is not evidence of a mismatch.
    """
    ri = cable.header.station
    if not ri or not cable.station:
        return
    post = stations.station_for_routing_indicator(ri)
    if post is None:
        return
    origin = stations.canonical_station(cable.station)
    if origin not in stations.known_stations():
        return  # a redacted or garbled id (10SHENYANG4: XXXXXXXXXXXX)
    if post != origin and ri not in stations.routing_indicators_for(origin):
        _add(out, "routing-indicator-mismatch", f"DE {ri} is {post}, the cable is from {origin}")


def _header_body(cable: Cable, out: list[Finding]) -> None:
    """The header (FM/DE post, DE serial) and the classification line name different cables.

    The same test ``parse`` used to let the header win (identity.py): another post's body glued
    under a header (10MEXICO614 carries a Mexico header over ISLAMABAD 000416), or a serial the
    page damaged (``BUENOS AIRES 00167SIPDIS`` under ``DE RUEHBU #1673``).
    """
    conflict = identity.header_body_conflict(cable)
    if conflict is None:
        return
    start = cable.from_.start if cable.from_ is not None else None
    end = cable.from_.end if cable.from_ is not None else None
    _add(out, "header-body-conflict", conflict.message, start, end)


# --- text ---------------------------------------------------------------------------------


def _cable_level(cable: Cable) -> str | None:
    if cable.classification_line is not None:
        return cable.classification_line.level
    return cable.classification


def _portion_marks(cable: Cable, out: list[Finding]) -> None:
    """5 FAH-1 H-246.2c, H-132: no portion is classified above the whole cable."""
    level = _cable_level(cable)
    if level is None:
        return
    top = codes.level_rank(level)
    if top is None:
        return
    if cable.subject_mark and _rank_of_mark(cable.subject_mark) > top:
        _add(
            out,
            "portion-mark-above-classification",
            f"subject marked ({cable.subject_mark.strip('()')}) in a {level} cable",
        )
    for p in cable.paragraphs:
        if not p.mark:
            continue
        if _rank_of_mark(p.mark) > top:
            which = f"paragraph {p.number}" if p.number is not None else "a paragraph"
            _add(
                out,
                "portion-mark-above-classification",
                f"{which} marked ({p.mark.strip('()')}) in a {level} cable",
                p.start,
                p.end,
            )


def _rank_of_mark(mark: str) -> int:
    """Rank of a portion mark's level; -1 for a mark no table knows (never "above")."""
    level = codes.level_of_portion_mark(mark)
    rank = codes.level_rank(level) if level is not None else None
    return -1 if rank is None else rank


def _sections(cable: Cable, out: list[Finding]) -> None:
    """ACP 127 §208e: sections numbered 1..m in plain text; §208f: FL3 carries the same /NN."""
    cls = cable.classification_line
    if cls is None or cls.section is None:
        return
    n, m = cls.section, cls.sections
    if m is not None and not 1 <= n <= m:
        _add(out, "section-numbering", f"SECTION {n} OF {m} is out of range", cls.start, cls.end)
        return
    de = cable.header.section
    if de is not None and de != n:
        _add(
            out,
            "section-numbering",
            f"DE /{de:02d} vs SECTION {n:02d} OF {m if m is not None else '?'}",
            cls.start,
            cls.end,
        )
        return
    # Section lines repeated inside the text (later sections, or copies of earlier ones in
    # legacy print pages) must stay in range and keep the total.
    for b in cable.breaks:
        if b.kind != "section":
            continue
        s = _SECTION_TEXT.search(b.text)
        if s is None:
            continue
        k, of = int(s.group(1)), int(s.group(2))
        if not 1 <= k <= of or (m is not None and of != m):
            _add(
                out,
                "section-numbering",
                f"SECTION {k} OF {of} inside a cable of {m} sections",
                b.start,
                b.end,
            )
            return


def _declassification(cable: Cable, out: list[Finding]) -> None:
    """E.O. 12958 §1.5 / E.O. 13526 §1.5: the declassification date lies after the decision
    and at most 25 years after it (longer only under the exemptions, written as markings)."""
    d = cable.declassification
    if d is None or d.declassify_on is None or cable.date is None:
        return
    made = cable.date.date()
    decl = d.declassify_on
    if decl < made:
        _add(
            out,
            "declassify-before-date",
            f"DECL {decl.isoformat()} is before the cable date {made.isoformat()}",
            d.start,
            d.end,
        )
        return
    try:
        limit = made.replace(year=made.year + _DECL_MAX_YEARS)
    except ValueError:  # 29 February
        limit = made.replace(year=made.year + _DECL_MAX_YEARS, day=28)
    if decl > limit:
        _add(
            out,
            "declassify-too-far",
            f"DECL {decl.isoformat()} is more than {_DECL_MAX_YEARS} years after {made.isoformat()}",
            d.start,
            d.end,
        )


def _tags(cable: Cable, out: list[Finding]) -> None:
    """5 FAH-3 H-010 ff.: TAGS come from the subject, geographic, program and org tables."""
    for t in cable.tags:
        if not tags.is_known_tag(t.code):
            _add(out, "unknown-tag", f"TAGS code {t.code} is not in the TAGS tables")


def _missing(cable: Cable, out: list[Finding]) -> None:
    if cable.truncated:
        _add(out, "truncated", "the text ends cut short")
    if not cable.subject:
        _add(out, "missing-subject", "no SUBJECT")
    if not cable.tags:
        _add(out, "missing-tags", "no TAGS")
    if cable.classification_line is None:
        _add(out, "missing-classification", "no classification line (ACP 127 §209)")
    if cable.date is None or cable.date_source == "hint":
        _add(out, "missing-date", "the text carries no date (no DTG, page or date line)")
