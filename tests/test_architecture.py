"""The layering and the public API, checked so they stay true as the code grows."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import cabledesk
import cabledesk.telegram

SRC = Path(cabledesk.__file__).parent
# Low to high; the cli package sits on top.
LAYERS = ["telegram", "sources", "archive", "services", "protect", "web"]
IO_MODULES = {"os", "pathlib", "sqlite3", "socket", "subprocess", "shutil", "urllib", "http"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_lower_layers_never_import_higher_ones() -> None:
    for i, layer in enumerate(LAYERS):
        folder = SRC / layer
        if not folder.is_dir():
            continue
        higher = {f"cabledesk.{h}" for h in LAYERS[i + 1 :]} | {"cabledesk.cli"}
        for path in folder.rglob("*.py"):
            for name in _imports(path):
                assert not any(name == h or name.startswith(h + ".") for h in higher), (
                    f"{path.relative_to(SRC)} imports {name}"
                )


def test_telegram_layer_does_no_io() -> None:
    for path in (SRC / "telegram").rglob("*.py"):
        roots = {name.split(".")[0] for name in _imports(path)}
        assert not roots & IO_MODULES, f"{path.relative_to(SRC)} imports {roots & IO_MODULES}"
        # Package data is read through importlib.resources (``ref.open``); no bare open().
        assert not re.search(r"(?<![.\w])open\(", path.read_text("utf-8")), path


def test_public_api_is_sorted_and_complete() -> None:
    for module in (cabledesk, cabledesk.telegram):
        assert module.__all__ == sorted(module.__all__)
        for name in module.__all__:
            assert getattr(module, name) is not None, name


def test_top_level_api_is_the_telegram_api() -> None:
    assert cabledesk.parse is cabledesk.telegram.parse
    assert cabledesk.render is cabledesk.telegram.render
    assert cabledesk.validate is cabledesk.telegram.validate
    assert cabledesk.Cable is cabledesk.telegram.Cable


def test_service_names_are_the_functions_not_their_modules() -> None:
    import types

    import cabledesk.services
    import cabledesk.services.search  # noqa: F401  (importing the module must not rebind)

    for name in cabledesk.services.__all__:
        assert not isinstance(getattr(cabledesk.services, name), types.ModuleType), name
