"""`jixiao check` on target declarations: the review by criterion, the result, options, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao import api
from jixiao.cli import main
from tests.checks.declaration_helpers import EXAMPLES

CLEAN = EXAMPLES / "pension-2025-clean.yaml"
FLAWED = EXAMPLES / "employment-2025-flawed.yaml"
STANDARDS = EXAMPLES / "standards-example.yaml"
CORPUS = Path(__file__).parents[3] / "shared" / "corpus"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def test_a_clean_declaration_is_excellent_and_exits_0() -> None:
    code, out = _run(str(CLEAN))
    assert code == 0, out
    assert f"{CLEAN}: 绩效目标审核（财预〔2015〕88号审核要点；分值为本地默认口径）" in out
    assert "完整性 得30.00分（满分30分）" in out and "可行性 得25.00分（满分25分）" in out
    assert "审核得分 100.00，审核结果：优——绩效目标完全符合要求，进入下一步预算安排流程" in out
    assert "共复核1个文件（含1个申报表）：0个错误，0个警告，0个提示" in out
    assert "总分" not in out  # nothing is scored on a declaration


def test_findings_are_grouped_by_criterion_and_errors_exit_1() -> None:
    code, out = _run(str(FLAWED), "--standards", str(STANDARDS))
    assert code == 1
    lines = out.splitlines()
    heads = [i for i, line in enumerate(lines) if "得" in line and "满分" in line]
    assert [lines[i].split(": ")[1].split(" ")[0] for i in heads] == ["完整性", "相关性", "适当性", "可行性"]
    relevance = lines[heads[1] + 1 : heads[2]]
    assert relevance and all("decl.funds-as-output" in s or "decl.duplicate" in s for s in relevance)
    assert any("decl.over-standard" in s for s in lines[heads[2] : heads[3]])
    assert any(":38: 错误 decl.unit-slip" in s for s in lines)  # the line of the amount in the file
    assert "审核结果：差——绩效目标不符合要求，不得进入下一步预算安排流程" in out


def test_without_standards_no_standard_is_compared() -> None:
    _, out = _run(str(FLAWED))
    assert "decl.over-standard" not in out


def test_json_output_gives_the_review_total_and_result() -> None:
    code, out = _run(str(FLAWED), "--format", "json")
    data = json.loads(out)
    (item,) = data["files"]
    assert code == 1 and item["grade"]["computed"] == "差" and item["total"]["claimed"] is None
    places = {f["code"]: f["location"]["place"] for f in item["findings"]}
    assert places["decl.over-100"] == "年度绩效指标 / 产出指标 / 质量指标 / 就业困难人员就业率"


def test_min_severity_and_a_local_rubric(tmp_path: Path) -> None:
    local = tmp_path / "rubric.yaml"
    local.write_text("extends: national\nname: 某省审核规则\ndeductions: {warning: 0}\n", "utf-8")
    code, out = _run(str(FLAWED), "--rubric", str(local), "--min-severity", "error")
    assert code == 1 and "绩效目标审核（某省审核规则）" in out and "警告 decl." not in out
    assert "相关性 得25.00分（满分25分）" in out  # warnings take nothing off in this rubric


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rubric", "nope"], "找不到审核评分规则“nope”"),
        (["--standards", "nope.csv"], "预算支出标准文件 nope.csv 不存在"),
    ],
)
def test_an_unusable_rubric_or_standards_exits_2(args: list[str], message: str) -> None:
    code, out = _run(str(CLEAN), *args)
    assert code == 2 and message in out


def test_declarations_and_evaluations_in_one_run(tmp_path: Path) -> None:
    evaluation = Path(__file__).parent / "evaluations" / "self-form.yaml"
    code, out = _run(str(CLEAN), str(evaluation))
    assert code == 0, out
    assert "审核结果：优" in out and "总分 填报" in out
    assert "共复核2个文件（含1个评价、1个申报表）" in out


def test_a_declaration_form_jixiao_wrote(tmp_path: Path) -> None:
    loaded = api.load_declaration_file(FLAWED)
    assert loaded.declaration is not None
    form = api.render_declaration_to_file(loaded.declaration, "declaration", "xlsx", tmp_path / "申报表.xlsx")
    code, out = _run(str(form))
    assert code == 1 and "绩效目标审核" in out and "decl.over-100" in out


@pytest.mark.skipif(not (CORPUS / "002.xlsx").is_file(), reason="the shared corpus is not here")
def test_the_system_export_workbook_is_reviewed_per_project() -> None:
    code, out = _run(str(CORPUS / "002.xlsx"), "--min-severity", "error")
    assert code == 1 and "（含20个申报表）" in out
    assert out.count("decl.unit-slip") == 20
    assert "002.xlsx#1.地面坍塌防治工作经费: 审核得分" in out
