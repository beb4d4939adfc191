"""The typed model of one cable: every part of a telegram as a field.

Plain slotted dataclasses, so parsing stays cheap; ``Cable.to_dict()`` / ``Cable.from_dict()``
give the JSON form documented in ``docs/json-schema.md``. Offsets (``start``/``end``) count
characters in ``Cable.text``, the input exactly as given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Addressee",
    "BreakLine",
    "Cable",
    "ClassificationLine",
    "ClassifiedBy",
    "Declassification",
    "Finding",
    "Paragraph",
    "Reference",
    "Span",
    "Tag",
    "TransmissionHeader",
]


@dataclass(slots=True)
class Span:
    """A region of the cable text: a redaction, a COMMENT ... END COMMENT, a summary."""

    start: int
    end: int


@dataclass(slots=True)
class TransmissionHeader:
    """The ACP-127 format lines 1-5 (ACP 127 Annex B), plus the legacy print-format extras."""

    transmission_id: str | None = None
    """FL1 as written, e.g. ``VZCZCXYZ0000``."""
    channel: str | None = None
    """FL1 channel designator, e.g. ``XYZ``."""
    channel_serial: str | None = None
    """FL1 channel serial, e.g. ``0000``."""
    precedence_prosign: str | None = None
    """FL2 repeated precedence prosign, e.g. ``OO``."""
    routing_indicators: list[str] = field(default_factory=list)
    """FL2 routing indicators of the delivering stations."""
    station: str | None = None
    """FL3 routing indicator of the originating station, e.g. ``RUEHMO``."""
    station_serial: str | None = None
    """FL3 station serial number, e.g. ``0104``."""
    section: int | None = None
    """FL3 transmission section number (``/01``)."""
    filing_time: str | None = None
    """FL3 Julian filing time as written: day of year, hour, minute (``0121523``)."""
    security: str | None = None
    """FL4 security warning, e.g. ``ZNY SSSSS``."""
    operating_signals: list[str] = field(default_factory=list)
    """FL4 groups after the security warning (``ZZH``), kept opaque."""
    fl5_precedence: list[str] = field(default_factory=list)
    """FL5 precedence prosign(s), e.g. ``["O"]`` or ``["P", "R"]``."""
    dtg: str | None = None
    """FL5 date-time group as written, e.g. ``121523Z JAN 07``."""
    fl5_signals: list[str] = field(default_factory=list)
    """FL5 operating signals after the DTG (``ZDK``, ``ZFF4``)."""
    page_line: str | None = None
    """Legacy print format: the first ``PAGE 01 ...`` line."""
    action_offices: list[str] = field(default_factory=list)
    """Legacy print format: ``ACTION`` office symbols."""
    info_offices: list[str] = field(default_factory=list)
    """Legacy print format: ``INFO`` office distribution symbols."""


@dataclass(slots=True)
class Addressee:
    """One FM/TO/INFO/XMT line: ``RUEHC/SECSTATE WASHDC IMMEDIATE 6346``."""

    address: str
    """Plain language address designator, e.g. ``SECSTATE WASHDC``."""
    routing_indicator: str | None = None
    """Routing indicator before the slash (``RUEHC``), ``ZEN`` or ``None``."""
    precedence: str | None = None
    """Precedence word as written; ``None`` is ROUTINE (written as no word)."""
    mcn: str | None = None
    """Message continuity number as written (``6346``, ``2276-2279``)."""
    collective: bool = False
    excluded: list[str] = field(default_factory=list)
    """Posts exempted from this collective by a following ``XMT`` line."""
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class ClassificationLine:
    """The first line of the text: ``S E C R E T SECTION 01 OF 02 MOSCOW 000104``."""

    marking: str
    """The classification as written (``S E C R E T``, ``UNCLAS E F T O``)."""
    level: str
    """UNCLASSIFIED, CONFIDENTIAL, SECRET or TOP SECRET."""
    originator: str | None = None
    serial: str | None = None
    section: int | None = None
    sections: int | None = None
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Declassification:
    """The E.O. line: ``E.O. 12958: DECL: 01/12/2016``."""

    order: str | None
    """Executive order number as written (``12958``, ``13526``, ``11652``)."""
    declassify_on: dt.date | None = None
    instruction: str | None = None
    """Anything other than a date: ``N/A``, ``X1``, ``MR``, ``OADR``, ``GDS``."""
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Tag:
    """One TAGS entry with its kind: subject, geographic, program, person, organisation or unknown."""

    code: str
    kind: str


@dataclass(slots=True)
class Reference:
    """One entry of the REF block."""

    kind: str
    """cable, email, tel, memo, report, book, letter, fax, meeting, web or other."""
    text: str
    """The entry as written."""
    letter: str | None = None
    cable_id: str | None = None
    """Canonical id of the cited cable, when it is one."""
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class ClassifiedBy:
    """``Classified By: Political Minister-Counselor Alice G. Wells. Reasons 1.4 (b and d).``"""

    name: str | None
    title: str | None = None
    reasons: list[str] = field(default_factory=list)
    """As section and letter: ``["1.4(b)", "1.4(d)"]``."""
    text: str = ""
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Paragraph:
    """A paragraph of the body, numbered or not, with its portion mark as written."""

    text: str
    number: int | None = None
    mark: str | None = None
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class BreakLine:
    """A page or section break removed from paragraph text but kept as a position."""

    kind: str
    """``page`` (``PAGE 02 ...``, ``MANAMA 00000492 002 OF 002``), ``section`` or ``caption``."""
    text: str
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Finding:
    """A validation finding: a warning with a stable code and a position."""

    code: str
    message: str
    severity: str = "warning"
    start: int | None = None
    end: int | None = None


_JSON_NAMES = {"from_": "from"}
_PY_NAMES = {v: k for k, v in _JSON_NAMES.items()}


@dataclass(slots=True)
class Cable:
    """One telegram, parsed. ``text`` is the input exactly as given."""

    text: str
    reference_id: str | None = None
    reference_id_source: str | None = None
    """Where ``reference_id`` came from: ``hint``, ``classification_line``, ``de_line``, ``page_line``."""
    canonical_id: str | None = None
    date: dt.datetime | None = None
    date_source: str | None = None
    """Where ``date`` came from: ``dtg``, ``page_line``, ``hint``."""
    origin: str | None = None
    """The originating post, as the publisher names it: ``Embassy Moscow``."""
    station: str | None = None
    """The originator as written in ids: ``MOSCOW``."""
    classification: str | None = None
    precedence: str | None = None
    shape: str = "telegram"
    """``telegram``, ``preamble``, ``legacy``, ``partial`` or ``body``."""
    partial: bool = False
    preamble: dict[str, str] = field(default_factory=dict)
    header: TransmissionHeader = field(default_factory=TransmissionHeader)
    from_: Addressee | None = None
    to: list[Addressee] = field(default_factory=list)
    info: list[Addressee] = field(default_factory=list)
    xmt: list[Addressee] = field(default_factory=list)
    classification_line: ClassificationLine | None = None
    captions: list[str] = field(default_factory=list)
    handling: list[str] = field(default_factory=list)
    """Passing and attention lines (``DEPT FOR EUR/WE``)."""
    declassification: Declassification | None = None
    tags: list[Tag] = field(default_factory=list)
    subject: str | None = None
    subject_mark: str | None = None
    references: list[Reference] = field(default_factory=list)
    classified_by: ClassifiedBy | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    summary: str | None = None
    comments: list[Span] = field(default_factory=list)
    redactions: list[Span] = field(default_factory=list)
    breaks: list[BreakLine] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def declassify_on(self) -> dt.date | None:
        return self.declassification.declassify_on if self.declassification else None

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO 8601 strings, UTC ``Z``)."""
        out = _to_json(self)
        out["declassify_on"] = _to_json(self.declassify_on)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cable:
        """Inverse of :meth:`to_dict`."""
        return typing.cast(Cable, _from_json(cls, data))


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return {
            _JSON_NAMES.get(f.name, f.name): _to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
        }
    raise TypeError(f"cannot serialise {type(value).__name__}")


_HINTS: dict[type, dict[str, Any]] = {}


def _from_json(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _from_json(args[0], data)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_from_json(item, v) for v in data]
    if origin is dict:
        return dict(data)
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(data.replace("Z", "+00:00"))
    if tp is dt.date:
        return dt.date.fromisoformat(data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _HINTS.get(tp)
        if hints is None:
            hints = _HINTS[tp] = typing.get_type_hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            key = _JSON_NAMES.get(f.name, f.name)
            if key in data:
                kwargs[f.name] = _from_json(hints[f.name], data[key])
        return tp(**kwargs)
    return data
