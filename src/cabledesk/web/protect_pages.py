"""The editor's page: the protect list, where the plan would redact, and what the audit finds.

Served like every page through the request's read context, whose ``as_editor`` refuses anyone
but the editor of ``cabledesk serve --editor`` (403): this page names the people to protect.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cabledesk.archive.protection import list_protected_names, list_releases
from cabledesk.archive.store import Archive
from cabledesk.protect.audit import audit_archive, leak_prone_ids
from cabledesk.protect.matching import targets
from cabledesk.protect.plan import candidate_ids, plan_archive
from cabledesk.web.deps import Context

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

FINDINGS_SHOWN = 50
"""Audit findings listed, riskiest first."""
MIN_RISK = 0.5
PLANNED = 200
"""Cables the page plans (the first that may name a protected person; the CLI plans all)."""
AUDITED = 300
"""Cables with redactions or several versions the page audits (beside the plan's)."""
"""Findings below this risk are mostly public figures named in plain sentences."""


def _overview(archive: Archive) -> dict[str, Any]:
    protected = list_protected_names(archive)
    names = [p.name for p in protected]
    per_cable: list[tuple[str, int, list[str]]] = []
    per_name: Counter[str] = Counter()
    candidates: list[str] = []
    if names:
        prepared = targets(names)
        candidates = candidate_ids(archive, prepared)
        for stored, plan in plan_archive(archive, prepared, candidates=candidates[:PLANNED]):
            per_name.update(p.entity for p in plan)
            written = sorted({" ".join(p.text.split()) for p in plan})
            per_cable.append((stored.reference_id, len(plan), written))
    # The plan's cables and the first cables with redactions or several versions: a page
    # answers in seconds whatever the archive's size (the CLI audits all of it).
    prone, eligible = leak_prone_ids(archive, AUDITED)
    audited = sorted({ref for ref, _, _ in per_cable} | set(prone))
    findings = [f for f in audit_archive(archive, audited) if f.risk >= MIN_RISK][:FINDINGS_SHOWN]
    return {
        "protected": [(p, per_name.get(p.name, 0)) for p in protected],
        "plan_cables": per_cable,
        "planned": sum(n for _, n, _ in per_cable),
        "candidates": len(candidates),
        "plan_limit": PLANNED,
        "findings": findings,
        "releases": list_releases(archive),
        "min_risk": MIN_RISK,
        "audited": len(audited),
        "eligible": eligible,
    }


@router.get("/protect")
def protect_page(request: Request, context: Context) -> Response:
    """The protect list with its mentions per name, the cables the plan touches, the audit.
    Both are bounded (``PLANNED``, ``AUDITED``) so the page answers in seconds on any archive."""
    overview = context.as_editor(_overview)
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(request, "protect.html", overview)
    return response
