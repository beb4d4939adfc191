"""The editor's endpoints under ``/api/``: people, the protect list, the plan, releases, audit.

They name the very people an editor protects, so every one asks the read context for the
editor role first (``ReadContext.as_editor``): a plain ``cabledesk serve`` answers 403, a
server started with ``--editor`` (an editor's own machine) serves them. The
protect list is also edited here (POST, DELETE); releases are made with the CLI or the Python API.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from cabledesk.archive.protection import (
    ProtectionError,
    add_protected_name,
    list_protected_names,
    list_releases,
    remove_protected_name,
)
from cabledesk.archive.store import Archive
from cabledesk.protect.audit import audit_archive, leak_prone_ids
from cabledesk.protect.people import archive_ids, people
from cabledesk.protect.plan import plan_archive
from cabledesk.services.context import InvalidRequest
from cabledesk.web.api import Problem
from cabledesk.web.deps import Context

__all__ = ["router"]

router = APIRouter(
    prefix="/api",
    tags=["protect"],
    responses={
        403: {"model": Problem, "description": "Not an editor's server (cabledesk serve --editor)"}
    },
)

MAX_CABLES = 5000
"""People are found on demand; one request reads at most this many cables."""


@router.get("/people", summary="People the cables name")
def get_people(
    context: Context,
    origin: Annotated[list[str], Query(description="Only these posts.")] = [],  # noqa: B006
    year: Annotated[list[int], Query(description="Only these years.")] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONResponse:
    """Entities grouped across the selected cables (at most 5,000 cables a request)."""

    def read(archive: Archive) -> list[dict[str, Any]]:
        ids = archive_ids(archive, origin, year)[:MAX_CABLES]
        return [
            {
                "name": e.name,
                "cables": len(e.cables),
                "mentions": e.mentions,
                "official": e.official,
                "variants": sorted(e.variants),
            }
            for e in people(archive, ids)[:limit]
        ]

    return JSONResponse({"people": context.as_editor(read)})


@router.get("/protect", summary="The protect list")
def get_protect_list(context: Context) -> JSONResponse:
    entries = context.as_editor(list_protected_names)
    return JSONResponse({"protected": [e.to_dict() for e in entries]})


class NewProtectedName(BaseModel):
    """A name to add to the protect list."""

    name: str = Field(min_length=1, max_length=300)
    kind: str = Field(default="person", pattern="^(person|organisation)$")
    pseudonym: str | None = Field(default=None, max_length=100)
    note: str = Field(default="", max_length=2000)


@router.post("/protect", summary="Add a name to the protect list", status_code=201)
def add_protected(context: Context, entry: NewProtectedName) -> JSONResponse:
    """Answers the stored entry with its pseudonym; 400 if the name is already protected."""

    def write(archive: Archive) -> dict[str, Any]:
        try:
            return add_protected_name(
                archive, entry.name, kind=entry.kind, pseudonym=entry.pseudonym, note=entry.note
            ).to_dict()
        except ProtectionError as exc:
            raise InvalidRequest(str(exc)) from None

    return JSONResponse(context.write_as_editor(write), status_code=201)


@router.delete("/protect/{name}", summary="Take a name off the protect list")
def remove_protected(
    context: Context, name: Annotated[str, Path(description="The name as listed.")]
) -> JSONResponse:
    def write(archive: Archive) -> dict[str, Any]:
        removed = remove_protected_name(archive, name)
        if removed is None:
            raise HTTPException(404, f"{name!r} is not on the protect list")
        return removed.to_dict()

    return JSONResponse(context.write_as_editor(write))


@router.get("/protect/plan", summary="The redaction plan")
def get_plan(
    context: Context,
    name: Annotated[list[str], Query(description="Names (default: the protect list).")] = [],  # noqa: B006
    min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.0,
) -> JSONResponse:
    """Every mention of every protected name, with rule and confidence."""

    def read(archive: Archive) -> list[dict[str, Any]]:
        names = name or [e.name for e in list_protected_names(archive)]
        return [
            dataclasses.asdict(p)
            for _, plan in plan_archive(archive, names)
            for p in plan
            if p.confidence >= min_confidence
        ]

    return JSONResponse({"plan": context.as_editor(read)})


@router.get("/releases", summary="Stored releases")
def get_releases(context: Context) -> JSONResponse:
    return JSONResponse({"releases": [r.to_dict() for r in context.as_editor(list_releases)]})


@router.get("/audit", summary="Leak audit")
def get_audit(
    context: Context,
    reference_id: Annotated[list[str], Query(description="Only these cables.")] = [],  # noqa: B006
    min_risk: Annotated[float, Query(ge=0, le=1)] = 0.0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> JSONResponse:
    """Names a published text likely gives away, ranked by risk. Without ``reference_id``: the
    cables with redactions or several versions, at most 5,000 a request (``cables_audited``
    and ``cables_eligible`` say how many); the CLI audits a whole archive."""

    def read(archive: Archive) -> dict[str, Any]:
        if reference_id:
            ids, eligible = list(reference_id), len(reference_id)
        else:
            ids, eligible = leak_prone_ids(archive, MAX_CABLES)
        found = audit_archive(archive, ids)
        return {
            "findings": [dataclasses.asdict(f) for f in found if f.risk >= min_risk][:limit],
            "cables_audited": len(ids),
            "cables_eligible": eligible,
        }

    return JSONResponse(context.as_editor(read))
