"""PDF cables (``sources.pdf``): real WikiLeaks Cablegate PDFs read through their text layer."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from cabledesk.sources import RawCable, Rejected, read_pdf, read_sources
from cabledesk.telegram import parse

PDF_DIR = Path(__file__).parent / "data" / "sources" / "pdf"


def test_a_cablegate_pdf_reads_as_its_cable() -> None:
    (record,) = read_pdf(PDF_DIR / "00DAMASCUS2976.pdf")
    assert isinstance(record, RawCable)
    assert record.hints == {"reference_id": "00DAMASCUS2976"}
    assert "TAGS: PGOV SY IS\n" in record.text  # one printed line stays one line
    assert "  " not in record.text  # layout spacing collapsed
    cable = parse(record.text, record.hints)
    assert cable.canonical_id == "00DAMASCUS2976"
    assert cable.classification == "CONFIDENTIAL"
    assert [t.code for t in cable.tags] == ["PGOV", "SY", "IS"]
    assert cable.subject is not None and cable.subject.startswith("ASAD SITREP 01")
    assert cable.signers == ["CROCKER"]


def test_folder_walk_and_gzip(tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    shutil.copytree(PDF_DIR, folder)
    packed = folder / "00DAMASCUS2976b.pdf.gz"
    packed.write_bytes(gzip.compress((PDF_DIR / "00DAMASCUS2976.pdf").read_bytes()))
    records = list(read_sources([folder]))
    assert [Path(r.source).name for r in records] == [
        "00DAMASCUS2976.pdf",
        "00DAMASCUS2976b.pdf.gz",
        "00DAMASCUS3013.pdf",
    ]
    assert all(isinstance(r, RawCable) for r in records)
    assert records[0].text == records[1].text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"UNCLAS text saved with the wrong name", "not a PDF file"),
        (b"%PDF-1.4\n" + b"\x00garbage" * 50, "unreadable PDF"),
        (b"", "not a PDF file"),
    ],
)
def test_what_is_not_a_readable_pdf_is_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    (record,) = read_pdf(path)
    assert isinstance(record, Rejected)
    assert record.reason.startswith(reason), record.reason


def test_a_cut_pdf_is_refused_or_read_never_raised(tmp_path: Path) -> None:
    data = (PDF_DIR / "00DAMASCUS2976.pdf").read_bytes()
    for cut in (100, len(data) // 3, len(data) // 2, len(data) - 200):
        path = tmp_path / f"cut{cut}.pdf"
        path.write_bytes(data[:cut])
        (record,) = read_pdf(path)
        assert isinstance(record, RawCable | Rejected)


@pytest.mark.corpus
def test_corpus_pdfs_parse_like_their_text_conversions(corpus_dir: Path) -> None:
    """The publisher's PDFs (corpus/pdf) against the Tika conversions of the same cables
    (corpus/lossy): every PDF with a body parses to its id, with the same TAGS and signers."""
    pdfs = sorted((corpus_dir.parent / "pdf").glob("*.pdf"))
    assert len(pdfs) == 14
    parsed = 0
    for path in pdfs:
        (record,) = read_pdf(path)
        assert isinstance(record, RawCable), record
        try:
            cable = parse(record.text, record.hints)
        except Exception:  # noqa: BLE001 - a header-only PDF (00DAMASCUS3013) has no body
            assert path.stem == "00DAMASCUS3013"
            continue
        parsed += 1
        assert cable.canonical_id == path.stem
        lossy = corpus_dir.parent / "lossy" / f"{path.stem}.txt"
        if lossy.exists() and lossy.read_text("utf-8").strip():  # some conversions are empty
            other = parse(lossy.read_text("utf-8"), {"reference_id": path.stem})
            assert [t.code for t in cable.tags] == [t.code for t in other.tags], path.stem
            assert cable.signers == other.signers, path.stem
    assert parsed == 13


def test_a_pdf_longer_than_any_cable_is_refused_unread(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    from cabledesk.sources.pdf import MAX_PDF_PAGES

    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=612, height=792)
    path = tmp_path / "book.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    (record,) = read_pdf(path)
    assert isinstance(record, Rejected)
    assert (
        record.reason == f"{MAX_PDF_PAGES + 1} pages: more than one cable (limit {MAX_PDF_PAGES})"
    )
