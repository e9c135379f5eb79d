"""绩效公开: the pack's parts, their order (自评表, 评价报告摘要, 整改情况) and content; one real conversion."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import docx
import pdfplumber
import pypdfium2 as pdfium
import pytest

from jixiao import api
from jixiao.render.errors import RenderError
from jixiao.render.publication import merge_pdfs, pack_documents, publication_pack_bytes
from jixiao.scoring.result import ScoreResult
from tests.results.helpers import evaluation, item

TODAY = date(2025, 7, 1)
SCORE = ScoreResult(policy="national-2020", granularity="total", computed_total=None)


def _entries() -> list[tuple[api.Evaluation, ScoreResult]]:
    first = evaluation("甲项目", problems=["资金拨付滞后"], suggestions=["加快拨付"])
    second = evaluation("乙/项目", problems=[])
    return [(first, api.score(first)), (second, api.score(second))]


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs) + "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(data)).tables
        for row in table.rows
        for cell in row.cells
    )


def _pages(n: int) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(n):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fake(sources: Sequence[Path], out_dir: Path) -> list[Path]:
    """A PDF per Word file with as many pages as its place in the batch plus one (order shows in page counts)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = []
    for n, source in enumerate(sources):
        target = out_dir / f"{source.stem}.pdf"
        target.write_bytes(_pages(n + 1))
        outputs.append(target)
    return outputs


def test_the_parts_in_the_order_of_the_final_accounts() -> None:
    items = [
        item(project="甲项目", deadline=date(2025, 6, 1)),
        item("confirmed", project="甲项目", problem="档案不全"),
    ]
    documents = pack_documents("示范单位", 2024, _entries(), items, TODAY)
    assert [name for name, _ in documents] == [
        "1-项目支出绩效自评表/1-甲项目",
        "1-项目支出绩效自评表/2-乙_项目",
        "2-绩效评价报告摘要",
        "3-整改情况表",
    ]
    assert "项目支出绩效自评表" in _text(documents[0][1]) and "甲项目" in _text(documents[0][1])
    summary = _text(documents[2][1])
    assert summary.index("甲项目") < summary.index("乙/项目")
    assert "资金拨付滞后" in summary and "加快拨付" in summary and "评价等级" in summary
    status = _text(documents[3][1])
    assert "绩效评价发现问题整改情况表" in status and "待整改（逾期）" in status and "已确认" in status
    assert "共2个问题：待整改1个，已确认1个，其中逾期1个" in status


def test_an_empty_year_still_says_so() -> None:
    documents = pack_documents("示范单位", 2024, [], [], TODAY)
    assert [name for name, _ in documents] == ["2-绩效评价报告摘要", "3-整改情况表"]
    assert "本年度没有绩效评价报告" in _text(documents[0][1])
    assert "本期没有需要整改的问题" in _text(documents[1][1])


def test_one_pdf_and_a_zip_in_order() -> None:
    pdf, archive = publication_pack_bytes(
        "示范单位", 2024, _entries(), [item(project="甲项目")], TODAY, convert=_fake
    )
    assert len(pdfium.PdfDocument(pdf)) == 1 + 2 + 3 + 4  # the parts' pages, in order
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    folder = "示范单位-2024年度-绩效公开材料"
    assert names == [
        f"{folder}/1-项目支出绩效自评表/1-甲项目.pdf",
        f"{folder}/1-项目支出绩效自评表/2-乙_项目.pdf",
        f"{folder}/2-绩效评价报告摘要.pdf",
        f"{folder}/3-整改情况表.pdf",
        f"{folder}/{folder}.pdf",
    ]
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert [len(pdfium.PdfDocument(opened.read(n))) for n in names[:4]] == [1, 2, 3, 4]


def test_a_failed_conversion_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="转换为 PDF 失败"):
        publication_pack_bytes("示范单位", 2024, [], [], TODAY, convert=lambda sources, out: [])


def test_merge_keeps_the_order() -> None:
    assert len(pdfium.PdfDocument(merge_pdfs([_pages(2), _pages(3)]))) == 5


@pytest.mark.slow
def test_the_real_pack_prints_each_part_in_order() -> None:
    first = api.load(api.example_files()[0]).evaluation
    assert first is not None
    items = api.ledger_items(first, on=date(2025, 1, 1))
    pdf, _ = api.publication_pack("示范单位", first.year, [first], items, today=TODAY)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert (
        text.index("项目支出绩效自评表")
        < text.index("绩效评价报告摘要")
        < text.index("绩效评价发现问题整改情况表")
    )
