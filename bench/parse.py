"""Throughput of ``parse()`` on real cables, against the floor of merely tokenising them.

Reads every ``*.txt`` of a folder into memory first (I/O is not measured), pins the process to
one core, then reports:

* cables/s of ``parse(text, hints)`` (file-name hints, as ``cabledesk`` itself passes them),
  best of ``--runs`` passes over the whole folder;
* cables/s of ``re.findall(r"\\w+", text)`` over the same texts: the floor any parser pays to
  look at every character once; and the ratio of the two times;
* per-cable latency (median, p99, max) and the slowest cables;
* peak memory: tracemalloc peak while parsing the folder one cable at a time (results dropped),
  and the process's max RSS (``resource.getrusage``; includes the texts held in memory).

The telegram layer runs compiled with mypyc when ``make`` built it (``scripts/build_native.py``);
the first lines say which. ``--pure`` measures the pure Python modules instead. ``--profile``
adds the top 25 functions by cumulative time (cProfile, one pass); ``--stages`` the CPU time of
each step of ``parse()`` (each extractor the parser calls), per cable. Both time Python
functions, so they imply ``--pure``.

Usage: ``python bench/parse.py [FOLDER] [--runs 3] [--pure] [--profile] [--stages] [--limit N]``;
FOLDER defaults to ``../shared/corpus/raw``, falling back to ``tests/data/sample``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import cProfile
import gc
import importlib
import io
import os
import pstats
import re
import resource
import statistics
import sys
import time
import tracemalloc
import types
from collections.abc import Callable, Sequence
from pathlib import Path

# Chosen before cabledesk.telegram is imported (cabledesk/compiled.py reads it then).
if {"--pure", "--profile", "--stages"} & set(sys.argv[1:]):
    os.environ["CABLEDESK_PURE"] = "1"

from cabledesk import compiled  # noqa: E402
from cabledesk.errors import ParseError  # noqa: E402
from cabledesk.sources.text import RawCable, read_text_file  # noqa: E402
from cabledesk.telegram.parser import parse  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "raw"
SAMPLE = ROOT / "tests" / "data" / "sample"
TARGET = 3000.0  # cables/s on one core, docs/dev/telegram-contract.md
_WORD = re.compile(r"\w+")


def pin_one_core() -> str:
    """Run on a single CPU so figures compare across machines with more cores."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[-1]})
    return f"pinned to CPU {cpus[-1]}"


def load(folder: Path, limit: int | None) -> list[RawCable]:
    paths = sorted(folder.glob("*.txt"))[:limit] if limit else sorted(folder.glob("*.txt"))
    out = []
    for p in paths:
        try:
            out.append(read_text_file(p))
        except ParseError as exc:
            print(f"skipped {p.name}: {exc}", file=sys.stderr)
    return out


def parse_all(cables: Sequence[RawCable]) -> int:
    """Parse each cable, dropping the result; returns the number of ParseErrors."""
    errors = 0
    for c in cables:
        try:
            parse(c.text, c.hints)
        except ParseError:
            errors += 1
    return errors


def floor_all(cables: Sequence[RawCable]) -> int:
    n = 0
    for c in cables:
        n += len(_WORD.findall(c.text))
    return n


