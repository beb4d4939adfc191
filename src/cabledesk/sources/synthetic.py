"""Synthetic corpora: realistic cables in any number, for scale tests and benchmarks.

The real corpus has 6,717 cables; archive, search and web code must also be tried on millions.
:func:`synthesize` writes cables that look like the real ones, drawn from the distributions of
the real corpus (``data/synth_profile.json``, built once by ``scripts/build_synth_profile.py``):
origins and their frequencies, years, classification levels, precedences, captions, TAGS,
addressees, REF counts, paragraphs per cable and their lengths, portion marks, summaries,
comments, redactions and signers. Each cable parses back with ``cabledesk.telegram.parse`` to
the id, origin, level, date, TAGS, subject and references it was generated with.

Cables come in date order; serials increase per origin and year, and REF entries cite earlier
cables of the same corpus in the real citation forms (``REF: A. MOSCOW 123 B. 08 STATE 4567``,
year-less within the same year). To stream millions in constant memory, REF targets come from a
bounded window of recent cables, per-origin recent lists and a fixed-size reservoir sample of
all earlier ones; a small share (``external_refs``) cites cables of posts the corpus has none
of, as real cables cite many that were never published. Same seed, same arguments: same corpus.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from cabledesk.sources.synth_body import Body, ComposedBody
from cabledesk.sources.synth_prose import Prose, Weighted

__all__ = ["SynthCable", "generate", "load_profile", "synthesize"]

_LEVELS = {
    "UNCLASSIFIED": ("UNCLAS", "ZNR UUUUU"),
    "CONFIDENTIAL": ("C O N F I D E N T I A L", "ZNY CCCCC"),
    "SECRET": ("S E C R E T", "ZNY SSSSS"),
}
_PRECEDENCE = {"OO": ("O", "IMMEDIATE"), "PP": ("P", "PRIORITY"), "RR": ("R", None)}
_MONTHS = ("", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MCN_PLADS = ("AMEMBASSY", "AMCONSUL", "USMISSION", "SECSTATE")
_RESERVOIR = 2048
_OWN_TAGS = 0.6  # share of TAGS from the post's own top list (its country, its usual subjects)
_OWN_INFO = 0.6  # share of INFO addressees from the post's own top list
_PER_STATION = 24


@functools.cache
def load_profile() -> dict[str, Any]:
    """The corpus distributions shipped with the package (``sources/data/synth_profile.json``)."""
    ref = resources.files("cabledesk.sources").joinpath("data", "synth_profile.json")
    data: dict[str, Any] = json.loads(ref.read_text("utf-8"))
    return data


@dataclass(slots=True)
class SynthCable:
    """One generated cable and the values it was generated with, to check a parse against."""

    reference_id: str
    text: str
    date: dt.datetime
    station: str
    origin: str
    classification: str
    tags: list[str]
    subject: str
    references: list[str]
    """Canonical ids of the cited cables, in REF order."""
    captions: list[str]
    paragraphs: int
    """Numbered paragraphs."""
    signer: str | None
    precedence: str
    header_end: int
    """Where the routing header ends and the text (classification line on) begins."""


@dataclass(slots=True)
class _Cited:
    reference_id: str
    year: int
    originator: str
    serial: int


@dataclass(slots=True)
class _Post:
    station: str
    origin: str
    originator: str
    plad: str
    ri: str
    serial_max: int
    signers: Weighted | None
    tags: Weighted
    info: Weighted | None
    handling: list[str]
    serial: int = 0
    gap: float = 1.0
    recent: list[_Cited] = field(default_factory=list)


def _histogram(hist: dict[str, int]) -> Weighted:
    return Weighted([int(k) for k in hist], list(hist.values()))


def _mapping(weights: dict[str, int]) -> Weighted:
    return Weighted(list(weights), list(weights.values()))


def _year_plan(n: int, weights: dict[str, int], start: int, end: int) -> list[tuple[int, int]]:
    """How many cables each year gets: ``n`` split by the corpus's yearly weights.

    A year inside the corpus's span that it has no cable of gets none; years outside the span
    (``--end-year 2015``) get the mean weight of the corpus years in the range, or all the same
    weight when there are none. Largest remainders round, so the counts add up to ``n``.
    """
    years = list(range(start, end + 1))
    span = [int(y) for y in weights]
    lo, hi = min(span), max(span)
    known = [weights[str(y)] for y in years if str(y) in weights]
    mean = sum(known) / len(known) if known else 1.0
    w = [
        float(weights[str(y)]) if str(y) in weights else 0.0 if lo <= y <= hi else mean
        for y in years
    ]
    if not any(w):
        w = [1.0] * len(years)
    total = sum(w)
    exact = [n * x / total for x in w]
    counts = [int(x) for x in exact]
    order = sorted(range(len(years)), key=lambda i: counts[i] - exact[i])
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return [(y, c) for y, c in zip(years, counts, strict=True) if c]


class _Generator:
    """The state of one run: seeded randomness, serial counters and the windows of REF targets."""

    def __init__(self, profile: dict[str, Any], seed: int, window: int, external: float) -> None:
        self.p = profile
        self.rnd = random.Random(seed)
        self.prose = Prose(profile, self.rnd)
        self.external = external
        self.posts = [self._post(s) for s in profile["stations"]]
        self.post_weights = [float(s["n"]) for s in profile["stations"]]
        self.post_pick = Weighted(range(len(self.posts)), self.post_weights)
        self.by_station = {post.station: post for post in self.posts}
        h = profile["header"]
        self.info = [(ri, plad) for ri, plad, _ in h["info"]]
        self.info_pick = Weighted(self.info, [k for _, _, k in h["info"]])
        self.state_to = Weighted(
            [(r, a) for r, a, _ in h["state_to"]], [k for *_, k in h["state_to"]]
        )
        self.routes = Weighted.of(h["xro_routes"])
        self.info_counts = _histogram(h["info_count"])
        self.prosigns = _mapping(h["prosign"])
        self.levels = _mapping(profile["levels"])
        self.tag_counts = _histogram(profile["tags_count"])
        self.tags = Weighted.of(profile["tags"])
        self.captions = {lv: Weighted.of(c) for lv, c in profile["captions"].items()}
        r = profile["refs"]
        self.ref_counts = _histogram(r["count"])
        self.ref_kinds = _mapping(r["kinds"])
        t = r["target"]
        total = t["self"] + t["state"] + t["other"]
        self.p_self, self.p_state = t["self"] / total, t["state"] / total
        self.window: list[_Cited] = []
        self.window_size = window
        self.window_at = 0
        self.reservoir: list[_Cited] = []
        self.seen = 0
        self.body = Body(profile, self.prose)
        self.unpublished: list[list[str]] = profile["unpublished"]

    @staticmethod
    def _post(s: dict[str, Any]) -> _Post:
        return _Post(
            s["station"], s["origin"], s["originator"], s["plad"], s["ri"], s["serial_max"],
            Weighted.of(s["signers"]) if s["signers"] else None,
            Weighted.of(s["tags"] or [["PREL", 1]]),
            Weighted.of(s["info"]) if s["info"] else None,
            [h for h, _ in s["handling"]],
        )  # fmt: skip

    # --- the run ------------------------------------------------------------------------------

    def run(self, n: int, start: int, end: int) -> Iterator[SynthCable]:
        share = sum(self.post_weights)
        for year, count in _year_plan(n, self.p["years"], start, end):
            begin = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
            minutes = (dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) - begin).total_seconds() // 60
            for post, w in zip(self.posts, self.post_weights, strict=True):
                # Serials end the year near the post's usual yearly maximum.
                post.gap = max(1.0, post.serial_max / (1.0 + count * w / share))
                post.serial = 0
            for i in range(count):
                offset = int(minutes * (i + self.rnd.random()) / count)
                when = begin + dt.timedelta(minutes=offset)
                post = self.posts[self.post_pick.draw(self.rnd)]
                post.serial += 1 + int(self.rnd.random() * (2 * post.gap - 1))
                yield self.cable(post, when)

    def remember(self, cited: _Cited, post: _Post) -> None:
        """Make a cable citable: window, its post's recent list, the reservoir sample."""
        if len(self.window) < self.window_size:
            self.window.append(cited)
        else:
            self.window[self.window_at] = cited
            self.window_at = (self.window_at + 1) % self.window_size
        post.recent.append(cited)
        if len(post.recent) > _PER_STATION:
            del post.recent[0]
        self.seen += 1
        if len(self.reservoir) < _RESERVOIR:
            self.reservoir.append(cited)
        else:
            j = int(self.rnd.random() * self.seen)
            if j < _RESERVOIR:
                self.reservoir[j] = cited

    # --- one cable ----------------------------------------------------------------------------

    def cable(self, post: _Post, when: dt.datetime) -> SynthCable:
        rnd = self.rnd
        year = when.year
        ref_id = f"{year % 100:02d}{post.station}{post.serial}"
        level = self.levels.draw(rnd)
        prosign = self.prosigns.draw(rnd)
        captions = self.captions[level].draw(rnd).split()
        tags = self._tags(post)
        subject = self.prose.subject()
        refs = self._references(post, year)
        smart = rnd.random() < self.p["header"]["xro"]
        body = self.body.compose(level, post, when, smart)
        head = self._header(post, when, level, prosign, body.sections, smart)
        front = self._front(post, when, level, captions, tags, subject, refs, body)
        text = head + front + body.text
        self.remember(_Cited(ref_id, year, post.originator, post.serial), post)
        return SynthCable(
            reference_id=ref_id,
            text=text,
            date=when,
            station=post.station,
            origin=post.origin,
            classification=level,
            tags=tags,
            subject=subject,
            references=[cid for cid, _ in refs if cid],
            captions=captions,
            paragraphs=body.numbered,
            signer=body.signer,
            precedence=prosign,
            header_end=len(head),
        )

    def _tags(self, post: _Post) -> list[str]:
        rnd = self.rnd
        k = self.tag_counts.draw(rnd)
        own, other = post.tags.draws(rnd, k), self.tags.draws(rnd, k + 2)
        # Most from the post's own list (its country, its usual subjects); duplicates dropped.
        picks = [a if rnd.random() < _OWN_TAGS else b for a, b in zip(own, other, strict=False)]
        return list(dict.fromkeys(picks + other[k:]))[:k]

    def _references(self, post: _Post, year: int) -> list[tuple[str | None, str]]:
        """(cited id or None, text as written) per REF entry."""
        rnd = self.rnd
        k = self.ref_counts.draw(rnd)
        out: list[tuple[str | None, str]] = []
        for _ in range(k):
            kind = self.ref_kinds.draw(rnd)
            if kind != "cable":
                out.append((None, self._other_reference(kind, year)))
                continue
            target = self._target(post, year)
            if target is None or any(cid == target.reference_id for cid, _ in out):
                continue
            if target.year == year:
                written = f"{target.originator} {target.serial}"
            elif rnd.random() < 0.8:
                written = f"{target.year % 100:02d} {target.originator} {target.serial}"
            else:
                written = f"{target.year} {target.originator} {target.serial}"
            out.append((target.reference_id, written))
        return out

    def _target(self, post: _Post, year: int) -> _Cited | None:
        rnd = self.rnd
        u = rnd.random()
        if u < self.external and self.unpublished:
            # A cable of a post the corpus has none of: cited, never generated, as real cables
            # cite many that were never published.
            station, written = rnd.choice(self.unpublished)
            y = year if rnd.random() < 0.7 else max(1966, year - 1 - int(rnd.random() * 3))
            serial = 1 + int(rnd.random() * 3000)
            return _Cited(f"{y % 100:02d}{station}{serial}", y, written, serial)
        if rnd.random() < self.p["refs"]["earlier_year"] and self.reservoir:
            return rnd.choice(self.reservoir)
        u = rnd.random()
        state = self.by_station.get("STATE")
        pool = self.window
        if u < self.p_self and post.recent:
            pool = post.recent
        elif u < self.p_self + self.p_state and state is not None and state.recent:
            pool = state.recent
        return rnd.choice(pool) if pool else None

    def _other_reference(self, kind: str, year: int) -> str:
        rnd = self.rnd
        a, b = (rnd.choice(self.prose.last).upper() for _ in range(2))
        m, d, yy = 1 + int(rnd.random() * 12), 1 + int(rnd.random() * 28), year % 100
        if kind == "email":
            return (
                f"{a}-{b} E-MAIL {m}/{d}/{year}"
                if rnd.random() < 0.5
                else f"{a}/{b} EMAIL {m}/{d}/{yy:02d}"
            )
        if kind == "tel":
            return f"{a}-{b} TELCON {m}-{d}-{yy:02d}"
        if kind == "memo":
            return f"MEMCON {m:02d}/{d:02d}/{year}"
        return f"IIR 6 {rnd.randrange(800, 999)} {rnd.randrange(10000):04d} {yy:02d}"

    # --- header and front matter ----------------------------------------------------------------

    def _header(
        self, post: _Post, when: dt.datetime, level: str, prosign: str, sections: int, smart: bool
    ) -> str:
        rnd = self.rnd
        letter, word = _PRECEDENCE[prosign]
        if smart:
            fl1 = f"VZCZCXRO{int(rnd.random() * 10000):04d}"
            fl2 = f"{prosign} {self.routes.draw(rnd)}"
        else:
            serial = 0 if rnd.random() < 0.37 else int(rnd.random() * 1000)
            fl1 = f"VZCZCXYZ{serial:04d}"
            fl2 = f"{prosign} RUEHWEB"
        section = "/01" if sections > 1 else ""
        day = when.timetuple().tm_yday
        hhmm = f"{when.hour:02d}{when.minute:02d}"
        dtg = f"{when.day:02d}{hhmm}Z {_MONTHS[when.month]} {when.year % 100:02d}"
        signal = " ZDK" if rnd.random() < self.p["header"]["fl5_signal"] else ""
        lines = [
            fl1,
            fl2,
            "",
            f"DE {post.ri} #{post.serial % 10000:04d}{section} {day:03d}{hhmm}",
            f"{_LEVELS[level][1]} ZZH",
            f"{letter} {dtg}{signal}",
            f"FM {post.plad}",
        ]
        if post.station == "STATE":
            to = [self.state_to.draw(rnd) for _ in range(1 + int(rnd.random() * 2))]
        else:
            to = [("RUEHC", "SECSTATE WASHDC")]
        seen = {post.plad}
        for i, (ri, plad) in enumerate(dict.fromkeys(to)):
            seen.add(plad)
            lines.append(("TO " if i == 0 else "") + self._address(ri, plad, word))
        info = []
        k = self.info_counts.draw(rnd)
        own = [self.info[i] for i in post.info.draws(rnd, k)] if post.info is not None else []
        for j, (ri, plad) in enumerate(self.info_pick.draws(rnd, k)):
            if own and rnd.random() < _OWN_INFO:
                ri, plad = own[j]
            if plad not in seen and not plad.startswith("SECSTATE"):
                seen.add(plad)
                info.append(self._address(ri, plad, word if rnd.random() < 0.5 else None))
        if info:
            info[0] = "INFO " + info[0]
            lines.extend(info)
        lines.append("")
        return "\n".join(lines) + "\n"

    def _address(self, ri: str, plad: str, word: str | None) -> str:
        out = f"{ri}/{plad}"
        if word:
            out += " " + word
        if plad.startswith(_MCN_PLADS):
            out += f" {int(self.rnd.random() * 10000):04d}"
        return out

    def _front(
        self,
        post: _Post,
        when: dt.datetime,
        level: str,
        captions: list[str],
        tags: list[str],
        subject: str,
        refs: list[tuple[str | None, str]],
        body: ComposedBody,
    ) -> str:
        rnd = self.rnd
        section = f" SECTION 01 OF {body.sections:02d}" if body.sections > 1 else ""
        out = [f"{_LEVELS[level][0]}{section} {post.originator} {post.serial:06d}", ""]
        for caption in captions:
            out.extend((caption, ""))
        if post.handling and rnd.random() < 0.3:
            out.extend((rnd.choice(post.handling), ""))
        out.append(self.body.declassification(level, when))
        out.append("TAGS: " + " ".join(tags))
        out.append(f"SUBJECT: {subject}")
        out.append("")
        if refs:
            if len(refs) == 1:
                out.append(f"REF: {refs[0][1]}")
            else:
                for i, (_, written) in enumerate(refs):
                    bullet = f"{chr(65 + i)}. {written}"
                    if i == 0:
                        out.append("REF: " + bullet)
                    else:
                        out.append(("¶" if body.pilcrow and rnd.random() < 0.5 else "") + bullet)
            out.append("")
        if level != "UNCLASSIFIED":
            out.extend((self.body.classified_by(post, when), ""))
        return "\n".join(out) + "\n"


