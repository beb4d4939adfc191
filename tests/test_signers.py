"""Signatures at the end of a cable (snippets from the corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cabledesk.telegram.signers import canonical_signer, find_signers, parse_signers


@pytest.mark.parametrize(
    ("tail", "raw"),
    [
        ("cases with the GOR. END \nCOMMENT. \nRUSSELL", ["RUSSELL"]),  # seed 07MOSCOW104
        ("...END COMMENT. STEVENS\n", ["STEVENS"]),
        ("ON A WAY FORWARD.\nMCDONALD\n CONFIDENTIAL\n>", ["MCDONALD"]),  # 00HARARE5461
        ("more progress soon.\n\nMurphy\n", ["Murphy"]),  # 09BERLIN1167
        ("TERRORISM IS UNAVAILABLE AT POST.\n\n\nDE PREE\n", ["DE PREE"]),
        ("the situation.\nTIMKEN JR\n", ["TIMKEN JR"]),
        ("the text.\nSMITH/JONES\n", ["SMITH", "JONES"]),
        ("APT TO BE OVERTURNED.\n\nMCNAMARA.\n", ["MCNAMARA"]),
        ("AS USUAL.\n\nGILLESPIE##\n", ["GILLESPIE"]),
        (
            "fine.\" Visit London's Classified Website: XXXXXXXXXXXX TUTTLE\n",
            ["TUTTLE"],
        ),
        (
            "seriousness. ******** Visit Embassy Manama's Classified Website: "
            "XXXXXXXXXXXX******** ******** HENZEL",
            ["HENZEL"],
        ),
        ("in power. BURNS\t2006-08-30\n", ["BURNS"]),
        ("successful. MINIMIZE CONSIDERED SCOBEY\n", ["SCOBEY"]),
        (
            "ended.\n\nHODGES \n\n=======================CABLE ENDS============================\n",
            ["HODGES"],
        ),
        (
            "TO GO.\nSULLIVAN\n\nCONFIDENTIAL\n\nDeclassified/Released US Department of State EO "
            "Systematic\nReview 30 JUN 2006\n",
            ["SULLIVAN"],
        ),
        ("support.\nKUBISKE KUBISKE\n", ["KUBISKE"]),
    ],
)
def test_raw_signatures(tail: str, raw: list[str]) -> None:
    assert parse_signers(tail, canonicalize=False) == raw


@pytest.mark.parametrize(
    "tail",
    [
        "STEIGMAN\nCONFIDENTIAL\n"[9:],  # only the classification word
        "the monthly inflation rate for March was 5.6 percent. The",
        "AND SQUANDERED\nOPPORTUNITIES.\n",  # a wrapped last text word, not a signer
        "END TEXT.\n\nUNQUOTE\n",
        "Visit London's Classified Website: XXXXXXXXXXXX\n",
        "",
    ],
)
def test_no_signer(tail: str) -> None:
    assert parse_signers(tail, canonicalize=False) == []


def test_canonical_forms() -> None:
    assert canonical_signer("Murphy") == ["MURPHY"]
    assert canonical_signer("TIMKEN JR") == ["TIMKEN"]
    assert canonical_signer("SMITH/JONES") == ["SMITH", "JONES"]
    assert canonical_signer("van Voorst") == ["VAN VOORST"]
    # two surnames known from the corpus run together: the slash was lost
    assert canonical_signer("JOHNSONKEANE") == ["JOHNSON", "KEANE"]
    # a surname that is not a known pair stays whole
    assert canonical_signer("RICCIARDONE") == ["RICCIARDONE"]


def test_find_signers_offset_covers_boilerplate() -> None:
    # 08LONDON2589: body on one line, boilerplate glued, signer on its own line
    text = (
        "Classified By: Political Counselor Richard Mills.\n(C/NF) The compromise language "
        '"suits HMG fine." Visit London\'s Classified Website: XXXXXXXXXXXX\nLEBARON\n'
    )
    names, pos = find_signers(text, 0, len(text))
    assert names == ["LEBARON"]
    assert pos is not None and text[pos:].startswith("Visit London's")


def test_find_signers_offset_of_own_line(seed_text: str) -> None:
    names, pos = find_signers(seed_text, seed_text.index("¶1."), len(seed_text))
    assert names == ["RUSSELL"]
    assert pos is not None and seed_text[pos:].startswith("RUSSELL")


def test_find_signers_respects_region() -> None:
    text = "Text.\nRUSSELL\nmore text without a signer"
    assert find_signers(text, 0, len(text)) == ([], None)
    names, pos = find_signers(text, 0, text.index("more"))
    assert names == ["RUSSELL"] and pos == 6


def test_sample_corpus_mostly_signed(sample_dir: Path) -> None:
    files = sorted(sample_dir.glob("*.txt"))
    signed = sum(bool(parse_signers(f.read_text(encoding="utf-8"))) for f in files)
    assert signed / len(files) > 0.85


def test_mixed_case_signer_under_a_closing_rule() -> None:
    # 07MADRID210: the boxed website line, then the ambassador's name
    text = (
        "END COMMENT.\n\n------------------\nVisit Embassy Madrid's Classified Website;\n"
        "http://www.state.sgov.gov/p/eur/madrid/\n------------------\nAguirre\n"
    )
    assert parse_signers(text) == ["AGUIRRE"]


def test_signer_glued_after_a_page_line_and_before_the_archive_trailer() -> None:
    # 01VATICAN5960: WikiLeaks glued the last page's text to its PAGE line
    text = (
        "PAGE 04  VATICA 05960 191507Z AFGHANISTAN HAVE UNDERCUT THOSE WHO WERE URGING THE "
        "VATICAN OPPOSE THE WAR EFFORT. NICHOLSON \nCONFIDENTIAL \n> \n"
        '2001VATICA05960 - Classification: CONFIDENTIAL "\n'
    )
    names, start = find_signers(text)
    assert names == ["NICHOLSON"]
    assert start == text.index("NICHOLSON")


def test_repeated_website_line_above_a_glued_signer_is_boilerplate() -> None:
    # 08LONDON797: the website line with the signer glued on, printed twice
    web = "Visit London's Classified Website: http://www.state.sgov.gov/p/eur/london/index. cfm"
    text = (
        f"7. (U) Deputy Secretary Kimmitt has cleared this message.\n{web} TUTTLE\n{web} TUTTLE\n"
    )
    names, start = find_signers(text)
    assert names == ["TUTTLE"]
    assert start == text.index("Visit")


def test_find_walks_lines_from_the_end_like_a_split() -> None:
    """The backward line walk of ``_find`` sees the same lines as ``text[lo:end].split``."""
    from cabledesk.telegram.signers import _find

    body = "The talks went well.\n\nBURNS\n\nNNNN\n"
    assert _find(body, 0, len(body))[0] == ["BURNS"]
    assert _find(body, 0, len(body))[1] == body.index("BURNS")
    assert _find("BURNS", 0, 5) == (["BURNS"], 0)  # the only line opens the region
    assert _find(body, 3, 3) == ([], None)  # an empty region
    assert _find(body, 10, 5) == ([], None)  # start past end
    junk_only = "\n".join(["NNNN"] * 60)
    assert _find(junk_only, 0, len(junk_only)) == ([], None)
