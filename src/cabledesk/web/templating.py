"""The Jinja2 environment of the pages: autoescape on, and every printed value made visible.

Autoescaping turns ``<``, ``>``, ``&`` and quotes into entities. Cables can hold worse than
markup: control characters, and the Unicode bidirectional overrides and isolates that make a
text display in another order than it reads ("Trojan Source"). Every value a template prints
passes through :func:`visible` first (Jinja's ``finalize``), in text and attributes alike, so
those characters are shown as what they are; zero-width characters and emoji pass unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from cabledesk.services.snippets import snippet_parts

__all__ = ["TEMPLATES_DIR", "make_templates", "visible"]

TEMPLATES_DIR = Path(__file__).parent / "templates"

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_EITHER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _bidi_name(m: re.Match[str]) -> str:
    return f"[U+{ord(m.group()):04X} {unicodedata.name(m.group(), '')}]"


def visible(value: Any) -> Any:
    """Control characters (other than tab and line breaks) as ``�``; bidi embeddings,
    overrides and isolates as ``[U+202E RIGHT-TO-LEFT OVERRIDE]``. Markup passes as is."""
    if isinstance(value, Markup) or not isinstance(value, str) or not _EITHER.search(value):
        return value  # the common case: one scan, no copy
    return _BIDI.sub(_bidi_name, _CONTROL.sub("\ufffd", value))


def _path_part(value: object) -> str:
    """A value as one URL path segment (``Embassy The Hague`` -> ``Embassy%20The%20Hague``)."""
    return quote(str(value), safe="")


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def make_templates() -> Jinja2Templates:
    """Templates from ``web/templates`` with autoescape, strict undefined names and filters
    ``path`` (a URL path segment), ``num`` (1,234), ``pct`` (0.5 -> 50%), ``day``
    (ISO date-time -> ``YYYY-MM-DD``), ``filename`` (a source path without the server's folders)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=visible,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["path"] = _path_part
    env.filters["num"] = _number
    env.filters["pct"] = _percent
    env.filters["day"] = lambda value: (value or "")[:10]
    env.filters["filename"] = lambda value: Path(str(value)).name
    env.globals["snippet_parts"] = snippet_parts
    return Jinja2Templates(env=env)
