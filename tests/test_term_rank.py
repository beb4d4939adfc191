"""Term counts kept beside the full-text index give FTS5's own tokens and BM25 scores.

The counts (archive/terms.py) must split every cable exactly as the archive's FTS5 tokenizer
does, and the scores computed from them (services/term_rank.py) must equal ``bm25()`` bit for
bit, so that a ranked page is the page FTS5 would give. Both are checked against SQLite itself
on the real sample cables and on hostile texts; cables the counts cannot reproduce, replaced
texts and damaged counts fall back to FTS5.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cabledesk.archive import Archive, ingest_records
from cabledesk.archive.terms import TOKENIZER, count_terms, is_separator, select_terms
from cabledesk.services.facet_index import FacetIndex, build_facet_index
from cabledesk.services.search import search
from cabledesk.services.term_rank import counted_word, index_totals, scores_agree, word_scores
from cabledesk.sources.records import RawCable
from cabledesk.sources.text import read_text_file
from test_search import build_archive


def _fts_tokens(subject: str | None, text: str) -> tuple[Counter[bytes], Counter[bytes]]:
    """What SQLite's own tokenizer makes of one cable, per column."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (subject, text, tokenize = '{TOKENIZER}')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
    conn.execute("INSERT INTO t (rowid, subject, text) VALUES (1, ?, ?)", (subject, text))
    found: tuple[Counter[bytes], Counter[bytes]] = (Counter(), Counter())
    for term, column in conn.execute("SELECT term, col FROM v"):
        found[column == "text"][term.encode("utf-8")] += 1
    return found


def test_ascii_separators_are_the_tokenizers() -> None:
    for code in range(128):
        char = chr(code)
        assert is_separator(char) == (not char.isalnum()), repr(char)


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("The GOVERNMENT's view¶ — “said” 2009…", True),
        ("snake_case and tab\tand NBSP\u00a0here", True),
        ("¶ ’ « » — … are separators", True),
        ("emoji 🙂 is a token character to SQLite's tables", False),
        ("café stays with FTS5", False),
        ("Cyrillic Москва stays with FTS5", False),
        ("combining e\u0301 stays with FTS5", False),
    ],
)
def test_counts_are_the_tokenizers(text: str, counted: bool) -> None:
    counts = count_terms("Subject: " + text, text)
    assert (counts is not None) == counted
    if counts is not None:
        subject, body = _fts_tokens("Subject: " + text, text)
        assert (counts.subject, counts.text) == (subject, body)
        assert counts.tokens == subject.total() + body.total()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=80))
def test_any_text_is_counted_as_fts5_counts_it_or_left_to_it(text: str) -> None:
    counts = count_terms(None, text)
    if counts is not None:
        assert (counts.subject, counts.text) == _fts_tokens(None, text)


def test_every_sample_cable_is_counted_as_fts5_counts_it(archive: Archive) -> None:
    rows = archive.conn.execute("SELECT subject, text FROM cable_texts").fetchall()
    counted = [(s, t, count_terms(s, t)) for s, t in rows]
    assert sum(c is not None for *_, c in counted) >= len(rows) - 5
    for subject, text, counts in counted:
        if counts is not None:
            assert (counts.subject, counts.text) == _fts_tokens(subject, text)


def test_the_word_set_is_chosen_and_every_first_text_counted(
    archive: Archive, index: FacetIndex
) -> None:
    conn = archive.conn
    words = [r[0] for r in conn.execute("SELECT term FROM term_set ORDER BY position")]
    assert words == sorted(words) and {"the", "embassy", "said"} <= set(words)
    first = [  # first texts only: a cable whose current text was replaced is left to FTS5
        count_terms(s, t)
        for s, t in conn.execute(
            "SELECT c.subject, v.text FROM cables AS c JOIN versions AS v ON v.cable_id = c.id "
            "AND v.number = 1 WHERE c.version = 1 ORDER BY c.id LIMIT 400"
        )
    ]
    chosen = select_terms([c for c in first if c is not None][:256])
    assert [w.decode() for w in chosen] == words
    docs = conn.execute("SELECT count(*) FROM term_docs").fetchone()[0]
    assert docs == int((index.term_tokens >= 0).sum()) > 300
    assert index.term_words == frozenset(words)


