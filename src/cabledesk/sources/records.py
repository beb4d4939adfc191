"""What every reader yields: a cable's raw text with hints, or a rejection naming the problem.

Readers never raise for one bad record: they yield a ``Rejected`` and go on, so a batch keeps
every good cable while the bad ones are quarantined with file, line and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RawCable", "Record", "Rejected"]


@dataclass(slots=True)
class RawCable:
    """Text of one cable as read, with the hints its container gave.

    ``source`` names the file; ``line`` is the 1-based line where the record starts inside it
    (1 for one-cable-per-file formats). ``hints`` are passed to ``telegram.parse``; the keys
    ``released`` (the publisher's release date, ISO) is kept on the stored version.
    """

    text: str
    source: str
    hints: dict[str, object] = field(default_factory=dict)
    line: int = 1


@dataclass(slots=True, frozen=True)
class Rejected:
    """A record a reader could not turn into text: ``source``:``line`` and the ``reason``."""

    source: str
    line: int
    reason: str


Record = RawCable | Rejected
