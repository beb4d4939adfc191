"""Open-loop HTTP load on ``cabledesk serve``: latency of cable pages and searches at fixed rates.

    .venv/bin/python bench/web.py --db /tmp/synth250k.db                  # 20, 50, 100 req/s, 30 s
    .venv/bin/python bench/web.py --db cables.db --rates 10,40 --duration 10

For each rate a fresh ``cabledesk serve`` (empty caches) starts on a free loopback port, gets
20 unmeasured warm-up requests, then requests at fixed intervals whatever the answers (open
loop): 80 % cable pages ``/cables/{id}`` of random cables of the archive, 20 % search pages
``/?q=...`` from bench/search_mix.py's 200-query mix. A search the server has answered before
is labelled ``repeat`` (cabledesk caches results). Latency counts from each request's
*scheduled* send time, so a server that falls behind is charged for the queue it builds (no
coordinated omission); a request fails after ``--timeout`` s, and none is sent while ``--cap``
are in flight (it counts as failed at the timeout). Prints, per rate and kind: requests due,
achieved send rate, answers per second, errors, and p50/p95/p99.

Where Datasette is installed (``import datasette``, or ``--datasette PATH``), the searches with
words then go, search-only at the search share of each rate, to cabledesk's ``/api/search`` and
to Datasette's SQL JSON API over the same file (one FTS5 statement: the ranked page with
snippets and the total; no facets, so Datasette does less work per search). Everything runs on
127.0.0.1, each phase is bounded in count and time, and the servers are stopped at the end.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

import httpx
from search_mix import QuerySpec, make_mix

from cabledesk.archive import Archive
from cabledesk.services.search import SUBJECT_WEIGHT, search

__all__ = ["Outcome", "main"]

HOST = "127.0.0.1"
CABLE_SHARE = 0.8


@dataclass
class Outcome:
    """One request: its kind, latency from the scheduled send time, and error (None when 200)."""

    kind: str
    latency: float
    error: str | None = None


@dataclass
class Phase:
    """What one open-loop run sent and got back."""

    rate: float
    sends: list[float] = field(default_factory=list)
    max_lag: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    ended: float = 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(cmd: list[str], probe: str, timeout: float = 120.0) -> Iterator[None]:
    """Runs ``cmd`` until the block ends; ready once ``probe`` answers 200 (bounded wait).

    Its output goes to a temporary file (a pipe nobody reads would block a chatty server)."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(proc, cmd, log, probe, timeout)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(
    proc: subprocess.Popen[bytes], cmd: list[str], log: IO[bytes], probe: str, limit: float
) -> None:
    deadline = time.monotonic() + limit
    while True:
        if proc.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{probe} did not answer within {limit:.0f} s")
        time.sleep(0.2)


def sample_ids(conn: sqlite3.Connection, rnd: random.Random, n: int) -> list[str]:
    """``n`` reference ids of random cables (seeded; ids drawn by rowid, gaps skipped)."""
    top = conn.execute("SELECT max(id) FROM cables").fetchone()[0] or 0
    ids: list[str] = []
    for _ in range(n * 4):
        row = conn.execute(
            "SELECT reference_id FROM cables WHERE id >= ? ORDER BY id LIMIT 1",
            (rnd.randint(1, top),),
        ).fetchone()
        if row:
            ids.append(row[0])
        if len(ids) == n:
            break
    return ids


def search_params(spec: QuerySpec) -> dict[str, str]:
    return {"q": spec.text, "sort": spec.sort, "page": str(spec.page)}


