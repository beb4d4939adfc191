"""The web app in a real browser: search, facets, cable pages, REF and "cited by" links, keyboard.

Debian's Chromium (``/usr/bin/chromium``), driven by Playwright, loads the pages that a real
``cabledesk serve`` subprocess serves from an archive of the bundled sample. Each test clicks
and types as a reader would, checks where it lands against the archive itself, saves a
screenshot under ``tests/artifacts/`` for review, and fails on any console error, uncaught
exception or Content-Security-Policy violation. See docs/dev/browser-tests.md.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWatch,
    Server,
    browser_ready,
    serve,
)
from cabledesk.archive import Archive, ingest
from cabledesk.services.search import search

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Dialog, Page

pytestmark = pytest.mark.browser

QUERY = "nuclear"
"""A word in 57 of the sample's cables from 27 posts: several pages and origin facets."""


@dataclass(frozen=True)
class Sample:
    """The served archive and what the tests look for in it."""

    db: Path
    total: int  # cables matching QUERY
    citing: str  # a cable with a REF entry citing ...
    cited: str  # ... this cable, also in the archive


@pytest.fixture(scope="module")
def sample(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Sample:
    db = tmp_path_factory.mktemp("browser") / "sample.db"
    report = ingest([sample_dir], db, workers=0)
    assert report.added > 300 and not report.quarantined
    conn = sqlite3.connect(db)
    citing, cited = conn.execute(
        "SELECT citing.reference_id, r.cited_id FROM refs AS r "
        "JOIN cables AS citing ON citing.id = r.cable_id "
        "JOIN cables AS cited ON cited.reference_id = r.cited_id "
        "WHERE citing.id != cited.id "  # whole, dated cables first: they make better screenshots
        "ORDER BY citing.partial OR cited.partial OR citing.date IS NULL OR cited.date IS NULL, "
        "citing.reference_id, r.position LIMIT 1"
    ).fetchone()
    conn.close()
    with Archive.open(db, readonly=True) as archive:
        total = search(archive, QUERY).total
    assert total > 20  # more than one page of results
    return Sample(db, total, citing, cited)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """One headless Chromium with a fresh profile for the module; a new page per test."""
    browser_ready()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def server(
    browser: BrowserContext, sample: Sample, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serve(sample.db, log) as running:
        yield running


@dataclass
class Visit:
    """A fresh page on the served archive, the watcher of its console, and its screenshots."""

    page: Page
    watch: PageWatch
    base: str

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path}: {response}"

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))


@pytest.fixture
def visit(browser: BrowserContext, server: Server) -> Iterator[Visit]:
    page = browser.new_page()
    watch = PageWatch()
    watch.attach(page)
    yield Visit(page, watch, server.base_url)
    page.close()
    assert watch.problems(allow=watch.expected) == [], "the page logged errors"


def count_text(total: int) -> str:
    return f"{total:,} cable{'s' if total != 1 else ''}"


def search_from_box(visit: Visit, query: str) -> None:
    visit.goto("/")
    box = visit.page.get_by_test_id("search-input")
    box.fill(query)
    box.press("Enter")
    visit.page.wait_for_url(lambda url: "q=" in url)


def test_search_box_finds_the_cables_the_archive_holds(visit: Visit, sample: Sample) -> None:
    from playwright.sync_api import expect

    search_from_box(visit, QUERY)
    assert visit.query()["q"] == [QUERY]
    expect(visit.page.get_by_test_id("result-count")).to_contain_text(count_text(sample.total))
    results = visit.page.get_by_test_id("result")
    expect(results).to_have_count(20)
    expect(results.first.locator("mark").first).to_have_text(QUERY, ignore_case=True)
    expect(visit.page.get_by_test_id("search-input")).to_have_value(QUERY)
    visit.screenshot("search.png")


