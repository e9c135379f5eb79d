"""The 申报表 as a form to fill in: Excel and Word round trips, a unit's edits read back, bad cells
as findings, drop-down lists, and jixiao's own forms told apart from published documents."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from openpyxl.worksheet.worksheet import Worksheet

from jixiao import api
from jixiao.declaration import BasisKind, Declaration, Novelty, Period
from jixiao.ingest.readers.declaration_form import is_declaration_form, read_declaration_form
from jixiao.ingest.readers.form import is_jixiao_form
from jixiao.model import Comparison, IndicatorType
from jixiao.office import DECLARATION_KEY_COLUMN, DECLARATION_SHEET, bookmark_name
from tests.render.conftest import EXAMPLES
from tests.render.declaration_cases import declaration


def _write(d: Declaration, fmt: str, path: Path) -> Path:
    return api.render_declaration_to_file(d, "declaration", fmt, path)  # type: ignore[arg-type]


def _row(ws: Worksheet, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, DECLARATION_KEY_COLUMN).value == key)


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_round_trip_gives_the_same_declaration(fmt: str, tmp_path: Path) -> None:
    d = declaration()
    path = _write(d, fmt, tmp_path / f"申报表.{fmt}")
    assert is_declaration_form(path)
    assert not is_jixiao_form(path)  # not a 自评表: api.load does not take it for one
    loaded = api.load_declaration(path)
    assert loaded.findings == []
    assert loaded.declaration == d


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("medium", [True, False])
def test_a_blank_form_round_trips(fmt: str, medium: bool, tmp_path: Path) -> None:
    blank = api.new_declaration(year=2026, project_name="城区绿化养护", medium=medium)
    assert [(i.level1, i.level2) for i in blank.annual.indicators][:4] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
    ]
    assert (blank.medium is not None) is medium
    loaded = read_declaration_form(_write(blank, fmt, tmp_path / f"blank.{fmt}"))
    assert loaded.findings == [] and loaded.declaration == blank


def test_other_files_are_not_declaration_forms(tmp_path: Path) -> None:
    selftable = api.render_to_file(
        api.load(EXAMPLES / "002-jinzhong-2020.yaml").evaluation,  # type: ignore[arg-type]
        "self-table",
        "xlsx",
        tmp_path / "自评表.xlsx",
    )
    assert is_jixiao_form(selftable) and not is_declaration_form(selftable)
    report = tmp_path / "report.docx"
    report.write_bytes(api.render(api.load(EXAMPLES / "002-jinzhong-2020.yaml").evaluation, "report", "docx"))  # type: ignore[arg-type]
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    for path in (report, junk, tmp_path / "missing.docx"):
        assert not is_declaration_form(path)
    loaded = api.load_declaration(report)
    assert loaded.declaration is None and "不是 jixiao 生成的绩效目标申报表" in loaded.findings[0].message
    unreadable = read_declaration_form(junk)
    assert unreadable.declaration is None and "无法读取" in unreadable.findings[0].message


def test_the_excel_form_offers_drop_downs_and_prints_like_the_form(tmp_path: Path) -> None:
    path = _write(declaration(), "xlsx", tmp_path / "d.xlsx")
    ws = openpyxl.load_workbook(path)[DECLARATION_SHEET]
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"≥,≤,=,定性"' in lists
    assert '"计划标准,历史标准,行业标准,预算支出标准,其他标准"' in lists
    assert '"新增项目,延续项目"' in lists
    assert '"经常性项目,一次性项目"' in lists
    row = _row(ws, "ind:annual:0")
    assert (
        f"D{row}" in lists['"≥,≤,=,定性"']
        and f"G{row}" in lists['"计划标准,历史标准,行业标准,预算支出标准,其他标准"']
    )
    assert ws.page_setup.orientation == "landscape" and ws.column_dimensions["K"].hidden
    assert ws.cell(1, 1).value == "项目支出绩效目标申报表" and ws.cell(2, 1).value == "（2025年度）"
    funds = _row(ws, "fund:total")
    assert ws.cell(funds, 3).value == "中期资金总额" and ws.cell(funds, 5).value == Decimal("720.00")
    assert ws.cell(funds, 5).number_format == "0.00"
    assert ws.cell(funds, 8).value == 240.5
    head = _row(ws, "ind.cols:annual")
    assert [ws.cell(head, c).value for c in range(1, 10)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "性质",
        "指标值",
        "度量单位",
        "指标值设定依据",
        "上年实际值",
        "指标解释",
    ]
    assert [ws.cell(row, c).value for c in range(3, 9)] == [
        "资助家庭经济困难学生人数",
        "≥",
        "1200",
        "人次",
        "计划标准",
        "1150",
    ]
    assert ws.print_title_rows is not None and str(_row(ws, "ind.cols:medium")) in ws.print_title_rows


def test_a_units_edits_in_excel_are_read_back(tmp_path: Path) -> None:
    d = declaration()
    path = _write(d, "xlsx", tmp_path / "d.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook[DECLARATION_SHEET]
    ws.cell(_row(ws, "project.name"), 3).value = "学生资助项目（2025）"
    ws.cell(_row(ws, "project.department"), 3).value = "某县教育体育局（302）"
    ws.cell(_row(ws, "project.novelty"), 3).value = "新增项目"
    ws.cell(_row(ws, "project.novelty"), 8).value = "2年"
    ws.cell(_row(ws, "fund:total"), 8).value = 250
    ws.cell(_row(ws, "fund:other"), 8).value = "30.5"
    ws.cell(_row(ws, "goals"), 6).value = "1. 资助1300人次\n2、资金按时发放"
    first = _row(ws, "ind:annual:0")
    ws.cell(first, 4).value = "="
    ws.cell(first, 5).value = 1300  # typed as a number
    ws.cell(first, 7).value = "历史标准"
    ws.cell(_row(ws, "ind:annual:2"), 9).value = None
    # a row added after the last indicator, 一级 left blank (it follows the row above), and a deleted one
    last = _row(ws, "ind:annual:5")
    ws.insert_rows(last + 1)
    for col, text in enumerate(("", "", "政策知晓率", "≥", "90", "%", "行业标准：省定标准"), start=1):
        ws.cell(last + 1, col).value = text or None
    ws.delete_rows(_row(ws, "ind:annual:3"))
    workbook.save(path)

    loaded = read_declaration_form(path)
    assert loaded.findings == []
    got = loaded.declaration
    assert got is not None
    assert got.project.name == "学生资助项目（2025）"
    assert (got.project.department, got.project.department_code) == ("某县教育体育局", "302")
    assert got.novelty is Novelty.new and got.period_years == 2
    assert got.funds.annual_total == Decimal(250) and got.funds.other == Decimal("30.5")
    assert got.funds.appropriation == d.funds.appropriation  # untouched: exactly as held
    assert got.annual.goals == ["资助1300人次", "资金按时发放"]
    names = [i.name for i in got.annual.indicators]
    assert "生均资助标准" not in names and names[-1] == "政策知晓率"
    edited = got.annual.indicators[0]
    assert edited.comparison is Comparison.eq and edited.target is not None and edited.target.value == 1300
    assert edited.basis_kind is BasisKind.history and edited.basis is None
    assert edited.source == d.annual.indicators[0].source  # what the form does not show is kept
    assert got.annual.indicators[2].explanation is None
    added = got.annual.indicators[-1]
    assert (added.level1, added.level2) == ("满意度指标", "服务对象满意度指标")
    assert added.type is IndicatorType.quantitative and added.comparison is Comparison.ge
    assert (
        added.unit == "%" and added.basis_kind is BasisKind.industry and added.basis == "行业标准：省定标准"
    )
    assert got.medium == d.medium


def test_bad_cells_become_findings_naming_the_cell(tmp_path: Path) -> None:
    path = _write(declaration(), "xlsx", tmp_path / "d.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook[DECLARATION_SHEET]
    funds = _row(ws, "fund:total")
    ws.cell(funds, 5).value = "七百二十"
    ws.cell(_row(ws, "project.novelty"), 3).value = "续建"
    ws.cell(_row(ws, "ind:annual:1"), 4).value = "大约"
    workbook.save(path)
    loaded = read_declaration_form(path)
    assert loaded.declaration is not None
    messages = [f.message for f in loaded.findings]
    assert f"申报表!E{funds}（中期资金总额）应填数字，实际为“七百二十”，已忽略该值" in messages
    assert any("项目属性" in m and "续建" in m for m in messages)
    assert any("性质" in m and "大约" in m for m in messages)
    assert loaded.declaration.funds.medium_total is None
    assert loaded.declaration.novelty is Novelty.continuing  # an answer not allowed leaves the value


def test_a_damaged_hidden_sheet_is_a_finding(tmp_path: Path) -> None:
    path = _write(declaration(), "xlsx", tmp_path / "d.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["_jixiao"]["B2"] = "{broken"
    workbook.save(path)
    loaded = read_declaration_form(path)
    assert loaded.declaration is None and "隐藏数据已损坏" in loaded.findings[0].message


def _docx_row(document: docx.document.Document, key: str) -> docx.table._Row:
    name = bookmark_name(key)
    for table in document.tables:
        for row in table.rows:
            if any(m.get(qn("w:name")) == name for m in row._tr.iter(qn("w:bookmarkStart"))):
                found: docx.table._Row = row
                return found
    raise AssertionError(key)


def _set(cell: docx.table._Cell, text: str) -> None:
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    paragraph = cell.paragraphs[0]
    for run in paragraph.runs:
        run._r.getparent().remove(run._r)
    lines = text.split("\n")
    paragraph.add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)


def test_a_units_edits_in_word_are_read_back(tmp_path: Path) -> None:
    d = declaration()
    path = _write(d, "docx", tmp_path / "d.docx")
    document = docx.Document(str(path))
    _set(_docx_row(document, "project.department").cells[7], "某县学生资助中心")
    _set(_docx_row(document, "fund:last").cells[7], "229")  # cells by grid column: H
    _set(_docx_row(document, "goals").cells[2], "1. 三年资助3700人次\n2. 实现应助尽助")
    row = _docx_row(document, "ind:annual:4")
    _set(row.cells[3], "≤")  # 性质 of a 定性 indicator changed to a sign
    _set(row.cells[4], "1")
    # a row added at the end of the 年度 table: Word copies the row's cells but not its bookmark
    table = next(t for t in document.tables if t._tbl is row._tr.getparent())
    new = table.add_row()  # type: ignore[no-untyped-call]
    for cell, text in zip(
        new.cells, ("满意度指标", "服务对象满意度指标", "家长满意度", "≥", "85", "%", "", "", ""), strict=True
    ):
        _set(cell, text)
    document.save(str(path))

    loaded = read_declaration_form(path)
    assert loaded.findings == []
    got = loaded.declaration
    assert got is not None
    assert got.project.unit == "某县学生资助中心"
    assert got.funds.last_spent == Decimal("229")
    assert got.medium is not None and got.medium.goals == ["三年资助3700人次", "实现应助尽助"]
    changed = got.annual.indicators[4]
    assert changed.type is IndicatorType.quantitative and changed.comparison is Comparison.le
    assert changed.target is not None and changed.target.value == 1
    added = got.annual.indicators[-1]
    assert added.name == "家长满意度" and added.target is not None and added.target.text == "85"
    assert got.annual.indicators[:4] == d.annual.indicators[:4]
    assert got.medium.indicators == d.medium.indicators  # type: ignore[union-attr]


def test_word_form_keeps_merged_level_cells(tmp_path: Path) -> None:
    d = declaration()
    data = api.render_declaration(d, "declaration", "docx")
    document = docx.Document(io.BytesIO(data))
    rows = [_docx_row(document, f"ind:annual:{n}") for n in range(4)]
    merges = [r._tr.tc_lst[0].get_or_add_tcPr().find(qn("w:vMerge")) for r in rows]
    assert merges[0] is not None and merges[0].get(qn("w:val")) == "restart"
    assert all(m is not None and m.get(qn("w:val")) is None for m in merges[1:])
    assert document.core_properties.keywords == "jixiao-declaration-form"
    assert d.annual.indicators[0].level1 == "产出指标" and Period.annual.value == "annual"


def test_forms_altered_beyond_reading_give_findings_not_tracebacks(tmp_path: Path) -> None:
    path = _write(declaration(), "xlsx", tmp_path / "d.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook[DECLARATION_SHEET]
    ws.cell(_row(ws, "ind:annual:1"), DECLARATION_KEY_COLUMN).value = "ind:nonsense:1"  # a key typed over
    workbook.save(path)
    loaded = read_declaration_form(path)
    assert loaded.declaration is not None and len(loaded.declaration.annual.indicators) == 6
    workbook["_jixiao"]["B3"] = '["not", "a", "mapping"]'
    workbook.save(path)
    assert "隐藏数据已损坏" in read_declaration_form(path).findings[0].message

    word = _write(declaration(), "docx", tmp_path / "d.docx")
    with zipfile.ZipFile(word) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    ours = next(n for n, data in parts.items() if n.startswith("customXml/") and b"urn:jixiao" in data)
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<jixiao xmlns="urn:jixiao:declaration-form"><declaration>&b;</declaration></jixiao>'
    )
    for replacement, message in ((bomb, "隐藏数据已损坏"), (b"<other/>", "不是 jixiao 生成的申报表")):
        altered = tmp_path / "altered.docx"
        with zipfile.ZipFile(altered, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, replacement if name == ours else data)
        loaded = read_declaration_form(altered)
        assert loaded.declaration is None and message in loaded.findings[0].message, loaded.findings


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_a_carryover_line_prints_and_reads_back(fmt: str, tmp_path: Path) -> None:
    d = declaration()
    d.funds.carryover = Decimal("12.5")
    path = _write(d, fmt, tmp_path / f"d.{fmt}")
    assert "上年结转资金" in (
        "".join(
            str(c.value) for row in openpyxl.load_workbook(path)[DECLARATION_SHEET].iter_rows() for c in row
        )
        if fmt == "xlsx"
        else "".join(
            p.text
            for t in docx.Document(str(path)).tables
            for r in t.rows
            for c in r.cells
            for p in c.paragraphs
        )
    )
    loaded = read_declaration_form(path)
    assert loaded.findings == [] and loaded.declaration == d
    assert "上年结转资金" not in str(api.render_declaration(declaration(), "declaration", "xlsx"))
