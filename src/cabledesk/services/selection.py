"""Which cables a bulk service (graph, statistics, export) works on, chosen without SQL.

Callers name posts and dates; this module alone turns them into a parameterised ``WHERE``
clause, so no user text ever reaches SQL as code and every command filters the same way.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from cabledesk.services.filters import matching_origins

__all__ = ["Selection"]

_DATE_PREFIX = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class Selection:
    """Cables whose post is one of ``origins`` (named as the search filter ``origin:`` names
    them: ``Moscow``, ``embassy moscow``, ``SANJOSE`` or a station code), dated from ``since`` to ``until``
    inclusive (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and classified at one of
    ``classifications``. An empty field does not filter; undated cables are left out only
    when a date bound is given."""

    origins: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    classifications: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _DATE_PREFIX.fullmatch(value):
                raise ValueError(f"--{name} {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")

    @property
    def is_everything(self) -> bool:
        return not (self.origins or self.since or self.until or self.classifications)

    def origin_names(self, conn: sqlite3.Connection) -> list[str]:
        """The archive's origins that ``origins`` name (empty when they name none)."""
        found: dict[str, None] = {}
        for value in self.origins:
            found.update(dict.fromkeys(matching_origins(conn, value)))
        return list(found)

    def unknown_origins(self, conn: sqlite3.Connection) -> list[str]:
        """The ``origins`` values that name no post of the archive (a typo, most likely)."""
        return [value for value in self.origins if not matching_origins(conn, value)]

    def where(self, conn: sqlite3.Connection, alias: str = "c") -> tuple[str, list[object]]:
        """``(clause, parameters)`` over the ``cables`` table as ``alias``; ``"1"`` when empty.

        ``conn`` resolves origin names to the archive's; ``alias`` is code chosen by the
        caller, never user input.
        """
        if not alias.isidentifier():
            raise ValueError(f"bad table alias {alias!r}")
        clauses: list[str] = []
        params: list[object] = []
        if self.origins:
            names = self.origin_names(conn)
            clauses.append(f"{alias}.origin IN ({', '.join('?' * len(names))})" if names else "0")
            params.extend(names)
        if self.since:
            clauses.append(f"{alias}.date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"substr({alias}.date, 1, ?) <= ?")
            params.extend((len(self.until), self.until))
        if self.classifications:
            marks = ", ".join("?" * len(self.classifications))
            clauses.append(f"{alias}.classification COLLATE NOCASE IN ({marks})")
            params.extend(c.strip() for c in self.classifications)
        return (" AND ".join(clauses) or "1"), params
