"""Captions and passing lines after the classification line (format.md §5.2)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cabledesk.telegram.captions import find_captions


def _run(text: str) -> tuple[list[str], list[str], int]:
    # callers pass the end of the classification line as start
    first = text.find("\n") + 1
    return find_captions(text, first, len(text))


def test_seed_sipdis() -> None:
    text = "S E C R E T MOSCOW 000104\nSIPDIS\n\nE.O. 12958: DECL: 01/12/2016\nTAGS: PREF"
    caps, handling, end = _run(text)
    assert caps == ["SIPDIS"]
    assert handling == []
    assert text[end:].startswith("\n\nE.O.") or text[end:].startswith("E.O.")


def test_captions_once_in_order_and_passing_lines() -> None:
    text = (
        "C O N F I D E N T I A L SECTION 01 OF 02 MADRID 004314 \n \nSIPDIS \nNOFORN \n"
        "SIPDIS \n \nDEPT FOR EUR/WE \nNSC FOR SENIOR AFRICA DIRECTOR \n"
        "STATE PASS USTR FOR SULLIVAN/LEZNY \n \nE.O. 12958: DECL: 10/11/2016 \nTAGS: PREL"
    )
    caps, handling, end = _run(text)
    assert caps == ["SIPDIS", "NOFORN"]
    assert handling == [
        "DEPT FOR EUR/WE",
        "NSC FOR SENIOR AFRICA DIRECTOR",
        "STATE PASS USTR FOR SULLIVAN/LEZNY",
    ]
    assert "E.O." not in text[:end]


def test_several_captions_on_one_line() -> None:
    for line in ("SENSITIVE, SIPDIS", "SENSITIVE SIPDIS", "SENSITIVE,SIPDIS", "SENSITVE, SIPDIS"):
        caps, handling, _ = _run(f"UNCLAS LONDON 000123\n{line}\nE.O. 12958: N/A\n")
        assert caps == ["SENSITIVE", "SIPDIS"], line
        assert handling == []


def test_multiword_captions() -> None:
    caps, _, _ = _run(
        "UNCLAS STATE 000001\nSENSITIVE BUT UNCLASSIFIED\nFOR OFFICIAL USE ONLY\nTAGS: X"
    )
    assert caps == ["SENSITIVE BUT UNCLASSIFIED", "FOR OFFICIAL USE ONLY"]
    caps, _, _ = _run("S E C R E T STATE 000001\nSPECAT EXCLUSIVE\nNODIS\nE.O. 12958: DECL: X1")
    assert caps == ["SPECAT EXCLUSIVE", "NODIS"]


def test_corrected_copy() -> None:
    text = (
        "C O N F I D E N T I A L TEL AVIV 004462 \n \n"
        "- - C O R R E C T E D  C O P Y - - CLASSIFIED BY LINE ADDED \n \nE.O. 12958: DECL: 08/24/05 \n"
    )
    caps, handling, _ = _run(text)
    assert caps == ["- - C O R R E C T E D C O P Y - - CLASSIFIED BY LINE ADDED"]
    assert handling == []
    caps, _, _ = _run(
        "S E C R E T TEHRAN 2077 \n \nC O R R E C T E D C O P Y ( FIRST PARAGRAPH) \n \nTAGS: X"
    )
    assert caps == ["C O R R E C T E D C O P Y ( FIRST PARAGRAPH)"]


def test_glued_one_line_record() -> None:
    # cables.csv record: everything on one line (06THEHAGUE131)
    text = (
        "C O N F I D E N T I A L THE HAGUE 000131   SIPDIS   SIPDIS   STATE FOR EUR/UBI, EUR/RPM, SA"
        "   E.O. 12958: DECL: 01/19/2016  "
    )
    start = text.index("000131") + 6
    caps, handling, end = find_captions(text, start, len(text))
    assert caps == ["SIPDIS"]
    assert handling == ["STATE FOR EUR/UBI, EUR/RPM, SA"]
    assert text[end:].startswith("E.O.")


def test_glued_without_spaces() -> None:
    # 08RIYADH732: WikiLeaks joined lines with nothing between them
    text = (
        "RIYADH 000732SENSITIVE SIPDISNEA FOR DAS GGRAY TREASURY PASS TO A/S CLOWERY"
        "E.O. 12958: DECL: 05/07/2018TAGS: EPET"
    )
    caps, handling, end = find_captions(text, text.index("000732") + 6, len(text))
    assert caps == ["SENSITIVE", "SIPDIS"]
    assert handling == ["NEA FOR DAS GGRAY TREASURY PASS TO A/S CLOWERY"]
    assert text[end:].startswith("E.O.")


def test_trailing_captions_after_passing_line() -> None:
    caps, handling, _ = _run(
        "UNCLAS BRASILIA 000001\nSOUTHCOM ALSO FOR POLAD SENSITIVE SIPDIS\nE.O. 12958: N/A"
    )
    assert caps == ["SENSITIVE", "SIPDIS"]
    assert handling == ["SOUTHCOM ALSO FOR POLAD"]


def test_stops_at_tags_subject_or_paragraph() -> None:
    caps, handling, _ = _run("UNCLAS X 000001\nSIPDIS\nTAGS: PREL\nSUBJECT: NOFORN THINGS\n")
    assert (caps, handling) == (["SIPDIS"], [])
    caps, handling, _ = _run("UNCLAS X 000001\n\n1. (U) SENSITIVE matters were discussed.\n")
    assert (caps, handling) == ([], [])


def test_empty_block() -> None:
    text = "UNCLAS X 000001\nE.O. 12958: N/A\n"
    first = text.find("\n") + 1
    assert find_captions(text, first, len(text)) == ([], [], first)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_never_raises_and_end_in_range(body: str) -> None:
    text = "UNCLAS X 000001\n" + body
    caps, handling, end = find_captions(text, 16, len(text))
    assert 16 <= end <= len(text)
    assert len(caps) == len(set(caps))


def test_vatican_message_number_and_digit_zero_eo() -> None:
    # 01VATICAN1261: passing lines between blank lines, "E.0." with a digit zero
    text = (
        "C O N F I D E N T I A L VATICAN 001261 \n\nSIPDIS \n\n"
        "DEPT. FOR EUR/WE (VAN CLEVE); DEPT FOR AF/C \n\n"
        "FROM EMBASSY VATICAN/MESSAGE NO. 31/01 \n\nE.0. 12958: DECL: 03/05/11 \nTAGS: PREL\n"
    )
    caps, handling, end = _run(text)
    assert caps == ["SIPDIS"]
    assert handling == [
        "DEPT. FOR EUR/WE (VAN CLEVE); DEPT FOR AF/C",
        "FROM EMBASSY VATICAN/MESSAGE NO. 31/01",
    ]
    assert text[end:].lstrip().startswith("E.0. 12958")
