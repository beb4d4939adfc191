"""The ``serve`` command: the web app and HTTP API over an archive, run by uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from cabledesk.cli.common import DEFAULT_DB, DbOption, _fail, app, err


@app.command("serve")
def serve_cmd(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)
    ] = 8000,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log every request on stderr.")
    ] = False,
    editor: Annotated[
        bool,
        typer.Option(
            "--editor",
            help="An editor's own server: serve source protection's endpoints (people, "
            "protect list, plan, releases, audit). Never on a public address.",
        ),
    ] = False,
) -> None:
    """Serve the search pages, cable pages, citation graphs and the JSON API (docs/web.md)."""
    import uvicorn

    from cabledesk.errors import CabledeskError
    from cabledesk.web import create_app

    try:
        web_app = create_app(db, editor=editor)
    except CabledeskError as exc:
        _fail(str(exc))
    err.print(f"cabledesk: serving {db} on http://{host}:{port}/ (Ctrl+C stops)", highlight=False)
    uvicorn.run(
        web_app,
        host=host,
        port=port,
        log_level="info" if access_log else "warning",
        access_log=access_log,
        server_header=False,
    )
