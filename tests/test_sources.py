"""The readers: text, WikiLeaks pages, JSON Lines, gzip, rejections and the folder walk.

Cables.csv has its own file (tests/test_sources_csv.py). Everything here reads real cables from
``tests/data/sample`` and real pages from ``tests/data/sources/html``.
"""

from __future__ import annotations

import gzip
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from cabledesk.sources import (
    MAX_CABLE_BYTES,
    RawCable,
    Record,
    Rejected,
    cable_page,
    read_html,
    read_jsonl,
    read_sources,
    read_text,
    read_text_file,
)
from cabledesk.telegram import parse

HTML_DIR = Path(__file__).parent / "data" / "sources" / "html"
SOME_IDS = ["00HARARE5461", "01STATE176819", "07MOSCOW104", "72TEHRAN5055", "09MUMBAI232"]


def _one(records: list[Record]) -> Record:
    assert len(records) == 1, records
    return records[0]


def _rejected(records: list[Record]) -> Rejected:
    record = _one(records)
    assert isinstance(record, Rejected), record
    return record


def _cable(records: list[Record]) -> RawCable:
    record = _one(records)
    assert isinstance(record, RawCable), record
    return record


# --- plain text --------------------------------------------------------------------------------


def test_text_file_gives_its_text_and_the_id_of_its_name(sample_dir: Path) -> None:
    path = sample_dir / "00HARARE5461.txt"
    raw = _cable(list(read_text(path)))
    assert raw.text == path.read_text("utf-8")
    assert (raw.source, raw.line, raw.hints) == (str(path), 1, {"reference_id": "00HARARE5461"})
    assert parse(raw.text, raw.hints).reference_id == "00HARARE5461"