def test_a_facet_link_narrows_the_results(visit: Visit, sample: Sample) -> None:
    from playwright.sync_api import expect

    visit.goto(f"/?q={QUERY}")
    expect(visit.page.get_by_test_id("result-count")).to_contain_text(count_text(sample.total))
    links = visit.page.get_by_test_id("facet-origin").get_by_test_id("facet-link")
    link = links.first
    origin = link.get_attribute("data-value")
    count = int(link.locator("xpath=following-sibling::span[@class='count']").inner_text())
    assert origin and 0 < count < sample.total
    link.click()
    visit.page.wait_for_url(lambda url: "origin=" in url)
    assert visit.query()["origin"] == [origin]
    assert visit.query()["q"] == [QUERY]
    expect(visit.page.get_by_test_id("result-count")).to_contain_text(count_text(count))
    expect(visit.page.get_by_test_id("result")).to_have_count(min(count, 20))
    expect(visit.page.get_by_test_id("remove-filter")).to_contain_text(origin)
    visit.screenshot("facet.png")


def test_a_result_opens_its_cable(visit: Visit) -> None:
    from playwright.sync_api import expect

    search_from_box(visit, QUERY)
    first = visit.page.get_by_test_id("result").first
    reference_id = first.locator(".refid").inner_text().strip()
    subject = first.get_by_test_id("result-link").inner_text().strip()
    first.get_by_test_id("result-link").click()
    visit.page.wait_for_url(f"**/cables/{reference_id}")
    expect(visit.page.get_by_test_id("reference-id")).to_contain_text(reference_id)
    expect(visit.page.get_by_test_id("cable-subject")).to_have_text(subject)
    expect(visit.page.get_by_test_id("cable-text")).to_contain_text(QUERY, ignore_case=True)
    visit.screenshot("cable.png")


def test_a_ref_link_leads_to_the_cited_cable(visit: Visit, sample: Sample) -> None:
    from playwright.sync_api import expect

    visit.goto(f"/cables/{quote(sample.citing)}")
    link = visit.page.get_by_test_id("ref-link").filter(has_text=sample.cited).first
    expect(link).to_be_visible()
    link.click()
    visit.page.wait_for_url(f"**/cables/{sample.cited}")
    expect(visit.page.get_by_test_id("reference-id")).to_contain_text(sample.cited)
    visit.screenshot("ref.png")


def test_cited_by_leads_back_to_the_citing_cable(visit: Visit, sample: Sample) -> None:
    from playwright.sync_api import expect

    visit.goto(f"/cables/{quote(sample.cited)}")
    cited_by = visit.page.get_by_test_id("cited-by")
    link = cited_by.get_by_test_id("cited-by-link").filter(has_text=sample.citing)
    expect(link).to_have_count(1)
    link.scroll_into_view_if_needed()
    visit.screenshot("citedby.png")
    link.click()
    visit.page.wait_for_url(f"**/cables/{sample.citing}")
    expect(visit.page.get_by_test_id("reference-id")).to_contain_text(sample.citing)
    expect(visit.page.get_by_test_id("ref-link").filter(has_text=sample.cited)).not_to_have_count(0)


def test_the_citation_graph_is_drawn_and_links_both_cables(visit: Visit, sample: Sample) -> None:
    from playwright.sync_api import expect

    visit.goto(f"/cables/{quote(sample.cited)}")
    visit.page.get_by_test_id("graph-link").click()
    visit.page.wait_for_url(f"**/cables/{sample.cited}/graph")
    drawn = visit.page.get_by_test_id("graph").locator("[data-testid=graph-node]")
    expect(drawn.first).to_be_visible()  # graph.js fetched the JSON and drew the nodes
    expect(drawn.filter(has_text=sample.citing)).to_have_count(1)
    expect(visit.page.locator("#graph-status")).not_to_contain_text("could not be drawn")
    nodes = visit.page.get_by_test_id("graph-node-link")
    expect(nodes.filter(has_text=sample.citing)).to_have_count(1)
    visit.screenshot("graph.png")
    drawn.filter(has_text=sample.citing).click()
    visit.page.wait_for_url(f"**/cables/{sample.citing}")


