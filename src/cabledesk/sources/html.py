"""WikiLeaks "Cable Viewer" pages: the cable text from the ``<pre>`` blocks, hints from the table.

The text is made exactly as the corpus's ``raw/`` files were: each ``<pre>`` block with its tags
stripped and its character references decoded, blocks joined by one blank line, a final newline
added when missing. So a cable read from its page and from its ``raw/`` file is the same text
(the one known exception is documented in docs/sources.md: a literal ``<<237579>>`` in five
2011 pages, which the corpus's tag stripper cut to ``>`` and this reader keeps, as a browser does).

The metadata table above the blocks gives the hints: ``reference_id``, ``date`` (Created),
``released`` (the release date, ``yyyy-mm-dd``), ``classification``, ``origin`` and, when the
page lists articles, ``media_uris``.

Pages are scanned with ``str.find`` and a few regular expressions rather than ``html.parser``:
the page is machine-made and regular, and the stdlib parser spends ~17 ms on the 70 KB of
navigation around each cable where these scans take ~0.15 ms.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from cabledesk.sources.files import (
    MAX_CABLE_BYTES,
    SourceProblem,
    decode_text,
    os_reason,
    read_limited,
)
from cabledesk.sources.records import RawCable, Record, Rejected
from cabledesk.sources.text import hints_from_name

__all__ = ["MAX_PAGE_BYTES", "cable_page", "read_html"]

MAX_PAGE_BYTES = 2 * MAX_CABLE_BYTES
"""Largest page accepted: a cable of the maximum size plus the page's navigation."""

# Case spelled out rather than IGNORECASE: a leading literal "<" lets the engine skip ahead.
_PRE_OPEN = re.compile(r"<[pP][rR][eE]\b[^>]*>")
_PRE_CLOSE = re.compile(r"</[pP][rR][eE]\s*>")
_TABLE = re.compile(
    r"<[tT][aA][bB][lL][eE]\b[^>]*\b[cC][lL][aA][sS][sS]\s*=\s*['\"]?cable\b[^>]*>(.*?)"
    r"</[tT][aA][bB][lL][eE]\s*>",
    re.DOTALL,
)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.DOTALL | re.IGNORECASE)
_CELL = re.compile(r"<(t[hd])\b[^>]*>(.*?)</t[hd]\s*>", re.DOTALL | re.IGNORECASE)
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.DOTALL | re.IGNORECASE)
# What HTML treats as markup: a tag opens with "<" and a letter (or "/" and a letter), a comment,
# a declaration or a processing instruction. Any other "<" is text (``<<237579>>`` stays).
_MARKUP = re.compile(r"<(?:/?[A-Za-z][^>]*|!--.*?--|![^>]*|\?[^>]*)>", re.DOTALL)
_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d))?)?")
_URI = re.compile(r"(?:https?://)?([^\s/:?#]+\.[^\s/:?#]+)(\S*)", re.IGNORECASE)

_COLUMNS = {
    "reference id": "reference_id",
    "created": "date",
    "released": "released",
    "classification": "classification",
    "origin": "origin",
}


def _text_of(fragment: str) -> str:
    """Markup stripped, character references decoded, as a browser shows it inside ``<pre>``."""
    if "<" in fragment:
        fragment = _MARKUP.sub("", fragment)
    if "&" in fragment:
        # The pages write every line end as "&#x000A;": replaced directly, the rest by html.
        fragment = fragment.replace("&#x000A;", "\n")
        if "&" in fragment:
            fragment = html.unescape(fragment)
    return fragment


def _cell_text(fragment: str) -> str:
    return _SPACE.sub(" ", _text_of(fragment)).strip()


def _iso_datetime(value: str) -> str | None:
    m = _DATE.fullmatch(value)
    if not m:
        return None
    y, mo, d, hh, mm, ss = m.groups()
    return f"{y}-{mo}-{d}T{hh or '00'}:{mm or '00'}:{ss or '00'}Z"


def _iso_date(value: str) -> str | None:
    m = _DATE.fullmatch(value)
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


