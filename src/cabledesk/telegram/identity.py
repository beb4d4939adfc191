"""Who a cable is: its ids, date, origin, classification and precedence, from the text first.

The text can name a cable in three places: the classification line (originator + serial), the
FL3 ``DE`` line (routing indicator + last four digits of the serial) and the FM line. They agree
in almost every cable (format.md §7: 5,748 of 5,753 DE serials match). Where they do not, the
publisher glued another cable's body under a header (``10MEXICO614``: Mexico's header over an
Islamabad body) or the page lost a digit (``BUENOS AIRES 00167SIPDIS``): the header wins, and
``validate`` reports ``header-body-conflict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from cabledesk.telegram import header, ids, stations, structure
from cabledesk.telegram.codes import (
    classification_level,
    highest_precedence,
    level_of_fl4,
    level_of_portion_mark,
    level_rank,
    precedence_from_prosign,
)
from cabledesk.telegram.model import Cable

__all__ = ["HeaderBodyConflict", "classification_fallback", "header_body_conflict", "identify"]


@dataclass(frozen=True, slots=True)
class HeaderBodyConflict:
    """How the routing header and the classification line disagree."""

    header_station: str | None
    body_station: str | None
    header_serial: str | None
    body_serial: str | None

    @property
    def message(self) -> str:
        head = f"{self.header_station or '?'} #{self.header_serial or '?'}"
        body = f"{self.body_station or '?'} {self.body_serial or '?'}"
        return f"header names {head}, classification line names {body}"


def _redacted(originator: str) -> bool:
    return originator.replace(" ", "").strip("X") == ""


def header_body_conflict(cable: Cable) -> HeaderBodyConflict | None:
    """The disagreement between header (DE, FM) and classification line, if any."""
    cls = cable.classification_line
    if cls is None:
        return None
    h = cable.header
    fm = stations.station_from_address(cable.from_.address) if cable.from_ else None
    de = _de_station(h.station)
    body = (
        stations.station_of_originator(cls.originator)
        if cls.originator and not _redacted(cls.originator)
        else None
    )
    station_conflict = bool(body and (fm or de) and body not in (fm, de))
    # FL3's serial is the post's own only when its routing indicator is the post's
    serial_conflict = bool(
        cls.serial
        and h.station_serial
        and de is not None
        and de in (body, fm)
        and _last4(cls.serial) != _last4(h.station_serial)
    )
    if not (station_conflict or serial_conflict):
        return None
    return HeaderBodyConflict(fm or de, body, h.station_serial, cls.serial)


def _de_station(ri: str | None) -> str | None:
    """The post of an FL3 routing indicator, when it is a State post's own (``RUEH..``,
    5 FAH-2 H-231); relays such as a delegation's ``RUCNAI`` number their own traffic."""
    if not ri or not ri.startswith("RUEH"):
        return None
    return stations.station_for_routing_indicator(ri)


def _last4(serial: str) -> str:
    return serial.lstrip("0").zfill(4)[-4:]


def _text_id(cable: Cable, year: int | None, conflict: HeaderBodyConflict | None) -> str | None:
    """The id the text gives, or None. Header wins on conflict (module docstring)."""
    if year is None:
        return None
    cls = cable.classification_line
    h = cable.header
    fm = stations.station_from_address(cable.from_.address) if cable.from_ else None
    header_station = fm or _de_station(h.station)
    if (
        conflict is not None
        and conflict.header_station != conflict.body_station
        and (conflict.body_station is not None)
    ):
        # Another post's body: the id is the header's, if it carries a serial.
        if header_station and h.station_serial:
            return ids.make_id(year, header_station, h.station_serial)
        return None
    serial = cls.serial if cls is not None else None
    if conflict is not None and serial and h.station_serial:
        # FL3 carries the last four digits (ACP 127 §129); it wins over a damaged line.
        head = serial.lstrip("0")[:-4]
        serial = head + h.station_serial
    if not serial:
        # FL3 alone: only four digits, too few for the Department's own serials.
        if header_station == "STATE" or not h.station_serial:
            return None
        serial = h.station_serial
    if cls is not None and cls.originator and not _redacted(cls.originator):
        return ids.make_id(year, cls.originator, serial)
    if header_station:
        return ids.make_id(year, header_station, serial)
    return None


def identify(cable: Cable, hints: Mapping[str, object], pre: structure.Preamble) -> None:
    """Fill ``reference_id``, ``canonical_id``, ``date``, ``origin``, ``station``,
    ``classification`` and ``precedence`` (with their sources) from text, then hints."""
    h = cable.header
    cls = cable.classification_line
    hint_id = str(hints.get("reference_id") or "") or None

    date = header.dtg_to_datetime(h.dtg) if h.dtg else None
    if date is not None:
        cable.date, cable.date_source = date, "dtg"
    elif pre.date is not None:
        cable.date, cable.date_source = pre.date, "date_line"
    else:
        hint_date = _hint_date(hints.get("date"))
        if hint_date is not None:
            cable.date, cable.date_source = hint_date, "hint"

    year = cable.date.year if cable.date else None
    if year is None and hint_id:
        split = ids.split_id(hint_id)
        year = split[0] if split else None

    conflict = header_body_conflict(cable)
    text_id = _text_id(cable, year, conflict)
    cable.canonical_id = text_id or (ids.canonical_id(hint_id) if hint_id else None)
    if hint_id:
        cable.reference_id, cable.reference_id_source = hint_id, "hint"
    elif text_id:
        cable.reference_id = text_id
        from_cls = cls is not None and cls.serial and conflict is None
        cable.reference_id_source = "classification_line" if from_cls else "de_line"

    fm = stations.station_from_address(cable.from_.address) if cable.from_ else None
    split = ids.split_id(cable.canonical_id) if cable.canonical_id else None
    cable.station = split[1] if split else fm
    origin = stations.origin_name(fm) if fm else None
    if origin is None and cable.station:
        origin = stations.origin_name(cable.station)
    if origin is None and cable.from_ is not None:
        origin = stations.origin_name_from_address(cable.from_.address)
    if origin is None and hints.get("origin"):
        origin = str(hints["origin"])
    cable.origin = origin

    fl4 = level_of_fl4(h.security) if h.security else None
    if cls is not None and not (conflict is not None and fl4):
        cable.classification = cls.level
    elif fl4:
        cable.classification = fl4

    words = [a.precedence for a in cable.to if a.precedence]
    prec = highest_precedence(words) if words else None
    if prec is None and h.fl5_precedence:
        prec = precedence_from_prosign(h.fl5_precedence[0])
    cable.precedence = prec


def classification_fallback(cable: Cable, hints: Mapping[str, object]) -> None:
    """Where neither classification line nor FL4 gave a level: the highest portion mark
    (a cable is classified at least as high as its paragraphs, 5 FAH-1 H-246.2), else the hint."""
    if cable.classification is not None:
        return
    best: str | None = None
    for p in cable.paragraphs:
        level = level_of_portion_mark(p.mark) if p.mark else None
        if level is not None and (
            best is None or (level_rank(level) or 0) > (level_rank(best) or 0)
        ):
            best = level
    if best is None and hints.get("classification"):
        best = classification_level(str(hints["classification"]).split("//")[0])
    cable.classification = best


def _hint_date(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        return structure.parse_hint_date(value)
    return None
