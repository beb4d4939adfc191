"""Facet counts (origin, tag, classification, year, caption) over a whole result set.

The result set is a temporary table of cable ids. Two plans, chosen by its size: a small set
is walked row by row (one lookup per hit), a large one is counted by scanning the compact
covering index of each facet and probing the set, which costs the archive's size whatever the
number of hits. The crossover was measured on a 250,000-cable archive (bench/search.py).
"""

from __future__ import annotations

import sqlite3
from collections import Counter

__all__ = ["FACETS", "LOOP_FRACTION", "count_facets", "ordered_counts"]

FACETS = ("origin", "tag", "classification", "year", "caption")
"""Facet names, in the order results list them."""

LOOP_FRACTION = {"cables": 1 / 3, "tag": 1 / 2, "caption": 1 / 4}
"""Below this share of the archive a facet group is counted hit by hit, above it by scanning
its index; the crossovers measured on 250,000 cables (tags are cheaper to walk per hit)."""

_LOOP_CABLES = (
    "SELECT c.origin, c.classification, c.year, count(*) "
    "FROM {hits} AS h CROSS JOIN cables AS c ON c.id = h.id GROUP BY 1, 2, 3"
)
# The parser lists each tag of a cable once (telegram.tags), so count(*) counts cables.
_LOOP_TAGS = (
    "SELECT t.code, count(*) FROM {hits} AS h CROSS JOIN tags AS t ON t.cable_id = h.id GROUP BY 1"
)
_LOOP_CAPTIONS = (
    "SELECT t.caption, count(*) "
    "FROM {hits} AS h CROSS JOIN captions AS t ON t.cable_id = h.id GROUP BY 1"
)
_SCANS = {
    "origin": "SELECT origin, count(*) FROM cables INDEXED BY cables_origin {where} GROUP BY 1",
    "classification": (
        "SELECT classification, count(*) FROM cables INDEXED BY cables_classification "
        "{where} GROUP BY 1"
    ),
    "year": "SELECT year, count(*) FROM cables INDEXED BY cables_year {where} GROUP BY 1",
    "tag": ("SELECT code, count(*) FROM tags INDEXED BY tags_code {where_tag} GROUP BY 1"),
    "caption": (
        "SELECT caption, count(*) FROM captions INDEXED BY captions_caption {where_tag} GROUP BY 1"
    ),
}


def ordered_counts(counter: Counter[str], limit: int | None) -> dict[str, int]:
    """Most frequent first, then by value, so the order is stable."""
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(items[:limit] if limit is not None else items)


def count_facets(
    conn: sqlite3.Connection,
    hits: str | None,
    total: int,
    archive_size: int,
    *,
    limit: int | None = None,
) -> dict[str, dict[str, int]]:
    """Counts of each facet's values over the cables in the table ``hits`` (an identifier
    made by the caller; None means every cable). Cables without a value (NULL or empty) are
    not counted."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    if total == 0:
        return {name: {} for name in FACETS}
    where = f"WHERE id IN (SELECT id FROM {hits})" if hits else ""
    where_tag = f"WHERE cable_id IN (SELECT id FROM {hits})" if hits else ""

    def walk(group: str) -> bool:
        return hits is not None and total < LOOP_FRACTION[group] * archive_size

    def scan(name: str) -> None:
        for value, n in conn.execute(_SCANS[name].format(where=where, where_tag=where_tag)):
            if value is not None and value != "":
                counters[name][str(value)] += n

    if walk("cables"):
        for origin, classification, year, n in conn.execute(_LOOP_CABLES.format(hits=hits)):
            for name, value in (("origin", origin), ("classification", classification)):
                if value:
                    counters[name][value] += n
            if year is not None:
                counters["year"][str(year)] += n
    else:
        for name in ("origin", "classification", "year"):
            scan(name)
    for name, sql in (("tag", _LOOP_TAGS), ("caption", _LOOP_CAPTIONS)):
        if walk(name):
            counters[name].update(dict(conn.execute(sql.format(hits=hits)).fetchall()))
        else:
            scan(name)
    return {name: ordered_counts(counters[name], limit) for name in FACETS}
