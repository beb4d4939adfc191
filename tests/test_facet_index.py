"""The in-memory facet index gives exactly the results of the SQL search it replaces.

Every query of tests/test_search.py (whose SQL results are checked against a brute-force scan
there), in every order and on several pages, is run with and without the index over the real
sample archive; the two must agree in total, page order, scores, snippets and facets. An index
of an older state of the archive must be ignored.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cabledesk.archive import Archive, ingest_records
from cabledesk.services import index_search, ranking
from cabledesk.services.context import ArchivePool, ReadContext
from cabledesk.services.facet_index import STATE_SQL, FacetIndex, build_facet_index, index_state
from cabledesk.services.query import QueryError
from cabledesk.services.search import SearchResult, search
from cabledesk.sources.text import read_text_file
from test_search import HOSTILE, QUERIES


def both(archive: Archive, index: FacetIndex, query: str, **kwargs: object) -> SearchResult:
    """The search with the index, after checking it equals the search without."""
    plain = search(archive, query, **kwargs)  # type: ignore[arg-type]
    indexed = search(archive, query, index=index, **kwargs)  # type: ignore[arg-type]
    assert indexed == plain, (query, kwargs)
    assert list(indexed.facets) == list(plain.facets)
    for name, counts in indexed.facets.items():
        assert list(counts.items()) == list(plain.facets[name].items()), (query, name)
    return indexed


@pytest.mark.parametrize(
    "query", [*QUERIES, "", "iran OR nuclear OR the", "the -origin:LONDON", "said -tag:PREL"]
)
@pytest.mark.parametrize("sort", ["rank", "date", "-date"])
@pytest.mark.parametrize("few", [0, 256])
def test_same_results_as_sql(
    archive: Archive,
    index: FacetIndex,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    sort: str,
    few: int,
) -> None:
    """``few``: up to how many hits every score comes at once (0: never; then the best are
    scored in rowid ranges of a few hits each, one per core, as a large archive's are)."""
    monkeypatch.setattr(index_search, "_FEW", few)
    if not few:
        monkeypatch.setattr(ranking, "PART_MIN", 3)
    first = both(archive, index, query, sort=sort, per_page=7)
    for page in sorted({2, first.pages, first.pages + 1} - {0, 1}):
        both(archive, index, query, sort=sort, page=page, per_page=7, facets=False)
    both(archive, index, query, sort=sort, per_page=100, facet_limit=3)


@pytest.mark.parametrize(
    "match", ['"the"', '"said" OR "iran"', '"gov" *', '"the" "government"', '"nuclear"']
)
def test_rowid_ranges_give_the_best_of_a_single_pass(
    archive: Archive, index: FacetIndex, match: str
) -> None:
    """Scored in 1-5 ranges (side connections, and the search's own when a side one reads
    another state of the archive), the best hits and their scores are a single pass's."""
    conn = archive.conn
    hits = index_search._matches(conn, match)
    assert len(hits) > 10
    kept = hits[hits % 3 > 0]
    dropped = hits[hits % 3 == 0]
    for only, ids in ((None, hits), (("IN", kept), kept), (("NOT IN", dropped), kept)):
        for limit in (1, 7, 40, len(ids) + 5):
            conn.execute("BEGIN")
            try:
                one = ranking.best_scores(conn, match, 2.0, hits=ids, only=only, limit=limit)
                for parts in (2, 3, 5):
                    for state in (index.state, (-1, -1)):
                        split = ranking.best_scores(
                            conn, match, 2.0, hits=ids, only=only, limit=limit,
                            state=(STATE_SQL, state), parts=parts,
                        )  # fmt: skip
                        assert split[0].tolist() == one[0].tolist(), (match, only, parts)
                        assert split[1].tolist() == one[1].tolist()
            finally:
                conn.execute("COMMIT")
    assert ranking.range_parts(10**6, cores=2) == 2
    assert ranking.range_parts(10, cores=8) == 1


def test_side_connections_stay_few_and_a_stale_one_is_dropped(
    tmp_path: Path, sample_dir: Path
) -> None:
    """A worker thread keeps connections to the few archives it scored last; one that reads
    another state than the search's is closed, and that range scored by the search itself."""
    paths = []
    for i, cable in enumerate(sorted(sample_dir.glob("*.txt"))[:6]):
        db = tmp_path / f"a{i}.db"
        with Archive.open(db) as archive:
            ingest_records([read_text_file(cable)], archive, workers=0)
        paths.append(str(db))
    for path in paths:
        ranking._side_connection(path)
    kept = ranking._local.archives
    assert list(kept) == paths[-ranking._SIDE_FILES :]
    with Archive.open(paths[-1], readonly=True) as archive:
        state = index_state(archive.conn)
        match = '"the"'
        hits = index_search._matches(archive.conn, match)
        assert ranking._on_side(paths[-1], STATE_SQL, (-1, -1), lambda c: (hits, hits)) is None
        assert paths[-1] not in kept
        scored = ranking._on_side(paths[-1], STATE_SQL, state, lambda c: (hits, hits * 2))
        assert scored is not None and scored[1].tolist() == (hits * 2).tolist()
        assert list(kept)[-1] == paths[-1]


def test_options_and_every_filter(archive: Archive, index: FacetIndex) -> None:
    both(
        archive,
        index,
        "iran",
        origin=["London", "MOSCOW"],
        tag="PREL",
        classification="confidential",
        caption="NOFORN",
        date_from="2005-06",
        date_to="2009-12-31",
        has_redactions=True,
    )
    for query in ("date:..2007", "date:2008-03-15", "year:..2005", "-year:2009", "-date:2009"):
        both(archive, index, query, sort="date", per_page=50)
    with pytest.raises(QueryError, match="has:"):
        search(archive, "has:pictures", index=index)


def test_index_describes_the_archive(archive: Archive, index: FacetIndex) -> None:
    conn = archive.conn
    assert index.state == index_state(conn)
    assert index.cables == conn.execute("SELECT count(*) FROM cables").fetchone()[0]
    ids = conn.execute("SELECT id FROM cables ORDER BY date IS NULL, date, reference_id")
    expected = [r[0] for r in ids]
    assert np.argsort(index.date_rank[expected]).tolist() == list(range(len(expected)))
    for cable in (1, 5, index.size - 1):
        tags = conn.execute("SELECT code FROM tags WHERE cable_id = ? ORDER BY code", (cable,))
        mine = index.tags.codes[index.tags.offsets[cable] : index.tags.offsets[cable + 1]]
        assert [index.tags.values[c] for c in mine] == [r[0] for r in tags]
    assert index.nbytes > 0


def test_an_index_of_another_state_is_not_used(tmp_path: Path, sample_dir: Path) -> None:
    paths = sorted(sample_dir.glob("*.txt"))
    with Archive.open(tmp_path / "growing.db") as archive:
        ingest_records((read_text_file(p) for p in paths[:200]), archive, workers=0)
        old = build_facet_index(archive.conn)
        before = search(archive, "tag:PREL", index=old)
        ingest_records((read_text_file(p) for p in paths[200:]), archive, workers=0)
        assert index_state(archive.conn) != old.state
        after = search(archive, "tag:PREL", index=old)
        assert after == search(archive, "tag:PREL")
        assert after.total > before.total
        new = build_facet_index(archive.conn)
        assert search(archive, "tag:PREL", index=new) == after


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.one_of(HOSTILE, st.text(max_size=60)), sort=st.sampled_from(["rank", "-date"]))
def test_any_query_agrees(archive: Archive, index: FacetIndex, query: str, sort: str) -> None:
    try:
        plain = search(archive, query, sort=sort, per_page=5)
    except QueryError as exc:
        with pytest.raises(QueryError, match="."):
            search(archive, query, sort=sort, per_page=5, index=index)
        assert str(exc)
    else:
        assert search(archive, query, sort=sort, per_page=5, index=index) == plain


