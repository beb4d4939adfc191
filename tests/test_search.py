"""Search over a real archive, checked against a brute-force scan of the same cables in Python.

The oracle reads every stored cable back, tokenises subject and text the way FTS5's unicode61
tokenizer does (lower case, diacritics removed, split on anything not a letter or digit) and
evaluates the parsed query tree itself, so the SQL compiler, the filters and the facet counts
are all checked against an independent implementation.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cabledesk.archive import Archive, ingest_records
from cabledesk.services.query import And, Filter, Node, Not, QueryError, Term, parse_query
from cabledesk.services.search import MAX_PER_PAGE, SearchResult, search
from cabledesk.services.snippets import snippet_parts
from cabledesk.sources.text import read_text_file

_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """unicode61 with remove_diacritics: lower case, marks dropped, letters and digits kept."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return _TOKEN.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@dataclass
class Doc:
    id: int
    reference_id: str
    subject: str  # " tok tok ... " so a phrase is a substring search
    text: str
    origin: str | None
    station: str | None
    classification: str | None
    year: int | None
    date: str | None
    tags: set[str]
    captions: set[str]
    redactions: int


def load_docs(conn: sqlite3.Connection) -> list[Doc]:
    tags: dict[int, set[str]] = {}
    for cid, code in conn.execute("SELECT cable_id, code FROM tags"):
        tags.setdefault(cid, set()).add(code)
    caps: dict[int, set[str]] = {}
    for cid, caption in conn.execute("SELECT cable_id, caption FROM captions"):
        caps.setdefault(cid, set()).add(caption)
    rows = conn.execute(
        "SELECT c.id, reference_id, c.subject, t.text, origin, station, classification, year, "
        "date, redaction_count FROM cables AS c JOIN cable_texts AS t ON t.id = c.id"
    )
    return [
        Doc(
            r[0],
            r[1],
            " " + " ".join(tokens(r[2] or "")) + " ",
            " " + " ".join(tokens(r[3])) + " ",
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            tags.get(r[0], set()),
            caps.get(r[0], set()),
            r[9],
        )
        for r in rows
    ]


def _term_matches(term: Term, doc: Doc) -> bool | None:
    toks = tokens(term.text)
    if not toks:
        return None  # an unsearchable term is left out of the query
    fields = [doc.subject] if term.column == "subject" else [doc.subject, doc.text]
    phrase = " " + " ".join(toks)
    if term.prefix:
        return any(re.search(re.escape(phrase) + r"[^ ]*(?= )", f) is not None for f in fields)
    return any(phrase + " " in f for f in fields)


def _filter_matches(f: Filter, doc: Doc) -> bool:
    value = f.value
    if f.field == "origin":
        named = doc.origin is not None and doc.origin.lower() == value.lower()
        return named or (doc.station or "") == "".join(value.split()).upper()
    if f.field == "tag":
        return value.upper() in doc.tags
    if f.field == "caption":
        return value.upper() in doc.captions
    if f.field == "classification":
        return doc.classification == value.upper()
    if f.field == "year":
        lo, _, hi = value.partition("..")
        return doc.year is not None and int(lo) <= doc.year <= int(hi or lo)
    if f.field == "date":
        lo, _, hi = value.partition("..")
        day = (doc.date or "")[:10]
        return bool(day) and (not lo or day >= lo) and (not hi or day <= hi)
    assert f.field == "has" and value == "redactions"
    return doc.redactions > 0


def evaluate(node: Node, doc: Doc) -> bool | None:
    """True/False, or None when every term below is unsearchable (left out)."""
    if isinstance(node, Term):
        return _term_matches(node, doc)
    if isinstance(node, Filter):
        return _filter_matches(node, doc)
    if isinstance(node, Not):
        inner = evaluate(node.item, doc)
        return None if inner is None else not inner
    values = [v for v in (evaluate(n, doc) for n in node.items) if v is not None]
    if not values:
        return None
    return all(values) if isinstance(node, And) else any(values)


def brute_force(docs: list[Doc], query: str) -> list[Doc]:
    node = parse_query(query)
    if node is None:
        return list(docs)
    return [d for d in docs if evaluate(node, d) is not False]


