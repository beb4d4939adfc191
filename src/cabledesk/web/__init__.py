"""The web layer: the FastAPI app behind ``cabledesk serve`` (pages, JSON API, OpenAPI docs).

It sits on top of the services and reads the archive only through ``services.context``.
"""

from cabledesk.web.app import create_app

__all__ = ["create_app"]
