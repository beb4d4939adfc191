"""Rule ``cross-cable``: a sentence redacted in one cable and printed with the name in another.

Posts re-send paragraphs (a summary cable quotes a report, a repeat goes to another post), and
a redaction made in one copy is worthless if another prints the name. Each redaction's context
(four words either side, at least three of them more than function words) is looked up in the
other cables; where the same words stand around a readable name of one to four words, that
name is flagged in the cable that prints it. Archives are searched with the FTS5 index (a
phrase query per side, as a bound parameter); files through an in-memory index of the contexts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cabledesk.protect.lexicon import FUNCTION_WORDS
from cabledesk.protect.model import AuditFinding
from cabledesk.protect.name_runs import name_run_at
from cabledesk.protect.positions import finding_at
from cabledesk.protect.shapes import body_start, is_marker
from cabledesk.telegram.model import Cable

__all__ = ["Context", "context_matches", "fts_query", "index_contexts", "redaction_contexts"]

_WORD = re.compile(r"[Xx]{4,}|[A-Za-z0-9](?:[A-Za-z0-9'’-]*[A-Za-z0-9])?")
_SIDE = 4
_MAX_NAME = 4
_FUNCTION = FUNCTION_WORDS | frozenset({"said", "told"})


@dataclass(frozen=True, slots=True)
class Context:
    """The words around one redaction of ``reference_id``."""

    reference_id: str
    left: tuple[str, ...]
    right: tuple[str, ...]


def _words(text: str, start: int) -> list[tuple[str, int, int]]:
    return [
        (m.group().lower().replace("’", "'"), m.start(), m.end())
        for m in _WORD.finditer(text, start)
    ]


def redaction_contexts(cable: Cable, reference_id: str) -> list[Context]:
    """Contexts of the cable's redactions that are specific enough to search for."""
    if not cable.redactions:
        return []
    words = _words(cable.text, body_start(cable))
    out: list[Context] = []
    for i, (w, _s, _e) in enumerate(words):
        if not is_marker(w) or (i and is_marker(words[i - 1][0])):
            continue
        j = i
        while j < len(words) and is_marker(words[j][0]):
            j += 1
        left = tuple(x for x, _s2, _e2 in words[max(i - _SIDE, 0) : i])
        right = tuple(x for x, _s2, _e2 in words[j : j + _SIDE])
        if len(left) < _SIDE or len(right) < _SIDE or any(is_marker(x) for x in left + right):
            continue
        if sum(x not in _FUNCTION and not x.isdigit() for x in left + right) < 3:
            continue
        out.append(Context(reference_id, left, right))
    return out


def fts_query(context: Context) -> str:
    """An FTS5 query for cables holding both sides as phrases (words are [a-z0-9'-] only,
    quoted, so no user text becomes query syntax)."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(w.replace('"', "") for w in words) + '"'

    return f"{phrase(context.left)} AND {phrase(context.right)}"


def index_contexts(contexts: Iterable[Context]) -> dict[tuple[str, ...], list[Context]]:
    """Contexts by their left side, for one pass over each cable's words."""
    by_left: dict[tuple[str, ...], list[Context]] = {}
    for c in contexts:
        by_left.setdefault(c.left, []).append(c)
    return by_left


def context_matches(
    by_left: dict[tuple[str, ...], list[Context]],
    cable: Cable,
    reference_id: str,
    cables_naming: Callable[[str], int],
) -> Iterator[AuditFinding]:
    """Names in ``cable`` standing between the two sides of another cable's redaction."""
    if not by_left:
        return
    start = body_start(cable)
    # words as strings first (findall is cheap); positions only for a cable with a hit
    low = [w.replace("’", "'") for w in _WORD.findall(cable.text.lower(), start)]
    hits = [i for i in range(len(low) - _SIDE) if tuple(low[i : i + _SIDE]) in by_left]
    if not hits:
        return
    words = _words(cable.text, start)
    if len(words) != len(low):  # a character whose lower case is longer: no safe mapping
        return
    for i in hits:
        found = by_left[tuple(low[i : i + _SIDE])]
        a = i + _SIDE
        for context in found:
            if context.reference_id == reference_id:
                continue
            for size in range(1, _MAX_NAME + 1):
                if tuple(low[a + size : a + size + _SIDE]) != context.right:
                    continue
                if any(is_marker(w) for w in low[a : a + size]):
                    break
                start, end = words[a][1], words[a + size - 1][2]
                run = name_run_at(cable.text, start, end)
                if run is not None:
                    yield _finding(
                        cable, reference_id, run.text, run.start, run.title, context, cables_naming
                    )
                break


def _finding(
    cable: Cable,
    reference_id: str,
    name: str,
    offset: int,
    title: str | None,
    context: Context,
    cables_naming: Callable[[str], int],
) -> AuditFinding:
    naming = cables_naming(name.split()[-1].lower())
    risk = 0.9 if naming <= 5 else 0.7 if naming <= 20 else 0.4
    if title is not None:
        risk -= 0.2
    shown = f"{' '.join(context.left)} ___ {' '.join(context.right)}"
    return finding_at(
        cable,
        reference_id,
        name,
        offset,
        rule="cross-cable",
        risk=round(risk, 3),
        detail=(
            f'{context.reference_id} redacts the name in "{shown}"; this cable prints it '
            f"(named in {naming} cables)"
        ),
    )
