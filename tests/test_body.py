"""Body of a cable: break lines, paragraphs, redactions, comments (snippets from the corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cabledesk.telegram.body import find_paragraphs
from cabledesk.telegram.breaks import find_breaks
from cabledesk.telegram.spans import find_comments, find_redactions, is_truncated


def _paras(text: str, start: int = 0, end: int | None = None):  # type: ignore[no-untyped-def]
    end = len(text) if end is None else end
    return find_paragraphs(text, start, end, find_breaks(text, start, end))


# --- breaks ---------------------------------------------------------------------------------


def test_smart_page_marker_on_its_own_line_and_offsets() -> None:
    # 08MADRID552
    text = (
        "appointed spokesperson of the General Council of Judicial\n\n"
        "MADRID 00000552 002.2 OF 011\n\n\nAuthority.\n"
    )
    (b,) = find_breaks(text, 0, len(text))
    assert b.kind == "page"
    assert text[b.start : b.end] == "MADRID 00000552 002.2 OF 011"
    assert b.text == "MADRID 00000552 002.2 OF 011"


def test_smart_page_marker_glued_mid_line() -> None:
    # 08MANAMA492
    text = "IOM will seek a six month, MANAMA 00000492 002 OF 002 no-cost extension"
    (b,) = find_breaks(text, 0, len(text))
    assert text[b.start : b.end] == "MANAMA 00000492 002 OF 002"


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("the BJP\nNEW DELHI 00002587 002 OF 012\ninto force", "NEW DELHI 00002587 002 OF 012"),
        # a glued heading before the station: the station field is at most 10 characters
        (
            "HANDICAPPING THE FIELD TRIPOLI 00000467  002.2 OF 003 The",
            "TRIPOLI 00000467  002.2 OF 003",
        ),
        ("lauded Sharif TRIPOLI 00000561 002.2 OF 002 statements", "TRIPOLI 00000561 002.2 OF 002"),
    ],
)
def test_smart_station_names(text: str, marker: str) -> None:
    (b,) = find_breaks(text, 0, len(text))
    assert text[b.start : b.end] == marker


def test_legacy_page_line_takes_the_page_foot_classification() -> None:
    # 00HARARE5461
    text = (
        "AT THE SAME TIME, THEY REALIZE  CONFIDENTIAL\n"
        "PAGE 03 HARARE 05461 01 OF 02 271458Z THAT THE MDC IS GAINING STRENGTH"
    )
    (b,) = find_breaks(text, 0, len(text))
    assert b.kind == "page"
    assert text[b.start : b.end] == "  CONFIDENTIAL\nPAGE 03 HARARE 05461 01 OF 02 271458Z "
    (p,) = _paras(text)
    assert p.text == "AT THE SAME TIME, THEY REALIZE\nTHAT THE MDC IS GAINING STRENGTH"


def test_legacy_section_header_block_is_one_section_break() -> None:
    path = Path(__file__).parent / "data" / "sample" / "00HARARE5461.txt"
    text = path.read_text(encoding="utf-8")
    start = text.index("¶1. (C)")
    breaks = find_breaks(text, start, len(text))
    sections = [b for b in breaks if b.kind == "section"]
    assert len(sections) == 1
    sec = text[sections[0].start : sections[0].end]
    assert sec.lstrip().startswith("CONFIDENTIAL\n CONFIDENTIAL PTQ2532\nPAGE 01 HARARE 05461 02")
    assert "C O N F I D E N T I A L SECTION 02 OF 02 HARARE 005461" in sec
    assert sec.endswith("TAGS: PGOV PINS ZI MDC ZANU PF")
    assert text[sections[0].end :].startswith("\nPOLITICAL PARTIES.")
    assert [b.kind for b in breaks].count("page") == 5
    assert [b.kind for b in breaks].count("caption") == 1  # "BEST\nSIPDIS INTERESTS"
    paras = find_paragraphs(text, start, text.index("\nMCDONALD"), breaks)
    five = next(p for p in paras if p.number == 5)
    assert "BOTH MAJOR\nPOLITICAL PARTIES. THE CHALLENGE" in five.text
    assert "PTQ" not in five.text and "PAGE" not in five.text
    two = next(p for p in paras if p.number == 2)
    assert "ZIMBABWE’S BEST\nINTERESTS FOR THE MDC" in two.text


def test_modern_section_start_line() -> None:
    # 90CAPETOWN97-style section header inside the body
    text = (
        "END OF SECTION ONE TEXT.\n\n"
        "C O N F I D E N T I A L SECTION 02 OF 03 CAPE TOWN 00097 \n \n"
        "LONDON FOR KOLKER, PARIS FOR FENDRICK \n \n"
        "E.O. 12356:  DECL:  OADR \nTAGS: PGOV PHUM SF\n"
        "SUBJECT:  ESSA MOOSA TALKS ABOUT MANDELA AND OTHER TOPICS \n \n \n"
        "MORE TEXT.\n"
    )
    (b,) = find_breaks(text, 0, len(text))
    assert b.kind == "section"
    assert text[b.start : b.end].startswith("C O N F I D E N T I A L SECTION 02 OF 03")
    assert text[b.start : b.end].rstrip().endswith("OTHER TOPICS")


def test_sipdis_caption_only_at_line_start() -> None:
    text = "Kasasbeh, an\n\nSIPDIS\nexperienced technocrat. The SIPDIS flag is set."
    (b,) = find_breaks(text, 0, len(text))
    assert b.kind == "caption"
    assert text[b.start : b.end].startswith("SIPDIS")
    (p,) = _paras(text)
    assert p.text == "Kasasbeh, an\nexperienced technocrat. The SIPDIS flag is set."


def test_breaks_respect_region() -> None:
    text = "MADRID 00000552 001.2 OF 011\n\n¶1. (U) Text.\n"
    assert find_breaks(text, 30, len(text)) == []


# --- paragraphs -----------------------------------------------------------------------------


def test_seed_paragraphs(seed_text: str) -> None:
    start = seed_text.index("¶1. (S)")
    end = seed_text.index("RUSSELL")
    paras = _paras(seed_text, start, end)
    assert [(p.number, p.mark) for p in paras] == [(1, "S"), (2, "S"), (3, "S")]
    assert paras[0].text.startswith("XXXXXXXXXXXX told us January 12 that\nXXXXXXXXXXXX was")
    assert paras[2].text.startswith("COMMENT: Based on")
    assert paras[2].text.endswith("END \nCOMMENT.")
    assert seed_text[paras[0].start : paras[0].start + 7] == "¶1. (S)"
    assert seed_text[paras[2].end - 8 : paras[2].end] == "COMMENT."


@pytest.mark.parametrize(
    ("line", "number", "mark", "text"),
    [
        ("¶1. (S) Text one.", 1, "S", "Text one."),
        ("1. (C) Text one.", 1, "C", "Text one."),
        ("1.(SBU) Text one.", 1, "SBU", "Text one."),
        ("1.(S/NF) Text one.", 1, "S/NF", "Text one."),
        ("1. (S//NF) Text one.", 1, "S//NF", "Text one."),
        ("¶1.  (C)  UPPER CASE TEXT.", 1, "C", "UPPER CASE TEXT."),
        ("1. No mark here.", 1, None, "No mark here."),
        ("1. C) Half a mark.", 1, "C", "Half a mark."),
    ],
)
def test_paragraph_prefix_forms(line: str, number: int, mark: str | None, text: str) -> None:
    (p,) = _paras(line)
    assert (p.number, p.mark, p.text) == (number, mark, text)


def test_wikileaks_pilcrow_year_is_text_not_a_paragraph() -> None:
    # 08MADRID552: WikiLeaks put a pilcrow before every line starting NNNN.
    text = (
        "¶12. (U) He was named Minister of Economy and Finance in\n"
        "¶1993. In September 1999, Solbes became the European\nCommissioner.\n\n"
        "¶13. (U) Pedro Solbes was born in Pinoso.\n"
    )
    paras = _paras(text)
    assert [p.number for p in paras] == [12, 13]
    assert paras[0].text == (
        "He was named Minister of Economy and Finance in\n1993. In September 1999, Solbes "
        "became the European\nCommissioner."
    )


def test_number_must_follow_the_sequence() -> None:
    text = "1. First.\n\n2. Second.\n\n7. Seven is a list item.\n\n3. Third.\n"
    paras = _paras(text)
    assert [p.number for p in paras] == [1, 2, None, 3]


def test_repeated_number_with_mark_is_a_paragraph() -> None:
    # 08MANAMA492: "¶8. (C) ..." followed by "8.(C) Comment: ..."
    text = "¶8. (C) State is funding IOM.\n\n8.(C) Comment: General Zayani.\n"
    assert [(p.number, p.text) for p in _paras(text)] == [
        (8, "State is funding IOM."),
        (8, "Comment: General Zayani."),
    ]


def test_summary_above_paragraph_one_and_headings() -> None:
    # 00HARARE5461 (legacy) shape
    text = (
        "SUMMARY\n------- \n\n¶1. (C) ACCORDING TO A SENIOR MDC ADVISOR. END SUMMARY.\n\n"
        "ZANU-PF SEES WRITING ON WALL, WANTS A DEAL\n------------------------------------------ \n\n"
        "¶2. (C) IN A SEPTEMBER 26 CALL.\n"
        "COMMENT\n------- \n¶3. (C) MANY MEMBERS.\n"
    )
    paras = _paras(text)
    assert [(p.number, p.text) for p in paras] == [
        (None, "SUMMARY"),
        (1, "ACCORDING TO A SENIOR MDC ADVISOR. END SUMMARY."),
        (None, "ZANU-PF SEES WRITING ON WALL, WANTS A DEAL"),
        (2, "IN A SEPTEMBER 26 CALL."),
        (None, "COMMENT"),
        (3, "MANY MEMBERS."),
    ]


def test_inline_heading_glued_to_a_paragraph_end() -> None:
    # 08MANAMA492
    text = "1.(C) Summary: The GOB asked IOM. -------- Training --------\n\n2.(U) Bahrain.\n"
    paras = _paras(text)
    assert [(p.number, p.text) for p in paras] == [
        (1, "Summary: The GOB asked IOM."),
        (None, "Training"),
        (2, "Bahrain."),
    ]
    assert text[paras[1].start : paras[1].end] == "-------- Training --------"


def test_headings_underlined_without_dashes() -> None:
    # The reader checks once which rule strings the body holds (``---``, ``===``, ``___``) and
    # skips the others: a body ruled only with ``=`` and ``_`` still has its headings.
    text = (
        "\nSUMMARY\n=======\n\n1. (C) First point.\n\n"
        "Background\n__________\n\n2. (C) Second point.\n"
    )
    paras = _paras(text)
    assert [(p.number, p.mark, p.text) for p in paras] == [
        (None, None, "SUMMARY"),
        (1, "C", "First point."),
        (None, None, "Background"),
        (2, "C", "Second point."),
    ]
    assert text[paras[0].start : paras[0].end] == "SUMMARY\n======="
    assert text[paras[2].start : paras[2].end] == "Background\n__________"


def test_lettered_sub_items_stay_in_their_paragraph() -> None:
    text = (
        "2.(S/NF) Details of the incident follow:\n\n"
        "A) The material is stationary.\n\nB) It is suspected uranium.\n\n"
        "-- a dash item\n\n(C) not a mark but a letter item\n\n"
        "AA) Individuals involved.\n\n3.(SBU) Action officer.\n"
    )
    paras = _paras(text)
    assert [p.number for p in paras] == [2, 3]
    assert "AA) Individuals involved." in paras[0].text
    assert paras[0].text.startswith("Details of the incident follow:")


def test_unnumbered_single_paragraph_keeps_its_mark() -> None:
    # 09MANAMA599: a single paragraph is not numbered (5 FAH-1 H-246.2) but marked
    (p,) = _paras("(C) CDA made ref A points on Iran.\n")
    assert (p.number, p.mark, p.text) == (None, "C", "CDA made ref A points on Iran.")


def test_page_break_between_paragraphs_does_not_join_numbers() -> None:
    text = "¶13. (U) He speaks French.\n\nMADRID 00000552 003.2 OF 011\n\n\n¶14. (U) Moratinos.\n"
    paras = _paras(text)
    assert [(p.number, p.text) for p in paras] == [(13, "He speaks French."), (14, "Moratinos.")]


@given(st.text(alphabet="abc XY1.()¶-\n:SCU", max_size=200))
def test_paragraphs_never_overlap_and_lie_in_region(text: str) -> None:
    paras = _paras(text)
    last = 0
    for p in paras:
        assert 0 <= p.start <= p.end <= len(text)
        assert p.start >= last
        last = p.end
        assert p.text == p.text.strip()


# --- redactions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("XXXXXXXXXXXX told us", ["XXXXXXXXXXXX"]),
        ("at xxxxxxxxxxxx, cell xxxx", ["xxxxxxxxxxxx", "xxxx"]),
        ("businessmanXXXXXXXXXXXX said", ["XXXXXXXXXXXX"]),
        ("Fax XXX, e-mail XXXX.", ["XXX", "XXXX"]),
        ("Pope Benedict XVI in the XXI century", []),
        ("the XXXIV Congress and XXXV", []),
        ("ExxonMobil and Foxx", []),
    ],
)
def test_redactions(text: str, found: list[str]) -> None:
    assert [text[s.start : s.end] for s in find_redactions(text, 0, len(text))] == found


def test_redactions_bounded() -> None:
    text = "XXXXXXXX and XXXXXXXX"
    spans = find_redactions(text, 9, len(text))
    assert [(s.start, s.end) for s in spans] == [(13, 21)]
    # a run cut by the region start is clipped to the region
    spans = find_redactions(text, 4, 12)
    assert [(s.start, s.end) for s in spans] == [(4, 8)]


# --- comments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "¶3. (S) COMMENT: Based on this. END \nCOMMENT. \nRUSSELL",
            ["COMMENT: Based on this. END \nCOMMENT."],
        ),
        (
            "SWEETEN THE DEAL. (COMMENT: THE BRITISH SCOFFED. END COMMENT.)\n",
            ["(COMMENT: THE BRITISH SCOFFED. END COMMENT.)"],
        ),
        ("Text. Comment: blah. End comment. More", ["Comment: blah. End comment."]),
        ("BEGIN COMMENT the x. END COMMENT", ["BEGIN COMMENT the x. END COMMENT"]),
        (
            "Embassy Comment: abc. End Embassy Comment.",
            ["Embassy Comment: abc. End Embassy Comment."],
        ),
        ("He declined to comment. No comment: here.", []),
    ],
)
def test_comments(text: str, found: list[str]) -> None:
    assert [text[s.start : s.end] for s in find_comments(text, 0, len(text))] == found


def test_unterminated_comment_runs_to_paragraph_end() -> None:
    text = "8.(C) Comment: General Zayani is important.\nNot only that.\n\n9. (C) Next.\n"
    (c,) = find_comments(text, 0, len(text))
    assert text[c.start : c.end] == "Comment: General Zayani is important.\nNot only that."


def test_multi_paragraph_comment() -> None:
    text = "¶9. (C) Comment: One.\n\n¶10. (C) Two. End Comment.\n"
    (c,) = find_comments(text, 0, len(text))
    assert text[c.start : c.end] == "Comment: One.\n\n¶10. (C) Two. End Comment."


# --- truncation -----------------------------------------------------------------------------


def test_truncated(sample_dir: Path) -> None:
    text = (sample_dir / "08VLADIVOSTOK68.txt").read_text(encoding="utf-8")
    assert is_truncated(text)
    assert not is_truncated((sample_dir / "08MANAMA492.txt").read_text(encoding="utf-8"))
    assert not is_truncated("END COMMENT.\nRUSSELL\n")


def test_comment_closed_by_end_summary_and_comment() -> None:
    # 05ISTANBUL329
    text = "¶1. Comment: Although the shelter is full. End summary and comment. Then"
    (c,) = find_comments(text, 0, len(text))
    assert text[c.end - 8 : c.end] == "comment."


def test_comment_heading_is_not_an_opener() -> None:
    # 07LIMA2129: "Comment: Decentralization, Venezuela, and Democracy" underlined
    text = "Comment: Decentralization, Venezuela, and Democracy\n-------------\n\n¶9. (C) Text."
    assert find_comments(text, 0, len(text)) == []


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # 06SAOPAULO676: the caption inserted mid-sentence
        ('coordination among the 31 assistant SIPDIS mayoralties ("subprefeituras")', True),
        # 08STATE98975: the text talks about the caption
        ("Please include SIPDIS in all replies.", False),
        ("Please use SIPDIS caption on all responses.", False),
    ],
)
def test_sipdis_mid_line(text: str, cut: bool) -> None:
    breaks = find_breaks(text, 0, len(text))
    assert bool(breaks) is cut
    (p,) = find_paragraphs(text, 0, len(text), breaks)
    assert ("SIPDIS" in p.text) is not cut
    assert "  " not in p.text


def test_double_spaced_rendering() -> None:
    # 06BUENOSAIRES1632: a blank line after every line, two or more between paragraphs
    lines = ["¶1.  (C) SUMMARY: On July 19, the DCM paid a farewell call on ", "President "]
    lines += ["Kirchner's closest advisor. END SUMMARY. "]
    body = "\n\n".join(lines) + "\n\n \n\n"
    body += "¶2.  (C) The DCM reiterated U.S. objectives. \n\nHe said so \n\nagain. \n\n \n\n"
    body += "¶3.  (C) Zannini agreed. \n\nHe smiled \n\nbroadly. \n\n \n\n"
    body += "¶4.  (C) End. \n\nDone \n\nnow. \n"
    paras = _paras(body)
    assert [p.number for p in paras] == [1, 2, 3, 4]
    assert paras[1].text == "The DCM reiterated U.S. objectives. \nHe said so \nagain."


def test_one_line_paragraphs_are_not_double_spaced() -> None:
    # render() output: one line per paragraph with a blank line between
    text = "\n\n".join(["1. (C) One.", "Heading text", "2. (C) Two.", "Plain.", "3. (C) x."] * 3)
    paras = _paras(text)
    assert [p.text for p in paras][:4] == ["One.", "Heading text", "Two.", "Plain."]


def test_titles_glued_with_their_rules_are_headings() -> None:
    # 09MANAMA646, 09STOCKHOLM736: flattened headings and underlines
    text = (
        "5. (U) Goods are exempted entirely. ---------- -- STANDARDS, TESTING ---------- -- "
        "Standards ----------\n\n6. (U) Bahrain follows GCC standards.\n\n"
        "7. (U) Lessing lectured.\nPirate Bay tracker removed ------ ---- -------\n\n"
        "8. (U) The Pirate Bay has removed its tracker.\n"
    )
    assert [(p.number, p.text) for p in _paras(text)] == [
        (5, "Goods are exempted entirely."),
        (None, "STANDARDS, TESTING"),
        (None, "Standards"),
        (6, "Bahrain follows GCC standards."),
        (7, "Lessing lectured."),
        (None, "Pirate Bay tracker removed"),
        (8, "The Pirate Bay has removed its tracker."),
    ]


def test_a_table_column_rule_is_not_a_title() -> None:
    # 07SANJOSE1248: "---- ---- ----" under the column heads stays out of the text
    text = "Intro.\n\n      2001   2002\n      ----   ----\nIndustry  231.4  482.7\n"
    assert [p.text for p in _paras(text)] == ["Intro.", "2001   2002", "Industry  231.4  482.7"]


def test_a_top_rule_under_a_sentence_does_not_take_it_as_title() -> None:
    # 05BUENOSAIRES496 (re-read single-spaced): the sentence stays in its paragraph
    text = (
        "4. (C) Romero thanked the Ambassador and said he looked forward\n"
        "to continued good relations.\n-----------\nSALTA: DRUG CORRIDOR\n-----------\n\n"
        "5. (C) The Ambassador traveled.\n"
    )
    assert [(p.number, p.text) for p in _paras(text)] == [
        (
            4,
            "Romero thanked the Ambassador and said he looked forward\nto continued good relations.",
        ),
        (None, "SALTA: DRUG CORRIDOR"),
        (5, "The Ambassador traveled."),
    ]


def test_a_word_with_a_period_is_not_a_sub_item() -> None:
    # 09TRIPOLI190, 09QUITO122: "No." and "Mr." open paragraphs of their own
    text = "1. (U) Are there groups?\n\nNo.\n\nMr. Sullivan has to leave.\n\nA. an item\n"
    assert [p.text for p in _paras(text)] == [
        "Are there groups?",
        "No.",
        "Mr. Sullivan has to leave.\n\nA. an item",
    ]


def test_line_separators_end_lines_for_headings() -> None:
    # 06MEXICO2220: U+2028 between a title and its rules; the text keeps the separators
    text = (
        "5. (SBU) An able cadre \u2028of leaders.\n\n"
        "\u2028\u2028---------------------- \n"
        "\u2028III. CONFRONT DECLINING OIL \u2028AND REFORM \n"
        "\u2028---------------------- \u2028\u2028\n\n"
        "6. (SBU) Oil revenue.\n"
    )
    paras = _paras(text)
    assert [(p.text, p.number) for p in paras] == [
        ("An able cadre \u2028of leaders.", 5),
        ("III. CONFRONT DECLINING OIL  AND REFORM", None),
        ("Oil revenue.", 6),
    ]


def test_routing_block_with_office_count_line_is_a_section_break() -> None:
    # 02ROME3639: the ``/017W`` count on a line of its own inside the repeated routing block
    text = (
        "EXPLAINED BOSSI.\n \n"
        "                       CONFIDENTIAL\n \n"
        "                           CONFIDENTIAL     PTQ4582\n \n"
        "PAGE 01        ROME  03639  03 OF 03  231627Z\nACTION EUR-00\n \n"
        "INFO  LOG-00   NP-00    AGRE-00  AID-00\n"
        "      PMB-00   DSCC-00  PRM-00   DRL-02\n"
        "        /017W\n"
        "                  ------------------CF2A7F  231627Z /38\n"
        "P 231625Z JUL 02\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC PRIORITY 5041\n \n"
        "C O N F I D E N T I A L SECTION 03 OF 03 ROME 003639\n \nSIPDIS\n \n"
        "4. (C) Text goes on.\n"
    )
    breaks = find_breaks(text)
    assert [b.kind for b in breaks] == ["section"]
    assert breaks[0].text.startswith("CONFIDENTIAL") and "/017W" in breaks[0].text
    assert [p.text for p in _paras(text)] == ["EXPLAINED BOSSI.", "Text goes on."]


def test_break_starting_in_the_white_space_after_another_is_cut_out() -> None:
    # 02ROME1196: a page line, then a section's routing block opening with a blank-led line
    text = (
        "7. (C) COMMENT: POST WILL FOLLOW THE LINE\n CONFIDENTIAL\n"
        "PAGE 05 ROME 01196 01 OF 02 082030Z\n CONFIDENTIAL\n CONFIDENTIAL PTQ7827\n"
        "PAGE 01 ROME 01196 02 OF 02 082031Z ACTION EUR-00\nINFO LOG-00 COR-01 NP-00\n"
        "C O N F I D E N T I A L SECTION 02 OF 02 ROME 001196\nSIPDIS\n"
        "ESTABLISHED IN THESE MEETINGS.\n"
    )
    # two breaks in a row leave a line feed each: the text after them is a paragraph of its own
    assert [p.text for p in _paras(text)] == [
        "COMMENT: POST WILL FOLLOW THE LINE",
        "ESTABLISHED IN THESE MEETINGS.",
    ]
