"""The web app: ``create_app(db)`` gives the FastAPI application ``cabledesk serve`` runs.

Pages at ``/``, ``/cables/{id}``, ``/cables/{id}/graph``, ``/origins/{name}``; the JSON API
under ``/api/``; OpenAPI at ``/openapi.json`` and ``/docs``; static files under ``/static/``.
Every response carries the security headers (``web.security``). The archive is opened
read-only through one pool; pages and endpoints read it only through their read context.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import cabledesk
from cabledesk.services.context import ArchivePool
from cabledesk.web import api, pages, protect_api, protect_pages
from cabledesk.web.docs import install_docs
from cabledesk.web.errors import install_error_handlers
from cabledesk.web.security import SecurityHeaders
from cabledesk.web.templating import make_templates

__all__ = ["STATIC_DIR", "create_app"]

STATIC_DIR = Path(__file__).parent / "static"

_DESCRIPTION = """Search and read an archive of diplomatic telegrams built by `cabledesk ingest`.

Errors are JSON: `{"detail": "..."}` (400 a query or value that cannot be served, 404 an
unknown cable, post or version, 422 a parameter of the wrong type or out of range)."""


def create_app(db: Path, *, editor: bool = False) -> FastAPI:
    """The app over the archive file ``db`` (opened read-only; a missing or foreign file
    raises ``ArchiveError`` here, before anything is served). ``editor``: the one user of this
    server is an editor, who may read source protection's endpoints (docs/protect.md)."""
    pool = ArchivePool(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="cabledesk",
        version=cabledesk.__version__,
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.state.editor = editor
    app.state.templates = make_templates()
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    install_docs(app)  # before /static: its files live under /static/swagger
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(protect_api.router)
    app.include_router(pages.router)
    app.include_router(protect_pages.router)
    return app
