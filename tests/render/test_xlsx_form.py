"""The Excel 自评表 read back: round trip, a unit's edits, bad cells as findings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from jixiao import api
from jixiao.cli import main
from jixiao.ingest.readers.form import is_jixiao_form, read_form
from jixiao.model import Evaluation, Indicator, Project


def _row_of(ws: openpyxl.worksheet.worksheet.Worksheet, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 9).value == key)


def test_round_trip_gives_the_same_evaluation(seed: Evaluation, tmp_path: Path) -> None:
    path = api.render_to_file(seed, "self-table", "xlsx", tmp_path / "form.xlsx")
    assert is_jixiao_form(path)
    loaded = api.load(path)
    assert loaded.findings == []
    assert loaded.evaluation == seed


def test_unit_edits_are_read(tmp_path: Path) -> None:
    ev = Evaluation(
        kind="self",
        year=2023,
        project=Project(name="养老保险补助"),
        indicators=[Indicator(level1="产出指标", level2="数量指标", name="参保人数", weight=Decimal(20))],
    )
    path = api.render_to_file(ev, "self-table", "xlsx", tmp_path / "blank.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook["自评表"]
    row = _row_of(ws, "ind:0")
    ws.cell(row, 4, "≥100万人")
    ws.cell(row, 5, "95万人")
    ws.cell(row, 7, 19)
    ws.cell(row, 8, "外出务工人员增加")
    ws.insert_rows(row + 1)
    for merged in ws.merged_cells.ranges:  # Excel moves merged ranges down; openpyxl does not
        if merged.min_row > row:
            merged.shift(row_shift=1)
    for col, value in enumerate(
        ["效益指标", "社会效益指标", "待遇按时发放率", "=100%", "100%", 10, 10], start=1
    ):
        ws.cell(row + 1, col, value)
    total = _row_of(ws, "fund:total")
    ws.cell(total, 3, 500)
    ws.cell(total, 5, 480.5)
    workbook.save(path)

    loaded = read_form(path)
    assert loaded.findings == []
    ev2 = loaded.evaluation
    assert ev2 is not None
    first, added = ev2.indicators
    assert first.target is not None and first.target.value == Decimal(100) and first.target.unit == "万人"
    assert first.claimed == Decimal(19) and first.deviation_reason == "外出务工人员增加"
    assert (added.level1, added.name, added.weight) == ("效益指标", "待遇按时发放率", Decimal(10))
    assert (ev2.funds.total.budget, ev2.funds.total.spent) == (Decimal(500), Decimal("480.5"))
    assert api.score(ev2).execution_rate is not None
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 0, result.output


def test_text_in_a_number_cell_is_a_finding_naming_the_cell(tmp_path: Path) -> None:
    ev = Evaluation(
        kind="self",
        project=Project(name="x"),
        indicators=[Indicator(level1="产出指标", name="a", weight=Decimal(10))],
    )
    path = api.render_to_file(ev, "self-table", "xlsx", tmp_path / "f.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook["自评表"]
    row = _row_of(ws, "ind:0")
    ws.cell(row, 7, "八分")
    workbook.save(path)
    loaded = read_form(path)
    assert [f.code for f in loaded.findings] == ["form.not-a-number"]
    finding = loaded.findings[0]
    assert f"G{row}" in finding.message and "八分" in finding.message
    assert finding.location.source is not None and (
        finding.location.source.row,
        finding.location.source.column,
    ) == (row, 7)
    assert loaded.evaluation is not None and loaded.evaluation.indicators[0].claimed is None


def test_other_files_are_not_forms(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    assert not is_jixiao_form(plain) and not is_jixiao_form(junk)
    assert [f.code for f in read_form(plain).findings] == ["form.not-jixiao"]
    assert [f.code for f in read_form(junk).findings] == ["form.unreadable"]


def test_broken_hidden_data_is_a_finding(tmp_path: Path) -> None:
    path = api.render_to_file(
        Evaluation(kind="self", project=Project(name="x")), "self-table", "xlsx", tmp_path / "f.xlsx"
    )
    workbook = openpyxl.load_workbook(path)
    workbook["_jixiao"]["B2"] = "{broken"
    workbook.save(path)
    loaded = read_form(path)
    assert loaded.evaluation is None and [f.code for f in loaded.findings] == ["form.invalid"]
