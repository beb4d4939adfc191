"""validate(): consistency findings on hand-built cables shaped like real ones (format.md §7)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from cabledesk.telegram.model import (
    Addressee,
    BreakLine,
    Cable,
    ClassificationLine,
    Declassification,
    Paragraph,
    Tag,
    TransmissionHeader,
)
from cabledesk.telegram.validate import CODES, validate

DOC = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def good() -> Cable:
    """A consistent cable modelled on 07MOSCOW104: validate finds nothing."""
    return Cable(
        text="",
        reference_id="07MOSCOW104",
        canonical_id="07MOSCOW104",
        date=dt.datetime(2007, 1, 12, 15, 23, tzinfo=dt.UTC),
        date_source="dtg",
        station="MOSCOW",
        classification="SECRET",
        header=TransmissionHeader(
            transmission_id="VZCZCXYZ0000",
            precedence_prosign="OO",
            routing_indicators=["RUEHWEB"],
            station="RUEHMO",
            station_serial="0104",
            filing_time="0121523",
            security="ZNY SSSSS",
            operating_signals=["ZZH"],
            fl5_precedence=["O"],
            dtg="121523Z JAN 07",
        ),
        from_=Addressee("AMEMBASSY MOSCOW", start=80, end=96),
        to=[Addressee("SECSTATE WASHDC", "RUEHC", "IMMEDIATE", "6346")],
        info=[Addressee("AMEMBASSY BANGKOK", "RUEHBK", None, "0721")],
        classification_line=ClassificationLine(
            "S E C R E T", "SECRET", "MOSCOW", "000104", start=200, end=226
        ),
        declassification=Declassification("12958", dt.date(2016, 1, 12), start=240, end=268),
        tags=[Tag("PREF", "subject"), Tag("PHUM", "subject"), Tag("RS", "geographic")],
        subject="NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR",
        paragraphs=[Paragraph("Text.", 1, "S", 400, 405), Paragraph("More.", 2, "C", 410, 415)],
        signers=["RUSSELL"],
    )


def codes_of(cable: Cable) -> list[str]:
    return [f.code for f in validate(cable)]


def test_consistent_cable_has_no_findings() -> None:
    assert validate(good()) == []


def test_all_findings_are_warnings_with_documented_codes() -> None:
    c = good()
    c.header.station_serial = "0105"
    c.header.security = "ZNY CCCCC"
    c.tags.append(Tag("QQQQ", "unknown"))
    c.subject = None
    found = validate(c)
    assert {f.code for f in found} == {
        "de-serial-mismatch",
        "header-body-conflict",
        "security-mismatch",
        "unknown-tag",
        "missing-subject",
    }
    assert all(f.severity == "warning" and f.code in CODES for f in found)


def test_de_serial_uses_last_four_digits() -> None:
    c = dataclasses.replace(good(), canonical_id="07MOSCOW10104", reference_id="07MOSCOW10104")
    c.classification_line = None
    assert "de-serial-mismatch" not in codes_of(c)
    c.header.station_serial = "0105"
    assert "de-serial-mismatch" in codes_of(c)


@pytest.mark.parametrize(
    ("filing", "dtg", "code"),
    [
        ("0121523", "121523Z JAN 07", None),
        ("0112355", "120001Z JAN 07", "julian-date-off-by-one"),
        ("3652355", "010001Z JAN 07", "julian-date-off-by-one"),  # across new year
        ("0151523", "121523Z JAN 07", "julian-date-mismatch"),
        ("9991523", "121523Z JAN 07", "julian-date-mismatch"),
    ],
)
def test_julian_day(filing: str, dtg: str, code: str | None) -> None:
    c = good()
    c.header.filing_time = filing
    c.header.dtg = dtg
    julian = [x for x in codes_of(c) if x.startswith("julian")]
    assert julian == ([code] if code else [])


def test_security_warning_vs_classification_line() -> None:
    c = good()
    c.header.security = "ZNY SSSAA"  # garbled, seen twice in the corpus
    found = [f for f in validate(c) if f.code == "security-mismatch"]
    assert len(found) == 1
    c.header.security = "ZNY CCCCC"
    found = [f for f in validate(c) if f.code == "security-mismatch"]
    assert (found[0].start, found[0].end) == (200, 226)


def test_efto_warning_matches_unclas_efto() -> None:
    c = good()
    c.header.security = "ZNY EEEEE"
    c.classification_line = ClassificationLine("UNCLAS E F T O", "UNCLASSIFIED", "LONDON", "2883")
    c.paragraphs = []
    assert "security-mismatch" not in codes_of(c)


def test_fl2_fl5_and_addressee_precedence() -> None:
    c = good()
    c.header.fl5_precedence = ["R"]  # 09ASUNCION595: OO vs R
    assert "fl2-fl5-precedence-mismatch" in codes_of(c)
    c = good()
    c.to[0].precedence = "PRIORITY"
    assert codes_of(c) == ["precedence-mismatch"]
    c.to[0].precedence = "NIACT IMMEDIATE"  # NIACT is transmitted as OO
    assert codes_of(c) == []
    c.info[0].precedence = "FLASH"
    assert codes_of(c) == ["precedence-mismatch"]


def test_dual_prosign_takes_the_higher() -> None:
    c = good()
    c.header.fl5_precedence = ["O", "R"]
    assert "fl2-fl5-precedence-mismatch" not in codes_of(c)


def test_routing_indicator_of_another_post() -> None:
    c = good()
    c.header.station = "RUEHRO"  # Rome's RI on a Moscow cable
    assert "routing-indicator-mismatch" in codes_of(c)
    c.header.station = "RUEHZZZZ"  # unknown RI: no evidence either way
    assert "routing-indicator-mismatch" not in codes_of(c)


def test_header_body_conflict() -> None:
    # 10MEXICO614: Mexico header, body SECRET ISLAMABAD 000416.
    c = good()
    c.classification_line = ClassificationLine("S E C R E T", "SECRET", "ISLAMABAD", "000416")
    found = [f for f in validate(c) if f.code == "header-body-conflict"]
    assert len(found) == 1 and (found[0].start, found[0].end) == (80, 96)
    c.classification_line.serial = "000104"  # another post under the same serial
    assert "header-body-conflict" in codes_of(c)
    c.classification_line.originator = "MOSCOW"  # the header's post and serial: no conflict
    assert "header-body-conflict" not in codes_of(c)
    c.classification_line.serial = "000105"  # the post's own DE serial disagrees
    assert "header-body-conflict" in codes_of(c)


def test_portion_mark_above_cable_level() -> None:
    c = good()
    c.classification_line = ClassificationLine(
        "C O N F I D E N T I A L", "CONFIDENTIAL", "MOSCOW", "000104"
    )
    c.header.security = "ZNY CCCCC"
    found = [f for f in validate(c) if f.code == "portion-mark-above-classification"]
    assert [(f.start, f.end) for f in found] == [(400, 405)]
    c.paragraphs[0].mark = "S/NF"
    assert "portion-mark-above-classification" in codes_of(c)
    c.paragraphs[0].mark = "SBU"
    assert "portion-mark-above-classification" not in codes_of(c)
    c.subject_mark = "S"
    assert "portion-mark-above-classification" in codes_of(c)


def test_section_numbering() -> None:
    c = good()
    c.classification_line.section, c.classification_line.sections = 1, 2
    c.header.section = 1
    assert codes_of(c) == []
    c.header.section = 2
    assert codes_of(c) == ["section-numbering"]
    c.header.section = None
    c.classification_line.section = 3
    assert codes_of(c) == ["section-numbering"]
    c.classification_line.section = 1
    c.breaks = [BreakLine("section", "S E C R E T SECTION 03 OF 03 MOSCOW 000104", 500, 540)]
    assert codes_of(c) == ["section-numbering"]
    c.breaks[0].text = "S E C R E T SECTION 02 OF 02 MOSCOW 000104"
    assert codes_of(c) == []


def test_declassification_dates() -> None:
    c = good()
    c.declassification.declassify_on = dt.date(2006, 1, 12)
    found = [f for f in validate(c) if f.code == "declassify-before-date"]
    assert [(f.start, f.end) for f in found] == [(240, 268)]
    c.declassification.declassify_on = dt.date(2032, 1, 12)
    assert codes_of(c) == []
    c.declassification.declassify_on = dt.date(2032, 1, 13)
    assert codes_of(c) == ["declassify-too-far"]
    c.declassification = Declassification("12958", instruction="N/A")
    assert codes_of(c) == []


def test_missing_parts_and_truncation() -> None:
    c = Cable(
        text="", truncated=True, date=dt.datetime(2007, 1, 1, tzinfo=dt.UTC), date_source="hint"
    )
    assert codes_of(c) == [
        "truncated",
        "missing-subject",
        "missing-tags",
        "missing-classification",
        "missing-date",
    ]


def test_every_code_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", doc, re.MULTILINE))
    assert documented == set(CODES)
