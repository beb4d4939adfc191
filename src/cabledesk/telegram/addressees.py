"""The FM/TO/INFO/XMT addressees of a telegram (format lines 6-9, ACP 127 Annex B).

One address a line, ``RI/PLAD [PRECEDENCE] [MCN]`` (5 FAH-2 H-321.6-.8; format.md §3.6), the
prosign on the first line of each list. Lines that several renderings glued together (``FM
AMEMBASSY HARARE TO SECSTATE WASHDC ...``) are split where the next address plainly starts.
Lists may contain a blank line or a ``PAGE 02 STATE 023763 071504Z`` continuation line; XMT
(FL9) exempts posts from the collective address before it.
"""

from __future__ import annotations

import re

from cabledesk.telegram.header_scan import HeaderParts, HeaderScan
from cabledesk.telegram.model import Addressee

__all__ = [
    "GLUED_PROSIGN",
    "LINE",
    "LOWER",
    "PAGE",
    "PAGE_LINE",
    "PROSIGN",
    "read_address_text",
    "read_addressees",
]

# FL6-FL9 prosigns; "XMT/AMEMBASSY SOFIA" (5 FAH-2 H-321.9 example) takes a slash.
PROSIGN = re.compile(r"(FM|TO|INFO|XMT)(?:[ /]+|$|(?=R[A-Z]{3,7}/))")
# A prosign glued inside a line ("FM AMEMBASSY HARARE TO SECSTATE WASHDC ...").
GLUED_PROSIGN = re.compile(r" (FM|TO|INFO|XMT)(?= )")
_PRECEDENCE = r"FLASH|NIACT +IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE"
# Message continuity number, 5 FAH-2 H-321.7/.8: four digits, a range for sectioned messages.
_MCN = r"\d{4,}(?:-\d{4,})?"
# One address line (format.md §3.6): RI/PLAD [PRECEDENCE] [MCN]; an MCN before the precedence
# word occurs too (``RUEHLO/AMEMBASSY LONDON 8778 PRIORITY``).
_ADDRESS = re.compile(
    r"(?:(?P<ri>R[A-Z]{3,7}|ZEN)/)?(?P<name>\S.*?)"
    rf"(?: +(?P<prec>{_PRECEDENCE}))?(?: +(?P<mcn>{_MCN}))?(?: +(?P<prec2>{_PRECEDENCE}))? *$"
)
# Where one address ends inside a glued run: after a precedence word (and its MCN), after an
# MCN, before an RI/ or a State PLAD head word.
_HEAD_WORDS = r"AMEMBASSY|AMCONSUL|USMISSION|SECSTATE|USINT"
_SPLIT = re.compile(
    rf"\b(?:{_PRECEDENCE})\b(?: +{_MCN})?(?! *\d)(?= +\S)"
    rf"|(?<= ){_MCN}(?: +(?:{_PRECEDENCE})\b)?(?! +(?:{_PRECEDENCE})\b)(?! *\d)(?= +\S)"
    rf"|(?<= )(?=(?:R[A-Z]{{3,7}}|ZEN)/)|(?<= )(?=(?:{_HEAD_WORDS}) )"
)
_GLUED_COLLECTIVE = re.compile(rf"(?:{_HEAD_WORDS}) +\S+ +.*\bCOLLECTIVE *$")
_TOKEN_GAP = re.compile(r" +")
_HEAD_ONLY = re.compile(rf"(?:(?:R[A-Z]{{3,7}}|ZEN)/)?(?:(?:{_HEAD_WORDS}) *)+$")
LOWER = re.compile(r"[a-z]")
_STARTS_ADDRESS = re.compile(
    r"(?:R[A-Z]{3,7}|ZEN)/|(?:FM|TO|INFO|XMT)(?:[ /]|R[A-Z]{3,7}/)|PAGE +\d"
)
_HEADER_AGAIN = re.compile(r"VZCZC|ZN[RY] |DE +R[A-Z]{3,7} +#")
_SPACES = re.compile(r" {2,}")
# One line, without its leading blanks and its trailing blanks / stray backslashes.
LINE = re.compile(r"[ \t]*((?:[^\n]*[^\s\\])?)[^\n]*\n?")
# A plain address line: name tokens never are a precedence word, an MCN, a prosign, PAGE or a
# second PLAD head word, so a line holding more than one address fails here and takes the
# careful path (read_address_text). This is the per-line form, kept as the specification of
# _FAST_LINE below (tests/test_header.py checks the two read every line alike).
_NOT_NAME = rf"(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE|{_MCN}|{_HEAD_WORDS})(?![^ ])"
_TOKEN = r"[A-Z0-9(][A-Z0-9.()&,:'#+-]*"
_FAST = re.compile(
    r"(?:(?P<kw>FM|TO|INFO|XMT)(?:[ /]+|(?=R[A-Z]{3,7}/)))?(?:(?P<ri>R[A-Z]{3,7}|ZEN)/)?"
    rf"(?P<name>(?!(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE)(?![^ ])){_TOKEN}"
    rf"(?: +(?!{_NOT_NAME}){_TOKEN})*)"
    rf"(?: +(?P<prec>{_PRECEDENCE}))?(?: +(?P<mcn>{_MCN}))?(?: +(?P<prec2>{_PRECEDENCE}))? *$"
)
# _FAST fused with LINE: one match reads a whole plain address line from its start (leading
# blanks) through its newline, so the addressee block costs one regex call per line. "End of
# the line" is wherever only blanks / stray backslashes remain before the newline (as in
# LINE); the `(?![^ ])` word ends of _FAST become "a space or the end of the line".
_EOL = r"(?:[ \t]*(?:\n|\Z)|(?:[^\S\n]|\\)*(?:\n|\Z))"  # the first branch: the usual case
_NOT_NAME_L = rf"(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE|{_MCN}|{_HEAD_WORDS})(?= |{_EOL})"
_FAST_LINE = re.compile(
    r"[ \t]*(?:(?P<kw>FM|TO|INFO|XMT)(?:[ /]+|(?=R[A-Z]{3,7}/)))?"
    r"(?:(?P<ri>R[A-Z]{3,7}|ZEN)/)?"
    rf"(?P<name>(?!(?:{_PRECEDENCE}|NIACT|FM|TO|INFO|XMT|PAGE)(?= |{_EOL})){_TOKEN}"
    rf"(?: +(?!{_NOT_NAME_L}){_TOKEN})*)"
    rf"(?: +(?P<prec>{_PRECEDENCE}))?(?: +(?P<mcn>{_MCN}))?(?: +(?P<prec2>{_PRECEDENCE}))?"
    rf"(?P<e>){_EOL}"
)
# Legacy print format continuation lines (format.md §1.4).
PAGE = re.compile(r"PAGE +\d{2,3}\b")
PAGE_LINE = re.compile(r"PAGE +\d{2,3}\b[^\n]*?\d{6}Z|PAGE +\d{2,3}\b[^\n]*")
_NEVER = re.compile(r"(?!)")