def datasette_sql(spec: QuerySpec) -> tuple[str, dict[str, str]]:
    """The search as one FTS5 statement for Datasette: ranked (or dated) page, snippets, total."""
    params: dict[str, str] = {}
    where = spec.where
    for i, value in enumerate(spec.params):
        where = where.replace("?", f":p{i}", 1)
        params[f"p{i}"] = str(value)
    order = {
        "rank": "score, c.date DESC, c.reference_id",
        "-date": "c.date IS NULL, c.date DESC, c.reference_id DESC",
        "date": "c.date IS NULL, c.date ASC, c.reference_id ASC",
    }[spec.sort]
    params["q"] = spec.fts or ""
    hits = (
        "FROM cables_fts CROSS JOIN cables AS c ON c.id = cables_fts.rowid "
        f"WHERE cables_fts MATCH :q{' AND ' + where if where else ''}"
    )
    sql = (
        f"SELECT c.reference_id, c.subject, c.date, "
        f"snippet(cables_fts, -1, '«', '»', '…', 24) AS snippet, "
        f"bm25(cables_fts, {SUBJECT_WEIGHT}, 1.0) AS score, "
        f"(SELECT count(*) {hits}) AS total {hits} "
        f"ORDER BY {order} LIMIT {spec.per_page} OFFSET {(spec.page - 1) * spec.per_page}"
    )
    return sql, params


Request = tuple[str, str, dict[str, str]]  # kind, path, query parameters


@dataclass(frozen=True)
class Load:
    """One open-loop run: ``rate`` requests/s for ``duration`` s; a request fails after
    ``timeout`` s, and none is sent while ``cap`` are in flight (counted as ``not sent``)."""

    rate: float
    duration: float
    timeout: float
    cap: int


async def open_loop(base: str, load: Load, pick: Callable[[], Request]) -> Phase:
    """Sends ``rate * duration`` requests at fixed intervals, whatever the answers.

    The cap keeps the client itself cheap when the server stalls (httpx's pool slows down
    with thousands of queued requests, which would delay sending and hide the server's
    delay); a request not sent counts as failed at the timeout."""
    phase = Phase(load.rate)
    in_flight = 0
    limits = httpx.Limits(max_connections=load.cap, max_keepalive_connections=load.cap)

    async def fetch(client: httpx.AsyncClient, req: Request, scheduled: float) -> Outcome:
        nonlocal in_flight
        kind, path, params = req
        error: str | None = None
        in_flight += 1
        try:
            resp = await asyncio.wait_for(client.get(path, params=params), load.timeout)
            if resp.status_code != 200:
                error = f"HTTP {resp.status_code}"
        except TimeoutError:
            error = "timeout"
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        finally:
            in_flight -= 1
        return Outcome(kind, time.monotonic() - scheduled, error)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=None) as client:
        tasks: list[asyncio.Task[Outcome]] = []
        start = time.monotonic() + 0.05
        for i in range(round(load.rate * load.duration)):
            scheduled = start + i / load.rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.monotonic()
            phase.max_lag = max(phase.max_lag, now - scheduled)
            req = pick()
            if in_flight >= load.cap:
                phase.outcomes.append(Outcome(req[0], load.timeout, "not sent (cap)"))
                continue
            phase.sends.append(now)
            tasks.append(asyncio.create_task(fetch(client, req, scheduled)))
        phase.outcomes.extend(await asyncio.gather(*tasks))
        phase.ended = time.monotonic()
    return phase


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _ms(value: float, timeout: float) -> str:
    """Milliseconds; '≥' marks a figure at the timeout, where the true latency is unknown."""
    return ("≥" if value >= timeout * 1000 else "") + f"{value:.0f}"


