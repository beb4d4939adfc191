"""The search parameters of a URL: read from the query string, checked, and written back.

The search page and ``/api/search`` take the same parameters (``q``, ``origin``, ``tag``,
``classification``, ``caption``, ``from``, ``to``, ``has_redactions``, ``sort``, ``page``,
``per_page``; the four lists repeatable). One class reads them, so both agree on every value,
and writes them back, so each facet, sort and page link is a shareable URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from cabledesk.services.query import QueryError
from cabledesk.services.search import MAX_PER_PAGE, SORTS

__all__ = ["LIST_FIELDS", "SearchParams", "parse_flag"]

LIST_FIELDS = ("origin", "tag", "classification", "caption")
"""Filters that may be given several times (all must hold)."""

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def parse_flag(name: str, value: str | None) -> bool:
    """``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``/empty, any case."""
    word = (value or "").strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise QueryError(f"{name}={value!r}: use true or false")


def _positive(name: str, value: str | None, default: int) -> int:
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise QueryError(f"{name}={value!r}: a whole number from 1 is expected") from None
    if number < 1:
        raise QueryError(f"{name}={number}: a whole number from 1 is expected")
    return number


@dataclass(frozen=True, slots=True)
class SearchParams:
    """One search as a URL says it; ``search_kwargs()`` feeds ``ReadContext.search``."""

    q: str = ""
    origin: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    classification: tuple[str, ...] = ()
    caption: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    has_redactions: bool = False
    sort: str = "rank"
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> SearchParams:
        """From a request's query parameters (a Starlette ``QueryParams`` or a plain dict of
        strings or lists). Raises QueryError naming the parameter that cannot be read."""

        def every(name: str) -> tuple[str, ...]:
            getlist = getattr(query, "getlist", None)
            raw = getlist(name) if getlist else query.get(name, ())
            values = [raw] if isinstance(raw, str) else list(raw)
            return tuple(" ".join(v.split()) for v in values if v.strip())

        def one(name: str) -> str:
            value = query.get(name)
            if isinstance(value, Sequence) and not isinstance(value, str):
                value = value[-1] if value else None
            return "" if value is None else str(value)

        sort = one("sort").strip() or "rank"
        if sort not in SORTS:
            raise QueryError(f"sort={sort!r}: use one of {', '.join(SORTS)}")
        per_page = _positive("per_page", one("per_page"), 20)
        if per_page > MAX_PER_PAGE:
            raise QueryError(f"per_page={per_page}: at most {MAX_PER_PAGE}")
        return cls(
            q=one("q"),
            origin=every("origin"),
            tag=every("tag"),
            classification=every("classification"),
            caption=every("caption"),
            date_from=one("from").strip(),
            date_to=one("to").strip(),
            has_redactions=parse_flag("has_redactions", one("has_redactions")),
            sort=sort,
            page=_positive("page", one("page"), 1),
            per_page=per_page,
        )

    @property
    def is_empty(self) -> bool:
        """No words and no filters: the whole archive, newest first."""
        return not (
            self.q.strip()
            or any(getattr(self, name) for name in LIST_FIELDS)
            or self.date_from
            or self.date_to
            or self.has_redactions
        )

    def search_kwargs(self) -> dict[str, Any]:
        return {
            "query": self.q,
            "origin": self.origin,
            "tag": self.tag,
            "classification": self.classification,
            "caption": self.caption,
            "date_from": self.date_from or None,
            "date_to": self.date_to or None,
            "has_redactions": self.has_redactions,
            "sort": self.sort,
            "page": self.page,
            "per_page": self.per_page,
        }

    def pairs(self) -> list[tuple[str, str]]:
        """The query string's (name, value) pairs; defaults are left out, so URLs stay short."""
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        for name in LIST_FIELDS:
            out.extend((name, value) for value in getattr(self, name))
        for name, value in (("from", self.date_from), ("to", self.date_to)):
            if value:
                out.append((name, value))
        if self.has_redactions:
            out.append(("has_redactions", "1"))
        if self.sort != "rank":
            out.append(("sort", self.sort))
        if self.page != 1:
            out.append(("page", str(self.page)))
        if self.per_page != 20:
            out.append(("per_page", str(self.per_page)))
        return out

    def url(self, path: str = "/") -> str:
        query = urlencode(self.pairs())
        return f"{path}?{query}" if query else path

    def export_url(self, fmt: str) -> str:
        """``/api/export`` of this search's cables: by post and dates when those are the only
        filters (no limit), else the hits of the query with every filter written into it."""
        pairs: list[tuple[str, str]] = [("format", fmt)]
        if self.q.strip() or self.tag or self.classification or self.caption or self.has_redactions:
            extra = [
                f'{name}:"{value}"'
                for name in ("tag", "classification", "caption")
                for value in getattr(self, name)
            ] + (["has:redactions"] if self.has_redactions else [])
            query = self.q.strip()
            if query and extra:
                query = f"({query})"  # so an OR in the words cannot take a filter with it
            pairs.append(("q", " ".join([query, *extra]).strip()))
        pairs.extend(("origin", value) for value in self.origin)
        pairs.extend((n, v) for n, v in (("from", self.date_from), ("to", self.date_to)) if v)
        return f"/api/export?{urlencode(pairs)}"

    # -- links: each returns the URL of a changed search, back on page 1 -----------------------

    def with_value(self, name: str, value: str) -> str:
        """Add a filter value (a facet link); ``year`` sets the date range to that year."""
        if name == "year":
            return replace(self, date_from=value, date_to=value, page=1).url()
        first_page = self.url() if self.page == 1 else replace(self, page=1).url()
        if value in getattr(self, name):
            return first_page
        # a facet adds one pair to the query string: cheaper than rebuilding it (40 links a facet)
        return first_page + ("&" if "?" in first_page else "?") + urlencode([(name, value)])

    def without(self, name: str, value: str | None = None) -> str:
        """Drop a filter value (or a whole field) from the search."""
        changes: dict[str, Any] = {"page": 1}
        if name in LIST_FIELDS:
            changes[name] = tuple(
                v for v in getattr(self, name) if value is not None and v != value
            )
            return replace(self, **changes).url()
        if name in ("from", "to", "date"):
            if name in ("from", "date"):
                changes["date_from"] = ""
            if name in ("to", "date"):
                changes["date_to"] = ""
        elif name == "has_redactions":
            changes["has_redactions"] = False
        elif name == "q":
            changes["q"] = ""
        return replace(self, **changes).url()

    def on_page(self, page: int) -> str:
        return replace(self, page=page).url()

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(label, value, URL without it) for each filter in force, for removable chips."""
        chips = [
            (name, value, self.without(name, value))
            for name in LIST_FIELDS
            for value in getattr(self, name)
        ]
        if self.date_from:
            chips.append(("from", self.date_from, self.without("from")))
        if self.date_to:
            chips.append(("to", self.date_to, self.without("to")))
        if self.has_redactions:
            chips.append(("has", "redactions", self.without("has_redactions")))
        return chips
