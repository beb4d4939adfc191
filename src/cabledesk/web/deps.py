"""The read context every page and endpoint receives (a FastAPI dependency), with its viewer.

Pages and endpoints declare ``context: Context`` and read the archive only through it, so the
access rules the next issue adds (roles, clearance) apply to every one of them. The viewer is
decided here, once per request: the anonymous viewer, or the editor of an editor's server.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from cabledesk.services.context import ANONYMOUS, EDITOR, ArchivePool, ReadContext, Viewer

__all__ = ["Context", "read_context", "viewer_of"]


def viewer_of(request: Request) -> Viewer:
    """Who sent the request. No sign-in exists yet: everyone is anonymous, except on an
    editor's own server (``cabledesk serve --editor``), where the one user is the editor."""
    return EDITOR if getattr(request.app.state, "editor", False) else ANONYMOUS


async def read_context(request: Request) -> ReadContext:
    """The request's read context over the app's archive pool. ``async`` so it costs no trip
    to the thread pool: the connection is taken later, in the thread that reads."""
    pool: ArchivePool = request.app.state.pool
    return ReadContext(pool, viewer_of(request))


Context = Annotated[ReadContext, Depends(read_context)]