def best_of(runs: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Best wall time and best CPU time of this process over ``runs`` calls. CPU time hardly
    moves when other processes share the core; wall time is what a user waits."""
    wall = cpu = float("inf")
    for _ in range(runs):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def _time_one(c: RawCable) -> float:
    t0 = time.perf_counter()
    with contextlib.suppress(ParseError):
        parse(c.text, c.hints)
    return time.perf_counter() - t0


def latencies(cables: Sequence[RawCable], recheck: int = 50) -> list[tuple[float, str, int]]:
    """Per-cable parse time; the ``recheck`` slowest are re-timed (best of 5) so a scheduler
    hiccup does not name an innocent cable."""
    out = [(_time_one(c), c) for c in cables]
    out.sort(key=lambda tc: tc[0], reverse=True)
    out[:recheck] = [(min(_time_one(c) for _ in range(5)), c) for _, c in out[:recheck]]
    return [(t, Path(c.source).stem, len(c.text)) for t, c in out]


def traced_peak(cables: Sequence[RawCable]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        parse_all(cables)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


def profile(cables: Sequence[RawCable], top: int = 25) -> str:
    prof = cProfile.Profile()
    prof.enable()
    parse_all(cables)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


# The steps of ``parse()``: the functions ``telegram/assemble.py`` calls, as ``module.function``.
STAGES = (
    "assemble._check_text",
    "structure.find_preamble",
    "structure.find_classification_line",
    "header.extract_header",
    "captions.find_captions",
    "declassification.find_declassification",
    "tags.find_tags",
    "subject.find_subject",
    "identity.identify",
    "references.find_references",
    "classified_by.find_classified_by",
    "signers.find_signers",
    "breaks.find_breaks",
    "body.find_paragraphs",
    "spans.find_redactions",
    "spans.find_comments",
    "summary.find_summary",
    "spans.is_truncated",
    "identity.classification_fallback",
)


def stages(cables: Sequence[RawCable], runs: int = 2) -> str:
    """CPU time per cable of each step of ``parse()``, timed inside full parses.

    Each function in ``STAGES`` is wrapped (as the parser looks it up, a module attribute) by a
    timer for the run; the wrappers cost about a quarter of a microsecond per call, which the
    "rest" line (the parser's own glue) also carries.
    """
    spent: collections.defaultdict[str, float] = collections.defaultdict(float)
    clock = time.process_time
    saved: list[tuple[types.ModuleType, str, Callable[..., object]]] = []

    def timed(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += clock() - t0

        return wrapper

    for stage in STAGES:
        mod_name, fn_name = stage.split(".")
        mod = importlib.import_module(f"cabledesk.telegram.{mod_name}")
        fn = getattr(mod, fn_name)
        saved.append((mod, fn_name, fn))
        setattr(mod, fn_name, timed(stage, fn))
    try:
        t0 = clock()
        for _ in range(runs):
            parse_all(cables)
        total = clock() - t0
    finally:
        for module, name, original in saved:
            setattr(module, name, original)
    n = len(cables) * runs
    lines = [f"{'step of parse()':42s} {'us/cable':>9s}"]
    for stage, t in sorted(spent.items(), key=lambda kv: -kv[1]):
        lines.append(f"{stage:42s} {t / n * 1e6:9.1f}")
    lines.append(
        f"{'rest (parser glue, timer overhead)':42s} {(total - sum(spent.values())) / n * 1e6:9.1f}"
    )
    lines.append(f"{'total':42s} {total / n * 1e6:9.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark parse() on a folder of cables.")
    ap.add_argument("folder", nargs="?", type=Path)
    ap.add_argument("--runs", type=int, default=3, help="timed passes; the best counts")
    ap.add_argument("--limit", type=int, help="only the first N files")
    ap.add_argument("--profile", action="store_true", help="print top 25 by cumulative time")
    ap.add_argument("--stages", action="store_true", help="print CPU time per step of parse()")
    ap.add_argument("--pure", action="store_true", help="time the pure Python telegram layer")
    ap.add_argument("--slowest", type=int, default=5, help="list this many slowest cables")
    args = ap.parse_args(argv)

    folder = args.folder or (CORPUS if CORPUS.is_dir() else SAMPLE)
    cables = load(folder, args.limit)
    if not cables:
        print(f"no cables in {folder}", file=sys.stderr)
        return 2
    n = len(cables)
    chars = sum(len(c.text) for c in cables)
    pinned = pin_one_core()
    print(f"folder: {folder}  ({n} cables, {chars / 1e6:.1f} M characters)")
    print(f"python {sys.version.split()[0]}, {pinned}, best of {args.runs}")
    print(f"telegram layer: {compiled.status()}")

    errors = parse_all(cables)  # warm-up: imports, lazy tables, regex caches
    t_parse, c_parse = best_of(args.runs, lambda: parse_all(cables))
    t_floor, c_floor = best_of(args.runs, lambda: floor_all(cables))
    lat = latencies(cables)
    ms = sorted(t * 1e3 for t, _, _ in lat)
    peak = traced_peak(cables)

    rate = n / t_parse
    verdict = "met" if rate >= TARGET else "NOT met"
    # The issue glosses the target as "about half the floor here": both readings are printed.
    half = n / t_floor / 2
    half_verdict = "met" if rate >= half else "NOT met"
    print(
        f"parse():        {rate:9.0f} cables/s  ({1e3 * t_parse / n:.3f} ms/cable, "
        f"{chars / t_parse / 1e6:.1f} M chars/s)  target {TARGET:.0f}: {verdict}; "
        f"half the floor ({half:.0f}/s here): {half_verdict}"
    )
    print(f"  by CPU time:  {n / c_parse:9.0f} cables/s  ({1e3 * c_parse / n:.3f} ms/cable)")
    print(f"floor \\w+:      {n / t_floor:9.0f} cables/s  ({1e3 * t_floor / n:.3f} ms/cable)")
    print(f"  by CPU time:  {n / c_floor:9.0f} cables/s  ({1e3 * c_floor / n:.3f} ms/cable)")
    print(
        f"ratio:          {t_parse / t_floor:9.1f} x the floor's time (CPU: {c_parse / c_floor:.1f} x)"
    )
    if hasattr(os, "getloadavg"):
        print(f"load average:   {os.getloadavg()[0]:9.2f} (other processes on the machine)")
    print(
        f"latency:        median {statistics.median(ms):.3f} ms, "
        f"p99 {ms[int(0.99 * (len(ms) - 1))]:.3f} ms, max {ms[-1]:.3f} ms"
    )
    print(f"parse errors:   {errors}")
    print(
        f"memory:         tracemalloc peak while parsing {peak / 2**20:.1f} MiB; "
        f"max RSS {max_rss_bytes() / 2**20:.1f} MiB (texts held in memory included)"
    )
    if args.slowest:
        print(
            "slowest:        "
            + ", ".join(
                f"{ref} {t * 1e3:.2f} ms ({size // 1000} kB)"
                for t, ref, size in sorted(lat, reverse=True)[: args.slowest]
            )
        )
    if args.profile:
        print()
        print(profile(cables))
    if args.stages:
        print()
        print(stages(cables))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
