"""ACP-127 header (FL1-FL5), legacy print-format extras and FM/TO/INFO/XMT addressees.

Snippets are copied from real cables in shared/corpus/raw (named in each test).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cabledesk.telegram.header import (
    HeaderParts,
    dtg_to_datetime,
    extract_header,
    julian_to_date,
    parse_info_recipients,
    parse_recipients,
)
from cabledesk.telegram.model import Addressee

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "raw"
VECTORS = Path(__file__).parent / "data" / "conformance" / "cablemap"

# Seed 07MOSCOW104: the INFO list runs into the classification line (format.md §1.2).
MOSCOW = """VZCZCXYZ0000
OO RUEHWEB

DE RUEHMO #0104 0121523
ZNY SSSSS ZZH
O 121523Z JAN 07
FM AMEMBASSY MOSCOW
TO RUEHC/SECSTATE WASHDC IMMEDIATE 6346
INFO RUEHBK/AMEMBASSY BANGKOK 0721
RUEHBJ/AMEMBASSY BEIJING 4148
RUEHUL/AMEMBASSY SEOUL 2637
RUEHSH/AMCONSUL SHENYANG 0034
RUEHGV/USMISSION GENEVA 4976S E C R E T MOSCOW 000104 \n"""


def _parse(text: str, marker: str | None = None) -> HeaderParts:
    end = text.index(marker) if marker else len(text)
    return extract_header(text, 0, end)


def _row(a: Addressee) -> tuple[str | None, str, str | None, str | None]:
    return (a.routing_indicator, a.address, a.precedence, a.mcn)


def test_seed_header_lines() -> None:
    h = _parse(MOSCOW, "S E C R E T").header
    assert (h.transmission_id, h.channel, h.channel_serial) == ("VZCZCXYZ0000", "XYZ", "0000")
    assert (h.precedence_prosign, h.routing_indicators) == ("OO", ["RUEHWEB"])
    assert (h.station, h.station_serial, h.section, h.filing_time) == (
        "RUEHMO",
        "0104",
        None,
        "0121523",
    )
    assert (h.security, h.operating_signals) == ("ZNY SSSSS", ["ZZH"])
    assert (h.fl5_precedence, h.dtg, h.fl5_signals) == (["O"], "121523Z JAN 07", [])
    assert h.page_line is None and h.action_offices == [] and h.info_offices == []


def test_seed_addressees_and_offsets() -> None:
    hp = _parse(MOSCOW, "S E C R E T")
    assert hp.from_ is not None and _row(hp.from_) == (None, "AMEMBASSY MOSCOW", None, None)
    assert [_row(a) for a in hp.to] == [("RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "6346")]
    assert [_row(a) for a in hp.info] == [
        ("RUEHBK", "AMEMBASSY BANGKOK", None, "0721"),
        ("RUEHBJ", "AMEMBASSY BEIJING", None, "4148"),
        ("RUEHUL", "AMEMBASSY SEOUL", None, "2637"),
        ("RUEHSH", "AMCONSUL SHENYANG", None, "0034"),
        ("RUEHGV", "USMISSION GENEVA", None, "4976"),
    ]
    # Offsets are absolute and cover RI/PLAD PRECEDENCE MCN, without the prosign.
    assert MOSCOW[hp.to[0].start : hp.to[0].end] == "RUEHC/SECSTATE WASHDC IMMEDIATE 6346"
    assert MOSCOW[hp.info[-1].start : hp.info[-1].end] == "RUEHGV/USMISSION GENEVA 4976"
    assert hp.xmt == []


def test_offsets_are_absolute() -> None:
    prefix = "07MOSCOW104\nsome preamble line\n"
    text = prefix + MOSCOW
    hp = extract_header(text, len(prefix), text.index("S E C R E T"))
    assert text[hp.to[0].start : hp.to[0].end].startswith("RUEHC/SECSTATE")
    assert hp.header.station == "RUEHMO"


def test_sectioned_de_and_wrapped_fl2() -> None:
    # 06REYKJAVIK405 (FL2 wraps), DE with a section from 05MADRID4314.
    text = """VZCZCXRO5405
