"""The text models of the synthetic-corpus profile: a clause bank for bodies, a word-bigram
model for subject lines, and the names seen after titles. Used by ``build_synth_profile.py``.

Body sentences of the corpus become clauses (the pieces between commas) that open, continue or
close a sentence; the generator recombines them, so no corpus sentence is kept whole. A
person's name after a title (``Minister Ahmed Aboul Gheit``) becomes the slot ``NAME_SLOT`` and a
redaction run the slot ``REDACTION_SLOT``; the names feed the first-name and surname lists.
Sentences with a word the parser reads as structure (``COMMENT``, ``Classified``, ``SECRET``
...) are left out, so generated bodies never fake a front-matter field.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cabledesk.telegram import Cable, parse

ROOT = Path(__file__).resolve().parent.parent

# Body model sizes: clause fragments kept that open, continue and close a sentence.
FRAGMENTS = {"openers": 800, "middles": 600, "closers": 800}
SUBJECT_VOCAB = 900
SUBJECT_NEXT = 5

EXTRA_TITLES = (
    "president minister ambassador director governor senator deputy general chairman secretary "
    "mayor advisor adviser spokesman speaker prime foreign congressman congresswoman commissioner "
    "judge colonel admiral dr mr ms mrs assistant vice under acting interior defense justice "
    "finance economy trade energy health state affairs national security chief sheikh king "
    "prince queen lord sir bin al the of for and"
)
NAME_SLOT = "\x01"  # a person's name, filled per cable
REDACTION_SLOT = "\x02"  # XXXXXXXXXXXX in redacted cables, a name in the others
END = -1

# Words after which a Title-Case run is a person's name (the run becomes a name slot).
_TITLED = re.compile(
    r"\b(President|Minister|Ambassador|Director|Governor|Senator|Deputy|General|Chairman|"
    r"Secretary|Mayor|Advisor|Adviser|Spokesman|Speaker|Prime Minister|Foreign Minister|"
    r"Congressman|Congresswoman|Commissioner|Judge|Colonel|Admiral|Dr\.|Mr\.|Ms\.|Mrs\.)"
    r"((?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?| [A-Z]\.| al-[A-Z][a-z]+| bin| [A-Z]{3,}){1,4})"
)
_NAME_WORD = re.compile(r"^[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?$")
_CAPS_WORD = re.compile(r"^[A-Z]{3,}$")
_REDACTED = re.compile(r"X{5,}")
_ABBREV = re.compile(r"^(?:[A-Z]\.)+$|^(?:Mr|Ms|Mrs|Dr|Gen|St|Jr|No|Amb|Sen|Rep|Col|Lt|Gov)\.$")
# Body sentences holding a word the parser reads as structure are left out of the model.
STRUCTURAL = re.compile(
    r"(?i:comment|summary|classified|sipdis|noforn|reftel|\bref\b|\brefs\b|section|subject|"
    r"tags|begin text|end text|end note|\bnote:|e\.o\.|decl|page \d)"
    r"|\b(?:SECRET|CONFIDENTIAL|UNCLAS\w*|SENSITIVE|NODIS|EXDIS|LIMDIS)\b"
    r"|[¶\\|_=~*<>{}\[\]]|--|\d{5,}|\bX{2,}[^X]"
)
_TOKEN_OK = re.compile(r"^(?!\([A-Z/]{1,8}\))[A-Za-z0-9$%(\"'’“][A-Za-z0-9$%.,;:'’\"”“/&()-]*$")
# A slot right before a clause opener ("XXXXXXXXXXXX When ...") would read as a glued name.
_SLOT_BEFORE_CLAUSE = re.compile(
    "[\x01\x02] (?:When|Despite|In|The|However|After|If|As|Although|While|On|At|For|But|And|"
    "This|That|According|During|With|Since|Following|Given|Because)\\b"
)
_SUBJECT_BAD = re.compile(r"(?i:\bref|classified|subject|tags|sipdis|noforn|\(|\)|--|¶)")


def _split_sentences(tokens: list[str]) -> Iterable[list[str]]:
    start = 0
    for i, tok in enumerate(tokens):
        ends = tok.endswith((".", "?", "!", '."', ".”")) and not _ABBREV.match(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if ends and (not nxt or nxt[0].isupper() or nxt[0] in (NAME_SLOT, REDACTION_SLOT)):
            yield tokens[start : i + 1]
            start = i + 1


def title_words() -> set[str]:
    """Lower-case words of titles and offices, never part of a person's name."""
    path = ROOT / "src" / "cabledesk" / "telegram" / "data" / "name_titles.txt"
    words = {w.strip() for w in path.read_text("utf-8").splitlines() if w and not w.startswith("#")}
    return words | set(EXTRA_TITLES.split())


