"""``parse(text, hints) -> Cable``: one cable's text to the typed model.

The promise made here: ``ParseError`` (with a line and a reason) and nothing else ever comes
out, whatever the argument. The work itself, the extractors run in order over the text, is
``assemble.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

from cabledesk.errors import ParseError
from cabledesk.telegram.assemble import assemble
from cabledesk.telegram.model import Cable

__all__ = ["parse"]

Hints = Mapping[str, object]


def parse(text: str, hints: Hints | None = None) -> Cable:
    """Parse one cable. Raises :class:`ParseError` (and nothing else) when it is not a cable.

    ``hints`` may carry ``reference_id``, ``date``, ``classification``, ``origin`` and
    ``subject`` from the publisher; they are used only where the text itself is silent.
    """
    if not isinstance(text, str):
        raise ParseError("input is not text")
    try:
        return assemble(text, dict(hints or {}))
    except ParseError:
        raise
    except RecursionError as exc:  # pragma: no cover - defensive
        raise ParseError(f"input too deeply nested to parse: {exc}") from None
    except Exception as exc:
        raise ParseError(f"unexpected structure ({type(exc).__name__}: {exc})") from None
