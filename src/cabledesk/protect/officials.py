"""The US officials a cable's header names: signer, Classified By officer, drafter and
clearers, the authors of e-mails and phone calls its REF block cites, and named addressees.

They are officers doing their job, named in every release, so source protection keeps them
apart from the people a cable reports on: the audit never flags them and the person extractor
labels them ``role="official"``. Every mention is a span into ``cable.text``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from cabledesk.protect.lexicon import MONTHS_AND_DAYS, acronyms, common_words, place_words
from cabledesk.protect.model import Mention
from cabledesk.telegram.model import Cable
from cabledesk.telegram.officials import STOP_WORDS, is_title, normalize_name
from cabledesk.telegram.signers import find_signers, parse_signers

__all__ = ["header_officials", "official_names"]

# "DRAFTED BY: DRL/AWH:O'SULLIVANSX -- 03/27/2009", "CLEARED: A/DCM:TEWILLIAMS; ECON:CMCRUMPLER"
_ROLE_LINE = re.compile(r"^[ \t]*(DRAFTED|CLEARED|APPROVED)(?:[ \t]+BY)?[ \t]*:(.*)$", re.M)
# a clearance continuation line: "EAP/CM: AGOODMAN", "D(S):PPARK"
_OFFICE_LINE = re.compile(r"[ \t]*[A-Z][A-Z/()&-]{0,14}[ \t]*:[ \t]*[A-Z][^\n]*")
_ROLE_RULE = {"DRAFTED": "drafter", "CLEARED": "clearer", "APPROVED": "approver"}
# "O'SULLIVANSX", "PETRO(IN", "Rice": the name part of one clearance item
_ITEM_NAME = re.compile(r"[A-Z][A-Za-z'’]+(?:-[A-Z][A-Za-z'’]+)?")

# What an e-mail or phone-call REF entry calls itself; the authors stand before it.
_COMMS = re.compile(
    r"\b(?:E-?MAILS?|TEL(?:E)?CONS?|PHONE(?:[ \t]+CALLS?)?|FAX(?:ES)?|CONVERSATIONS?)\b", re.I
)
_REF_KINDS = frozenset({"email", "tel", "fax"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.]*[A-Za-z]|[A-Z]\.")

# Handling lines: "LONDON FOR CHARLES GURNEY", "DEPARTMENT FOR S/CT PWORMAN".
_HANDLING_KEY = re.compile(r"\b(?:FOR|PASS(?:[ \t]+TO)?|ATTN:?|ATTENTION)\b", re.I)
_HANDLING_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’]|\.(?=[A-Za-z]))*[A-Za-z]")

# Words that fill these lines beside names: agencies, offices and the comms words themselves.
_NOT_NAMES = MONTHS_AND_DAYS | frozenset(
    [
        "state",
        "dept",
        "department",
        "desk",
        "emb",
        "embassy",
        "embassies",
        "post",
        "posts",
        "ops",
        "ctr",
        "center",
        "centre",
        "op",
        "mission",
        "usmission",
        "consulate",
        "amconsul",
        "amembassy",
        "secstate",
        "washdc",
        "washington",
        "white",
        "house",
        "nsc",
        "usg",
        "treasury",
        "justice",
        "defense",
        "commerce",
        "usda",
        "usaid",
        "ustr",
        "osd",
        "dia",
        "cia",
        "fbi",
        "dhs",
        "doe",
        "dod",
        "eximbank",
        "fed",
        "board",
        "governors",
        "agency",
        "office",
        "bureau",
        "staff",
        "team",
        "task",
        "force",
        "group",
        "email",
        "emails",
        "e-mail",
        "telcon",
        "telcons",
        "telecon",
        "telecons",
        "phone",
        "call",
        "calls",
        "fax",
        "meeting",
        "readout",
        "conversation",
        "conversations",
        "note",
        "notes",
        "letter",
        "memo",
        "message",
        "points",
        "daily",
        "report",
        "reports",
        "also",
        "please",
        "pass",
        "attn",
        "attention",
        "info",
        "action",
        "cc",
        "bcc",
        "re",
        "subject",
        "ref",
        "reftel",
        "septel",
        "senior",
        "acting",
        "deputy",
        "front",
        "cable",
        "cables",
        "all",
        "other",
        "others",
        "watchers",
    ]
)


def header_officials(cable: Cable) -> list[Mention]:
    """Every official the header names, in text order: signer(s), the Classified By name,
    DRAFTED/CLEARED/APPROVED names, authors of cited e-mails and calls, named addressees."""
    found: dict[tuple[int, int], Mention] = {}
    for mention in (
        *_signers(cable),
        *_classified_by(cable),
        *_role_lines(cable),
        *_ref_authors(cable),
        *_addressees(cable),
    ):
        found.setdefault((mention.start, mention.end), mention)
    return sorted(found.values(), key=lambda m: (m.start, m.end))


def official_names(cable: Cable) -> frozenset[str]:
    """Upper-cased surnames (and full names) of the header officials, to recognise the same
    people when the body names them (``Ambassador Russell``, ``WELLS``)."""
    names: set[str] = set()
    for mention in header_officials(cable):
        words = [w.strip(".,") for w in re.split(r"[\s/]+", mention.name.upper())]
        words = [w for w in words if w]
        if words:
            names.add(" ".join(words))
            names.add(words[-1])
    return frozenset(names)


def _mention(cable: Cable, start: int, end: int, rule: str, confidence: float) -> Mention:
    written = cable.text[start:end]
    return Mention(
        start=start,
        end=end,
        text=written,
        kind="person",
        rule=rule,
        confidence=confidence,
        name=normalize_name(" ".join(written.split())),
        role="official",
    )


def _signers(cable: Cable) -> Iterator[Mention]:
    """The signature as written at the end of the text (``RUSSELL``, ``SMITH/JONES``)."""
    text = cable.text
    _names, pos = find_signers(text)
    if pos is None:
        return
    for raw in parse_signers(text, canonicalize=False):
        at = text.rfind(raw, pos)
        if at < 0:
            m = re.search(re.escape(raw), text[pos:], re.I)
            if m is None:
                continue
            at = pos + m.start()
        yield _mention(cable, at, at + len(raw), "signer", 0.95)


def _words_pattern(name: str) -> re.Pattern[str]:
    """The name as written, whatever whitespace or line break stands between its words."""
    words = [re.escape(w) for w in name.split()]
    return re.compile(r"(?<![A-Za-z])" + r"\s+".join(words) + r"(?![A-Za-z])")


def _classified_by(cable: Cable) -> Iterator[Mention]:
    """The officer named by the Classified By statement (``Alice G. Wells``)."""
    cb = cable.classified_by
    if cb is None or not cb.name:
        return
    for name in cb.name.split(" and ") if " and " in cb.name else [cb.name]:
        m = _words_pattern(name).search(cable.text, cb.start, cb.end)
        if m is None:
            m = _words_pattern(name.split()[-1]).search(cable.text, cb.start, cb.end)
        if m is not None:
            mention = _mention(cable, m.start(), m.end(), "classified-by", 0.95)
            if cb.title:
                mention = dataclasses.replace(mention, title=cb.title)
            yield mention


def _role_lines(cable: Cable) -> Iterator[Mention]:
    """DRAFTED/CLEARED/APPROVED lines and the clearance lines that continue them."""
    text = cable.text
    limit = cable.paragraphs[0].start if cable.paragraphs else len(text)
    for m in _ROLE_LINE.finditer(text, 0, limit):
        rule = _ROLE_RULE[m.group(1).upper()]
        yield from _clearance_items(cable, m.start(2), m.end(2), rule)
        pos = m.end() + 1
        while pos < limit:
            line_end = text.find("\n", pos)
            line_end = limit if line_end < 0 else line_end
            if _ROLE_LINE.match(text, pos) or not _OFFICE_LINE.fullmatch(text, pos, line_end):
                break
            yield from _clearance_items(cable, pos, line_end, rule)
            pos = line_end + 1


def _clearance_items(cable: Cable, start: int, end: int, rule: str) -> Iterator[Mention]:
    """``A/DCM:TEWILLIAMS; ECON:CMCRUMPLER``: the name after each item's last colon."""
    text = cable.text
    line = text[start:end].split(" -- ")[0]
    pos = start
    for item in re.split(r"[;,]", line):
        item_start = text.find(item, pos)
        pos = item_start + len(item)
        tail = item.rsplit(":", 1)[-1] if ":" in item else item
        m = _ITEM_NAME.search(tail)
        if m is None or is_title(m.group()) or m.group().lower() in _NOT_NAMES:
            continue
        at = item_start + len(item) - len(tail) + m.start()
        yield _mention(cable, at, at + len(m.group()), rule, 0.9)


