"""Field filters evaluated over a :class:`FacetIndex`: one boolean per cable id.

The same filters as ``filters.py`` writes in SQL, with the same meaning: values matched as
there (``origin:`` through :func:`matching_origins`, codes in upper case), NOT the complement
(a cable without the field's value passes ``-origin:MOSCOW``), a date or year filter never
matching an undated cable. A mask costs a pass over the archive's arrays (a millisecond at
250,000 cables), whatever the number of cables it names.
"""

from __future__ import annotations

import sqlite3
from functools import reduce

import numpy as np
import numpy.typing as npt

from cabledesk.services.facet_index import FacetIndex
from cabledesk.services.filters import (
    date_range,
    has_value,
    matching_origins,
    year_range,
)
from cabledesk.services.query import And, Filter, Node, Not, Or, QueryError

__all__ = ["filter_mask"]

Mask = npt.NDArray[np.bool_]


def filter_mask(conn: sqlite3.Connection, index: FacetIndex, node: Node) -> Mask:
    """The cables ``node`` (a tree of filters) accepts; ids that are no cable are False."""
    return _mask(conn, index, node) & index.present


def _mask(conn: sqlite3.Connection, index: FacetIndex, node: Node) -> Mask:
    if isinstance(node, Filter):
        return _atom(conn, index, node)
    if isinstance(node, Not):
        return ~_mask(conn, index, node.item)
    if isinstance(node, Or):
        return reduce(np.logical_or, (_mask(conn, index, n) for n in node.items))
    if isinstance(node, And):
        return reduce(np.logical_and, (_mask(conn, index, n) for n in node.items))
    raise QueryError("words cannot be used as filters")  # compile_query keeps them apart


def _atom(conn: sqlite3.Connection, index: FacetIndex, f: Filter) -> Mask:
    value = f.value
    if f.field == "origin":
        names = set(matching_origins(conn, value))
        return index.origin.mask(np.array([v in names for v in index.origin.values], bool))
    if f.field == "classification":
        wanted = value.upper()
        values = index.classification.values
        return index.classification.mask(np.array([v == wanted for v in values], bool))
    if f.field == "year":
        lo, hi = year_range(value)
        return index.year.mask((index.years >= lo) & (index.years <= hi))
    if f.field == "date":
        start, stop = date_range(value)
        # Bounds are YYYY-MM-DD, so comparing a date's first ten characters is exact.
        first = int(np.searchsorted(index.days, start, "left")) if start else 0
        last = int(np.searchsorted(index.days, stop, "left")) if stop else index.dated
        rank = index.date_rank
        return (rank >= first) & (rank < last)
    if f.field == "tag":
        return index.tags.having(value.upper(), index.size)
    if f.field == "caption":
        return index.captions.having(value.upper(), index.size)
    if f.field == "has":
        has_value(value)  # only redactions so far
        return index.redacted.copy()
    raise QueryError(f"unknown filter {f.field}:")  # the parser only makes the fields above
