"""The JSON API under ``/api/``: search, cables, references, graphs, versions, stats, export.

Each endpoint is one call on the request's read context and the service result's ``to_dict``
(the same shapes as the CLI's ``--json``), so the API, the pages and the command line agree.
Bad parameters are answered with a JSON error (docs/api.md): 400 for a query or value that
cannot be served, 404 for an unknown cable or post, 422 for a parameter of the wrong type.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from cabledesk.web.deps import Context
from cabledesk.web.params import SearchParams

__all__ = ["router"]


class Problem(BaseModel):
    """Every error: ``detail`` says what was wrong (for 422, a list of the bad parameters)."""

    detail: Any


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A query or value that cannot be served"},
    404: {"model": Problem, "description": "No such cable (or post, or version)"},
    422: {"model": Problem, "description": "A parameter of the wrong type or out of range"},
}

router = APIRouter(prefix="/api", responses=_ERRORS)

ReferenceId = Annotated[
    str, Path(description="Cable id in any spelling: 09THEHAGUE2, '09 THE HAGUE 2'.")
]


@router.get("/search", tags=["search"], summary="Search cables")
def search_cables(
    context: Context,
    q: Annotated[
        str, Query(description='Query: words, "phrases", prefix*, AND OR NOT, field:value.')
    ] = "",
    origin: Annotated[list[str] | None, Query(description="Post (repeatable).")] = None,
    tag: Annotated[list[str] | None, Query(description="TAGS code (repeatable).")] = None,
    classification: Annotated[list[str] | None, Query(description="Level (repeatable).")] = None,
    caption: Annotated[list[str] | None, Query(description="Caption (repeatable).")] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="Dated from YYYY[-MM[-DD]].")
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", description="Dated up to YYYY[-MM[-DD]], inclusive.")
    ] = None,
    has_redactions: Annotated[bool, Query(description="Only cables with redactions.")] = False,
    sort: Annotated[Literal["rank", "date", "-date"], Query()] = "rank",
    page: Annotated[int, Query(ge=1, description="Page, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    facets: Annotated[bool, Query(description="Count facets over the whole result set.")] = True,
) -> JSONResponse:
    """Ranked or dated results with highlighted snippets (hits between « and »), the total,
    the number of pages and facet counts (origin, tag, classification, year, caption)."""
    params = SearchParams(
        q=q,
        origin=tuple(origin or ()),
        tag=tuple(tag or ()),
        classification=tuple(classification or ()),
        caption=tuple(caption or ()),
        date_from=date_from or "",
        date_to=date_to or "",
        has_redactions=has_redactions,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    result = context.search(**params.search_kwargs(), facets=facets)
    return JSONResponse({**result.to_dict(), "pages": result.pages})


@router.get("/cables/{reference_id}", tags=["cables"], summary="One cable")
def get_cable(context: Context, reference_id: ReferenceId) -> JSONResponse:
    """The current version: every parsed field (docs/json-schema.md), the text, the
    validation findings and the list of versions."""
    return JSONResponse(context.cable(reference_id).to_dict())


@router.get("/cables/{reference_id}/refs", tags=["cables"], summary="Citations both ways")
def get_refs(context: Context, reference_id: ReferenceId) -> JSONResponse:
    """Each REF entry with its status (held, not held, unresolved) and its mentions in the
    text, mentions tied to no entry, and the cables citing this one."""
    return JSONResponse(context.refs(reference_id).to_dict())


@router.get("/cables/{reference_id}/graph", tags=["cables"], summary="Citation neighbourhood")
def get_graph(
    context: Context,
    reference_id: ReferenceId,
    depth: Annotated[int, Query(ge=1, le=4, description="Citation steps, either way.")] = 2,
    max_nodes: Annotated[int, Query(ge=1, le=2000)] = 300,
) -> JSONResponse:
    """The cables within ``depth`` citation steps (citing or cited) and every citation
    between them; ``truncated`` says ``max_nodes`` stopped the walk."""
    return JSONResponse(context.graph(reference_id, depth, max_nodes).to_dict())


@router.get("/cables/{reference_id}/versions/{number}", tags=["cables"], summary="One version")
def get_version(
    context: Context,
    reference_id: ReferenceId,
    number: Annotated[int, Path(ge=1, description="Version number, from 1.")],
) -> JSONResponse:
    """A stored version parsed as ``/api/cables/{id}`` gives the current one (findings are
    computed for an older version)."""
    return JSONResponse(context.cable(reference_id, number).to_dict())


@router.get(
    "/cables/{reference_id}/versions/{number}/diff", tags=["cables"], summary="Diff of versions"
)
def get_diff(
    context: Context,
    reference_id: ReferenceId,
    number: Annotated[int, Path(ge=1, description="The older version.")],
    to: Annotated[int | None, Query(ge=1, description="The newer (default: current).")] = None,
) -> JSONResponse:
    """Unified diff (line by line) from version ``number`` to version ``to``; empty when the
    texts are identical."""
    stored = context.cable(reference_id)
    new = to or stored.current_version
    diff = context.diff(stored.reference_id, number, new)
    return JSONResponse(
        {"reference_id": stored.reference_id, "from": number, "to": new, "diff": diff}
    )


@router.get("/origins/{name}", tags=["stats"], summary="One post's profile")
def get_origin(
    context: Context,
    name: Annotated[str, Path(description="The post: 'Embassy Moscow', 'Moscow', MOSCOW.")],
) -> JSONResponse:
    """Cables per month, serial coverage per year, top TAGS and top correspondents."""
    return JSONResponse(context.origin(name).to_dict())


@router.get("/stats", tags=["stats"], summary="Archive statistics")
def get_stats(
    context: Context,
    origin: Annotated[list[str] | None, Query(description="Only these posts.")] = None,
) -> JSONResponse:
    """Counts, cables per origin and month, coverage, quarantine reasons (as ``cabledesk
    stats --json``). Over a whole large archive this takes a second or so."""
    return JSONResponse(context.stats(tuple(origin or ())).to_dict())


_MEDIA = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@router.get(
    "/export",
    tags=["export"],
    summary="Export cables (streamed)",
    response_class=StreamingResponse,
    responses={200: {"content": {m.split(";")[0]: {} for m in _MEDIA.values()}}},
)
def export(
    context: Context,
    format: Annotated[Literal["jsonl", "csv"], Query(description="jsonl or csv.")] = "jsonl",
    q: Annotated[str, Query(description="Export the hits of this search.")] = "",
    origin: Annotated[list[str] | None, Query(description="Only these posts.")] = None,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
) -> StreamingResponse:
    """The current version of each cable as ``cabledesk export`` writes it (docs/export.md),
    by reference id, or the hits of ``q`` in search order (at most 10,000: more is a 400)."""
    pieces = context.export(
        format, query=q, origin=tuple(origin or ()), date_from=date_from, date_to=date_to
    )
    return StreamingResponse(
        pieces,
        media_type=_MEDIA[format],
        headers={"content-disposition": f'attachment; filename="cables.{format}"'},
    )
