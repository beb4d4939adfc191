"""Cable reference ids: ``07MOSCOW104`` = two-digit year + station + serial (format.md §6).

The station is the classification line's originator with spaces removed (ACP 127 §209,
5 FAH-2 H-222); the serial is the cable's own number without leading zeros (its last four
digits are the FL3 station serial, ACP 127 §129).  WikiLeaks published ids damaged in
regular ways, which :func:`canonical_id` undoes by rule:

* a section marker glued in, often garbled (``08ECTION01OF02MANAMA492``, ``0901OF02...``);
* a caption or classification tail glued before the station (``08EFTOLONDON2883``,
  ``85NOFORNMOGADISHU1643``, ``09SIFIEDABUJA1673``, ``09AMEMBASSYHANOI1284``);
* an FL4/FL5 operating signal and a second number glued after the serial
  (``06MADRID002583ZFR2585``, ``07OSLO000160ZDK164``, ``90STATE255577TOSEC140323``,
  ``08ACCRA001382SUSPECTEDDUPLICATE1392``);
* a doubled year (``7575LIBREVILLE1895``) and misspelt stations (``07SOIA828``).

National Archives document numbers (``1976OTTAWA00108``) give ``76OTTAWA108``; NARA's
six-letter station truncations are expanded when unique (``1973STOCKH04045`` ->
``73STOCKHOLM4045``).  PlusD suffixes (``10SHANGHAI60_a``) are kept, lower-case, because
PlusD uses them to tell apart distinct documents under one number.
"""

from __future__ import annotations

import functools
import re

from .stations import canonical_station, station_of_originator

__all__ = ["canonical_id", "make_id", "split_id"]

_LEAD_DIGITS = re.compile(r"\d+")
_SUFFIX = re.compile(r"(_[A-Za-z0-9]{1,4})$")
# Garbled "SECTION nn OF mm": any letters, then two digit-ish characters, OF-ish, two digits.
_SECTION = re.compile(r"^[A-Z]{0,9}?(?:\d\d|\dQ|Q\d)(?:OF|GF|QF|0F|F|O)\d\d(?=[A-Z])")
# Serial, an operating signal (ACP 131 Z-signals) or TOSEC series word, a second number.
_SIGNAL = re.compile(
    r"^(?P<head>.*?)(?P<a>\d+)(?P<sig>ZFR|ZDK|ZFD|ZFG|TOSEC|SUSPECTEDDUPLICATE)"
    r"(?P<b>\d+)$"
)
# Which of the two numbers is the cable's own serial, per signal.
_SIGNAL_KEEPS_SECOND = frozenset({"SUSPECTEDDUPLICATE"})
_BODY = re.compile(r"^(?P<station>[A-Z][A-Z\-'.]*?)(?P<serial>\d+)$")


def _two_digit_year(digits: str) -> tuple[str, str] | None:
    """Split the leading digits into (two-digit year, digits that belong to the rest)."""
    if len(digits) < 2:
        return None
    if len(digits) == 4:
        if digits[:2] in ("19", "20"):
            return digits[2:], ""
        if digits[:2] == digits[2:]:
            return digits[:2], ""
    return digits[:2], digits[2:]


@functools.lru_cache(maxsize=16384)
def _parse(reference_id: str) -> tuple[str, str, str, str] | None:
    """(two-digit year, canonical station, serial, suffix) or ``None``."""
    s = "".join(reference_id.split()).upper()
    suffix = ""
    m = _SUFFIX.search(s)
    if m:
        suffix = m.group(1).lower()
        s = s[: m.start()]
    m = _LEAD_DIGITS.match(s)
    if not m:
        return None
    split = _two_digit_year(m.group())
    if split is None:
        return None
    yy, carry = split
    rest = carry + s[m.end() :]
    sec = _SECTION.match(rest)
    if sec:
        rest = rest[sec.end() :]
    sig = _SIGNAL.match(rest)
    if sig:
        serial_text = sig.group("b") if sig.group("sig") in _SIGNAL_KEEPS_SECOND else sig.group("a")
        rest = sig.group("head") + serial_text
    body = _BODY.match(rest)
    if not body:
        return None
    raw_station = body.group("station").replace("-", "").replace(".", "").replace("'", "")
    year = int(yy)
    year4 = 1900 + year if year >= 66 else 2000 + year
    station = canonical_station(raw_station, year4)
    serial = body.group("serial").lstrip("0") or "0"
    return yy, station, serial, suffix


def canonical_id(reference_id: str) -> str:
    """Canonical cable id: ``YY`` + canonical station + serial without leading zeros.

    Never raises: an id that cannot be understood comes back stripped and upper-cased.
    """
    try:
        parsed = _parse(reference_id)
    except Exception:  # noqa: BLE001 - documented never to raise
        parsed = None
    if parsed is None:
        return (reference_id or "").strip().upper()
    yy, station, serial, suffix = parsed
    return f"{yy}{station}{serial}{suffix}"


def split_id(reference_id: str) -> tuple[int | None, str, str] | None:
    """(four-digit year, canonical station, serial) of an id, or ``None``.

    Two-digit years 66-99 are 19xx, 00-65 are 20xx (Cablegate spans 1966-2010).
    """
    parsed = _parse(reference_id)
    if parsed is None:
        return None
    yy, station, serial, _suffix = parsed
    year = int(yy)
    return (1900 + year if year >= 66 else 2000 + year), station, serial


_NON_DIGIT = re.compile(r"\D")


def make_id(year: int, originator: str, serial: str) -> str:
    """Canonical id from the classification line: ``make_id(2007, "MOSCOW", "000104")``."""
    station = station_of_originator(originator)
    serial = serial or ""
    # str.isdecimal is exactly the Unicode Nd class that ``\d`` matches
    digits = (serial if serial.isdecimal() else _NON_DIGIT.sub("", serial)).lstrip("0") or "0"
    return f"{year % 100:02d}{station}{digits}"
