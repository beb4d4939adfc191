"""Commands on cable files: parse, validate, render, summary, conformance."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cabledesk.telegram import Cable, Finding, render, validate

if TYPE_CHECKING:
    pass

from cabledesk.cli.common import (
    Files,
    JsonFlag,
    _parse_files,
    _print_json,
    app,
    out,
)


@app.command("parse")
def parse_cmd(files: Files, as_json: JsonFlag = False) -> None:
    """Parse cables: one JSON object per cable (--json), or a readable view."""
    failed = False
    for path, cable in _parse_files(files):
        if cable is None:
            failed = True
        elif as_json:
            _print_json(cable.to_dict())
        else:
            _show(path, cable)
    raise typer.Exit(1 if failed else 0)


@app.command("validate")
def validate_cmd(files: Files, as_json: JsonFlag = False) -> None:
    """Check each cable's internal consistency; findings are warnings."""
    failed = False
    for path, cable in _parse_files(files):
        if cable is None:
            failed = True
            continue
        findings = validate(cable)
        if as_json:
            _print_json(
                {
                    "file": str(path),
                    "reference_id": cable.reference_id,
                    "findings": [_finding_dict(f) for f in findings],
                }
            )
            continue
        out.print(f"[bold]{path}[/bold] {cable.reference_id or ''}: {len(findings)} finding(s)")
        for f in findings:
            where = f" @{f.start}" if f.start is not None else ""
            out.print(f"  [yellow]{f.code}[/yellow]{where} {f.message}", highlight=False)
    raise typer.Exit(1 if failed else 0)


def _finding_dict(f: Finding) -> dict[str, object]:
    return {
        "code": f.code,
        "message": f.message,
        "severity": f.severity,
        "start": f.start,
        "end": f.end,
    }


@app.command("render")
def render_cmd(files: Files) -> None:
    """Print each cable re-rendered from its parsed fields."""
    failed = False
    for _path, cable in _parse_files(files):
        if cable is None:
            failed = True
        else:
            sys.stdout.write(render(cable))
    raise typer.Exit(1 if failed else 0)


@app.command("summary")
def summary_cmd(files: Files) -> None:
    """Parse every cable and print counts by shape, classification, origin and finding."""
    shapes: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    ok = bad = 0
    for _path, cable in _parse_files(files):
        if cable is None:
            bad += 1
            continue
        ok += 1
        shapes[cable.shape] += 1
        levels[cable.classification or "?"] += 1
        origins[cable.origin or "?"] += 1
        codes.update(f.code for f in validate(cable))
    out.print(f"[bold]{ok}[/bold] cables parsed, [bold]{bad}[/bold] failed")
    for title, counter in (
        ("shape", shapes),
        ("classification", levels),
        ("origin (top 10)", origins),
        ("validation finding", codes),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column(title)
        table.add_column("cables", justify="right")
        for key, count in counter.most_common(10):
            table.add_row(key, str(count))
        out.print(table)
    raise typer.Exit(1 if bad else 0)


@app.command("conformance")
def conformance_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder of cablemap vector *.json files.")],
    corpus: Annotated[
        Path, typer.Option(help="Folder of <REFID>.txt cables for by-id vectors.")
    ] = Path("../shared/corpus/raw"),
    as_json: JsonFlag = False,
    failures: Annotated[bool, typer.Option(help="List the failing cases.")] = False,
) -> None:
    """Run the cablemap conformance vectors: passed / total per vector file."""
    from cabledesk import conformance

    results = conformance.run(folder, corpus if corpus.is_dir() else None)
    if as_json:
        _print_json({r.name: r.as_json() for r in results})
        return
    table = Table(title="conformance", title_justify="left")
    for col in ("vectors", "passed", "total", "%", "skipped"):
        table.add_column(col, justify="left" if col == "vectors" else "right")
    for r in results:
        pct = f"{100.0 * r.passed / r.total:.1f}" if r.total else "-"
        table.add_row(r.name, str(r.passed), str(r.total), pct, str(r.skipped))
    out.print(table)
    if failures:
        for r in results:
            cases = json.loads((folder / f"{r.name}.json").read_text("utf-8"))["cases"]
            for line in conformance.iter_failure_lines(r, cases):
                out.print(line, highlight=False, markup=False)


def _show(path: str, cable: Cable) -> None:
    table = Table(show_header=False, title=f"{path}", title_justify="left", box=None)
    table.add_column(style="bold cyan")
    table.add_column()
    date = cable.date.strftime("%Y-%m-%d %H:%MZ") if cable.date else "?"
    rows = [
        ("reference id", f"{cable.reference_id} ({cable.reference_id_source})"),
        ("canonical id", cable.canonical_id or "?"),
        ("date", f"{date} ({cable.date_source})"),
        ("origin", cable.origin or "?"),
        ("classification", cable.classification or "?"),
        ("precedence", cable.precedence or "?"),
        ("captions", " ".join(cable.captions)),
        ("to", "; ".join(a.address for a in cable.to)),
        ("info", f"{len(cable.info)} addressees"),
        ("tags", " ".join(f"{t.code}" for t in cable.tags)),
        ("subject", cable.subject or ""),
        ("references", "; ".join(r.cable_id or r.text for r in cable.references)),
        ("classified by", cable.classified_by.name or "" if cable.classified_by else ""),
        ("paragraphs", str(len(cable.paragraphs))),
        ("redactions", str(len(cable.redactions))),
        ("signers", ", ".join(cable.signers)),
    ]
    for k, v in rows:
        table.add_row(k, v)
    out.print(table, highlight=False)
