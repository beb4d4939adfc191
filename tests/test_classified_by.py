"""Classified By statement: name, title, reasons (format.md §5.5, 5 FAH-1 H-246)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cabledesk.telegram.classified_by import (
    find_classified_by,
    normalize_name,
    parse_classified_by,
)

VECTORS = Path(__file__).parent / "data" / "conformance" / "cablemap" / "classified_by.json"


def _find(text: str):
    return find_classified_by(text, 0, len(text))


@pytest.mark.parametrize(
    ("text", "name", "title", "reasons"),
    [
        # seed 07MOSCOW104, split over two lines
        (
            "REF: B. STATE 203879\nClassified By: Political Minister-Counselor Alice G. Wells.\n"
            "Reasons 1.4 (b and d).\n\n¶1. (S) ...",
            "Alice G. Wells",
            "Political Minister-Counselor",
            ["1.4(b)", "1.4(d)"],
        ),
        (
            "CLASSIFIED BY DCM EARL IRVING. REASONS: 1.5 (B) AND (D).\n\n1. (C) SUMMARY",
            "EARL IRVING",
            "DCM",
            ["1.5(b)", "1.5(d)"],
        ),
        (
            "Classified By: DCM Bob Manzanares; reasons 1.4 (B) and (D).",
            "Bob Manzanares",
            "DCM",
            ["1.4(b)", "1.4(d)"],
        ),
        # STATE cables: a numbered paragraph
        (
            "SUBJECT: X\n\n¶1. (U) Summary...\n¶2. (U) Classified by Acting DAS James Knight, "
            "Reasons 1.4 (b) and (d).\n",
            "James Knight",
            "Acting DAS",
            ["1.4(b)", "1.4(d)"],
        ),
        # title after the name (5 FAH-1 H-246 example form)
        (
            "CLASSIFIED BY THEODORE H. KATTOUF, AMBASSADOR, REASON 1.5 (B) AND (D).",
            "THEODORE H. KATTOUF",
            "AMBASSADOR",
            ["1.5(b)", "1.5(d)"],
        ),
        # glued to a REF line (10GENEVA249)
        (
            "REF: 10 GENEVA 231 (SFO-GVA-VIII-088) CLASSIFIED BY: Rose E. Gottemoeller, Assistant "
            "Secretary, Department of State, VCI; REASON: 1.4(B), (D) ",
            "Rose E. Gottemoeller",
            "Assistant Secretary, Department of State, VCI",
            ["1.4(b)", "1.4(d)"],
        ),
        # 08CAIRO2098: glued to a lettered REF without a colon
        (
            "REF: D) CAIRO 1560 E) CAIRO 730 Classified by Ambassador Margaret Scobey for reason "
            "1.4 (d).\n1.(C) SUMMARY",
            "Margaret Scobey",
            "Ambassador",
            ["1.4(d)"],
        ),
        ("Classified By: Derived from Multiple Sources\n\n¶1. (S)", None, None, []),
        ("Classified By: Ambassador, reason 1.4 (b,d)", None, "Ambassador", ["1.4(b)", "1.4(d)"]),
        (
            "Classified By: Amb. Carol van Voorst for reasons 1.4 (b) and (d).",
            "Carol van Voorst",
            "Amb.",
            ["1.4(b)", "1.4(d)"],
        ),
        (
            "Classified By: Ambassador Adam Ereli for reasons 1.4 (b) and (d). (C) Bahrain",
            "Adam Ereli",
            "Ambassador",
            ["1.4(b)", "1.4(d)"],
        ),
        (
            "Classified By: Pol/Econ Couns Drew G. Blakeney for reasons 1.4 (b&d). \n",
            "Drew G. Blakeney",
            "Pol/Econ Couns",
            ["1.4(b)", "1.4(d)"],
        ),
        (
            "Classified By: T U/S Ellen O. Tauscher for Reasons 1.4 a,b,and d. \n",
            "Ellen O. Tauscher",
            "T U/S",
            ["1.4(a)", "1.4(b)", "1.4(d)"],
        ),
        (
            "Classified By: ECONOMIC COUNSELOR BOB SILVERMAN \n FOR 12958 1.4 B, D, AND E \n",
            "BOB SILVERMAN",
            "ECONOMIC COUNSELOR",
            ["1.4(b)", "1.4(d)", "1.4(e)"],
        ),
    ],
)
def test_statements(text: str, name: str | None, title: str | None, reasons: list[str]) -> None:
    cb = _find(text)
    assert cb is not None
    assert (cb.name, cb.title, cb.reasons) == (name, title, reasons)
    assert text[cb.start : cb.end] == cb.text
    assert cb.text.lower().startswith("classified by")


def test_wrapped_mid_word() -> None:
    # SMART cut the field at 71 characters, mid-word (04ANKARA5764, 07ASHGABAT350)
    text = (
        " \nClassified By: Classified by Deputy Political Counselor Charles O. Blah \n"
        "a, E.O. 12958, reasons 1.4 (b) and (d). \n "
    )
    assert parse_classified_by(text, normalize=False) == ["Charles O. Blaha"]
    text = (
        " \nClassified By: (C) CLASSIFIED BY MINISTER COUNSELOR FOR ECONOMIC AFFAIR \n"
        "S ROBERT LUKE; REASON 1.4 (B) AND (D). \n "
    )
    assert parse_classified_by(text, normalize=False) == ["ROBERT LUKE"]
    # the same length but a whole word: no join
    text = "Classified By: Ambassador Glyn T. Davies, reasons 1.4 (b) and (d)\n"
    assert parse_classified_by(text, normalize=False) == ["Glyn T. Davies"]


def test_prose_is_not_a_statement() -> None:
    assert (
        _find("\n16 percent receives untreated water classified by AyA \nas unpotable.\n") is None
    )
    text = (
        "C O R R E C T E D  C O P Y (ADDED CLASSIFIED BY LINE) \n\nE.O. 12958: DECL: 10/15/2019\n"
        "SUBJECT: X  Classified By: Political Counselor Robin Quinville, for reasons 1.4 b and d\n"
    )
    cb = _find(text)
    assert cb is not None and cb.name == "Robin Quinville"


def test_cable_numbers_skip_to_next_label() -> None:
    text = (
        " \nClassified By: ADANA 222 \nADANA 216 \nADANA 207 \nANKARA 6772 \n \n"
        "Classified by DCM Nancy McEldowney; reasons 1.4 b and d. \n "
    )
    assert parse_classified_by(text, normalize=False) == ["Nancy McEldowney"]


def test_two_officials() -> None:
    text = (
        " \nCLASSIFIED BY AF KARL WYCOFF, ACTING AND S/CT DAS SHARI \nVILLAROSA ; E.O. 12958 "
        "REASON: 1.4 (B) AND (D) \n "
    )
    assert parse_classified_by(text, normalize=False) == ["KARL WYCOFF", "SHARI VILLAROSA"]
    # "and" inside a title is not a second official (09WARSAW433)
    text = (
        "Classified By: Ambassador Jackson McDonald, Special Advisor for Securit \n"
        "y Negotiations and Agreements, for reasons 1.4 b and d. \n"
    )
    assert parse_classified_by(text) == ["Jackson McDonald"]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("THOMAS W. SIMONS, JR.", "Thomas W. Simons, Jr."),
        ("LEE 0. COLDREN", "Lee O. Coldren"),
        ("Richard L. Baltimore, III", "Richard L. Baltimore, III"),
        ("JOHN L. WITHERS II", "John L. Withers II"),
        ("PIERRE-RICHARD PROSPER", "Pierre-Richard Prosper"),
        ("B0HLEN", "Bohlen"),
        ("ROBERT RICHARD DOWNES", "Robert Richard Downes"),
        ("David J. Keegan", "David J. Keegan"),
    ],
)
def test_normalize_name(raw: str, normal: str) -> None:
    assert normalize_name(raw) == normal


def test_conformance_text_vectors() -> None:
    """The cablemap text vectors; the one allowed miss corrects a typo (RICAHRD -> Richard)."""
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    cases = [c for c in data["cases"] if c["input"] is not None]
    failed = []
    for c in cases:
        normalize = (c.get("options") or {}).get("normalize", True)
        if parse_classified_by(c["input"], normalize=normalize) != c["expected"]:
            failed.append(c["input"])
    assert len(failed) <= 1, failed
    assert len(cases) - len(failed) >= 0.95 * len(cases)


@given(st.text(max_size=200))
def test_never_raises(noise: str) -> None:
    text = "Classified By: " + noise
    cb = find_classified_by(text, 0, len(text))
    assert cb is None or 0 <= cb.start <= cb.end <= len(text)
    parse_classified_by(text)


def test_reason_letters_on_next_line_are_not_a_portion_mark() -> None:
    # 01VATICAN1261
    text = (
        "\n¶1. (U) CLASSIFIED BY CDA JOSEPH MERANTE FOR REASONS 1.5 \n(A) AND (D) . \n\n"
        "¶2. (C) DEPUTY FOREIGN MINISTER"
    )
    cb = _find(text)
    assert cb is not None
    assert (cb.name, cb.title, cb.reasons) == ("JOSEPH MERANTE", "CDA", ["1.5(a)", "1.5(d)"])
    assert "(C)" not in cb.text


def test_truncated_statement() -> None:
    # WikiLeaks cut some statements: "Classified By: Ambass..."
    cb = _find("Classified By: Ambass...\n\n1. (C) x")
    assert cb is not None and cb.name is None
    cb = _find("CLASSIFIED BY: Heather M. Hodges...\n\n1. (C) x")
    assert cb is not None and cb.name == "Heather M. Hodges"


def test_glued_to_subject_line() -> None:
    # 07CAIRO3126: the HTML join glued the statement to the subject
    text = (
        "SUBJECT: SCENESETTER FOR AMBASSADOR CROCKER’S VISIT TO CAIROClassified By: DEPUTY CHIEF "
        "OF MISSION STUART JONES. REASONS 1.4 (B) AND (D).\n"
    )
    cb = _find(text)
    assert cb is not None
    assert (cb.name, cb.title) == ("STUART JONES", "DEPUTY CHIEF OF MISSION")
    assert cb.start == text.index("Classified By:")


def test_body_prose_without_colon_is_rejected() -> None:
    assert _find("\n¶3. (C) CLASSIFIED BY THE MINISTRY AS SECRET, THE REPORT\n") is None
    # legacy print format: the statement stops at the page break
    text = (
        "\nCLASSIFIED BY AMBASSADOR TOM MCDONALD. \n                       CONFIDENTIAL \n \n"
        "PAGE 02        HARARE  03759  01 OF 03  111533Z \nREASONS: 1.5 (B) AND (D). \n"
    )
    cb = _find(text)
    assert cb is not None
    assert (cb.name, cb.title, cb.text) == (
        "TOM MCDONALD",
        "AMBASSADOR",
        "CLASSIFIED BY AMBASSADOR TOM MCDONALD.",
    )


def test_cached_officer_line_keeps_reasons_per_statement() -> None:
    """The part before the reasons is parsed once and cached; each statement still gets its
    own reasons and its own names list."""
    from cabledesk.telegram.classified_by import _parse_statement

    a = _parse_statement(" Ambassador Adam Ereli for reasons 1.4 (b) and (d). ")
    b = _parse_statement(" Ambassador Adam Ereli for reasons 1.5 (c). ")
    assert a.names == b.names == ["Adam Ereli"]
    assert a.title == b.title == "Ambassador"
    assert a.reasons == ["1.4(b)", "1.4(d)"]
    assert b.reasons == ["1.5(c)"]
    a.names.append("X")
    assert b.names == ["Adam Ereli"]
