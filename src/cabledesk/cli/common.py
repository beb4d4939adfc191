"""What every command shares: the Typer app, the consoles, common options, archive access."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from cabledesk.errors import ParseError
from cabledesk.telegram import Cable, parse

if TYPE_CHECKING:
    from cabledesk.archive.store import Archive
    from cabledesk.services.selection import Selection

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Diplomatic telegrams (cables): parse and validate them, build a searchable, linked "
    "archive, and publish them without exposing the people in them.",
)


def _show_version(value: bool) -> None:
    if value:
        from cabledesk import __version__, compiled

        out.print(f"cabledesk {__version__}", highlight=False)
        out.print(f"telegram layer: {compiled.status()}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Options before the command."""


out = Console()
err = Console(stderr=True, soft_wrap=True)

Files = Annotated[
    list[Path],
    typer.Argument(help="Cable files (.txt, .html, cables.csv, .jsonl, .gz) or folders to walk."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON Lines instead of a table.")]
DbOption = Annotated[
    Path, typer.Option("--db", help="Archive file (SQLite).", envvar="CABLEDESK_DB")
]
DEFAULT_DB = Path("cabledesk.db")


def _parse_files(paths: list[Path]) -> Iterator[tuple[str, Cable | None]]:
    """Parse every cable the sources hold (any format ``cabledesk.sources`` reads); a record
    that fails prints one line on stderr naming file, line and reason, and yields None."""
    from cabledesk.sources import RawCable, read_sources

    for record in read_sources(paths):
        if not isinstance(record, RawCable):
            err.print(f"[red]error[/red] {record.source}:{record.line}: {record.reason}")
            yield record.source, None
            continue
        try:
            yield record.source, parse(record.text, record.hints)
        except ParseError as exc:
            line = record.line + max(exc.line - 1, 0)
            err.print(f"[red]error[/red] {record.source}:{line}: {exc.reason}", highlight=False)
            yield record.source, None


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


OutOption = Annotated[Path, typer.Option("--out", help="File to write; - for standard output.")]


def _destination(path: Path) -> Path | IO[bytes]:
    """``--out -`` is standard output (for a pipe); any other value is a file."""
    return sys.stdout.buffer if str(path) == "-" else path


def _written(path: Path, as_json: bool, summary: dict[str, object], line: str) -> None:
    """Report what an export wrote: on stdout, or on stderr when the data itself went there."""
    piped = str(path) == "-"
    if as_json:
        text = json.dumps(summary, ensure_ascii=False) + "\n"
        (sys.stderr if piped else sys.stdout).write(text)
    else:
        (err if piped else out).print(line, highlight=False)


OriginOption = Annotated[
    list[str] | None,
    typer.Option("--origin", help="Only this post (Moscow, Embassy Moscow, MOSCOW); repeatable."),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only cables dated from YYYY[-MM[-DD]].")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Only cables dated up to YYYY[-MM[-DD]] inclusive.")
]
JsonObjectFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error[/red] {escape(message)}", highlight=False)
    raise typer.Exit(1)


@contextlib.contextmanager
def _reading(db: Path) -> Iterator[Archive]:
    """The archive, read-only. A missing or foreign file, an unknown id or version, a bad
    option value: one line on stderr and exit status 1."""
    from cabledesk.archive.store import Archive
    from cabledesk.errors import CabledeskError

    try:
        with Archive.open(db, readonly=True) as archive:
            yield archive
    except (CabledeskError, ValueError) as exc:
        _fail(str(exc))


def _check_origins(archive: Archive, selection: Selection) -> None:
    """An ``--origin`` naming no post of the archive is a mistake to report, not an empty result."""
    for name in selection.unknown_origins(archive.conn):
        _fail(f"--origin {name!r}: no post of {archive.path} has that name")


def _selection(origin: list[str] | None, since: str | None, until: str | None) -> Selection:
    from cabledesk.services.selection import Selection

    try:
        return Selection(origins=tuple(origin or ()), since=since, until=until)
    except ValueError as exc:
        _fail(str(exc))
