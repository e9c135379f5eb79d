"""Hostile input: each a clear finding, bounded time and memory, never an exception."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jixiao.batch import process_document
from jixiao.ingest import ingest_file, limits, read_document


def _codes(path: Path) -> list[str]:
    doc, findings = read_document(path)
    assert doc is None
    return [f.code for f in findings]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_bomb(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bomb{suffix}"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    assert _codes(path) == ["ingest.zip-bomb"]


def test_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 5)
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(10):
            zf.writestr(f"f{i}.xml", "x")
    assert _codes(path) == ["ingest.zip-bomb"]


def test_binary_junk_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(bytes(range(256)) * 100)
    assert _codes(path) == ["ingest.not-pdf"]


def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
    codes = _codes(path)
    assert codes and codes[0] in ("ingest.corrupt", "ingest.no-text")


def test_encrypted_pdf(tmp_path: Path) -> None:
    pypdfium2 = pytest.importorskip("pypdfium2")
    del pypdfium2
    from tests.ingest.encrypted import write_encrypted_pdf

    path = tmp_path / "locked.pdf"
    write_encrypted_pdf(path)
    assert _codes(path) == ["ingest.encrypted"]


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    from tests.ingest.encrypted import write_image_pdf

    path = tmp_path / "scan.pdf"
    write_image_pdf(path)
    codes = _codes(path)
    assert codes == ["ingest.no-text"]
    assert "扫描件" in read_document(path)[1][0].message


def test_binary_junk_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(b"\0\1\2\3" * 5000)
    assert _codes(path) == ["ingest.binary"]


def test_corrupt_docx_and_xlsx(tmp_path: Path) -> None:
    for name in ("bad.docx", "bad.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"PK\3\4 not really a zip")
        assert _codes(path) == ["ingest.corrupt"]


def test_enormous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("项目名称：x\n" * 500, encoding="utf-8")
    assert _codes(path) == ["ingest.too-large"]


def test_empty_and_missing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert _codes(empty) == ["ingest.empty"]
    assert _codes(tmp_path / "nope.pdf") == ["file.unreadable"]
    assert _codes(tmp_path) == ["file.unreadable"]


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "x.rtf"
    path.write_text("x", encoding="utf-8")
    assert _codes(path) == ["ingest.unsupported"]


def test_batch_unit_never_raises(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"\x00" * 100)
    (row,) = process_document(str(path))
    assert row["status"] == "failed" and row["errors"] >= 1 and "PDF" in row["error"]
    assert ingest_file(path).evaluation is None


def test_batch_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from jixiao.batch import run as batch

    def slow(path: str) -> list[dict[str, object]]:
        time.sleep(5)
        return []

    monkeypatch.setattr(batch, "process_document", slow)
    start = time.perf_counter()
    (row,) = batch.process_with_timeout(str(tmp_path / "x.txt"), timeout=0.3)
    assert time.perf_counter() - start < 2
    assert row["status"] == "failed" and "超时" in str(row["error"])


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_endless_text_is_cut_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A document of endless paragraphs (a 1 MB .docx can hold 190 MB of XML) is read up to the
    text cap, with a warning, instead of being read and searched for minutes."""
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 5_000)
    lines = [f"第{n}段：本段为绩效评价报告正文内容。" * 4 for n in range(1, 2001)]
    path = tmp_path / f"endless{suffix}"
    if suffix == ".docx":
        import docx

        d = docx.Document()
        for line in lines:
            d.add_paragraph(line)
        d.save(str(path))
    else:
        path.write_text("\n".join(lines), encoding="utf-8")
    doc, findings = read_document(path)
    assert doc is not None
    assert [f.code for f in findings] == ["ingest.truncated"]
    assert "只读取前" in findings[0].message
    read = sum(len(getattr(b, "text", "")) for b in doc.blocks)
    assert 4_000 < read <= 5_000
    assert doc.blocks[0].text.startswith("第1段")  # type: ignore[union-attr]
