"""Shared fixtures: the bundled sample, its index rows, the seed cable and the optional corpus.

A fresh clone has only ``tests/data``; the full corpus lives in ``../shared/corpus/raw`` beside
the repository on developer machines and in CI, and tests that need it skip without it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cabledesk.archive import Archive

if TYPE_CHECKING:
    from cabledesk.services.facet_index import FacetIndex

DATA = Path(__file__).parent / "data"
SAMPLE_DIR = DATA / "sample"
SEED_PATH = DATA / "seed" / "07MOSCOW104.txt"
CORPUS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "raw"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """``tests/data/sample``: real cables, one ``<REFID>.txt`` each, plus ``index.csv``."""
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def sample_index() -> list[dict[str, str]]:
    """The publisher's metadata rows for the sample (the corpus ``index.csv`` columns)."""
    with (SAMPLE_DIR / "index.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """``../shared/corpus/raw`` relative to the repository root; skips the test when absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus not present at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed cable 07MOSCOW104 as published with its WikiLeaks page preamble."""
    return SEED_PATH.read_text(encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    """Registers the ``browser`` mark: tests/test_browser.py drives Chromium (``-m 'not browser'``
    leaves them out; CABLEDESK_NO_BROWSER=1 skips them when Chromium is absent)."""
    config.addinivalue_line("markers", "browser: drives Debian's Chromium against cabledesk serve")


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The bundled sample ingested once, for the tests that only read it (search, facet
    index, term counts); a test that writes builds its own."""
    from test_search import build_archive

    return build_archive(sample_dir, tmp_path_factory.mktemp("search") / "sample.db", 0)


@pytest.fixture(scope="session")
def archive(sample_db: Path) -> Iterator[Archive]:
    """``sample_db`` opened read-only."""
    with Archive.open(sample_db, readonly=True) as opened:
        yield opened


@pytest.fixture(scope="session")
def index(archive: Archive) -> FacetIndex:
    """The facet index of ``archive``."""
    from cabledesk.services.facet_index import build_facet_index

    return build_facet_index(archive.conn)
