"""SUBJECT line and title-casing (snippets from the corpus)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cabledesk.telegram.subject import find_subject, parse_subject, subject_from_html, titlefy


def test_find_subject_with_mark_and_offsets() -> None:
    # 08LONDON2025
    text = (
        'TAGS: PREL SU UK\nSUBJECT: (C/NF) SUDAN/UNAMID: UK "PERPLEXED" OVER USG\n'
        "\nClassified By: Political Counselor\n"
    )
    found = find_subject(text, 0, len(text))
    assert found is not None
    subject, mark, start, end = found
    assert subject == 'SUDAN/UNAMID: UK "PERPLEXED" OVER USG'
    assert mark == "C/NF"
    assert text[start:end].startswith("SUBJECT: (C/NF)")
    assert text[end] == "\n"


def test_find_subject_searches_only_its_region() -> None:
    text = "SUBJECT: ONE\n\nBODY"
    assert find_subject(text, 5, len(text)) is None


def test_continuation_lines_join() -> None:
    # 08STATE85615
    text = "SUBJECT: TFGG01 AUTHORIZED DEPARTURE FROM TBLISI,\nGEORGIA\n\nREF: STATE 85000"
    assert parse_subject(text) == "TFGG01 AUTHORIZED DEPARTURE FROM TBLISI, GEORGIA"


def test_glued_ref_and_classified_by_stop_the_subject() -> None:
    # 09BUJUMBURA302-style glued lines (format.md §5.4)
    text = (
        "SUBJECT: THE KNIVES COME OUT? NATIONALIZATION OF SAIF AL-ISLAM'S MEDIA GROUP "
        "REF: A) TRIPOLI 359 CLASSIFIED BY: Gene A. Cretz, Ambassador"
    )
    assert parse_subject(text) == (
        "THE KNIVES COME OUT? NATIONALIZATION OF SAIF AL-ISLAM'S MEDIA GROUP"
    )


def test_smart_page_marker_inside_the_line() -> None:
    # 09TRIPOLI584: the page marker must not swallow the words before the station name.
    text = (
        "SUBJECT: BEYOND LOCKERBIE: WRITING THE NEXT CHAPTER OF THE US-LIBYA RELATIONSHIP "
        "TRIPOLI 00000584 001.2 OF 003 CLASSIFIED BY: Joan Polaschik"
    )
    assert parse_subject(text) == (
        "BEYOND LOCKERBIE: WRITING THE NEXT CHAPTER OF THE US-LIBYA RELATIONSHIP"
    )


def test_legacy_page_break_inside_the_subject() -> None:
    # 00HARARE6677: banner and page header between the two halves of the subject.
    text = (
        "SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE \n CONFIDENTIAL\n"
        "PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER\nREFTEL: HARARE 6584\n"
    )
    assert parse_subject(text) == "ASSISTANT SECRETARY MEETS WITH ZIMBABWE OPPOSITION LEADER"


def test_sentence_case_after_a_capitals_subject_is_body() -> None:
    # 09LONDON2311: the second line runs into Classified By in sentence case.
    text = (
        "SUBJECT: (SBU) BRITISH PERSPECTIVES ON THE WAY FORWARD IN \n"
        "AFGHANISTAN  - COUNTING ON U.S. LEADERSHIP  Classified By: Robin Quinville\n"
    )
    assert parse_subject(text) == (
        "BRITISH PERSPECTIVES ON THE WAY FORWARD IN AFGHANISTAN - COUNTING ON U.S. LEADERSHIP"
    )
    assert parse_subject(text, clean=False).startswith("(SBU) BRITISH")


def test_mail_wrapper_subject_is_skipped() -> None:
    # 08TRIPOLI126: an e-mail header wraps the cable.
    text = (
        "Sent: Monday, February 18, 2008 9:42 PM\nTo: EACTTripoli\n"
        "Subject: TRIPOLI 00000126 R UN 18-FEB-08 WAHDA BANK PRIVATIZATION BID\n\n"
        "UNCLAS\nTAGS: ECON LY\nSUBJECT: WAHDA BANK PRIVATIZATION BID WON BY ARAB BANK \n\n"
    )
    assert parse_subject(text) == "WAHDA BANK PRIVATIZATION BID WON BY ARAB BANK"


def test_correction_caption_is_no_label() -> None:
    text = "C O R R E C T E D COPY (SUBJECT LINE)\n\nTAGS: CH\n\nSUBJECT: DEMARCHE \n\n"
    assert parse_subject(text) == "DEMARCHE"


def test_no_subject() -> None:
    assert parse_subject("E.O. 12958: N/A \nTAGS: KIPR ECON\n\n1. (U) The subject: none.") == ""


def test_subject_from_html() -> None:
    page = (
        "<html><body><h3>Viewing cable</h3><code><pre>VZCZCXYZ0000</pre></code>"
        "<code><pre>UNCLAS SECTION 01 OF 02 MADRID 000001&#x000A;&#x000A;"
        "TAGS: ECON SP&#x000A;SUBJECT: SPAIN&#8217;S <a href='#'>ECONOMY</a> &amp; JOBS&#x000A;"
        "&#x000A;1. (U) Text.</pre></code></body></html>"
    )
    assert subject_from_html(page) == "SPAIN’S ECONOMY & JOBS"
    assert subject_from_html("<html>no cable</html>") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "NEW ZEALAND: WHAT NUCLEAR ISSUE? PM CLARK",
            "New Zealand: What Nuclear Issue? PM Clark",
        ),
        ("COTE D'IVOIRE: UK ON ELECTIONS", "Cote D'Ivoire: UK on Elections"),
        ("63RD UN GENERAL ASSEMBLY", "63rd UN General Assembly"),
        ("THE NEW GERMAN CABINET - AN OVERVIEW", "The New German Cabinet - An Overview"),
        (
            "EUR DAS KRAMER’S MEETING WITH XXXXXXXXXXXX",
            "EUR DAS Kramer’s Meeting With XXXXXXXXXXXX",
        ),
        ("Scenesetter for DoD Visit", "Scenesetter for DoD Visit"),
        ("CWS/BWC: CLOSE ALLIES", "CWS/BWC: Close Allies"),
    ],
)
def test_titlefy(text: str, expected: str) -> None:
    assert titlefy(text) == expected


@given(st.text(alphabet=st.characters(codec="ascii") | st.sampled_from("’“”–—¶"), max_size=120))
def test_titlefy_changes_case_only(text: str) -> None:
    """Subjects are ASCII plus typographic punctuation; title-casing only changes case."""
    out = titlefy(text)
    assert len(out) == len(text.strip())
    assert all(a.lower() == b.lower() or a == b for a, b in zip(out, text.strip(), strict=True))


@given(st.text(max_size=400))
def test_parse_subject_never_raises(text: str) -> None:
    result = parse_subject("SUBJECT: " + text)
    assert result == result.strip()


def test_smart_mail_wrapper_subject_is_unwrapped() -> None:
    # 09TRIPOLI63: only the e-mail wrapper carries the subject.
    text = (
        "Sent: Wednesday, January 28, 2009 5:12 PM\nTo: EACTTripoli\n"
        "Subject: TRIPOLI 00000063 P CO 28-JAN-09 RISKY BUSINESS? AMERICAN\n"
        "CONSTRUCTION FIRM ENTERS JOINT VENTURE WITH GOL [8466936]\n\nCONFIDENTIAL\n"
    )
    assert parse_subject(text) == (
        "RISKY BUSINESS? AMERICAN CONSTRUCTION FIRM ENTERS JOINT VENTURE WITH GOL"
    )
