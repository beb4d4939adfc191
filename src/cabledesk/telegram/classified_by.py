"""The Classified By statement: who classified the cable, and under which reasons.

5 FAH-1 H-246 (2004): a classified telegram carries "the name and position of the officer
classifying" it and "the reason it is classified derived from section 1.5 of Executive Order
12958", e.g. ``(U) Classified by John Doe, Ambassador, Reason 1.5 b and d``. E.O. 13292 (2003)
moved the categories to §1.4 (format.md §5.5). Real statements put the title before or after the
name, wrap mid-word at a fixed width (SMART's 71-character field), repeat the label, misspell
titles and reasons, and are glued to REF lines; the parser works on tokens, not on one regex.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterator
from dataclasses import dataclass

from cabledesk.telegram.model import ClassifiedBy
from cabledesk.telegram.structure import AnyLiteral, FirstChar

__all__ = ["find_classified_by", "normalize_name", "parse_classified_by"]

# "Classified By:", "CLASSIFIED BY", "Classfied By:", "CLASSIFIED CONFIDENTIAL BY",
# "This message classified by", "DOS CLASSIFICATION GUIDE BY" is handled by the title list.
_LABEL_RE = re.compile(
    r"(?<![A-Za-z])CLAS?S?I?F(?:I|Y)?I?E?D\s+(?:CONFIDENTIAL\s+|SECRET\s+)?"
    r"(?:BY\b|By(?=[A-Z][a-z]))[ \t]*(?P<colon>:?)",
    re.IGNORECASE,
)
# Glued to the subject ("...VISIT TO CAIROClassified By: ..."): only the exact form with a colon.
_GLUED_LABEL_RE = re.compile(r"(?:Classified\s+By|CLASSIFIED\s+BY)[ \t]*(?P<colon>:)")
# Without a colon the label must open its line: "1. (U) CLASSIFIED BY ...", "(U) Classified by",
# or follow the legacy "1. CONFIDENTIAL - ENTIRE TEXT." banner. Otherwise it is prose
# ("C O R R E C T E D C O P Y - CLASSIFIED BY LINE ADDED").
_LINE_PREFIX_RE = re.compile(
    r"[ \t¶]*(?:\d{1,2}\s?\.[ \t]*)?(?:\([A-Z/\-]{1,8}\)[ \t]*)?"
    r"(?:[A-Z ]+-\s*ENTIRE\s+TEXT\s*\.[ \t]*)?(?:This\s+message\s+)?$",
    re.IGNORECASE,
)
# A repeated label at the start of the statement: "Classified By: (C) CLASSIFIED BY ...".
_REPEAT_RE = re.compile(
    r"[ \t]*(?:\([A-Z/]{1,6}\)|\d{1,2}\s?\.)?[ \t]*(?:This\s+message\s+)?"
    r"CLASS?I?F(?:I|Y)?I?E?D\s+(?:CONFIDENTIAL\s+|SECRET\s+)?BY\b[ \t]*:?",
    re.IGNORECASE,
)
# Where the statement stops: a blank line, a numbered paragraph, a heading, a dashed rule.
_STMT_END_RE = re.compile(
    r"\n[ \t\\]*(?:\n|¶|\d{1,2}\s?\.\s?\(|\d{1,2}\s?\.\s|(?i:SUMMARY\b|REF\b)|-{3,}|PAGE\s+\d"
    # a page end repeating the classification (legacy print format)
    r"|(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|LIMITED OFFICIAL USE)[ \t]*\n"
    # a portion mark opening a paragraph; "(C) and (D)" continues the reasons instead
    r"|\((?:U|C|S|TS|SBU|LOU)(?:[/-][A-Z]{1,4})?\)(?!\s*(?:and\b|AND\b|[,&(]|$)))"
)
_MAX_STMT = 420

# The reason clause: "Reasons 1.4 (b and d)", "REASON: 1.5 (B) AND (D)", "1.4(b),(d)",
# "per 1.4 b/d", "E.O. 12958 1.4(d)". The section may be broken ("1. 4", "1 .4", "1,4").
# Searched from each "1" (structure.FirstChar): the pattern opens with a look-behind.
_SECTION = FirstChar(re.compile(r"(?<![\d./])1\s?[.,/]\s?(?P<s>[2-6])(?![\d/])"), "1")
_REASON_WORD_RE = re.compile(
    r"\b(?:r[ea]{1,2}s?o?ns?(?:\(s\))?|(?:E\.?\s?O\.?\s?)?1(?:2958|3526|3292)|under\s+sec"
    r"|section\s+1|para\s+1)\b",
    re.IGNORECASE,
)
_LETTERS_RE = re.compile(
    r"(?:[\s(),/&+;:\[\]\-]|\.(?!\s)|\b(?:and|or)\b|(?<![A-Za-z])[a-hA-H](?![A-Za-z]))*",
    re.IGNORECASE,
)
_LETTER_RE = re.compile(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")

# Tokens and separators of the part before the reasons.
_TOKEN_RE = re.compile(r"\s-\s|[,;:()\[\]]|\s-(?=[A-Z])|[^\s,;:()\[\]]+")
_SEPARATORS = frozenset(",;:()[]")
_STOP_WORDS = frozenset(
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
def _is_title(token: str) -> bool:
    """A title, office or bureau word (``DCM``, ``Minister-Counselor``, ``Pol/Econ``, ``Amabassador``)."""
    t = token.strip(".'’\"!?*#").lower().replace("0", "o")
    if not t:
        return False
    titles = _titles()
    if t in titles:
        return True
    if "/" in t or "&" in t:
        return True  # office symbols: Pol/Econ, A/S, EUR/PRA, S/CT, EST&H
    parts = [p for p in re.split(r"[-'’]", t) if p]
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
    if bare.lower().rstrip(".") in _STOP_WORDS and not (
        len(bare.rstrip(".")) == 1 and bare[0].isupper()
    ):
        return "X"
    if _is_title(bare):
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
            if _is_title(head) and re.match(r"[A-Z][a-z]+$", tail) and not _is_title(tail):
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
            and t.text.lower().rstrip(".,") not in _STOP_WORDS
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


def _join_lines(raw: str, col: int = 0) -> str:
    """Undo line wrapping: SMART cut the statement at 71 characters, mid-word.

    ``col`` is the column where ``raw`` starts in its first line.
    """
    lines = raw.split("\n")
    out = lines[0]
    for n, (prev, nxt) in enumerate(zip(lines, lines[1:], strict=False)):
        if n == 0:
            prev = " " * col + prev
        body = prev.rstrip(" \t\\\r")
        stripped_next = nxt.lstrip(" \t\\")
        if not stripped_next:
            continue
        last = body.rsplit(None, 1)[-1] if body.strip() else ""
        out = out.rstrip(" \t\\\r")
        hard_cut = len(body) == 71 and prev == body  # no space appended: cut mid-text
        if nxt[:1] not in (" ", "\t") and (
            hard_cut or (68 <= len(body) <= 71 and _split_word(last, nxt))
        ):
            out += nxt
        else:
            out += " " + stripped_next
    return out


def _split_word(last: str, nxt: str) -> bool:
    """Was a word cut at the line end? ``Blah|a``, ``Richa|rd``, ``AFFAIR|S``, ``REA|SONS``."""
    first = nxt.split(None, 1)[0] if nxt.strip() else ""
    a = last.strip("(),;:")
    b = first.rstrip(".,;:)")
    if not a.isalpha() or not b.isalpha():
        return False
    if a[:1].isupper() and b[:1].islower() and (b.lower() not in _STOP_WORDS or first != b):
        return True  # a capitalised name or title continued in lower case
    whole = (a + b).lower()
    if (_is_title(a + b) and (len(b) == 1 or not _is_title(a))) or whole in ("and", "for"):
        return True
    return bool(_REASON_WORD_RE.fullmatch(whole)) and not _REASON_WORD_RE.fullmatch(a.lower())


def _reasons(s: str) -> tuple[list[str], int | None, int | None]:
    """Reasons as ``["1.4(b)", "1.4(d)"]``, the index where the clause starts and where it ends."""
    sec = _SECTION.search(s)
    word = _REASON_WORD_RE.search(s)
    cut = min((m.start() for m in (sec, word) if m is not None), default=None)
    if sec is None:
        return [], cut, None
    section = "1." + sec["s"]
    span = _LETTERS_RE.match(s, sec.end())
    assert span is not None
    letters: list[str] = []
    for m in _LETTER_RE.finditer(s, sec.end(), span.end()):
        r = f"{section}({m.group(1).lower()})"
        if r not in letters:
            letters.append(r)
    end = span.end()
    while end > sec.end() and s[end - 1] in " \t\n,;:-(":
        end -= 1
    return letters, cut, end


@dataclass(slots=True)
class _Parsed:
    names: list[str]
    title: str | None
    reasons: list[str]
    valid: bool


def _parse_statement(s: str) -> _Parsed:
    """Names, title and reasons of one statement (label already removed, lines joined)."""
    while (rep := _REPEAT_RE.match(s)) is not None and rep.end() > 0:
        s = s[rep.end() :]
    reasons, cut, _ = _reasons(s)
    names, title, valid = _parse_pre(s if cut is None else s[:cut])
    return _Parsed(list(names), title, reasons, valid)


@functools.lru_cache(maxsize=256)
def _parse_pre(pre: str) -> tuple[tuple[str, ...], str | None, bool]:
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
    while words and words[-1].lower().strip(".,;:") in _STOP_WORDS:
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


_LABEL_STEMS = AnyLiteral("lassif", "LASSIF", "lassf", "LASSF", "lasif", "LASIF")


def _labels(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Label matches in ``text[start:end]``. Plain ``str.find`` on the spellings prefilters:
    an IGNORECASE regex scan over the front matter plus body was the hot spot."""
    pos = start + 1
    while True:
        best = _LABEL_STEMS.find(text, pos, end)
        if best < 0:
            return
        m = None
        if best - 1 >= start:
            m = _LABEL_RE.match(text, best - 1, end) or _GLUED_LABEL_RE.match(text, best - 1, end)
        if m is not None:
            yield m
            pos = m.end() + 1
        else:
            pos = best + 1


