"""The HTML pages of ``cabledesk serve`` (FastAPI's TestClient over a real archive of the
sample): what each page shows, that cable text always renders as text, and that every response
carries the Content-Security-Policy the pages are written for."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import cabledesk.web
from cabledesk.archive import Archive, ingest_records
from cabledesk.cli import app as cli_app
from cabledesk.services.search import search
from cabledesk.sources.records import RawCable
from cabledesk.sources.text import read_text_file
from cabledesk.telegram import parse
from cabledesk.telegram.mentions import find_ref_mentions
from cabledesk.web import create_app
from cabledesk.web.security import CONTENT_SECURITY_POLICY
from cabledesk.web.templating import visible

WEB = Path(cabledesk.web.__file__).parent

HOSTILE = (
    "<script>alert(1)</script> &amp; &lt;b&gt; \u202eEVIL\u202c ZERO\u200bWIDTH \x07BELL \U0001f600"
)
"""Markup, HTML entities, a right-to-left override, a zero-width space, a control character
and an emoji: what a hostile (or merely odd) cable can hold."""


class Page(HTMLParser):
    """The elements of a page: (tag, attributes) in order, and the text inside each element
    that has an ``id`` or ``data-testid`` (entities decoded, as a browser shows it)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[tuple[str, list[str]]] = []
        self.feed(html)

    _VOID = {"meta", "link", "input", "br", "img", "hr", "rect", "line", "path", "circle"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag in self._VOID:
            return
        keys = [f"#{found['id']}"] if "id" in found else []
        keys += [found["data-testid"]] if "data-testid" in found else []
        for key in keys:
            self.texts.setdefault(key, []).append("")
        self._open.append((tag, keys))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, _keys = self._open.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, keys in self._open:
            for key in keys:
                self.texts[key][-1] += data

    def text(self, key: str) -> str:
        """Text of the first element with this ``data-testid`` (or ``#id``)."""
        return self.texts[key][0]

    def all_text(self, key: str) -> list[str]:
        return self.texts.get(key, [])

    def attrs(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        """Attributes of each ``tag`` element having the ``wanted`` values (``_`` for ``-``)."""
        want = {k.replace("_", "-"): v for k, v in wanted.items()}
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in want.items())]


def _build(db: Path, records: list[RawCable]) -> Path:
    with Archive.open(db) as archive:
        ingest_records(records, archive, workers=0)
    return db


@pytest.fixture(scope="session")
def pages_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    records = [read_text_file(p) for p in sorted(sample_dir.glob("*.txt"))]
    return _build(tmp_path_factory.mktemp("pages") / "sample.db", records)


@pytest.fixture(scope="session")
def client(pages_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(pages_db), follow_redirects=False) as test_client:
        yield test_client


def _hostile_text(sample_dir: Path) -> RawCable:
    """09THEHAGUE2 with :data:`HOSTILE` in its subject, its first paragraph and a REF entry."""
    raw = read_text_file(sample_dir / "09THEHAGUE2.txt")
    text = raw.text.replace(
        "SUBJECT: NETHERLANDS: SHELL DISCUSSES BUSINESS IN IRAN", f"SUBJECT: {HOSTILE}"
    )
    text = text.replace("SUMMARY: The Dutch", f"SUMMARY: {HOSTILE} The Dutch")
    text = text.replace("¶B. THE HAGUE 276", "¶B. THE HAGUE 276 <img src=x onerror=alert(2)>")
    assert text.count(HOSTILE) == 2
    return RawCable(text, "hostile/09THEHAGUE2.txt", raw.hints)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[TestClient]:
    db = _build(tmp_path_factory.mktemp("hostile") / "hostile.db", [_hostile_text(sample_dir)])
    with TestClient(create_app(db), follow_redirects=False) as test_client:
        yield test_client


