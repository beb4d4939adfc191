"""The redaction plan: every mention of every protected name in every cable, for review.

A plan is computed, never guessed at apply time: the editor reads it (``cabledesk protect
plan``), and applying it later checks that each cable's text is still the one the plan read.
Over an archive only the cables whose words include a protected name (or a spelling of it:
the FTS5 vocabulary is read once and compared on skeletons, ``names.same_token``) are parsed,
so a plan over two million cables costs the cables that name someone, not the archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from cabledesk.archive.store import Archive
from cabledesk.protect.matching import Target, find_matches, targets
from cabledesk.protect.model import PlannedRedaction
from cabledesk.protect.names import core, same_token, skeleton
from cabledesk.protect.positions import paragraph_at
from cabledesk.services.reading import StoredCable, get_cable
from cabledesk.telegram import Cable

__all__ = ["candidate_ids", "plan_archive", "plan_cable"]


def plan_cable(
    cable: Cable, protected: Sequence[Target] | Iterable[str], reference_id: str | None = None
) -> list[PlannedRedaction]:
    """Every mention in ``cable.text`` of the protected names, in text order."""
    prepared = _prepared(protected)
    ref_id = reference_id or cable.reference_id or cable.canonical_id or ""
    plan: list[PlannedRedaction] = []
    for m in find_matches(cable.text, prepared):
        number, numbered = paragraph_at(cable, m.start)
        plan.append(
            PlannedRedaction(
                reference_id=ref_id,
                start=m.start,
                end=m.end,
                text=cable.text[m.start : m.end],
                entity=m.target.name,
                rule=m.rule,
                confidence=m.confidence,
                paragraph=number,
                paragraph_numbered=numbered,
            )
        )
    return plan


def _prepared(protected: Sequence[Target] | Iterable[str]) -> list[Target]:
    items = list(protected)
    if all(isinstance(t, Target) for t in items):
        return items  # type: ignore[return-value]
    return targets(str(t) for t in items)


def _spellings(archive: Archive, prepared: Sequence[Target]) -> list[str]:
    """The index's terms that are a spelling of some protected token."""
    conn = archive.conn
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.protect_vocab "
        "USING fts5vocab(main, cables_fts, row)"
    )
    wanted = {s for t in prepared for s in t.sig}
    by_skeleton: dict[str, list[str]] = {}
    for w in wanted:
        by_skeleton.setdefault(skeleton(core(w)), []).append(w)
    terms: list[str] = []
    for (term,) in conn.execute("SELECT term FROM temp.protect_vocab"):
        if term in wanted:
            terms.append(term)
        elif len(term) >= 4:  # a spelling: same skeleton first (one lookup), then the test
            near = by_skeleton.get(skeleton(core(term)))
            if near and any(same_token(term, w) for w in near):
                terms.append(term)
    return terms


def candidate_ids(archive: Archive, protected: Sequence[Target]) -> list[str]:
    """Reference ids of the cables whose text holds a word of some protected name."""
    terms = _spellings(archive, prepared=protected)
    ids: set[str] = set()
    # FTS5 terms are bare tokens; quoting keeps codes and hyphens literal. Chunked ORs.
    for lo in range(0, len(terms), 200):
        query = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms[lo : lo + 200])
        rows = archive.conn.execute(
            "SELECT c.reference_id FROM cables_fts JOIN cables AS c ON c.id = cables_fts.rowid "
            "WHERE cables_fts MATCH ?",
            (query,),
        )
        ids.update(r for (r,) in rows)
    return sorted(ids)


def plan_archive(
    archive: Archive,
    protected: Sequence[Target] | Iterable[str],
    reference_ids: Iterable[str] | None = None,
    *,
    candidates: Sequence[str] | None = None,
) -> Iterator[tuple[StoredCable, list[PlannedRedaction]]]:
    """Each cable naming a protected person, with its plan (current versions, in the order of
    ``candidate_ids``). ``candidates``: that list when the caller has it already (to show
    progress over it, or to plan part of it)."""
    prepared = _prepared(protected)
    if not prepared:
        return
    ids = list(candidates) if candidates is not None else candidate_ids(archive, prepared)
    if reference_ids is not None:
        chosen = set(reference_ids)
        ids = [i for i in ids if i in chosen]
    for ref_id in ids:
        stored = get_cable(archive, ref_id)
        if stored is None:
            continue
        plan = plan_cable(stored.cable, prepared, stored.reference_id)
        if plan:
            yield stored, plan
