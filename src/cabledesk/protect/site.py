"""A release as a static HTML site: an index of its cables and one page per cable.

Rendered with Jinja2, autoescape on, so a cable's ``<script>`` or ``&amp;`` is shown as
written and never interpreted. Every printed value also passes :func:`visible`: control
characters and the Unicode bidirectional overrides that make text display in another order
than it reads ("Trojan Source") are shown as what they are. No JavaScript, no external assets:
the folder can be opened from disk or served by any static host.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from cabledesk.archive.protection import ReleaseInfo, ReleaseText

__all__ = ["TEMPLATES_DIR", "site_environment", "text_parts", "visible", "write_site"]

TEMPLATES_DIR = Path(__file__).parent / "templates"

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_EITHER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(value: Any) -> Any:
    """Control characters (other than tab and line breaks) as U+FFFD; bidi embeddings,
    overrides and isolates as ``[U+202E RIGHT-TO-LEFT OVERRIDE]``. Markup passes as is."""
    if isinstance(value, Markup) or not isinstance(value, str) or not _EITHER.search(value):
        return value
    return _BIDI.sub(
        lambda m: f"[U+{ord(m.group()):04X} {unicodedata.name(m.group(), '')}]",
        _CONTROL.sub("\ufffd", value),
    )


def site_environment() -> Environment:
    """The templates under ``protect/templates``: autoescape, strict undefined, ``visible``."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=visible,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def text_parts(
    text: str, replacements: Sequence[tuple[int, int, int, int]]
) -> list[tuple[str, bool]]:
    """The release text cut at its replacements: (text, is a replacement) in order."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for start, end, _, _ in sorted(replacements):
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def write_site(
    release: ReleaseInfo, items: Iterable[tuple[str, dict[str, Any], ReleaseText]], folder: Path
) -> int:
    """Write ``index.html``, ``style.css`` and ``cables/<stem>.html`` into ``folder``;
    ``items`` are (file stem, record, stored text) per cable. Returns the number of cables."""
    env = site_environment()
    page = env.get_template("cable.html")
    (folder / "cables").mkdir()
    rows: list[dict[str, Any]] = []
    for stem, record, item in items:
        html = page.render(
            release=release,
            root="../",
            cable=record,
            parts=text_parts(item.text, item.replacements),
        )
        (folder / "cables" / f"{stem}.html").write_text(html, encoding="utf-8")
        rows.append(
            {**{k: v for k, v in record.items() if k != "text"}, "href": f"cables/{stem}.html"}
        )
    index = env.get_template("index.html").render(release=release, root="", cables=rows)
    (folder / "index.html").write_text(index, encoding="utf-8")
    (folder / "style.css").write_text((TEMPLATES_DIR / "style.css").read_text("utf-8"), "utf-8")
    return len(rows)