def generate(
    n: int,
    seed: int = 0,
    start_year: int | None = None,
    end_year: int | None = None,
    window: int = 4096,
    external_refs: float = 0.02,
) -> Iterator[SynthCable]:
    """``n`` synthetic cables in date order, with the values each was generated from.

    Years default to the corpus's span (1966-2010, most weight on 2006-2010);
    ``start_year``/``end_year`` narrow or move it (years after the corpus get the mean weight of
    the corpus years in range). ``window`` bounds how many recent cables REF entries choose
    from; ``external_refs`` is the share of cable REFs citing posts the corpus has none of.
    Arguments are checked at the call (``ValueError``), not at the first cable.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    if not 0.0 <= external_refs <= 1.0:
        raise ValueError(f"external_refs must be between 0 and 1, not {external_refs}")
    profile = load_profile()
    years = sorted(int(y) for y in profile["years"])
    start = start_year if start_year is not None else years[0]
    end = end_year if end_year is not None else years[-1]
    if not 1966 <= start <= end <= 2065:
        raise ValueError(f"years must satisfy 1966 <= start <= end <= 2065 ({start}..{end})")
    return _Generator(profile, seed, max(1, window), external_refs).run(n, start, end)


def synthesize(
    n: int,
    seed: int = 0,
    start_year: int | None = None,
    end_year: int | None = None,
    window: int = 4096,
    external_refs: float = 0.02,
) -> Iterator[tuple[str, str]]:
    """``(reference_id, text)`` for ``n`` realistic cables; deterministic for a seed.

    Streams in constant memory (millions are fine). See :func:`generate` for the arguments.
    """
    cables = generate(n, seed, start_year, end_year, window, external_refs)
    return ((c.reference_id, c.text) for c in cables)
