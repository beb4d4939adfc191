"""Header codes spelled out for readers: the terminal view and the web page show the same words.

``RUEHMO`` reads as ``RUEHMO (Embassy Moscow)``, the prosign ``OO`` as ``OO (IMMEDIATE)``.
"""

from __future__ import annotations

from cabledesk.telegram.codes import precedence_from_prosign, routing_indicator_name
from cabledesk.telegram.stations import origin_name, station_for_routing_indicator

__all__ = ["prosign_label", "routing_indicator_label"]


def routing_indicator_label(ri: str | None) -> str:
    """``RUEHMO`` -> ``RUEHMO (Embassy Moscow)``: the post when known, else ACP 117's name."""
    if not ri:
        return ""
    station = station_for_routing_indicator(ri)
    name = (origin_name(station) if station else None) or routing_indicator_name(ri)
    return f"{ri} ({name})" if name else ri


def prosign_label(prosign: str | None) -> str:
    """``OO`` -> ``OO (IMMEDIATE)``; an unknown prosign as written."""
    word = precedence_from_prosign(prosign) if prosign else None
    return f"{prosign} ({word})" if word else prosign or ""
