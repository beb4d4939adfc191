"""clean_content: body text without cable artefacts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cabledesk.telegram.clean import clean_content


def test_paragraph_numbers_marks_and_redactions() -> None:
    text = "¶1. (S) XXXXXXXXXXXX told us.\n2.(SBU) Fine.\n3. Plain.\n"
    assert clean_content(text) == "told us.\nFine.\nPlain.\n"


def test_roman_numerals_and_words_with_x_stay() -> None:
    text = "Pope Benedict XVI in the XXI century met ExxonMobil and the XXXIV Congress."
    assert clean_content(text) == text


def test_page_marker_and_sipdis_lines_go_with_the_blank_line_before() -> None:
    text = "Judicial\n\nMADRID 00000552 002.2 OF 011\n\nAuthority.\nBest\n\nSIPDIS\ninterests"
    assert clean_content(text) == "Judicial\n\nAuthority.\nBest\ninterests"


def test_openers_closers_and_rules() -> None:
    text = "1. (C) Comment: The GOB agreed.  End Comment. \n-----\nHeading\n-----\n"
    assert clean_content(text) == "The GOB agreed.  \n\nHeading\n\n"


def test_text_without_artefacts_unchanged() -> None:
    text = "The delegation met on 5 May. It agreed on 1.5 million.\n"
    assert clean_content(text) == text


@given(st.text(alphabet="abcd .,\n", max_size=100))
def test_plain_text_is_a_fixed_point(text: str) -> None:
    assert clean_content(text) == text
