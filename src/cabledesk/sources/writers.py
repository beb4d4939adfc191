"""Writers for generated corpora, in the layouts the readers of this package take back.

``cabledesk synth`` writes millions of cables; each layout must stay usable at that size:

* ``txt``: one ``<REFID>.txt`` per cable, in sub-folders of ``per_folder`` files
  (``DIR/000/``, ``DIR/001/`` ...), since folders of millions of files are unusable;
* ``jsonl``: one JSON object per line: ``reference_id``, ``date`` (ISO 8601, UTC), ``origin``,
  ``classification``, ``subject`` and ``text`` (``sources.jsonl`` reads the others as hints);
* ``csv``: the Cablegate ``cables.csv`` layout (no header row; row id, date ``12/28/1966 18:48``,
  reference id, origin, classification, referenced ids joined by ``|``, header, body; every
  field in double quotes, a backslash escapes ``"``, ``\\`` and each line end, as in the
  MySQL export).

A file name ending in ``.gz`` is written gzip-compressed (level 1: fast).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Protocol, TextIO

__all__ = ["CableRecord", "CableWriter", "FORMATS", "csv_classification", "open_writer"]

FORMATS = ("txt", "jsonl", "csv")
_DEFAULT_NAMES = {"jsonl": "cables.jsonl", "csv": "cables.csv"}


class CableRecord(Protocol):
    """What a writer needs of a cable (``synthetic.SynthCable`` has it)."""

    @property
    def reference_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def date(self) -> dt.datetime: ...
    @property
    def origin(self) -> str: ...
    @property
    def classification(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def captions(self) -> list[str]: ...
    @property
    def references(self) -> list[str]: ...
    @property
    def header_end(self) -> int: ...


class CableWriter:
    """Base: ``write`` each cable, then ``close`` (or use as a context manager)."""

    path: Path
    """The folder or file written."""

    def write(self, cable: CableRecord) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Flush and close; nothing to do for a folder of files."""

    def __enter__(self) -> CableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _TextTree(CableWriter):
    def __init__(self, folder: Path, per_folder: int) -> None:
        self.path = folder
        self.per_folder = per_folder
        self.count = 0
        self.shard: Path | None = None

    def write(self, cable: CableRecord) -> None:
        if self.count % self.per_folder == 0:
            self.shard = self.path / f"{self.count // self.per_folder:03d}"
            self.shard.mkdir(parents=True, exist_ok=True)
        assert self.shard is not None
        (self.shard / f"{cable.reference_id}.txt").write_text(cable.text, "utf-8")
        self.count += 1


class _OneFile(CableWriter):
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # Open for the writer's lifetime; ``close`` (or the ``with`` block) closes it.
        if path.suffix == ".gz":
            # Level 1: four times faster than the default 9 for a quarter more bytes; generated
            # corpora are rewritten far more often than they are kept.
            self.stream: TextIO = gzip.open(  # noqa: SIM115
                path, "wt", compresslevel=1, encoding="utf-8", newline="\n"
            )
        else:
            self.stream = path.open("w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.count = 0

    def close(self) -> None:
        self.stream.close()


class _JsonLines(_OneFile):
    def write(self, cable: CableRecord) -> None:
        record = {
            "reference_id": cable.reference_id,
            "date": cable.date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "origin": cable.origin,
            "classification": cable.classification,
            "subject": cable.subject,
            "text": cable.text,
        }
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.count += 1


def _csv_field(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\\n") + '"'


def csv_classification(level: str, captions: list[str]) -> str:
    """The publisher's classification column: ``SECRET//NOFORN``, ``UNCLASSIFIED//FOR OFFICIAL
    USE ONLY`` for sensitive-but-unclassified cables, else the level."""
    if "NOFORN" in captions:
        return f"{level}//NOFORN"
    if level == "UNCLASSIFIED" and any(c.startswith("SENSITIVE") for c in captions):
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    return level


class _CablesCsv(_OneFile):
    def write(self, cable: CableRecord) -> None:
        self.count += 1
        d = cable.date.astimezone(dt.UTC)
        fields = (
            str(self.count),
            f"{d.month}/{d.day}/{d.year} {d.hour:02d}:{d.minute:02d}",
            cable.reference_id,
            cable.origin,
            csv_classification(cable.classification, cable.captions),
            "|".join(cable.references),
            cable.text[: cable.header_end],
            cable.text[cable.header_end :],
        )
        self.stream.write(",".join(map(_csv_field, fields)) + "\n")


def open_writer(fmt: str, out: Path, per_folder: int = 1000) -> CableWriter:
    """A writer for ``fmt`` (``txt``, ``jsonl``, ``csv``) at ``out``.

    For ``txt`` ``out`` is the folder. For ``jsonl`` and ``csv`` it is the file when it has a
    suffix (``corpus.jsonl``, ``cables.csv.gz``), else a folder that receives ``cables.jsonl``
    or ``cables.csv``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "txt":
        if per_folder < 1:
            raise ValueError(f"per_folder must be >= 1, not {per_folder}")
        return _TextTree(out, per_folder)
    path = out if out.suffix else out / _DEFAULT_NAMES[fmt]
    return _JsonLines(path) if fmt == "jsonl" else _CablesCsv(path)