def _bm25(conn: sqlite3.Connection, match: str) -> dict[int, float]:
    sql = "SELECT rowid, bm25(cables_fts, 4.0, 1.0) FROM cables_fts WHERE cables_fts MATCH ?"
    return dict(conn.execute(sql, (match,)).fetchall())


def test_scores_are_fts5s_bit_for_bit(archive: Archive, index: FacetIndex) -> None:
    conn = archive.conn
    for word in sorted(index.term_words):
        match = f'"{word}"'
        expected = _bm25(conn, match)
        hits = np.array(sorted(expected), dtype=np.int64)
        found = word_scores(conn, index, word, match, 4.0, matches=len(hits), hits=hits, limit=None)
        assert found is not None, word
        assert dict(zip(found[0].tolist(), found[1].tolist(), strict=True)) == expected, word
        best = word_scores(conn, index, word, match, 4.0, matches=len(hits), hits=hits, limit=5)
        assert best is not None
        assert best[1].tolist() == sorted(expected.values())[:5]
        # filtered: a subset of the hits, with the word's document count unchanged
        some = hits[::3]
        part = word_scores(conn, index, word, match, 4.0, matches=len(hits), hits=some, limit=None)
        assert part is not None
        assert dict(zip(part[0].tolist(), part[1].tolist(), strict=True)) == {
            i: expected[i] for i in some.tolist()
        }


def test_only_one_counted_word_with_a_whole_weight_is_scored_here(index: FacetIndex) -> None:
    assert counted_word(index, '"Embassy"', 4.0) == "embassy"
    assert counted_word(index, '"embassy"', 4.5) is None
    for match in ('"embassy" *', '"the embassy"', '"embassy" OR "the"', '"zzzq"', "embassy"):
        assert counted_word(index, match, 4.0) is None


def test_totals_are_the_index_averages(archive: Archive) -> None:
    rows, tokens = index_totals(archive.conn)
    assert rows == archive.conn.execute("SELECT count(*) FROM cables").fetchone()[0]
    counted = archive.conn.execute("SELECT sum(tokens), count(*) FROM term_docs").fetchone()
    assert tokens >= counted[0] and rows >= counted[1]


def test_replaced_and_uncounted_cables_are_scored_by_fts5(sample_dir: Path, tmp_path: Path) -> None:
    raws = [read_text_file(p) for p in sorted(sample_dir.glob("*.txt"))]
    moscow = next(r for r in raws if r.source.endswith("07MOSCOW104.txt"))
    replaced = RawCable(
        moscow.text.replace("according to Chun", "according to the embassy"),
        "release2.txt",
        {**moscow.hints, "released": "2011-08-30"},
    )
    last = raws[-1]  # its first and only text has a character the counts do not reproduce
    raws[-1] = RawCable(last.text + "\nCafé with the embassy.\n", last.source, last.hints)
    with Archive.open(tmp_path / "v.db") as archive:
        ingest_records([*raws, replaced], archive, workers=0)
        conn = archive.conn
        ids = dict(conn.execute("SELECT reference_id, id FROM cables"))
        counted = {r[0] for r in conn.execute("SELECT cable_id FROM term_docs")}
        last_id = conn.execute("SELECT max(id) FROM cables").fetchone()[0]
        assert ids["07MOSCOW104"] not in counted and last_id not in counted
        assert len(counted) > 300
        index = build_facet_index(conn)
        for query in ("embassy", "the", "said tag:PREL"):
            assert search(archive, query, index=index) == search(archive, query)
        expected = _bm25(conn, '"embassy"')
        hits = np.array(sorted(expected), dtype=np.int64)
        found = word_scores(
            conn, index, "embassy", '"embassy"', 4.0, matches=len(hits), hits=hits, limit=None
        )
        assert found is not None
        assert dict(zip(found[0].tolist(), found[1].tolist(), strict=True)) == expected


def test_damaged_counts_fall_back_to_fts5(sample_dir: Path, tmp_path: Path) -> None:
    db = build_archive(sample_dir, tmp_path / "d.db", 0)
    with Archive.open(db) as archive:
        archive.conn.execute("DELETE FROM term_counts WHERE term = 'embassy' AND block = 0")
        index = build_facet_index(archive.conn)
        hits = np.array(sorted(_bm25(archive.conn, '"embassy"')), dtype=np.int64)
        assert (
            word_scores(
                archive.conn, index, "embassy", '"embassy"', 4.0,
                matches=len(hits), hits=hits, limit=None,
            )
            is None
        )  # fmt: skip
        assert search(archive, "embassy", index=index) == search(archive, "embassy")


