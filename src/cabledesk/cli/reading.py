"""Commands that read an archive: search, show, refs, graph."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

if TYPE_CHECKING:
    from cabledesk.services.search import SearchResult

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
    _print_json,
    _reading,
    _selection,
    _written,
    app,
    out,
)


@app.command(
    "search",
    # "-tag:PREL iran" is a query (NOT), not an unknown option; search has no short options
    context_settings={"ignore_unknown_options": True},
)
def search_cmd(
    query: Annotated[
        str,
        typer.Argument(
            help='Words, "phrases", prefix*, AND OR NOT, -word, ( ), field:value (docs/search.md).'
        ),
    ] = "",
    db: DbOption = DEFAULT_DB,
    as_json: JsonObjectFlag = False,
    origin: Annotated[
        list[str] | None, typer.Option("--origin", help="Post: Moscow, MOSCOW, 'San Jose'.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="TAGS code: PREL, ZI.")] = None,
    classification: Annotated[
        list[str] | None, typer.Option("--classification", help="SECRET, CONFIDENTIAL...")
    ] = None,
    caption: Annotated[
        list[str] | None, typer.Option("--caption", help="Handling caption: NOFORN, SIPDIS.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Dated from YYYY[-MM[-DD]].")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Dated up to YYYY[-MM[-DD]] inclusive.")
    ] = None,
    has_redactions: Annotated[
        bool, typer.Option("--has-redactions", help="Only cables with redactions.")
    ] = False,
    sort: Annotated[
        str, typer.Option("--sort", help="rank, date (oldest first) or -date (newest first).")
    ] = "rank",
    page: Annotated[int, typer.Option("--page", help="Page number, from 1.")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", help="Results a page (max 100).")] = 20,
) -> None:
    """Search the archive: ranked results with snippets, the total and facet counts."""
    from cabledesk.services.search import search

    with _reading(db) as archive:
        result = search(
            archive,
            query,
            origin=origin,
            tag=tag,
            classification=classification,
            caption=caption,
            date_from=date_from,
            date_to=date_to,
            has_redactions=has_redactions,
            sort=sort,
            page=page,
            per_page=per_page,
        )
    if as_json:
        _print_json(result.to_dict())
        return
    for part in _search_view(result):
        out.print(part, highlight=False)


def _search_view(result: SearchResult) -> list[object]:
    """The results table (snippet hits in bold yellow) and the top five values of each facet.
    Cable text reaches Rich only as plain ``Text``, never as markup."""
    from rich.text import Text

    from cabledesk.services.snippets import snippet_parts

    first = (result.page - 1) * result.per_page
    matches = "cable matches" if result.total == 1 else "cables match"
    pages = max(result.pages, 1)
    title = f"{result.total:,} {matches}; page {result.page} of {pages}, by {result.sort}"
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    for name in ("cable", "date", ""):
        table.add_column(name)
    for i, hit in enumerate(result.hits, first + 1):
        body = Text(hit.subject or "(no subject)", style="bold")
        body.append("\n")
        for text, marked in snippet_parts(hit.snippet):
            body.append(text, style="bold yellow" if marked else "")
        where = Text(hit.reference_id, style="cyan")
        where.append(f"\n{hit.origin or '?'}\n{hit.classification or ''}")
        table.add_row(str(i), where, (hit.date or "?")[:10], body)
    parts: list[object] = [table]
    for name, counts in result.facets.items():
        top = list(counts.items())[:5]
        if top:
            line = Text(f"{name}: ", style="bold")
            line.append(", ".join(f"{value} {n:,}" for value, n in top))
            parts.append(line)
    return parts


@app.command("show")
def show_cmd(
    reference_id: Annotated[str, typer.Argument(help="Cable id, any spelling (09THEHAGUE2).")],
    db: DbOption = DEFAULT_DB,
    version: Annotated[
        int | None, typer.Option("--version", help="Show this version (default: the current).")
    ] = None,
    diff: Annotated[
        int | None,
        typer.Option("--diff", help="Print the unified diff from this version to the shown one."),
    ] = None,
    as_json: JsonObjectFlag = False,
) -> None:
    """Show one archived cable: decoded header, fields, references, findings, versions, text."""
    from cabledesk.services.console import cable_view
    from cabledesk.services.reading import require_cable
    from cabledesk.services.refs import held_cables

    with _reading(db) as archive:
        stored = require_cable(archive, reference_id, version)
        if diff is not None:
            sys.stdout.write(stored.diff(diff, stored.version))
            return
        if as_json:
            _print_json(stored.to_dict())
            return
        cited = sorted({r.cable_id for r in stored.cable.references if r.cable_id})
        held = set(held_cables(archive, cited))
        for part in cable_view(stored, held):
            out.print(part, highlight=False)


@app.command("refs")
def refs_cmd(
    reference_id: Annotated[str, typer.Argument(help="Cable id, any spelling.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonObjectFlag = False,
) -> None:
    """What a cable cites (each REF with its mentions in the text) and what cites it."""
    from cabledesk.services.console import refs_view
    from cabledesk.services.refs import cable_references

    with _reading(db) as archive:
        refs = cable_references(archive, reference_id)
        if as_json:
            _print_json(refs.to_dict())
            return
        for part in refs_view(refs):
            out.print(part, highlight=False)


@app.command("graph")
def graph_cmd(
    fmt: Annotated[str, typer.Option("--format", help="graphml or gexf.")],
    out_file: OutOption,
    db: DbOption = DEFAULT_DB,
    origin: OriginOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: JsonObjectFlag = False,
) -> None:
    """Write the citation graph (cables citing cables) for Gephi, Cytoscape or networkx."""
    from cabledesk.services.graph import export_graph

    selection = _selection(origin, since, until)
    with _reading(db) as archive:
        _check_origins(archive, selection)
        nodes, edges = export_graph(archive, _destination(out_file), fmt, selection)
    summary = {"out": str(out_file), "format": fmt, "nodes": nodes, "edges": edges}
    _written(out_file, as_json, summary, f"{out_file}: {nodes:,} cables, {edges:,} citations")