PP RUEHAG RUEHAST RUEHDA RUEHDBU RUEHDF RUEHFL RUEHIK RUEHKW RUEHLA
RUEHLN RUEHLZ RUEHROV RUEHSR RUEHVK RUEHYG
DE RUEHMD #4314/01 3571155
ZNR UUUUU ZZH
P 311647Z OCT 06
FM AMEMBASSY REYKJAVIK
TO RUEHC/SECSTATE WASHDC PRIORITY 3035
INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE
"""
    hp = _parse(text)
    h = hp.header
    assert h.channel == "XRO"
    assert len(h.routing_indicators) == 15 and h.routing_indicators[-1] == "RUEHYG"
    assert (h.station, h.station_serial, h.section, h.filing_time) == (
        "RUEHMD",
        "4314",
        1,
        "3571155",
    )
    assert hp.info[0].collective and hp.info[0].precedence is None


def test_crypto_note_and_relay_annotations() -> None:
    # 09QUITO15 FL4, 06TASHKENT902 FL4 relay, 08MANAMA492 FL5 relay.
    h = _parse("ZNY SSSSS ZZH (CCY AD1B8B49 MSI7873-695)\n").header
    assert h.operating_signals == ["ZZH", "(CCY AD1B8B49 MSI7873-695)"]
    h = _parse("ZNY SSSSS ZZH ZUI RUEHSD 0065W 1252226 H/W ZDS\n").header
    assert h.security == "ZNY SSSSS"
    assert h.operating_signals == ["ZZH", "ZUI", "RUEHSD", "0065W", "1252226", "H/W", "ZDS"]
    h = _parse("P 240620Z JUL 08 ZUI RUEHZC #2834 2060936\n").header
    assert (h.fl5_precedence, h.dtg) == (["P"], "240620Z JUL 08")
    assert h.fl5_signals == ["ZUI", "RUEHZC", "#2834", "2060936"]


def test_flash_and_dual_precedence() -> None:
    # 09BUJUMBURA302 (the only FLASH cable in the corpus).
    text = """VZCZCXYZ0000
ZZ RUEHWEB

DE RUEHJB #0302/01 1831228
ZNY SSSSS ZZH ZZK
Z 021228Z JUL 09 ZFF4
FM AMEMBASSY BUJUMBURA
TO RUEHC/SECSTATE WASHDC FLASH 1579
INFO RUEHXR/RWANDA COLLECTIVE IMMEDIATE
"""
    hp = _parse(text)
    assert hp.header.precedence_prosign == "ZZ"
    assert (hp.header.fl5_precedence, hp.header.fl5_signals) == (["Z"], ["ZFF4"])
    assert hp.header.operating_signals == ["ZZH", "ZZK"]
    assert hp.to[0].precedence == "FLASH"
    assert hp.info[0].collective and hp.info[0].precedence == "IMMEDIATE"
    h = _parse("O P 190243Z DEC 89\nFM SECSTATE WASHDC\n").header
    assert h.fl5_precedence == ["O", "P"]


def test_fl2_dual_and_unknown_prosigns() -> None:
    assert _parse("VZCZCXYZ0000\nRP RUEHWEB\n").header.precedence_prosign == "RP"
    assert _parse("VZCZCXYZ0000\nNN RUEHWEB\n").header.precedence_prosign == "NN"
    # Without FL1 only a doubled prosign is taken: "OR RUSSIA" is not a routing line.
    assert _parse("OR RUSSIA\n").header.precedence_prosign is None


def test_legacy_print_format() -> None:
    # 00HARARE5461: partial-extract notice, PAGE line, office lists, dashed line, no RIs.
    text = """This record is a partial extract of the original cable. The full text of the original cable is not available.



                           CONFIDENTIAL     PTQ2529

PAGE 01        HARARE  05461  01 OF 02  271458Z \nACTION AF-00    \n
INFO  LOG-00   NP-00    ACQ-00   CIAE-00  DINT-00  DODE-00  SRPP-00  \n      DS-00    EUR-00   FBIE-00  VC-00    H-01     TEDE-00  INR-00   \n      NFAT-00  SAS-00     /006W
                  ------------------8A8E0D  271459Z /38    \nFM AMEMBASSY HARARE
TO SECSTATE WASHDC IMMEDIATE 7212
INFO NSC WASHDC IMMEDIATE
SOUTHERN AFRICAN DEVELOPMENT COMMUNITY