def report(title: str, phase: Phase, timeout: float) -> None:
    """One block per rate: a line per kind of request and one for all of them."""
    sent = len(phase.sends)
    span = phase.sends[-1] - phase.sends[0] if sent > 1 else 0.0
    achieved = f"{(sent - 1) / span:.1f}" if span > 0 else "-"
    elapsed = max(phase.ended - phase.sends[0], 1e-9) if sent else 1.0
    print(
        f"\n{title} at {phase.rate:g} req/s: {len(phase.outcomes)} due, {sent} sent in "
        f"{span:.1f} s (achieved {achieved} req/s, worst send lag {phase.max_lag * 1000:.0f} ms,"
        f" load average {os.getloadavg()[0]:.1f})"
    )
    print(f"  {'kind':9}{'due':>6}{'ok/s':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    kinds = sorted({o.kind for o in phase.outcomes})
    for kind in [*kinds, "all"]:
        rows = [o for o in phase.outcomes if kind in ("all", o.kind)]
        ok = sum(o.error is None for o in rows)
        lat = [o.latency * 1000 for o in rows]
        cells = "".join(f"{_ms(pct(lat, p), timeout):>9}" for p in (50, 95, 99))
        print(f"  {kind:9}{len(rows):6}{ok / elapsed:7.1f}{len(rows) - ok:8}{cells}")
    errors: dict[str, int] = {}
    for o in phase.outcomes:
        if o.error:
            errors[o.error] = errors.get(o.error, 0) + 1
    if errors:
        print("  errors: " + ", ".join(f"{k} × {v}" for k, v in sorted(errors.items())))


def warm_up(base: str, requests: list[Request]) -> None:
    """Sends ``requests`` one by one, unmeasured: templates compiled, connections opened."""
    with httpx.Client(base_url=base, timeout=60) as client:
        for _, path, params in requests:
            client.get(path, params=params)


class Searches:
    """Labels a search ``search`` the first time a server gets it and ``repeat`` after: the
    mix has 200 queries, and cabledesk's result cache answers a repeat without searching."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str, int]] = set()

    def kind(self, spec: QuerySpec) -> str:
        key = (spec.text, spec.sort, spec.page)
        first = key not in self.seen
        self.seen.add(key)
        return "search" if first else "repeat"


Picker = Callable[[], Request]


def run_rates(
    title: str, start: Callable[[int], list[str]], probe: str, share: float,
    picker: Callable[[str], Picker], args: argparse.Namespace,
) -> None:  # fmt: skip
    """Each rate against a freshly started server (empty caches), after a 20-request warm-up."""
    for rate in args.rate_list:
        port = free_port()
        base = f"http://{HOST}:{port}"
        with server(start(port), base + probe):
            pick = picker(base)
            warm_up(base, [pick() for _ in range(20)])
            load = Load(rate * share, args.duration, args.timeout, args.cap)
            report(title, asyncio.run(open_loop(base, load, pick)), args.timeout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="a cabledesk archive")
    ap.add_argument("--rates", default="20,50,100", help="requests/s, comma-separated")
    ap.add_argument("--duration", type=float, default=30.0, help="seconds per rate")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before a request fails")
    ap.add_argument("--seed", type=int, default=7, help="seed of the ids and the query mix")
    ap.add_argument("--cap", type=int, default=256, help="most requests in flight at once")
    ap.add_argument(
        "--datasette",
        help="a datasette executable for the reference run (default: this Python's datasette)",
    )
    args = ap.parse_args()
    args.rate_list = [float(r) for r in args.rates.split(",") if r.strip()]
    if not args.db.is_file():
        raise SystemExit(f"{args.db}: no such archive")
    rnd = random.Random(args.seed)
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    size = conn.execute("SELECT count(*) FROM cables").fetchone()[0]
    t0 = time.perf_counter()
    try:
        mix = make_mix(conn, random.Random(args.seed))
    except (IndexError, ValueError):
        raise SystemExit(f"{args.db}: too few cables for the query mix (use thousands)") from None
    ids = sample_ids(conn, rnd, 5000)
    conn.close()
    print(
        f"archive: {args.db} ({size:,} cables); {len(mix)} queries and {len(ids):,} cable ids "
        f"drawn in {time.perf_counter() - t0:.1f} s; {args.duration:g} s per rate, "
        f"timeout {args.timeout:g} s, at most {args.cap} in flight; client and servers share "
        "this machine; each rate gets a fresh server. 'repeat' = a search this server has "
        "answered before"
    )

    def mixed(base: str) -> Picker:
        searches = Searches()

        def pick() -> Request:
            if rnd.random() < CABLE_SHARE:
                return ("cable", f"/cables/{rnd.choice(ids)}", {})
            spec = rnd.choice(mix)
            return (searches.kind(spec), "/", search_params(spec))

        return pick

    serve = partial(cabledesk_serve, args.db)
    title = "cabledesk, 80 % cable pages + 20 % searches"
    run_rates(title, serve, "/", 1.0, mixed, args)
    reference(args, mix, rnd)


def datasette_command(executable: str | None) -> list[str] | None:
    """How to start Datasette: the executable given, else this Python's module, else None."""
    if executable:
        found = shutil.which(executable)
        if found is None:
            raise SystemExit(f"--datasette {executable}: not an executable")
        return [found]
    if importlib.util.find_spec("datasette") is None:
        return None
    return [sys.executable, "-m", "datasette"]


def cabledesk_serve(db: Path, port: int) -> list[str]:
    return [sys.executable, "-c", "from cabledesk.cli import main; main()", "serve"] + [
        *("--db", str(db), "--host", HOST, "--port", str(port))
    ]


def datasette_serve(command: list[str], db: Path, timeout: float, port: int) -> list[str]:
    """Datasette on the same file; its SQL time limit raised to the bench's request timeout."""
    limit = str(int(timeout * 1000))
    return [*command, "serve", str(db), "-p", str(port), "-h", HOST] + [
        *("--setting", "sql_time_limit_ms", limit)
    ]


def datasette_endpoint(base: str) -> str:
    """The path of the served file's SQL JSON API, e.g. ``/synth250k.json``."""
    with urllib.request.urlopen(base + "/-/databases.json", timeout=30) as resp:
        return f"/{json.loads(resp.read())[0]['route']}.json"


def reference(args: argparse.Namespace, mix: list[QuerySpec], rnd: random.Random) -> None:
    """The same searches, search-only, through cabledesk's JSON API and Datasette's SQL API."""
    command = datasette_command(args.datasette)
    if command is None:
        print("\nDatasette is not installed (import datasette fails): no reference run.")
        return
    specs = [s for s in mix if s.fts is not None]
    print(
        f"\nreference: {len(specs)} of the {len(mix)} searches (those with words: Datasette "
        "gets one FTS5 statement each, page + snippets + total, no facets) at the search "
        "share of each rate"
    )

    def api(base: str) -> Picker:
        searches = Searches()

        def pick() -> Request:
            spec = rnd.choice(specs)
            return (searches.kind(spec), "/api/search", search_params(spec))

        return pick

    def datasette(base: str) -> Picker:
        endpoint = datasette_endpoint(base)
        searches = Searches()

        def pick() -> Request:
            spec = rnd.choice(specs)
            sql, params = datasette_sql(spec)
            return (searches.kind(spec), endpoint, {"sql": sql, "_shape": "array", **params})

        return pick

    share = 1 - CABLE_SHARE
    run_rates("cabledesk /api/search", partial(cabledesk_serve, args.db), "/", share, api, args)
    start = partial(datasette_serve, command, args.db, args.timeout)
    port = free_port()
    with server(start(port), f"http://{HOST}:{port}/-/versions.json"):
        base = f"http://{HOST}:{port}"
        check_totals(args.db, base + datasette_endpoint(base), specs[:20])
    run_rates("Datasette SQL JSON API", start, "/-/versions.json", share, datasette, args)


def check_totals(db: Path, endpoint: str, specs: list[QuerySpec]) -> None:
    """Datasette's statement must find what cabledesk's search() finds: same total, same ids."""
    agree = 0
    with Archive.open(db, readonly=True) as archive:
        for spec in specs:
            ours = search(archive, spec.text, sort=spec.sort, page=spec.page, facets=False)
            sql, params = datasette_sql(spec)
            query = urllib.parse.urlencode({"sql": sql, "_shape": "array", **params})
            with urllib.request.urlopen(f"{endpoint}?{query}", timeout=60) as resp:
                rows = json.loads(resp.read())
            total = rows[0]["total"] if rows else None
            same_page = [r["reference_id"] for r in rows] == [h.reference_id for h in ours.hits]
            agree += (total == ours.total or not rows) and same_page
    print(
        f"Datasette's statement gives cabledesk's total and page on {agree}/{len(specs)} searches"
    )


if __name__ == "__main__":
    main()
