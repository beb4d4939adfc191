"""cabledesk: parse, archive, search and safely publish diplomatic telegrams.

The public API is re-exported here lazily, so ``import cabledesk`` stays cheap for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cabledesk.errors import CabledeskError, ParseError

if TYPE_CHECKING:
    from cabledesk.telegram.model import Cable, Finding
    from cabledesk.telegram.parser import parse
    from cabledesk.telegram.render import render
    from cabledesk.telegram.validate import validate

__all__ = ["Cable", "CabledeskError", "Finding", "ParseError", "parse", "render", "validate"]
__version__ = "0.1.0"

_LAZY = {
    "Cable": "cabledesk.telegram.model",
    "Finding": "cabledesk.telegram.model",
    "parse": "cabledesk.telegram.parser",
    "render": "cabledesk.telegram.render",
    "validate": "cabledesk.telegram.validate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cabledesk' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
