"""Posts table: origin names, routing indicators, PLAD and originator resolution."""

from __future__ import annotations

import pytest

from cabledesk.telegram.stations import (
    canonical_station,
    known_stations,
    origin_name,
    origin_name_from_address,
    ri_name,
    routing_indicators_for,
    station_for_routing_indicator,
    station_from_address,
    station_of_originator,
)


@pytest.mark.parametrize(
    ("station", "origin"),
    [
        ("MOSCOW", "Embassy Moscow"),
        ("SAOPAULO", "Consulate Sao Paulo"),
        ("STATE", "Secretary of State"),
        ("USNATO", "Mission USNATO"),
        ("HAVANA", "US Interests Section Havana"),
        ("USUNNEWYORK", "USUN New York"),
        ("GENEVA", "US Mission Geneva"),
        # USEU cables published under BRUSSELS ids must not rename the embassy
        ("BRUSSELS", "Embassy Brussels"),
        ("USEUBRUSSELS", "USEU Brussels"),
        ("KIEV", "Embassy Kyiv"),
    ],
)
def test_origin_name(station: str, origin: str) -> None:
    assert origin_name(station) == origin


def test_origin_name_unknown() -> None:
    assert origin_name("NOWHERE") is None


@pytest.mark.parametrize(
    ("ri", "station"),
    [
        ("RUEHMO", "MOSCOW"),
        ("RUEHC", "STATE"),
        ("RUEHTC", "THEHAGUE"),
        ("RUCNDT", "USUNNEWYORK"),
        ("RUEHDIR", "RPODUBAI"),
        ("RUEHIN", "AITTAIPEI"),
        ("RUEHBZ", "BRAZZAVILLE"),  # from ACP 117 only (route2name)
    ],
)
def test_station_for_routing_indicator(ri: str, station: str) -> None:
    assert station_for_routing_indicator(ri) == station


def test_station_for_unknown_ri() -> None:
    assert station_for_routing_indicator("RXXXXX") is None


def test_routing_indicators_for() -> None:
    assert routing_indicators_for("MOSCOW") == ["RUEHMO"]
    assert routing_indicators_for("PARIS")[0] == "RUEHFR"
    # a single misrouted DE line (Montevideo's RI on one Khartoum cable) is not kept
    assert routing_indicators_for("KHARTOUM") == ["RUEHKH"]
    assert routing_indicators_for("NOWHERE") == []


@pytest.mark.parametrize(
    ("plad", "station"),
    [
        ("AMEMBASSY MOSCOW", "MOSCOW"),
        ("AMCONSUL SAO PAULO", "SAOPAULO"),
        ("SECSTATE WASHDC", "STATE"),
        ("RUEHC/SECSTATE WASHDC IMMEDIATE 6346", "STATE"),
        ("USMISSION USUN NEW YORK", "USUNNEWYORK"),
        ("USMISSION GENEVA", "GENEVA"),
        ("AMEMBASSY THE HAGUE", "THEHAGUE"),
        ("AMEMBASSY TRIPOLI LY", "TRIPOLI"),
        ("RUEHLP/AMEMBASSY LA PAZ APR LIMA 2543", "LAPAZ"),
        ("USINT HAVANA", "HAVANA"),
        ("IRAN RPO DUBAI", "RPODUBAI"),
        ("AIT TAIPEI", "AITTAIPEI"),
    ],
)
def test_station_from_address(plad: str, station: str) -> None:
    assert station_from_address(plad) == station


def test_station_from_address_empty() -> None:
    assert station_from_address("") is None
    assert station_from_address("   ") is None


@pytest.mark.parametrize(
    ("plad", "origin"),
    [
        ("AMEMBASSY PORT AU PRINCE", "Embassy Port Au Prince"),
        ("AMCONSUL HO CHI MINH CITY", "Consulate Ho Chi Minh City"),
        ("USMISSION UNVIE VIENNA", "Mission Unvie Vienna"),
        ("RUEHC/SECSTATE WASHDC", "Secretary of State"),
    ],
)
def test_origin_name_from_address(plad: str, origin: str) -> None:
    assert origin_name_from_address(plad) == origin


@pytest.mark.parametrize(
    ("written", "station"),
    [
        ("USUN NEW YORK", "USUNNEWYORK"),
        ("THE HAGUE", "THEHAGUE"),
        ("SAO PAULO", "SAOPAULO"),
        ("SECSTATE", "STATE"),
        ("STATE", "STATE"),
        ("SECTION 01 OF 03 KABUL", "KABUL"),
        ("75 LIBREVILLE", "LIBREVILLE"),
    ],
)
def test_station_of_originator(written: str, station: str) -> None:
    assert station_of_originator(written) == station


def test_ri_name_keeps_acp117_text() -> None:
    assert ri_name("RUEHMO") == "AMEMBASSY MOSCOW"
    assert ri_name("rueHUB") == "USINT HAVANA"
    assert ri_name("NOPE") is None


def test_strict_resolution_does_not_guess_short_words() -> None:
    # Free REF text: a four-letter word is not stretched into a post.
    assert canonical_station("JULY", strict=True) == "JULY"
    assert canonical_station("PARA", strict=True) == "PARA"
    # ... but a damaged id is repaired.
    assert canonical_station("SOIA") == "SOFIA"


def test_table_is_consistent() -> None:
    stations = known_stations()
    assert len(stations) > 250
    for st in stations:
        assert st == st.upper() and " " not in st
        assert canonical_station(st) == st
        assert origin_name(st)


def test_q_marks_lost_letters_only_in_damaged_ids() -> None:
    assert canonical_station("BUENOSQRES") == "BUENOSAIRES"  # Q for "AI"
    assert canonical_station("QXICO") == "MEXICO"  # Q for "ME"
    # ambiguous gap (ADANA or ASTANA): left alone rather than guessed
    assert canonical_station("AQNA") == "AQNA"
    # in free text Q is a letter
    assert canonical_station("QATAR", strict=True) == "QATAR"
