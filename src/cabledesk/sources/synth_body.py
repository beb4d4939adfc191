"""The text of a synthetic cable after its classification line: E.O. line, Classified By, body.

Split from ``synthetic.py`` (which owns ids, dates, addressees and REF targets) because the body
has its own set of corpus distributions: paragraphs per cable and their lengths, portion marks
per level, summaries, comments, headings, redactions, wrapping, WikiLeaks' pilcrows, SMART page
markers, signers, and the era-dependent classification authority (E.O. 11652 ... 13526, reasons
under section 1.5 before the 2003 amendment and 1.4 after, format.md §5.3 and §5.5).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any, Protocol

from cabledesk.sources.synth_prose import Prose, Weighted, wrap

__all__ = ["Body", "ComposedBody", "PostLike"]

_SUMMARY = (
    ("Summary:", "End Summary."),
    ("SUMMARY:", "END SUMMARY."),
    ("Summary.", "End summary."),
)
_COMMENT = (
    ("Comment:", "End Comment."),
    ("COMMENT:", "END COMMENT."),
    ("Comment.", "End comment."),
)
# STATE cables are signed by the Secretary of State in office (by the year they took office).
_SECRETARIES = (
    (2021, "BLINKEN"),
    (2018, "POMPEO"),
    (2017, "TILLERSON"),
    (2013, "KERRY"),
    (2009, "CLINTON"),
    (2005, "RICE"),
    (2001, "POWELL"),
    (1997, "ALBRIGHT"),
    (1993, "CHRISTOPHER"),
    (1989, "BAKER"),
    (1982, "SHULTZ"),
    (1981, "HAIG"),
    (1977, "VANCE"),
    (1973, "KISSINGER"),
    (1969, "ROGERS"),
    (0, "RUSK"),
)
_SECTION_CHARS = 3700
_SECTIONED_FROM = 5000
_CAPS_NAMES = 0.15
_SEP = "\x00"  # between blocks while slots are filled in one pass


class PostLike(Protocol):
    """What the body needs to know about the originating post."""

    station: str
    originator: str
    serial: int
    signers: Weighted | None


@dataclass(slots=True)
class ComposedBody:
    """The body text (paragraphs to signer) and what it was composed with."""

    text: str
    numbered: int
    sections: int
    signer: str | None
    pilcrow: bool


class Body:
    """Composes bodies for one run; holds the profile's body tables and the officer cache."""

    def __init__(self, profile: dict[str, Any], prose: Prose) -> None:
        self.prose = prose
        self.rnd: random.Random = prose.rnd
        b = profile["body"]
        self.f = {k: float(v) for k, v in b.items() if isinstance(v, int | float)}
        hist = b["paragraphs"]
        self.counts = Weighted([int(k) for k in hist], list(hist.values()))
        self.marks: dict[str, Weighted] = {}
        self.unmarked: dict[str, float] = {}
        for level, pairs in profile["marks"].items():
            total = sum(k for _, k in pairs)
            self.unmarked[level] = sum(k for m, k in pairs if not m) / total
            self.marks[level] = Weighted.of([[f"({m}) ", k] for m, k in pairs if m])
        decl = profile["decl_years"]
        self.decl = Weighted([int(k) for k in decl], list(decl.values()))
        self.reasons = Weighted.of(profile["reasons"])
        self.titles = Weighted.of(profile["officer_titles"])
        self.officers: dict[tuple[str, int], list[tuple[str, str]]] = {}
        # The summary share is of all cables; only cables of three paragraphs or more get one.
        long_share = sum(v for k, v in hist.items() if int(k) >= 3) / sum(hist.values())
        self.p_summary = min(1.0, self.f["summary"] / max(long_share, 1e-9))

    # --- front matter owned here: E.O. line and Classified By ------------------------------------

    def declassification(self, level: str, when: dt.datetime) -> str:
        """The E.O. line of the order in force at ``when`` (format.md §5.3)."""
        y = when.year
        if y < 1978:
            return "E.O. 11652: N/A" if level == "UNCLASSIFIED" else "E.O. 11652: GDS"
        if y < 1982:
            return "E.O. 12065: N/A" if level == "UNCLASSIFIED" else "E.O. 12065: GDS"
        if y < 1995:
            return "E.O. 12356: N/A" if level == "UNCLASSIFIED" else "E.O. 12356: DECL: OADR"
        order = "13526" if (y, when.month) >= (2010, 7) else "12958"
        if level == "UNCLASSIFIED":
            return f"E.O. {order}: N/A"
        years = self.decl.draw(self.rnd)
        day = min(when.day, 28) if when.month == 2 else when.day
        return f"E.O. {order}: DECL: {when.month:02d}/{day:02d}/{y + years}"

    def classified_by(self, post: PostLike, when: dt.datetime) -> str:
        """``Classified By: <title> <name>. Reasons 1.4 (b) and (d).`` in a few real spellings."""
        rnd = self.rnd
        key = (post.station, when.year)
        staff = self.officers.get(key)
        if staff is None:
            staff = self.officers[key] = [self._officer() for _ in range(3)]
        title, name = rnd.choice(staff)
        section = "1.4" if when.year >= 2003 else "1.5"
        letters = [r.split("(")[1].rstrip(")") for r in self.reasons.draw(rnd).split()]
        form = rnd.random()
        if len(letters) == 1:
            reasons = f"{section} ({letters[0]})"
        elif form < 0.4:
            reasons = f"{section} (" + ") and (".join(letters) + ")"
        elif form < 0.7:
            reasons = f"{section} ({', '.join(letters)})"
        else:
            reasons = f"{section} ({' and '.join(letters)})"
        if rnd.random() < 0.5:
            return f"Classified By: {title} {name}. Reasons {reasons}."
        return f"Classified By: {title} {name} for reasons {reasons}."

    def _officer(self) -> tuple[str, str]:
        rnd, prose = self.rnd, self.prose
        initial = chr(65 + int(rnd.random() * 26))
        name = f"{rnd.choice(prose.first)} {initial}. {rnd.choice(prose.last)}"
        return self.titles.draw(rnd), name

    # --- the body ------------------------------------------------------------------------------

    def signer(self, post: PostLike, year: int) -> str | None:
        if self.rnd.random() >= self.f["signed"]:
            return None
        if post.station == "STATE":
            return next(name for since, name in _SECRETARIES if year >= since)
        return str(post.signers.draw(self.rnd)) if post.signers is not None else None

    def compose(self, level: str, post: PostLike, when: dt.datetime, smart: bool) -> ComposedBody:
        """Numbered, portion-marked paragraphs with summary, comment, headings, page markers.

        ``smart`` (SMART/CableXpress cables, channel XRO) adds ``MOSCOW 00000104 002 OF 003``
        page markers between paragraphs of a sectioned cable.
        """
        rnd, prose, f = self.rnd, self.prose, self.f
        k = self.counts.draw(rnd)
        marks = self.marks[level] if rnd.random() >= self.unmarked[level] else None
        pil = "¶" if rnd.random() < f["pilcrow"] else ""
        redacted = rnd.random() < f["redacted"]
        summary = k >= 3 and rnd.random() < self.p_summary
        comment_at = 0
        if k >= 2 and rnd.random() < f["comment"]:
            comment_at = k if k < 4 or rnd.random() < 0.6 else k - 1
        headings = set()
        if k >= 4 and rnd.random() < f["headings"]:
            headings = {2 + int(rnd.random() * (k - 1)) for _ in range(1 + int(rnd.random() * 3))}
        texts = prose.paragraphs(max(k, 1))
        blocks: list[str] = []
        if k == 0:
            blocks.append(texts[0])
        marked = marks.draws(rnd, k) if marks is not None else [""] * k
        for i in range(1, k + 1):
            text = texts[i - 1]
            if summary and i == 1:
                opener, closer = rnd.choice(_SUMMARY)
                text = f"{opener} {text} {closer}"
            elif i == comment_at:
                opener, closer = rnd.choice(_COMMENT)
                text = f"{opener} {text} {closer}"
            if i in headings:
                title = prose.heading()
                blocks.append(f"{title}\n{'-' * len(title)}")
            blocks.append(f"{pil}{i}. {marked[i - 1]}{text}")
        cast = prose.cast(rnd.random() < _CAPS_NAMES)
        blocks = prose.fill(_SEP.join(blocks), cast, redacted).split(_SEP)
        if rnd.random() < f["wrapped"]:
            blocks = [wrap(b) if "\n" not in b else b for b in blocks]
        total = sum(map(len, blocks))
        sections = 1
        if total > _SECTIONED_FROM:
            sections = min(99, -(-total // _SECTION_CHARS))
            if smart:
                blocks = self._page_markers(blocks, total, sections, post)
        signer = self.signer(post, when.year)
        text = "\n\n".join(blocks) + "\n"
        if signer:
            # Under the last line or a blank line below it, as in the corpus; after unnumbered
            # text always below a blank line, where the signature reader looks for it.
            text += ("\n" if k == 0 or rnd.random() < 0.5 else "") + signer + "\n"
        return ComposedBody(text, k, sections, signer, bool(pil))

    @staticmethod
    def _page_markers(blocks: list[str], total: int, sections: int, post: PostLike) -> list[str]:
        """Insert ``ORIGINATOR 0000SSSS 00N OF 00M`` lines at the paragraph ending each page."""
        out: list[str] = []
        page, done, step = 2, 0, total / sections
        for block in blocks:
            if page <= sections and done >= step * (page - 1) and out:
                out.append(f"{post.originator} {post.serial:08d} {page:03d} OF {sections:03d}")
                page += 1
            out.append(block)
            done += len(block)
        return out
