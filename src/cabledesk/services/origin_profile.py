"""One post's profile: its traffic by month, how complete its serials are, its TAGS, its readers.

The web app's origin page asks this of a single post, so every figure is read through the
post's own index range (``cables_origin``, ``refs_cited`` by id prefix), never by a pass over
the whole archive: the page costs the same on 6,000 cables as on 250,000.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cabledesk.archive.store import Archive
from cabledesk.errors import CabledeskError
from cabledesk.services.filters import matching_origins
from cabledesk.services.stats import Coverage, coverage_where
from cabledesk.telegram.stations import origin_name_from_address

__all__ = ["OriginNotFound", "OriginProfile", "origin_profile", "resolve_origin"]

TOP = 15
"""TAGS and correspondents listed."""


class OriginNotFound(CabledeskError, LookupError):
    """No post of the archive has the name asked for (``candidates`` lists near names)."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(slots=True)
class OriginProfile:
    """Everything the origin page shows; ``to_dict`` is its JSON form."""

    origin: str
    cables: int
    first_date: str | None
    last_date: str | None
    stations: list[str]
    by_month: list[tuple[str | None, int]]
    coverage: list[Coverage]
    top_tags: list[tuple[str, int]]
    top_addressees: list[tuple[str, str | None, int]] = field(default_factory=list)
    """(address as written, the post it names when the archive holds cables from it, cables)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "cables": self.cables,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "stations": self.stations,
            "by_month": [{"month": m, "cables": n} for m, n in self.by_month],
            "coverage": [c.to_dict() for c in self.coverage],
            "top_tags": [{"tag": t, "cables": n} for t, n in self.top_tags],
            "top_addressees": [
                {"address": a, "origin": o, "cables": n} for a, o, n in self.top_addressees
            ],
        }


def resolve_origin(archive: Archive, name: str) -> str:
    """The archive's origin called ``name``: exactly (case ignored), else the one post the
    search filter ``origin:name`` names. Raises OriginNotFound otherwise."""
    wanted = " ".join(name.split())
    row = archive.conn.execute(
        "SELECT origin FROM cables WHERE origin = ? LIMIT 1", (wanted,)
    ).fetchone()
    if row:
        return str(row[0])
    found = matching_origins(archive.conn, wanted)
    exact = [o for o in found if o.casefold() == wanted.casefold()]
    if exact or len(found) == 1:
        return (exact or found)[0]
    if found:
        raise OriginNotFound(f"{name!r} names {len(found)} posts: {', '.join(found)}", found)
    raise OriginNotFound(f"{name!r}: no post of the archive has that name")


def _coverage(archive: Archive, origin: str) -> list[Coverage]:
    """Coverage (services.stats) of the post's stations and years."""
    return coverage_where(archive, "c.origin = ?", [origin])


def _addressees(archive: Archive, origin: str, limit: int) -> list[tuple[str, str | None, int]]:
    rows = archive.conn.execute(
        "SELECT a.address, count(DISTINCT a.cable_id) AS n FROM cables c "
        "JOIN addressees a ON a.cable_id = c.id "
        "WHERE c.origin = ? AND a.role IN ('to', 'info') "
        "GROUP BY a.address ORDER BY n DESC, a.address LIMIT ?",
        (origin, limit),
    ).fetchall()
    posts: dict[str, str | None] = {}
    for address, _n in rows:
        post = origin_name_from_address(address)
        held = (
            post is not None
            and archive.conn.execute(
                "SELECT 1 FROM cables WHERE origin = ? LIMIT 1", (post,)
            ).fetchone()
        )
        posts[address] = post if held else None
    return [(address, posts[address], int(n)) for address, n in rows]


def origin_profile(archive: Archive, name: str, top: int = TOP) -> OriginProfile:
    """The profile of the post ``name`` (see :func:`resolve_origin`)."""
    origin = resolve_origin(archive, name)
    conn = archive.conn
    months = Counter[str | None]()
    for month, n in conn.execute(
        "SELECT substr(date, 1, 7), count(*) FROM cables WHERE origin = ? GROUP BY 1", (origin,)
    ):
        months[month] += int(n)
    first, last = conn.execute(
        "SELECT min(date), max(date) FROM cables WHERE origin = ?", (origin,)
    ).fetchone()
    stations = [
        str(s)
        for s, _n in conn.execute(
            "SELECT station, count(*) AS n FROM cables WHERE origin = ? AND station IS NOT NULL "
            "GROUP BY station ORDER BY n DESC, station",
            (origin,),
        )
    ]
    tags = conn.execute(
        "SELECT t.code, count(*) AS n FROM cables c JOIN tags t ON t.cable_id = c.id "
        "WHERE c.origin = ? GROUP BY t.code ORDER BY n DESC, t.code LIMIT ?",
        (origin, top),
    ).fetchall()
    return OriginProfile(
        origin=origin,
        cables=sum(months.values()),
        first_date=first,
        last_date=last,
        stations=stations,
        by_month=sorted(months.items(), key=lambda kv: (kv[0] is None, kv[0] or "")),
        coverage=_coverage(archive, origin),
        top_tags=[(str(code), int(n)) for code, n in tags],
        top_addressees=_addressees(archive, origin, top),
    )
