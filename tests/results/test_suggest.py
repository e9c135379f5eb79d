"""结果应用: the national policy's parameters, a local policy that extends it, suggestions by grade."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.policies.application import (
    ResultsPolicyError,
    builtin_results_policy_names,
    load_results_policy,
    load_results_policy_with_findings,
)
from jixiao.render.rectification_xlsx import suggestions_bytes
from jixiao.results import ProjectResult, result_of, suggest, table_csv
from jixiao.results.suggest import TABLE_HEADERS, budget_of
from jixiao.scoring.result import ScoreResult
from tests.results.helpers import evaluation, item

NATIONAL = load_results_policy()


def test_the_national_policy_documents_its_sources() -> None:
    assert builtin_results_policy_names() == ["national"]
    assert "财预〔2020〕10号 第三十七条" in NATIONAL.source and "中发〔2018〕34号" in NATIONAL.source
    assert "本地默认口径" in NATIONAL.grades["中"].basis  # the 10 % is a local choice, said so
    text = (Path(__file__).parents[2] / "src/jixiao/policies/results/national.yaml").read_text(
        encoding="utf-8"
    )
    assert "低效无效资金一律削减或取消" in text and "不是国家规定" in text


@pytest.mark.parametrize(
    ("grade", "action", "change", "suggested"),
    [
        ("优", "优先保障", Decimal(0), Decimal("200.00")),
        ("良", "据实保障", Decimal(0), Decimal("200.00")),
        ("中", "核减", Decimal(-10), Decimal("180.00")),
        ("差", "暂停或取消", Decimal(-100), Decimal("0.00")),
        ("优秀", "优先保障", Decimal(0), Decimal("200.00")),  # printed names through the aliases
        ("合格", "核减", Decimal(-10), Decimal("180.00")),
        ("D", "暂停或取消", Decimal(-100), Decimal("0.00")),
    ],
)
def test_suggestion_by_grade(grade: str, action: str, change: Decimal, suggested: Decimal) -> None:
    (s,) = suggest(
        [ProjectResult(project="甲", year=2024, grade=grade, score=Decimal(85), budget=Decimal(200))],
        NATIONAL,
    )
    assert (s.action, s.change, s.suggested) == (action, change, suggested)
    assert s.basis is not None and ("财预〔2020〕10号" in s.basis or "中发〔2018〕34号" in s.basis)


def test_no_grade_and_an_unknown_grade() -> None:
    none, odd = suggest([ProjectResult(project="甲"), ProjectResult(project="乙", grade="甲等")], NATIONAL)
    assert (none.action, none.change, none.suggested) == ("待定", None, None)
    assert odd.action == "待定" and odd.basis and "等级“甲等”无法识别" in odd.basis


def test_without_a_budget_no_amount() -> None:
    (s,) = suggest([ProjectResult(project="甲", grade="中")], NATIONAL)
    assert (s.change, s.suggested) == (Decimal(-10), None)


def _local(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "local.yaml"
    path.write_text(f"extends: national\nname: local\n{body}", encoding="utf-8")
    return path


def test_a_local_policy_changes_the_share_and_keeps_the_rest(tmp_path: Path) -> None:
    policy = load_results_policy(_local(tmp_path, "grades:\n  中:\n    change: -20\n"))
    assert policy.grades["中"].change == Decimal(-20)
    assert policy.grades["中"].action == "核减"  # merged key by key
    assert policy.grades["差"] == NATIONAL.grades["差"]
    assert policy.title == ""  # not called by the national title
    (s,) = suggest([ProjectResult(project="甲", grade="中", budget=Decimal(50))], policy)
    assert s.suggested == Decimal("40.00")


def test_unrectified_items_add_the_policy_change_and_note(tmp_path: Path) -> None:
    late = ProjectResult(project="甲", grade="良", budget=Decimal(100), unrectified=2)
    (national,) = suggest([late], NATIONAL)
    assert national.change == Decimal(0) and national.suggested == Decimal("100.00")  # the default only notes
    assert (
        "整改不到位" in national.action and national.basis and "有2个问题逾期未整改或不整改" in national.basis
    )
    policy = load_results_policy(_local(tmp_path, "unrectified:\n  change: -5\n"))
    (local,) = suggest([late], policy)
    assert (local.change, local.suggested) == (Decimal(-5), Decimal("95.00"))
    (floor,) = suggest([ProjectResult(project="乙", grade="差", budget=Decimal(100), unrectified=1)], policy)
    assert (floor.change, floor.suggested) == (Decimal(-100), Decimal("0.00"))  # never below −100 %


def test_rounding_places(tmp_path: Path) -> None:
    policy = load_results_policy(_local(tmp_path, "rounding: 0\ngrades:\n  中:\n    change: -15\n"))
    (s,) = suggest([ProjectResult(project="甲", grade="中", budget=Decimal("33.3"))], policy)
    assert s.suggested == Decimal(28)


def test_deadline_days_parameter(tmp_path: Path) -> None:
    assert NATIONAL.deadline_days == 90
    assert load_results_policy(_local(tmp_path, "deadline_days: 30\n")).deadline_days == 30


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("grades:\n  甲: {action: 保障}\n", "多出：甲"),
        ("grades:\n  中: {change: -120}\n", "不能小于下限（-100）"),
        ("unrectified: {change: 5}\n", "unrectified.change：不能大于上限（0）"),
        ("aliases:\n  甲: [A]\n", "aliases"),
        ("deadline_days: 0\n", "deadline_days"),
        ("colour: red\n", "colour"),
    ],
)
def test_bad_local_policies_are_refused(tmp_path: Path, body: str, message: str) -> None:
    policy, problems = load_results_policy_with_findings(_local(tmp_path, body))
    assert policy is None
    assert any(message in f.message or message in f.location.path for f in problems), [
        f.message for f in problems
    ]


def test_an_unknown_policy() -> None:
    with pytest.raises(ResultsPolicyError, match="找不到结果应用政策“nope”"):
        load_results_policy("nope")


def test_result_of_prefers_reviewed_then_computed_then_printed() -> None:
    e = evaluation(budget="1000000")
    e = e.model_copy(update={"funds": e.funds.model_copy(update={"unit": "元"})})
    assert budget_of(e) == Decimal(100)
    base = {"policy": "national-2020", "granularity": "total"}
    reviewed = ScoreResult(
        **base,
        computed_total=Decimal(91),
        computed_grade="优",
        reviewed_total=Decimal(75),
        reviewed_grade="中",
    )
    assert (result_of(e, reviewed).score, result_of(e, reviewed).grade) == (Decimal(75), "中")
    computed = ScoreResult(**base, computed_total=Decimal(91), computed_grade="优", claimed_grade="良")
    assert result_of(e, computed).grade == "优"
    printed = ScoreResult(**base, claimed_total=Decimal(82), claimed_grade="良好")
    assert result_of(e, printed).grade == "良好"
    items = [
        item(deadline=date(2025, 1, 1)),
        item("declined", progress="撤销"),
        item("done"),
        item(project="别的项目"),
    ]
    assert result_of(e, printed, items, date(2025, 12, 1)).unrectified == 2


def test_the_table_as_csv_and_xlsx() -> None:
    suggestions = suggest(
        [ProjectResult(project="甲", year=2024, grade="中", score=Decimal("72.5"), budget=Decimal(200))],
        NATIONAL,
    )
    text = table_csv(suggestions, {"甲": "示范单位"}).decode("utf-8-sig").splitlines()
    assert text[0].split(",") == list(TABLE_HEADERS)
    assert text[1].split(",")[:9] == ["甲", "示范单位", "2024", "72.5", "中", "200", "核减", "-10", "180"]
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(suggestions_bytes(suggestions, {"甲": "示范单位"}))).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == list(TABLE_HEADERS)
    assert [c.value for c in sheet[3]][:9] == ["甲", "示范单位", "2024", 72.5, "中", 200, "核减", -10, 180]