@pytest.mark.parametrize("content", [b"", b"  \n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_files_are_rejected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _rejected(list(read_text(path))).reason == "empty file"


def test_binary_file_is_rejected_with_the_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"UNCLAS\nSECTION\x00\x01\x02")
    bad = _rejected(list(read_text(path)))
    assert (bad.line, bad.reason) == (2, "binary file: NUL byte at offset 14")


def test_latin1_file_is_quarantined_not_guessed(tmp_path: Path, sample_dir: Path) -> None:
    text = (sample_dir / "00HARARE5461.txt").read_text("utf-8").replace("MUGABE’S", "CAFÉ")
    path = tmp_path / "00HARARE5461.txt"
    path.write_bytes(text.encode("latin-1", "replace"))
    offset = text.encode("latin-1", "replace").index(b"\xc9")
    bad = _rejected(list(read_text(path)))
    assert bad.reason.startswith(f"not UTF-8: byte 0xc9 at offset {offset:,} ")
    assert bad.line == text.count("\n", 0, text.index("CAFÉ")) + 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_with_a_byte_order_mark_is_read(
    tmp_path: Path, sample_dir: Path, encoding: str
) -> None:
    """Windows tools save "Unicode" text as UTF-16 with a BOM: the mark names the encoding, so
    the file is read, not refused as binary. Without the mark it stays refused."""
    text = (sample_dir / "00HARARE5461.txt").read_text("utf-8")
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path = tmp_path / "00HARARE5461.txt"
    path.write_bytes(bom + text.encode(encoding))
    assert _cable(list(read_text(path))).text == text
    assert read_text_file(path).text == text
    path.write_bytes(text.encode("utf-16-le"))  # no mark: NUL bytes, not a guess
    assert _rejected(list(read_text(path))).reason.startswith("binary file: NUL byte")
    path.write_bytes(b"\xff\xfe" + "UNCLAS".encode("utf-16-le") + b"\x00\xd8A")  # lone surrogate
    assert _rejected(list(read_text(path))).reason.startswith("not UTF-16 although")


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(b"UNCLAS " * 10)
        fh.truncate(100 * 1024 * 1024)  # sparse: one 100 MB line at no cost
    tracemalloc.start()
    try:
        records = list(read_text(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    bad = _rejected(records)
    assert bad.reason == "file too large: 104,857,600 bytes (limit 5,242,880)"
    assert peak < 1024 * 1024


def test_gzip_text_is_read_transparently(tmp_path: Path, sample_dir: Path) -> None:
    original = (sample_dir / "07MOSCOW104.txt").read_text("utf-8")
    path = tmp_path / "07MOSCOW104.txt.gz"
    path.write_bytes(gzip.compress(original.encode("utf-8")))
    raw = _cable(list(read_text(path)))
    assert (raw.text, raw.hints) == (original, {"reference_id": "07MOSCOW104"})


def test_gzip_bomb_and_corrupt_gzip_are_rejected(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"A" * (MAX_CABLE_BYTES + 10)))
    assert _rejected(list(read_text(bomb))).reason == (
        f"file too large: over {MAX_CABLE_BYTES:,} bytes once decompressed"
    )
    corrupt = tmp_path / "corrupt.txt.gz"
    corrupt.write_bytes(gzip.compress(b"UNCLAS " * 100)[:30])
    assert _rejected(list(read_text(corrupt))).reason.startswith("corrupt gzip file: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_names_the_os_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("UNCLAS\n")
    path.chmod(0)
    assert _rejected(list(read_sources([path]))).reason == "cannot read: Permission denied"


# --- WikiLeaks pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref_id", ["72TEHRAN5055", "08VLADIVOSTOK68", "09MUMBAI232", "03THEHAGUE1910"]
)
def test_page_text_is_the_raw_text_and_the_table_gives_hints(
    ref_id: str, sample_dir: Path, sample_index: list[dict[str, str]]
) -> None:
    raw = _cable(list(read_html(HTML_DIR / f"{ref_id}.html")))
    assert raw.text == (sample_dir / f"{ref_id}.txt").read_text("utf-8")
    row = next(r for r in sample_index if r["reference_id"] == ref_id)
    assert raw.hints["reference_id"] == ref_id
    assert raw.hints["date"] == row["created"].replace(" ", "T") + ":00Z"
    assert raw.hints["released"] == row["released"][:10]
    assert (raw.hints["classification"], raw.hints["origin"]) == (
        row["classification"],
        row["origin"],
    )
    assert parse(raw.text, raw.hints).reference_id == ref_id


def test_page_media_links_become_uris() -> None:
    mumbai = _cable(list(read_html(HTML_DIR / "09MUMBAI232.html")))
    assert mumbai.hints["media_uris"] == [
        "http://www.thehindu.com/news/the-india-cables/article1556650.ece"
    ]
    tehran = _cable(list(read_html(HTML_DIR / "72TEHRAN5055.html")))
    assert "media_uris" not in tehran.hints


def test_gzip_page_keeps_a_literal_angle_bracket_run() -> None:
    raw = _cable(list(read_html(HTML_DIR / "09ABUJA2170.html.gz")))
    assert "\n\n<<237579>>\n12.02.2009 11:16\n09ABUJA2170\n" in raw.text
    assert parse(raw.text, raw.hints).reference_id == "09ABUJA2170"


def test_page_markup_entities_and_placeholders() -> None:
    page = (
        "<html><body><table class='cable'><tr><th>Reference ID</th><th>Created</th>"
        "<th>Released</th></tr><tr><td><a href='/x'>99TEST1</a></td><td>1999-01-02 03:04</td>"
        "<td>2011-02-03 04:05</td></tr><tr><td colspan='3'>Appears in these articles:<br />"
        "<a href='http://not http://yet http://set'>not yet set</a><br />"
        "<a href='http://http://a.example/1'>http://a.example/1</a>"
        "<a href='http://b.example'>b.example</a><a href='http://print'>print</a></td></tr>"
        "</table><code><pre>UNCLAS&#x000A;AT&amp;T &lt;b&gt; <<12>> <a href='#p'>¶</a>1."
        "<br>&#x000A;&#8217;END</pre></code><pre>BODY</pre></body></html>"
    )
    text, hints = cable_page(page)
    assert text == "UNCLAS\nAT&T <b> <<12>> ¶1.\n’END\n\nBODY\n"
    assert hints == {
        "reference_id": "99TEST1",
        "date": "1999-01-02T03:04:00Z",
        "released": "2011-02-03",
        "media_uris": ["http://a.example/1", "http://b.example"],
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"<html><body><p>no cable</p></body></html>",
            "no <pre> block: not a WikiLeaks cable page",
        ),
        (b"<html><pre>VZCZC", "a <pre> block is not closed: the page is cut short"),
        (b"<pre>\xe9t\xe9</pre>", "not UTF-8: byte 0xe9 at offset 5 "),
    ],
)
def test_bad_pages_are_rejected(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(content)
    assert _rejected(list(read_html(path))).reason.startswith(reason)


@pytest.mark.corpus
def test_every_corpus_page_gives_the_raw_text(corpus_dir: Path) -> None:
    """The five 2011 pages holding ``<<row id>>`` differ: the corpus's tag stripper cut it to
    ``>``, a browser (and this reader) shows it."""
    pages = sorted((corpus_dir.parent / "html").glob("*.html"))
    assert len(pages) >= 700
    kept = []
    for path in pages:
        raw = _cable(list(read_html(path)))
        expected = (corpus_dir / f"{path.stem}.txt").read_text("utf-8")
        assert raw.hints["reference_id"] == path.stem
        if raw.text != expected:
            row_id = raw.text.split("<<", 1)[1].split(">>", 1)[0]
            assert raw.text.replace(f"<<{row_id}>>", ">", 1) == expected, path.stem
            kept.append(path.stem)
    assert len(kept) == 5, kept


# --- JSON Lines --------------------------------------------------------------------------------


def _write_jsonl(path: Path, sample_dir: Path) -> list[dict[str, object]]:
    objects = [
        parse(p.read_text("utf-8"), {"reference_id": ref}).to_dict()
        for ref in SOME_IDS
        for p in [sample_dir / f"{ref}.txt"]
        if p.exists()
    ]
    lines = [json.dumps(o, ensure_ascii=False) for o in objects]
    lines[1:1] = ["", "{not json", '{"reference_id": "X"}', "[1, 2]"]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return objects


def test_jsonl_reads_parse_output_back(tmp_path: Path, sample_dir: Path) -> None:
    path = tmp_path / "cables.jsonl"
    objects = _write_jsonl(path, sample_dir)
    records = list(read_jsonl(path))
    bad = [(r.line, r.reason) for r in records if isinstance(r, Rejected)]
    assert bad == [
        (3, "bad JSON: Expecting property name enclosed in double quotes at column 2"),
        (4, 'no "text" string in the object'),
        (5, "expected a JSON object, found list"),
    ]
    cables = [r for r in records if isinstance(r, RawCable)]
    assert [r.line for r in cables] == [1, 6, 7, 8, 9][: len(objects)]
    for raw, obj in zip(cables, objects, strict=True):
        assert raw.text == obj["text"]
        assert raw.hints["reference_id"] == obj["reference_id"]
        assert parse(raw.text, raw.hints).to_dict() == obj


def _summary(records: list[Record]) -> list[tuple[object, ...]]:
    return [
        (r.text, r.hints, r.line) if isinstance(r, RawCable) else (r.line, r.reason)
        for r in records
    ]


def test_jsonl_gzip_empty_and_bad_bytes(tmp_path: Path, sample_dir: Path) -> None:
    plain = tmp_path / "a.jsonl"
    _write_jsonl(plain, sample_dir)
    packed = tmp_path / "a.ndjson.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    from_packed = list(read_sources([packed]))
    assert {r.source for r in from_packed} == {str(packed)}
    assert _summary(from_packed) == _summary(list(read_jsonl(plain)))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    assert _rejected(list(read_jsonl(empty))).reason == "empty file"
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"text": "caf\xe9"}\n')
    assert _rejected(list(read_jsonl(latin))).reason.startswith("not UTF-8: byte 0xe9")


