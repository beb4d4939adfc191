"""TAGS line: finding the block, canonical codes, kinds and meanings (snippets from the corpus)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cabledesk.telegram.model import Tag
from cabledesk.telegram.tags import find_tags, is_known_tag, parse_tags, tag_kind, tag_meaning

# 07MOSCOW104 (seed): the ordinary form.
MOSCOW = (
    "S E C R E T MOSCOW 000104\n\nSIPDIS\n\nE.O. 12958: DECL: 01/12/2016\n"
    "TAGS: PREF PHUM PREL RS KN\nSUBJECT: NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR\n"
)


def test_find_tags_returns_kinds_and_offsets() -> None:
    found = find_tags(MOSCOW, 0, len(MOSCOW))
    assert found is not None
    tags, start, end = found
    assert [t.code for t in tags] == ["PREF", "PHUM", "PREL", "RS", "KN"]
    assert tags[3] == Tag("RS", "geographic")
    assert tags[0].kind == "subject"
    assert MOSCOW[start:end] == "TAGS: PREF PHUM PREL RS KN"


def test_find_tags_searches_only_its_region() -> None:
    start = MOSCOW.index("SUBJECT")
    assert find_tags(MOSCOW, start, len(MOSCOW)) is None


def test_offsets_are_absolute_with_a_region() -> None:
    text = "X" * 50 + "\n" + MOSCOW
    found = find_tags(text, 40, len(text))
    assert found is not None
    assert text[found[1] : found[2]].startswith("TAGS: PREF")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 00HARARE5461 legacy form: no colon, commas.
        ("TAGS PGOV, PINS, ZI, MDC, ZANU-PF\nSUBJECT: X", ["PGOV", "PINS", "ZI", "MDC", "ZANU-PF"]),
        # 92IZMIR819 and 10TELAVIV386 typos of the label.
        ("TAGS;  PGOV, TU \nSUBJ: TERRORIST KILL FOUR", ["PGOV", "TU"]),
        ("TAS: ECON, ETRD, IS, JO \nSUBJECT: JORDAN", ["ECON", "ETRD", "IS", "JO"]),
        # 06TELAVIV687: WikiLeaks glued the E.O. date and the label together.
        (
            "E.O. 12958: DECL: 02/15/2016TAGS: ECON KWBG PGOV\n\n",
            ["ECON", "KWBG", "PGOV"],
        ),
        # 07MADRID2129: the list wraps without a trailing comma.
        (
            "TAGS: ECON EFIN ELAB ETRD KIPR PTER SOCI TBIO SP\nEINV\nSUBJECT: MADRID WEEKLY",
            ["ECON", "EFIN", "ELAB", "ETRD", "KIPR", "PTER", "SOCI", "TBIO", "SP", "EINV"],
        ),
        # 06NEWDELHI3997: a trailing comma continues the list.
        (
            "TAGS: PTER, PREL, PGOV, TBIO,  \nKHIV, IN \nSUBJECT: X",
            ["PTER", "PREL", "PGOV", "TBIO", "KHIV", "IN"],
        ),
        # 06MEXICO1311: the classification line after TAGS is no continuation.
        ("TAGS: PGOV PINR MX\nUNCLAS SECTION 01 OF 02 MEXICO 001311 \n", ["PGOV", "PINR", "MX"]),
        # 09CAIRO1828: codes run together, split against the tables.
        (
            "TAGS: KFRDCVISCMGTCASCKOCIASECPHUMSMIGEG\n",
            ["KFRD", "CVIS", "CMGT", "CASC", "KOCI", "ASEC", "PHUM", "SMIG", "EG"],
        ),
        # 08BEIJING3662: the label itself was lost; a line of codes after the E.O. line.
        (
            "E.O. 12958: N/A\nEFIN, ECON, EINV, PGOV, CH\nSUBJECT: Beijing Welcomes",
            ["EFIN", "ECON", "EINV", "PGOV", "CH"],
        ),
        # 09BEIJING2965: a parenthesised person is unwrapped and keeps its comma.
        (
            "TAGS OVIP (STEINBERG, JAMES B.), PREL, PGOV, PARM, MNUC, \nCH, KN, KS \n",
            ["OVIP", "STEINBERG, JAMES B.", "PREL", "PGOV", "PARM", "MNUC", "CH", "KN", "KS"],
        ),
        # 09SANJOSE297: an official visitor written LAST FIRST after OVIP.
        (
            "TAGS: ECON PINR PREL XK OVIP BIDEN JOSEPH PGOV\n",
            ["ECON", "PINR", "PREL", "XK", "OVIP", "BIDEN, JOSEPH", "PGOV"],
        ),
        # 06TELAVIV145: keyword phrases from the fixes table split a run of plain words.
        (
            "TAGS: PREL PGOV IR IS KPAL PINR ELECTIONS GOI INTERNAL ISRAELI PALESTINIAN "
            "AFFAIRS GOI EXTERNAL\n",
            [
                "PREL",
                "PGOV",
                "IR",
                "IS",
                "KPAL",
                "PINR",
                "ELECTIONS",
                "GOI INTERNAL",
                "ISRAELI PALESTINIAN AFFAIRS",
                "GOI EXTERNAL",
            ],
        ),
        # 09BEIRUT818: a typo fixed from the table; 05OTTAWA3726: SIPDIS is no TAG.
        ("TAGS: PREL MOPPS LE SIPDIS\n", ["PREL", "MOPS", "LE"]),
    ],
)
def test_parse_tags_corpus_forms(text: str, expected: list[str]) -> None:
    assert parse_tags(text) == expected


def test_duplicates_and_run_together_repeats_collapse() -> None:
    # 01VATICAN3507
    text = "TAGS PREL, PHUM, IS, PHUM, IS, VT, VTPREL, VTPREL \nSUBJECT:  THE VATIC"
    assert parse_tags(text) == ["PREL", "PHUM", "IS", "VT"]


def test_page_banner_ends_the_list() -> None:
    # 02ROME3067: a legacy print page banner glued onto the TAGS line.
    text = "TAGS: PREL, ETRD, ETTC, PARM, IT        SECRET       PAGE 02        ROME  03067\n"
    assert parse_tags(text) == ["PREL", "ETRD", "ETTC", "PARM", "IT"]


def test_subject_glued_on_the_continuation_line() -> None:
    # 09LONDON2499
    text = "TAGS: PREL PGOV KPAL\nECON, PHUM, RS, UK SUBJECT: MILIBAND'S RUSSIA TRIP"
    assert parse_tags(text) == ["PREL", "PGOV", "KPAL", "ECON", "PHUM", "RS", "UK"]


def test_without_canonicalize_tags_stay_as_written() -> None:
    text = "TAGS: prel, ITPHUM, ITPHUM, (CLINTON, HILLARY), SIPDIS\n"
    assert parse_tags(text, canonicalize=False) == [
        "PREL",
        "ITPHUM",
        "ITPHUM",
        "(CLINTON, HILLARY)",
        "SIPDIS",
    ]
    assert parse_tags(text) == ["PREL", "IT", "PHUM", "CLINTON, HILLARY"]


def test_no_tags_line() -> None:
    assert parse_tags("SUBJECT: NOTHING HERE\n\n1. (C) Body about tags.") == []
    assert find_tags("NOTHING", 0, 7) is None


def test_plain_words_are_not_cut_into_digraphs() -> None:
    # POLITICS spells PO LI TI CS, all FIPS digraphs; it must stay one keyword.
    assert parse_tags("TAGS: PGOV ITALIAN POLITICS\n") == ["PGOV", "ITALIAN POLITICS"]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("PREL", "subject"),
        ("phum", "subject"),
        ("KDEM", "program"),
        ("kwww", "program"),
        ("RS", "geographic"),
        ("XF", "geographic"),
        ("UN", "organisation"),
        ("NATO", "organisation"),
        ("NASA", "organisation"),
        ("ZANU-PF", "organisation"),
        ("CLINTON, HILLARY", "person"),
        ("HUMAN RIGHTS", "unknown"),
    ],
)
def test_tag_kind(code: str, kind: str) -> None:
    assert tag_kind(code) == kind


def test_tag_kind_default() -> None:
    assert tag_kind("THIS IS UNKNOWN", default="subject") == "subject"
    assert tag_kind("") == "unknown"


def test_tag_meaning_uses_fips_not_iso() -> None:
    assert tag_meaning("RS") == "Russia"  # ISO RS would be Serbia
    assert tag_meaning("CH") == "China"  # ISO CH would be Switzerland
    assert tag_meaning("XF") == "Middle East"
    assert tag_meaning("PREL") is not None
    assert tag_meaning("EUN") == "European Union"
    assert tag_meaning("NOPE") is None


def test_is_known_tag() -> None:
    assert is_known_tag("PREL")
    assert is_known_tag("KZZZ")  # program TAGS are judged by shape
    assert is_known_tag("RICE, CONDOLEEZZA")
    assert not is_known_tag("MOPPS")
    assert not is_known_tag("")


@given(st.text(max_size=300))
def test_parse_tags_never_raises(text: str) -> None:
    for tag in parse_tags("TAGS: " + text):
        assert tag == tag.strip()
        assert tag
