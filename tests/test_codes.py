"""Code tables: precedence, classification, captions, E.O. reasons, routing indicators."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest

from cabledesk.telegram import codes
from cabledesk.telegram.codes import (
    CAPTIONS,
    LEVEL_ORDER,
    PRECEDENCE_ORDER,
    caption_info,
    caption_meaning,
    classification_level,
    eo_reason,
    highest_precedence,
    level_of_fl4,
    level_of_portion_mark,
    level_rank,
    precedence_from_prosign,
    precedence_rank,
    routing_indicator_name,
    routing_indicator_names,
)

TABLES = ("precedence", "classification", "captions", "eo_reasons", "routing_indicators")


def _table(name: str) -> list[dict[str, str]]:
    raw = resources.files("cabledesk.telegram").joinpath("data", f"{name}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(raw)))


@pytest.mark.parametrize("name", TABLES)
def test_every_row_cites_a_source(name: str) -> None:
    rows = _table(name)
    assert rows
    assert all(r["source"].strip() for r in rows)


def test_constants_agree_with_tables() -> None:
    ranked = sorted((int(r["rank"]), r["precedence"]) for r in _table("precedence") if r["rank"])
    assert tuple(word for _, word in ranked) == PRECEDENCE_ORDER
    assert {r["caption"] for r in _table("captions")} == CAPTIONS
    levels = {r["level"] for r in _table("classification") if r["level"]}
    assert levels == set(LEVEL_ORDER)


@pytest.mark.parametrize(
    ("prosign", "word"),
    [
        ("Z", "FLASH"),
        ("ZZ", "FLASH"),
        ("O", "IMMEDIATE"),
        ("OO", "IMMEDIATE"),
        ("P", "PRIORITY"),
        ("PP", "PRIORITY"),
        ("R", "ROUTINE"),
        ("rr", "ROUTINE"),
        ("RP", "PRIORITY"),  # dual prosign in FL2 (corpus deviation): the higher one
        ("PO", "IMMEDIATE"),
        ("YY", "EMERGENCY COMMAND PRECEDENCE"),
        ("NN", None),
        ("", None),
    ],
)
def test_precedence_from_prosign(prosign: str, word: str | None) -> None:
    assert precedence_from_prosign(prosign) == word


def test_precedence_order_and_highest() -> None:
    assert [precedence_rank(w) for w in PRECEDENCE_ORDER] == [1, 2, 3, 4, 5]
    assert precedence_rank("niact  immediate") == 4
    assert precedence_rank("EMERGENCY COMMAND PRECEDENCE") is None
    assert highest_precedence(["PRIORITY", "NIACT IMMEDIATE", "IMMEDIATE"]) == "NIACT IMMEDIATE"
    assert highest_precedence([None, None]) == "ROUTINE"
    assert highest_precedence([None, "PRIORITY"]) == "PRIORITY"
    assert highest_precedence(["OO", "P"]) == "IMMEDIATE"
    assert highest_precedence(["FLASH", "BOGUS"]) == "FLASH"
    assert highest_precedence([]) is None
    assert highest_precedence(["BOGUS"]) is None


@pytest.mark.parametrize(
    ("marking", "level"),
    [
        ("S E C R E T", "SECRET"),
        ("SECRET", "SECRET"),
        ("S E C R E T SECTION 01 OF 02 MOSCOW 000104", "SECRET"),
        ("S e c r e t state 135366", "SECRET"),
        ("C O N F I D E N T I A L", "CONFIDENTIAL"),
        ("CO N F I D E N T I A L BOGOTA 005603", "CONFIDENTIAL"),
        ("CONFIDENTIAL", "CONFIDENTIAL"),
        ("CONFIDENTIAL//NOFORN", "CONFIDENTIAL"),
        ("UNCLAS", "UNCLASSIFIED"),
        ("UNCLAS SECTION 01 OF 02", "UNCLASSIFIED"),
        ("UNCLAS E F T O", "UNCLASSIFIED"),
        ("UNCLASSIFIED", "UNCLASSIFIED"),
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED"),
        ("LIMITED OFFICIAL USE", "UNCLASSIFIED"),
        ("T O P S E C R E T", "TOP SECRET"),
        ("TOP SECRET", "TOP SECRET"),
        ("SECRETARY", None),
        ("CONFIDENTIALLY", None),
        ("E C R E T", None),
        ("", None),
    ],
)
def test_classification_level(marking: str, level: str | None) -> None:
    assert classification_level(marking) == level


@pytest.mark.parametrize(
    ("mark", "level"),
    [
        ("U", "UNCLASSIFIED"),
        ("(U)", "UNCLASSIFIED"),
        ("SBU", "UNCLASSIFIED"),
        ("SBU/NF", "UNCLASSIFIED"),
        ("SBU-N", "UNCLASSIFIED"),
        ("LOU", "UNCLASSIFIED"),
        ("C", "CONFIDENTIAL"),
        ("C/NF", "CONFIDENTIAL"),
        ("C/REL GBR", "CONFIDENTIAL"),
        ("S", "SECRET"),
        ("(S/NF)", "SECRET"),
        ("s//nf", "SECRET"),
        ("TS", "TOP SECRET"),
        ("NF", None),
        ("X", None),
    ],
)
def test_level_of_portion_mark(mark: str, level: str | None) -> None:
    assert level_of_portion_mark(mark) == level


@pytest.mark.parametrize(
    ("security", "level"),
    [
        ("ZNY SSSSS", "SECRET"),
        ("ZNY CCCCC", "CONFIDENTIAL"),
        ("ZNR UUUUU", "UNCLASSIFIED"),
        ("ZNY EEEEE", "UNCLASSIFIED"),
        ("ZNY TTTTT", "TOP SECRET"),
        ("ZNY SSSAA", "SECRET"),  # corpus slip
        ("ZNY CCCC", "CONFIDENTIAL"),
        ("SSSSS", "SECRET"),
        ("ZNY RRRRR", None),  # allied RESTRICTED
        ("", None),
        ("ZNY 12345", None),
    ],
)
def test_level_of_fl4(security: str, level: str | None) -> None:
    assert level_of_fl4(security) == level


def test_level_rank() -> None:
    assert [level_rank(x) for x in LEVEL_ORDER] == [0, 1, 2, 3]
    assert level_rank("S E C R E T") == 2
    assert level_rank("unclas") == 0
    assert level_rank("nonsense") is None


@pytest.mark.parametrize("caption", sorted(CAPTIONS))
def test_every_caption_has_a_meaning(caption: str) -> None:
    info = caption_info(caption)
    assert info is not None and info.meaning and info.source and info.caption == caption


def test_caption_lookup_forms() -> None:
    assert caption_meaning("sipdis") == caption_meaning("SIPDIS")
    assert caption_meaning("NOFORN") is not None and "Foreign" in str(caption_meaning("NOFORN"))
    corrected = caption_info("C O R R E C T E D      C O P Y   (ADDED SENSITIVE CAPTION)")
    assert corrected is not None and corrected.kind == "correction"
    assert caption_info("CORRECTED COPY") == corrected
    assert caption_info("SPECAT EXCLUSIVE") != caption_info("SPECAT")
    assert caption_meaning("DEPT FOR EUR/WE") is None


def test_eo_reasons() -> None:
    b = eo_reason("b")
    assert b is not None and b.text == "foreign government information"
    for form in ("B", "(b)", "1.4(b)", "1.4 (B)", "1.5 b"):
        assert eo_reason(form) == b
    h = eo_reason("h")
    assert h is not None and h.eo12958_1995 is None  # added by E.O. 13292 in 2003
    assert "weapons of mass destruction" in h.eo13526_2009
    e = eo_reason("e")
    assert e is not None and "transnational terrorism" in e.eo13292_2003
    assert "transnational terrorism" not in e.eo13526_2009
    assert "covert action" in str(eo_reason("c").eo13526_2009)  # type: ignore[union-attr]
    assert eo_reason("i") is None and eo_reason("1.4") is None


def test_routing_indicators() -> None:
    assert routing_indicator_name("RUEHMO") == "AMEMBASSY MOSCOW"
    assert routing_indicator_name(" ruehgv ") == "USMISSION GENEVA"
    assert routing_indicator_name("RUEHWEB") is None
    assert len(routing_indicator_names("RUEPVBT")) > 1
    assert routing_indicator_names("NOPE") == []
    assert len(codes._ri_table()) > 1600
    plads = codes.plain_language_addresses()
    assert "AMEMBASSY MOSCOW" in plads and "USMISSION GENEVA" in plads
