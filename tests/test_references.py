"""REF block: cable references, other kinds, letters, years and the block's end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cabledesk.telegram.references import find_references, parse_references

RAW = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "raw"


def cables(text: str, year: int | None, rid: str | None = None) -> list[str | None]:
    return [r.cable_id for r in parse_references(text, year, rid) if r.kind == "cable"]


def test_seed_block() -> None:
    text = "REF: A. PARKER/PETTIT E-MAIL 1/4/07 \n¶B. STATE 203879 \n\nClassified By: X.\n"
    refs = parse_references(text, 2007, "07MOSCOW104")
    assert [(r.kind, r.letter, r.cable_id) for r in refs] == [
        ("email", "A", None),
        ("cable", "B", "07STATE203879"),
    ]
    assert refs[0].text == "PARKER/PETTIT E-MAIL 1/4/07"
    assert text[refs[1].start : refs[1].end] == "STATE 203879"


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("REF: A. MADRID 3974\n¶B. MADRID 3929\n", 2008, ["08MADRID3974", "08MADRID3929"]),
        ("REF: A) TRIPOLI 158, B) TRIPOLI 218", 2008, ["08TRIPOLI158", "08TRIPOLI218"]),
        ("REF: (A) ISTANBUL 279 (NODIS)", 2008, ["08ISTANBUL279"]),
        ("REF: 06 STATE 12345", 2008, ["06STATE12345"]),
        ("REF: STATE 12345 OF 2006", 2008, ["06STATE12345"]),
        ("REF: ASUNCION 701 (08)", 2009, ["08ASUNCION701"]),
        ("REF: QUITO 4525-91", 2006, ["91QUITO4525"]),
        ("REF: PANAMA 00930/08", 2009, ["08PANAMA930"]),
        ("REF: AMMAN 07718 99, AMMAN 05986 00", 2002, ["99AMMAN7718", "00AMMAN5986"]),
        ("REF: 10-OTTAWA-57", 2010, ["10OTTAWA57"]),
        ("REF: 09CAIRO0561; 08CAIRO2528", 2010, ["09CAIRO561", "08CAIRO2528"]),
        ("REF: Kabul 692/317", 2007, ["07KABUL692", "07KABUL317"]),
        ("REF: SECSTATE 232089 & USUN 2336", 2004, ["04STATE232089", "04USUNNEWYORK2336"]),
        (
            "REF: A. USUN NE YORK 609 ¶B. PHNOM PEN 333",
            2009,
            ["09USUNNEWYORK609", "09PHNOMPENH333"],
        ),
        ("Ref: 870 Ulaanbaatar", 2006, ["06ULAANBAATAR870"]),
        ("REF: COTON0U 348", 2008, ["08COTONOU348"]),
        ("REF: LAGOS O1512", 2002, ["02LAGOS1512"]),
        ("REF: C) RIO \n \nDE JANEIRO 1291", 2004, ["04RIODEJANEIRO1291"]),
        (
            "SUBJECT: X FOR UK PRIMEREF: A. LONDON 1939  B. LONDON 1704",
            2008,
            ["08LONDON1939", "08LONDON1704"],
        ),
    ],
)
def test_cable_forms(text: str, year: int, expected: list[str]) -> None:
    assert cables(text, year) == expected


def test_non_cable_items_are_not_cables() -> None:
    text = (
        "REF: A. OSC EUP20080707950031  B. INCSR BRAZIL 2008 C. PARIS POINTS JULY 15 D. MADRID 286"
    )
    assert cables(text, 2009) == ["09MADRID286"]


@pytest.mark.parametrize(
    ("item", "kind"),
    [
        ("LAKHDHIR E-MAIL 12/01/09", "email"),
        ("MITCHELL/SIMS TELCON 02/16/2010", "tel"),
        ("9 FAM Appendix K, 406 (6)", "book"),
        ("2004 HUMAN RIGHTS REPORT FOR PANAMA", "report"),
        ("MEMCON OF 3/4/08", "memo"),
        ("AMBASSADOR'S LETTER OF MAY 3", "letter"),
        ("http://www.example.org/x", "web"),
        ("USDEL SECRETARY TELEGRAMS 000005/000007", "other"),
    ],
)
def test_other_kinds(item: str, kind: str) -> None:
    refs = parse_references(f"REF: {item} ", 2009)
    assert [(r.kind, r.text) for r in refs] == [(kind, item)]


def test_letters_follow_sequence_not_initials() -> None:
    refs = parse_references(
        "REF: A) TALLINN 366 B) LEE-GOLDSTEIN EMAIL 05/11/07 \nB) TALLINN 347", 2007
    )
    assert [(r.kind, r.letter) for r in refs] == [("cable", "A"), ("email", "B"), ("cable", "B")]
    refs = parse_references("REF: E-mails J. Speaks-K. Allen ", 2009)
    assert [(r.kind, r.letter, r.text) for r in refs] == [
        ("email", None, "E-mails J. Speaks-K. Allen")
    ]


def test_year_rule_own_post_higher_serial_is_previous_year() -> None:
    text = "REF: A. STATE 125579 \n¶B. THE HAGUE 276 \n¶C. 07 THE HAGUE 935 \n"
    assert cables(text, 2009, "09THEHAGUE2") == ["09STATE125579", "08THEHAGUE276", "07THEHAGUE935"]
    # without the citing id there is no evidence: the citing year applies
    assert cables(text, 2009) == ["09STATE125579", "09THEHAGUE276", "07THEHAGUE935"]


def test_self_reference_dropped() -> None:
    text = "REF: A) TRIPOLI 199, B) TRIPOLI 227 TRIPOLI 00000402 \n\n001.2 OF 003 "
    assert cables(text, 2008, "08TRIPOLI402") == ["08TRIPOLI199", "08TRIPOLI227"]


def test_no_year_gives_no_id_for_yearless_refs() -> None:
    assert cables("REF: STATE 1234; 05 STATE 99", None) == [None, "05STATE99"]


def test_block_end_at_blank_line_before_text() -> None:
    text = "REF: A. PANAMA 651\n\n     ¶B. PANAMA 1213\n\nC O R R E C T E D COPY OF PANAMA 1957\n"
    refs, end = find_references(text, 0, len(text), 2006)
    assert [r.cable_id for r in refs] == ["06PANAMA651", "06PANAMA1213"]
    assert text[end:].lstrip().startswith("C O R R E C T E D")


def test_block_end_at_classified_by_and_paragraph() -> None:
    text = (
        "REF: TRIPOLI 466  CLASSIFIED BY: Chris Stevens. REASON: 1.4 (b) 1. (C) Summary: TRIPOLI 9"
    )
    refs, end = find_references(text, 0, len(text), 2008)
    assert [r.cable_id for r in refs] == ["08TRIPOLI466"]
    assert text[end:].startswith("CLASSIFIED BY")
    text = "REF: TRIPOLI 115\n\n1.(SBU) This is an action request; see STATE 12.\n"
    refs, end = find_references(text, 0, len(text), 2010)
    assert [r.cable_id for r in refs] == ["10TRIPOLI115"]


def test_no_block() -> None:
    text = "SUBJECT: NOTHING TO SEE\n\n1. (C) Text mentions STATE 1234 in a paragraph.\n"
    assert find_references(text, 0, len(text), 2009) == ([], 0)


def test_search_is_bounded() -> None:
    text = "XXXX REF: STATE 1 and then REF: STATE 2"
    refs, _ = find_references(text, 10, len(text), 2009)
    assert [r.cable_id for r in refs] == ["09STATE2"]
    assert all(r.start >= 10 for r in refs)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="REF: ABC.()¶-;,0123456789STATEMADRID\n ", max_size=120))
def test_never_raises_and_offsets_valid(text: str) -> None:
    refs, end = find_references(text, 0, len(text), 2009, "09MADRID5")
    assert 0 <= end <= len(text)
    for r in refs:
        assert 0 <= r.start <= r.end <= len(text)


@pytest.mark.skipif(not RAW.is_dir(), reason="corpus not available")
@pytest.mark.parametrize(
    ("rid", "expected"),
    [
        ("07MOSCOW104", ["07STATE203879"]),
        ("09THEHAGUE2", ["09STATE125579", "08THEHAGUE276", "07THEHAGUE935"]),
        ("07TRIPOLI949", ["07TRIPOLI912", "07TRIPOLI641"]),
        ("09BUJUMBURA302", ["09STATE30541"]),
    ],
)
def test_real_cables(rid: str, expected: list[str]) -> None:
    path = RAW / f"{rid}.txt"
    if not path.is_file():
        pytest.skip(rid)
    text = path.read_text(encoding="utf-8")
    start = text.index("SUBJ")
    refs, _ = find_references(text, start, len(text), 2000 + int(rid[:2]), rid)
    assert [r.cable_id for r in refs if r.kind == "cable"] == expected


def test_bare_serial_item_takes_previous_post() -> None:
    refs = parse_references("REF: A. MANILA 2969 \n     ¶B. 2962 AND PREVIOUS \n ", 2006)
    assert [(r.letter, r.cable_id) for r in refs] == [("A", "06MANILA2969"), ("B", "06MANILA2962")]
    # WikiLeaks' "¶B. 2006" artefact is a year, not a serial
    refs = parse_references("REF: A. PARIS 12 \n¶B. 2006 \n", 2006)
    assert [r.cable_id for r in refs if r.kind == "cable"] == ["06PARIS12"]


def test_spaced_classification_is_not_a_run_of_letters() -> None:
    # 05THEHAGUE2585: "C O N F I D E N T I A L" gave bullets C, D, E
    refs = parse_references(
        "REF: A. THE HAGUE 2434\n  C O N F I D E N T I A L THE HAGUE 2585\n", 2005
    )
    assert {r.letter for r in refs} == {"A"}


def test_a_letter_opening_its_line_may_skip_one() -> None:
    # 06PARIS1251: "C. 2006" is dropped as a year, "D." still letters its item
    text = (
        "REF: A. PARIS 1113\n¶B. EMBASSY PARIS DAILY REPORT\n¶D. PARIS 953\n\nClassified By: X.\n"
    )
    assert [r.letter for r in parse_references(text, 2006)] == ["A", "B", "D"]
    # but not two skipped letters after F (a Roman "I." heading)
    assert [r.letter for r in parse_references("REF: A. PARIS 1\nF. PARIS 2\nI. PARIS 3\n", 6)] == [
        "A",
        "A",
        "A",
    ]


def test_an_extract_of_a_lettered_list_starts_at_its_letter() -> None:
    # 09STATE124636: "REF: D. MEXICO 002071 / E. ..."
    refs = parse_references("REF: D. MEXICO 002071\nE. MEXICO 007033\n\n", 2009)
    assert [r.letter for r in refs] == ["D", "E"]


def test_written_year_is_part_of_the_item_text() -> None:
    # 07LIMA1862: the text must give the same cable id when read again
    refs = parse_references("REF: A. LIMA 4516 (06)\n¶B. KABUL 940 07\n", 2007, "07LIMA1862")
    assert [(r.text, r.cable_id) for r in refs] == [
        ("LIMA 4516 (06)", "06LIMA4516"),
        ("KABUL 940 07", "07KABUL940"),
    ]


def test_ref_meaning_regarding_yields_to_a_later_ref_line() -> None:
    # 08RIYADH1134: "SUBJECT: SAUDIS ON IRAN REF UPCOMING NAM FM MEETING"
    text = "SAUDIS ON IRAN REF UPCOMING NAM FM MEETING\n\nREF: A. SECSTATE 74879\n¶B. RIYADH 43\n"
    refs, _end = find_references(text, 0, len(text), 2008, "08RIYADH1134")
    assert [(r.text, r.letter) for r in refs] == [("SECSTATE 74879", "A"), ("RIYADH 43", "B")]


def test_bare_letter_opening_the_block() -> None:
    # 09ABUDHABI754: ``REF A SECRETARY'S LETTER ...`` with no colon after REF
    text = "REF A SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS\n\n1. (S) Text.\n"
    refs = parse_references(text, 2009, "09ABUDHABI754")
    assert [(r.kind, r.letter) for r in refs] == [("letter", "A")]
    assert refs[0].text == "SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS"


def test_an_empty_block_gives_way_to_a_later_ref_line() -> None:
    # 08YEREVAN649: a cut extract ``REF: A) Y...`` above the publisher's full copy
    text = (
        "REF: A) Y...\n\n\nC O N F I D E N T I A L SECTION 01 OF 02 YEREVAN 000649\n\n"
        "SUBJECT: TFGG01: ARMENIAN PM RAISES ALARM REF: A) YEREVAN 646 B) YEREVAN 639 "
        "Classified By: CDA JOSEPH PENNINGTON, REASONS 1.5(B)(D) 1. (C) The Prime Minister\n"
    )
    refs, end = find_references(text, 0, len(text), 2008, "08YEREVAN649")
    assert [(r.letter, r.cable_id) for r in refs] == [("A", "08YEREVAN646"), ("B", "08YEREVAN639")]
    assert text[end:].startswith("Classified By")
    # a block with nothing in it and no later REF: still ends where it ends
    assert find_references("REF: A) Y...\n\nText.\n", 0, 22, 2008)[0] == []


def test_a_marked_paragraph_after_a_blank_line_ends_the_block() -> None:
    # 07MANAMA986, 10BRASILIA44: ``(U)`` is the paragraph's portion mark, not item letter U
    text = "REF: STATE 148406 \n \n(U) PolOffs delivered reftel points to MFA on October 30.\n"
    refs, end = find_references(text, 0, len(text), 2007, "07MANAMA986")
    assert [r.cable_id for r in refs] == ["07STATE148406"]
    assert text[end:].lstrip().startswith("(U) PolOffs")
    # the next item letter after a blank line still continues the block
    text = "REF: (A) 08 STATE 061194\n\n(B) 7 FAM 180\n\n(U) Classified by: X.\n"
    assert [(r.letter, r.text) for r in parse_references(text, 2009)] == [
        ("A", "08 STATE 061194"),
        ("B", "7 FAM 180"),
    ]


def test_a_paragraph_glued_after_a_page_marker_ends_the_block() -> None:
    # 10LONDON92: the whole body sits on the REF line after the first page's marker
    text = (
        "REF: 09 State 124006  LONDON 00000092  001.3 OF 012   1.  In response to reftel, the "
        "following is the 2010 Investment Climate Statement. A. Openness to Foreign Investment\n"
    )
    refs, end = find_references(text, 0, len(text), 2010, "10LONDON92")
    assert [(r.kind, r.cable_id) for r in refs] == [("cable", "09STATE124006")]
    assert text[end:].lstrip().startswith("1.  In response")


# --- fast paths: each rewritten pattern against its plain formulation -------------------------

_REF_ALPHABET = "AB(a)[b]. -:;,\t\n1203'’/x¶OFREfR"
_PLAIN_BULLET = (
    r"(?<![A-Za-z0-9'’])(?:\((?P<a>[A-Za-z])\)|\[(?P<b>[A-Za-z])\]"
    r"|(?P<c>[A-Za-z])(?:\.\)|[.):]|[ \t]+-[ \t])(?=[\s\dA-Za-z('’\[¶-]))"
    r"|(?:(?<=[\s,;:])|(?<![\s\S]))(?<![A-Z][ \t])(?P<d>[A-Z])[ \t]+(?=[A-Z0-9])(?![A-Z][ \t])"
)
_PLAIN_REVERSE = r"(?<![\w/.-])(?P<ser>\d{2,7})[ \t]+(?P<st>[A-Za-z][A-Za-z'-]+)(?=\s*(?:[,;]|$))"
_PLAIN_PORTION = (
    r"(?<![\w./-])¶?\d{1,2}\s?\.\s*\((?:U|C|S|SBU|TS|S/NF|C/NF|SBU/NF|S//NF|C//NF)[^)]{0,8}\)"
)
_PLAIN_ZERO = r"(?<=[A-Za-z])0(?=[A-Za-z]|[ \t])|(?<![A-Za-z0-9])0(?=[A-Za-z]{3})"


def _spans(pattern: re.Pattern[str], text: str, names: str) -> list[tuple[object, ...]]:
    return [(m.span(), *(m.span(n) for n in names)) for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_REF_ALPHABET, max_size=40), st.integers(0, 40))
def test_fast_patterns_match_plain_ones(text: str, pos: int) -> None:
    from cabledesk.telegram import citations as c
    from cabledesk.telegram import ref_block as r

    for fast, plain, names in (
        (r.BULLET, _PLAIN_BULLET, "abcd"),
        (c.REVERSE, _PLAIN_REVERSE, ("ser", "st")),
        (r.END_PORTION, _PLAIN_PORTION, ()),
    ):
        slow = re.compile(plain)
        assert _spans(fast, text, names) == _spans(slow, text, names)
        fm, sm = fast.match(text, pos), slow.match(text, pos)
        assert (fm and fm.span()) == (sm and sm.span())
    assert r.ZERO_IN_WORD.sub("O", text) == re.sub(_PLAIN_ZERO, "O", text)
    ref = r.REF_START.search(text, pos)
    got = r.ref_start(text, pos, len(text))
    assert (got and got.span()) == (ref and ref.span())


def test_block_end_terminators() -> None:
    from cabledesk.telegram.ref_block import block_length

    assert block_length("STATE 123\n2. (C) TEXT") == len("STATE 123\n")
    assert block_length("STATE 123 1. (C) TEXT") == len("STATE 123 ")
    assert block_length("STATE 123 Classified By: X") == len("STATE 123 ")
    assert block_length("STATE 123 A1. (C) TEXT") == len("STATE 123 A1. (C) TEXT")
