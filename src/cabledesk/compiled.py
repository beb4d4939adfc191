"""Whether the telegram layer runs compiled (mypyc) or as pure Python, and the guard between.

Kept outside ``cabledesk.telegram``, whose code does no I/O: choosing reads files.
``scripts/build_native.py`` compiles that package's modules in place and writes
``_native.json``, the hashes of all the package's sources at that moment. An extension module always wins over
its ``.py`` file in Python's import order, so an extension left behind after its source was
edited would silently run the old code. :func:`select` runs before that package imports its
modules: unless every hash still matches (and ``CABLEDESK_PURE`` is unset), it puts a finder in
front that loads each module of the package from its ``.py`` file. Compiled and pure modules
give identical results (``scripts/parse_golden.py --check``); only speed differs.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = ["active", "file_hash", "select", "source_hashes", "stale_reason", "status"]

PACKAGE = "cabledesk.telegram"
_HERE = Path(__file__).resolve().parent / "telegram"
_MANIFEST = _HERE / "_native.json"
_COMPILED = "compiled with mypyc"
_why = "not selected yet"


class _PureFinder(importlib.abc.MetaPathFinder):
    """Loads ``cabledesk.telegram.<module>`` from its ``.py`` file, never an extension."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE:
            return None
        source = _HERE / f"{name}.py"
        if not source.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def file_hash(path: Path) -> str:
    """The SHA-256 of a source file, as the manifest records it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_hashes(folder: Path = _HERE) -> dict[str, str]:
    """The manifest a build of ``folder`` writes: every ``.py`` file's name and hash."""
    return {p.name: file_hash(p) for p in sorted(folder.glob("*.py"))}


def stale_reason(folder: Path = _HERE) -> str | None:
    """Why the compiled modules in ``folder`` must not be used, or None when they may be."""
    if os.environ.get("CABLEDESK_PURE", "") not in ("", "0"):
        return "CABLEDESK_PURE is set"
    if not any(folder.glob("*.so")):
        return "not compiled (scripts/build_native.py compiles it)"
    try:
        manifest = json.loads((folder / _MANIFEST.name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "compiled modules without a readable _native.json"
    if not isinstance(manifest, dict) or not manifest:
        return "compiled modules with an empty _native.json"
    for name, digest in manifest.items():
        try:
            current = file_hash(folder / str(name))
        except OSError:
            return f"{name} is missing"
        if current != digest:
            return f"{name} changed since it was compiled (run scripts/build_native.py)"
    return None


def select() -> None:
    """Choose compiled or pure modules for this process; call before importing any of them."""
    global _why
    if any(isinstance(f, _PureFinder) for f in sys.meta_path):
        return
    reason = stale_reason()
    if reason is not None:
        sys.meta_path.insert(0, _PureFinder())
        _why = reason
    else:
        _why = _COMPILED


def active() -> bool:
    """True when the package's modules were loaded from compiled extensions."""
    module = sys.modules.get(f"{PACKAGE}.body")
    return module is not None and not str(getattr(module, "__file__", "")).endswith(".py")


def status() -> str:
    """One line for ``--version`` and the benchmarks: compiled or pure Python, and why."""
    if active():
        return "compiled (mypyc)"
    if _why == _COMPILED:  # built, but not for this interpreter (another Python version)
        return "pure Python (the compiled modules are not for this Python)"
    return f"pure Python ({_why})"
