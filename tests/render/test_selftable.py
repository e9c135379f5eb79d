"""自评表 in Word and Excel: contents, layout, typography."""

from __future__ import annotations

import io

import docx
import openpyxl
from docx.oxml.ns import qn

from jixiao import api
from jixiao.model import Evaluation, Indicator, Project
from tests.render.conftest import computed_figures, docx_text, missing, printed_figures


def xlsx_text(data: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    parts: list[str] = []
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(values_only=True):
            parts += [f"{v}" for v in row if v is not None]
    return "|".join(parts)


def test_docx_self_table_holds_every_figure_and_score(seed: Evaluation) -> None:
    data = api.render(seed, "self-table", "docx")
    text = docx_text(data)
    assert "项目支出绩效自评表" in text
    assert missing(text, printed_figures(seed, all_stages=False)) == []
    assert missing(text, computed_figures(api.score(seed))) == []


def test_xlsx_self_table_holds_every_figure_and_score(seed: Evaluation) -> None:
    data = api.render(seed, "self-table", "xlsx")
    text = xlsx_text(data)
    assert missing(text, printed_figures(seed, all_stages=False)) == []
    assert missing(text, computed_figures(api.score(seed))) == []


def test_xlsx_form_layout_is_the_official_one(seed: Evaluation) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(api.render(seed, "self-table", "xlsx")))
    ws = workbook["自评表"]
    assert workbook["_jixiao"].sheet_state == "hidden"
    assert ws.column_dimensions["I"].hidden
    heading = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 9).value == "ind.head")
    for sheet in workbook.worksheets:  # every sheet prints on A4, fitted to the width, headings repeated
        if sheet.sheet_state != "visible":
            continue
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows
    assert ws.print_title_rows == f"${heading}:${heading}"  # the indicator table's heading
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:H1" in merged and "C3:H3" in merged
    goals = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 9).value == "goals.head")
    assert {f"B{goals}:E{goals}", f"F{goals}:H{goals}", f"A{goals}:A{goals + 1}"} <= merged
    values = [c.value for row in ws.iter_rows() for c in row]
    for title in (
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "执行率",
        "年度指标值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "总分",
    ):
        assert title in values
    assert ws["A3"].border.left.style == "thin"
    assert ws.data_validations.dataValidation, "number cells only accept numbers in Excel"
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 9).value == "fund:total")
    budget = seed.funds.total.budget
    if budget is not None and budget.as_tuple().exponent == -2:
        assert ws.cell(total, 3).number_format == "0.00"  # printed precision survives the styling


def test_docx_typography_and_table_rows() -> None:
    ev = Evaluation(kind="self", year=2021, project=Project(name="测试项目"))
    document = docx.Document(io.BytesIO(api.render(ev, "self-table", "docx")))
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.get(qn("w:asciiTheme")) is None
    assert document.styles["Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert document.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert "PAGE" in section.footer._element.xml
    table = document.tables[0]
    assert all(
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows
    )
    xml = table._tbl.xml
    assert "w:gridSpan" in xml and "w:vMerge" in xml
    font_table = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    assert "仿宋_GB2312" in font_table.blob.decode() and 'w:val="仿宋"' in font_table.blob.decode()


def test_hostile_text_stays_literal() -> None:
    ev = Evaluation(
        kind="self",
        project=Project(name="<script>alert(1)</script>\x07项目", unit='=HYPERLINK("http://x")'),
        indicators=[Indicator(level1="产出指标", level2="数量指标", name="&amp; <b>", weight=10, claimed=5)],
    )
    text = docx_text(api.render(ev, "self-table", "docx"))
    assert "<script>alert(1)</script>项目" in text and "&amp; <b>" in text
    workbook = openpyxl.load_workbook(io.BytesIO(api.render(ev, "self-table", "xlsx")))
    ws = workbook["自评表"]
    cells = [c for row in ws.iter_rows() for c in row if c.value]
    unit = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert unit.data_type == "s"
    assert any(c.value == "<script>alert(1)</script>项目" for c in cells)


def test_empty_form_renders() -> None:
    ev = Evaluation(
        kind="self",
        framework="self-2020",
        project=Project(name=""),
        indicators=[Indicator(level1="产出指标", level2=l2, weight=None) for l2 in ("数量指标", "质量指标")],
    )
    for fmt in ("docx", "xlsx"):
        assert api.render(ev, "self-table", fmt)[:2] == b"PK"  # type: ignore[arg-type]
