"""``cabledesk audit``: the names an already-redacted release still gives away."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from cabledesk.cli.common import (
    DEFAULT_DB,
    JsonFlag,
    _fail,
    _parse_files,
    _print_json,
    _reading,
    app,
    out,
)

if TYPE_CHECKING:
    from cabledesk.protect.model import AuditFinding
    from cabledesk.telegram import Cable


@app.command("audit")
def audit_cmd(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Cable files or folders; files sharing an id are its versions."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Archive file (SQLite) to audit.", envvar="CABLEDESK_DB"),
    ] = None,
    as_json: JsonFlag = False,
    min_risk: Annotated[
        float, typer.Option("--min-risk", help="Only findings at or above this risk (0..1).")
    ] = 0.0,
    limit: Annotated[
        int | None, typer.Option("--limit", help="At most this many findings, riskiest first.")
    ] = None,
) -> None:
    """Flag names a release still gives away: in redaction-shaped sentences ("according to
    Chun"), in one version but redacted in another, or printed where another cable redacts."""
    from cabledesk.protect.audit import audit_archive, audit_cables

    if not 0.0 <= min_risk <= 1.0:
        _fail(f"--min-risk {min_risk}: give a risk between 0 and 1")
    if files:
        cables: list[Cable] = []
        labels: list[str] = []
        for source, cable in _parse_files(files):
            if cable is not None:
                cables.append(cable)
                labels.append(Path(source).name)
        findings = audit_cables(cables, labels)
    else:
        with _reading(db or DEFAULT_DB) as archive:
            findings = audit_archive(archive)
    shown = [f for f in findings if f.risk >= min_risk][: limit if limit else None]
    if as_json:
        for f in shown:
            _print_json(_finding_dict(f))
        return
    out.print(_table(shown, len(findings)))


def _finding_dict(f: AuditFinding) -> dict[str, object]:
    return {
        "name": f.name,
        "reference_id": f.reference_id,
        "paragraph": f.paragraph,
        "offset": f.offset,
        "rule": f.rule,
        "risk": f.risk,
        "detail": f.detail,
    }


def _table(findings: list[AuditFinding], total: int) -> Table:
    """Cable text reaches Rich only as plain ``Text``, never as markup."""
    title = f"{len(findings):,} of {total:,} findings, riskiest first"
    table = Table(title=title, title_justify="left", show_lines=True)
    for name, justify in (("risk", "right"), ("name", "left"), ("cable", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_column("¶ / offset", justify="right")
    table.add_column("rule")
    table.add_column("why")
    for f in findings:
        para = "-" if f.paragraph is None else f"{'' if f.paragraph_numbered else '#'}{f.paragraph}"
        table.add_row(
            f"{f.risk:.2f}",
            Text(f.name, style="bold"),
            Text(f.reference_id, style="cyan"),
            f"{para} / {f.offset}",
            f.rule,
            Text(f.detail),
        )
    return table
