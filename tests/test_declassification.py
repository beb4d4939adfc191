"""E.O. line: order, declassification date or instruction (format.md §5.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cabledesk.telegram.declassification import find_declassification, parse_declassify_on


def _find(text: str):
    return find_declassification(text, 0, len(text))


@pytest.mark.parametrize(
    ("text", "order", "date", "instruction"),
    [
        # seed 07MOSCOW104
        (
            "SIPDIS\nE.O. 12958: DECL: 01/12/2016\nTAGS: PREF PHUM",
            "12958",
            dt.date(2016, 1, 12),
            None,
        ),
        ("E.O. 12958: N/A \nTAGS: ECON", "12958", None, "N/A"),
        # legacy print format, two-digit year (00HARARE5461 style)
        ("EO 12958 DECL: 09/21/10 \nTAGS PGOV", "12958", dt.date(2010, 9, 21), None),
        ("EO 12958 DECL: 2020/02/23", "12958", dt.date(2020, 2, 23), None),
        ("E.O. 12958: DECL: (X1) \n", "12958", None, "X1"),
        ("E.O. 12958: DECL: X1", "12958", None, "X1"),
        ("E.O. 12958: DECL: MR\nTAGS: PTER", "12958", None, "MR"),
        ("E.O. 13526: DECL: 03/04/2020", "13526", dt.date(2020, 3, 4), None),
        ("E.O. 12356: DECL:OADR \nTAGS: PREL", "12356", None, "OADR"),
        ("DECL: OADR\nTAGS: PREL", None, None, "OADR"),
        # 73TEHRAN2077: pilcrow and "E. O."
        ("¶E. O. 11652: GDS \nTAGS: PFOR IR PK XF", "11652", None, "GDS"),
        ("E.O. 11652: XGDS1", "11652", None, "XGDS1"),
        ("E.O. 11652: ADS, DECLAS 12-31-74", "11652", dt.date(1974, 12, 31), "ADS"),
        ("E.O. 12065: GDS 9/30/84 (SMITH, J.) OR-P", "12065", None, "GDS 9/30/84 (SMITH, J.) OR-P"),
        # glued to a passing line and to TAGS (cables.csv records)
        ("DEPT FOR WHA/BSC E.O. 12958: DECL: 11/22/2012 ", "12958", dt.date(2012, 11, 22), None),
        (
            "S E C R E T CAIRO 003126SIPDISSIPDISE.O. 12958: DECL: 10/24/2017 TAGS: PREL",
            "12958",
            dt.date(2017, 10, 24),
            None,
        ),
        (
            "S/CT FOR REAPE.O. 12958: DECL: 11/14/2012 TAGS: PTER TU",
            "12958",
            dt.date(2012, 11, 14),
            None,
        ),
        # 05BRASILIA1567: value on the next line; 06PARAMARIBO343: keyword twice
        ("E.O. 12958: \nDECL: 06/09/2015 \nTAGS: KIPR", "12958", dt.date(2015, 6, 9), None),
        ("E.O. 12958: DECL: DECL: 06/09/2016 \nTAGS: PREL", "12958", dt.date(2016, 6, 9), None),
        ("E.O.: 12958: N/A \nTAGS: ECON", "12958", None, "N/A"),
        ("E.0. 12958: N/A", "12958", None, "N/A"),
        (
            "E.O. 12958: DECL: 1.6 FIVE YEARS AFTER CLOSURE OF ICTY \nTAGS",
            "12958",
            None,
            "1.6 FIVE YEARS AFTER CLOSURE OF ICTY",
        ),
        ("E.O. 12958: DECL: 30 OCTOBER 2016", "12958", dt.date(2016, 10, 30), None),
        # invalid date: kept as an instruction, no exception
        ("E.O. 12958: DECL: 13/45/2012", "12958", None, "13/45/2012"),
    ],
)
def test_forms(text: str, order: str | None, date: dt.date | None, instruction: str | None) -> None:
    d = _find(text)
    assert d is not None
    assert (d.order, d.declassify_on, d.instruction) == (order, date, instruction)
    assert text[d.start : d.end].strip()
    assert "TAGS" not in text[d.start : d.end]


def test_offsets_are_absolute() -> None:
    text = "C O N F I D E N T I A L MOSCOW 000104\nSIPDIS\nE.O. 12958: DECL: 01/12/2016\nTAGS: X"
    start = text.index("SIPDIS")
    d = find_declassification(text, start, len(text))
    assert d is not None
    assert text[d.start : d.end] == "E.O. 12958: DECL: 01/12/2016"


def test_reason_citation_is_not_a_decl_line() -> None:
    # 08STATE56778-style statement without an E.O. line: E.O. 12958 is the reason, not DECL
    assert (
        _find("Classified By: IO Acting A/S Brian H. Hook, E.O. 12958, \nReasons: 1.4(b)") is None
    )
    assert _find("SUBJECT: X\n\nE.O. 12958 reasons 1.4(d),(e)") is None


def test_no_line() -> None:
    assert _find("TAGS: PREL\nSUBJECT: NOTHING") is None
    assert parse_declassify_on("nothing here") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E.o. 12958: decl: 07/01/2034", dt.date(2034, 7, 1)),
        ("EO 12958: decl: 6/3/08", dt.date(2008, 6, 3)),
        ("E.O. 12958: N/A", None),
    ],
)
def test_parse_declassify_on(text: str, expected: dt.date | None) -> None:
    assert parse_declassify_on(text) == expected


@given(st.integers(1, 12), st.integers(1, 28), st.integers(1996, 2040))
def test_dates_roundtrip(month: int, day: int, year: int) -> None:
    assert parse_declassify_on(f"E.O. 12958: DECL: {month:02d}/{day:02d}/{year}") == dt.date(
        year, month, day
    )
    assert parse_declassify_on(f"EO 12958 DECL: {month}/{day}/{year % 100:02d}") == dt.date(
        2000 + year % 100 if year % 100 < 70 else 1900 + year % 100, month, day
    )


@given(st.text(max_size=80))
def test_never_raises(noise: str) -> None:
    find_declassification("E.O. 12958: DECL: " + noise, 0, 18 + len(noise))
