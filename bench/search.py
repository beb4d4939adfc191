"""Latency of ``search()`` against the floor: hand-written FTS5 SQL for the same page and facets.

Builds an archive from the corpus (or takes ``--db FILE``, any cabledesk archive), generates a
fixed mix of 200 queries from the archive's own vocabulary, origins and tags (seeded, so the
same archive always gets the same mix), then times each query both ways:

* cabledesk: ``search(archive, query, sort=..., page=..., index=...)``: parsing the query
  language, filters, the page with snippets and tags, total and the five facets, with the
  in-memory facet index a long-lived process keeps (its build time is printed first), or in
  SQL alone as a one-off command runs it (``--no-index``);
* floor: the SQL a developer would write by hand for that one query, without cabledesk: a
  materialised CTE of the hits counted per facet in one statement, and the ranked page with
  ``bm25()`` and ``snippet()``. It returns the same total, page and facets; the bench checks
  that they agree, so the floor cannot cheat by doing less.

Prints p50/p95/p99 for both, the ratio, figures per kind of query and the slowest queries.
Each of the two runs first for half the queries (the first meets a colder cache).

Usage: ``python bench/search.py [--db FILE] [--corpus DIR] [--runs 3] [--seed 7] [--no-index]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from search_mix import QuerySpec, make_mix

from cabledesk.archive import Archive, ingest
from cabledesk.services import ranking
from cabledesk.services.facet_index import FacetIndex, build_facet_index
from cabledesk.services.search import SUBJECT_WEIGHT, search

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "raw"

FacetRows = dict[str, dict[str, int]]
Outcome = tuple[int, list[str], FacetRows]


def floor(archive: Archive, spec: QuerySpec) -> Outcome:
    """The hand-written SQL for one query: total, page (with snippets and tags), facets.

    Written as an SQLite expert would for this one query: the cables table is joined only
    when a filter needs it, facets are counted hit by hit (CROSS JOIN fixes the loop order),
    the ranked page comes from FTS5 ``bm25()`` in the same statement as its tie-breakers."""
    conn = archive.conn
    params: list[object] = []
    if spec.fts is not None and not spec.where:
        hits = "SELECT rowid AS id FROM cables_fts WHERE cables_fts MATCH ?"
        params.append(spec.fts)
    elif spec.fts is not None:
        hits = (
            "SELECT cables_fts.rowid AS id FROM cables_fts "
            f"CROSS JOIN cables AS c ON c.id = cables_fts.rowid "
            f"WHERE cables_fts MATCH ? AND {spec.where}"
        )
        params.extend((spec.fts, *spec.params))
    else:
        hits = f"SELECT c.id AS id FROM cables AS c WHERE {spec.where or 1}"
        params.extend(spec.params)
    rows = conn.execute(
        f"""WITH hits(id) AS MATERIALIZED ({hits})
        SELECT 'total', NULL, count(*) FROM hits
        UNION ALL SELECT 'origin', c.origin, count(*)
            FROM hits CROSS JOIN cables AS c ON c.id = hits.id GROUP BY 2
        UNION ALL SELECT 'classification', c.classification, count(*)
            FROM hits CROSS JOIN cables AS c ON c.id = hits.id GROUP BY 2
        UNION ALL SELECT 'year', c.year, count(*)
            FROM hits CROSS JOIN cables AS c ON c.id = hits.id GROUP BY 2
        UNION ALL SELECT 'tag', t.code, count(*)
            FROM hits CROSS JOIN tags AS t ON t.cable_id = hits.id GROUP BY 2
        UNION ALL SELECT 'caption', t.caption, count(*)
            FROM hits CROSS JOIN captions AS t ON t.cable_id = hits.id GROUP BY 2""",
        params,
    ).fetchall()
    total = 0
    facets: FacetRows = {k: {} for k in ("origin", "tag", "classification", "year", "caption")}
    for name, value, n in rows:
        if name == "total":
            total = n
        elif value is not None and value != "":
            facets[name][str(value)] = n
    offset = (spec.page - 1) * spec.per_page
    if spec.sort == "rank":
        where = f" AND {spec.where}" if spec.where else ""
        page_sql = (
            f"SELECT cables_fts.rowid, bm25(cables_fts, {SUBJECT_WEIGHT}, 1.0) AS score "
            "FROM cables_fts CROSS JOIN cables AS c ON c.id = cables_fts.rowid "
            f"WHERE cables_fts MATCH ?{where} "
            "ORDER BY score, c.date DESC, c.reference_id LIMIT ? OFFSET ?"
        )
        page_params = [spec.fts, *spec.params, spec.per_page, offset]
    else:
        order = "DESC" if spec.sort == "-date" else "ASC"
        page_sql = (
            f"SELECT c.id FROM ({hits}) AS h CROSS JOIN cables AS c ON c.id = h.id "
            f"ORDER BY c.date IS NULL, c.date {order}, c.reference_id {order} LIMIT ? OFFSET ?"
        )
        page_params = [*params, spec.per_page, offset]
    ids = [r[0] for r in conn.execute(page_sql, page_params)]
    marks = ",".join("?" * len(ids))
    page = conn.execute(
        "SELECT c.id, c.reference_id, c.subject, c.date, c.origin, c.classification, "
        "coalesce(c.summary, substr(v.text, 1 + coalesce((SELECT p.start FROM paragraphs AS p "
        "WHERE p.cable_id = c.id ORDER BY p.position LIMIT 1), 0), 600)), "
        "(SELECT group_concat(code) FROM tags WHERE cable_id = c.id) "
        "FROM cables AS c JOIN versions AS v ON v.cable_id = c.id AND v.number = c.version "
        f"WHERE c.id IN ({marks})",
        ids,
    ).fetchall()
    if spec.fts is not None:
        conn.execute(
            "SELECT rowid, snippet(cables_fts, -1, char(2), char(3), '…', 24) FROM cables_fts "
            f"WHERE cables_fts MATCH ? AND rowid IN ({marks})",
            [spec.fts, *ids],
        ).fetchall()
    by_id = {r[0]: r[1] for r in page}
    return total, [by_id[i] for i in ids], facets


def cabledesk(archive: Archive, spec: QuerySpec, index: FacetIndex | None) -> Outcome:
    result = search(
        archive, spec.text, sort=spec.sort, page=spec.page, per_page=spec.per_page, index=index
    )
    return result.total, [h.reference_id for h in result.hits], result.facets


def timed(fn: Callable[[Archive, QuerySpec], Outcome], archive: Archive, spec: QuerySpec) -> float:
    start = time.perf_counter()
    fn(archive, spec)
    return time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def build(corpus: Path, db: Path) -> None:
    print(f"building {db} from {corpus} ...", file=sys.stderr)
    start = time.perf_counter()
    report = ingest([corpus], db)
    print(f"  {report.added:,} cables in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an existing archive (default: build the corpus)")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder to build from")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per query (median kept)")
    ap.add_argument("--seed", type=int, default=7, help="seed of the query mix")
    ap.add_argument("--show", action="store_true", help="list every query with its figures")
    ap.add_argument(
        "--no-index", action="store_true", help="search in SQL alone, as a one-off command does"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if args.db is None:
            build(args.corpus, db)
        with Archive.open(db, readonly=True) as archive:
            run(archive, args)


def run(archive: Archive, args: argparse.Namespace) -> None:
    size = archive.conn.execute("SELECT count(*) FROM cables").fetchone()[0]
    started = time.perf_counter()
    mix = make_mix(archive.conn, random.Random(args.seed))
    print(
        f"archive: {archive.path} ({size:,} cables); mix of {len(mix)} queries made in "
        f"{time.perf_counter() - started:.1f} s; {args.runs} runs each, median kept"
    )
    index = None
    if not args.no_index:
        started = time.perf_counter()
        index = build_facet_index(archive.conn)
        print(
            f"facet index built in {time.perf_counter() - started:.2f} s "
            f"({index.nbytes / 2**20:.0f} MiB); cabledesk below searches with it, scoring "
            f"{ranking.PART_MIN:,}+ hits in up to {ranking.range_parts(10**9)} rowid ranges "
            "in parallel (one per core)"
        )
    else:
        print("no facet index: cabledesk below searches in SQL alone")

    def ours_fn(a: Archive, spec: QuerySpec) -> Outcome:
        return cabledesk(a, spec, index)

    mismatches = 0
    for spec in mix:  # warm-up, and the check that both compute the same thing
        ours, theirs = ours_fn(archive, spec), floor(archive, spec)
        if ours != theirs:
            mismatches += 1
            print(f"  MISMATCH {spec.text!r}: total {ours[0]} vs {theirs[0]}", file=sys.stderr)
    ours_t: list[float] = []
    floor_t: list[float] = []
    for i, spec in enumerate(mix):
        a, b = [], []
        for _ in range(args.runs):
            # Each goes first for half the queries: the first finds the query's pages in the
            # OS cache only, the second in SQLite's own (a few ms for a rare word's page).
            if i % 2:
                b.append(timed(floor, archive, spec))
                a.append(timed(ours_fn, archive, spec))
            else:
                a.append(timed(ours_fn, archive, spec))
                b.append(timed(floor, archive, spec))
        ours_t.append(statistics.median(a) * 1000)
        floor_t.append(statistics.median(b) * 1000)
    print(f"results identical to the floor: {len(mix) - mismatches}/{len(mix)}")
    print(f"{'':14}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}  (ms)")
    for name, t in (("cabledesk", ours_t), ("floor", floor_t)):
        print(f"{name:14}" + "".join(f"{pct(t, p):9.1f}" for p in (50, 95, 99, 100)))
    ratio = "".join(f"{pct(ours_t, p) / max(pct(floor_t, p), 1e-9):9.2f}" for p in (50, 95, 99))
    print(f"{'ratio':14}{ratio}")
    per_query = [o / max(f, 1e-9) for o, f in zip(ours_t, floor_t, strict=True)]
    print(
        f"per-query ratio: median {statistics.median(per_query):.2f}, p95 {pct(per_query, 95):.2f}"
    )
    print(f"\n{'kind':16}{'n':>4}{'cabledesk p50':>15}{'floor p50':>11}{'hits p50':>10}")
    kinds = sorted({s.kind for s in mix})
    for kind in kinds:
        idx = [i for i, s in enumerate(mix) if s.kind == kind]
        totals = [ours_fn(archive, mix[i])[0] for i in idx]
        print(
            f"{kind:16}{len(idx):4}{statistics.median(ours_t[i] for i in idx):15.1f}"
            f"{statistics.median(floor_t[i] for i in idx):11.1f}"
            f"{statistics.median(totals):10,.0f}"
        )
    listed = None if args.show else 6
    for title, key in (
        ("slowest", lambda i: -ours_t[i]),
        ("furthest from the floor", lambda i: -per_query[i]),
    ):
        print(f"\n{title} (cabledesk ms, floor ms):")
        for i in sorted(range(len(mix)), key=key)[:listed]:
            print(
                f"  {ours_t[i]:8.1f} {floor_t[i]:8.1f}  {mix[i].kind:14} {mix[i].text!r}"
                f" sort={mix[i].sort} page={mix[i].page}"
            )


if __name__ == "__main__":
    main()
