"""Officials named in a cable's statements: their names and job titles, as written.

A Classified By line names the officer (``Political Minister-Counselor Alice G. Wells``,
``DCM EARL IRVING``, ``THEODORE H. KATTOUF, AMBASSADOR``); titles come before or after the name,
wrap mid-word and are misspelt, so the reader works on tokens classified as name, initial,
title, suffix or separator and picks the best run of name tokens. The title list is
``data/name_titles.txt`` (see data/SOURCES-frontmatter.md).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from dataclasses import dataclass

__all__ = ["STOP_WORDS", "is_title", "normalize_name", "read_officials"]

# Tokens and separators of the part before the reasons.
_TOKEN_RE = re.compile(r"\s-\s|[,;:()\[\]]|\s-(?=[A-Z])|[^\s,;:()\[\]]+")

_SEPARATORS = frozenset(",;:()[]")

STOP_WORDS = frozenset(
    {
        *("for", "fr", "f0r", "per", "under", "based", "upon", "on", "0n", "due", "to", "by"),
        *("and", "or", "of", "the", "in", "at", "from", "with", "as", "a", "an"),
        *("reason", "reasons"),
    }
)

# Lower-case surname particles: Carol van Voorst, Juan de la Cruz.
_PARTICLES = frozenset(
    {"van", "von", "de", "da", "del", "della", "la", "le", "bin", "al", "el", "der", "den"}
)

_SUFFIXES = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV"})

_ROMAN = frozenset({"II", "III", "IV", "V", "VI"})

_INITIAL_RE = re.compile(r"[A-Z0]\.?(?:[A-Z]\.?)?$")

_NAME_RE = re.compile(
    r"(?:[A-Z0][A-Za-z0]*(?:['’][A-Z][A-Za-z]+)?(?:-[A-Z][A-Za-z]+)*\.?|[A-Z]\.[A-Z][A-Za-z]+\.?)$"
)

# Inner capitals are a name only after a known prefix: McNerney, MacArthur, LeBaron, DiCarlo.
_CAMEL_RE = re.compile(r"[a-z][A-Z]")

_CAMEL_OK_RE = re.compile(
    r"^(?:Mc|Mac|Le|La|De|Di|Du|Da|Van|Von|St|Fitz|O|D|Jo|Mary|Ann|Anne|Lee|Ray)[A-Z][a-z]+$"
    r"|^[A-Z][a-z]?[A-Z]{2,}$"
)

_FUZZY_TITLES = (
    "ambassador",
    "counselor",
    "counsellor",
    "coordinator",
    "director",
    "affaires",
    "secretary",
    "minister",
    "representative",
    "political",
    "economic",
    "officer",
    "assistant",
)

_GLUED_INITIAL_RE = re.compile(r"^[A-Z]{1,2}[a-z]+$|^[A-Z]+$")

# (precompiled: a module-level ``re.split``/``re.match`` pays a cache lookup per call)
_HYPHEN_SPLIT = re.compile(r"[-'’]").split
_CAPITALISED = re.compile(r"[A-Z][a-z]+$").match
_GLUED_APOSTROPHE_RE = re.compile(r"(?<![A-Za-z])([dDoO]),(?=[A-Z])")


@functools.cache
def _titles() -> frozenset[str]:
    """data/name_titles.txt, loaded once (see data/SOURCES-frontmatter.md)."""
    raw = importlib.resources.files("cabledesk.telegram.data").joinpath("name_titles.txt")
    words = set()
    for line in raw.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.lower())
    return frozenset(words)


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of a and b is at most ``limit`` (short words only)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            cur.append(v)
            best = min(best, v)
        if best > limit:
            return False
        prev = cur
    return prev[-1] <= limit


@functools.lru_cache(maxsize=65536)
def is_title(token: str) -> bool:
    """A title, office or bureau word (``DCM``, ``Minister-Counselor``, ``Pol/Econ``, ``Amabassador``)."""
    t = token.strip(".'’\"!?*#").lower().replace("0", "o")
    if not t:
        return False
    titles = _titles()
    if t in titles:
        return True
    if "/" in t or "&" in t:
        return True  # office symbols: Pol/Econ, A/S, EUR/PRA, S/CT, EST&H
    parts = [p for p in _HYPHEN_SPLIT(t) if p]
    if not parts:
        return False
    hit = False
    for part in parts:
        if part in titles or _fuzzy_title(part) or _compound_title(part):
            hit = True
        elif part not in ("d", "de", "at", "a", "i"):
            return False
    return hit


@functools.cache
def _compound_title(word: str) -> bool:
    """Run-together office titles: PolCounselor, ESTOff, POLCHIEF, ECONMINCOUNS."""
    if not word.isalpha() or len(word) < 6:
        return False
    titles = _titles()
    ok = [False] * (len(word) + 1)
    ok[0] = True
    for i in range(len(word)):
        if ok[i]:
            for j in range(i + 3, len(word) + 1):
                if word[i:j] in titles and (i, j) != (0, len(word)):
                    ok[j] = True
    return ok[-1]


@functools.lru_cache(maxsize=4096)
def _title_prefix(word: str) -> bool:
    return len(word) >= 2 and any(t.startswith(word) for t in _titles())


@functools.cache
def _fuzzy_title(word: str) -> bool:
    """Misspelt long titles: Ambassaor, Counsleor, Direcotr, REPRESENATIVE (edit distance)."""
    if len(word) < 6 or not word.isalpha():
        return False
    for title in _FUZZY_TITLES:
        if word[0] == title[0] and _within(word, title, 3 if title == "ambassador" else 2):
            return True
    return False


@dataclass(slots=True)
class _Tok:
    text: str
    kind: str  # N name, I initial, S suffix, T title, X other, P separator
    start: int
    end: int


@functools.lru_cache(maxsize=65536)
def _classify(tok: str) -> str:
    if tok in _SEPARATORS or tok.strip() == "-":
        return "P"
    bare = tok.rstrip(",")
    up = bare.upper()
    if up in _SUFFIXES or up.rstrip(".") in _SUFFIXES:
        return "S"
    if bare in _PARTICLES:
        return "V"
    if bare.lower().rstrip(".") in STOP_WORDS and not (
        len(bare.rstrip(".")) == 1 and bare[0].isupper()
    ):
        return "X"
    if is_title(bare):
        return "T"
    if _INITIAL_RE.match(bare) and len(bare.replace(".", "")) <= 2:
        return "I"
    if any(c.isdigit() and c != "0" for c in bare):
        return "X"
    if _NAME_RE.match(bare):
        core = bare.rstrip(".")
        # inner capitals: McNerney is a name, "CooQnator" is garbage; AFriedt (an initial
        # glued to the surname) and RCROCKER are still names
        if (
            _CAMEL_RE.search(core)
            and not _CAMEL_OK_RE.match(core.replace("0", "o"))
            and not _GLUED_INITIAL_RE.match(core)
        ):
            return "X"
        return "N"
    return "X"


def _tokens(s: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(s):
        text = m.group().strip()
        if len(text) > 1 and text.endswith("-"):
            text = text.rstrip("-")  # "McKelvey-reasons"
        if text.endswith("..") and text.rstrip("."):
            # cut off by WikiLeaks ("Hodges...", "Ambass..."): a title if it starts one
            text = text.rstrip(".")
            if _title_prefix(text.lower()):
                out.append(_Tok(text, "T", m.start(), m.end()))
                continue
        if "/" in text and not text.endswith("/"):
            # "DCM/Ted": a title glued to the name by a slash
            head, _, tail = text.rpartition("/")
            if is_title(head) and _CAPITALISED(tail) and not is_title(tail):
                out.append(_Tok(head + "/", "T", m.start(), m.start() + len(head) + 1))
                out.append(_Tok(tail, _classify(tail), m.start() + len(head) + 1, m.end()))
                continue
        out.append(_Tok(text, _classify(text), m.start(), m.end()))
    # "SIMONS, JR.": the comma before a suffix does not end the name
    out = [
        t
        for i, t in enumerate(out)
        if not (t.text == "," and i + 1 < len(out) and out[i + 1].kind == "S")
    ]
    # "Hoyt Y ee": a word broken after its first letter by an unwrapped line
    merged: list[_Tok] = []
    for t in out:
        if (
            merged
            and merged[-1].kind == "I"
            and len(merged[-1].text) == 1
            and t.text[:1].islower()
            and t.text.rstrip(".,").isalpha()
            and t.text.lower().rstrip(".,") not in STOP_WORDS
        ):
            prev = merged[-1]
            merged[-1] = _Tok(prev.text + t.text, "N", prev.start, t.end)
            continue
        merged.append(t)
    for i in range(2, len(merged)):
        a, b, c = merged[i - 2], merged[i - 1], merged[i]
        if c.kind == "T" and b.kind == "I" and a.kind == "N" and c.text[:1].isupper():
            merged[i] = _Tok(c.text, "N", c.start, c.end)  # "Damian R. Leader": a surname
        elif a.kind == "I" and b.kind == "I" and a.text.upper() == "A." and b.text.upper() == "I.":
            merged[i - 2] = _Tok(a.text, "T", a.start, a.end)  # "CHARGE A. I."
            merged[i - 1] = _Tok(b.text, "T", b.start, b.end)
    # "van Voorst", "de la Cruz": particles join the surname that follows
    i = len(merged) - 2
    while i >= 0:
        if merged[i].kind == "V" and merged[i + 1].kind == "N":
            nxt = merged.pop(i + 1)
            merged[i] = _Tok(merged[i].text + " " + nxt.text, "N", merged[i].start, nxt.end)
        i -= 1
    return merged


def _best_run(toks: list[_Tok], lo: int, hi: int) -> tuple[int, int] | None:
    """The name in ``toks[lo:hi]`` (one segment): the last run of name tokens, trimmed to
    ``[Given] [Initials] [Given] Surname [Suffix]``; a second given name without initials is kept
    only when a title or the segment start bounds it on the left."""
    runs: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        if toks[i].kind in "NIS":
            j = i
            while j < hi and toks[j].kind in "NIS":
                j += 1
                if toks[j - 1].kind == "N" and toks[j - 1].text.endswith(".") and j < hi:
                    # "MCDONALD." ends the name unless an abbreviation: "Amb." is T already
                    break
            runs.append((i, j))
            i = j
        else:
            i += 1
    best = None
    for a, b in runs:
        trimmed = _trim(toks, a, b, lo)
        if trimmed is None:
            continue
        if best is None or (trimmed[1] - trimmed[0]) >= 2 or (best[1] - best[0]) < 2:
            best = trimmed
    return best


def _trim(toks: list[_Tok], a: int, b: int, lo: int) -> tuple[int, int] | None:
    """Trim the run ``toks[a:b]`` to one name, or None when it has no surname."""
    # a stray reason letter after the name: "... STUART DWYER B"
    while b - a > 1 and toks[b - 1].kind == "I" and toks[b - 2].kind == "N":
        b -= 1
    end = b
    while end > a and toks[end - 1].kind == "S":
        end -= 1
    if end == a or toks[end - 1].kind != "N":
        return None  # "Patricia A" alone is not a name
    k = end - 1  # surname
    given_after = 0  # full given names between initials and surname
    initials = 0
    given_before = 0
    i = k - 1
    while i >= a:
        kind = toks[i].kind
        if kind == "I":
            if given_before:
                break
            initials += 1
        elif kind == "N":
            if initials:
                if given_before:
                    break
                given_before += 1
            elif given_after == 0:
                given_after = 1
            else:
                # a second full given name: only with a left bound (title or segment start)
                bounded = i == lo or toks[i - 1].kind in "TP"
                if not (bounded and i == a):
                    break
                given_after = 2
        else:
            break
        i -= 1
    return (i + 1, b)


@functools.lru_cache(maxsize=256)
def read_officials(pre: str) -> tuple[tuple[str, ...], str | None, bool]:
    """Names, title and validity from the part before the reasons. Cached: a post's cables
    repeat the same officer line (``Ambassador Adam Ereli for``) cable after cable."""
    if "," in pre:
        pre = _GLUED_APOSTROPHE_RE.sub(r"\1'", pre)
    toks = _tokens(pre)
    if any(t.kind == "X" and t.text.isdigit() and len(t.text) >= 2 for t in toks):
        return (), None, False  # "Classified By: ADANA 222 ADANA 216": refs
    # segments between separators
    bounds: list[tuple[int, int]] = []
    lo = 0
    for i, t in enumerate(toks):
        if t.kind == "P" or (t.kind == "N" and t.text.endswith(".") and _is_sentence_end(toks, i)):
            if t.kind == "P":
                bounds.append((lo, i))
                lo = i + 1
            else:
                bounds.append((lo, i + 1))
                lo = i + 1
    bounds.append((lo, len(toks)))
    primary: tuple[int, int] | None = None
    for a, b in bounds:
        run = _best_run(toks, a, b)
        if run is not None and (run[1] - run[0] >= 2 or primary is None):
            if run[1] - run[0] >= 2:
                primary = run
                break
            if primary is None:
                primary = run
    if primary is None:
        # "Classified By: Ambassador, reason 1.4 (b,d)": a title alone
        only_titles = toks and all(t.kind in "TP" for t in toks)
        title = " ".join(pre.split()).strip(" ,;:-") if only_titles else None
        return (), title or None, True
    names = [_render(toks, pre, *primary)]
    # a second officer: "AF KARL WYCOFF, ACTING AND S/CT DAS SHARI VILLAROSA"
    seen_and = False
    i = primary[1]
    while i < len(toks):
        t = toks[i]
        if t.kind == "X" and t.text.lower() == "and":
            seen_and = True
        elif seen_and and t.kind == "T" and i + 1 < len(toks) and toks[i + 1].kind in "NI":
            j = i + 1
            while j < len(toks) and toks[j].kind in "NIS":
                j += 1
            run = _trim(toks, i + 1, j, i + 1)
            if run is not None and run[0] == i + 1 and run[1] - run[0] >= 2:
                names.append(_render(toks, pre, *run))
                break
        i += 1
    before = pre[: toks[primary[0]].start].strip(" ,;:-(")
    after = pre[toks[primary[1] - 1].end :].strip(" ,;:-().")
    title_text = before or after
    words = title_text.split()
    while words and words[-1].lower().strip(".,;:") in STOP_WORDS:
        words.pop()  # "ECONOMIC COUNSELOR FOR REASON ..."
    title = " ".join(words).strip(" ,;:-") or None
    return tuple(names), title, True


def _is_sentence_end(toks: list[_Tok], i: int) -> bool:
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return nxt is not None and nxt.kind not in "SI"


def _render(toks: list[_Tok], pre: str, a: int, b: int) -> str:
    """The name as written: whitespace collapsed, a trailing period dropped unless ``Jr.``."""
    parts: list[str] = []
    for i in range(a, b):
        t = toks[i]
        if t.kind == "S" and parts and "," in pre[toks[i - 1].end : t.start]:
            parts[-1] += ","  # "SIMONS, JR." keeps its comma; "WITHERS II" has none
        parts.append(t.text)
    name = " ".join(parts)
    if name.endswith(".") and not name.upper().endswith("JR.") and not name.upper().endswith("SR."):
        name = name[:-1]
    return name


def _cap_word(w: str) -> str:
    if not w:
        return w
    if w.upper() in _ROMAN:
        return w.upper()
    if w.upper().startswith("MC") and len(w) > 3 and (w.isupper() or w.islower()):
        return "Mc" + w[2:].capitalize()
    if w.isupper() or w.islower():
        return w.capitalize()
    return w


def normalize_name(name: str) -> str:
    """Title-case a name: ``LEE 0. COLDREN`` -> ``Lee O. Coldren``; roman numerals stay upper."""
    words = []
    for w in name.split():
        core = w.rstrip(",")
        tail = w[len(core) :]
        if core.upper().rstrip(".") in _ROMAN and len(core.rstrip(".")) > 1:
            words.append(core.upper() + tail)
            continue
        core = re.sub(r"(?<=[A-Za-z])0|0(?=[A-Za-z.])", "O", core)
        if core.isupper() or core.islower():
            pieces = re.split(r"([-'’.])", core)
            core = "".join(_cap_word(p) if p not in "-'’." else p for p in pieces)
        words.append(core + tail)
    return " ".join(words)
