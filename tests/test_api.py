"""The JSON API (``cabledesk.web``): every endpoint against the services it wraps, over a real
archive of the sample, and every kind of bad parameter answered with a clear 4xx, never a 500."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cabledesk.archive import Archive, ingest_records
from cabledesk.services.export import export_cables
from cabledesk.services.reading import version_diff
from cabledesk.services.refs import cable_references
from cabledesk.services.search import search
from cabledesk.services.selection import Selection
from cabledesk.sources.text import read_text_file
from cabledesk.web import create_app
from cabledesk.web.security import CONTENT_SECURITY_POLICY


@pytest.fixture(scope="session")
def api_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("api") / "sample.db"
    with Archive.open(db) as archive:
        records = (read_text_file(p) for p in sorted(sample_dir.glob("*.txt")))
        ingest_records(records, archive, workers=0)
    return db


@pytest.fixture(scope="session")
def client(api_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(api_db)) as test_client:
        yield test_client


@pytest.fixture()
def archive(api_db: Path) -> Iterator[Archive]:
    with Archive.open(api_db, readonly=True) as opened:
        yield opened


def _error(client: TestClient, url: str, status: int) -> object:
    response = client.get(url)
    assert response.status_code == status, (url, response.text)
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    detail = response.json()["detail"]
    assert detail
    return detail


# --- /api/search --------------------------------------------------------------------------------


def test_search_returns_the_services_page_facets_and_pages(
    client: TestClient, archive: Archive
) -> None:
    body = client.get("/api/search", params={"q": "iran nuclear"}).json()
    expected = search(archive, "iran nuclear")
    assert body["total"] == expected.total > 20
    assert body["pages"] == expected.pages
    assert [r["reference_id"] for r in body["results"]] == [h.reference_id for h in expected.hits]
    assert body["facets"] == expected.facets
    assert all("«" in r["snippet"] for r in body["results"])


def test_search_filters_are_the_options_of_search(client: TestClient, archive: Archive) -> None:
    params = {
        "q": "government",
        "origin": "London",
        "tag": ["PREL", "UK"],
        "from": "2008",
        "to": "2009-12",
        "sort": "-date",
    }
    body = client.get("/api/search", params=params).json()
    expected = search(
        archive,
        "government",
        origin="London",
        tag=["PREL", "UK"],
        date_from="2008",
        date_to="2009-12",
        sort="-date",
    )
    assert body["total"] == expected.total > 0
    assert [r["reference_id"] for r in body["results"]] == [h.reference_id for h in expected.hits]
    assert {r["origin"] for r in body["results"]} == {"Embassy London"}
    assert all({"PREL", "UK"} <= set(r["tags"]) for r in body["results"])
    dates = [r["date"] for r in body["results"]]
    assert dates == sorted(dates, reverse=True)


def test_search_flags_and_single_value_filters(client: TestClient, archive: Archive) -> None:
    redacted = client.get("/api/search", params={"has_redactions": "true"}).json()
    assert redacted["total"] == search(archive, has_redactions=True).total > 0
    secret = client.get(
        "/api/search", params={"classification": "secret", "caption": "NOFORN"}
    ).json()
    assert secret["total"] == search(archive, classification="SECRET", caption="NOFORN").total
    assert {r["classification"] for r in secret["results"]} == {"SECRET"}
    no_facets = client.get("/api/search", params={"q": "iran", "facets": "false"}).json()
    assert no_facets["facets"] == {}


def test_search_pages_never_overlap(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "embassy", "per_page": 7}).json()
    second = client.get("/api/search", params={"q": "embassy", "per_page": 7, "page": 2}).json()
    one = [r["reference_id"] for r in first["results"]]
    two = [r["reference_id"] for r in second["results"]]
    assert len(one) == len(two) == 7 and not set(one) & set(two)
    assert second["page"] == 2 and first["pages"] == -(-first["total"] // 7)


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"q": "("}, 400, "never closed"),
        ({"q": "a OR"}, 400, "needs a word"),
        ({"q": "x" * 1001}, 400, "too long"),
        ({"from": "2008-13"}, 400, "not a date"),
        ({"q": "date:2009..2008"}, 400, "ends before it starts"),
        ({"q": "has:bananas"}, 400, "has:"),
        ({"page": 600}, 400, "10,000"),
        ({"page": 0}, 422, "greater than or equal to 1"),
        ({"page": "two"}, 422, "integer"),
        ({"per_page": 0}, 422, "greater than or equal to 1"),
        ({"per_page": 101}, 422, "less than or equal to 100"),
        ({"sort": "relevance"}, 422, "rank"),
        ({"has_redactions": "perhaps"}, 422, "boolean"),
    ],
)
def test_search_bad_parameters_are_clear_client_errors(
    client: TestClient, params: dict[str, object], status: int, says: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == status, response.text
    assert says in json.dumps(response.json()["detail"])


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
_QUERY = st.one_of(
    _TEXT,
    st.lists(
        st.sampled_from(
            ["iran", "OR", "AND", "NOT", "-", "(", ")", '"', "*", "origin:", "tag:PREL", "a", ":"]
        ),
        max_size=8,
    ).map(" ".join),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=_QUERY,
    origin=_TEXT,
    tag=_TEXT,
    date_from=_TEXT,
    sort=st.sampled_from(["rank", "date", "-date", "", "x"]),
    page=st.one_of(st.integers(-3, 700).map(str), _TEXT),
)
def test_search_never_fails_on_any_input(
    client: TestClient, q: str, origin: str, tag: str, date_from: str, sort: str, page: str
) -> None:
    params = {"q": q, "origin": origin, "tag": tag, "from": date_from, "sort": sort, "page": page}
    response = client.get("/api/search", params=params)
    assert response.status_code in (200, 400, 422), (params, response.text)
    body = response.json()
    if response.status_code == 200:
        assert body["total"] >= len(body["results"])
    else:
        assert body["detail"]


# --- cables -------------------------------------------------------------------------------------


def test_cable_has_fields_text_findings_and_versions(client: TestClient, sample_dir: Path) -> None:
    body = client.get("/api/cables/09THEHAGUE2").json()
    assert body["archive_id"] == "09THEHAGUE2"
    assert body["subject"] == "NETHERLANDS: SHELL DISCUSSES BUSINESS IN IRAN"
    assert body["text"] == read_text_file(sample_dir / "09THEHAGUE2.txt").text
    assert [t["code"] for t in body["tags"]] == ["ENRG", "EPET", "ETTC", "PREL", "NL", "IR"]
    assert isinstance(body["findings"], list)
    assert [v["number"] for v in body["versions"]] == [1]
    assert client.get("/api/cables/09 the hague 2").json()["archive_id"] == "09THEHAGUE2"


def test_unknown_cable_is_a_404_without_the_servers_path(client: TestClient, api_db: Path) -> None:
    detail = _error(client, "/api/cables/09NOWHERE1", 404)
    assert "no such cable" in str(detail) and str(api_db) not in str(detail)


def test_refs_are_cable_references(client: TestClient, archive: Archive) -> None:
    body = client.get("/api/cables/08PARIS1698/refs").json()
    assert body == json.loads(json.dumps(cable_references(archive, "08PARIS1698").to_dict()))
    statuses = [r["status"] for r in body["references"]]
    assert statuses == ["held", "not held", "unresolved", "unresolved"]
    cited = client.get("/api/cables/08PARIS1501/refs").json()
    assert "08PARIS1698" in [c["reference_id"] for c in cited["cited_by"]]
    cited_only = client.get("/api/cables/07LIMA2000/refs").json()
    assert cited_only["held"] is False and cited_only["cited_by"]
    _error(client, "/api/cables/09NOWHERE1/refs", 404)


def test_graph_walks_citations_both_ways(client: TestClient) -> None:
    near = client.get("/api/cables/09BERLIN1197/graph").json()
    ids = {n["reference_id"] for n in near["nodes"]}
    assert near["center"] == "09BERLIN1197" and near["depth"] == 2
    assert {"09BERLIN1176", "09BERLIN1188", "09BERLIN32"} <= ids  # 09BERLIN32 via 09BERLIN1176
    assert all(e["source"] in ids and e["target"] in ids for e in near["edges"])
    one = client.get("/api/cables/09BERLIN1197/graph", params={"depth": 1}).json()
    assert "09BERLIN32" not in {n["reference_id"] for n in one["nodes"]}
    small = client.get("/api/cables/09BERLIN1197/graph", params={"max_nodes": 2}).json()
    assert len(small["nodes"]) == 2 and small["truncated"] is True
    for bad in ({"depth": 0}, {"depth": 5}, {"max_nodes": 0}, {"depth": "deep"}):
        assert client.get("/api/cables/09THEHAGUE2/graph", params=bad).status_code == 422
    _error(client, "/api/cables/09NOWHERE1/graph", 404)


def test_versions_and_their_diff(client: TestClient, archive: Archive) -> None:
    one = client.get("/api/cables/08MANAMA492/versions/1").json()
    two = client.get("/api/cables/08MANAMA492/versions/2").json()
    assert one["version"] == 1 and two["version"] == 2 == two["current_version"]
    assert one["text"] != two["text"]
    diff = client.get("/api/cables/08MANAMA492/versions/1/diff").json()
    assert diff == {
        "reference_id": "08MANAMA492",
        "from": 1,
        "to": 2,
        "diff": version_diff(archive, "08MANAMA492", 1, 2),
    }
    assert diff["diff"].startswith("--- 08MANAMA492 version 1")
    same = client.get("/api/cables/08MANAMA492/versions/2/diff", params={"to": 2}).json()
    assert same["diff"] == ""
    assert "versions held: 1, 2" in str(_error(client, "/api/cables/08MANAMA492/versions/3", 404))
    _error(client, "/api/cables/08MANAMA492/versions/1/diff?to=9", 404)
    _error(client, "/api/cables/08MANAMA492/versions/0", 422)
    _error(client, "/api/cables/08MANAMA492/versions/first", 422)


# --- stats, origins, export ---------------------------------------------------------------------


def test_stats_counts_and_origin_filter(client: TestClient, archive: Archive) -> None:
    body = client.get("/api/stats").json()
    assert {k: body[k] for k in ("cables", "versions", "quarantined")} == archive.counts()
    london = client.get("/api/stats", params={"origin": "London"}).json()
    assert london["origins"] == [{"origin": "Embassy London", "cables": 29}]
    assert {c["origin"] for c in london["coverage"]} == {"Embassy London"}
    assert "Atlantis" in str(_error(client, "/api/stats?origin=Atlantis", 400))


def test_origin_profile(client: TestClient, archive: Archive) -> None:
    body = client.get("/api/origins/London").json()
    assert body["origin"] == "Embassy London" and body["cables"] == 29
    assert sum(m["cables"] for m in body["by_month"]) == 29
    tags = archive.conn.execute(
        "SELECT t.code, count(*) FROM tags t JOIN cables c ON c.id = t.cable_id "
        "WHERE c.origin = 'Embassy London' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3"
    ).fetchall()
    assert [(t["tag"], t["cables"]) for t in body["top_tags"][:3]] == tags
    assert all(c["station"] == "LONDON" and c["held"] >= 1 for c in body["coverage"])
    assert body["top_addressees"][0]["cables"] >= body["top_addressees"][-1]["cables"]
    _error(client, "/api/origins/Atlantis", 404)


def test_export_jsonl_is_the_cli_export(
    client: TestClient, archive: Archive, tmp_path: Path
) -> None:
    response = client.get("/api/export", params={"format": "jsonl", "origin": "London"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert "cables.jsonl" in response.headers["content-disposition"]
    out = tmp_path / "london.jsonl"
    export_cables(archive, out, "jsonl", Selection(origins=("London",)))
    assert response.text == out.read_text("utf-8")
    assert len(response.text.splitlines()) == 29


def test_export_csv_of_a_search_keeps_search_order(client: TestClient, archive: Archive) -> None:
    response = client.get("/api/export", params={"format": "csv", "q": "iran", "from": "2009"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = search(archive, "iran", date_from="2009", per_page=100)
    assert [r["reference_id"] for r in rows[:100]] == [h.reference_id for h in expected.hits]
    assert len(rows) == expected.total


def test_export_refuses_before_streaming(client: TestClient) -> None:
    assert "Atlantis" in str(_error(client, "/api/export?origin=Atlantis", 400))
    assert "never closed" in str(_error(client, "/api/export?q=(", 400))
    assert "from" in str(_error(client, "/api/export?from=June", 400))
    _error(client, "/api/export?format=parquet", 422)


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/search",
        "/api/cables/{reference_id}",
        "/api/cables/{reference_id}/refs",
        "/api/cables/{reference_id}/graph",
        "/api/cables/{reference_id}/versions/{number}",
        "/api/cables/{reference_id}/versions/{number}/diff",
        "/api/origins/{name}",
        "/api/stats",
        "/api/export",
        "/api/people",
        "/api/protect",
        "/api/protect/{name}",
        "/api/protect/plan",
        "/api/releases",
        "/api/audit",
    }


def test_unknown_api_path_and_method_are_json_errors(client: TestClient) -> None:
    _error(client, "/api/nothing", 404)
    response = client.post("/api/search")
    assert response.status_code == 405 and response.json()["detail"]
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_answers_follow_the_archive_as_it_grows(tmp_path: Path, sample_dir: Path) -> None:
    """Searches, facets and profiles are cached, but never past a change of the archive."""
    files = sorted(sample_dir.glob("*LONDON*.txt"))
    db = tmp_path / "growing.db"
    with Archive.open(db) as archive:
        ingest_records([read_text_file(p) for p in files[:-1]], archive, workers=0)
    with TestClient(create_app(db)) as growing:
        before = growing.get("/api/search", params={"origin": "London"}).json()
        profile = growing.get("/api/origins/London").json()
        assert growing.get("/api/search", params={"origin": "London"}).json() == before
        with Archive.open(db) as archive:
            ingest_records([read_text_file(files[-1])], archive, workers=0)
        after = growing.get("/api/search", params={"origin": "London"}).json()
        assert after["total"] == before["total"] + 1
        assert sum(after["facets"]["origin"].values()) == after["total"]
        assert growing.get("/api/origins/London").json()["cables"] == profile["cables"] + 1
