"""Compile the telegram layer with mypyc, in place, for a faster parse() and validate().

The telegram layer is plain typed Python; mypyc (shipped with mypy, already pinned for type
checking) turns its modules into C extensions with identical behaviour, parse() about 20 %
faster (``bench/parse.py`` prints both figures). ``scripts/bootstrap.sh`` runs this when a C
compiler and the Python headers are present; without them cabledesk runs as pure Python.

The extensions sit beside their sources in ``src/cabledesk/telegram`` with a manifest of the
hashes of every source of the package (``_native.json``). ``cabledesk/compiled.py`` lets the package load them only
while every hash still matches, so an edited source is never shadowed by a stale extension (it
falls back to pure Python until this script runs again; ``make`` does that).
``CABLEDESK_PURE=1`` forces pure Python.

Usage: ``python scripts/build_native.py [--clean] [--if-possible]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "cabledesk" / "telegram"
MANIFEST = PACKAGE / "_native.json"
GROUP = "cabledesk.telegram._native"
# Kept as Python: the package's ``__init__`` (it calls ``cabledesk.compiled.select()`` first),
# the model (to_dict/from_dict read dataclass type hints at run time, which compiled classes do
# not expose the same way), and parse()'s entry point (its promise of ParseError for a non-str
# argument needs the runtime check in Python).
PURE = {"__init__.py", "model.py", "parser.py"}


def compiled_sources() -> list[Path]:
    """The telegram modules to compile, in a stable order."""
    return sorted(p for p in PACKAGE.glob("*.py") if p.name not in PURE)


def clean() -> None:
    """Remove every extension and the manifest (back to pure Python)."""
    for so in PACKAGE.glob("*.so"):
        so.unlink()
    MANIFEST.unlink(missing_ok=True)


def missing_toolchain() -> str | None:
    """What stops a build here (no C compiler, no Python headers), or None."""
    compiler = os.environ.get("CC", "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler})"
    include = sysconfig.get_paths()["include"]
    if not (Path(include) / "Python.h").is_file():
        return f"no Python headers ({include}/Python.h; Debian: python3-dev)"
    return None


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    from cabledesk.compiled import source_hashes  # the check reads what this writes

    sources = compiled_sources()
    clean()
    with tempfile.TemporaryDirectory(prefix="cabledesk-native-") as tmp:
        cwd = Path.cwd()
        os.environ["MYPY_CACHE_DIR"] = str(Path(tmp) / "mypy-cache")  # none left in src/
        os.chdir(SRC)
        try:
            modules = mypycify(
                [str(p.relative_to(SRC)) for p in sources],
                group_name=GROUP,
                target_dir=str(Path(tmp) / "c"),
            )
            setup(
                name="cabledesk-native",
                ext_modules=modules,
                script_args=[
                    "--quiet",
                    "build_ext",
                    "--inplace",
                    "--build-temp",
                    str(Path(tmp) / "o"),
                ],
            )
        finally:
            os.chdir(cwd)
    shutil.rmtree(SRC / "build", ignore_errors=True)
    # Every source of the package, the Python ones too: compiled code was built against the
    # types of model.py and parser.py, so an edit there also sends the package back to Python.
    MANIFEST.write_text(json.dumps(source_hashes(PACKAGE), indent=1, sort_keys=True) + "\n")
    print(f"build_native: compiled {len(sources)} modules of cabledesk.telegram with mypyc")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clean", action="store_true", help="remove the compiled modules")
    ap.add_argument(
        "--if-possible",
        action="store_true",
        help="skip (exit 0) without a C toolchain or with CABLEDESK_NATIVE=0",
    )
    args = ap.parse_args(argv)
    if args.clean:
        clean()
        print("build_native: removed the compiled modules (pure Python)")
        return 0
    if args.if_possible:
        why = missing_toolchain()
        if os.environ.get("CABLEDESK_NATIVE", "1") == "0":
            why = "CABLEDESK_NATIVE=0"
        if why is not None:
            clean()
            print(f"build_native: skipped ({why}); cabledesk runs as pure Python")
            return 0
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
