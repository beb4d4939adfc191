"""Person-name candidates for the leak audit: runs of capitalised words that are not ordinary
words, places, organisations, titles or dates.

The audit asks a narrow question (is the word standing where a source stands a person's
name?), so a compact rule set is enough: the corpus lexicon of words written in lower case,
the place and acronym tables, the title list. In an all-capitals cable case says nothing, so a
run there is any sequence of words none of those lists hold.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from cabledesk.protect.lexicon import MONTHS_AND_DAYS, acronyms, common_words, place_words
from cabledesk.protect.names import mostly_upper
from cabledesk.telegram.officials import is_title

__all__ = ["NameRun", "name_run_at", "name_runs", "name_word"]

_TOKEN = re.compile(r"[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?\.?")
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "da", "del", "van", "von", "la", "le"})
_NOT_NAMES = MONTHS_AND_DAYS | frozenset(
    [
        "god",
        "allah",
        "islam",
        "christ",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "madam",
        "he",
        "she",
        "they",
        "we",
        "i",
        "it",
        "you",
        "embassy",
        "ministry",
        "government",
        "party",
        "state",
        "department",
        "office",
        "council",
        "committee",
        "union",
        "us",
        "usg",
        "u.s.",
        "un",
        "eu",
        "end",
        "comment",
        "summary",
        "note",
        "ref",
        "reftel",
        "septel",
        "septels",
    ]
)


@dataclass(frozen=True, slots=True)
class NameRun:
    """A name as written (``start``/``end`` in the text), its words and any title before it."""

    start: int
    end: int
    text: str
    words: int
    title: str | None


def name_word(token: str, upper: bool) -> bool:
    """A word that can be part of a person's name."""
    if not upper and not token[0].isupper():
        return False
    return _name_word(token, upper)


@functools.lru_cache(maxsize=131072)
def _name_word(token: str, upper: bool) -> bool:
    bare = token.rstrip(".").strip("'’-")
    low = bare.lower()
    if "xxx" in low:
        return False  # a redaction marker, or a word glued to one
    if "-" in low and low.rsplit("-", 1)[1] in common_words():
        return False  # Tehran-based, UNODC-sponsored, GOE-funded
    if len(bare) < 2 or low in _NOT_NAMES or low in common_words() or low in place_words():
        return False
    if low.endswith(("'s", "’s")):
        return _name_word(bare[:-2], upper)
    if is_title(bare) or bare.upper() in acronyms() and (upper or bare.isupper()):
        return False
    if not upper and not bare[0].isupper():
        return False
    if not upper and bare.isupper() and len(bare) <= 4:
        return False  # UNHCR, GOR, MFA: organisations written in capitals
    return not any(c.isdigit() for c in bare)


def _joinable(token: str, upper: bool) -> bool:
    """Initials and particles inside a name: ``Alice G. Wells``, ``Abu al-Khair``."""
    bare = token.rstrip(".")
    return (len(bare) == 1 and bare.isupper()) or bare.lower() in _PARTICLES


def name_runs(text: str, start: int, end: int, upper: bool | None = None) -> list[NameRun]:
    """Name candidates in ``text[start:end]``, each at most four words."""
    if upper is None:
        upper = mostly_upper(text[start:end])
    toks = list(_TOKEN.finditer(text, start, end))
    runs: list[NameRun] = []
    i = 0
    while i < len(toks):
        if not name_word(toks[i].group(), upper):
            i += 1
            continue
        a = i
        j = i + 1
        while j < len(toks) and j - a < 4:
            gap = text[toks[j - 1].end() : toks[j].start()]
            if (
                gap not in (" ", "")
                or toks[j - 1].group().endswith((".", "'s", "’s"))
                and not (_joinable(toks[j - 1].group(), upper))
            ):
                break
            tok = toks[j].group()
            if name_word(tok, upper) or (
                _joinable(tok, upper)
                and j + 1 < len(toks)
                and name_word(toks[j + 1].group(), upper)
            ):
                j += 1
                continue
            break
        # given names before: "Alice G." when the run starts at an initial
        while a > 0 and _joinable(toks[a - 1].group(), upper) and text[toks[a - 1].end()] == " ":
            a -= 1
        run_start, run_end = toks[a].start(), toks[j - 1].end()
        written = text[run_start:run_end].rstrip(".")
        if written.endswith(("'s", "’s")):
            written = written[:-2]
        title = None
        if a > 0 and is_title(toks[a - 1].group()):
            title = toks[a - 1].group()
        runs.append(NameRun(run_start, run_start + len(written), written, j - a, title))
        i = j
    return runs


def name_run_at(text: str, start: int, end: int) -> NameRun | None:
    """The name filling ``text[start:end]`` exactly (after trimming spaces), if it is one."""
    runs = name_runs(text, start, end)
    if len(runs) != 1:
        return None
    run = runs[0]
    if text[start : run.start].strip(' \n\t,("“') or text[run.end : end].strip(' \n\t,.)"”;:'):
        return None
    return run
