"""Source protection over HTTP: editors only, every endpoint, bad parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cabledesk.archive import Archive, ingest
from cabledesk.archive.protection import add_protected_name
from cabledesk.web import create_app

EVAL = Path(__file__).parent / "data" / "protect_eval"
ENDPOINTS = ["/api/people", "/api/protect", "/api/protect/plan", "/api/releases", "/api/audit"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "a.db"
    ingest([EVAL / "cables" / "04BAGHDAD4.txt", EVAL / "cables" / "07MOSCOW104.txt"], path)
    with Archive.open(path) as archive:
        add_protected_name(archive, "Hoshyar Zebari")
    return path


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_public_server_refuses_source_protection(db: Path, url: str) -> None:
    response = TestClient(create_app(db)).get(url)
    assert response.status_code == 403
    assert "editor" in response.json()["detail"]
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_editors_server_answers(db: Path, url: str) -> None:
    response = TestClient(create_app(db, editor=True)).get(url)
    assert response.status_code == 200, response.text


def test_plan_and_people_carry_the_protected_mentions(db: Path) -> None:
    client = TestClient(create_app(db, editor=True))
    plan = client.get("/api/protect/plan").json()["plan"]
    assert {p["text"] for p in plan} == {"HOSHYAR ZEBARI"}
    assert all(p["reference_id"] == "04BAGHDAD4" for p in plan)
    names = {p["name"] for p in client.get("/api/people").json()["people"]}
    assert any("Zebari" in n for n in names)
    assert client.get("/api/protect").json()["protected"][0]["pseudonym"] == "Person 1"
    findings = client.get("/api/audit", params={"reference_id": "07MOSCOW104"}).json()
    assert any(f["name"] == "Chun" for f in findings["findings"])
    everything = client.get("/api/audit").json()  # cables with redactions or versions
    assert everything["cables_audited"] == everything["cables_eligible"] == 1
    assert any(f["name"] == "Chun" for f in everything["findings"])


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/protect/plan", {"min_confidence": "2"}),
        ("/api/people", {"limit": "0"}),
        ("/api/audit", {"min_risk": "x"}),
    ],
)
def test_bad_parameters_are_422(db: Path, url: str, params: dict[str, str]) -> None:
    assert TestClient(create_app(db, editor=True)).get(url, params=params).status_code == 422


def test_editor_page_lists_protected_names_plan_and_audit(db: Path) -> None:
    public = TestClient(create_app(db)).get("/protect")
    assert public.status_code == 403 and "editor" in public.text
    assert "/protect" not in TestClient(create_app(db)).get("/").text
    client = TestClient(create_app(db, editor=True))
    page = client.get("/protect")
    assert page.status_code == 200
    assert "Hoshyar Zebari" in page.text and "Person 1" in page.text
    assert 'href="/cables/04BAGHDAD4"' in page.text
    assert "Chun" in page.text  # the seed's leak, from the audit
    assert 'href="/protect"' in client.get("/").text


def test_editor_edits_the_protect_list(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    ingest([EVAL / "cables" / "04BAGHDAD4.txt"], db)
    public = TestClient(create_app(db))
    assert public.post("/api/protect", json={"name": "Zebari"}).status_code == 403
    client = TestClient(create_app(db, editor=True))
    added = client.post("/api/protect", json={"name": "Hoshyar Zebari", "note": "source"})
    assert added.status_code == 201 and added.json()["pseudonym"] == "Person 1"
    again = client.post("/api/protect", json={"name": "hoshyar  ZEBARI"})
    assert again.status_code == 400 and "already" in again.json()["detail"]
    assert client.post("/api/protect", json={"name": ""}).status_code == 422
    assert client.post("/api/protect", json={"name": "X", "kind": "city"}).status_code == 422
    plan = client.get("/api/protect/plan").json()["plan"]
    assert [p["text"] for p in plan] == ["HOSHYAR ZEBARI", "HOSHYAR ZEBARI"]
    assert client.delete("/api/protect/Hoshyar Zebari").status_code == 200
    assert client.delete("/api/protect/Hoshyar Zebari").status_code == 404
    assert client.get("/api/protect").json()["protected"] == []
