"""What the browser tests need besides pytest: Debian's Chromium, a real server, page watchers.

The tests drive ``/usr/bin/chromium`` (Debian's package, installed by scripts/bootstrap.sh)
through Playwright's sync API, never a browser Playwright downloads. ``cabledesk serve`` runs
as a real subprocess on a free loopback port, as a user would start it. Every page gets a
watcher that records console errors, uncaught exceptions and Content-Security-Policy
violations, so a test fails on a page that works only with errors in its console.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PageWatch",
    "Server",
    "browser_ready",
    "free_port",
    "serve",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
NO_BROWSER = "CABLEDESK_NO_BROWSER"


def browser_ready() -> None:
    """Returns when Chromium and Playwright are there; else skips (opted out) or fails loudly.

    A missing browser must not pass unnoticed in ``make test``: only ``CABLEDESK_NO_BROWSER=1``
    turns the failure into a skip."""
    opted_out = os.environ.get(NO_BROWSER) == "1"
    missing: list[str] = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"{CHROMIUM} (Debian package chromium: bash scripts/bootstrap.sh)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (.venv/bin/pip install playwright)")
    if not missing:
        return
    problem = "browser tests need " + " and ".join(missing)
    if opted_out:
        pytest.skip(f"{problem}; skipped because {NO_BROWSER}=1")
    pytest.fail(f"{problem}. Install them, or set {NO_BROWSER}=1 to skip these tests.")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running ``cabledesk serve``: where it answers and the archive it serves."""

    base_url: str
    db: Path


@contextlib.contextmanager
def serve(
    db: Path, log: Path, timeout: float = 30.0, options: tuple[str, ...] = ()
) -> Iterator[Server]:
    """Runs ``cabledesk serve --db DB [options]`` on a free loopback port until the block ends.

    Ready once ``/`` answers; a server that exits or stays silent for ``timeout`` seconds fails
    the caller with the end of its log."""
    port = free_port()
    cmd = [sys.executable, "-c", "from cabledesk.cli import main; main()", "serve"]
    cmd += ["--db", str(db), "--host", "127.0.0.1", "--port", str(port), *options]
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_answering(proc, base, log, timeout)
        yield Server(base, db)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_answering(
    proc: subprocess.Popen[bytes], base: str, log: Path, limit: float
) -> None:
    deadline = time.monotonic() + limit
    while True:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"cabledesk serve exited with status {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"cabledesk serve did not answer {base}/ within {limit:.0f} s:\n{tail}")
        time.sleep(0.1)


@dataclass
class PageWatch:
    """Console errors, uncaught page exceptions and CSP violations seen by one page."""

    errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    expected: str | None = None  # a console error the test expects (an HTTP 404)

    def attach(self, page: Page) -> None:
        page.add_init_script(_CSP_LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _console(self, msg: ConsoleMessage) -> None:
        text = msg.text
        if any(mark in text for mark in _CSP_MARKS):
            self.csp.append(text)
        elif msg.type == "error":
            self.errors.append(f"{text} ({msg.location.get('url', '')})")

    def problems(self, allow: str | None = None) -> list[str]:
        """Everything seen, less console errors containing ``allow`` (an expected 404)."""
        errors = [e for e in self.errors if allow is None or allow not in e]
        return [*(f"CSP: {t}" for t in self.csp), *errors]


# Chromium logs a blocked resource as a console error; the event also catches report-only ones.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
});
"""
_CSP_MARKS = ("Content Security Policy", "Content-Security-Policy", "CSP violation")