def read_addressees(text: str, pos: int, end: int, st: HeaderScan, fast_path: bool = True) -> None:
    """Read the addressee block (FL6-FL9) from ``text[pos:end]`` into ``st``.

    A blank line or a line that is no address (a date line, a repeated CSV header) ends it.
    ``fast_path=False`` reads every line the careful way (:func:`read_address_text`), which
    gives the same result; tests compare the two.
    """
    # The addressee block. Hot loop: state kept in locals, the prosign's list looked up once
    # per prosign; what it does per line is read_address_text + _add for a plain line.
    parts = st.parts
    fast = _FAST_LINE.match if fast_path else _NEVER.match
    after_blank = False
    section = st.section
    target = _target(parts, section)
    while pos < end:
        # Fast path: one plain address line (the vast majority).
        f = fast(text, pos, end)
        if f is not None:
            kw, ri, name, prec, mcn, prec2, _ = f.groups()
            if kw is not None:
                if kw != section:
                    st.section = section = kw
                    target = _target(parts, kw)
            elif ri is None and (after_blank or _HEADER_AGAIN.match(text, f.start(3), f.start(7))):
                break
            pos = f.end()
            after_blank = False
            if "  " in name:
                name = _SPACES.sub(" ", name)
            prec = prec or prec2
            if prec is not None and "  " in prec:
                prec = _SPACES.sub(" ", prec)
            a = Addressee(name, ri, prec, mcn, False, [], f.start(2 if ri else 3), f.start(7))
            if target is not None:
                if (
                    "COLLECTIVE" in name
                    or name.startswith("ALL ")
                    or name.endswith("POSTS")
                    or "MEMBER STATES" in name
                ):
                    a.collective = True
                    st.collectives.append(a)
                target.append(a)
            else:
                _add(st, a)
            continue
        ln = LINE.match(text, pos, end)
        assert ln is not None
        pos = ln.end()
        s, e = ln.span(1)
        if s == e:
            after_blank = True
            continue
        # Addressee block: a blank line or junk ends it (a date line, a repeated CSV header).
        if (
            (after_blank and not _STARTS_ADDRESS.match(text, s, e))
            or LOWER.search(text, s, e)
            or _HEADER_AGAIN.match(text, s, e)
        ):
            break
        after_blank = False
        read_address_text(text, s, e, st)
        if st.section != section:
            section = st.section
            target = _target(parts, section)


