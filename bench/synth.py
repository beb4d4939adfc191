"""Throughput of the synthetic corpus generator, and of ``parse()`` on what it generates.

Scale benchmarks generate 250,000 cables and more, so generation has to be fast; and parse speed
on synthetic text should match parse speed on real text, or benchmarks built on synthetic
corpora would mislead. Pins the process to one core, then reports:

* generation: cables/s and MB/s of ``synthesize(n)`` (best of ``--runs``; wall and CPU time);
* parsing: cables/s of ``telegram.parse`` over ``--parse-n`` of those cables, with no hints,
  and how many failed to parse (must be 0);
* memory: tracemalloc peak while streaming ``n/4`` and ``n`` cables (results dropped): equal
  peaks show that generation runs in constant memory;
* writing (``--write txt|jsonl|csv``): cables/s to a temporary folder, generation included.

Usage: ``python bench/synth.py [--n 20000] [--parse-n 5000] [--runs 3] [--seed 0] [--write txt]``
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from cabledesk.errors import ParseError
from cabledesk.sources.synthetic import generate, synthesize
from cabledesk.sources.writers import FORMATS, open_writer
from cabledesk.telegram.parser import parse

TARGET = 5000.0  # cables/s generated on one core


def pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[-1]})
    return f"pinned to CPU {cpus[-1]}"


def time_generation(n: int, seed: int) -> tuple[float, float, int]:
    """(wall s, CPU s, characters) of generating ``n`` cables, results dropped."""
    gc.collect()
    chars = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for _, text in synthesize(n, seed=seed):
        chars += len(text)
    return time.perf_counter() - wall, time.process_time() - cpu, chars


def peak_memory(n: int, seed: int) -> float:
    """tracemalloc peak (MiB) while streaming ``n`` cables."""
    gc.collect()
    tracemalloc.start()
    for _ in synthesize(n, seed=seed):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="cables generated per timed run")
    ap.add_argument("--parse-n", type=int, default=5000, help="cables parsed")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", choices=FORMATS, default=None, help="also time writing")
    args = ap.parse_args()

    print(f"Python {sys.version.split()[0]}, {pin_one_core()}, load {os.getloadavg()[0]:.1f}")
    list(synthesize(100, seed=args.seed))  # warm up: profile loading, sentence pool

    runs = [time_generation(args.n, args.seed) for _ in range(args.runs)]
    wall = min(r[0] for r in runs)
    cpu = min(r[1] for r in runs)
    chars = runs[0][2]
    rate = args.n / wall
    print(
        f"generate: {rate:,.0f} cables/s wall, {args.n / cpu:,.0f} cables/s CPU "
        f"(best of {args.runs} x {args.n:,}; {chars / wall / 1e6:.1f} M chars/s, "
        f"{chars / args.n:,.0f} chars/cable) - target {TARGET:,.0f}/s "
        f"{'met' if rate >= TARGET else 'NOT met (wall)'}"
    )

    cables = [c for c in generate(args.parse_n, seed=args.seed)]
    errors = 0
    times = []
    start = time.perf_counter()
    for c in cables:
        t = time.perf_counter()
        try:
            parse(c.text)
        except ParseError:
            errors += 1
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - start
    print(
        f"parse:    {len(cables) / total:,.0f} cables/s over {len(cables):,} synthetic cables, "
        f"median {statistics.median(times) * 1e3:.2f} ms, max {max(times) * 1e3:.1f} ms, "
        f"{errors} parse errors"
    )

    small, large = max(1, args.n // 4), args.n
    print(
        f"memory:   tracemalloc peak {peak_memory(small, args.seed):.1f} MiB streaming "
        f"{small:,} cables, {peak_memory(large, args.seed):.1f} MiB streaming {large:,}"
    )

    if args.write:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            with open_writer(args.write, Path(tmp)) as writer:
                for c in generate(args.n, seed=args.seed):
                    writer.write(c)
            took = time.perf_counter() - start
            print(f"write:    {args.n / took:,.0f} cables/s as {args.write} (generation included)")


if __name__ == "__main__":
    main()
