"""The telegram layer compiled with mypyc behaves exactly as the pure Python it was built from,
and a compiled module never shadows a source edited after the build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cabledesk import compiled

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample"

# Parse and validate every sample cable; print one JSON line per file (or the ParseError).
_DUMP = """
import json, sys
from pathlib import Path
from cabledesk.errors import ParseError
from cabledesk import compiled
from cabledesk.telegram import parse, validate
print(compiled.status())
for path in sorted(Path(sys.argv[1]).glob("*.txt")):
    text = path.read_text(encoding="utf-8")
    try:
        cable = parse(text, {"reference_id": path.stem})
    except ParseError as exc:
        print(path.name, "ParseError", str(exc))
        continue
    findings = [f.code + "@" + str(f.start) for f in validate(cable)]
    print(path.name, json.dumps(cable.to_dict(), sort_keys=True), findings)
"""


def _dump(pure: bool) -> list[str]:
    env = dict(os.environ)
    env.pop("CABLEDESK_PURE", None)
    if pure:
        env["CABLEDESK_PURE"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _DUMP, str(SAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout.splitlines()


def test_compiled_parse_equals_pure_python() -> None:
    if compiled.stale_reason() is not None:
        pytest.skip(f"telegram layer not compiled here: {compiled.stale_reason()}")
    native, pure = _dump(pure=False), _dump(pure=True)
    assert native[0] == "compiled (mypyc)"
    assert pure[0].startswith("pure Python")
    assert len(native) == len(pure) > 100
    for a, b in zip(native[1:], pure[1:], strict=True):
        assert a == b


def _fake_build(folder: Path, sources: dict[str, str]) -> None:
    """A folder laid out as build_native.py leaves the package: sources, an extension, hashes."""
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "body.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    manifest = compiled.source_hashes(folder)
    (folder / "_native.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_fresh_build_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CABLEDESK_PURE", raising=False)
    _fake_build(tmp_path, {"body.py": "x = 1\n", "spans.py": "y = 2\n"})
    assert compiled.stale_reason(tmp_path) is None


def test_edited_source_falls_back_to_pure_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CABLEDESK_PURE", raising=False)
    _fake_build(tmp_path, {"body.py": "x = 1\n", "spans.py": "y = 2\n"})
    (tmp_path / "spans.py").write_text("y = 3\n", encoding="utf-8")
    assert "spans.py changed" in str(compiled.stale_reason(tmp_path))
    (tmp_path / "spans.py").unlink()
    assert "spans.py is missing" in str(compiled.stale_reason(tmp_path))


def test_no_build_or_broken_manifest_is_pure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CABLEDESK_PURE", raising=False)
    (tmp_path / "body.py").write_text("x = 1\n", encoding="utf-8")
    assert "not compiled" in str(compiled.stale_reason(tmp_path))
    (tmp_path / "body.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    assert "_native.json" in str(compiled.stale_reason(tmp_path))
    (tmp_path / "_native.json").write_text("{}", encoding="utf-8")
    assert "empty" in str(compiled.stale_reason(tmp_path))


def test_environment_forces_pure_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_build(tmp_path, {"body.py": "x = 1\n"})
    monkeypatch.setenv("CABLEDESK_PURE", "1")
    assert compiled.stale_reason(tmp_path) == "CABLEDESK_PURE is set"