"""
    hp = _parse(text)
    h = hp.header
    assert h.transmission_id is None and h.station is None and h.dtg is None
    assert h.page_line == "PAGE 01 HARARE 05461 01 OF 02 271458Z"
    assert h.action_offices == ["AF-00"]
    assert h.info_offices[:3] == ["LOG-00", "NP-00", "ACQ-00"]
    assert h.info_offices[-1] == "SAS-00" and len(h.info_offices) == 16
    assert hp.from_ is not None and hp.from_.address == "AMEMBASSY HARARE"
    assert [_row(a) for a in hp.to] == [(None, "SECSTATE WASHDC", "IMMEDIATE", "7212")]
    assert [_row(a) for a in hp.info] == [
        (None, "NSC WASHDC", "IMMEDIATE", None),
        (None, "SOUTHERN AFRICAN DEVELOPMENT COMMUNITY", None, None),
    ]


def test_glued_legacy_header_on_one_line() -> None:
    # 00HARARE6677 page 2: the whole legacy header on one line.
    text = (
        "INFO LOG-00 NP-00 AID-00 SAS-00 SWCI-00 /012W  ------------------A54E56 291401Z /38 "
        "O 291359Z NOV 00 FM AMEMBASSY HARARE TO SECSTATE WASHDC IMMEDIATE 7739 INFO NSC "
        "WASHDC IMMEDIATE SOUTHERN AFRICAN DEVELOPMENT COMMUNITY AMEMBASSY NAIROBI\n"
    )
    hp = _parse(text)
    assert hp.header.info_offices == ["LOG-00", "NP-00", "AID-00", "SAS-00", "SWCI-00"]
    assert hp.header.dtg == "291359Z NOV 00" and hp.header.fl5_signals == []
    assert hp.from_ is not None and hp.from_.address == "AMEMBASSY HARARE"
    assert [_row(a) for a in hp.to] == [(None, "SECSTATE WASHDC", "IMMEDIATE", "7739")]
    assert [a.address for a in hp.info] == [
        "NSC WASHDC",
        "SOUTHERN AFRICAN DEVELOPMENT COMMUNITY",
        "AMEMBASSY NAIROBI",
    ]
    for a in hp.to + hp.info:
        assert text[a.start : a.end].startswith(a.address)


def test_glued_post_and_collective() -> None:
    # 01VATICAN5693 page 2: a post glued to a collective; ACP 117 knows "AMEMBASSY CAIRO".
    text = (
        "O 021655Z NOV 01 FM AMEMBASSY VATICAN TO SECSTATE WASHDC IMMEDIATE 0000 INFO "
        "AMEMBASSY ISLAMABAD AMEMBASSY NEW DELHI AMEMBASSY CAIRO EUROPEAN POLITICAL COLLECTIVE \n"
    )
    hp = _parse(text)
    assert [a.address for a in hp.info] == [
        "AMEMBASSY ISLAMABAD",
        "AMEMBASSY NEW DELHI",
        "AMEMBASSY CAIRO",
        "EUROPEAN POLITICAL COLLECTIVE",
    ]
    assert hp.info[-1].collective and not hp.info[-2].collective


def test_xmt_excludes_from_preceding_collective() -> None:
    # 08STATE116943 (the XMT line follows INFO but exempts from the TO collective).
    text = """P 031812Z NOV 08
FM SECSTATE WASHDC
TO SECURITY OFFICER COLLECTIVE PRIORITY
AMEMBASSY TRIPOLI PRIORITY \nINFO AMCONSUL CASABLANCA PRIORITY \nXMT AMCONSUL JOHANNESBURG
AMCONSUL JOHANNESBURG
"""
    hp = _parse(text)
    assert [a.address for a in hp.to] == ["SECURITY OFFICER COLLECTIVE", "AMEMBASSY TRIPOLI"]
    assert hp.to[0].collective and hp.to[0].excluded == ["AMCONSUL JOHANNESBURG"]
    assert hp.to[1].excluded == [] and hp.info[0].excluded == []
    assert [a.address for a in hp.xmt] == ["AMCONSUL JOHANNESBURG"] * 2
    # 07SANJOSE1106: the collective is in INFO, followed by individual posts.
    text = """FM AMEMBASSY SAN JOSE
TO RUEHC/SECSTATE WASHDC IMMEDIATE 8237
INFO RUEHZA/WHA CENTRAL AMERICAN COLLECTIVE PRIORITY
RUEHBJ/AMEMBASSY BEIJING PRIORITY 0127
XMT USSOCOM WO WASHINGTON DC
"""
    hp = _parse(text)
    assert hp.info[0].excluded == ["USSOCOM WO WASHINGTON DC"]
    assert len(hp.info) == 2 and len(hp.xmt) == 1


def test_zen_mcn_ranges_and_niact() -> None:
    # 08STATE103511.
    text = """FM SECSTATE WASHDC