def _page(client: TestClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return Page(response.text)


# --- search -------------------------------------------------------------------------------------


def test_search_page_shows_hits_facets_histogram_and_pages(client: TestClient) -> None:
    page = _page(client, "/?q=iran")
    assert page.attrs("input", id="q", value="iran", data_testid="search-input")
    assert page.attrs("label", **{"for": "q"})
    links = page.attrs("a", data_testid="result-link")
    assert len(links) == 20 and all(a["href"].startswith("/cables/") for a in links)
    count = page.text("result-count")
    total = int(re.search(r"([\d,]+) cables", count).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert total > 20 and f"of {-(-total // 20)}" in count
    facets = {a["data-facet"] for a in page.attrs("a", data_testid="facet-link")}
    assert facets == {"origin", "tag", "classification", "year", "caption"}
    assert page.attrs("figure", data_testid="histogram") and page.attrs("rect")
    assert page.attrs("a", data_testid="page-next")
    marks = [t for t, _a in page.tags if t == "mark"]
    assert len(marks) >= 20


def test_a_facet_link_narrows_to_its_count(client: TestClient) -> None:
    page = _page(client, "/?q=iran")
    for facet in ("origin", "tag", "classification", "caption"):
        link = page.attrs("a", data_testid="facet-link", data_facet=facet)[0]
        params = parse_qs(urlsplit(link["href"]).query)
        assert params == {"q": ["iran"], facet: [link["data-value"]]}
        narrowed = _page(client, link["href"])
        assert (
            narrowed.text("result-count").strip().startswith(f"{int(link['data-count']):,} cable")
        )
        assert narrowed.attrs("a", data_testid="remove-filter")
    year = page.attrs("a", data_testid="facet-link", data_facet="year")[0]
    year_params = parse_qs(urlsplit(year["href"]).query)
    assert year_params["from"] == year_params["to"] == [year["data-value"]]
    by_year = _page(client, year["href"])
    assert by_year.text("result-count").strip().startswith(f"{int(year['data-count']):,} cable")


def test_search_page_agrees_with_search(client: TestClient, pages_db: Path) -> None:
    page = _page(client, "/?q=nuclear&tag=PREL&sort=-date&page=2&per_page=10")
    with Archive.open(pages_db, readonly=True) as archive:
        expected = search(archive, "nuclear", tag="PREL", sort="-date", page=2, per_page=10)
    hrefs = [a["href"] for a in page.attrs("a", data_testid="result-link")]
    assert hrefs == [f"/cables/{h.reference_id}" for h in expected.hits]
    assert page.attrs("option", value="-date", selected="")
    assert page.attrs("ol", start="11")


def test_empty_search_lists_the_archive_newest_first(client: TestClient) -> None:
    page = _page(client, "/")
    assert "321 cables" in page.text("result-count")
    assert page.attrs("figure", data_testid="histogram")


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("q=%28", "never closed"),
        ("q=iran&page=abc", "page='abc'"),
        ("q=iran&per_page=1000", "at most 100"),
        ("q=iran&sort=best", "sort='best'"),
        ("from=2009-13", "not a date"),
        ("q=iran&page=900", "10,000"),
        ("has_redactions=maybe", "has_redactions"),
    ],
)
def test_bad_search_input_gives_the_page_back_with_the_problem(
    client: TestClient, query: str, says: str
) -> None:
    page = _page(client, f"/?{query}", 400)
    assert says in page.text("search-error")
    assert page.attrs("input", id="q")


# --- one cable ----------------------------------------------------------------------------------


def test_cable_page_decodes_the_header(client: TestClient) -> None:
    page = _page(client, "/cables/09THEHAGUE2")
    assert page.text("cable-subject") == "NETHERLANDS: SHELL DISCUSSES BUSINESS IN IRAN"
    header = page.text("header")
    assert "RR (ROUTINE)" in header
    assert "RUEHTC (Embassy The Hague) #0002 section 01 filed day 002 at 09:03Z" in header
    assert "ZNY CCCCC (CONFIDENTIAL)" in header
    assert "RUEHAG (" in header  # FL2 routing indicators with their posts
    classification = page.text("classification")
    assert "E.O. 12958: 2019-01-01" in classification
    assert "1.4(b) foreign government information" in classification
    assert "No Foreign Distribution" in page.text("captions")
    tags = page.text("tags")
    assert "Petroleum and Natural Gas" in tags and "The Netherlands" in tags
    assert "SECSTATE WASHDC" in page.text("addressees")
    assert page.attrs("a", data_testid="graph-link", href="/cables/09THEHAGUE2/graph")
    assert page.attrs("a", data_testid="origin-link", href="/origins/Embassy%20The%20Hague")


@pytest.mark.parametrize("ref_id", ["09THEHAGUE2", "05ISTANBUL329", "07TBILISI1732", "08MANAMA492"])
def test_cable_text_is_whole_with_marks_redactions_and_mentions(
    client: TestClient, ref_id: str
) -> None:
    """Every character of the text is on the page, in order; the marked runs are the
    parser's portion marks, redactions and REF mentions."""
    cable = parse(client.get(f"/api/cables/{ref_id}").json()["text"])
    response = client.get(f"/cables/{ref_id}")
    page = Page(response.text)
    assert page.text("cable-text") == visible(cable.text)
    pre = response.text.split('data-testid="cable-text">', 1)[1].split("</pre>", 1)[0]
    redactions = re.findall(r'<span class="redaction"[^>]*>(.*?)</span>', pre)
    assert len(redactions) == len(cable.redactions)
    assert all(set(r) == {"X"} for r in redactions)
    marks = [f"({p.mark})" for p in cable.paragraphs if p.mark]
    portions = re.findall(r'<span class="portion"[^>]*>(.*?)</span>', pre)
    assert portions == marks
    anchors = {a["id"] for _t, a in page.tags if a.get("id", "").startswith("ref-")}
    for mention in page.attrs("a", data_testid="ref-mention"):
        assert mention["href"][1:] in anchors


