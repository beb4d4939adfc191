"""What a cable cites and what cites it, with the sentences where the text leans on each REF.

A reader following an argument across cables needs three things the REF block alone does not
give: whether each cited cable is in the archive, where the text uses it ("per ref A", "reftel",
"septel", each shown in its sentence) and which later cables cite this one. References that
could not be read as a cable id and mentions that name no entry are listed, never dropped: they
are often the most interesting gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cabledesk.archive.store import Archive
from cabledesk.services.reading import CableNotFound, resolve_id
from cabledesk.telegram import canonical_id

__all__ = [
    "CableReferences",
    "CitedReference",
    "CitingCable",
    "Mention",
    "cable_references",
    "cited_by",
    "held_cables",
    "sentence_around",
]

CONTEXT_CHARS = 200
"""At most this many characters of context on each side of a mention."""


@dataclass(slots=True, frozen=True)
class Mention:
    """One in-text mention: ``kind`` is ``ref`` ("ref A"), ``reftel`` or ``septel``; ``context``
    is the sentence holding it (whitespace collapsed, cut with ``…`` when very long)."""

    kind: str
    letter: str | None
    text: str
    start: int
    end: int
    context: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "letter": self.letter,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "context": self.context,
        }


@dataclass(slots=True)
class CitedReference:
    """One REF entry and what the archive knows of the cable it cites.

    ``status`` is ``held`` (the cited cable is in the archive), ``not held`` (a cable id was
    read but the archive lacks it) or ``unresolved`` (no cable id could be read: an email, a
    memo, a reference too damaged to name a cable).
    """

    position: int
    letter: str | None
    kind: str
    text: str
    cited_id: str | None
    in_archive: bool
    cited_date: str | None = None
    cited_subject: str | None = None
    mentions: list[Mention] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.cited_id is None:
            return "unresolved"
        return "held" if self.in_archive else "not held"

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "letter": self.letter,
            "kind": self.kind,
            "text": self.text,
            "cited_id": self.cited_id,
            "in_archive": self.in_archive,
            "status": self.status,
            "cited_date": self.cited_date,
            "cited_subject": self.cited_subject,
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(slots=True, frozen=True)
class CitingCable:
    """A cable whose REF block cites the one asked about, with the letter(s) it uses."""

    reference_id: str
    letters: tuple[str | None, ...]
    date: str | None
    origin: str | None
    subject: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_id": self.reference_id,
            "letters": list(self.letters),
            "date": self.date,
            "origin": self.origin,
            "subject": self.subject,
        }


@dataclass(slots=True)
class CableReferences:
    """Both directions of citation for one cable.

    ``held`` is False for a cable the archive knows only because other cables cite it: then
    ``references`` and ``untied`` are empty and only ``cited_by`` is filled.
    """

    reference_id: str
    held: bool
    date: str | None
    subject: str | None
    references: list[CitedReference]
    untied: list[Mention]
    cited_by: list[CitingCable]

    @property
    def unresolved(self) -> list[CitedReference]:
        """REF entries that name no cable id."""
        return [r for r in self.references if r.cited_id is None]

    @property
    def missing(self) -> list[CitedReference]:
        """REF entries naming a cable the archive does not hold."""
        return [r for r in self.references if r.status == "not held"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_id": self.reference_id,
            "held": self.held,
            "date": self.date,
            "subject": self.subject,
            "references": [r.to_dict() for r in self.references],
            "unresolved": [r.position for r in self.unresolved],
            "untied_mentions": [m.to_dict() for m in self.untied],
            "cited_by": [c.to_dict() for c in self.cited_by],
        }


# --- context of a mention -----------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?][\"')\]]*(?=\s)|\n[ \t]*\n|¶")
_ABBREVIATIONS = frozenset(
    {
        "MR",
        "MRS",
        "MS",
        "DR",
        "ST",
        "NO",
        "GEN",
        "AMB",
        "AMBS",
        "AMBASSADOR",
        "DEPT",
        "GOV",
        "GOVT",
        "SEN",
        "REP",
        "COL",
        "LT",
        "MAJ",
        "CAPT",
        "ADM",
        "SGT",
        "VS",
        "ETC",
        "INC",
        "CO",
        "CORP",
        "LTD",
        "JR",
        "SR",
        "PROF",
        "PARA",
        "PARAS",
        "REFS",
        "REF",
        "TEL",
        "EO",
        "NOS",
    }
)
"""Words a full stop follows without ending the sentence (``Amb. Smith``, ``para. 4``)."""
_WORD_BEFORE = re.compile(r"(\w+)$")
_SPACE = re.compile(r"\s+")


def _is_sentence_end(text: str, m: re.Match[str]) -> bool:
    """A paragraph break always ends a sentence; a full stop not after an abbreviation or a
    lone letter (``U.S.``, ``Mr.``, ``ref A.`` mid-sentence) does."""
    if m.group()[0] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
    if word is None:
        return True
    token = word.group(1)
    return len(token) > 1 and token.upper() not in _ABBREVIATIONS


def sentence_around(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> str:
    """The sentence of ``text`` holding ``text[start:end]``, whitespace collapsed.

    Looks at most ``limit`` characters either side; a sentence running past that is cut at a
    word and marked with ``…``. A full stop right after the mention (``... ref A.``) ends the
    sentence even though ``A.`` looks like an initial.
    """
    lo = max(0, start - limit)
    hi = min(len(text), end + limit)
    begin, begin_cut = lo, lo > 0
    for m in _BOUNDARY.finditer(text, lo, start):
        if _is_sentence_end(text, m):
            begin, begin_cut = m.end(), False
    finish, finish_cut = hi, hi < len(text)
    for m in _BOUNDARY.finditer(text, end, hi):
        if m.start() == end or _is_sentence_end(text, m):
            finish, finish_cut = (m.end() if m.group()[0] in ".!?" else m.start()), False
            break
    if begin_cut:
        space = text.find(" ", begin, start)
        begin = space + 1 if space >= 0 else begin
    if finish_cut:
        space = text.rfind(" ", end, finish)
        finish = space if space >= 0 else finish
    snippet = _SPACE.sub(" ", text[begin:finish]).strip()
    return ("… " if begin_cut else "") + snippet + (" …" if finish_cut else "")


# --- queries ------------------------------------------------------------------------------------


def cited_by(archive: Archive, reference_id: str) -> list[CitingCable]:
    """Cables in the archive whose REF block cites ``reference_id``, oldest first."""
    rows = archive.conn.execute(
        "SELECT c.reference_id, r.letter, c.date, c.origin, c.subject "
        "FROM refs r JOIN cables c ON c.id = r.cable_id WHERE r.cited_id = ? "
        "ORDER BY c.date IS NULL, c.date, c.reference_id, r.position",
        (reference_id,),
    )
    grouped: dict[str, tuple[list[str | None], tuple[Any, ...]]] = {}
    for ref_id, letter, date, origin, subject in rows:
        entry = grouped.setdefault(ref_id, ([], (date, origin, subject)))
        entry[0].append(letter)
    return [
        CitingCable(ref_id, tuple(letters), *meta) for ref_id, (letters, meta) in grouped.items()
    ]


def _mentions(archive: Archive, cable_id: int, text: str) -> list[tuple[int | None, Mention]]:
    rows = archive.conn.execute(
        'SELECT ref_position, kind, letter, text, start, "end" FROM ref_mentions '
        "WHERE cable_id = ? ORDER BY position",
        (cable_id,),
    )
    return [
        (ref_position, Mention(kind, letter, mtext, start, end, sentence_around(text, start, end)))
        for ref_position, kind, letter, mtext, start, end in rows
    ]


def held_cables(archive: Archive, ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """(date, subject) of each of ``ids`` the archive holds; the others are absent."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for ref_id, date, subject in archive.conn.execute(
            f"SELECT reference_id, date, subject FROM cables WHERE reference_id IN ({marks})",
            chunk,
        ):
            found[ref_id] = (date, subject)
    return found


