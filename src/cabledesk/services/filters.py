"""Field filters (origin:, tag:, classification:, caption:, date:, year:, has:) as SQL.

A filter tree becomes one parameterised condition on the ``cables`` row, written so SQLite can
drive the query from an index (``origin IN``, ``year BETWEEN``, ``date >=``, ``id IN`` a tag's
cables) or, when few cables are left to check, test each with an index seek. Values are always
parameters; the SQL text is built only from the fixed fragments below.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
import unicodedata

from cabledesk.services.query import And, Filter, Node, Not, Or, QueryError

__all__ = [
    "HAS_VALUES",
    "date_range",
    "driver_size",
    "filter_condition",
    "has_value",
    "id_set_sql",
    "matching_origins",
    "year_range",
]

HAS_VALUES = ("redactions",)
"""Values accepted by ``has:``."""

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR = re.compile(r"\d{4}")
_DISTINCT_ORIGINS = """
WITH RECURSIVE o(v) AS (
    SELECT min(origin) FROM cables
    UNION ALL
    SELECT (SELECT min(origin) FROM cables WHERE origin > o.v) FROM o WHERE o.v IS NOT NULL
)
SELECT v FROM o WHERE v IS NOT NULL
"""
"""Each distinct origin by one seek in ``cables_origin``: a few hundred seeks, not a scan."""


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", plain)


@functools.lru_cache(maxsize=4096)
def _origin_keys(origin: str) -> frozenset[str]:
    """Every run of the origin's words, spaces removed: ``Embassy San Jose`` gives
    ``embassysanjose``, ``sanjose``, ``jose``... so ``origin:`` may name any of them."""
    words = _words(origin)
    return frozenset(
        "".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
    )


def matching_origins(conn: sqlite3.Connection, value: str) -> list[str]:
    """The archive's origins that ``origin:value`` names: by words of the origin (case and
    accents ignored), else by station code (``AITTAIPEI``, the station of the origin's first
    cable)."""
    wanted = "".join(_words(value))
    if not wanted:
        return []
    origins = [row[0] for row in conn.execute(_DISTINCT_ORIGINS)]
    found = [o for o in origins if wanted in _origin_keys(o)]
    if found:
        return found
    station = wanted.upper()
    return [
        row[0]
        for row in conn.execute(
            f"{_DISTINCT_ORIGINS} AND (SELECT station FROM cables WHERE origin = v LIMIT 1) = ?",
            (station,),
        )
    ]


def _parse_date(text: str, end: bool, whole: str) -> str:
    """``YYYY[-MM[-DD]]`` as the first day of that period, or the day after it (``end``)."""
    m = _DATE.fullmatch(text)
    try:
        if not m:
            raise ValueError
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        first = dt.date(year, month, day)
        if not end:
            return first.isoformat()
        if m.group(3):
            after = first + dt.timedelta(days=1)
        elif m.group(2):
            after = dt.date(year + (month == 12), month % 12 + 1, 1)
        else:
            after = dt.date(year + 1, 1, 1)
        return after.isoformat()
    except (ValueError, OverflowError):
        raise QueryError(
            f"date:{whole}: {text!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD, "
            "or a range such as 2008-01-01..2009-12-31)"
        ) from None


def date_range(value: str) -> tuple[str | None, str | None]:
    """``date:`` value as ``[start, stop)`` ISO dates; either side None when open."""
    first, sep, last = value.partition("..")
    if not sep:
        last = first
    if not first and not last:
        raise QueryError(f"date:{value}: give at least one date, e.g. date:2008..2009")
    start = _parse_date(first, False, value) if first else None
    stop = _parse_date(last, True, value) if last else None
    if start and stop and start >= stop:
        raise QueryError(f"date:{value}: the range ends before it starts")
    return start, stop


def year_range(value: str) -> tuple[int, int]:
    """``year:`` value as inclusive bounds; either side open."""
    first, sep, last = value.partition("..")
    if not sep:
        last = first
    first, last = first or "0000", last or "9999"
    if not (_YEAR.fullmatch(first) and _YEAR.fullmatch(last)):
        raise QueryError(f"year:{value}: write a year (year:2008) or a range (year:2005..2008)")
    lo, hi = int(first), int(last)
    if lo > hi:
        raise QueryError(f"year:{value}: the range ends before it starts")
    return lo, hi


_COLUMN_FIELDS = ("origin", "date", "year", "classification")
"""Filters on a column of the cables row; the others look in a child table."""

_DRIVER_ORDER = ("origin", "date", "year", "tag", "caption", "classification", "has")
"""Which filter should drive the search when several are ANDed: the usually narrowest first.
A classification (three or four values) narrows little, so it is a last resort."""


def _atom(conn: sqlite3.Connection, f: Filter, params: list[object], drive: bool) -> str:
    """One filter as a condition on the cable ``c``. ``drive``: written so SQLite can use an
    index to find the cables (the query is driven from it); otherwise written as a check on
    a cable already found (an index seek in a child table, or the row's column)."""
    value = f.value
    check = "" if drive else "+"  # unary + hides the column from the planner's index choice
    if f.field == "origin":
        origins = matching_origins(conn, value)
        params.extend(origins)
        return f"{check}c.origin IN ({', '.join('?' * len(origins))})"
    if f.field == "classification":
        params.append(value.upper())
        return f"{check}c.classification = ?"
    if f.field == "year":
        params.extend(year_range(value))
        return f"{check}c.year BETWEEN ? AND ?"
    if f.field == "date":
        start, stop = date_range(value)
        clauses = []
        if start:
            clauses.append(f"{check}c.date >= ?")
            params.append(start)
        if stop:
            clauses.append(f"{check}c.date < ?")
            params.append(stop)
        return f"({' AND '.join(clauses)})"
    found = _child_rows(f, params)
    if drive:
        return f"c.id IN (SELECT cable_id {found})"
    return f"EXISTS (SELECT 1 {found} AND cable_id = c.id)"


def has_value(value: str) -> str:
    """The thing ``has:value`` asks for (one of HAS_VALUES); QueryError for any other."""
    if value.lower() not in HAS_VALUES:
        raise QueryError(f"has:{value}: unknown; has: takes {', '.join(HAS_VALUES)}")
    return value.lower()


def _child_rows(f: Filter, params: list[object]) -> str:
    """``FROM ... WHERE ...`` of the child-table rows a tag:, caption: or has: filter names."""
    if f.field in ("tag", "caption"):
        table, column = ("tags", "code") if f.field == "tag" else ("captions", "caption")
        params.append(f.value.upper())
        return f"FROM {table} WHERE {column} = ?"
    if f.field == "has":
        has_value(f.value)
        return "FROM redactions WHERE 1"
    raise QueryError(f"unknown filter {f.field}:")  # the parser only makes the fields above


def id_set_sql(conn: sqlite3.Connection, node: Node) -> tuple[str, list[object]]:
    """``SELECT`` of the ids of the cables the filters accept (ids may repeat): straight from
    a child table for a lone tag:, caption: or has: filter (no cables row is read), else the
    cables driven by :func:`filter_condition`."""
    params: list[object] = []
    if isinstance(node, Filter) and node.field not in _COLUMN_FIELDS:
        return f"SELECT cable_id AS id {_child_rows(node, params)}", params
    cond, params = filter_condition(conn, node)
    return f"SELECT c.id AS id FROM cables AS c WHERE {cond}", params


def driver_size(conn: sqlite3.Connection, node: Node, cap: int) -> int | None:
    """How many cables (counted up to ``cap``) a search driven by the filters starts from;
    None when no single filter can drive it (every cable would be checked)."""
    driver = _driver(node.items) if isinstance(node, And) else node
    if not isinstance(driver, Filter):
        return None
    params: list[object] = []
    if driver.field in _COLUMN_FIELDS:
        rows = f"FROM cables AS c WHERE {_atom(conn, driver, params, True)}"
    else:
        rows = _child_rows(driver, params)
    sql = f"SELECT count(*) FROM (SELECT 1 {rows} LIMIT ?)"
    return int(conn.execute(sql, (*params, cap)).fetchone()[0])


def _driver(items: tuple[Node, ...]) -> Node | None:
    """The ANDed item to drive from: the first plain filter of the best kind, else an OR."""
    filters = [n for n in items if isinstance(n, Filter)]
    if filters:
        return min(filters, key=lambda f: _DRIVER_ORDER.index(f.field))
    return next((n for n in items if isinstance(n, Or)), None)


def filter_condition(
    conn: sqlite3.Connection, node: Node, *, drive: bool = True
) -> tuple[str, list[object]]:
    """``node`` (a tree of filters) as an SQL condition on the cables table aliased ``c``,
    and its parameters. NOT is the complement: a cable without the field's value passes
    ``-origin:MOSCOW``. ``drive``: one filter is written for SQLite to find the cables from
    (the search starts from the filters); otherwise every filter is a check on cables
    found by the full-text index."""
    params: list[object] = []
    return _condition(conn, node, params, drive), params


def _condition(conn: sqlite3.Connection, node: Node, params: list[object], drive: bool) -> str:
    if isinstance(node, Filter):
        return _atom(conn, node, params, drive)
    if isinstance(node, Not):
        # Unknown (NULL) counts as false before negating, so NOT is the set complement.
        return f"NOT coalesce({_condition(conn, node.item, params, False)}, 0)"
    if isinstance(node, Or):  # SQLite can drive an OR from the union of its items' indexes
        return "(" + " OR ".join(_condition(conn, n, params, drive) for n in node.items) + ")"
    if isinstance(node, And):
        driver = _driver(node.items) if drive else None
        parts = [_condition(conn, n, params, n is driver) for n in node.items]
        return "(" + " AND ".join(parts) + ")"
    raise QueryError("words cannot be used as filters")  # compile_query keeps them apart
