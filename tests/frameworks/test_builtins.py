"""Built-in frameworks: each loads, adds up to 100 and gives a ready-to-fill evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.frameworks import (
    FrameworkError,
    builtin_framework_names,
    load_framework,
    load_framework_with_findings,
    new_evaluation,
)
from jixiao.loader import load_data
from jixiao.model import ElementsRule, RatioRule, SatisfactionRule
from jixiao.serialize import evaluation_data

CORE = ["common-2013", "eval-2020", "self-2020"]


def test_core_frameworks_are_built_in() -> None:
    assert set(CORE) <= set(builtin_framework_names())


@pytest.mark.parametrize("name", builtin_framework_names())
def test_builtin_loads_without_findings_and_sums_to_100(name: str) -> None:
    framework, problems = load_framework_with_findings(name)
    assert problems == []
    assert framework is not None and framework.name == name
    assert framework.total_weight == Decimal(100)


def test_self_2020_default_weights() -> None:
    fw = load_framework("self-2020")
    assert fw.level_weights() == {
        "产出指标": Decimal(50),
        "效益指标": Decimal(30),
        "满意度指标": Decimal(10),
        "预算执行率": Decimal(10),
    }
    groups = {lv.name: [g.name for g in lv.groups] for lv in fw.levels}
    assert groups["产出指标"] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert groups["效益指标"] == ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]
    assert groups["满意度指标"] == ["服务对象满意度指标"]


def test_eval_2020_is_results_first_with_every_reference_indicator() -> None:
    fw = load_framework("eval-2020")
    weights = fw.level_weights()
    assert list(weights) == ["决策", "过程", "产出", "效益"]
    assert (weights["产出"] or 0) + (weights["效益"] or 0) >= 60
    names = {t.name: t for lv in fw.levels for g in lv.groups for t in g.indicators}
    assert set(names) == {
        "立项依据充分性",
        "立项程序规范性",
        "绩效目标合理性",
        "绩效指标明确性",
        "预算编制科学性",
        "资金分配合理性",
        "资金到位率",
        "预算执行率",
        "资金使用合规性",
        "管理制度健全性",
        "制度执行有效性",
        "实际完成率",
        "质量达标率",
        "完成及时性",
        "成本节约率",
        "实施效益",
        "满意度",
    }
    assert all(t.explanation for t in names.values())
    assert names["资金到位率"].rule == RatioRule(derive="arrival_rate")
    assert names["预算执行率"].rule == RatioRule(derive="execution_rate")
    assert isinstance(names["实际完成率"].rule, RatioRule)
    assert isinstance(names["满意度"].rule, SatisfactionRule)
    decision = names["立项依据充分性"]
    assert isinstance(decision.rule, ElementsRule)
    assert [e.text for e in decision.rule.elements] == decision.points  # elements default to the 评价要点


def test_common_2013_weights_as_seed_002() -> None:
    fw = load_framework("common-2013")
    assert fw.level_weights() == {
        "投入": Decimal(20),
        "过程": Decimal(20),
        "产出": Decimal(30),
        "效果": Decimal(30),
    }


@pytest.mark.parametrize("name", builtin_framework_names())
def test_new_evaluation_loads_back_without_findings(name: str) -> None:
    fw = load_framework(name)
    evaluation = new_evaluation(fw, year=2024, project_name="测试项目")
    assert evaluation.framework == name and evaluation.kind == fw.kind
    assert evaluation.year == 2024 and evaluation.project.name == "测试项目"
    assert len(evaluation.indicators) == fw.indicator_count()
    weights = sum((i.weight or Decimal(0) for i in evaluation.indicators), Decimal(0))
    assert weights + (evaluation.funds.execution_weight or 0) == Decimal(100)
    loaded = load_data(evaluation_data(evaluation))
    assert loaded.findings == []
    assert loaded.evaluation is not None
    assert [i.rule for i in loaded.evaluation.indicators] == [i.rule for i in evaluation.indicators]


def test_unknown_name_raises_with_the_builtins_named() -> None:
    with pytest.raises(FrameworkError) as info:
        load_framework("no-such-framework")
    (problem,) = info.value.findings
    assert problem.code == "framework.unknown"
    assert "self-2020" in problem.message and "no-such-framework" in problem.message
