"""Sentence shapes that surround a redacted source: "according to XXXXXXXXXXXX",
"XXXXXXXXXXXX told us", "XXXXXXXXXXXX (protect)".

The shapes are learned, not guessed: ``learn_shapes`` reads the redacted cables of a corpus and
counts, for every frame of one to three words just before or after a redaction marker, how
often it holds a marker and how often a readable capitalised name. A frame that holds markers
far more often than names is one editors redact in; a readable name standing in it is what the
audit flags. The table ships as ``data/audit_shapes.tsv`` (its header says how it was made);
rebuild it with ``python -m cabledesk.protect.shapes CORPUS_DIR > data/audit_shapes.tsv``.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cabledesk.protect.lexicon import FUNCTION_WORDS, common_words, place_words
from cabledesk.protect.names import mostly_upper
from cabledesk.telegram.model import Cable

__all__ = [
    "MARKER",
    "Shape",
    "WORD_RE",
    "body_start",
    "is_marker",
    "learn_shapes",
    "load_shapes",
    "main",
]

MARKER = "<X>"
"""The token a redaction marker (a run of four or more X) becomes."""

WORD_RE = re.compile(r"[Xx]{4,}|[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|[.;:!?()\"“”]")
"""Words, markers and the punctuation that ends a frame; offsets stay those of the text."""

_BREAKS = frozenset('.;:!?"“”')

# Frames made only of these say nothing about a source: "of XXXX", "XXXX and", "the XXXX".
_FUNCTION = FUNCTION_WORDS
# A marker before these ends a sentence or a section, it does not speak: "XXXX. END COMMENT".
_NOT_VERBS = frozenset({"end", "comment", "summary", "note"})
_MIN_MARKERS = 8
_MIN_SPECIFICITY = 0.25
_DATA = Path(__file__).parent / "data" / "audit_shapes.tsv"


@dataclass(frozen=True, slots=True)
class Shape:
    """One frame: ``side`` is ``left`` (words before the name) or ``right`` (after it)."""

    side: str
    words: tuple[str, ...]
    markers: int
    """Redaction markers seen in this frame across the corpus."""
    names: int
    """Readable capitalised names seen in it in the same (redacted, mixed-case) cables."""

    @property
    def specificity(self) -> float:
        """Share of markers among what the frame held: how much editors redact in it."""
        return self.markers / (self.markers + self.names)


def is_marker(token: str) -> bool:
    """A redaction marker: four or more X (WikiLeaks wrote twelve, some mirrors more)."""
    return token[:4] in ("XXXX", "xxxx") and not token.strip("Xx")


def body_start(cable: Cable) -> int:
    """Where the body starts: the first paragraph, else after the Classified By statement."""
    if cable.paragraphs:
        return cable.paragraphs[0].start
    return cable.classified_by.end if cable.classified_by else 0


def _readable_name(token: str) -> bool:
    low = token.lower()
    return (
        len(token) > 2
        and token[0].isupper()
        and token[1:].islower()
        and low not in common_words()
        and low not in place_words()
    )


def _frames(low: list[str], i: int) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Left and right frames of one to three words around token ``i``."""
    for size in (1, 2, 3):
        if i - size >= 0:
            words = tuple(low[i - size : i])
            if not any(w in _BREAKS or w == MARKER for w in words):
                yield "left", words
        j = i + 1
        while j < len(low) and low[j] in ("'s", "’s", "s"):
            j += 1
        if j + size <= len(low):
            words = tuple(low[j : j + size])
            if not any(w in _BREAKS or w == MARKER for w in words):
                yield "right", words


def _keep(side: str, words: tuple[str, ...], markers: int, names: int) -> bool:
    if markers < _MIN_MARKERS or markers / (markers + names) < _MIN_SPECIFICITY:
        return False
    if all(w in _FUNCTION for w in words) or words[0] in _NOT_VERBS:
        return False
    if side == "left" and ("(" in words or ")" in words):
        return False  # "(S/NF) XXXX": a paragraph start, not a frame
    # a frame of ordinary words only: a signer glued after the last marker is not a verb
    return all(w in common_words() or w in _FUNCTION or w in "()" for w in words)


def learn_shapes(cables: Iterable[Cable]) -> list[Shape]:
    """Count frames around markers and around readable names in the redacted cables."""
    with_marker: Counter[tuple[str, tuple[str, ...]]] = Counter()
    with_name: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for cable in cables:
        if not cable.redactions:
            continue
        body = cable.text[body_start(cable) :]
        upper = mostly_upper(body)
        toks = [m.group() for m in WORD_RE.finditer(body)]
        low = [MARKER if is_marker(t) else t.lower() for t in toks]
        for i, tok in enumerate(toks):
            if low[i] == MARKER:
                if i and low[i - 1] == MARKER:
                    continue
                with_marker.update(_frames(low, i))
            elif not upper and _readable_name(tok):
                with_name.update(_frames(low, i))
    shapes = [
        Shape(side, words, n, with_name[(side, words)])
        for (side, words), n in with_marker.items()
        if _keep(side, words, n, with_name[(side, words)])
    ]
    shapes.sort(key=lambda s: (s.side, -s.markers, s.words))
    return shapes


@functools.cache
def load_shapes() -> dict[tuple[str, tuple[str, ...]], Shape]:
    """The shipped shape table, keyed by (side, words)."""
    out: dict[tuple[str, tuple[str, ...]], Shape] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(("#", "side\t")):
            continue
        side, frame, markers, names = line.split("\t")[:4]
        words = tuple(frame.split(" "))
        out[(side, words)] = Shape(side, words, int(markers), int(names))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m cabledesk.protect.shapes CORPUS_DIR``: print the table to stdout."""
    from cabledesk.errors import ParseError
    from cabledesk.telegram import parse

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m cabledesk.protect.shapes CORPUS_DIR", file=sys.stderr)
        return 2
    folder = Path(args[0])
    files = sorted(folder.glob("*.txt"))

    def cables() -> Iterator[Cable]:
        for path in files:
            text = path.read_text(encoding="utf-8")
            if "XXXX" not in text:
                continue
            try:
                yield parse(text, {"reference_id": path.stem})
            except ParseError as exc:
                print(f"{path}: {exc}", file=sys.stderr)

    shapes = learn_shapes(cables())
    print("# Frames around redaction markers, learned by cabledesk.protect.shapes.learn_shapes")
    print(f"# from the {len(files)} cables of {folder.name}/ (those holding XXXX markers).")
    print(f"# Kept: >= {_MIN_MARKERS} markers, markers/(markers+names) >= {_MIN_SPECIFICITY},")
    print("# not function words only, ordinary words only (data/lowercase_words.txt).")
    print("# names: readable Title-case non-lexicon words in the same frame, mixed-case cables.")
    print("side\tframe\tmarkers\tnames\tspecificity")
    for s in shapes:
        print(f"{s.side}\t{' '.join(s.words)}\t{s.markers}\t{s.names}\t{s.specificity:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
