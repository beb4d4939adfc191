"""The signature at the end of a cable: the chief of mission's (or Secretary's) surname.

format.md §5.7: the signer is the last line of the text, a surname in capitals (``RUSSELL``),
sometimes two (``SMITH/JONES``); WikiLeaks often glues it to the previous line
(``...END COMMENT. STEVENS``) and many posts put a boilerplate line before it
(``Visit London's Classified Website: XXXXXXXXXXXX``).  After it may follow the
classification word, ``NNNN`` (ACP 127 FL16), page lines and archive stamps.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import re

__all__ = ["canonical_signer", "find_signers", "parse_signers"]

_TAIL = 1200
_MAX_LINES = 40

# Lines after the signature that are not part of the text.
_JUNK = re.compile(
    r"""[ \t]*(?:
      |[.>#*\\"'/_-]+
      |[Nn]{3,4}|BT|SIPDIS|NOFORN|SENSITIVE|UNQUOTE
      |(?:TOP[ ]SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED[ ]OFFICIAL[ ]USE)
        (?:[ \t]*/{1,2}[ \t]*[A-Z ]+)?
      |(?:[A-Z][ ]){4,}[A-Z]
      |=+[ \t]*CABLE[ ]ENDS[ \t]*=+
      |Declassified/Released.*|Systematic[ ]Review.*|Review[ ]\d{1,2}[ ][A-Z]{3}[ ]\d{4}|Copy[ ]from[ ]the[ ]National[ ]Archives.*
      |NOTE[ ]BY[ ]OC/T.*|NOTE:[ ]NOT[ ]PASSED[ ]TO.*|HEADING[ ]AS[ ]RECEIVED.*
      # a PAGE print line, not one WikiLeaks glued the page's text onto (01VATICAN5960)
      |PAGE[ \t]+\d{2,3}[ \t]+.{0,60}?\d{6}Z.{0,40}
      |[A-Z][A-Z .'/-]{0,9}[ \t]\d{8}[ \t]+\d{3}(?:\.\d)?[ \t]+OF[ \t]+\d{3}
      |\d{4}[A-Z]+\d+[ \t]+-[ \t]+.*
      |\*+[ \t]*Missing[ ]Section.*
    )[ \t]*""",
    re.X,
)
# Boilerplate printed just above the signature.
_BOILERPLATE = re.compile(
    r"[ \t]*(?:\*[* \t]*)?(?:Please[ \t]+)?[Vv]isit[^\n]*Classified[ \t]+Web[^\n]*"
    r"|[ \t]*\*{5,}[ \t*]*|[ \t]*(?:REGARDS|Regards)[ \t,.]*"
)
_WEBSITE = re.compile(r"(?:\*[* \t]*)?(?:Please[ \t]+)?[Vv]isit[^\n]*?Classified[ \t]+Web")
_NAME_TOKEN = r"(?:(?:Mc|Mac|O'|De|Le|La|Van|Von)?[A-Z][A-Za-z'’-]*[A-Za-z]|[A-Z])"
_UPPER_TOKEN = r"[A-Z](?:[A-Z'’-]*[A-Z])?"
_SUFFIX = r"(?:JR|SR|II|III|IV|Jr|Sr)"
# A signature line: one name (``RUSSELL``, ``Murphy``, ``DE PREE``, ``TIMKEN JR``, ``van Voorst``),
# or several joined by ``/`` (a joint signature).
_UP_NAME = (
    rf"(?:(?:VAN|VON|DE|DEL|DI|LA|LE|ST|MC)[ ])?{_UPPER_TOKEN}(?:[ ]{_SUFFIX}\b|[ ]{_UPPER_TOKEN})?"
)
_MIXED_NAME = rf"(?:(?:van|von|de|Van|Von|De)[ ])?{_NAME_TOKEN}(?:[ ]{_SUFFIX}\b)?"
_SIG_LINE = re.compile(
    rf"[ \t]*((?:{_UP_NAME}|{_MIXED_NAME})(?:[ \t]*/[ \t]*(?:{_UP_NAME}|{_MIXED_NAME}))*)"
    r"[ \t]*[.#\\\"']*[ \t]*"
)
# A signature glued to the end of the last text line: after a sentence end, ``:``, a
# redaction or a row of asterisks.
_GLUED = re.compile(
    r"(?:[.!?;:)\]\"'”*]|[Xx]{4}|\bOF[ \t]+\d{3}|\b(?:CONSIDERED|TEXT|COMMENT|SUMMARY|UNQUOTE)"
    r"|Classified[ \t]+Web[^\n]*?\S)"
    rf"[ \t]*((?:{_UPPER_TOKEN}|{_NAME_TOKEN})(?:[ ]{_SUFFIX})?"
    rf"(?:[ \t]*/[ \t]*{_UPPER_TOKEN})*)[ \t]*[.#\\\"']*[ \t]*$"
)
_STOP = frozenset(
    [
        "END",
        "ENDS",
        "TEXT",
        "COMMENT",
        "COMMENTS",
        "SUMMARY",
        "NOTE",
        "QUOTE",
        "UNQUOTE",
        "REGARDS",
        "THANKS",
        "MINIMIZE",
        "CONSIDERED",
        "SIPDIS",
        "NOFORN",
        "BT",
        "NNNN",
        "NNN",
        "FYI",
        "GP",
        "CONFIDENTIAL",
        "SECRET",
        "UNCLASSIFIED",
        "UNCLAS",
        "TOP",
        "LIMITED",
        "OFFICIAL",
        "USE",
        "SENSITIVE",
        "EXDIS",
        "NODIS",
        "LIMDIS",
        "TAGS",
        "SUBJECT",
        "REF",
        "INFO",
        "ACTION",
        "TO",
        "FM",
        "STATE",
        "AMEMBASSY",
        "AMCONSUL",
        "USG",
        "THE",
        "AND",
        "OF",
        "FOR",
        "IN",
        "ON",
        "AT",
        "A",
        "AN",
        "OR",
        "IS",
        "BY",
        "TBD",
        "NA",
        "AM",
        "PM",
        "CABLE",
        "CLASSIFIED",
        "WEBSITE",
        "YES",
        "NO",
        "NONE",
        "REGARDS",
        "OK",
        "APPROVED",
        "CLEARED",
        "DRAFTED",
        "COLLECTIVE",
        "POST",
        "PAGE",
        "VIA",
        "LIST",
    ]
)


# Precompiled: a module-level ``re.split``/``re.sub`` looks its pattern up in re's cache
# on every call, which costs as much as the split itself on a short signature.
_SLASH_SPLIT = re.compile(r"[ \t]*/[ \t]*").split
_SUFFIX_SUB = re.compile(r"[ ]+(?:JR|SR|II|III|IV)$").sub
_WORD_SPLIT = re.compile(r"[ /]+").split
_X4_END = re.compile(r"[Xx]{4}$").search


@functools.cache
def _fixes() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """``signer_fixes.csv``: raw signature -> canonical surnames; and the known surnames."""
    table: dict[str, tuple[str, ...]] = {}
    known: set[str] = set()
    ref = importlib.resources.files("cabledesk.telegram").joinpath("data/signer_fixes.csv")
    with ref.open(encoding="utf-8") as fh:
        for row in csv.reader(line for line in fh if not line.startswith("#")):
            if len(row) < 2 or row[0] == "raw":
                continue
            names = tuple(n for n in row[1].split("|") if n)
            table[row[0]] = names
            known.update(names)
    return table, frozenset(known)


def canonical_signer(raw: str) -> list[str]:
    """Upper-cased surnames of one signature as written: joint signatures split, known
    run-together pairs (``KEEGANPAAL``) split and spellings canonicalised from the data table."""
    table, _known = _fixes()
    out: list[str] = []
    # a joint signature written with a space between two known surnames (``GREEN REID``)
    if " " in raw.strip() and "/" not in raw:
        words = raw.strip().upper().split()
        if len(words) == 2 and all(w in _known for w in words) and raw.upper() not in _known:
            raw = "/".join(words)
    for part in _SLASH_SPLIT(raw.strip()):
        name = part.strip().strip(".#\\\"'").upper()
        name = _SUFFIX_SUB("", name)
        name = name.replace("’", "'")
        if not name:
            continue
        fixed = table.get(name) or _split_joint(name, _known)
        for n in fixed if fixed else (name,):
            if n not in out:
                out.append(n)
    return out


def _split_joint(name: str, known: frozenset[str]) -> tuple[str, ...] | None:
    """``KEEGANPAAL``: two known signer surnames run together (WikiLeaks dropped the ``/``)."""
    if name in known or not name.isalpha():
        return None
    for i in range(4, len(name) - 3):
        if name[:i] in known and name[i:] in known:
            return (name[:i], name[i:])
    return None


def _valid(name: str) -> bool:
    words = [w for w in _WORD_SPLIT(name.upper()) if w]
    if not words or any(w.strip("'’-") in _STOP for w in words):
        return False
    if _NOT_NAME.search(name):
        return False
    letters = sum(c.isalpha() for c in name)
    return letters >= 2


def _split_raw(raw: str) -> list[str]:
    """The signature as written, one entry per ``/``-joined signer; doubled names once."""
    out: list[str] = []
    for part in _SLASH_SPLIT(raw.strip()):
        part = part.strip().rstrip(".#\\\"'").strip()
        words = part.split()
        if len(words) == 2 and words[0] == words[1]:
            part = words[0]
        if part and part not in out:
            out.append(part)
    return out


def _find(text: str, start: int, end: int) -> tuple[list[str], int | None]:
    """Raw signer(s) and the start of the signature block (boilerplate included)."""
    lo = max(start, end - _TAIL)
    line_end = max(lo, end)  # (an empty region is one empty line at ``lo``)
    for _i in range(_MAX_LINES):  # the lines of ``text[lo:end]``, last first
        nl = text.rfind("\n", lo, line_end)
        ls = nl + 1 if nl >= 0 else lo
        le = line_end
        line_end = nl
        if _JUNK.fullmatch(text, ls, le):
            if nl < 0:
                break  # that was the first line
            continue
        tr = _TRAILER.search(text, max(ls, le - 40), le)
        if tr is not None:
            le = tr.start()
        m = _SIG_LINE.fullmatch(text, ls, le)
        if m and _valid(m.group(1)) and _standalone_ok(text, lo, ls, m.group()):
            return _split_raw(m.group(1)), _block_start(text, lo, ls)
        g = _GLUED.search(text, max(ls, le - 120), le)
        if g and _valid(g.group(1)) and (g.group(1).isupper() or _NAME_OK.fullmatch(g.group(1))):
            return _split_raw(g.group(1)), _glued_start(text, lo, ls, g.start(1))
        return [], None
    return [], None


# A redaction, a routing indicator (ACP 121 RUxxxxx) or an end-of-message prosign.
_NOT_NAME = re.compile(r"[Xx]{4}|^R(?:UE[A-Z]|UC[A-Z]|HM[A-Z]|HE[A-Z])[A-Z]{1,3}$|^[Nn]{3,4}$")
# Trailing stamps after a glued signer: a date (``BURNS\t2006-08-30``, ``STEVENS 0 12/23/2007``)
# or ``NNNN End Cable Text``.
_TRAILER = re.compile(
    r"(?:[ \t]+(?:\d+[ \t]+)?\d{1,4}[-/]\d{1,2}[-/]\d{2,4}|[ \t]+NNNN(?:[ \t]+End[ \t]+Cable[ \t]+Text)?)[ \t]*$"
)
_RULE_ONLY = re.compile(r"[ \t]*[-=_*]{3,}")
_PAGE_DIGITS = re.compile(r"\d{3}")
_NAME_OK = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)?")


def _standalone_ok(text: str, lo: int, ls: int, line: str) -> bool:
    """A one-word line with a final period is a signer only after a sentence end or a gap;
    otherwise it is the last word of a wrapped text line (``OPPORTUNITIES.``)."""
    stripped = line.strip()
    if not stripped.endswith(".") and stripped.isupper():
        return True
    prev_end = ls - 1
    if prev_end <= lo:
        return True
    ps = text.rfind("\n", lo, prev_end)
    prev = text[ps + 1 if ps >= 0 else lo : prev_end].rstrip()
    for _i in range(3):  # look past page markers between the text and the name
        if ps < lo or not _PAGE_DIGITS.search(prev) or not _JUNK.fullmatch(prev):
            break
        prev_end = ps
        ps = text.rfind("\n", lo, prev_end)
        prev = text[ps + 1 if ps >= 0 else lo : prev_end].rstrip()
    if not prev:
        return True
    if _X4_END(prev) or "Classified Web" in prev or _RULE_ONLY.fullmatch(prev):
        return True  # after a redaction, the website boilerplate or a closing rule line
    if not stripped.isupper() and not stripped.endswith("."):
        # a mixed-case name line (``Murphy``) after text: the text must have ended
        return prev[-1] in ".!?:;)\"'”"
    return prev[-1] in ".!?:;)\"'”-"


def _may_hold_website(segment: str) -> bool:
    """Literals every ``_WEBSITE`` match holds: the regex, which opens with optional groups,
    tries every position of a long line that merely mentions a ``visit``."""
    return "isit" in segment and "Classified" in segment


def _block_start(text: str, lo: int, ls: int) -> int:
    """Move the signature start up over blank and boilerplate lines directly above it."""
    start = ls
    pos = ls
    while pos > lo:
        pe = pos - 1
        ps = text.rfind("\n", lo, pe)
        ps = lo if ps < 0 else ps + 1
        if text[ps:pe].strip() == "":
            pos = ps
            continue
        if _BOILERPLATE.fullmatch(text, ps, pe):
            start = ps
            pos = ps
            continue
        w = _WEBSITE.search(text, ps, pe) if _may_hold_website(text[ps:pe]) else None
        if w is not None:
            start = w.start() + len(w.group()) - len(w.group().lstrip())
        break
    return start


def _glued_start(text: str, lo: int, ls: int, s: int) -> int:
    """Start of a glued signature: the website boilerplate it is glued to, and when that
    opens its line, the blank and boilerplate lines directly above it as well."""
    near = max(ls, s - 400)
    w = _WEBSITE.search(text, near, s) if _may_hold_website(text[near:s]) else None
    if w is not None:
        ws = w.start() + len(w.group()) - len(w.group().lstrip())
        if not text[ls:ws].strip():
            above = _block_start(text, lo, ls)
            return above if above < ls else ws
        return ws
    return s


def find_signers(text: str, start: int = 0, end: int | None = None) -> tuple[list[str], int | None]:
    """Canonical signer surnames at the end of ``text[start:end]`` and the offset where the
    signature (with any boilerplate line above it) starts, or ``([], None)``."""
    if end is None:
        end = len(text)
    raw, pos = _find(text, start, end)
    names: list[str] = []
    for r in raw:
        for n in canonical_signer(r):
            if n not in names:
                names.append(n)
    return names, pos


def parse_signers(text: str, canonicalize: bool = True) -> list[str]:
    """Signers of a cable body (conformance: signers.json).  ``canonicalize=False`` gives the
    signature as written (one entry per ``/``-joined name)."""
    raw, _pos = _find(text, 0, len(text))
    if not canonicalize:
        return raw
    names: list[str] = []
    for r in raw:
        for n in canonical_signer(r):
            if n not in names:
                names.append(n)
    return names
