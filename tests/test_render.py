"""render(): a Cable written back as a telegram, from its fields alone (format.md §2)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from cabledesk.telegram.model import (
    Addressee,
    BreakLine,
    Cable,
    ClassificationLine,
    ClassifiedBy,
    Declassification,
    Paragraph,
    Reference,
    Tag,
    TransmissionHeader,
)
from cabledesk.telegram.render import render


def moscow() -> Cable:
    """The seed 07MOSCOW104, built by hand (format.md §2 annotated example)."""
    return Cable(
        text="",
        shape="preamble",
        preamble={
            "reference_id": "07MOSCOW104",
            "subject": "NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR",
            "date": "Fri Jan 12 00:00:00 +0100 2007",
            "classification": "SECRET",
            "origin": "Embassy Moscow",
        },
        header=TransmissionHeader(
            transmission_id="VZCZCXYZ0000",
            channel="XYZ",
            channel_serial="0000",
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
        from_=Addressee("AMEMBASSY MOSCOW"),
        to=[Addressee("SECSTATE WASHDC", "RUEHC", "IMMEDIATE", "6346")],
        info=[
            Addressee("AMEMBASSY BANGKOK", "RUEHBK", None, "0721"),
            Addressee("USMISSION GENEVA", "RUEHGV", None, "4976"),
        ],
        classification_line=ClassificationLine("S E C R E T", "SECRET", "MOSCOW", "000104"),
        captions=["SIPDIS"],
        declassification=Declassification("12958", dt.date(2016, 1, 12)),
        tags=[Tag("PREF", "subject"), Tag("RS", "geographic")],
        subject="NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR",
        references=[
            Reference("email", "PARKER/PETTIT E-MAIL 1/4/07", "A"),
            Reference("cable", "STATE 203879", "B", "06STATE203879"),
        ],
        classified_by=ClassifiedBy(
            "Alice G. Wells", "Political Minister-Counselor", ["1.4(b)", "1.4(d)"]
        ),
        paragraphs=[
            Paragraph("XXXXXXXXXXXX told us January 12 ...", 1, "S", 100, 200),
            Paragraph("COMMENT: Based on ... END COMMENT.", 2, "S", 300, 400),
        ],
        signers=["RUSSELL"],
    )


EXPECTED = """\
07MOSCOW104
NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR
Fri Jan 12 00:00:00 +0100 2007
SECRET
Embassy Moscow
VZCZCXYZ0000
OO RUEHWEB
DE RUEHMO #0104 0121523
ZNY SSSSS ZZH
O 121523Z JAN 07
FM AMEMBASSY MOSCOW
TO RUEHC/SECSTATE WASHDC IMMEDIATE 6346
INFO RUEHBK/AMEMBASSY BANGKOK 0721
RUEHGV/USMISSION GENEVA 4976

S E C R E T MOSCOW 000104

SIPDIS

E.O. 12958: DECL: 01/12/2016

TAGS: PREF RS

SUBJECT: NORTH KOREAN ASYLUM SEEKERS APPROACH UNHCR

REF: A. PARKER/PETTIT E-MAIL 1/4/07
B. STATE 203879

Classified By: Political Minister-Counselor Alice G. Wells. Reasons 1.4 (b), (d).

1. (S) XXXXXXXXXXXX told us January 12 ...

2. (S) COMMENT: Based on ... END COMMENT.