# --- the folder walk ---------------------------------------------------------------------------


def test_sample_folder_reads_every_cable_and_skips_the_rest(sample_dir: Path) -> None:
    records = list(read_sources([sample_dir]))
    assert all(isinstance(r, RawCable) for r in records)  # README.md and index.csv skipped
    names = [Path(r.source).name for r in records]
    assert names == sorted(p.name for p in sample_dir.glob("*.txt"))
    for raw in records[:40]:
        assert parse(raw.text, raw.hints).reference_id == Path(raw.source).stem


def test_walk_order_is_by_relative_path_and_skips_what_is_not_a_cable(
    tmp_path: Path, sample_dir: Path
) -> None:
    text = (sample_dir / "07MOSCOW104.txt").read_bytes()
    files = {
        "b/07MOSCOW104.txt": text,
        "a-c/x.txt.gz": gzip.compress(text),
        "a/z.txt": text,
        "a/sub/y.txt": text,
        "a/07MOSCOW104": text,  # no suffix, looks like text: read
        "a/blob": b"\x00\x01binary",  # no suffix, binary: skipped
        "a/.hidden.txt": text,
        ".git/config.txt": text,
        "a/README.md": b"# notes",
        "a/index.csv": b"reference_id,created\n07MOSCOW104,2007-01-12\n",
        "a/page.html": (HTML_DIR / "72TEHRAN5055.html").read_bytes(),
        "a/data.json": b"{}",
    }
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    expected = ["a/07MOSCOW104", "a/page.html", "a/sub/y.txt", "a/z.txt", "a-c/x.txt.gz"]
    expected.append("b/07MOSCOW104.txt")
    for _ in range(2):
        records = list(read_sources([tmp_path]))
        assert [Path(r.source).relative_to(tmp_path).as_posix() for r in records] == expected
        assert all(isinstance(r, RawCable) for r in records)


def test_explicit_paths_are_read_or_rejected_never_skipped(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# notes")
    index = tmp_path / "index.csv"
    index.write_text("reference_id,created\n")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    records = list(read_sources([tmp_path / "missing.txt", notes, index, fifo]))
    assert [(Path(r.source).name, r.line) for r in records] == [
        ("missing.txt", 0),
        ("notes.md", 0),
        ("index.csv", 1),
        ("pipe", 0),
    ]
    reasons = [r.reason for r in records if isinstance(r, Rejected)]
    assert reasons[0] == "no such file or folder"
    assert reasons[1].startswith("unsupported file type '.md': expected .txt, .html")
    assert reasons[2].startswith("not a Cablegate cables.csv: the first line")
    assert reasons[3] == "not a regular file or folder"