def brute_facets(docs: list[Doc]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = {
        k: Counter() for k in ("origin", "tag", "classification", "year", "caption")
    }
    for d in docs:
        for name, value in (
            ("origin", d.origin),
            ("classification", d.classification),
            ("year", d.year),
        ):
            if value not in (None, ""):
                counts[name][str(value)] += 1
        counts["tag"].update(d.tags)
        counts["caption"].update(d.captions)
    return {k: dict(v) for k, v in counts.items()}


def all_hits(archive: Archive, query: str, sort: str = "rank") -> Iterator[str]:
    """Every hit's reference id, page by page."""
    page = 1
    while True:
        result = search(archive, query, sort=sort, page=page, per_page=MAX_PER_PAGE, facets=False)
        yield from (h.reference_id for h in result.hits)
        if page >= result.pages:
            return
        page += 1


def build_archive(folder: Path, db: Path, workers: int) -> Path:
    with Archive.open(db) as archive:
        paths = sorted(folder.glob("*.txt"))
        ingest_records((read_text_file(p) for p in paths), archive, workers=workers)
    return db


@pytest.fixture(scope="session")
def docs(archive: Archive) -> list[Doc]:
    return load_docs(archive.conn)


QUERIES = [
    "iran",
    "Iran nuclear",
    '"human rights"',
    '"prime minister" election*',
    "terror*",
    "gov*",
    "the",
    "ZANU-PF",
    "S/NF",
    "1.4(b)",
    "U.S.",
    "putin OR chavez",
    "(iran OR korea) nuclear",
    "iran -nuclear",
    "iran NOT (nuclear OR oil)",
    "corruption AND NOT visa",
    "-the",
    "NOT embassy",
    '"human rights" OR refugee* OR olympic*',
    "subject:iran",
    'subject:"human rights"',
    "origin:LONDON",
    'origin:"Embassy Tripoli"',
    "tag:PREL",
    "tag:PREL -tag:PGOV",
    "(tag:IR OR tag:KN) classification:secret",
    "caption:NOFORN",
    "classification:UNCLASSIFIED year:2009",
    "year:2006..2008",
    "date:2009-01-01..2009-06-30",
    "date:2009-06..",
    "has:redactions",
    "-has:redactions -origin:LONDON",
    "nuclear tag:PARM",
    "embassy origin:LONDON",
    "the tag:PREL year:2009",
    "putin origin:MOSCOW",
    "ZANU-PF classification:confidential",
    "taliban -tag:PREL -(caption:NOFORN OR year:2009)",
    "iran ??? -- «»",
]


@pytest.mark.parametrize("query", QUERIES)
def test_results_and_facets_agree_with_brute_force(
    archive: Archive, docs: list[Doc], query: str
) -> None:
    expected = brute_force(docs, query)
    result = search(archive, query, per_page=5)
    assert result.total == len(expected)
    assert set(all_hits(archive, query)) == {d.reference_id for d in expected}
    assert result.facets == brute_facets(expected)


@pytest.mark.parametrize(
    "query", ["", "the", "tag:PREL", "iran", "-has:redactions", "year:2009 embassy"]
)
@pytest.mark.parametrize("sort", ["date", "-date"])
def test_date_order_is_exact(archive: Archive, docs: list[Doc], query: str, sort: str) -> None:
    expected = brute_force(docs, query)
    dated = sorted((d for d in expected if d.date), key=lambda d: (d.date, d.reference_id))
    undated = sorted((d for d in expected if not d.date), key=lambda d: d.reference_id)
    if sort == "-date":
        dated.reverse()
        undated.reverse()
    order = [d.reference_id for d in dated + undated]
    assert list(all_hits(archive, query, sort)) == order
    page = search(archive, query, sort=sort, page=3, per_page=4, facets=False)
    assert [h.reference_id for h in page.hits] == order[8:12]


def test_options_are_the_same_filters_as_the_query(archive: Archive) -> None:
    by_query = search(archive, "iran origin:LONDON tag:PREL date:2008..2009-12-31 has:redactions")
    by_options = search(
        archive,
        "iran",
        origin="LONDON",
        tag=["PREL"],
        date_from="2008",
        date_to="2009-12-31",
        has_redactions=True,
    )
    assert by_options.total == by_query.total
    assert by_options.hits == by_query.hits
    assert by_options.facets == by_query.facets


def test_rank_order_is_bm25_then_date_then_id(archive: Archive) -> None:
    ranked = search(archive, "iran", per_page=MAX_PER_PAGE)
    scores = [h.score for h in ranked.hits]
    assert None not in scores
    keys = [(h.score, h.date or "", h.reference_id) for h in ranked.hits]
    for a, b in zip(keys, keys[1:], strict=False):
        assert a[0] < b[0] or (a[0] == b[0] and (a[1] > b[1] or (a[1] == b[1] and a[2] < b[2])))
    raw = archive.conn.execute(
        "SELECT c.reference_id FROM cables_fts JOIN cables c ON c.id = cables_fts.rowid "
        "WHERE cables_fts MATCH 'iran' "
        "ORDER BY bm25(cables_fts, 4.0, 1.0), c.date DESC, c.reference_id LIMIT 100"
    ).fetchall()
    assert [h.reference_id for h in ranked.hits] == [r[0] for r in raw]


def test_subject_hits_rank_higher(archive: Archive) -> None:
    hits = search(archive, "nuclear", per_page=10).hits
    assert "nuclear" in (hits[0].subject or "").lower()


@pytest.mark.parametrize("query", ["the", "embassy", "gov*", "tag:PREL", ""])
def test_pages_are_stable_and_complete(archive: Archive, query: str) -> None:
    total = search(archive, query, facets=False).total
    for sort in ("rank", "date", "-date"):
        pages = [
            search(archive, query, sort=sort, page=p, per_page=7, facets=False)
            for p in range(1, -(-total // 7) + 1)
        ]
        ids = [h.reference_id for r in pages for h in r.hits]
        assert len(ids) == len(set(ids)) == total
        assert ids == list(all_hits(archive, query, sort))
        again = search(archive, query, sort=sort, page=2, per_page=7, facets=False)
        assert again.hits == pages[1].hits


def test_snippets_mark_the_hits(archive: Archive) -> None:
    for hit in search(archive, '"human rights" ZANU-PF OR S/NF').hits:
        marked = [text for text, on in snippet_parts(hit.snippet) if on]
        assert marked, hit.snippet
        assert all(tokens(m) for m in marked)
    listed = search(archive, "tag:PREL").hits
    assert all("«" not in h.snippet and h.snippet for h in listed)


def test_json_shape(archive: Archive) -> None:
    data = search(archive, "iran", per_page=3).to_dict()
    assert set(data) >= {"total", "results", "facets", "page", "per_page"}
    assert set(data["facets"]) == {"origin", "tag", "classification", "year", "caption"}
    first = data["results"][0]
    assert set(first) >= {"reference_id", "subject", "date", "origin", "snippet"}


def test_empty_and_bad_requests(archive: Archive) -> None:
    everything = search(archive, "")
    assert everything.total == archive.conn.execute("SELECT count(*) FROM cables").fetchone()[0]
    assert everything.sort == "-date"
    assert search(archive, "", per_page=1000).per_page == MAX_PER_PAGE
    assert search(archive, "xyzzyplugh").total == 0
    assert search(archive, "origin:Atlantis").total == 0
    for kwargs in ({"page": 0}, {"per_page": 0}, {"sort": "best"}, {"page": 10_000}):
        with pytest.raises(QueryError):
            search(archive, "iran", **kwargs)
    with pytest.raises(QueryError, match="date"):
        search(archive, "iran", date_from="2009-13-01")


PIECES = [
    *'abcXYZ019 "()*-:\'/.,\\;%_?!^{}\x00é«\U0001e900',
    "AND", "OR", "NOT", "NEAR", " ", "tag:", "origin:", "date:", "year:", "has:", "subject:",
    "caption:", "classification:", "..", "2009", "redactions",
]  # fmt: skip
HOSTILE = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.one_of(HOSTILE, st.text(max_size=60)))
def test_any_query_gives_results_or_a_query_error(archive: Archive, query: str) -> None:
    try:
        result = search(archive, query, per_page=3)
    except QueryError as exc:
        assert str(exc)
    else:
        assert isinstance(result, SearchResult)
        assert result.total >= len(result.hits)


def test_cli_prints_the_same_result(sample_db: Path, archive: Archive) -> None:
    from typer.testing import CliRunner

    from cabledesk.cli import app

    runner = CliRunner()
    args = ["search", "iran", "--db", str(sample_db), "--tag", "PREL", "--per-page", "3"]
    done = runner.invoke(app, [*args, "--json", "--sort", "-date", "--page", "2"])
    assert done.exit_code == 0, done.output
    expected = search(archive, "iran", tag="PREL", per_page=3, page=2, sort="-date")
    assert json.loads(done.stdout) == json.loads(json.dumps(expected.to_dict()))
    table = runner.invoke(app, args)
    assert table.exit_code == 0
    assert f"{expected.total:,} cables match" in table.stdout
    assert "PREL" in table.stdout and "«" not in table.stdout
    bad = runner.invoke(app, ["search", "iran AND", "--db", str(sample_db)])
    assert bad.exit_code == 1
    assert "AND at character 6 needs a word after it" in bad.stderr
    for query in ("-tag:PREL iran", "-(nuclear OR moscow) iran"):  # NOT, not an option
        for argv in (
            ["search", query, "--db", str(sample_db), "--json"],
            ["search", "--db", str(sample_db), "--json", "--", query],
        ):
            done = runner.invoke(app, argv)
            assert done.exit_code == 0, (argv, done.output)
            assert json.loads(done.stdout)["total"] == search(archive, query).total
    unknown = runner.invoke(app, ["search", "iran", "--bogus", "--db", str(sample_db)])
    assert unknown.exit_code == 2 and "--bogus" in unknown.output


@pytest.mark.corpus
def test_whole_corpus_agrees_with_brute_force(
    tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path
) -> None:
    db = build_archive(corpus_dir, tmp_path_factory.mktemp("corpus") / "corpus.db", 2)
    with Archive.open(db, readonly=True) as corpus:
        everything = load_docs(corpus.conn)
        for query in (
            "putin",
            '"human rights" -torture',
            "ZANU-PF OR mugabe",
            "gov* tag:PGOV",
            "nuclear origin:MOSCOW",
            "caption:NOFORN year:2009 -iran",
            "embassy",
        ):
            expected = brute_force(everything, query)
            result = search(corpus, query)
            assert result.total == len(expected), query
            assert set(all_hits(corpus, query)) == {d.reference_id for d in expected}, query
            assert result.facets == brute_facets(expected), query