def _media_uris(cell: str) -> list[str]:
    """The "Appears in these articles" links as URLs; placeholders that are no URL are dropped.

    The page writes each link's text as the URL (``http://`` sometimes missing) and its href with
    ``http://`` prefixed once more; the text is the reliable one.
    """
    uris: list[str] = []
    for m in _LINK.finditer(cell):
        label = _cell_text(m[1])
        u = _URI.fullmatch(label)
        if u is None:
            continue
        uri = label if re.match(r"https?://", label, re.IGNORECASE) else "http://" + label
        if uri not in uris:
            uris.append(uri)
    return uris


def _table_hints(table: str) -> dict[str, object]:
    hints: dict[str, object] = {}
    names: list[str] = []
    values: list[str] = []
    media: list[str] = []
    for row in _ROW.finditer(table):
        cells = _CELL.findall(row[1])
        if cells and all(kind.lower() == "th" for kind, _ in cells):
            names = [_cell_text(c).lower() for _, c in cells]
        elif names and not values and len(cells) == len(names):
            values = [_cell_text(c) for _, c in cells]
        else:
            for _, c in cells:
                media.extend(u for u in _media_uris(c) if u not in media)
    for name, value in zip(names, values, strict=False):
        key = _COLUMNS.get(name)
        if key is None or not value:
            continue
        if key == "date":
            iso = _iso_datetime(value)
            if iso:
                hints[key] = iso
        elif key == "released":
            day = _iso_date(value[:10])
            if day:
                hints[key] = day
        else:
            hints[key] = value
    if media:
        hints["media_uris"] = media
    return hints


def _find(page: str, pattern: re.Pattern[str], literal: str, pos: int) -> re.Match[str] | None:
    """``pattern.search`` sped up: ``str.find`` jumps to each lower-case ``literal`` (HTML is
    full of "<", which slows the regex scan); the regex scan runs only when none matches."""
    i = page.find(literal, pos)
    while i >= 0:
        m = pattern.match(page, i)
        if m is not None:
            return m
        i = page.find(literal, i + 1)
    return pattern.search(page, pos)


def _pre_blocks(page: str, pos: int) -> list[tuple[int, str]]:
    """Where each ``<pre>`` block from ``pos`` on starts, and its raw contents."""
    blocks: list[tuple[int, str]] = []
    while True:
        opening = _find(page, _PRE_OPEN, "<pre", pos)
        if opening is None:
            return blocks
        closing = _find(page, _PRE_CLOSE, "</pre", opening.end())
        if closing is None:
            raise SourceProblem("a <pre> block is not closed: the page is cut short")
        blocks.append((opening.start(), page[opening.end() : closing.start()]))
        pos = closing.end()


def cable_page(page: str) -> tuple[str, dict[str, object]]:
    """The cable text of a WikiLeaks page and the hints its metadata table gives.

    Raises :class:`SourceProblem` when the page has no ``<pre>`` block.
    """
    # The metadata table comes first and the blocks follow it: one pass over the navigation.
    table = _find(page, _TABLE, "<table", 0)
    blocks = _pre_blocks(page, table.end()) if table else []
    if not blocks:
        blocks = _pre_blocks(page, 0)
    if not blocks:
        raise SourceProblem("no <pre> block: not a WikiLeaks cable page")
    if table is not None and table.start() > blocks[0][0]:
        table = None  # a table after (or inside) the cable is not the page's metadata
    text = "\n\n".join(_text_of(b) for _, b in blocks)
    if not text.endswith("\n"):
        text += "\n"
    if text.isspace():
        raise SourceProblem("the page's <pre> blocks are empty")
    hints = _table_hints(table[1]) if table else {}
    return text, hints


def read_html(path: str | Path) -> Iterator[Record]:
    """Yield the cable of one page (``.html``, ``.htm``, optionally gzip), or why it was refused."""
    p = Path(path)
    try:
        text, hints = cable_page(decode_text(read_limited(p, MAX_PAGE_BYTES)))
    except SourceProblem as problem:
        yield Rejected(str(path), problem.line, problem.reason)
        return
    except OSError as exc:
        yield Rejected(str(path), 0, os_reason(exc))
        return
    if "reference_id" not in hints:
        hints.update(hints_from_name(p))
    if len(text) > MAX_CABLE_BYTES // 4 and len(text.encode("utf-8")) > MAX_CABLE_BYTES:
        yield Rejected(str(path), 0, f"cable too large (limit {MAX_CABLE_BYTES:,} bytes)")
        return
    yield RawCable(text=text, source=str(path), hints=hints)
