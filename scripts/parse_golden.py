"""Golden outputs of ``parse()`` and ``validate()`` over every cable we hold, to prove a speed-up
changed nothing.

Optimising the parser (bounding an extractor's region, sharing a line index, literal
pre-checks) is only safe if every output stays byte-identical. This script parses every
``*.txt`` under the corpus folders (``raw``, ``variants``, ``lossy``, ``extras``, recursively)
and ``tests/data/sample``, with the file-name hints the command line passes
(``read_text_file``), plus a deterministic set of mutants of the sample cables (cut short,
CRLF line ends, tabs, page-export backslashes, lower case) that reach the edges of regions the
corpus rarely touches. Per input it records ``json.dumps(cable.to_dict(), sort_keys=True)``
(or the ``ParseError`` message) and the ``validate()`` findings.

Usage::

    python scripts/parse_golden.py            # write /tmp/parse_golden/golden.jsonl
    python scripts/parse_golden.py --check    # compare; list every difference; exit 1 if any
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from cabledesk.errors import ParseError
from cabledesk.sources.text import read_text_file
from cabledesk.telegram.parser import parse
from cabledesk.telegram.validate import validate

__all__ = ["main", "outcome"]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE = ROOT / "tests" / "data" / "sample"
GOLDEN = Path("/tmp/parse_golden/golden.jsonl")
FOLDERS = ("raw", "variants", "lossy", "extras")


def inputs() -> Iterator[tuple[str, str | None, dict[str, object], str | None]]:
    """(key, text, hints, read error) for every file, then the sample mutants."""
    paths = [p for name in FOLDERS for p in sorted((CORPUS / name).rglob("*.txt"))]
    paths += sorted(SAMPLE.glob("*.txt"))
    samples: list[tuple[str, str, dict[str, object]]] = []
    for p in paths:
        key = str(p.relative_to(ROOT.parent)) if p.is_relative_to(ROOT.parent) else str(p)
        try:
            raw = read_text_file(p)
        except ParseError as exc:
            yield key, None, {}, str(exc)
            continue
        yield key, raw.text, dict(raw.hints), None
        if p.parent == SAMPLE:
            samples.append((key, raw.text, dict(raw.hints)))
    for key, text, hints in samples:
        for name, mutant in mutants(text):
            yield f"{key}#{name}", mutant, dict(hints), None


def mutants(text: str) -> Iterator[tuple[str, str]]:
    """Deterministic variants that move text across region limits the corpus rarely crosses."""
    n = len(text)
    for cut in (200, 1500, 4000):
        if cut < n:
            yield f"head{cut}", text[:cut]
    yield "half", text[: n // 2]
    yield "tail", text[n // 3 :]
    yield "crlf", text.replace("\n", "\r\n")
    yield "tabs", text.replace("    ", "\t")
    yield "backslash", text.replace("\n", "\\\n")
    yield "lower", text.lower()
    yield "no_blank_lines", text.replace("\n\n", "\n")


def outcome(text: str, hints: dict[str, object]) -> dict[str, object]:
    """The parse result (or error) and validation findings of one input, JSON-ready."""
    try:
        cable = parse(text, hints)
    except ParseError as exc:
        return {"error": f"{exc!s} | line={exc.line!r}"}
    return {
        "cable": json.dumps(cable.to_dict(), sort_keys=True),
        "findings": [dataclasses.asdict(f) for f in validate(cable)],
    }


def first_difference(a: object, b: object, path: str = "") -> str:
    """Where two JSON values first differ, as a dotted path with both values (shortened)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {str(a)[:160]!r} -> {str(b)[:160]!r}"


def _loaded(entry: dict[str, object]) -> dict[str, object]:
    cable = entry.get("cable")
    return {**entry, "cable": json.loads(cable)} if isinstance(cable, str) else entry


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the golden file")
    ap.add_argument("--golden", type=Path, default=GOLDEN)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    results: dict[str, dict[str, object]] = {}
    for key, text, hints, read_error in inputs():
        results[key] = {"read_error": read_error} if text is None else outcome(text, hints)
    took = time.perf_counter() - t0

    if not args.check:
        args.golden.parent.mkdir(parents=True, exist_ok=True)
        with args.golden.open("w", encoding="utf-8") as f:
            for key, value in results.items():
                f.write(json.dumps({"key": key, **value}, sort_keys=True) + "\n")
        print(f"wrote {len(results)} outputs to {args.golden} in {took:.1f} s")
        return 0

    golden: dict[str, dict[str, object]] = {}
    with args.golden.open(encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            golden[entry.pop("key")] = entry
    differences = 0
    for key in sorted(set(golden) | set(results)):
        old, new = golden.get(key), results.get(key)
        if old == new:
            continue
        differences += 1
        if old is None or new is None:
            print(f"{key}: {'new input' if old is None else 'input missing'}")
        else:
            print(f"{key}: {first_difference(_loaded(old), _loaded(new))}")
    print(f"{len(results)} inputs checked in {took:.1f} s: {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
