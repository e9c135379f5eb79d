"""The documents of a declaration: the 申报表 and the 审核意见表 in Word, Excel and PDF hold every
figure and opinion they are given, print blank to fill in by hand, and refuse unknown kinds."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Literal

import docx
import openpyxl
import pdfplumber
import pytest

from jixiao import api
from jixiao.declaration import ReviewGrade, ReviewOpinion
from jixiao.render import RenderError
from jixiao.render.declaration_documents import render_declaration_bytes
from jixiao.render.review_xlsx import FINDINGS_SHEET
from tests.render.conftest import docx_text, missing
from tests.render.declaration_cases import declaration, findings, opinion, review


def _xlsx_text(data: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return "".join(
        str(v)
        for ws in workbook.worksheets
        if ws.sheet_state == "visible"
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def _number(text: str) -> str:
    try:
        return f"{Decimal(text).normalize():f}" if "." in text else text
    except ArithmeticError:
        return text


def declaration_figures() -> list[str]:
    """What the 申报表 must show of :func:`declaration`."""
    d = declaration()
    f = d.funds
    out = [d.project.name, "某县教育局（301）", d.project.unit or "", "延续项目", "3年", "经常性项目"]
    out += [d.basis or "", "中期目标（2025—2027年）", "年度目标（2025年）"]
    out += [
        f"{v:f}"
        for v in (f.medium_total, f.medium_appropriation, f.medium_other, f.last_spent)
        if v is not None
    ]
    out += [f"{v:f}" for v in (f.annual_total, f.appropriation, f.other, f.last_budget) if v is not None]
    out += [item.label for item in f.details] + [item.basis or "" for item in f.details]
    for target_set in d.target_sets():
        out += target_set.goals
        for ind in target_set.indicators:
            out += [ind.name or "", ind.unit or "", ind.explanation or ""]
            out += [x.text or "" for x in (ind.target, ind.last_actual) if x is not None]
    out += ["历史标准：近三年均为100%", "预算支出标准", "定性", "中期绩效指标", "年度绩效指标"]
    return [x for x in out if x]


def opinion_figures() -> list[str]:
    """What the 审核意见表 must show of the review and the opinion."""
    o = opinion()
    out = [declaration().project.name, o.reviewer or "", o.overall or "", o.outputs or "", o.outcomes or ""]
    out += [o.satisfaction or "", *o.to_complete, *o.criteria.values()]
    out += [
        "完整性",
        "相关性",
        "适当性",
        "可行性",
        "5.00",
        "25.00",
        "21.50",
        "18.00",
        "89.50",
        "良（89.50分）",
    ]
    out += ["修改完善后进入预算安排", "national-2015", "审核单位", "审核日期"]
    return out


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_declaration_holds_every_figure(fmt: str) -> None:
    data = api.render_declaration(declaration(), "declaration", fmt)  # type: ignore[arg-type]
    text = docx_text(data) if fmt == "docx" else _xlsx_text(data)
    figures = declaration_figures()
    if fmt == "xlsx":  # amounts are numbers there (720.00 is 720 shown with two decimals)
        figures = [_number(x) for x in figures]
    assert missing(text, figures) == []
    assert "项目支出绩效目标申报表" in text and "（2025年度）" in text


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_review_opinion_holds_the_review_and_the_opinion(fmt: str) -> None:
    data = api.render_declaration(
        declaration(),
        "review-opinion",
        fmt,  # type: ignore[arg-type]
        review=review(),
        findings=findings(),
        opinion=opinion(),
    )
    text = docx_text(data) if fmt == "docx" else _xlsx_text(data)
    assert missing(text, opinion_figures()) == []
    assert "绩效目标审核意见表" in text
    assert missing(text, [f.message for f in findings()]) == []
    assert "1. 补充生态效益或说明不适用" in text


def test_the_review_opinion_table_lines_up_points_per_criterion() -> None:
    data = render_declaration_bytes(
        declaration(), "review-opinion", "docx", review=review(), opinion=opinion()
    )
    table = docx.Document(io.BytesIO(data)).tables[0]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert rows["完整性"][:4] == ["完整性", "30", "5.00", "25.00"]
    assert rows["可行性"][4] == "目标值设定偏保守。"
    assert rows["审核结果"][1] == "良" and rows["审核结果"][5] == "良（89.50分）"
    assert rows["处理意见"][1] == "修改完善后进入预算安排"
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            render_declaration_bytes(
                declaration(), "review-opinion", "xlsx", review=review(), opinion=opinion()
            )
        )
    )
    ws = workbook.active
    assert ws is not None and ws.page_setup.orientation == "portrait"
    cells = {
        ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(1, 7)] for r in range(1, ws.max_row + 1)
    }
    assert cells["适当性"][:4] == ["适当性", "25", "3.50", "21.50"]
    assert FINDINGS_SHEET not in workbook.sheetnames  # no findings given: no sheet


def test_a_settled_grade_other_than_the_reviews_says_so() -> None:
    settled = opinion().model_copy(update={"grade": ReviewGrade.fair})
    text = docx_text(
        render_declaration_bytes(declaration(), "review-opinion", "docx", review=review(), opinion=settled)
    )
    assert "按审核确定的结果“中”处理" in text and "修改完善后进入预算安排" in text


def test_a_blank_review_opinion_is_a_form_to_fill_in_by_hand() -> None:
    for fmt in ("docx", "xlsx"):
        data = render_declaration_bytes(declaration(), "review-opinion", fmt, findings=[])
        text = docx_text(data) if fmt == "docx" else _xlsx_text(data)
        assert "自动审核结果" in text and "年    月    日" in text
        assert "经自动审核，未发现问题。" in text
    empty = ReviewOpinion()
    assert "审核意见" in docx_text(
        render_declaration_bytes(declaration(), "review-opinion", "docx", opinion=empty)
    )


def test_the_declaration_with_findings_reads_back_the_same(tmp_path: Path) -> None:
    for fmt in ("docx", "xlsx"):
        path = tmp_path / f"d.{fmt}"
        path.write_bytes(render_declaration_bytes(declaration(), "declaration", fmt, findings=findings()))
        loaded = api.load_declaration(path)
        assert loaded.findings == [] and loaded.declaration == declaration()
        text = docx_text(path.read_bytes()) if fmt == "docx" else _xlsx_text(path.read_bytes())
        assert "高于预算支出标准" in text


def test_unknown_kinds_and_formats_are_refused_in_chinese() -> None:
    with pytest.raises(RenderError, match="未知的申报文书种类"):
        render_declaration_bytes(declaration(), "self-table", "docx")  # type: ignore[arg-type]
    with pytest.raises(RenderError, match="未知的输出格式"):
        render_declaration_bytes(declaration(), "declaration", "odt")


def test_text_that_looks_like_markup_or_formulas_stays_text() -> None:
    d = declaration()
    d.project.name = "<w:p>=SUM(A1)&amp;\x07"
    data = render_declaration_bytes(d, "declaration", "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data))["申报表"]
    assert any(
        ws.cell(r, 3).value == "<w:p>=SUM(A1)&amp;" and ws.cell(r, 3).data_type == "s" for r in range(1, 10)
    )
    assert "<w:p>=SUM(A1)&amp;" in docx_text(render_declaration_bytes(d, "declaration", "docx"))


@pytest.mark.slow
def test_pdfs_print_the_figures_in_embedded_fonts(tmp_path: Path) -> None:
    """One LibreOffice batch for both documents (PDF tests are slow)."""
    from jixiao.render.pdf import docx_to_pdf_batch

    sources = []
    kinds: tuple[Literal["declaration", "review-opinion"], ...] = ("declaration", "review-opinion")
    for kind in kinds:
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(
            render_declaration_bytes(
                declaration(),
                kind,
                "docx",
                review=review(),
                findings=findings(),
                opinion=opinion(),
            )
        )
        sources.append(path)
    expected = {
        "declaration": ["240.5", "720.00", "228.36", "1200", "3600", "1150"],
        "review-opinion": ["89.50", "21.50", "240.5"],
    }
    for path in docx_to_pdf_batch(sources, tmp_path / "pdf"):
        with pdfplumber.open(path) as document:
            text = "".join(page.extract_text() or "" for page in document.pages)
            first = document.pages[0]
            landscape = first.width > first.height
        assert missing(text, expected[path.stem]) == [], path.name
        assert landscape is (path.stem == "declaration")
