"""The Excel 自评表 read back: round trip, a unit's edits, live formulas, bad cells as findings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from jixiao import api
from jixiao.cli import main
from jixiao.ingest.readers.form import is_jixiao_form, read_form
from jixiao.model import Evaluation, Figure, FundLine, FundSource, Indicator, Project
from jixiao.office import FORMULA_CELLS
from jixiao.render import selftable_xlsx
from jixiao.vocabulary import QUALITATIVE_ANSWERS


def _row_of(ws: Worksheet, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 9).value == key)


def _live_form(evaluation: Evaluation, path: Path) -> Path:
    """The form with its formulas: written with the evaluation's scoring policy."""
    score = api.score(evaluation)
    selftable_xlsx.build(evaluation, score, policy=api.get_policy(evaluation.policy)).save(path)
    return path


def _blank() -> Evaluation:
    return api.new_evaluation(api.load_framework("self-2020"), year=2024, project_name="城乡居民养老保险补助")


def test_round_trip_gives_the_same_evaluation(seed: Evaluation, tmp_path: Path) -> None:
    for path in (
        api.render_to_file(seed, "self-table", "xlsx", tmp_path / "form.xlsx"),
        _live_form(seed, tmp_path / "live.xlsx"),
    ):
        assert is_jixiao_form(path)
        loaded = api.load(path)
        assert loaded.findings == []
        assert loaded.evaluation == seed