def body_sentences(tele: list[Cable], names: Counter, surnames: Counter) -> list[list[str]]:
    """Sentences of numbered paragraphs with names and redactions made slots."""

    def slot(m: re.Match[str]) -> str:
        words = m.group(2).split()
        lead = 0
        while lead < len(words) and words[lead].lower().rstrip(".") in titles:
            lead += 1
        real = words[lead:]
        if not real:
            return m.group(0)
        if len(real) >= 2 and _NAME_WORD.match(real[0]) and real[-1].isalpha():
            names[real[0]] += 1
            surnames[real[-1].title()] += 1
        return " ".join([m.group(1), *words[:lead], NAME_SLOT])

    titles = title_words()

    out = []
    for c in tele:
        for p in c.paragraphs:
            if p.number is None:
                continue
            text = _REDACTED.sub(REDACTION_SLOT, " ".join(p.text.split()))
            text = _TITLED.sub(slot, text)
            for sent in _split_sentences(text.split()):
                if not 5 <= len(sent) <= 45:
                    continue
                joined = " ".join(sent)
                if STRUCTURAL.search(joined):
                    continue
                if all(_TOKEN_OK.match(t) or t[0] in (NAME_SLOT, REDACTION_SLOT) for t in sent):
                    out.append(sent)
    return out


def bigram_model(
    sentences: list[list[str]], vocab_size: int, successors: int, starts: int
) -> dict[str, Any]:
    """Vocabulary, weighted sentence openings and per word its weighted successors (-1 = end)."""
    freq = Counter(t for s in sentences for t in s)
    vocab = [t for t, _ in freq.most_common(vocab_size)]
    index = {t: i for i, t in enumerate(vocab)}
    first: Counter = Counter()
    nxt: list[Counter] = [Counter() for _ in vocab]
    for s in sentences:
        if s[0] in index:
            first[index[s[0]]] += 1
        for a, b in zip(s, s[1:] + [None], strict=True):
            ia = index.get(a)
            if ia is None:
                continue
            if b is None:
                nxt[ia][END] += 1
            elif b in index:
                nxt[ia][index[b]] += 1
    return {
        "vocab": vocab,
        "starts": [x for i, k in first.most_common(starts) for x in (i, k)],
        "next": [[x for j, k in c.most_common(successors) for x in (j, k)] for c in nxt],
    }


def fragment_bank(sentences: list[list[str]]) -> dict[str, list[str]]:
    """Clauses (the pieces between commas) that open, continue or close real sentences.

    Sentences are recombined from them (an opener, maybe middles, a closer), so the prose reads
    like cable text while no sentence of the corpus, let alone a cable, is kept whole.
    """
    pools: dict[str, set[str]] = {k: set() for k in FRAGMENTS}
    for sent in sentences:
        pieces: list[list[str]] = [[]]
        for tok in sent:
            pieces[-1].append(tok)
            if tok.endswith((",", ";")):
                pieces[-1][-1] = tok[:-1]
                pieces.append([])
        pieces = [p for p in pieces if p]
        if len(pieces) < 2 or not all(3 <= len(p) <= 14 for p in pieces):
            continue
        texts = [" ".join(p) for p in pieces]
        if any(_SLOT_BEFORE_CLAUSE.search(t) for t in texts):
            continue
        if any(t.count("(") != t.count(")") or '"' in t or "“" in t for t in texts):
            continue
        if texts[0][0].isupper() or texts[0][0] in (NAME_SLOT, REDACTION_SLOT):
            pools["openers"].add(texts[0])
        if texts[-1].endswith((".", "?", "!")):
            pools["closers"].add(texts[-1])
        pools["middles"].update(t for t in texts[1:-1] if t[:1].islower())
    rnd = random.Random(0)  # a fixed sample, so the profile is reproducible
    bank = {k: sorted(rnd.sample(sorted(v), min(len(v), FRAGMENTS[k]))) for k, v in pools.items()}
    bank["closers"] = [c for c in bank["closers"] if not reads_as_signature(c)]
    return bank


def reads_as_signature(closer: str) -> bool:
    """Whether a cable's last line ending in ``closer`` would read as signed (``... Rachid M.
    Rachid.``): such a closer would give unsigned synthetic cables a signer."""
    text = f"UNCLAS STATE 000001\n\nSUBJECT: TEST\n\n1. (U) It was said, {closer}\n"
    return bool(parse(text).signers)


def subject_model(tele: list[Cable]) -> dict[str, Any]:
    """The word-bigram model of real subject lines."""
    return bigram_model(subject_sentences(tele), SUBJECT_VOCAB, SUBJECT_NEXT, 200)


def subject_sentences(tele: list[Cable]) -> list[list[str]]:
    out = []
    for c in tele:
        subj = " ".join((c.subject or "").split())
        if 10 <= len(subj) <= 120 and subj.isupper() and not _SUBJECT_BAD.search(subj):
            words = subj.split()
            if all(_TOKEN_OK.match(w) for w in words):
                out.append(words)
    return out
