"""The OpenAPI docs at ``/docs``: Swagger UI served by cabledesk itself, under the CSP.

FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script; both
are forbidden here (no assets from the internet, ``script-src 'self'``). The Swagger UI files
come from the ``fastapi-offline`` package, mounted at ``/static/swagger/``, and a small static
script (``static/docs.js``) starts them, with the online validator switched off.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

__all__ = ["SWAGGER_PATH", "install_docs", "swagger_assets"]

SWAGGER_PATH = "/static/swagger"

router = APIRouter(include_in_schema=False)


def swagger_assets() -> Path:
    """The folder holding ``swagger-ui-bundle.js`` and ``swagger-ui.css``."""
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


@router.get("/docs")
def docs_page(request: Request) -> Response:
    """Swagger UI over ``/openapi.json``."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "docs.html", {"swagger": SWAGGER_PATH})


def install_docs(app: FastAPI) -> None:
    """Mount the Swagger UI files and the ``/docs`` page on ``app``."""
    app.mount(SWAGGER_PATH, StaticFiles(directory=swagger_assets()), name="swagger")
    app.include_router(router)