def _is_name_word(word: str) -> bool:
    bare = word.strip(".'’").lower()
    return (
        len(bare) >= 2
        and bare not in _NOT_NAMES
        and bare not in STOP_WORDS
        and bare not in place_words()
        and not is_title(word)
        and not (word.isupper() and len(word) <= 3)  # office letters: EUR, NB, SCA, DAS
        and not (word.isupper() and bare.upper() in acronyms())  # NATO, IAEA, OFAC
    )


def _ref_authors(cable: Cable) -> Iterator[Mention]:
    """``A. PARKER/PETTIT E-MAIL 1/4/07`` -> PARKER, PETTIT: the people who wrote or called."""
    text = cable.text
    for ref in cable.references:
        if ref.kind not in _REF_KINDS:
            continue
        entry = text[ref.start : ref.end]
        kw = _COMMS.search(entry)
        head_end = ref.start + (kw.start() if kw else len(entry))
        head_start = ref.start
        if ref.letter:  # "A. PARKER": skip the entry's letter
            lm = re.match(r"[ \t¶]*\(?" + re.escape(ref.letter) + r"[.)]", entry)
            head_start += lm.end() if lm else 0
        for w in re.finditer(r"[^\s/\-–,()]+", text[head_start:head_end]):
            word = w.group().strip(".:;")
            if not re.fullmatch(r"[A-Za-z][A-Za-z'’]+", word) or not _is_name_word(word):
                continue
            at = head_start + w.start() + w.group().find(word)
            yield _mention(cable, at, at + len(word), "ref-author", 0.8)