RUSSELL
"""


def test_seed_layout() -> None:
    assert render(moscow()) == EXPECTED


def test_never_reads_the_source_text() -> None:
    c = moscow()
    c.text = "C O N F I D E N T I A L ROME 000001\n\n1. (C) Something else.\n"
    assert render(c) == EXPECTED


def test_ends_with_one_newline_and_no_carriage_returns() -> None:
    out = render(moscow())
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert "\r" not in out


def test_preamble_only_for_preamble_shape() -> None:
    c = dataclasses.replace(moscow(), shape="telegram")
    assert render(c).startswith("VZCZCXYZ0000\n")


def test_partial_notice_and_legacy_lines() -> None:
    c = Cable(
        text="",
        shape="partial",
        partial=True,
        header=TransmissionHeader(
            page_line="PAGE 01 HARARE 05461 01 OF 02 271458Z",
            action_offices=["AF-00"],
            info_offices=["LOG-00", "NP-00"],
            fl5_precedence=["O"],
            dtg="271458Z SEP 00",
        ),
        from_=Addressee("AMEMBASSY HARARE"),
        to=[Addressee("SECSTATE WASHDC", None, "IMMEDIATE", "7212")],
        info=[Addressee("NSC WASHDC", None, "IMMEDIATE")],
        classification_line=ClassificationLine(
            "C O N F I D E N T I A L", "CONFIDENTIAL", "HARARE", "005461", 1, 2
        ),
        declassification=Declassification("12958", dt.date(2010, 9, 21)),
    )
    lines = render(c).splitlines()
    assert lines[0].startswith("This record is a partial extract of the original cable.")
    assert lines[2:9] == [
        "O 271458Z SEP 00",
        "PAGE 01 HARARE 05461 01 OF 02 271458Z",
        "ACTION AF-00",
        "INFO LOG-00 NP-00",
        "FM AMEMBASSY HARARE",
        "TO SECSTATE WASHDC IMMEDIATE 7212",
        "INFO NSC WASHDC IMMEDIATE",
    ]
    assert "C O N F I D E N T I A L SECTION 01 OF 02 HARARE 005461" in lines
    assert "E.O. 12958: DECL: 09/21/2010" in lines


def test_sectioned_de_line_and_dual_fl5() -> None:
    h = TransmissionHeader(
        station="RUEHLB",
        station_serial="2703",
        section=1,
        filing_time="2321519",
        fl5_precedence=["P", "R"],
        dtg="201519Z AUG 06",
        fl5_signals=["ZDK"],
    )
    out = render(Cable(text="", header=h))
    assert out == "DE RUEHLB #2703/01 2321519\nP R 201519Z AUG 06 ZDK\n"


def test_xmt_after_the_addressee_list() -> None:
    c = Cable(
        text="",
        from_=Addressee("SECSTATE WASHDC"),
        to=[
            Addressee(
                "SECURITY OFFICER COLLECTIVE",
                None,
                "PRIORITY",
                collective=True,
                excluded=["AMCONSUL JOHANNESBURG"],
            ),
            Addressee("AMEMBASSY TRIPOLI", None, "PRIORITY"),
        ],
        info=[Addressee("AMCONSUL CASABLANCA", None, "PRIORITY")],
        xmt=[Addressee("AMCONSUL JOHANNESBURG")],
    )
    assert render(c).splitlines() == [
        "FM SECSTATE WASHDC",
        "TO SECURITY OFFICER COLLECTIVE PRIORITY",
        "AMEMBASSY TRIPOLI PRIORITY",
        "INFO AMCONSUL CASABLANCA PRIORITY",
        "XMT AMCONSUL JOHANNESBURG",
    ]


def test_declassification_instructions() -> None:
    def line(d: Declassification) -> str:
        return render(Cable(text="", declassification=d)).strip()

    assert line(Declassification("12958", instruction="N/A")) == "E.O. 12958: N/A"
    assert line(Declassification("12958", instruction="X1")) == "E.O. 12958: X1"
    assert line(Declassification(None, instruction="OADR")) == "DECL: OADR"
    assert line(Declassification("13526", dt.date(2020, 2, 3))) == "E.O. 13526: DECL: 02/03/2020"


def test_subject_mark_and_unnumbered_paragraph() -> None:
    c = Cable(
        text="",
        subject="TALKS",
        subject_mark="C",
        paragraphs=[Paragraph("Summary text.", None, None), Paragraph("Body.", 1, "(C/NF)")],
    )
    assert render(c) == "SUBJECT: (C) TALKS\n\nSummary text.\n\n1. (C/NF) Body.\n"


def test_classified_by_reasons_from_the_list() -> None:
    cb = ClassifiedBy("EARL IRVING", "DCM", ["1.5(b)", "1.5(d)", "1.4(h)"])
    out = render(Cable(text="", classified_by=cb)).strip()
    assert out == "Classified By: DCM EARL IRVING. Reasons 1.5 (b), (d), 1.4 (h)."


def test_breaks_go_between_paragraphs_in_order() -> None:
    c = Cable(
        text="",
        paragraphs=[Paragraph("One.", 1, "C", 10, 50), Paragraph("Two.", 2, "C", 90, 120)],
        breaks=[
            BreakLine("section", "C O N F I D E N T I A L SECTION 02 OF 02 ROME 000001", 60, 80),
            BreakLine("caption", "SIPDIS", 20, 26),
            BreakLine("page", "ROME 00000001 002 OF 002", 130, 150),
        ],
    )
    assert render(c).split("\n\n") == [
        "1. (C) One.",
        "SIPDIS",
        "C O N F I D E N T I A L SECTION 02 OF 02 ROME 000001",
        "2. (C) Two.",
        "ROME 00000001 002 OF 002\n",
    ]


def test_empty_cable_renders_a_newline() -> None:
    assert render(Cable(text="anything")) == "\n"


def test_heading_is_underlined_and_truncation_marked() -> None:
    c = Cable(
        text="",
        truncated=True,
        paragraphs=[Paragraph("Comment: A Call for Nuance"), Paragraph("Text cut", 1, "C")],
    )
    assert (
        render(c)
        == "Comment: A Call for Nuance\n--------------------------\n\n1. (C) Text cut\n...\n"
    )


def test_date_line_for_partial_extracts() -> None:
    c = Cable(
        text="",
        partial=True,
        date=dt.datetime(2006, 2, 15, 7, 44, tzinfo=dt.UTC),
        date_source="date_line",
    )
    assert render(c).splitlines()[2] == "Cable dated:2006-02-15T07:44:00"


def test_person_tags_and_shared_reference_letters() -> None:
    c = Cable(
        text="",
        date=dt.datetime(2004, 11, 20, tzinfo=dt.UTC),
        tags=[Tag("PREL", "subject"), Tag("ZOELLICK, ROBERT", "person"), Tag("BR", "geographic")],
        references=[
            Reference("cable", "BRASILIA 2799", "A"),
            Reference("cable", "2764", "A"),
            Reference("cable", "PORT AU PRINCE 2325", "B"),
        ],
    )
    lines = render(c).splitlines()
    assert lines[0] == "TAGS: PREL (ZOELLICK, ROBERT) BR"
    assert lines[2:4] == ["REF: A. BRASILIA 2799, 2764", "B. PORT AU PRINCE 2325"]


def test_classified_by_puts_a_long_title_after_the_name() -> None:
    # 10DUBAI1: "<title> <name>" would read back with "Dubai" as part of the name.
    cb = ClassifiedBy(
        "Justin Siberell", "Consul General, U.S. Consulate General, Dubai", ["1.4(b)", "1.4(d)"]
    )
    assert render(Cable(text="", classified_by=cb)) == (
        "Classified By: Justin Siberell, Consul General, U.S. Consulate General, Dubai."
        " Reasons 1.4 (b), (d).\n"
    )


def _reparse(c: Cable) -> Cable:
    from cabledesk.telegram.parser import parse

    return parse(render(c))


def test_free_text_entries_under_one_letter_are_semicolon_separated() -> None:
    # 06SAOPAULO1197: a cable and a free-text item under B; a comma would join them
    refs = [
        Reference("cable", "SAO PAULO 675", "A"),
        Reference("cable", "BRASILIA 2314", "B"),
        Reference("other", "PLEASE PROTECT ACCORDINGLY", "B"),
    ]
    c = Cable(text="", subject="X", references=refs, date=dt.datetime(2006, 10, 1, tzinfo=dt.UTC))
    assert "B. BRASILIA 2314; PLEASE PROTECT ACCORDINGLY" in render(c)
    back = _reparse(c).references
    assert [(r.kind, r.text, r.letter) for r in back] == [(r.kind, r.text, r.letter) for r in refs]


def test_marked_unnumbered_paragraph_keeps_its_glued_mark() -> None:
    # 03THEHAGUE1865: "(C)4. In separate ..." must not read back as sub-item "(C) "
    paras = [Paragraph("Title"), Paragraph("One.", None, "C"), Paragraph("4. Two.", None, "C")]
    c = Cable(text="", subject="X", paragraphs=paras)
    assert "(C)4. Two." in render(c)


def test_truncated_last_paragraph_is_not_underlined_and_ends_the_text() -> None:
    # 09LIMA1191: "1. ..." is the whole (cut) text
    c = Cable(text="", subject="X", truncated=True, paragraphs=[Paragraph("1. ...")])
    assert render(c).endswith("\n\n1. ...\n")


def test_two_line_heading_is_underlined() -> None:
    # 07ABUDHABI1838: a marked two-line title reads back as a heading, not a marked paragraph
    title = "(SBU) Key Elements of UAE Federal Law 4 (2002) with regard to\nbulk cash smuggling):"
    c = Cable(text="", subject="X", paragraphs=[Paragraph("Intro.", 1, "U"), Paragraph(title)])
    assert render(c).endswith(title + "\n" + "-" * 61 + "\n")
    assert [(p.text, p.mark) for p in _reparse(c).paragraphs][1] == (title, None)


def test_dash_items_after_a_separator_rule_stay_their_own_paragraph() -> None:
    # 09STATE40237: ``-- item`` paragraphs stood after a rule line below paragraph 33; written
    # right after it they would read back as its sub-items
    paras = [
        Paragraph("Begin Text of Nonpaper -- Last year marked the anniversary.", 1, "SBU"),
        Paragraph("-- We believe the regime is sound.\n\n-- In our view, it is not.", None, None),
    ]
    c = Cable(text="", subject="X", paragraphs=paras)
    out = render(c)
    assert "\n---\n\n-- We believe" in out
    back = _reparse(c).paragraphs
    assert [(p.text, p.number, p.mark) for p in back] == [(p.text, p.number, p.mark) for p in paras]


def test_dash_items_after_a_heading_need_no_rule() -> None:
    paras = [Paragraph("Background"), Paragraph("-- One item.", None, None)]
    out = render(Cable(text="", subject="X", paragraphs=paras))
    assert "----------\n\n-- One item." in out and "\n---\n" not in out
