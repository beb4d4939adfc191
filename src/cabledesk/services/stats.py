"""What an archive holds: counts, cables per post per month, and how complete each post's run is.

Coverage answers the question every researcher asks of a leaked corpus: what share of a post's
traffic is here? A post numbers its cables serially each year, so the highest serial seen for
a post and year bounds how many it sent. Cited ids count too: "REF: 09 MOSCOW 3120" reveals
serial 3120 even when the archive holds nothing that late. ``coverage = held / highest``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cabledesk.archive.store import Archive
from cabledesk.services.selection import Selection
from cabledesk.telegram import split_id
from cabledesk.telegram.stations import known_stations, origin_name

__all__ = [
    "ArchiveStats",
    "Coverage",
    "QuarantineEntry",
    "archive_stats",
    "by_origin_month",
    "coverage",
    "coverage_where",
    "id_parts",
    "quarantine",
    "top_origins",
]


@dataclass(slots=True)
class Coverage:
    """One post and year: serials held, the highest serial seen (held or cited) and where."""

    station: str
    origin: str
    year: int
    held: int
    highest_held: int
    highest_cited: int | None
    highest_id: str

    @property
    def highest_serial(self) -> int:
        return max(self.highest_held, self.highest_cited or 0)

    @property
    def coverage(self) -> float:
        return self.held / self.highest_serial if self.highest_serial else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "station": self.station,
            "year": self.year,
            "held": self.held,
            "highest_serial": self.highest_serial,
            "highest_held": self.highest_held,
            "highest_cited": self.highest_cited,
            "highest_id": self.highest_id,
            "coverage": round(self.coverage, 6),
        }


@dataclass(slots=True, frozen=True)
class QuarantineEntry:
    """An input that could not be stored: file, line, why, and when."""

    source: str
    line: int
    reason: str
    quarantined_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "reason": self.reason,
            "quarantined_at": self.quarantined_at,
        }


@dataclass(slots=True)
class ArchiveStats:
    """Everything ``cabledesk stats`` prints; ``to_dict`` is its ``--json`` form."""

    counts: dict[str, int]
    origins: list[tuple[str | None, int]]
    by_origin_month: list[tuple[str | None, str | None, int]]
    coverage: list[Coverage]
    quarantine_reasons: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "origins": [{"origin": o, "cables": n} for o, n in self.origins],
            "by_origin_month": [
                {"origin": o, "month": m, "cables": n} for o, m, n in self.by_origin_month
            ],
            "coverage": [c.to_dict() for c in self.coverage],
            "quarantine_reasons": [{"reason": r, "records": n} for r, n in self.quarantine_reasons],
        }


_CANONICAL = re.compile(r"(\d{2})([A-Z]+)(\d+)(?:_[a-z0-9]{1,4})?")


def id_parts(reference_id: str) -> tuple[int, str, int] | None:
    """(four-digit year, station, serial) of a canonical id; ``split_id`` for any other.

    Archive ids and cited ids are already canonical, so the common case is one regex match
    and a set lookup instead of ``split_id``'s repair rules (which give the same answer for a
    canonical id with a known station, ``tests/test_stats.py`` checks it).
    """
    m = _CANONICAL.fullmatch(reference_id)
    if m and m.group(2) in known_stations():
        yy = int(m.group(1))
        return (1900 + yy if yy >= 66 else 2000 + yy), m.group(2), int(m.group(3))
    parts = split_id(reference_id)
    if parts is None or parts[0] is None or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def top_origins(
    archive: Archive, selection: Selection | None = None
) -> list[tuple[str | None, int]]:
    """Posts by number of cables held, most first."""
    where, params = (selection or Selection()).where(archive.conn, "c")
    rows = archive.conn.execute(
        f"SELECT origin, count(*) AS n FROM cables c WHERE {where} "
        "GROUP BY origin ORDER BY n DESC, origin",
        params,
    )
    return [(origin, int(n)) for origin, n in rows]


def by_origin_month(
    archive: Archive, selection: Selection | None = None
) -> list[tuple[str | None, str | None, int]]:
    """(origin, ``YYYY-MM``, cables) for every post and month; month ``None`` for undated."""
    where, params = (selection or Selection()).where(archive.conn, "c")
    rows = archive.conn.execute(
        f"SELECT origin, substr(date, 1, 7) AS month, count(*) FROM cables c WHERE {where} "
        "GROUP BY origin, month ORDER BY origin, month",
        params,
    )
    return [(origin, month, int(n)) for origin, month, n in rows]


def _held_serials(
    archive: Archive, where: str, params: Sequence[object]
) -> tuple[dict[tuple[str, int], set[int]], dict[tuple[str, int], str], dict[str, Counter[str]]]:
    serials: dict[tuple[str, int], set[int]] = {}
    top: dict[tuple[str, int], tuple[int, str]] = {}
    names: dict[str, Counter[str]] = {}
    for ref_id, origin in archive.conn.execute(
        f"SELECT reference_id, origin FROM cables c WHERE {where}", params
    ):
        parts = id_parts(ref_id)
        if parts is None:
            continue
        year, station, serial = parts
        key = (station, year)
        serials.setdefault(key, set()).add(serial)
        if serial > top.get(key, (-1, ""))[0]:
            top[key] = (serial, ref_id)
        if origin:
            names.setdefault(station, Counter())[origin] += 1
    return serials, {key: ref_id for key, (_serial, ref_id) in top.items()}, names


def _cited_maxima(
    archive: Archive, wanted: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], tuple[int, str]]:
    """Highest cited serial (and the id) for each wanted (station, year), over every REF: one
    range of the ``refs_cited`` index per station and year (the serial's digits follow the
    ``YYSTATION`` prefix of a canonical id)."""
    best: dict[tuple[str, int], tuple[int, str]] = {}
    for station, year in wanted:
        key = (station, year)
        prefix = f"{year % 100:02d}{station}"
        for (cited,) in archive.conn.execute(
            "SELECT DISTINCT cited_id FROM refs WHERE cited_id >= ? AND cited_id < ?",
            (prefix + "0", prefix + ":"),
        ):
            parts = id_parts(cited)
            if parts and parts[:2] == (year, station) and parts[2] > best.get(key, (-1, ""))[0]:
                best[key] = (parts[2], cited)
    return best


def coverage_where(archive: Archive, where: str, params: Sequence[object]) -> list[Coverage]:
    """Coverage of the cables ``where`` selects (SQL over ``cables c`` that the caller builds
    from fixed fragments), by post then year; :func:`coverage` and the post page share it."""
    serials, top_id, names = _held_serials(archive, where, params)
    cited = _cited_maxima(archive, serials)
    rows: list[Coverage] = []
    for (station, year), held in serials.items():
        counter = names.get(station)
        origin = counter.most_common(1)[0][0] if counter else origin_name(station) or station
        highest_held = max(held)
        cited_serial, cited_id = cited.get((station, year), (None, ""))
        higher = cited_serial is not None and cited_serial > highest_held
        rows.append(
            Coverage(
                station=station,
                origin=origin,
                year=year,
                held=len(held),
                highest_held=highest_held,
                highest_cited=cited_serial,
                highest_id=cited_id if higher else top_id[(station, year)],
            )
        )
    rows.sort(key=lambda c: (c.origin, c.station, c.year))
    return rows


def coverage(archive: Archive, selection: Selection | None = None) -> list[Coverage]:
    """Coverage of every post and year the selection holds cables for, by post then year.

    ``held`` counts distinct serials (PlusD's ``_a``/``_b`` documents share one). The highest
    cited serial comes from every REF in the archive, whoever cites it.
    """
    where, params = (selection or Selection()).where(archive.conn, "c")
    return coverage_where(archive, where, params)


def quarantine(archive: Archive, limit: int | None = None) -> list[QuarantineEntry]:
    """Quarantined inputs in file and line order (at most ``limit``)."""
    rows = archive.conn.execute(
        "SELECT source, line, reason, quarantined_at FROM quarantine "
        "ORDER BY source, line, reason LIMIT ?",
        (-1 if limit is None else limit,),
    )
    return [QuarantineEntry(*row) for row in rows]


def _quarantine_reasons(archive: Archive, limit: int = 10) -> list[tuple[str, int]]:
    rows = archive.conn.execute(
        "SELECT reason, count(*) AS n FROM quarantine GROUP BY reason "
        "ORDER BY n DESC, reason LIMIT ?",
        (limit,),
    )
    return [(reason, int(n)) for reason, n in rows]


def archive_stats(archive: Archive, selection: Selection | None = None) -> ArchiveStats:
    """Counts for the whole archive; origins, months and coverage for the selection."""
    selection = selection or Selection()
    return ArchiveStats(
        counts=archive.counts(),
        origins=top_origins(archive, selection),
        by_origin_month=by_origin_month(archive, selection),
        coverage=coverage(archive, selection),
        quarantine_reasons=_quarantine_reasons(archive),
    )