@pytest.mark.parametrize("slack", [1, 16])
def test_equal_scores_across_the_page_cut(
    archive: Archive, index: FacetIndex, monkeypatch: pytest.MonkeyPatch, slack: int
) -> None:
    """'said' and 'embassy' have equal BM25 scores side by side (29th and 30th of 'said');
    with a slack of one score the fetch of every score is taken whenever they straddle."""
    monkeypatch.setattr(index_search, "_RANK_SLACK", slack)
    monkeypatch.setattr(index_search, "_FEW", 0)
    for query in ("said", "embassy", "said tag:PREL"):
        for per_page in (1, 7, 29):
            for page in (1, 2, 5, 29, 30):
                both(archive, index, query, page=page, per_page=per_page, facets=False)


def test_the_pool_keeps_the_index_until_the_archive_changes(
    tmp_path: Path, sample_dir: Path
) -> None:
    paths = sorted(sample_dir.glob("*.txt"))
    db = tmp_path / "pool.db"
    with Archive.open(db) as archive:
        ingest_records((read_text_file(p) for p in paths[:100]), archive, workers=0)
    pool = ArchivePool(db)
    try:
        first = pool.facet_index(pool.archive())
        assert first is not None and first.cables == 100
        assert pool.facet_index(pool.archive()) is first
        with Archive.open(db) as archive:
            ingest_records((read_text_file(p) for p in paths[100:]), archive, workers=0)
        second = pool.facet_index(pool.archive())
        cables = pool.archive().conn.execute("SELECT count(*) FROM cables").fetchone()[0]
        assert second is not None and second is not first and second.cables == cables > 100
        found = ReadContext(pool).search("iran", tag=["PREL"], sort="-date")
        assert found == search(pool.archive(), "iran", tag="PREL", sort="-date")
    finally:
        pool.close()


def test_an_empty_archive(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "empty.db") as archive:
        empty = build_facet_index(archive.conn)
        assert empty.cables == 0
        for query in ("", "iran", "-iran", "tag:PREL", "iran year:2009"):
            assert search(archive, query, index=empty) == search(archive, query)