def _target(parts: HeaderParts, section: str | None) -> list[Addressee] | None:
    """The list :func:`_add` files a plain address under, or None where it does more (FM, XMT)."""
    if section == "FM" or section == "XMT":
        return None
    return parts.to if section == "TO" else parts.info


def read_address_text(text: str, s: int, e: int, st: HeaderScan) -> None:
    """An addressee line, possibly with a prosign, a PAGE continuation, or glued neighbours."""
    while s < e:
        if text[s] == "P" and PAGE.match(text, s, e):
            pm = PAGE_LINE.match(text, s, e)
            assert pm is not None
            s = pm.end()
        elif m := PROSIGN.match(text, s, e):
            st.section = m.group(1)
            s = m.end()
        else:
            g = GLUED_PROSIGN.search(text, s, e)
            stop = g.start() if g is not None else e
            _address_run(text, s, stop, st)
            s = stop
        while s < e and text[s] == " ":
            s += 1


def _address_run(text: str, s: int, e: int, st: HeaderScan) -> None:
    """One or more addresses written on one line (split where a new one plainly starts)."""
    piece = s
    for m in _SPLIT.finditer(text, s, e):
        cut = m.end()
        if cut <= piece or _HEAD_ONLY.match(text, piece, cut):
            continue
        _address(text, piece, cut, st)
        piece = cut
        while piece < e and text[piece] == " ":
            piece += 1
    if piece < e:
        _address(text, piece, e, st)


def _address(text: str, s: int, e: int, st: HeaderScan) -> None:
    while e > s and text[e - 1] == " ":
        e -= 1
    # "AMEMBASSY CAIRO EUROPEAN POLITICAL COLLECTIVE" (a glued run, 01VATICAN5693): a post and
    # a collective; split after the longest known PLAD (ACP 117 names) that leaves a collective.
    if _GLUED_COLLECTIVE.match(text, s, e):
        known = _known_plads()
        cuts = [m.start() for m in _TOKEN_GAP.finditer(text, s, e)]
        for cut in reversed(cuts[:4]):
            if _SPACES.sub(" ", text[s:cut]) in known:
                _address(text, s, cut, st)
                s = cut + 1
                while s < e and text[s] == " ":
                    s += 1
                break
    m = _ADDRESS.match(text, s, e)
    if m is None:
        return
    prec = m.group("prec") or m.group("prec2")
    name = m.group("name")
    a = Addressee(
        address=_SPACES.sub(" ", name) if "  " in name else name,
        routing_indicator=m.group("ri"),
        precedence=(_SPACES.sub(" ", prec) if "  " in prec else prec) if prec else None,
        mcn=m.group("mcn"),
        start=s,
        end=e,
    )
    _add(st, a)


def _add(st: HeaderScan, a: Addressee) -> None:
    """File one address under the current prosign (FL6 FM, FL7 TO, FL8 INFO, FL9 XMT)."""
    name = a.address
    a.collective = (
        "COLLECTIVE" in name
        or name.startswith("ALL ")
        or name.endswith("POSTS")
        or "MEMBER STATES" in name
    )
    parts = st.parts
    section = st.section
    if section == "FM":
        if parts.from_ is None:
            parts.from_ = a
        return
    if section == "XMT":
        # FL9 (ACP 127 §205b): posts exempted from the preceding collective address.
        parts.xmt.append(a)
        target = st.collectives[-1] if st.collectives else None
        if target is None:
            listed = parts.info or parts.to
            target = listed[-1] if listed else None
        if target is not None:
            target.collective = True
            if a.address not in target.excluded:
                target.excluded.append(a.address)
        return
    (parts.to if section == "TO" else parts.info).append(a)
    if a.collective:
        st.collectives.append(a)


def _known_plads() -> frozenset[str]:
    """Plain-language addresses named in ACP 117 (the routing-indicator table)."""
    from cabledesk.telegram.codes import plain_language_addresses

    return plain_language_addresses()
