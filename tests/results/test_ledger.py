"""The ledger: items from an audit, a target review and a monitoring light; categories; merging."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from jixiao.checks.declaration import DeclarationAudit
from jixiao.declaration import Declaration, ReviewGrade, ReviewResult
from jixiao.findings import Severity
from jixiao.model import Kind, Project
from jixiao.monitoring import Light, Monitoring
from jixiao.rectification import ItemStatus, Origin
from jixiao.results import (
    category_of,
    items_from_audit,
    items_from_declaration_review,
    items_from_monitoring,
    merge_items,
)
from tests.results.helpers import FOUND_ON, audit, evaluation, found


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("funds.execution-rate", "资金管理"),
        ("pension.split", "资金管理"),
        ("targets.completion", "绩效目标"),
        ("decl.no-basis", "绩效目标"),
        ("arithmetic.total-sum", "评分"),
        ("inflation.full-marks", "评分"),
        ("grade.mismatch", "评分"),
        ("explanations.missing-deviation", "偏差说明"),
        ("structure.missing-level", "指标体系"),
        ("survey.missing", "满意度调查"),
        ("text.placeholder", "信息公开"),
        ("mon.no-cause", "运行监控"),
        ("check.crashed", "其他"),
    ],
)
def test_category_from_the_code_family(code: str, category: str) -> None:
    assert category_of(code) == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("专项资金结余未及时上缴", "资金管理"),
        ("绩效目标设置不细化", "绩效目标"),
        ("评价结果未按规定公开", "信息公开"),
        ("未按规定组织政府采购", "政府采购"),
        ("固定资产未入账", "资产管理"),
        ("项目档案不完整", "项目实施"),
        ("群众反映强烈", "其他"),
    ],
)
def test_category_from_the_words(text: str, category: str) -> None:
    assert category_of(None, text) == category


def test_errors_and_warnings_of_one_problem_make_one_item_info_and_crashed_rules_none() -> None:
    findings = [
        found("funds.execution-rate", Severity.error, "执行率印错", "funds.execution_rate", line=17),
        found("funds.execution-rate", Severity.warning, "执行率与得分不符", "funds.execution_rate", line=18),
        found("targets.completion", Severity.warning, "目标未完成", "indicators[0].actual"),
        found("text.no-suggestions", Severity.info, "没有建议"),
        found("check.crashed", Severity.error, "复核规则 x 运行出错"),
    ]
    items = items_from_audit(evaluation(), audit(*findings), Origin.review, on=FOUND_ON, deadline_days=30)
    assert [i.finding_code for i in items] == ["funds.execution-rate", "targets.completion"]
    first = items[0]
    assert first.problem == "执行率印错；执行率与得分不符"
    assert first.severity == "error"
    assert first.category == "资金管理"
    assert first.evidence == ["预算执行率（报告.txt 第17行）", "预算执行率（报告.txt 第18行）"]
    assert first.origin is Origin.review
    assert first.unit == "示范单位"
    assert first.deadline == FOUND_ON + timedelta(days=30)
    assert items[1].category == "绩效目标"


def test_printed_problems_become_items_with_their_suggestions() -> None:
    e = evaluation(problems=["资金拨付不及时", "宣传不到位"], suggestions=["加快拨付", "加强宣传"])
    items = items_from_audit(e, audit(), Origin.review, on=FOUND_ON)
    assert [(i.problem, i.requirement, i.category) for i in items] == [
        ("资金拨付不及时", "加快拨付", "资金管理"),
        ("宣传不到位", "加强宣传", "项目实施"),
    ]
    assert all(i.origin is Origin.self for i in items)  # the evaluation's own words: 单位自评
    assert items[0].evidence == ["存在问题 第1条"]
    assert items[0].deadline == FOUND_ON + timedelta(days=90)  # the default


def test_printed_problems_of_a_finance_evaluation_and_unpaired_suggestions() -> None:
    e = evaluation(problems=["资金沉淀"], suggestions=["甲", "乙"], kind=Kind.finance)
    (only,) = items_from_audit(e, audit(), on=FOUND_ON)
    assert only.origin is Origin.finance
    assert only.requirement is None  # two suggestions for one problem: not paired


def test_the_same_problem_found_again_has_the_same_id() -> None:
    finding = found("funds.surplus", Severity.error, "结余不符", "funds.total.surplus")
    first = items_from_audit(evaluation(), audit(finding), on=FOUND_ON)
    again = items_from_audit(evaluation(), audit(finding), on=FOUND_ON + timedelta(days=9))
    assert first[0].id == again[0].id
    kept = first[0].model_copy(update={"status": ItemStatus.in_progress})
    merged = merge_items(
        [kept], again + items_from_audit(evaluation(problems=["新问题"]), audit(), on=FOUND_ON)
    )
    assert [i.status.value for i in merged] == ["in_progress", "pending"]
    assert merged[0] is kept


def _review(grade: ReviewGrade, *findings: object) -> DeclarationAudit:
    result = ReviewResult(
        rubric="national",
        rubric_title="绩效目标审核",
        total=Decimal(55),
        grade=grade,
        consequence="修改完善后重新报送",
    )
    return DeclarationAudit(result=result, findings=list(findings))  # type: ignore[arg-type]


def test_a_target_review_gives_its_problems_and_a_poor_result() -> None:
    declaration = Declaration(year=2025, project=Project(name="示范项目", unit="示范单位"))
    review = _review(ReviewGrade.poor, found("decl.no-basis", Severity.warning, "未写设定依据"))
    items = items_from_declaration_review(declaration, review, on=FOUND_ON)
    assert [i.finding_code for i in items] == ["decl.no-basis", None]
    assert items[0].category == "绩效目标"
    assert items[1].problem == "绩效目标审核结果为“差”（55分）"
    assert items[1].severity == "error"
    assert items[1].requirement == "修改完善后重新报送"


def test_a_good_target_review_gives_no_result_item() -> None:
    declaration = Declaration(year=2025, project=Project(name="示范项目"))
    assert items_from_declaration_review(declaration, _review(ReviewGrade("良")), on=FOUND_ON) == []


def test_a_middle_target_review_result_is_a_warning() -> None:
    declaration = Declaration(year=2025, project=Project(name="示范项目"))
    (only,) = items_from_declaration_review(declaration, _review(ReviewGrade("中")), on=FOUND_ON)
    assert only.severity == "warning"


def _monitoring() -> Monitoring:
    return Monitoring(
        year=2025, cutoff_month=6, project=Project(name="示范项目", unit="示范单位"), measures="加快支付"
    )


def test_a_red_light_with_its_reasons_is_an_error_item() -> None:
    reasons = [
        found("funds.execution-rate", Severity.error, "执行率低于序时进度20个百分点"),
        "全年预计完成值低于目标",
    ]
    (only,) = items_from_monitoring(_monitoring(), Light.red, reasons, on=FOUND_ON)
    assert only.origin is Origin.monitoring
    assert only.severity == "error"
    assert only.category == "资金管理"
    assert only.problem == "运行监控（1—6月）预警红灯：执行率低于序时进度20个百分点；全年预计完成值低于目标"
    assert only.measures == "加快支付"
    assert only.evidence[0] == "执行监控表（1—6月）"


def test_a_yellow_light_is_a_warning_and_green_gives_nothing() -> None:
    (yellow,) = items_from_monitoring(_monitoring(), Light.yellow, ["执行偏慢"], on=FOUND_ON)
    assert (yellow.severity, yellow.category) == ("warning", "运行监控")
    assert items_from_monitoring(_monitoring(), Light.green, [], on=FOUND_ON) == []


def test_deadline_defaults_to_today_plus_days() -> None:
    (only,) = items_from_audit(evaluation(problems=["问题"]), audit(), deadline_days=10)
    assert only.deadline == date.today() + timedelta(days=10)


def test_a_monitoring_review_gives_its_light_and_its_problems() -> None:
    from pathlib import Path

    from jixiao.checks.monitoring import review_monitoring
    from jixiao.loader import load_monitoring_file
    from jixiao.results import items_from_monitoring_review

    path = Path(__file__).parents[2] / "examples/monitoring/employment-2025-09-lagging.yaml"
    monitoring = load_monitoring_file(path).monitoring
    assert monitoring is not None
    review = review_monitoring(monitoring, today=date(2025, 10, 15))
    items = items_from_monitoring_review(monitoring, review, on=FOUND_ON)
    light, *problems = items
    assert light.problem.startswith("运行监控（1—9月）预警红灯：") and light.severity == "error"
    assert problems and all(i.category == "运行监控" and i.origin is Origin.monitoring for i in problems)
    assert {i.finding_code for i in problems} >= {"mon.done-above-forecast", "mon.no-cause"}
