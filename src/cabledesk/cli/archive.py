"""Commands that build or describe an archive: ingest, stats, export, synth."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from cabledesk.services.selection import Selection

from cabledesk.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonObjectFlag,
    OriginOption,
    OutOption,
    SinceOption,
    UntilOption,
    _check_origins,
    _destination,
    _fail,
    _print_json,
    _reading,
    _selection,
    _written,
    app,
    err,
    out,
)


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders: .txt, WikiLeaks .html, cables.csv, .jsonl, .pdf; .gz too; "
            "- reads standard input."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[
        int | None, typer.Option(help="Parsing processes (default: one per core; 0: in-process).")
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option(help="Cables written per transaction (default 2,048).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's totals as JSON.")
    ] = False,
) -> None:
    """Ingest cables into the archive; re-running adds only what is new."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from cabledesk.archive import ArchiveError, IngestReport, ingest
    from cabledesk.archive.pipeline import BATCH

    total = _count_single_files(paths)
    columns = [
        TextColumn("[bold]ingest[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>8} cables/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err, disable=as_json or not err.is_terminal) as bar:
        task = bar.add_task("ingest", total=total, rate="")

        def on_batch(report: IngestReport) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{report.records / elapsed:,.0f}" if elapsed > 0 else ""
            bar.update(task, completed=report.records, rate=rate)

        try:
            size = BATCH if batch_size is None else batch_size
            report = ingest(paths, db, workers=workers, progress=on_batch, batch_size=size)
        except ArchiveError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False)
            raise typer.Exit(1) from None
    totals = {
        "records": report.records,
        "added": report.added,
        "new_versions": report.new_versions,
        "unchanged": report.unchanged,
        "quarantined": report.quarantined,
    }
    if as_json:
        failures = [
            {"source": f.source, "line": f.line, "reason": f.reason} for f in report.failures
        ]
        _print_json({**totals, "db": str(db), "failures": failures})
    else:
        table = Table(title=f"ingest into {db}", title_justify="left", show_header=False)
        for key, value in totals.items():
            table.add_row(key.replace("_", " "), f"{value:,}")
        out.print(table)
        for f in report.failures[:20]:
            err.print(
                f"[yellow]quarantined[/yellow] {f.source}:{f.line}: {f.reason}", highlight=False
            )
        if report.quarantined > 20:
            err.print(f"... {report.quarantined - 20:,} more: `cabledesk stats --quarantine`")
    raise typer.Exit(1 if report.quarantined else 0)


def _count_single_files(paths: list[Path]) -> int | None:
    """Records to expect when every input holds one cable per file (for the ETA), else None."""
    single = (".txt", ".html", ".htm", ".pdf", ".txt.gz", ".html.gz", ".htm.gz", ".pdf.gz")
    count = 0
    for path in paths:
        if str(path) == "-":  # standard input: any number of cables
            return None
        files = path.rglob("*") if path.is_dir() else [path]
        for f in files:
            name = f.name.lower()
            if f.name.startswith(".") or not f.is_file():
                continue
            if name.endswith((".csv", ".csv.gz", ".jsonl", ".jsonl.gz", ".ndjson")):
                return None
            if name.endswith(single):
                count += 1
    return count


# --- reading the archive: show, refs, graph, stats, export ----------------------------------


@app.command("stats")
def stats_cmd(
    db: DbOption = DEFAULT_DB,
    origin: OriginOption = None,
    as_json: JsonObjectFlag = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also draw cables per month and coverage (PNG).")
    ] = None,
    quarantine: Annotated[
        bool, typer.Option("--quarantine", help="List the quarantined records instead.")
    ] = False,
) -> None:
    """What the archive holds: counts, cables per post and month, coverage of each post's serials."""
    from cabledesk.services import console
    from cabledesk.services import stats as archive_stats

    selection = _selection(origin, None, None)
    with _reading(db) as archive:
        _check_origins(archive, selection)
        if quarantine:
            entries = archive_stats.quarantine(archive)
            if as_json:
                _print_json({"quarantine": [e.to_dict() for e in entries]})
            else:
                out.print(console.quarantine_view(entries), highlight=False)
            return
        result = archive_stats.archive_stats(archive, selection)
    if plot is not None:
        from cabledesk.services.plot import plot_stats

        plot_stats(result, plot)
    if as_json:
        _print_json(result.to_dict())
        return
    for part in console.stats_view(result):
        out.print(part, highlight=False)
    if plot is not None:
        out.print(f"plot written to {plot}", highlight=False)


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet.")],
    out_file: OutOption,
    db: DbOption = DEFAULT_DB,
    origin: OriginOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    query: Annotated[
        str | None,
        typer.Option("--query", help="Export the hits of this search (docs/search.md)."),
    ] = None,
    as_json: JsonObjectFlag = False,
) -> None:
    """Export cables (current versions, with TAGS, captions and text) for other tools."""
    from cabledesk.services.export import export_cables, search_hit_ids, write_cables

    selection = _selection(origin, since, until)
    destination = _destination(out_file)
    if fmt == "parquet" and not isinstance(destination, Path) and sys.stdout.isatty():
        _fail("Parquet is binary: redirect standard output (--out - > cables.parquet)")
    with _reading(db) as archive:
        _check_origins(archive, selection)
        chosen: Selection | None = selection
        ids = None
        if query is not None:  # the search applies the selection's options itself
            ids = search_hit_ids(archive, query, origin=origin, date_from=since, date_to=until)
            chosen = None
        if isinstance(destination, Path):
            count = export_cables(archive, destination, fmt, chosen, ids)
        else:
            count = write_cables(archive, destination, fmt, chosen, ids)
    summary = {"out": str(out_file), "format": fmt, "cables": count}
    _written(out_file, as_json, summary, f"{out_file}: {count:,} cables")


@app.command("synth")
def synth_cmd(
    n: Annotated[int, typer.Option("--n", min=0, help="How many cables to generate.")],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder (txt: <REFID>.txt in sub-folders of 1,000), or file for jsonl/csv.",
        ),
    ],
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same corpus.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="txt, jsonl or csv (cables.csv).")] = "txt",
    start_year: Annotated[int | None, typer.Option(help="First year (default 1966).")] = None,
    end_year: Annotated[int | None, typer.Option(help="Last year (default 2010).")] = None,
) -> None:
    """Generate a synthetic corpus of realistic cables for scale tests."""
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from cabledesk.sources.synthetic import generate
    from cabledesk.sources.writers import FORMATS, open_writer

    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    columns = [
        TextColumn("[bold]synth[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>8} cables/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    started = time.perf_counter()
    try:
        cables = generate(n, seed, start_year, end_year)
        with (
            open_writer(fmt, out_dir) as writer,
            Progress(*columns, console=err, disable=not err.is_terminal) as bar,
        ):
            task = bar.add_task("synth", total=n, rate="")
            for done, cable in enumerate(cables, 1):
                writer.write(cable)
                if done % 500 == 0 or done == n:
                    elapsed = time.perf_counter() - started
                    bar.update(task, completed=done, rate=f"{done / max(elapsed, 1e-9):,.0f}")
    except ValueError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    except OSError as exc:
        where = exc.filename or out_dir
        err.print(f"[red]error[/red] {where}: {exc.strerror or exc}", highlight=False)
        raise typer.Exit(1) from None
    elapsed = time.perf_counter() - started
    rate = n / elapsed if elapsed > 0 else 0.0
    out.print(
        f"{n:,} cables written to {writer.path} ({fmt}) in {elapsed:.1f} s, {rate:,.0f} cables/s",
        highlight=False,
    )


# --- search ---------------------------------------------------------------------------------