def test_a_small_archive_keeps_no_counts(sample_dir: Path, tmp_path: Path) -> None:
    raws = [read_text_file(p) for p in sorted(sample_dir.glob("*.txt"))[:40]]
    with Archive.open(tmp_path / "small.db") as archive:
        ingest_records(raws, archive, workers=0)
        assert archive.term_positions() is None
        assert archive.conn.execute("SELECT count(*) FROM term_docs").fetchone()[0] == 0
        index = build_facet_index(archive.conn)
        assert index.term_words == frozenset()
        assert search(archive, "the", index=index) == search(archive, "the")


def test_an_archive_from_before_the_counts_is_searched_read_only(
    sample_dir: Path, tmp_path: Path
) -> None:
    """An archive of schema 2 opened read-only (not migrated) has no count tables."""
    db = build_archive(sample_dir, tmp_path / "old.db", 0)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(
        "DROP TABLE term_counts; DROP TABLE term_docs; DROP TABLE term_set; "
        "PRAGMA user_version = 2;"
    )
    conn.close()
    with Archive.open(db, readonly=True) as old:
        assert old.schema_version == 2
        index = build_facet_index(old.conn)
        assert index.term_words == frozenset() and int(index.term_tokens.max()) == -1
        assert search(old, "the", index=index) == search(old, "the")
    with Archive.open(db) as archive:  # migrated: the counts are taken at the next ingest
        assert archive.schema_version == 3 and archive.term_positions() is None
        ingest_records([read_text_file(p) for p in sorted(sample_dir.glob("*.txt"))], archive)
        assert archive.term_positions() is not None
        assert archive.conn.execute("SELECT count(*) FROM term_docs").fetchone()[0] > 300


def _tiny(i: int, text: str) -> RawCable:
    return RawCable(text, f"{i}.txt", {"reference_id": f"09ABUJA{i + 1}"})


def test_an_archive_of_uncountable_cables_chooses_within_its_first_cables(
    tmp_path: Path,
) -> None:
    """When none of the first 1,024 cables can be counted the set is the never-matching "",
    and later batches do not look at every cable again; later countable cables are counted."""
    first = [_tiny(i, f"SUBJECT: Café number {i} of the embassy") for i in range(1024)]
    later = [_tiny(i, f"SUBJECT: Cafe number {i} of the embassy") for i in range(1024, 1100)]
    with Archive.open(tmp_path / "c.db") as archive:
        ingest_records([*first, *later], archive, workers=0, batch_size=512)
        assert archive.term_positions() == {b"": 0}  # none of the first 1,024 countable
        assert archive.conn.execute("SELECT count(*) FROM term_docs").fetchone()[0] == 76
        index = build_facet_index(archive.conn)
        assert search(archive, "embassy", index=index) == search(archive, "embassy")


def test_counting_afterwards_gives_the_tables_an_ingest_builds(tmp_path: Path) -> None:
    """Counting every cable of an archive at once (an archive from before migration 3, in
    slices of 4,096 ids) stores what ingesting batch by batch stored."""
    words = ("embassy", "minister", "said", "would", "election", "iran", "talks", "the")
    raws = [
        _tiny(i, f"SUBJECT: {words[i % 8]} {words[i % 5]} number {i}\\n1. {words[i % 3]} {i}")
        for i in range(4200)
    ]
    tables = ("term_set", "term_docs", "term_counts")
    with Archive.open(tmp_path / "n.db") as archive:
        ingest_records(raws, archive, workers=0, batch_size=700)
        built = {
            t: archive.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables
        }
        assert len(built["term_docs"]) == 4200 and len(built["term_counts"]) > 10
        archive.conn.executescript("".join(f"DELETE FROM {t};" for t in tables))
    with Archive.open(tmp_path / "n.db") as archive:
        assert archive.term_positions() is None and archive.choose_terms()
        again = {
            t: archive.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables
        }
    assert again == built


def test_this_sqlite_scores_as_computed_here() -> None:
    """The once-per-process check that turns the counts off where bm25() would differ."""
    assert scores_agree()