TO ZEN/AMEMBASSY BELMOPAN NIACT IMMEDIATE 2276-2279
RUEHKV/AMEMBASSY KYIV NIACT IMMEDIATE 7881-7884
INFO ZEN/AMEMBASSY ADDIS ABABA IMMEDIATE 5844-5847
"""
    hp = _parse(text)
    assert [_row(a) for a in hp.to] == [
        ("ZEN", "AMEMBASSY BELMOPAN", "NIACT IMMEDIATE", "2276-2279"),
        ("RUEHKV", "AMEMBASSY KYIV", "NIACT IMMEDIATE", "7881-7884"),
    ]
    assert _row(hp.info[0]) == ("ZEN", "AMEMBASSY ADDIS ABABA", "IMMEDIATE", "5844-5847")


def test_odd_address_lines() -> None:
    text = """FM AMEMBASSY MANAMA
TORUEHC/SECSTATE WASHDC PRIORITY 8009
INFO RHBVAKS/COMUSNAVCENT  PRIORITY
RUEHLO/AMEMBASSY LONDON 8778 PRIORITY
RUEKJCS/SECDEF WASHDC//USDP:PDUSDP/ISA:EUR/ISA:NESA// IMMEDIATE
RUEHC/SECSTATE SECSTATE WASHDC
RUEUITH/DET 1 39LG ANKARA TU
"""
    hp = _parse(text)
    assert [_row(a) for a in hp.to] == [("RUEHC", "SECSTATE WASHDC", "PRIORITY", "8009")]
    assert [_row(a) for a in hp.info] == [
        ("RHBVAKS", "COMUSNAVCENT", "PRIORITY", None),
        ("RUEHLO", "AMEMBASSY LONDON", "PRIORITY", "8778"),
        ("RUEKJCS", "SECDEF WASHDC//USDP:PDUSDP/ISA:EUR/ISA:NESA//", "IMMEDIATE", None),
        ("RUEHC", "SECSTATE SECSTATE WASHDC", None, None),
        ("RUEUITH", "DET 1 39LG ANKARA TU", None, None),
    ]


def test_blank_line_inside_list_and_junk_after_it() -> None:
    # 06BOGOTA1145: a blank line inside the INFO list; 06MEXICO1311: a CSV copy of the header
    # after the list; 06BERN1280: trailing backslashes.
    text = """FM AMEMBASSY BOGOTA
TO RUEHC/SECSTATE WASHDC IMMEDIATE 2019
INFO RUEHQT/AMEMBASSY QUITO PRIORITY 3828\\

RUEHUB/USINT HAVANA PRIORITY 0060