def test_a_blank_form_is_live_and_its_formulas_are_no_input(tmp_path: Path) -> None:
    blank = _blank()
    path = _live_form(blank, tmp_path / "blank.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook["自评表"]
    fund, total = _row_of(ws, "fund:total"), _row_of(ws, "total")
    by_kind = {
        rule: [_row_of(ws, f"ind:{s.index}") for s in api.score(blank).indicators if s.rule == rule]
        for rule in ("ratio", "qualitative")
    }
    live = [(fund, 7), (fund, 8), (total, 7), (total, 8)] + [(row, 7) for row in by_kind["ratio"]]
    assert all(ws.cell(row, col).data_type == "f" for row, col in live)
    assert all(ws.cell(row, 7).value is None for row in by_kind["qualitative"])  # the unit scores these
    listed = json.loads(workbook["_jixiao"]["B4"].value)
    assert workbook["_jixiao"]["A4"].value == FORMULA_CELLS and listed["total"] == ["G", "H"]
    answers = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert answers.formula1 == '"' + ",".join(QUALITATIVE_ANSWERS.values()) + '"'
    assert {f"E{row}" for row in by_kind["qualitative"]} == {str(r) for r in answers.sqref.ranges}
    summary = workbook["评分说明"]
    subtotals = next(row for row in summary.iter_rows(values_only=True) if row[0] == "产出指标")
    assert str(subtotals[2]).startswith("=")  # the level's subtotal of the form's scores

    loaded = read_form(path)  # untouched: formulas have no results yet, and are no input
    assert loaded.findings == [] and loaded.evaluation == blank

    ratio_row = by_kind["ratio"][0]
    ws.cell(ratio_row, 4, 0.95).number_format = "0%"  # Excel keeps “95%” as 0.95
    ws.cell(ratio_row, 7, 18)  # a number typed over a formula is the unit's claim
    ws.cell(total, 7, 88.5)
    qualitative_row = by_kind["qualitative"][0]
    ws.cell(qualitative_row, 7, "=4+5")  # the unit's own formula, never calculated: no value to read
    workbook.save(path)
    loaded = read_form(path)
    assert [(f.code, f.location.source and f.location.source.row) for f in loaded.findings] == [
        ("form.formula-not-calculated", qualitative_row)
    ]
    edited = loaded.evaluation
    assert edited is not None
    assert edited.indicators[qualitative_row - _row_of(ws, "ind:0")].claimed is None
    indicator = edited.indicators[by_kind["ratio"][0] - _row_of(ws, "ind:0")]
    assert indicator.target == Figure(text="95%") and indicator.claimed == Decimal(18)
    assert edited.claims.total == Decimal("88.5") and edited.claims.grade is None


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
        ws.cell(row + 1, col, value).data_type = "n" if isinstance(value, int) else "s"  # "=100%" is text
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
    assert added.target is not None and added.target.text == "=100%"
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


def _recalculate(sources: list[Path], out_dir: Path) -> list[Path]:
    """Open, recalculate and save each workbook in LibreOffice headless (one run, a private profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    profile = out_dir / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ],
        env={**os.environ, "HOME": str(out_dir)},
        capture_output=True,
        timeout=180,
        check=True,
    )
    return [out_dir / source.name for source in sources]


# What a unit fills in offline, by row key: {column: value}; the same figures as an evaluation below.
OFFLINE: dict[str, dict[int, Any]] = {
    "project.department": {3: "人社局"},
    "fund:total": {3: 500, 4: 520, 5: 468},
    "fund:new:appropriation": {3: 500, 4: 520, 5: 468},
    "ind:0": {3: "参保人数", 4: 116.11, 5: 108.13},  # 正向, under target
    "ind:1": {3: "发放准确率", 4: 0.95, 5: 0.9},  # typed as 95% and 90%
    "ind:2": {3: "按月发放", 5: QUALITATIVE_ANSWERS["达成"], 7: 9},
    "ind:3": {3: "人均成本", 4: 100, 5: 110},  # 成本 (反向), over target
    "ind:4": {3: "保障水平", 5: QUALITATIVE_ANSWERS["部分达成"], 7: 14},
    "ind:5": {3: "长效机制", 5: QUALITATIVE_ANSWERS["达成"], 7: 9},
    "ind:6": {7: 9},
}


def _filled_in_python() -> Evaluation:
    """The evaluation the unit means by OFFLINE, built without the form."""
    evaluation = _blank()
    evaluation.project.department = "人社局"
    figures = {"budget": Decimal(500), "budget_adjusted": Decimal(520), "spent": Decimal(468)}
    evaluation.funds.total = FundLine(source=FundSource.total, **figures)
    evaluation.funds.lines = [FundLine(source=FundSource.appropriation, **figures)]
    entries = {
        0: ("参保人数", "116.11", "108.13", None),
        1: ("发放准确率", "95%", "90%", None),
        2: ("按月发放", None, QUALITATIVE_ANSWERS["达成"], 9),
        3: ("人均成本", "100", "110", None),
        4: ("保障水平", None, QUALITATIVE_ANSWERS["部分达成"], 14),
        5: ("长效机制", None, QUALITATIVE_ANSWERS["达成"], 9),
        6: (None, None, None, 9),
    }
    for index, (name, target, actual, claimed) in entries.items():
        indicator = evaluation.indicators[index]
        indicator.name = name or indicator.name
        indicator.target = Figure(text=target) if target else indicator.target
        indicator.actual = Figure(text=actual) if actual else indicator.actual
        indicator.claimed = Decimal(claimed) if claimed is not None else None
    return evaluation


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_form_filled_offline_and_recalculated_totals_as_jixiao_does(
    tmp_path: Path,
) -> None:
    blank = _live_form(_blank(), tmp_path / "blank.xlsx")
    workbook = openpyxl.load_workbook(blank)
    ws = workbook["自评表"]
    for key, cells in OFFLINE.items():
        for col, value in cells.items():
            cell = ws.cell(_row_of(ws, key), col, value)
            cell.data_type = "s" if isinstance(value, str) else "n"
            if key == "ind:1" and col in (4, 5):
                cell.number_format = "0%"
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    seed = api.load(Path(__file__).parents[2] / "examples" / "002-jinzhong-2020.yaml").evaluation
    assert seed is not None
    untouched = _live_form(seed, tmp_path / "seed.xlsx")
    calculated, seed_calculated = _recalculate([filled, untouched], tmp_path / "calc")

    expected = api.score(_filled_in_python())
    assert expected.computed_total == Decimal("87.10")  # 18.63 + 9.47 + 9 + 9 + 14 + 9 + 9 + 执行率 9
    for path in (filled, calculated):
        loaded = api.load(path)
        assert loaded.findings == [] and loaded.evaluation is not None
        assert api.score(loaded.evaluation).computed_total == expected.computed_total
    assert api.load(calculated).evaluation == api.load(filled).evaluation

    sheets = openpyxl.load_workbook(calculated, data_only=True)
    form = sheets["自评表"]
    total, fund = _row_of(form, "total"), _row_of(form, "fund:total")
    assert Decimal(str(form.cell(total, 7).value)) == expected.computed_total
    assert form.cell(total, 8).value == f"评价等级：{expected.computed_grade}"
    assert expected.execution_rate is not None
    assert Decimal(str(form.cell(fund, 7).value)) * 100 == expected.execution_rate
    computed = {s.index: s.computed for s in expected.indicators}
    for index in (0, 1, 3):  # the ratio lines the sheet scored itself
        assert Decimal(str(form.cell(_row_of(form, f"ind:{index}"), 7).value)) == computed[index]
    subtotals: dict[str, Any] = {}  # the live table comes first; the export-time tables follow
    for row in sheets["评分说明"].iter_rows(values_only=True):
        subtotals.setdefault(str(row[0]), row[2])
    for level in expected.levels:
        assert level.computed is not None
        assert Decimal(str(subtotals[level.name])).quantize(level.computed) == level.computed, level.name

    assert api.load(seed_calculated).evaluation == seed  # recalculated untouched: the same evaluation
