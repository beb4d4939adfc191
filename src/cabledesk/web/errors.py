"""Errors as answers: JSON under ``/api/``, an HTML page elsewhere, always with a clear message.

A query that cannot be understood is a 400, an unknown cable or post a 404, a parameter of the
wrong type a 422, an archive that went away a 503; never a 500 for anything a client sends.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.templating import Jinja2Templates

from cabledesk.archive.store import ArchiveError
from cabledesk.services.context import Forbidden, InvalidRequest
from cabledesk.services.origin_profile import OriginNotFound
from cabledesk.services.query import QueryError
from cabledesk.services.reading import CableNotFound

__all__ = ["error_page", "install_error_handlers", "wants_json"]

_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    422: "Bad parameter",
    503: "Archive unavailable",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_page(request: Request, status: int, message: str) -> Response:
    """The HTML error page (the site's layout, the message as text)."""
    templates: Jinja2Templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "title": _TITLES.get(status, "Error"), "message": message},
        status_code=status,
    )
    return response


def _public(request: Request, message: str) -> str:
    """The message without the archive's path on the server (a client has no use for it)."""
    return message.replace(str(request.app.state.pool.path), "the archive")


def _answer(request: Request, status: int, message: str) -> Response:
    message = _public(request, message)
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return error_page(request, status, message)


def install_error_handlers(app: FastAPI) -> None:
    """Map cabledesk's errors, validation errors and HTTP errors to answers."""

    @app.exception_handler(QueryError)
    @app.exception_handler(InvalidRequest)
    async def bad_request(request: Request, exc: Exception) -> Response:
        return _answer(request, 400, str(exc))

    @app.exception_handler(CableNotFound)
    @app.exception_handler(OriginNotFound)
    async def not_found(request: Request, exc: Exception) -> Response:
        return _answer(request, 404, str(exc))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Exception) -> Response:
        return _answer(request, 403, str(exc))

    @app.exception_handler(ArchiveError)
    async def unavailable(request: Request, exc: Exception) -> Response:
        return _answer(request, 503, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return error_page(request, 422, problems)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        message = "No such page." if exc.status_code == 404 else str(exc.detail)
        response = error_page(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response
