"""预警: every parameter of the warning policy moves a light; local policies extend national."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.checks.monitoring import warn
from jixiao.policies.warning import (
    WarningPolicyError,
    builtin_warning_names,
    load_warning_policy,
    load_warning_policy_with_findings,
)
from tests.checks.monitoring_helpers import build, monitoring_of, policy_of_case


def _lights(case: dict[str, Any]) -> tuple[str, str, list[str]]:
    result = warn(monitoring_of(build(case)), policy_of_case(case))
    return result.light.value, result.funds.light.value, result.reasons()


SPENT_AT = {"funds[0].rate": None, "funds[1].rate": None}

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("on track at 序时进度", {}, "green"),
    ("10 points below 序时进度 is green", {"set": {**SPENT_AT, "funds[0].spent": 5144.2}}, "green"),
    ("11 points below 序时进度 is yellow", {"set": {**SPENT_AT, "funds[0].spent": 5015.6}}, "yellow"),
    ("21 points below 序时进度 is red", {"set": {**SPENT_AT, "funds[0].spent": 3729.5}}, "red"),
    (
        "yellow_gap 5 makes 9 points yellow",
        {"set": {**SPENT_AT, "funds[0].spent": 5273}, "policy": {"execution": {"yellow_gap": 5}}},
        "yellow",
    ),
    (
        "red_gap 30 keeps 21 points yellow",
        {"set": {**SPENT_AT, "funds[0].spent": 3729.5}, "policy": {"execution": {"red_gap": 30}}},
        "yellow",
    ),
    (
        "a floor of 50% at 6月 met",
        {"policy": {"execution": {"mode": "floors", "floors": {6: 50, 9: 75}}}},
        "green",
    ),
    (
        "below the 6月 floor of 50%",
        {
            "set": {**SPENT_AT, "funds[0].spent": 6000},
            "policy": {"execution": {"mode": "floors", "floors": {6: 50}}},
        },
        "yellow",
    ),
    (
        "more than floor_red_gap below the floor",
        {
            "set": {**SPENT_AT, "funds[0].spent": 4500},
            "policy": {"execution": {"mode": "floors", "floors": {6: 50}, "floor_red_gap": 10}},
        },
        "red",
    ),
    (
        "no floor due yet at 6月",
        {
            "set": {**SPENT_AT, "funds[0].spent": 100},
            "policy": {"execution": {"mode": "floors", "floors": {9: 75}}},
        },
        "green",
    ),
    ("全年预计 at 90% of budget is yellow", {"set": {"funds[0].forecast": 11574.45}}, "yellow"),
    ("全年预计 at 70% of budget is red", {"set": {"funds[0].forecast": 9002.35}}, "red"),
    (
        "forecast_yellow 85 keeps 90% green",
        {"set": {"funds[0].forecast": 11574.45}, "policy": {"execution": {"forecast_yellow": 85}}},
        "green",
    ),
    (
        "rate on 到位 gives the policy's light",
        {"set": {"funds[0].available": 6430.25, "funds[0].rate": "100%"}},
        "yellow",
    ),
    (
        "rate on 到位 set to red",
        {
            "set": {"funds[0].available": 6430.25, "funds[0].rate": "100%"},
            "policy": {"rate_on_available": "red"},
        },
        "red",
    ),
]


@pytest.mark.parametrize(("name", "case", "light"), CASES, ids=[c[0] for c in CASES])
def test_execution_light(name: str, case: dict[str, Any], light: str) -> None:
    assert _lights(case)[1] == light


IND_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("有可能 is yellow", {"set": {"indicators[0].likelihood": "possible"}}, "yellow"),
    ("完全不可能 is red", {"set": {"indicators[0].likelihood": "impossible"}}, "red"),
    (
        "有可能 mapped to green",
        {"set": {"indicators[0].likelihood": "possible"}, "policy": {"likelihood": {"possible": "green"}}},
        "green",
    ),
    ("a forecast short by 3% is yellow", {"set": {"indicators[0].forecast": "6.1万人"}}, "yellow"),
    ("a forecast short by 25% is red", {"set": {"indicators[0].forecast": "4.7万人"}}, "red"),
    (
        "short_yellow 5 keeps 3% green",
        {"set": {"indicators[0].forecast": "6.1万人"}, "policy": {"forecast": {"short_yellow": 5}}},
        "green",
    ),
    (
        "short_red 30 keeps 25% yellow",
        {"set": {"indicators[0].forecast": "4.7万人"}, "policy": {"forecast": {"short_red": 30}}},
        "yellow",
    ),
    ("a reverse indicator above its ceiling", {"set": {"indicators[3].forecast": "2100元/人"}}, "yellow"),
]


@pytest.mark.parametrize(("name", "case", "light"), IND_CASES, ids=[c[0] for c in IND_CASES])
def test_indicator_light(name: str, case: dict[str, Any], light: str) -> None:
    overall, _, reasons = _lights(case)
    assert overall == light
    assert (light == "green") == (not reasons)


def test_the_overall_likelihood_lights_the_project() -> None:
    assert _lights({"set": {"likelihood": "impossible"}})[0] == "red"


def test_builtin_and_defaults() -> None:
    assert "national" in builtin_warning_names()
    policy = load_warning_policy()
    assert policy.execution.expected(6) == 50
    assert policy.execution.yellow_gap == 10 and policy.execution.red_gap == 20
    assert "未规定" in policy.source


def test_a_province_extends_national(tmp_path: Path) -> None:
    path = tmp_path / "province.yaml"
    path.write_text(
        "extends: national\nname: 某省\nexecution:\n  mode: floors\n  floors: {6: 50, 9: 75}\n",
        encoding="utf-8",
    )
    policy = load_warning_policy(path)
    assert policy.execution.mode == "floors" and policy.execution.expected(10) == 75
    assert policy.execution.red_gap == 20  # inherited
    assert policy.title == ""


@pytest.mark.parametrize(
    "text",
    [
        "extends: national\nname: x\nexecution: {yellow_gap: 30}\n",
        "extends: national\nname: x\nexecution: {mode: floors}\n",
        "extends: national\nname: x\nexecution: {mode: floors, floors: {13: 50}}\n",
        "extends: nowhere\nname: x\n",
        "extends: national\nname: x\nlikelihood: {certain: blue}\n",
    ],
)
def test_a_broken_policy_is_findings(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    policy, problems = load_warning_policy_with_findings(path)
    assert policy is None and problems
    with pytest.raises(WarningPolicyError):
        load_warning_policy(path)


def test_an_unknown_name() -> None:
    policy, problems = load_warning_policy_with_findings("不存在的规则")
    assert policy is None and problems[0].code == "policy.unknown"