55988
2006-03-09 22:28:00
VZCZCXRO4180
RR RUEHCD RUEHGD
DE RUEHME #1311/01 0682228
FM AMEMBASSY MEXICO
TO RUEHC/SECSTATE WASHDC 9558
"""
    hp = _parse(text)
    assert [a.address for a in hp.info] == ["AMEMBASSY QUITO", "USINT HAVANA"]
    assert hp.info[0].mcn == "3828"
    assert [a.address for a in hp.to] == ["SECSTATE WASHDC"]
    assert hp.header.station is None  # the second header is not read


def test_body_text_is_not_an_addressee() -> None:
    # 04MADRID827: a body line starting "FM" when the region runs into the text.
    hp = _parse("FM Ana Palacio also commented to the press that ETA was\nresponsible.\n")
    assert hp.from_ is None and hp.to == []
    hp = _parse("FM AMEMBASSY X\nTO SECSTATE WASHDC\nthe ELN to take the steps\nAMEMBASSY Y\n")
    assert [a.address for a in hp.to] == ["SECSTATE WASHDC"]


def test_empty_and_junk_regions() -> None:
    for text in ("", "\n\n", "Friday, 23 February 2001, 15:53\n", "¶1. (C) Summary.\n"):
        hp = _parse(text)
        assert hp.header.transmission_id is None and hp.from_ is None and hp.to == []


@pytest.mark.parametrize(
    ("dtg", "expected"),
    [
        ("121523Z JAN 07", dt.datetime(2007, 1, 12, 15, 23, tzinfo=dt.UTC)),
        ("201405Z DEC 89", dt.datetime(1989, 12, 20, 14, 5, tzinfo=dt.UTC)),
        ("151114Z MAR 1971", dt.datetime(1971, 3, 15, 11, 14, tzinfo=dt.UTC)),
        ("311858Z  MAR 09", dt.datetime(2009, 3, 31, 18, 58, tzinfo=dt.UTC)),
        ("291359Z Nov 00", dt.datetime(2000, 11, 29, 13, 59, tzinfo=dt.UTC)),
        ("010000Z JAN 66", dt.datetime(1966, 1, 1, tzinfo=dt.UTC)),
        ("010000Z JAN 65", dt.datetime(2065, 1, 1, tzinfo=dt.UTC)),
        ("301200Z FEB 08", None),
        ("122560Z JAN 07", None),
        ("121523Z FOO 07", None),
        ("121523 JAN 07", None),
    ],
)
def test_dtg_to_datetime(dtg: str, expected: dt.datetime | None) -> None:
    assert dtg_to_datetime(dtg) == expected


def test_julian_to_date() -> None:
    assert julian_to_date("0121523", 2007) == dt.date(2007, 1, 12)
    assert julian_to_date("3571155", 2005) == dt.date(2005, 12, 23)
    assert julian_to_date("366", 2008) == dt.date(2008, 12, 31)
    assert julian_to_date("366", 2007) is None
    assert julian_to_date("000", 2007) is None
    assert julian_to_date("12", 2007) is None


def test_fl3_day_matches_fl5_dtg() -> None:
    """ACP 127 §115: the filing time's Julian day is the DTG's day (format.md §7)."""
    h = _parse(MOSCOW, "S E C R E T").header
    assert h.filing_time is not None and h.dtg is not None
    when = dtg_to_datetime(h.dtg)
    assert when is not None and julian_to_date(h.filing_time, when.year) == when.date()


def _vector_cases(name: str) -> list[dict[str, object]]:
    data = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
    return list(data["cases"])


def _as_dicts(addrs: list[Addressee]) -> list[dict[str, object]]:
    return [
        {
            "route": a.routing_indicator,
            "name": a.address,
            "precedence": a.precedence,
            "mcn": a.mcn,
            "excluded": a.excluded,
        }
        for a in addrs
    ]


@pytest.mark.parametrize("case", _vector_cases("recipients"), ids=lambda c: str(c["origin"]))
def test_recipients_vectors(case: dict[str, object]) -> None:
    assert _as_dicts(parse_recipients(str(case["input"]))) == case["expected"]


@pytest.mark.parametrize("case", _vector_cases("info_recipients"), ids=lambda c: str(c["origin"]))
def test_info_recipients_vectors(case: dict[str, object]) -> None:
    assert _as_dicts(parse_info_recipients(str(case["input"]))) == case["expected"]


_LINE_PARTS = st.sampled_from(
    [
        "VZCZCXYZ0000",
        "OO RUEHWEB",
        "DE RUEHMO #0104/01 0121523",
        "ZNY SSSSS ZZH",
        "O 121523Z JAN 07 ZDK",
        "FM AMEMBASSY MOSCOW",
        "TO RUEHC/SECSTATE WASHDC IMMEDIATE 6346",
        "INFO RUEHBK/AMEMBASSY BANGKOK 0721",
        "XMT AMCONSUL JOHANNESBURG",
        "TO PAGE 02 STATE 023763 071504Z",
        "PAGE 01 HARARE 05461 01 OF 02 271458Z",
        "INFO LOG-00 NP-00 /006W",
        "------------------8A8E0D 271459Z /38",
        "ALL DIPLOMATIC POSTS COLLECTIVE PRIORITY",
        "",
        " \\",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINE_PARTS, st.text(max_size=40)), max_size=25))
def test_never_raises_and_offsets_stay_inside(lines: list[str]) -> None:
    text = "\n".join(lines)
    start = min(3, len(text))
    hp = extract_header(text, start, len(text))
    everyone = ([hp.from_] if hp.from_ else []) + hp.to + hp.info + hp.xmt
    for a in everyone:
        assert start <= a.start < a.end <= len(text)
        assert a.address and a.address == a.address.strip()
        assert "\n" not in text[a.start : a.end]
    xmt_names = {a.address for a in hp.xmt}
    for a in hp.to + hp.info:
        assert set(a.excluded) <= xmt_names
        assert not a.excluded or a.collective


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_headers() -> None:
    """FL3 serial = last digits of the cable's id in nearly all cables (format.md §7)."""
    checked = agree = 0
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        cut = text.find("\nUNCLAS")
        for mark in ("S E C R E T", "C O N F I D E N T I A L"):
            i = text.find(mark)
            if i >= 0 and (cut < 0 or i < cut):
                cut = i
        hp = extract_header(text, 0, cut if cut >= 0 else min(len(text), 3000))
        h = hp.header
        if h.station_serial and h.transmission_id:
            checked += 1
            agree += path.stem.endswith(h.station_serial.lstrip("0"))
            assert hp.from_ is not None and (hp.to or hp.info)
    assert checked > 5000 and agree / checked > 0.99