def _addressees(cable: Cable) -> Iterator[Mention]:
    """Names in handling lines (``LONDON FOR CHARLES GURNEY``, ``TREASURY FOR LTRAN``)."""
    text = cable.text
    limit = cable.paragraphs[0].start if cable.paragraphs else len(text)
    pos = 0
    for line in cable.handling:
        at = text.find(line, pos, limit)
        if at < 0:
            continue
        pos = at + len(line)
        key = _HANDLING_KEY.search(line)
        start = at + key.end() if key else at
        yield from _handling_names(cable, start, at + len(line), keyed=key is not None)


def _handling_names(cable: Cable, start: int, end: int, keyed: bool) -> Iterator[Mention]:
    """Runs of name words after the handling keyword; a lone word only right after ``FOR``,
    a comma, a title or an office symbol (``S/CT PWORMAN``), never a common word."""
    text = cable.text
    run: list[re.Match[str]] = []
    prev_end = start

    def flush() -> Iterator[Mention]:
        if run:
            a, b = run[0].start(), run[-1].end()
            if len(run) >= 2 or _lone_ok(text[start:a].rstrip(), keyed):
                yield _mention(cable, a, b, "addressee", 0.7)
        run.clear()

    for w in _HANDLING_WORD.finditer(text, start, end):
        word = w.group()
        gap = text[prev_end : w.start()]
        prev_end = w.end()
        if run and gap.strip():
            yield from flush()
        if "/" in text[w.start() - 1 : w.end() + 1] or not _is_name_word(word):
            yield from flush()
            continue
        if _lowercase_words_has(word) and not (run and len(run) == 1):
            yield from flush()
            continue
        run.append(w)
    yield from flush()


def _lone_ok(before: str, keyed: bool) -> bool:
    """A one-word name needs a left bound: the handling keyword, punctuation, ``FOR``, an
    office symbol (``S/CT``) or a title (``DAS``)."""
    if not before:
        return keyed
    last = before.split()[-1].lstrip("(")
    return (
        before.endswith((",", ":", "-", "("))
        or last.upper() in ("FOR", "TO", "AND", "ATTN")
        or "/" in last
        or is_title(last)
    )


def _lowercase_words_has(word: str) -> bool:
    return word.lower() in common_words()
