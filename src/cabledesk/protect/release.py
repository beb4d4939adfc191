"""Make a release from a redaction plan, store it, and export it as text, JSON Lines or a site.

``apply_plan`` reads each planned cable's current version, refuses a plan made on another text
(every planned span must still hold the text it was planned on), redacts it
(``protect.apply.redact``) and stores all the release texts in one transaction: a stale plan,
a missing pseudonym or a killed process leaves no release at all. The original versions are
only read, never written.

Exports read the stored release back streaming. They never carry the original offsets of the
replacements (a fixed-width marker would otherwise give a name's length away), and the
subject is taken from the release text itself, never from the unredacted ``cables`` row.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cabledesk.archive.protection import (
    ReleaseInfo,
    ReleaseRow,
    ReleaseText,
    get_release,
    iter_release_texts,
    list_protected_names,
    name_key,
    store_release,
)
from cabledesk.archive.store import Archive
from cabledesk.errors import CabledeskError
from cabledesk.protect.apply import (
    DEFAULT_MARKER,
    RedactionError,
    StalePlanError,
    check_settings,
    classification_mark,
    redact,
)
from cabledesk.protect.model import PlannedRedaction
from cabledesk.protect.site import write_site
from cabledesk.services.reading import CableNotFound, require_cable, resolve_id
from cabledesk.telegram import parse

__all__ = [
    "EXPORT_FORMATS",
    "ExportError",
    "ExportSummary",
    "ReleaseSummary",
    "apply_plan",
    "export_release",
    "file_stem",
    "plan_digest",
    "release_records",
]

EXPORT_FORMATS = ("text", "jsonl", "site")
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


class ExportError(CabledeskError, ValueError):
    """An export that cannot be written: unknown format or release, or a non-empty target."""


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    """What ``apply_plan`` stored."""

    release_id: int
    label: str
    cables: int
    spans_replaced: int
    paragraphs_withheld: int
    planned: int
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "release_id": self.release_id,
            "label": self.label,
            "cables": self.cables,
            "spans_replaced": self.spans_replaced,
            "paragraphs_withheld": self.paragraphs_withheld,
            "planned": self.planned,
            "settings": self.settings,
        }


def plan_digest(plan: Iterable[PlannedRedaction]) -> str:
    """SHA-256 of the plan's spans in a canonical order: which plan a release applied."""
    lines = sorted(
        json.dumps([r.reference_id, r.start, r.end, r.text, r.entity], ensure_ascii=False)
        for r in plan
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _pseudonyms(archive: Archive, plan: Sequence[PlannedRedaction]) -> dict[str, str]:
    """Each planned entity's pseudonym from the protect list (by name as entered or by key)."""
    by_key = {entry.key: entry.pseudonym for entry in list_protected_names(archive)}
    found: dict[str, str] = {}
    missing: list[str] = []
    for entity in dict.fromkeys(r.entity for r in plan):
        pseudonym = by_key.get(name_key(entity))
        if pseudonym is None:
            missing.append(entity)
        else:
            found[entity] = pseudonym
    if missing:
        raise RedactionError(
            "no pseudonym for "
            + ", ".join(repr(m) for m in missing)
            + ": add each name to the protect list, which assigns one"
        )
    return found


def _cables(
    archive: Archive, plan: Sequence[PlannedRedaction], reference_ids: Iterable[str] | None
) -> tuple[dict[str, int], dict[str, list[PlannedRedaction]]]:
    """The cables to release (canonical id -> row id) and each one's planned spans."""
    wanted = list(reference_ids) if reference_ids is not None else [r.reference_id for r in plan]
    resolved: dict[str, tuple[int, str] | None] = {
        ref: resolve_id(archive, ref)
        for ref in dict.fromkeys([*wanted, *(r.reference_id for r in plan)])
    }
    unknown = [ref for ref in dict.fromkeys(wanted) if resolved[ref] is None]
    if unknown:
        raise CableNotFound(f"no such cable in {archive.path}: {', '.join(unknown)}")
    cables = {found[1]: found[0] for ref in wanted if (found := resolved[ref]) is not None}
    spans: dict[str, list[PlannedRedaction]] = {ref: [] for ref in cables}
    for r in plan:
        found = resolved[r.reference_id]
        if found is not None and found[1] in spans:
            spans[found[1]].append(r)
    return dict(sorted(cables.items())), spans


def apply_plan(
    archive: Archive,
    plan: Sequence[PlannedRedaction],
    *,
    label: str,
    style: str = "marker",
    marker: str = DEFAULT_MARKER,
    withhold_above: str | None = None,
    reference_ids: Iterable[str] | None = None,
) -> ReleaseSummary:
    """Redact the current version of each cable (the plan's cables, or ``reference_ids``:
    spans planned for other cables are left out) and store the result as release ``label``.

    Unmarked paragraphs rank as their cable's classification. Raises
    :class:`StalePlanError` naming every cable whose text changed since the plan,
    :class:`RedactionError` for bad settings or missing pseudonyms and ``CableNotFound`` for
    unknown cables; in each case nothing is stored.
    """
    check_settings(style, marker, withhold_above)
    cables, spans = _cables(archive, plan, reference_ids)
    if not cables:
        raise RedactionError("nothing to release: the plan names no cable and no ids were given")
    pseudonyms = (
        _pseudonyms(archive, [r for s in spans.values() for r in s]) if style == "pseudonym" else {}
    )
    settings: dict[str, Any] = {
        "style": style,
        "withhold_above": withhold_above,
        "plan_digest": plan_digest(plan),
        "planned": len(plan),
    }
    if style == "marker":
        settings["marker"] = marker
    totals = {"spans": 0, "withheld": 0, "planned": 0}

    def rows() -> Iterator[ReleaseRow]:
        stale: list[str] = []
        for ref, cable_id in cables.items():
            stored = require_cable(archive, ref)
            try:
                release = redact(
                    stored.cable.text,
                    stored.cable.paragraphs,
                    spans[ref],
                    style=style,
                    marker=marker,
                    pseudonyms=pseudonyms,
                    withhold_above=withhold_above,
                    unmarked=classification_mark(stored.cable.classification),
                )
            except StalePlanError as exc:
                stale.append(f"{ref} (version {stored.version}): {exc}")
                continue
            totals["spans"] += release.spans_replaced
            totals["withheld"] += release.paragraphs_withheld
            totals["planned"] += release.planned
            yield ReleaseRow(
                cable_id,
                stored.version,
                release.text,
                release.spans_replaced,
                release.paragraphs_withheld,
                [(p.start, p.end, p.original_start, p.original_end) for p in release.pieces()],
            )
        if stale:
            raise StalePlanError(
                f"the plan is stale for {len(stale)} cable(s); make a new plan:\n"
                + "\n".join(stale)
            )

    info = store_release(archive, label, settings, rows())
    return ReleaseSummary(
        info.id,
        info.label,
        info.cables,
        totals["spans"],
        totals["withheld"],
        totals["planned"],
        info.settings,
    )


def _subject(text: str) -> str | None:
    """The subject as the release text gives it (never the unredacted stored one)."""
    try:
        return parse(text).subject
    except CabledeskError:
        return None


def release_records(archive: Archive, release: ReleaseInfo) -> Iterator[dict[str, Any]]:
    """One JSON-ready record per released cable, in reference-id order, streaming."""
    for item in iter_release_texts(archive, release.id):
        yield _record(release, item)


def _record(release: ReleaseInfo, item: ReleaseText) -> dict[str, Any]:
    return {
        "reference_id": item.reference_id,
        "release": release.label,
        "version": item.version,
        "subject": _subject(item.text),
        "date": item.date,
        "origin": item.origin,
        "classification": item.classification,
        "spans_replaced": item.spans_replaced,
        "paragraphs_withheld": item.paragraphs_withheld,
        "text": item.text,
    }


def file_stem(reference_id: str, taken: set[str]) -> str:
    """A file name for a cable: its id with anything but letters, digits, ``.-_`` as ``_``,
    never hidden, never twice."""
    stem = _UNSAFE_FILE_CHARS.sub("_", reference_id) or "cable"
    if stem.startswith("."):
        stem = "_" + stem
    candidate, n = stem, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate.casefold())
    return candidate


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """Where an export went and how many cables it holds."""

    path: Path
    fmt: str
    cables: int


