"""The query mix of bench/search.py, drawn from an archive's own vocabulary, origins and tags.

Each query is written twice: in cabledesk's query language (``text``) and as the FTS5
expression plus SQL condition a developer would hand-write for it (``fts``, ``where``), so the
floor runs the same search without cabledesk. The same archive and seed give the same mix.
"""

from __future__ import annotations

import random
import re
import sqlite3
from dataclasses import dataclass

__all__ = ["QuerySpec", "make_mix"]


@dataclass(frozen=True)
class QuerySpec:
    kind: str
    text: str
    fts: str | None
    where: str = ""
    params: tuple[object, ...] = ()
    sort: str = "rank"
    page: int = 1
    per_page: int = 20


_WORD = re.compile(r"[a-z]{4,}")
_TAG = "EXISTS (SELECT 1 FROM tags AS t WHERE t.cable_id = c.id AND t.code = ?)"
_CAPTION = "EXISTS (SELECT 1 FROM captions AS k WHERE k.cable_id = c.id AND k.caption = ?)"


def _vocabulary(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab "
        "USING fts5vocab(main, 'cables_fts', 'row')"
    )
    rows = conn.execute("SELECT term, doc FROM temp.bench_vocab").fetchall()
    conn.execute("DROP TABLE temp.bench_vocab")
    return sorted((t, d) for t, d in rows if _WORD.fullmatch(t))


def _band(vocab: list[tuple[str, int]], lo: float, hi: float) -> list[str]:
    return [t for t, d in vocab if lo < d <= hi]


def _phrases(conn: sqlite3.Connection, rnd: random.Random, n: int) -> list[str]:
    top = conn.execute("SELECT max(id) FROM cables").fetchone()[0] or 0
    found: list[str] = []
    while len(found) < n and top:
        row = conn.execute(
            "SELECT text FROM cable_texts WHERE id >= ? ORDER BY id LIMIT 1", (rnd.randint(1, top),)
        ).fetchone()
        words = re.findall(r"[A-Za-z]+", row[0].lower()) if row else []
        pairs = [
            (a, b)
            for a, b in zip(words, words[1:], strict=False)
            if _WORD.fullmatch(a) and _WORD.fullmatch(b)
        ]
        if pairs:
            found.append(" ".join(rnd.choice(pairs)))
    return found


def _values(conn: sqlite3.Connection, sql: str, limit: int) -> list[str]:
    return [str(r[0]) for r in conn.execute(sql + f" LIMIT {limit}") if r[0] not in (None, "")]


def make_mix(conn: sqlite3.Connection, rnd: random.Random) -> list[QuerySpec]:
    """200 queries: words (rare, mid, common), phrases, prefixes, booleans, words with filters,
    filters alone, broad facet-heavy words, dated sorts and later pages."""
    size = conn.execute("SELECT count(*) FROM cables").fetchone()[0]
    vocab = _vocabulary(conn)
    rare = _band(vocab, 2, max(10, size * 0.001))
    mid = _band(vocab, max(10, size * 0.001), size * 0.02)
    common = _band(vocab, size * 0.02, size * 0.2)
    broad = _band(vocab, size * 0.3, size)
    origins = _values(conn, "SELECT origin FROM cables GROUP BY origin ORDER BY count(*) DESC", 40)
    tags = _values(conn, "SELECT code FROM tags GROUP BY code ORDER BY count(*) DESC", 60)
    captions = _values(
        conn, "SELECT caption FROM captions GROUP BY caption ORDER BY count(*) DESC", 3
    )
    years = _values(conn, "SELECT year FROM cables GROUP BY year ORDER BY count(*) DESC", 12)
    levels = _values(conn, "SELECT classification FROM cables GROUP BY 1 ORDER BY 1", 5)
    pick = rnd.choice
    mix: list[QuerySpec] = []

    def word(kind: str, w: str, **kw: object) -> None:
        mix.append(QuerySpec(kind, w, f'"{w}"', **kw))  # type: ignore[arg-type]

    for band, n in ((rare, 15), (mid, 20), (common, 15)):
        for w in rnd.sample(band, min(n, len(band))):
            word("word", w)
    for p in _phrases(conn, rnd, 20):
        mix.append(QuerySpec("phrase", f'"{p}"', f'"{p}"'))
    for w in rnd.sample(mid + common, 15):
        stem = w[: rnd.randint(4, min(6, len(w)))]
        mix.append(QuerySpec("prefix", f"{stem}*", f'"{stem}" *'))
    for _ in range(7):
        a, b = pick(mid), pick(mid)
        mix.append(QuerySpec("boolean", f"{a} OR {b}", f'"{a}" OR "{b}"'))
    for _ in range(6):
        a, b = pick(common), pick(mid)
        mix.append(QuerySpec("boolean", f"{a} -{b}", f'"{a}" NOT "{b}"'))
    for _ in range(6):
        a, b, c = pick(mid), pick(mid), pick(common)
        mix.append(QuerySpec("boolean", f"({a} OR {b}) {c}", f'("{a}" OR "{b}") AND "{c}"'))
    for _ in range(6):
        a, b = pick(common), pick(common)
        mix.append(QuerySpec("boolean", f"{a} AND {b}", f'"{a}" AND "{b}"'))
    filters = [
        lambda: (f'origin:"{(o := pick(origins))}"', "c.origin = ?", (o,)),
        lambda: (f"tag:{(t := pick(tags))}", _TAG, (t,)),
        lambda: (f"year:{(y := pick(years))}", "c.year = ?", (int(y),)),
        lambda: (f"classification:{(k := pick(levels))}", "c.classification = ?", (k,)),
        lambda: (f"caption:{(k := pick(captions))}", _CAPTION, (k,)),
        lambda: (f"-tag:{(t := pick(tags))}", "NOT " + _TAG, (t,)),
        lambda: ("has:redactions", "c.redaction_count > 0", ()),
        lambda: (
            f"date:{(y := pick(years))}-01-01..{y}-06-30",
            "c.date >= ? AND c.date < ?",
            (f"{y}-01-01", f"{y}-07-01"),
        ),
    ]
    for i in range(40):
        text, where, params = filters[i % len(filters)]()
        w = pick(mid + common + common)
        mix.append(QuerySpec("word+filter", f"{w} {text}", f'"{w}"', where, params))
    for i in range(20):
        first = filters[i % 2]()
        second = filters[2 + i % 3]() if i % 4 else ("", "", ())
        text = f"{first[0]} {second[0]}".strip()
        where = " AND ".join(x for x in (first[1], second[1]) if x)
        mix.append(QuerySpec("filters only", text, None, where, first[2] + second[2], "-date"))
    for w in rnd.sample(broad, min(15, len(broad))):
        word("broad", w)
    for i in range(15):
        w = pick(mid + common)
        word("dated", w, sort=("-date", "date")[i % 2], page=1 + i % 3)
    for i in range(0, len(mix), 25):  # a few later pages of ranked queries
        spec = mix[i]
        mix[i] = QuerySpec(
            spec.kind, spec.text, spec.fts, spec.where, spec.params, spec.sort, 2 + i % 3
        )
    return mix[:200]