def _statement_end(text: str, m: re.Match[str], start: int, end: int) -> tuple[int, bool] | None:
    """End of the statement opened by label ``m`` and whether it is weak, or None for prose.

    Without a colon the label counts at the start of a line (after a paragraph number or portion
    mark), or mid-line when written ``Classified by`` and followed by a reason section — the form
    glued to REF lines (``E) CAIRO 730 Classified by Ambassador ... reason 1.4 (d).``). A label
    without colon and without a reason section is weak: body prose ("¶3. (C) CLASSIFIED BY THE
    MINISTRY AS ...") looks the same, so it must yield a full name.
    """
    stmt_end = min(end, m.end() + _MAX_STMT)
    stop = _STMT_END_RE.search(text, m.end(), stmt_end)
    if stop is not None:
        stmt_end = stop.start()
    if m["colon"]:
        return stmt_end, False
    if not text[m.start()].isupper():
        return None
    has_reason = _SECTION.search(text, m.end(), stmt_end) is not None
    line_start = max(start, text.rfind("\n", start, m.start()) + 1)
    at_line_start = _LINE_PREFIX_RE.match(text, line_start, m.start()) is not None
    if not at_line_start and not has_reason:
        return None
    return stmt_end, not has_reason


def _statements(text: str, start: int, end: int) -> Iterator[tuple[re.Match[str], int, _Parsed]]:
    """Each plausible statement: label, end of its lines, parsed content."""
    for m in _labels(text, start, end):
        found = _statement_end(text, m, start, end)
        if found is None:
            continue
        stmt_end, weak = found
        col = m.end() - (text.rfind("\n", 0, m.end()) + 1)
        parsed = _parse_statement(_join_lines(text[m.end() : stmt_end], col))
        if not parsed.valid:
            continue  # cable numbers, not a statement: try the next label
        if weak and (not parsed.names or any(" " not in n for n in parsed.names)):
            continue
        yield m, stmt_end, parsed