def test_references_link_held_cables_and_label_the_rest(client: TestClient) -> None:
    page = _page(client, "/cables/08PARIS1698")
    entries = page.attrs("li", data_testid="ref-entry")
    assert [e["data-status"] for e in entries] == ["held", "not held", "unresolved", "unresolved"]
    assert [a["href"] for a in page.attrs("a", data_testid="ref-link")] == ["/cables/08PARIS1501"]
    assert "not held" in page.all_text("refs")[0]
    cited = _page(client, "/cables/08PARIS1501")
    assert {"href": "/cables/08PARIS1698", "data-testid": "cited-by-link"} in cited.attrs("a")
    tbilisi = parse(client.get("/api/cables/07TBILISI1732").json()["text"])
    tied = {(m.start, m.end) for m in find_ref_mentions(tbilisi) if m.ref_index is not None}
    mentions = _page(client, "/cables/07TBILISI1732").attrs("a", data_testid="ref-mention")
    assert len(mentions) == len(tied) >= 5
    assert all(m["href"].startswith("#ref-") for m in mentions)


def test_versions_with_their_differences(client: TestClient) -> None:
    page = _page(client, "/cables/08MANAMA492")
    assert page.attrs("a", data_testid="version-link", href="/cables/08MANAMA492/versions/1")
    diff = page.text("diff")
    assert diff.startswith("--- 08MANAMA492 version 1\n+++ 08MANAMA492 version 2")
    older = _page(client, "/cables/08MANAMA492/versions/1")
    assert "version 1" in older.text("reference-id")
    assert older.text("cable-text") != page.text("cable-text")
    assert "no version 9" in _page(client, "/cables/08MANAMA492/versions/9", 404).text(
        "error-message"
    )
    _page(client, "/cables/08MANAMA492/versions/latest", 404)
    current = client.get("/cables/08MANAMA492/versions/2")
    assert current.status_code == 302 and current.headers["location"] == "/cables/08MANAMA492"


def test_other_spellings_redirect_to_the_canonical_page(client: TestClient) -> None:
    response = client.get("/cables/09%20the%20hague%202")
    assert response.status_code == 302 and response.headers["location"] == "/cables/09THEHAGUE2"


def test_unknown_cable_is_404_with_the_cables_citing_it(client: TestClient) -> None:
    page = _page(client, "/cables/07LIMA2000", 404)
    assert page.attrs("a", data_testid="cited-by-link")
    nothing = _page(client, "/cables/09NOWHERE1", 404)
    assert "does not hold" in nothing.text("error-message")
    assert not nothing.attrs("a", data_testid="cited-by-link")


# --- graph, origin, docs ------------------------------------------------------------------------


def test_graph_page_points_the_script_at_the_api(client: TestClient) -> None:
    page = _page(client, "/cables/09BERLIN1197/graph")
    (svg,) = page.attrs("svg", id="graph")
    assert svg["data-src"] == "/api/cables/09BERLIN1197/graph?depth=2"
    assert client.get(svg["data-src"]).status_code == 200
    nodes = [a["href"] for a in page.attrs("a", data_testid="graph-node-link")]
    assert "/cables/09BERLIN1176" in nodes
    assert page.attrs("script", src="/static/graph.js")
    _page(client, "/cables/09NOWHERE1/graph", 404)


def test_origin_page_has_traffic_coverage_tags_and_correspondents(client: TestClient) -> None:
    response = client.get("/origins/London")
    assert response.status_code == 302
    assert response.headers["location"] == "/origins/Embassy%20London"
    page = _page(client, "/origins/Embassy%20London")
    assert page.text("origin-name") == "Embassy London"
    assert page.attrs("figure", data_testid="traffic-chart")
    assert page.attrs("figure", data_testid="coverage-chart")
    assert "LONDON" in page.text("coverage")
    assert "PREL" in page.text("top-tags")
    assert "SECSTATE WASHDC" in page.text("top-addressees")
    search_link = page.attrs("a", data_testid="origin-search")[0]["href"]
    assert parse_qs(urlsplit(search_link).query)["origin"] == ["Embassy London"]
    assert "Atlantis" in _page(client, "/origins/Atlantis", 404).text("error-message")


def test_docs_are_served_by_cabledesk_itself(client: TestClient) -> None:
    page = _page(client, "/docs")
    scripts = [a["src"] for a in page.attrs("script")]
    styles = [a["href"] for a in page.attrs("link") if a.get("rel") == "stylesheet"]
    assert scripts and styles
    for url in scripts + styles:
        assert url.startswith("/static/"), url
        response = client.get(url)
        assert response.status_code == 200 and len(response.content) > 100
    assert client.get("/openapi.json").json()["info"]["title"] == "cabledesk"