def tab_until(visit: Visit, selector: str, limit: int) -> int:
    """Presses Tab until the focused element matches ``selector``; the number of presses."""
    for presses in range(1, limit + 1):
        visit.page.keyboard.press("Tab")
        if visit.page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_keyboard_reaches_the_search_box_and_the_results(visit: Visit, sample: Sample) -> None:
    from playwright.sync_api import expect

    visit.goto("/")
    tab_until(visit, "[data-testid=search-input]", limit=8)
    visit.page.keyboard.type(QUERY)
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_url(lambda url: "q=" in url)
    expect(visit.page.get_by_test_id("result-count")).to_contain_text(count_text(sample.total))
    tab_until(visit, "[data-testid=result-link]", limit=150)
    focused = visit.page.evaluate("document.activeElement.getAttribute('href')")
    ring = visit.page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    assert ring[0] != "none" and ring[1] != "0px" or ring[2] != "none", f"no focus ring: {ring}"
    visit.screenshot("keyboard.png")
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_url(f"**{focused}")
    expect(visit.page.get_by_test_id("reference-id")).to_be_visible()


def test_search_on_a_phone_fits_the_screen(visit: Visit, sample: Sample) -> None:
    from playwright.sync_api import expect

    visit.page.set_viewport_size({"width": 390, "height": 844})
    search_from_box(visit, QUERY)
    expect(visit.page.get_by_test_id("result-count")).to_contain_text(count_text(sample.total))
    expect(visit.page.get_by_test_id("result").first).to_be_in_viewport()
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
    visit.screenshot("phone-search.png")


def test_hostile_query_is_shown_as_text(visit: Visit) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    visit.page.on("dialog", on_dialog)
    hostile = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    search_from_box(visit, hostile)
    expect(visit.page.get_by_test_id("search-input")).to_have_value(hostile)
    assert visit.page.locator("img[src=x]").count() == 0
    assert dialogs == []


def test_unknown_cable_is_a_404_page(visit: Visit) -> None:
    from playwright.sync_api import expect

    response = visit.page.goto(visit.base + "/cables/99NOWHERE123")
    assert response is not None and response.status == 404
    expect(visit.page.get_by_test_id("error-message")).to_be_visible()
    visit.watch.expected = "404"  # Chromium logs the 404 of the page itself as a console error


def test_missing_chromium_fails_loudly_unless_opted_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import browser_support

    monkeypatch.setattr(browser_support, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CABLEDESK_NO_BROWSER", raising=False)
    with pytest.raises(pytest.fail.Exception, match="CABLEDESK_NO_BROWSER=1 to skip"):
        browser_ready()
    monkeypatch.setenv("CABLEDESK_NO_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception, match="chromium.*skipped because"):
        browser_ready()


@pytest.fixture(scope="module")
def editor_server(
    browser: BrowserContext, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """``cabledesk serve --editor`` over the hand-labelled protection cables, two names protected."""
    from cabledesk.archive.protection import add_protected_name

    folder = tmp_path_factory.mktemp("editor")
    db = folder / "protect.db"
    ingest([Path(__file__).parent / "data" / "protect_eval" / "cables"], db, workers=0)
    with Archive.open(db) as archive:
        add_protected_name(archive, "Hoshyar Zebari")
        add_protected_name(archive, "Chun")
    with serve(db, folder / "serve.log", options=("--editor",)) as running:
        yield running


def test_the_editor_page_shows_the_plan_and_the_leak(
    browser: BrowserContext, editor_server: Server
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    watch = PageWatch()
    watch.attach(page)
    visit = Visit(page, watch, editor_server.base_url)
    visit.goto("/")
    page.get_by_role("link", name="Protect").click()
    page.wait_for_url(lambda url: url.endswith("/protect"))
    expect(page.get_by_test_id("protect-list")).to_contain_text("Hoshyar Zebari")
    expect(page.get_by_test_id("protect-list")).to_contain_text("Person 2")
    expect(page.get_by_test_id("audit-findings")).to_contain_text("Chun")
    visit.screenshot("protect-page.png")
    page.get_by_test_id("plan-cables").get_by_role("link", name="04BAGHDAD4").click()
    page.wait_for_url(lambda url: "/cables/04BAGHDAD4" in url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.close()
    assert watch.problems(allow=watch.expected) == [], "the page logged errors"
