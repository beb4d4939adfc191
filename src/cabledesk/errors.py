"""One root for every error cabledesk raises on purpose, so callers can catch them all."""

from __future__ import annotations

__all__ = ["CabledeskError", "ParseError"]


class CabledeskError(Exception):
    """Base class of every error cabledesk raises deliberately."""


class ParseError(CabledeskError, ValueError):
    """Input has no recognisable cable structure.

    Carries the 1-based ``line`` where parsing gave up (0 when the whole input is at fault),
    the ``reason`` in words, and the ``source`` (a file name) when the caller knows it.
    """

    def __init__(self, reason: str, line: int = 0, source: str | None = None) -> None:
        self.reason = reason
        self.line = line
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "<text>"
        if self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.reason}"

    def with_source(self, source: str) -> ParseError:
        """The same error, naming the file it came from."""
        return ParseError(self.reason, self.line, source)