def cable_references(archive: Archive, reference_id: str) -> CableReferences:
    """Everything about ``reference_id``'s citations; see :class:`CableReferences`.

    Raises :class:`CableNotFound` when the archive neither holds the cable nor holds a cable
    citing it.
    """
    found = resolve_id(archive, reference_id)
    if found is None:
        wanted = canonical_id(reference_id)
        citing = cited_by(archive, wanted)
        if not citing:
            raise CableNotFound(f"{reference_id}: no such cable in {archive.path}")
        return CableReferences(wanted, False, None, None, [], [], citing)
    cable_id, ref_id = found
    date, subject, text = archive.conn.execute(
        "SELECT c.date, c.subject, t.text FROM cables AS c JOIN cable_texts AS t ON t.id = c.id "
        "WHERE c.id = ?",
        (cable_id,),
    ).fetchone()
    references = [
        CitedReference(position, letter, kind, rtext, cited, in_archive=False)
        for position, letter, kind, rtext, cited in archive.conn.execute(
            "SELECT position, letter, kind, text, cited_id FROM refs "
            "WHERE cable_id = ? ORDER BY position",
            (cable_id,),
        )
    ]
    held = held_cables(archive, sorted({r.cited_id for r in references if r.cited_id}))
    for ref in references:
        if ref.cited_id in held:
            ref.in_archive = True
            ref.cited_date, ref.cited_subject = held[ref.cited_id]
    by_position = {r.position: r for r in references}
    untied: list[Mention] = []
    for ref_position, mention in _mentions(archive, cable_id, text):
        target = by_position.get(ref_position) if ref_position is not None else None
        if target is None:
            untied.append(mention)
        else:
            target.mentions.append(mention)
    return CableReferences(
        ref_id, True, date, subject, references, untied, cited_by(archive, ref_id)
    )