# --- hostile text -------------------------------------------------------------------------------


def test_hostile_text_renders_as_text_on_the_search_page(hostile: TestClient) -> None:
    response = hostile.get("/", params={"q": "alert"})
    assert response.status_code == 200
    html = response.text
    assert "<script>alert" not in html and "<img" not in html
    assert "\u202e" not in html and "\x07" not in html
    page = Page(html)
    (link,) = page.all_text("result-link")
    assert link == visible(HOSTILE)
    assert "[U+202E RIGHT-TO-LEFT OVERRIDE]EVIL" in link and "ZERO\u200bWIDTH" in link
    assert "\ufffdBELL \U0001f600" in link and "&amp; &lt;b&gt;" in link
    assert all(a["src"].startswith("/static/") for a in page.attrs("script"))


def test_hostile_text_renders_as_text_on_the_cable_page(hostile: TestClient) -> None:
    response = hostile.get("/cables/09THEHAGUE2")
    html = response.text
    assert "<script>alert" not in html and "<img" not in html and "\u202e" not in html
    page = Page(html)
    assert page.text("cable-subject") == visible(HOSTILE)
    assert visible(HOSTILE) in page.text("cable-text")
    assert "<img src=x onerror=alert(2)>" in page.text("cable-text")
    assert all(a["src"].startswith("/static/") for a in page.attrs("script"))


def test_hostile_text_is_exact_in_the_api(hostile: TestClient) -> None:
    body = hostile.get("/api/cables/09THEHAGUE2").json()
    assert body["subject"] == HOSTILE and HOSTILE in body["text"]
    hit = hostile.get("/api/search", params={"q": "alert"}).json()["results"][0]
    assert hit["subject"] == HOSTILE
    response = hostile.get("/api/cables/09THEHAGUE2")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"


# --- headers, markup rules, layering ------------------------------------------------------------


def test_every_response_carries_the_content_security_policy(client: TestClient) -> None:
    urls = {
        "/": 200,
        "/?q=%28": 400,
        "/cables/09THEHAGUE2": 200,
        "/cables/09NOWHERE1": 404,
        "/cables/09%20the%20hague%202": 302,
        "/no/such/page": 404,
        "/static/style.css": 200,
        "/static/graph.js": 200,
        "/static/nothing.css": 404,
        "/static/swagger/swagger-ui-bundle.js": 200,
        "/docs": 200,
        "/openapi.json": 200,
        "/api/search?q=iran": 200,
        "/api/search?q=%28": 400,
        "/api/search?page=0": 422,
        "/api/cables/09NOWHERE1": 404,
        "/api/export?origin=London": 200,
    }
    for url, status in urls.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, url
        assert response.headers["x-frame-options"] == "DENY", url
    assert client.post("/").headers["content-security-policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "url",
    [
        "/?q=iran",
        "/cables/09THEHAGUE2",
        "/cables/08MANAMA492/versions/1",
        "/cables/09BERLIN1197/graph",
        "/origins/Embassy%20London",
        "/cables/09NOWHERE1",
        "/docs",
    ],
)
def test_pages_keep_to_the_policy_and_basic_accessibility(client: TestClient, url: str) -> None:
    response = client.get(url)
    page = Page(response.text)
    assert page.attrs("html", lang="en")
    for tag, attrs in page.tags:
        assert tag != "style", url
        assert "style" not in attrs, (url, tag)
        assert not any(name.startswith("on") for name in attrs), (url, tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), (url, attrs)
    assert "<script>" not in response.text
    labelled = {a["for"] for a in page.attrs("label") if "for" in a}
    for attrs in page.attrs("input") + page.attrs("select"):
        if attrs.get("type") != "hidden":
            assert attrs.get("id") in labelled, (url, attrs)
    if url != "/docs":
        assert page.attrs("main", id="main") and page.attrs("a", href="#main")


def test_the_web_layer_reads_only_through_the_read_context() -> None:
    offenders = []
    for path in sorted(WEB.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.search(r"\bsqlite3\b|\.conn\b|Archive\.open|\bArchive\(", line):
                offenders.append(f"{path.relative_to(WEB)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_scripts_never_write_markup() -> None:
    for path in sorted((WEB / "static").glob("*.js")):
        source = path.read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, (path.name, sink)


# --- the serve command --------------------------------------------------------------------------


def test_serve_refuses_a_missing_archive(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no such archive" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_over_http(pages_db: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-c", "from cabledesk.cli import main; main()"]
    server = subprocess.Popen(
        [*command, "serve", "--db", str(pages_db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=iran") as r:
                    assert r.status == 200
                    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