def _write_texts(archive: Archive, release: ReleaseInfo, folder: Path) -> int:
    taken: set[str] = set()
    count = 0
    for item in iter_release_texts(archive, release.id):
        path = folder / f"{file_stem(item.reference_id, taken)}.txt"
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(item.text)
        count += 1
    return count


def _write_jsonl(archive: Archive, release: ReleaseInfo, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in release_records(archive, release):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _site_items(
    archive: Archive, release: ReleaseInfo
) -> Iterator[tuple[str, dict[str, Any], ReleaseText]]:
    taken: set[str] = set()
    for item in iter_release_texts(archive, release.id):
        yield file_stem(item.reference_id, taken), _record(release, item), item


def export_release(
    archive: Archive, release: int | str | ReleaseInfo, fmt: str = "text", *, out: Path
) -> ExportSummary:
    """Write a stored release: ``text`` (a folder of ``<REFID>.txt``), ``jsonl`` (one file,
    one object per cable) or ``site`` (a folder: ``index.html``, ``style.css``, one page per
    cable under ``cables/``). Folders must not exist or be empty; the export is built beside
    ``out`` and moved into place at the end, so a failed export leaves nothing half-written."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    info = release if isinstance(release, ReleaseInfo) else get_release(archive, release)
    if info is None:
        raise ExportError(f"no release {release!r} in {archive.path}")
    out = Path(out)
    if fmt != "jsonl" and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out}: exists and is not an empty folder; choose a new one")
    if fmt == "jsonl" and out.is_dir():
        raise ExportError(f"{out}: is a folder; the jsonl export is one file")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        if fmt == "jsonl":
            count = _write_jsonl(archive, info, partial)
            os.replace(partial, out)
        else:
            partial.mkdir()
            if fmt == "text":
                count = _write_texts(archive, info, partial)
            else:
                count = write_site(info, _site_items(archive, info), partial)
            if out.exists():
                out.rmdir()
            partial.rename(out)
    except BaseException:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        else:
            partial.unlink(missing_ok=True)
        raise
    return ExportSummary(out, fmt, count)
