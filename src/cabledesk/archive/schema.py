"""The archive's SQLite schema, as numbered migrations applied in order.

``PRAGMA user_version`` records the last migration applied; opening an archive applies the
rest. A migration is never edited once released: a change is a new migration appended here.
Every table is plain SQL so sqlite-utils, Datasette or DuckDB can read the file as it is.

Tables (documented in ``docs/archive.md``):

- ``cables`` — one row per cable, keyed by its canonical id; the columns hold the fields of the
  *current* version (the latest release), but not its text: rows stay small, so the facet and
  filter lookups a search makes for every hit read few pages. The full parse is ``telegram.parse(text, hints)`` of
  that version: parsing is deterministic and takes under a millisecond, so it is not stored.
- ``versions`` — every distinct text of a cable (distinct after whitespace normalisation), with
  where it came from, the hints its source gave and the publisher's release date.
- ``cable_texts`` — a view: each cable's id, subject and current text.
- ``texts_seen`` — the exact hash of every input text already ingested, so a re-run skips it
  without parsing.
- ``addressees``, ``tags``, ``captions``, ``refs``, ``ref_mentions``, ``paragraphs``,
  ``redactions``, ``findings`` — the current version's parts, one row each, in order.
- ``quarantine`` — inputs that could not be stored: file, line, reason.
- ``cables_fts`` — FTS5 over subject and text (external content: the ``cable_texts`` view);
  ``unicode61`` without stemming so names and codes match exactly. The writer keeps it in step
  (``Archive.write_batch``): new cables are indexed in one statement per batch, and a cable
  whose current version changes is taken out with its old text and indexed with the new.

Migration 2 (source protection, ``archive.protection``):

- ``protected_names`` — the protect list: each name as entered, its normalised key (unique),
  kind, pseudonym (unique) and note.
- ``pseudonym_counters`` — the last ``Person N`` / ``Organisation N`` number given per kind,
  so a number is never given twice, even after its name was removed.
- ``releases`` — one row per applied plan: label (unique), when, and the settings (style,
  marker, withhold_above, the plan's digest) as JSON.
- ``release_texts`` — each released cable's text under a release, with the version it was
  made from, the counts of spans replaced and paragraphs withheld, and the map of each
  replacement back to the original (JSON, for review; never exported).

Migration 3 (term counts for ranking, ``archive.terms``):

- ``term_set`` — the words whose counts are kept: those in at least two fifths of the first
  256 cables the tokenizer reproduces, chosen once per archive (``position`` numbers them).
- ``term_docs`` — per such cable (current text still its first), its BM25 length: tokens in
  subject and text as FTS5 counts them. A cable without a row is scored by FTS5.
- ``term_counts`` — per word and block of 4,096 cable ids: the cables of ``term_docs`` holding
  the word (int32), its occurrences in their subject (uint8) and text (uint16), little-endian
  arrays in id order. Entries of cables no longer in ``term_docs`` are ignored.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

_INITIAL = """
CREATE TABLE cables (
    id INTEGER PRIMARY KEY,
    reference_id TEXT NOT NULL UNIQUE,
    published_id TEXT,
    date TEXT,
    year INTEGER,
    origin TEXT,
    station TEXT,
    serial INTEGER,
    classification TEXT,
    precedence TEXT,
    subject TEXT,
    summary TEXT,
    declassify_on TEXT,
    shape TEXT NOT NULL,
    partial INTEGER NOT NULL DEFAULT 0,
    truncated INTEGER NOT NULL DEFAULT 0,
    signers TEXT NOT NULL DEFAULT '[]',
    redaction_count INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL
);
CREATE INDEX cables_date ON cables (date, reference_id);
CREATE INDEX cables_origin ON cables (origin, date);
CREATE INDEX cables_classification ON cables (classification);
CREATE INDEX cables_year ON cables (year);
CREATE INDEX cables_published_id ON cables (published_id) WHERE published_id IS NOT NULL;
CREATE INDEX cables_station ON cables (station, year, serial);

CREATE TABLE versions (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    published_id TEXT,
    source TEXT NOT NULL,
    source_line INTEGER NOT NULL DEFAULT 1,
    released TEXT,
    hints TEXT NOT NULL DEFAULT '{}',
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (cable_id, number),
    UNIQUE (cable_id, content_hash)
);
CREATE INDEX versions_published_id ON versions (published_id);

CREATE TABLE texts_seen (
    text_hash TEXT PRIMARY KEY,
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    version INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE addressees (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('from', 'to', 'info', 'xmt')),
    position INTEGER NOT NULL,
    routing_indicator TEXT,
    address TEXT NOT NULL,
    precedence TEXT,
    mcn TEXT,
    PRIMARY KEY (cable_id, role, position)
) WITHOUT ROWID;
CREATE INDEX addressees_address ON addressees (address);

CREATE TABLE tags (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;
CREATE INDEX tags_code ON tags (code, cable_id);

CREATE TABLE captions (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    caption TEXT NOT NULL,
    PRIMARY KEY (cable_id, caption)
) WITHOUT ROWID;
CREATE INDEX captions_caption ON captions (caption, cable_id);

CREATE TABLE refs (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    letter TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    cited_id TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;
CREATE INDEX refs_cited ON refs (cited_id);

CREATE TABLE ref_mentions (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    letter TEXT,
    ref_position INTEGER,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;

CREATE TABLE paragraphs (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    number INTEGER,
    mark TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;

CREATE TABLE redactions (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;

CREATE TABLE findings (
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (cable_id, position)
) WITHOUT ROWID;
CREATE INDEX findings_code ON findings (code);

CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    reason TEXT NOT NULL,
    quarantined_at TEXT NOT NULL,
    UNIQUE (source, line, reason)
);

CREATE VIEW cable_texts AS
    SELECT c.id AS id, c.subject AS subject, v.text AS text
    FROM cables AS c JOIN versions AS v ON v.cable_id = c.id AND v.number = c.version;

CREATE VIRTUAL TABLE cables_fts USING fts5 (
    subject, text,
    content = 'cable_texts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

_PROTECTION = """
CREATE TABLE protected_names (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    pseudonym TEXT NOT NULL UNIQUE,
    note TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);

CREATE TABLE pseudonym_counters (
    kind TEXT PRIMARY KEY,
    last INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE releases (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE release_texts (
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    cable_id INTEGER NOT NULL REFERENCES cables (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    spans_replaced INTEGER NOT NULL,
    paragraphs_withheld INTEGER NOT NULL,
    replacements TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (release_id, cable_id)
);
CREATE INDEX release_texts_cable ON release_texts (cable_id);
"""

_TERM_COUNTS = """
CREATE TABLE term_set (
    term TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE
) WITHOUT ROWID;

CREATE TABLE term_docs (
    cable_id INTEGER PRIMARY KEY REFERENCES cables (id) ON DELETE CASCADE,
    tokens INTEGER NOT NULL
);

CREATE TABLE term_counts (
    term TEXT NOT NULL,
    block INTEGER NOT NULL,
    cables BLOB NOT NULL,
    subject BLOB NOT NULL,
    text BLOB NOT NULL,
    PRIMARY KEY (term, block)
) WITHOUT ROWID;
"""

MIGRATIONS: list[str] = [_INITIAL, _PROTECTION, _TERM_COUNTS]
"""Migration ``n`` (1-based) is ``MIGRATIONS[n - 1]``; ``user_version`` is the last applied."""

SCHEMA_VERSION = len(MIGRATIONS)