def find_classified_by(text: str, start: int, end: int) -> ClassifiedBy | None:
    """The Classified By statement in ``text[start:end]``, or None.

    A label without a colon counts only at the start of a line (after a paragraph number or
    portion mark) or when a reason follows; a statement that turns out to be something else
    (cable numbers) is skipped and the next label tried.
    """
    for m, stmt_end, parsed in _statements(text, start, end):
        # end of the statement: end of the reasons clause in the raw text, else end of the lines
        stmt_stop = m.end() + len(text[m.end() : stmt_end].rstrip(" \t\r\n\\"))
        sec = _SECTION.search(text, m.end(), stmt_end)
        if sec is not None:
            span = _LETTERS_RE.match(text, sec.end(), stmt_end)
            e = span.end() if span else sec.end()
            while e > sec.end() and text[e - 1] in " \t\r\n,;:-(":
                e -= 1
            stmt_stop = e
        name = "; ".join(parsed.names) if parsed.names else None
        return ClassifiedBy(
            name=name,
            title=parsed.title,
            reasons=parsed.reasons,
            text=text[m.start() : stmt_stop],
            start=m.start(),
            end=stmt_stop,
        )
    return None


def _names_in(text: str) -> list[str]:
    for _, _, parsed in _statements(text, 0, len(text)):
        return parsed.names
    return []


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


def parse_classified_by(text: str, normalize: bool = True) -> list[str]:
    """Names of the classifying officials (conformance: classified_by)."""
    names = _names_in(text)
    if normalize:
        return [normalize_name(n) for n in names]
    return names