# --- the fused fast path: _FAST_LINE reads a line exactly as _LINE then _FAST do ---------------

_LINE_HEADS = ("", "TO ", "INFO ", "XMT ", "FM ", "TO/", "INFO  ", "FMRUEHC/", "TO")
_RIS = ("", "RUEHC/", "RUEHLO/", "ZEN/", "RHMFISS/", "RUEH/")
_WORDS = (
    *("AMEMBASSY", "AMCONSUL", "SECSTATE", "WASHDC", "LONDON", "LA", "PAZ", "CDR", "USSOUTHCOM"),
    *("MIAMI", "FL", "DIA", "ALL", "POSTS", "COLLECTIVE", "EUROPEAN", "POLITICAL", "MEMBER"),
    *("STATES", "PRIORITY", "IMMEDIATE", "ROUTINE", "NIACT", "FLASH", "8295", "2276-2279"),
    *("PAGE", "02", "USMISSION", "GENEVA", "(TBD)", "J-3", "TO", "INFO", "FM", "XMT", "VZCZC"),
    *("Embassy", "A/B", "#1", "ZNR", "DE", "PRIORITYX", "123", "\\", "\t", "\xa0"),
)
_TAILS = ("", " ", "  ", "\t", "\\", " \\", "\r", " \t\\ ", "\xa0", "\\X")


@st.composite
def _address_lines(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=6))
    return (
        draw(st.sampled_from(("", " ", "\t", "  ")))
        + draw(st.sampled_from(_LINE_HEADS))
        + draw(st.sampled_from(_RIS))
        + draw(st.sampled_from((" ", "  "))).join(words)
        + draw(st.sampled_from(_TAILS))
    )


@settings(max_examples=1500, deadline=None)
@given(_address_lines(), st.sampled_from(("", "\n", "\nRUEHC/SECSTATE WASHDC\n")))
def test_fast_line_reads_as_line_then_fast(line: str, after: str) -> None:
    """_FAST_LINE (one match per address line) is _LINE (trim the line) fused with _FAST (read
    the trimmed line): same verdict, same groups and spans, same line end."""
    from cabledesk.telegram import addressees

    text = line + after
    lm = addressees.LINE.match(text)
    assert lm is not None
    s, e = lm.span(1)
    ref = addressees._FAST.match(text, s, e) if s < e else None
    got = addressees._FAST_LINE.match(text)
    assert (got is None) == (ref is None)
    if got is not None and ref is not None:
        assert got.groups()[:6] == ref.groups()
        assert [got.span(k) for k in range(1, 7)] == [ref.span(k) for k in range(1, 7)]
        assert got.start("e") == e
        assert got.end() == lm.end()


@pytest.mark.parametrize(
    "lines",
    [
        ["TO RUEHC/SECSTATE WASHDC IMMEDIATE 8295 \\", "RUEKJCS/SECDEF WASHDC\t"],
        ["TO RUEHC/SECSTATE WASHDC PRIORITY", "", "INFO RUEHLO/AMEMBASSY LONDON 8778 PRIORITY"],
        ["INFO ALL EUROPEAN POSTS COLLECTIVE", "XMT AMEMBASSY LONDON", "AMEMBASSY PARIS"],
        ["TO SECSTATE WASHDC", "", "UNCLAS SECTION 01 OF 02"],
    ],
)
def test_addressee_loop_same_without_fast_path(lines: list[str]) -> None:
    """Switching the fast path off (every line read by read_address_text) changes nothing."""
    text = "O 121523Z JAN 07\nFM AMEMBASSY MOSCOW\n" + "\n".join(lines) + "\n"
    fast = extract_header(text, 0, len(text))
    careful = extract_header(text, 0, len(text), fast_path=False)
    assert fast == careful
    assert fast.from_ is not None and fast.from_.address == "AMEMBASSY MOSCOW"
