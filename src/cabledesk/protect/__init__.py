"""Source protection: find the people named in cables, plan and apply redactions, audit leaks.

A layer above ``services`` (it reads archives through them) and below the interfaces. The steps
are separate so an editor can review between them: a protect list of names → a plan (every
mention, with rule and confidence: ``plan``) → release versions (``apply``, ``release``) → an
audit of what a release still gives away (``audit``).
"""

from cabledesk.protect.matching import Target, find_matches, targets
from cabledesk.protect.model import AuditFinding, Entity, Mention, PlannedRedaction
from cabledesk.protect.plan import plan_archive, plan_cable

__all__ = [
    "AuditFinding",
    "Entity",
    "Mention",
    "PlannedRedaction",
    "Target",
    "find_matches",
    "plan_archive",
    "plan_cable",
    "targets",
]
