"""The pension program templates load in the frameworks loader and give usable new evaluations."""

from __future__ import annotations

from decimal import Decimal

import pytest

frameworks = pytest.importorskip("jixiao.frameworks.loader")

NAMES = ["pension-basic", "pension-subsidy", "pension-paid-on-behalf", "pension-land"]


@pytest.mark.parametrize("name", NAMES)
def test_template_loads_with_full_marks(name: str) -> None:
    framework, problems = frameworks.load_framework_with_findings(name)
    assert problems == [] and framework is not None
    assert framework.total_weight == Decimal(100)
    assert framework.level_weights() == {
        "产出指标": Decimal(50),
        "效益指标": Decimal(30),
        "满意度指标": Decimal(10),
        "预算执行率": Decimal(10),
    }


@pytest.mark.parametrize("name", NAMES)
def test_cost_indicators_are_lower_and_named(name: str) -> None:
    framework, _ = frameworks.load_framework_with_findings(name)
    assert framework is not None
    for level in framework.levels:
        for group in level.groups:
            for template in group.indicators:
                assert template.name and template.explanation and template.criteria
                if group.name == "成本指标":
                    assert template.direction == "lower" and template.unit == "万元"


def test_published_indicators_are_offered() -> None:
    names: set[str] = set()
    for name in NAMES:
        framework, _ = frameworks.load_framework_with_findings(name)
        assert framework is not None
        names |= {t.name for lv in framework.levels for g in lv.groups for t in g.indicators if t.name}
    for expected in ("待遇领取人数", "基础养老金按时足额发放率", "参保缴费人数", "代缴人数", "缴费补贴人数"):
        assert expected in names
    assert any("满意度" in n for n in names)


def test_new_evaluation_from_template() -> None:
    new = pytest.importorskip("jixiao.frameworks.new")
    framework, _ = frameworks.load_framework_with_findings("pension-paid-on-behalf")
    evaluation = new.new_evaluation(framework, year=2019)
    assert evaluation.indicators[0].name == "代缴人数"
    assert evaluation.funds.execution_weight == 10
