"""Commands that protect the people in an archive: people, protect add/list/remove/plan/apply/
export/releases (the audit is ``cli.audit``)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from cabledesk.cli.common import (
    DEFAULT_DB,
    DbOption,
    _fail,
    _parse_files,
    _print_json,
    _reading,
    app,
    err,
    out,
)

if TYPE_CHECKING:
    from cabledesk.archive.store import Archive
    from cabledesk.protect.model import Entity, PlannedRedaction

protect_app = typer.Typer(
    no_args_is_help=True,
    help="The protect list, the redaction plan and release versions (docs/protect.md).",
)
app.add_typer(protect_app, name="protect")

NerFlag = Annotated[
    bool,
    typer.Option(
        "--ner/--no-ner",
        help="Ask spaCy's small English model about names the rules doubt (if installed).",
    ),
]
JsonLines = Annotated[bool, typer.Option("--json", help="Print JSON Lines.")]


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@contextlib.contextmanager
def _writing(db: Path) -> Iterator[Archive]:
    """The archive, for writing the protect list or a release; errors as one line, exit 1."""
    from cabledesk.archive.store import Archive
    from cabledesk.errors import CabledeskError

    if not db.exists():
        _fail(f"{db}: no such archive (run cabledesk ingest first)")
    try:
        with Archive.open(db, create=False) as archive:
            yield archive
    except (CabledeskError, ValueError) as exc:
        _fail(str(exc))


def _ner(enabled: bool):  # type: ignore[no-untyped-def]
    from cabledesk.protect.mentions import load_ner

    if not enabled:
        return None
    model = load_ner()
    if model is None:
        err.print("[yellow]note[/yellow] spaCy's model is not installed; rules alone")
    return model


def _entity_row(e: Entity) -> dict[str, object]:
    return {
        "name": e.name,
        "key": e.key,
        "kind": e.kind,
        "cables": len(e.cables),
        "mentions": e.mentions,
        "official": e.official,
        "variants": sorted(e.variants),
        "titles": sorted(e.titles),
        "reference_ids": sorted(e.cables)[:20],
    }


@app.command("people")
def people_cmd(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Cable files or folders (else the archive).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    origin: Annotated[list[str] | None, typer.Option("--origin", help="Only this post.")] = None,
    year: Annotated[list[int] | None, typer.Option("--year", help="Only this year.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="People to print (0: all).")] = 50,
    officials: Annotated[
        bool, typer.Option("--officials/--no-officials", help="Include header officials.")
    ] = True,
    ner: NerFlag = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Processes (default: one per core).")
    ] = None,
    as_json: JsonLines = False,
) -> None:
    """The people the cables name, grouped across cables, most widely named first."""
    import os

    from cabledesk.protect.people import archive_ids, people, people_in_cables

    model = _ner(ner)
    with _progress() as bar:
        if files:
            task = bar.add_task("people", total=None)
            cables = (c for _, c in _parse_files(files) if c is not None)
            index = people_in_cables(cables, ner=model, on_cable=lambda: bar.advance(task))
            entities = index.entities()
        else:
            with _reading(db) as archive:
                ids = archive_ids(archive, origin or (), year or ())
                task = bar.add_task("people", total=len(ids))
                entities = people(
                    archive,
                    ids,
                    ner=model,
                    on_cable=lambda: bar.advance(task),
                    workers=(os.cpu_count() or 1) if workers is None else workers,
                )
    if not officials:
        entities = [e for e in entities if not e.official]
    shown = entities[:limit] if limit else entities
    if as_json:
        for e in shown:
            _print_json(_entity_row(e))
        return
    table = Table(title=f"{len(entities):,} people", title_justify="left")
    for col in ("name", "cables", "mentions", "role", "written as"):
        table.add_column(col, justify="right" if col in ("cables", "mentions") else "left")
    for e in shown:
        variants = ", ".join(sorted(e.variants)[:4])
        role = "official" if e.official else ""
        table.add_row(escape(e.name), str(len(e.cables)), str(e.mentions), role, escape(variants))
    out.print(table)


@protect_app.command("add")
def protect_add_cmd(
    names: Annotated[list[str] | None, typer.Argument(help="Names to protect.")] = None,
    db: DbOption = DEFAULT_DB,
    file: Annotated[
        Path | None, typer.Option("--file", help="A file of names, one per line (# comments).")
    ] = None,
    pseudonym: Annotated[
        str | None, typer.Option("--pseudonym", help="Pseudonym (one name only).")
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="person or organisation.")] = "person",
    note: Annotated[str, typer.Option("--note", help="Why (kept with the entry).")] = "",
) -> None:
    """Add names to the archive's protect list (each gets a pseudonym: Person 1, 2...)."""
    from cabledesk.archive.protection import ProtectionError, add_protected_name, get_protected_name

    wanted = list(names or [])
    if file is not None:
        try:
            lines = file.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"{file}: cannot read the names ({exc})")
        wanted += [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not wanted:
        _fail("give names to protect, or --file NAMES.txt")
    if pseudonym is not None and len(wanted) != 1:
        _fail("--pseudonym applies to one name at a time")
    with _writing(db) as archive:
        for name in wanted:
            if get_protected_name(archive, name) is not None:
                err.print(f"already protected: {escape(name)}")
                continue
            try:
                entry = add_protected_name(archive, name, kind=kind, pseudonym=pseudonym, note=note)
            except ProtectionError as exc:
                _fail(str(exc))
            out.print(f"protected {escape(entry.name)} as {escape(entry.pseudonym)}")


@protect_app.command("remove")
def protect_remove_cmd(
    names: Annotated[list[str], typer.Argument(help="Names to take off the list.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Take names off the protect list."""
    from cabledesk.archive.protection import remove_protected_name

    with _writing(db) as archive:
        for name in names:
            if remove_protected_name(archive, name) is None:
                _fail(f"{name!r} is not on the protect list")
            out.print(f"removed {escape(name)}")


@protect_app.command("list")
def protect_list_cmd(db: DbOption = DEFAULT_DB, as_json: JsonLines = False) -> None:
    """The protect list."""
    from cabledesk.archive.protection import list_protected_names

    with _reading(db) as archive:
        entries = list_protected_names(archive)
    if as_json:
        for e in entries:
            _print_json(e.to_dict())
        return
    table = Table(title=f"{len(entries)} protected", title_justify="left")
    for col in ("name", "pseudonym", "kind", "note", "added"):
        table.add_column(col)
    for e in entries:
        d = e.to_dict()
        table.add_row(
            *(
                escape(str(d.get(c) or ""))
                for c in ("name", "pseudonym", "kind", "note", "added_at")
            )
        )
    out.print(table)


def _plan(archive: Archive, names: list[str] | None) -> list[PlannedRedaction]:
    from cabledesk.archive.protection import list_protected_names
    from cabledesk.protect.matching import targets
    from cabledesk.protect.plan import candidate_ids, plan_archive

    wanted = names or [e.name for e in list_protected_names(archive)]
    if not wanted:
        _fail("the protect list is empty: cabledesk protect add NAME")
    prepared = targets(wanted)
    candidates = candidate_ids(archive, prepared)
    planned: list[PlannedRedaction] = []
    with _progress() as bar:
        task = bar.add_task("plan", total=len(candidates))
        for _, plan in plan_archive(archive, prepared, candidates=candidates):
            planned.extend(plan)
            bar.advance(task)
    return planned


def _read_plan(path: Path) -> list[PlannedRedaction]:
    from cabledesk.protect.model import PlannedRedaction

    plan: list[PlannedRedaction] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{path}: cannot read the plan ({exc})")
    fields = {f.name for f in dataclasses.fields(PlannedRedaction)}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            plan.append(PlannedRedaction(**{k: v for k, v in obj.items() if k in fields}))
        except (ValueError, TypeError) as exc:
            _fail(f"{path}:{n}: not a planned redaction ({exc})")
    return plan


@protect_app.command("plan")
def protect_plan_cmd(
    names: Annotated[
        list[str] | None, typer.Argument(help="Names (default: the archive's protect list).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0, max=1, help="Hide surer-not spans.")
    ] = 0.0,
    as_json: JsonLines = False,
) -> None:
    """Every mention of every protected name, with rule and confidence, for review.

    Save it with --json > plan.jsonl, edit it, and apply it with protect apply --plan."""
    with _reading(db) as archive:
        plan = [p for p in _plan(archive, names) if p.confidence >= min_confidence]
    if as_json:
        for p in plan:
            _print_json(dataclasses.asdict(p))
        return
    table = Table(
        title=f"{len(plan):,} mentions in {len({p.reference_id for p in plan}):,} cables",
        title_justify="left",
    )
    for col in ("cable", "¶", "offset", "written", "protected name", "rule", "conf."):
        table.add_column(col)
    for p in plan:
        para = "" if p.paragraph is None else f"{'' if p.paragraph_numbered else '#'}{p.paragraph}"
        table.add_row(
            p.reference_id,
            para,
            str(p.start),
            escape(" ".join(p.text.split())),
            escape(p.entity),
            p.rule,
            f"{p.confidence:.2f}",
        )
    out.print(table)


@protect_app.command("apply")
def protect_apply_cmd(
    label: Annotated[str, typer.Option("--label", help="The release's name.")],
    db: DbOption = DEFAULT_DB,
    plan_file: Annotated[
        Path | None, typer.Option("--plan", help="A reviewed plan (protect plan --json).")
    ] = None,
    style: Annotated[str, typer.Option("--style", help="marker or pseudonym.")] = "marker",
    marker: Annotated[str, typer.Option("--marker", help="Replacement text.")] = "XXXXXXXXXXXX",
    withhold_above: Annotated[
        str | None,
        typer.Option("--withhold-above", help="Withhold paragraphs marked above this (U, C, S)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Store release versions of the planned cables; the originals are never changed."""
    from cabledesk.errors import CabledeskError
    from cabledesk.protect.release import apply_plan

    with _writing(db) as archive:
        plan = _read_plan(plan_file) if plan_file is not None else _plan(archive, None)
        try:
            summary = apply_plan(
                archive,
                plan,
                label=label,
                style=style,
                marker=marker,
                withhold_above=withhold_above,
            )
        except CabledeskError as exc:
            _fail(str(exc))
    if as_json:
        _print_json(summary.to_dict())
        return
    d = summary.to_dict()
    out.print(
        f"release {escape(str(d.get('label', label)))}: "
        + ", ".join(f"{k} {v}" for k, v in d.items() if isinstance(v, int))
    )


@protect_app.command("releases")
def protect_releases_cmd(db: DbOption = DEFAULT_DB, as_json: JsonLines = False) -> None:
    """The releases stored in the archive."""
    from cabledesk.archive.protection import list_releases

    with _reading(db) as archive:
        releases = list_releases(archive)
    if as_json:
        for r in releases:
            _print_json(r.to_dict())
        return
    table = Table(title=f"{len(releases)} releases", title_justify="left")
    for col in ("id", "label", "cables", "style", "withheld above", "created"):
        table.add_column(col)
    for r in releases:
        settings = r.settings
        table.add_row(
            str(r.id),
            escape(r.label),
            f"{r.cables:,}",
            str(settings.get("style", "")),
            str(settings.get("withhold_above") or ""),
            r.created_at,
        )
    out.print(table)


@protect_app.command("export")
def protect_export_cmd(
    release: Annotated[str, typer.Argument(help="Release label or id.")],
    out_path: Annotated[Path, typer.Option("--out", help="Folder (text, site) or file (jsonl).")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="text, jsonl or site.")] = "text",
) -> None:
    """Write a release as text files, JSON Lines or a static HTML site."""
    from cabledesk.errors import CabledeskError
    from cabledesk.protect.release import export_release

    with _reading(db) as archive:
        try:
            summary = export_release(archive, release, fmt, out=out_path)
        except CabledeskError as exc:
            _fail(str(exc))
    err.print(f"wrote {summary.cables:,} cables to {escape(str(summary.path))} ({summary.fmt})")
