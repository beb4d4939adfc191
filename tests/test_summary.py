"""Summary paragraphs (snippets from the corpus)."""

from __future__ import annotations

from pathlib import Path

from cabledesk.telegram.summary import find_summary, parse_summary


def test_summary_in_numbered_paragraph_with_offsets() -> None:
    # 08MADRID552
    text = (
        "¶1. (U) SUMMARY. President Zapatero's center-left Spanish\n"
        "Socialist Workers' Party (PSOE) was the victor.  END SUMMARY.\n\n¶2. (U) Next.\n"
    )
    found = find_summary(text, 0, len(text))
    assert found is not None
    summary, start, end = found
    assert summary == (
        "President Zapatero's center-left Spanish\nSocialist Workers' Party (PSOE) was the victor."
    )
    assert text[start:end].startswith("President") and text[end:].startswith("  END SUMMARY")


def test_heading_summary_without_end_marker_stops_at_blank_line() -> None:
    text = "SUMMARY\n-------\n\n1. (C) The GOB asked IOM.\n\n2. (U) Training.\n"
    assert parse_summary(text) == "The GOB asked IOM."


def test_summary_ends_at_inline_rule() -> None:
    # 08MANAMA492
    text = "1.(C) Summary: The GOB [...]. -------- Training --------\n\n2.(U) Bah"
    assert parse_summary(text) == "The GOB [...]."


def test_only_end_marker_takes_first_numbered_paragraph() -> None:
    text = "Classified By: X for reasons 1.4 (b).\n\n1. (C) German FM told us.  END SUMMARY.\n"
    assert parse_summary(text) == "German FM told us."


def test_summary_over_several_paragraphs() -> None:
    text = (
        "1. (S//NF) SUMMARY AND COMMENT: During a visit\n\n2. (C) EU states praised\n\n"
        "3. (C) The content. END SUMMARY AND COMMENT.\n"
    )
    assert parse_summary(text) == "During a visit\nEU states praised\nThe content."


def test_end_marker_split_over_lines_is_not_an_opener() -> None:
    text = "\n1. On 28 July 2008\n[...]. End\nSummary.\n\nTHE CIVIL SOCIETY\n---------\n"
    assert parse_summary(text) == "On 28 July 2008\n[...]."


def test_no_summary() -> None:
    assert parse_summary("1. (C) Nothing to sum up here.\n") is None
    assert parse_summary("The summary of the talks was brief.") is None
    assert find_summary("SUMMARY: x. END SUMMARY.", 10, 24) is None


def test_region_is_respected() -> None:
    text = "SUMMARY: outside.\n\n1. (C) Summary: inside. End Summary.\n"
    found = find_summary(text, 18, len(text))
    assert found is not None and found[0] == "inside."


def test_sample_cable(sample_dir: Path) -> None:
    text = (sample_dir / "00HARARE5461.txt").read_text(encoding="utf-8")
    summary = parse_summary(text)
    assert summary is not None
    assert summary.startswith("ACCORDING TO A SENIOR MDC ADVISOR")
    assert summary.endswith("ZIMBABWE’S CURRENT MESS.")


def test_introduction_and_summary_with_split_closer() -> None:
    # 09SANJOSE969
    text = (
        "¶1.  (C) INTRODUCTION AND SUMMARY.  Costa Rica's Foreign Trade\nMinistry informed us."
        "  End Introduction and \nSummary. \n \n \nWHY SKATE BY ANOTHER DEADLINE AGAIN?\n"
    )
    assert parse_summary(text) == "Costa Rica's Foreign Trade\nMinistry informed us."


def test_backslash_continuation_lines() -> None:
    # 07BERN130: a release with a backslash at every line end
    text = (
        "------- \\\nSummary \\\n------- \\\n \\\n1.(C) Swiss FM Calmy-Rey met \\\n"
        "Larijani.  End \\\nsummary. \\\n \\\n"
    )
    assert parse_summary(text) == "Swiss FM Calmy-Rey met\nLarijani."


def test_opener_after_a_glued_page_marker() -> None:
    # 09LONDON1886
    text = "LONDON 00001886  001.2 OF 004    1.  (SBU) Summary.  London-based bank analysts.\n\n"
    assert parse_summary(text) == "London-based bank analysts."


def test_heading_glued_to_a_line_end_and_spaced_mark() -> None:
    # 08MANAMA138, 09TRIPOLI222
    text = (
        "1.(U) The following is a reissuance. ------- SUMMARY -------\n\n"
        "¶2. (S) Central Bank governor told us. End Summary.\n"
    )
    assert parse_summary(text) == "Central Bank governor told us."
    assert parse_summary("¶1. (C ) Summary: Al-Mahmoudi opened it.\n\n¶2. x") == (
        "Al-Mahmoudi opened it."
    )


def test_second_opener_before_a_closer_ends_the_first_summary() -> None:
    # 06LIMA4516: a truncated copy of the body, then the whole record again
    text = (
        "Summary:\n--------\n\n¶1.  (SBU) Ayacucho's economy turns on narcotr...\n\n"
        "id: 87334\nheader:\nSummary:\n--------\n\n¶1.  (SBU) Ayacucho's economy. End Summary.\n"
    )
    assert parse_summary(text) == "Ayacucho's economy turns on narcotr..."


def test_summary_crossing_a_page_break() -> None:
    text = (
        "¶1. (C) Summary: The Minister met us in\n\nMADRID 00000552 002.2 OF 011\n\n\n"
        "his office. End\n\nMADRID 00000552 003.2 OF 011\n\nSummary.\n"
    )
    assert parse_summary(text) == "The Minister met us in\nhis office."


def test_double_spaced_summary_runs_past_the_line_spacing() -> None:
    # 09BUENOSAIRES811: a blank line after every line; two blank lines end the paragraph
    lines = [f"line {i} of the text" for i in range(12)]
    text = (
        "1. (SBU) Summary: Argentina experienced increased drug trafficking \n\n"
        "pressure during 2009. \n\n"
        + "\n\n".join(lines)
        + "\n\n\n2. (SBU) Next paragraph \n\nwith more \n\n\n3. (U) Last \n\nline \n\n\n"
        + "\n\n".join(lines)
        + "\n\n\n\n"
        + "\n\n".join(lines)
    )
    summary = parse_summary(text)
    assert summary is not None
    assert summary.startswith("Argentina experienced increased drug trafficking\npressure")
    assert summary.endswith("line 11 of the text")


def test_single_spaced_summary_still_stops_at_a_blank_line() -> None:
    text = "1. (C) Summary: First line\nsecond line.\n\nNot the summary.\n\n2. (C) Next.\n"
    assert parse_summary(text) == "First line\nsecond line."


def test_summary_heading_before_a_line_separator() -> None:
    # 06MEXICO2220: ``SUMMARY AND INTRODUCTION \u2028`` underlined
    text = (
        "------------------------ \n"
        "SUMMARY AND INTRODUCTION \u2028\n"
        "------------------------ \n\n"
        "1. (SBU) Whoever wins the election will inherit it.\n\n"
        "2. (SBU) Next.\n"
    )
    assert parse_summary(text) == "Whoever wins the election will inherit it."


def test_lower_case_hits_scan_from_the_first_one() -> None:
    from cabledesk.telegram.summary import _hits

    text = "ummary. Summary: x. summary and SUMMARY"
    assert _hits(text, 0, len(text)) == [8, 20, 32]
    assert _hits(text, 9, len(text)) == [20, 32]  # a word cut by ``start`` is not taken
    assert _hits(text, 21, len(text)) == [32]
