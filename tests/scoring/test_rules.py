"""Every rule kind and direction, with edge cases (RULES.md §2–3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao import api
from tests.scoring.helpers import d, evaluation, result, score_one


@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected"),
    [
        ("≥116.11万人", "108.13万人", "8", "7.45"),  # seed 002 实际完成率
        ("≥100", "120", "10", "10.00"),  # over-achievement caps at the weight
        ("≥100", "0", "10", "0.00"),
        ("≥100", "-5", "10", "0.00"),  # negative actual scores 0, never below
        ("≥0", "5", "10", "10.00"),  # target 0: any non-negative actual meets it
        ("≥1万人", "5000人", "10", "5.00"),  # units converted to the target's
    ],
)
def test_ratio_higher(target: str, actual: str, weight: str, expected: str) -> None:
    s = score_one({"weight": weight, "target": target, "actual": actual, "claimed": weight})
    assert s.computed == d(expected)
    assert s.verified
    assert "分" in s.explanation


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≤100万元", "90万元", "10.00"),
        ("≤100万元", "100万元", "10.00"),
        ("≤100万元", "150万元", "5.00"),  # 1 − (150 − 100) / 100 = 50 %
        ("≤100万元", "200万元", "0.00"),  # A ≥ 2T
        ("≤100万元", "250万元", "0.00"),
        ("≤0", "0", "10.00"),
        ("≤0", "1", "0.00"),
    ],
)
def test_ratio_lower(target: str, actual: str, expected: str) -> None:
    assert score_one({"weight": 10, "target": target, "actual": actual}).computed == d(expected)


def test_cost_indicator_defaults_to_lower() -> None:
    s = score_one({"level2": "成本指标", "weight": 7, "target": "2536万元", "actual": "2364.01万元"})
    assert s.computed == d("7.00")


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [("=0", "0", "10.00"), ("=0", "2", "0.00"), ("=100%", "95%", "9.50"), ("=100%", "100%", "10.00")],
)
def test_ratio_equal(target: str, actual: str, expected: str) -> None:
    assert score_one({"weight": 10, "target": target, "actual": actual}).computed == d(expected)


@pytest.mark.parametrize(
    ("actual", "expected"), [("2%", "10.00"), ("0.3%", "5.00"), ("4.5%", "5.00"), ("7%", "0.00")]
)
def test_ratio_range(actual: str, expected: str) -> None:
    assert score_one({"weight": 10, "target": "0.6%至3%", "actual": actual}).computed == d(expected)


def test_deadline() -> None:
    assert score_one({"weight": 5, "target": "12月底前完成", "actual": "12月底前完成"}).computed == d("5.00")


def test_missing_actual_keeps_claim_unverified() -> None:
    s = score_one({"weight": 8, "target": "≥100人", "claimed": 6})
    assert s.computed == d("6") and not s.verified
    assert "实际完成值" in s.explanation


def test_incomparable_units() -> None:
    s = score_one({"weight": 8, "target": "≥100人", "actual": "90万元", "rule": {"kind": "ratio"}})
    assert not s.verified and "单位不一致" in s.explanation


def test_claim_above_weight_is_bounded() -> None:
    s = score_one({"weight": 5, "claimed": 7})
    assert s.computed == d("5") and s.claimed == d("7")


@pytest.mark.parametrize(
    ("actual", "claimed", "expected"),
    [
        ("达成年度指标", "9", "9"),
        ("达成年度指标", "7", "8.00"),  # below the 达成 band → raised to its floor
        ("部分达成年度指标并具有一定效果", "9", "7.99"),  # band [6, 8) → just under 8
        ("部分达成年度指标并具有一定效果", "6.5", "6.5"),
        ("未达成年度指标且效果较差", "7", "5.99"),
        ("未达成年度指标且效果较差", None, None),  # an answer without a score: 未评分, none invented
    ],
)
def test_qualitative(actual: str, claimed: str | None, expected: str | None) -> None:
    s = score_one({"weight": 10, "type": "qualitative", "actual": actual, "claimed": claimed})
    assert s.computed == (d(expected) if expected is not None else None)


def test_qualitative_without_score_by_a_policy_that_fills_it() -> None:
    """A province may choose to score an answer given alone (qualitative_default: upper)."""
    from jixiao.policies.loader import load_policy

    policy = load_policy("national-2020").model_copy(update={"qualitative_default": "upper"})
    ev = evaluation(
        [{"level1": "产出指标", "weight": 10, "type": "qualitative", "actual": "未达成年度指标且效果较差"}]
    )
    assert api.score(ev, policy).indicators[0].computed == d("5.99")


def test_qualitative_band_wording() -> None:
    low = score_one({"weight": 10, "type": "qualitative", "actual": "达成年度指标", "claimed": "7"})
    high = score_one(
        {"weight": 10, "type": "qualitative", "actual": "未达成年度指标且效果较差", "claimed": "7"}
    )
    assert "低于档次下限" in low.explanation and "超出档次上限" in high.explanation


def test_elements() -> None:
    rule = {
        "kind": "elements",
        "elements": [
            {"text": "有依据", "met": True},
            {"text": "程序规范", "met": False},
            {"text": "已公示", "met": True},
        ],
    }
    assert score_one({"weight": 3, "rule": rule}).computed == d("2.00")
    rule_points = {
        "kind": "elements",
        "elements": [{"text": "a", "points": 1, "met": True}, {"text": "b", "points": 2, "met": False}],
    }
    assert score_one({"weight": 3, "rule": rule_points}).computed == d("1.00")


def test_tiers() -> None:
    bands = [{"lower": 95, "share": 1}, {"lower": 80, "upper": 95, "share": 0.6}, {"upper": 80, "share": 0}]
    rule = {"kind": "tiers", "bands": bands}
    assert score_one({"weight": 10, "target": "100", "actual": "96", "rule": rule}).computed == d("10.00")
    assert score_one({"weight": 10, "target": "100", "actual": "85", "rule": rule}).computed == d("6.00")
    assert score_one({"weight": 10, "target": "100", "actual": "50", "rule": rule}).computed == d("0.00")


def test_grade() -> None:
    assert score_one({"weight": 5, "rule": {"kind": "grade", "value": "较好"}}).computed == d("4.00")
    custom = {"kind": "grade", "value": "B", "scale": {"A": 1, "B": 0.7}}
    assert score_one({"weight": 10, "rule": custom}).computed == d("7.00")
    unknown = score_one({"weight": 5, "claimed": 5, "rule": {"kind": "grade", "value": "超好"}})
    assert not unknown.verified and "不在等级表" in unknown.explanation


def test_deduction() -> None:
    rule = {"kind": "deduction", "per_item": 1, "items": ["凭证不全", "未公示"]}
    assert score_one({"weight": 5, "rule": rule}).computed == d("3.00")
    assert score_one({"weight": 5, "rule": {"kind": "deduction", "per_item": 2, "count": 4}}).computed == d(
        "0.00"
    )


def test_satisfaction() -> None:
    survey = {"sample_size": 400, "satisfaction_rate": 85}
    s = score_one({"weight": 10, "target": "≥90%", "rule": {"kind": "satisfaction"}}, survey=survey)
    assert s.computed == d("9.44")
    assert score_one(
        {"weight": 10, "target": "≥90%", "actual": "95%"},
    ).computed == d("10.00")
    no_data = score_one({"weight": 10, "claimed": 10, "rule": {"kind": "satisfaction"}})
    assert not no_data.verified


def test_judgement() -> None:
    assert score_one({"weight": 4, "rule": {"kind": "judgement", "met": False}}).computed == d("0.00")
    assert score_one(
        {"weight": 4, "rule": {"kind": "judgement", "score": 3.5, "reason": "制度不全"}}
    ).computed == d("3.50")
    assert score_one({"weight": 4, "rule": {"kind": "judgement", "score": 6}}).computed == d("4.00")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("w * min(A / T, 1)", "8.00"), ("w - (T - A) * 0.5", "0.00"), ("x * 2", "6.00")],
)
def test_formula(expression: str, expected: str) -> None:
    rule = {"kind": "formula", "expression": expression, "values": {"x": 3}}
    assert score_one({"weight": 10, "target": "100", "actual": "80", "rule": rule}).computed == d(expected)


@pytest.mark.parametrize(
    "expression", ["__import__('os').system('true')", "open('/etc/passwd')", "A / 0", "1 +"]
)
def test_formula_is_safe(expression: str) -> None:
    s = score_one(
        {"weight": 10, "target": "100", "actual": "80", "rule": {"kind": "formula", "expression": expression}}
    )
    assert s.computed is None or not s.verified


def test_funds_derived_rates() -> None:
    funds = {"total": {"source": "total", "budget": 2536.08, "available": 2364.01, "spent": 2364.01}}
    r = result(
        [
            {"level1": "投入", "name": "资金到位率", "weight": 3, "claimed": 2.80},
            {"level1": "投入", "name": "预算执行率", "weight": 3, "claimed": 3},
        ],
        funds=funds,
        framework="common-2013",
    )
    assert [s.computed for s in r.indicators] == [d("2.80"), d("3.00")]
    assert r.arrival_rate == d("93.22") and r.execution_rate == d("100.00")
    assert "2364.01万元 / 年初预算2536.08万元" in r.indicators[0].explanation


def test_self_form_execution_row() -> None:
    funds = {
        "total": {"source": "total", "budget": 100, "budget_adjusted": 120, "spent": 96},
        "execution_weight": 10,
        "execution_claimed": 10,
    }
    r = result([{"level1": "产出指标", "weight": 90, "claimed": 90}], funds=funds)
    row = next(level for level in r.levels if level.name == "预算执行率")
    assert row.computed == d("8.00")  # 96 / 120 = 80 %
    assert r.computed_total == d("98.00") and r.claimed_total == d("100")


def test_refs_take_figures_from_target_rows() -> None:
    r = result(
        [
            {
                "id": "q",
                "level1": "产出指标",
                "level2": "数量指标",
                "target": "116.11万人",
                "actual": "108.13万人",
            },
            {
                "level1": "产出",
                "name": "实际完成率",
                "weight": 8,
                "claimed": 8,
                "rule": {"kind": "ratio", "refs": ["q"]},
            },
            {"level1": "产出", "name": "x", "weight": 2, "rule": {"kind": "ratio", "refs": ["missing"]}},
        ]
    )
    assert r.indicators[0].weight is None and r.indicators[0].completion == d("93.13")
    assert r.indicators[1].computed == d("7.45")
    assert "不存在" in r.indicators[2].explanation
    assert [f.code for f in r.findings] == ["scoring.rule-not-applicable"]


def test_several_target_rows_say_how_they_were_combined() -> None:
    rows = [
        {"id": "a", "level1": "产出指标", "level2": "质量指标", "target": "≥98%", "actual": "99%"},
        {"id": "b", "level1": "产出指标", "level2": "质量指标", "target": "≥95%", "actual": "76%"},
        {"id": "c", "level1": "产出指标", "level2": "质量指标", "target": "100%", "actual": "100%"},
        {
            "level1": "产出",
            "name": "质量达标率",
            "weight": 9,
            "claimed": 9,
            "rule": {"kind": "ratio", "refs": ["a", "b", "c"]},
        },
    ]
    explanation = result(rows).indicators[3].explanation
    assert "按三项指标完成率平均为93.33%" in explanation  # (100% + 80% + 100%) / 3


def test_levels_total_and_grade() -> None:
    r = result(
        [
            {"level1": "产出指标", "weight": 50, "target": "100", "actual": "90", "claimed": 50},
            {"level1": "效益指标", "weight": 40, "claimed": 38},
            {"level1": "满意度指标", "weight": 10, "claimed": 10},
        ],
        claims={"total": 98, "grade": "优"},
    )
    assert [lv.computed for lv in r.levels] == [d("45.00"), d("38.00"), d("10.00")]
    assert r.computed_total == d("93.00") and r.computed_grade == "优"
    assert r.claimed_total == d("98") and r.weight == d("100")
    assert r.granularity == "indicator"


def test_level_granularity_when_only_subtotals_printed() -> None:
    levels = [
        {"name": "决策", "weight": 9, "claimed": 6.6, "rate": 73.33},
        {"name": "过程", "weight": 29, "claimed": 27.89, "rate": 96.17},
        {"name": "产出", "weight": 33, "claimed": 31.5, "rate": 95.45},
        {"name": "效益", "weight": 29, "claimed": 22.59, "rate": 77.9},
    ]
    r = result([], levels=levels, claims={"total": 88.58, "grade": "良"}, kind="finance")
    assert r.granularity == "level"
    assert [lv.rate for lv in r.levels] == [d("73.33"), d("96.17"), d("95.45"), d("77.90")]
    assert r.computed_total == d("88.58") and r.computed_grade == "良"


def test_total_granularity() -> None:
    r = result([], claims={"total": 97})
    assert r.granularity == "total" and r.computed_total == d("97.00") and r.computed_grade == "优"


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_bands_exact(total: str, grade: str) -> None:
    from jixiao import api

    assert api.get_policy().grade_of(Decimal(total)) == grade


def test_weights_not_summing_to_100_still_score() -> None:
    r = result(
        [
            {"level1": "产出指标", "weight": 50, "claimed": 50},
            {"level1": "效益指标", "weight": 40, "claimed": 40},
        ]
    )
    assert r.weight == d("90") and r.computed_total == d("90")


def test_reviewed_scores_give_a_reviewed_total() -> None:
    r = result(
        [
            {"level1": "产出指标", "weight": 50, "claimed": 50, "reviewed": 40, "review_reason": "完成80%"},
            {"level1": "效益指标", "weight": 50, "claimed": 45},
        ]
    )
    assert r.indicators[0].reviewed == d("40") and r.indicators[0].final == d("40")
    assert r.levels[0].reviewed == d("40.00") and r.levels[1].reviewed is None
    assert r.reviewed_total == d("85.00") and r.reviewed_grade == "良"
    assert r.computed_total == d("95.00")
    assert result([{"level1": "产出指标", "weight": 50, "claimed": 50}]).reviewed_total is None


def test_a_total_is_rounded_once_before_it_is_graded() -> None:
    """89.995 prints as 90.00 and is graded 优 (a message never says “90.00分…应为良”)."""
    from jixiao.policies.loader import load_policy

    policy = load_policy("national-2020")
    assert policy.round(Decimal("89.995")) == Decimal("90.00")
    assert policy.grade_of(Decimal("89.995")) == "优"
    assert policy.grade_of(Decimal("89.994")) == "良"


def test_satisfaction_from_the_answers_when_no_rate_is_printed() -> None:
    """Counts per option and no printed rate: the rate is (很满意 + 满意) / answers, then scored."""
    survey = {"sample_size": 100, "answers": {"很满意": 60, "满意": 20, "一般": 15, "不满意": 5}}
    s = score_one({"weight": 10, "target": "≥90%", "claimed": 10, "name": "服务对象满意度"}, survey=survey)
    assert s.computed == d("8.89")
    assert "按答卷计算的满意率" in s.explanation and "80.00%" in s.explanation
