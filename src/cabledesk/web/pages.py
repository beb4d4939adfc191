"""The HTML pages: search, one cable (and its older versions), its citation graph, one post.

Server-rendered with Jinja2 (autoescape on, every value through ``templating.visible``); each
page reads the archive through the request's read context only. Parameters are read here, not
by FastAPI, so a bad value gives the page back with the problem explained (status 400), not a
bare validation error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from cabledesk.services.origin_profile import OriginNotFound
from cabledesk.services.query import QueryError
from cabledesk.services.reading import CableNotFound
from cabledesk.services.search import SearchResult
from cabledesk.telegram import canonical_id
from cabledesk.telegram.tag_codes import tag_meaning
from cabledesk.web.cable_view import (
    addressee_rows,
    caption_rows,
    classification_rows,
    diff_lines,
    header_rows,
    ref_entries,
    tag_rows,
    text_segments,
)
from cabledesk.web.charts import bar_chart, month_series, year_series
from cabledesk.web.deps import Context
from cabledesk.web.errors import error_page
from cabledesk.web.params import SearchParams

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

FACET_SHOWN = 8
"""Values of a facet listed at once; the rest (up to FACET_MORE) behind "more"."""
FACET_MORE = 24
FACET_LABELS = {
    "origin": "Origin",
    "tag": "TAGS",
    "classification": "Classification",
    "year": "Year",
    "caption": "Caption",
}


def _templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return _templates(request).TemplateResponse(request, name, context, status_code=status)


# --- search -------------------------------------------------------------------------------------


def _facets(params: SearchParams, result: SearchResult) -> list[dict[str, Any]]:
    """Each facet's values as links adding that value to the search, most frequent first
    (years newest first)."""
    out = []
    for name, counts in result.facets.items():
        items = list(counts.items())
        if name == "year":
            items.sort(reverse=True)
        chosen = set(getattr(params, name, ()) or ())
        if name == "year" and params.date_from and params.date_from == params.date_to:
            chosen = {params.date_from}
        values = [
            {
                "value": value,
                "count": n,
                "url": params.with_value(name, value),
                "active": value in chosen,
                "title": (tag_meaning(value) or "") if name == "tag" else "",
            }
            for value, n in items[:FACET_MORE]
        ]
        out.append(
            {
                "name": name,
                "label": FACET_LABELS.get(name, name),
                "shown": values[:FACET_SHOWN],
                "more": values[FACET_SHOWN:],
            }
        )
    return out


def _page_links(params: SearchParams, result: SearchResult) -> list[tuple[int, str]]:
    """A window of page numbers around the current one, with the first and last."""
    last = min(result.pages, 10_000 // result.per_page)
    numbers = {1, last, *range(max(1, result.page - 2), min(last, result.page + 2) + 1)}
    return [(n, params.on_page(n)) for n in sorted(numbers) if n >= 1]


@router.get("/")
def search_page(request: Request, context: Context) -> Response:
    """The search page: query box, facets, results with snippets, histogram, pages."""
    error = ""
    result: SearchResult | None = None
    try:
        params = SearchParams.from_query(request.query_params)
        result = context.search(**params.search_kwargs())
    except QueryError as exc:
        params = SearchParams(q=request.query_params.get("q", ""))
        error = str(exc)
    chart = None
    years = year_series(result.facets.get("year", {})) if result else []
    if len(years) > 1:  # one bar would say nothing the count does not
        chart = bar_chart(
            "Matching cables by year",
            years,
            hrefs={year: params.with_value("year", year) for year, n in years if n},
            describe="{label}: {value:,} cables",
        )
    return _render(
        request,
        "search.html",
        {
            "params": params,
            "result": result,
            "error": error,
            "facets": _facets(params, result) if result else [],
            "chart": chart,
            "page_links": _page_links(params, result) if result and result.pages > 1 else [],
            "first": (result.page - 1) * result.per_page + 1 if result else 0,
        },
        400 if error else 200,
    )


# --- one cable ----------------------------------------------------------------------------------


def _missing_cable(request: Request, context: Context, reference_id: str) -> Response:
    """404, but with what the archive knows: the cables that cite the id asked for."""
    wanted = canonical_id(reference_id) or reference_id
    citing = context.cited_by(wanted)
    return _render(request, "cable_missing.html", {"reference_id": wanted, "citing": citing}, 404)


def _cable_page(
    request: Request, context: Context, reference_id: str, version: int | None
) -> Response:
    try:
        stored = context.cable(reference_id, version)
    except CableNotFound as exc:
        if version is None:
            return _missing_cable(request, context, reference_id)
        return error_page(request, 404, str(exc).replace(str(context.pool.path), "the archive"))
    if stored.reference_id != reference_id:
        path = f"/cables/{quote(stored.reference_id, safe='')}"
        return RedirectResponse(path + (f"/versions/{version}" if version else ""), 302)
    if version is not None and version == stored.current_version:
        return RedirectResponse(f"/cables/{quote(stored.reference_id, safe='')}", 302)
    cable = stored.cable
    held = context.held(r.cable_id for r in cable.references if r.cable_id)
    others = [v.number for v in stored.versions if v.number != stored.current_version]
    diff_from = version if version is not None else (max(others) if others else None)
    diff = (
        diff_lines(context.diff(stored.reference_id, diff_from, stored.current_version))
        if diff_from is not None
        else []
    )
    return _render(
        request,
        "cable.html",
        {
            "stored": stored,
            "cable": cable,
            "header": header_rows(cable),
            "classification": classification_rows(cable),
            "captions": caption_rows(cable),
            "tags": tag_rows(cable),
            "addressees": addressee_rows(cable),
            "refs": ref_entries(cable, held),
            "segments": text_segments(cable),
            "citing": context.cited_by(stored.reference_id),
            "diff": diff,
            "diff_from": diff_from,
        },
    )


@router.get("/cables/{reference_id}")
def cable_page(request: Request, context: Context, reference_id: str) -> Response:
    """One cable, its current version."""
    return _cable_page(request, context, reference_id, None)


@router.get("/cables/{reference_id}/versions/{number}")
def version_page(request: Request, context: Context, reference_id: str, number: str) -> Response:
    """An older version of a cable, with its differences from the current one."""
    if not number.isdigit() or int(number) < 1:
        return error_page(request, 404, f"version {number!r}: versions are numbered from 1")
    return _cable_page(request, context, reference_id, int(number))


@router.get("/cables/{reference_id}/graph")
def graph_page(request: Request, context: Context, reference_id: str) -> Response:
    """The citation neighbourhood (depth 2), drawn by static/graph.js from the API; the
    nodes are listed as links too, for readers without script."""
    try:
        near = context.graph(reference_id, depth=2)
    except CableNotFound:
        return _missing_cable(request, context, reference_id)
    if near.center != reference_id:
        return RedirectResponse(f"/cables/{quote(near.center, safe='')}/graph", 302)
    citing = sum(1 for e in near.edges if e.target == near.center)
    cited = sum(1 for e in near.edges if e.source == near.center)
    return _render(
        request,
        "graph.html",
        {"near": near, "citing": citing, "cited": cited},
    )


# --- one post -----------------------------------------------------------------------------------


@router.get("/origins/{name}")
def origin_page(request: Request, context: Context, name: str) -> Response:
    """One post: traffic by month, serial coverage by year, top TAGS, top correspondents."""
    try:
        profile = context.origin(name)
    except OriginNotFound as exc:
        return _render(
            request,
            "error.html",
            {
                "status": 404,
                "title": "No such post",
                "message": str(exc),
                "links": [(c, f"/origins/{c}") for c in exc.candidates],
            },
            404,
        )
    if profile.origin != name:
        return RedirectResponse(f"/origins/{quote(profile.origin, safe='')}", 302)
    base = SearchParams(origin=(profile.origin,), sort="-date")
    months = month_series({m: n for m, n in profile.by_month if m})
    traffic = bar_chart(
        "Cables per month",
        months,
        hrefs={
            m: SearchParams(origin=(profile.origin,), date_from=m, date_to=m, sort="date").url()
            for m, n in months
            if n
        },
        describe="{label}: {value:,} cables",
    )
    main = profile.stations[0] if profile.stations else None
    rows = [c for c in profile.coverage if c.station == main] or profile.coverage
    coverage = bar_chart(
        f"Serials held per year{f' ({main})' if main else ''}",
        [(str(c.year), c.held) for c in rows],
        backs={str(c.year): c.highest_serial for c in rows},
        describe="{label}: {value:,} serials held of {back:,} known",
    )
    return _render(
        request,
        "origin.html",
        {
            "profile": profile,
            "traffic": traffic,
            "coverage": coverage,
            "search_url": base.url(),
            "tag_links": [
                (code, n, tag_meaning(code) or "", base.with_value("tag", code))
                for code, n in profile.top_tags
            ],
            "undated": sum(n for m, n in profile.by_month if m is None),
        },
    )
