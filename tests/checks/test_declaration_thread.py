"""The thread from approved targets to next year's self-evaluation."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks import run_checks
from jixiao.checks.declaration import compare_with_declaration, evaluation_from_declaration
from jixiao.declaration import Declaration
from jixiao.frameworks import load_framework
from jixiao.model import Direction, Figure, Indicator, IndicatorType, Kind
from jixiao.policies import load_policy
from tests.checks.declaration_helpers import declaration_data, declaration_of


def _approved() -> Declaration:
    return declaration_of(declaration_data())


def test_the_self_evaluation_starts_from_the_approved_targets() -> None:
    declaration = _approved()
    evaluation = evaluation_from_declaration(declaration)
    assert evaluation.kind is Kind.self and evaluation.framework == "self-2020" and evaluation.year == 2025
    assert evaluation.project.name == declaration.project.name
    assert evaluation.funds.total.budget == Decimal("12860.50") and evaluation.funds.execution_weight == 10
    annual = declaration.annual.indicators
    assert [(i.level1, i.level2, i.name) for i in evaluation.indicators] == [
        (i.level1, i.level2, i.name) for i in annual
    ]
    first = evaluation.indicators[0]
    assert (
        first.target is not None and first.target.text == "≥6.3万人" and first.target.value == Decimal("6.3")
    )
    assert first.direction is Direction.higher and first.actual is None
    cost = evaluation.indicators[3]
    assert cost.direction is Direction.lower and cost.target is not None and cost.target.text == "≤2042元/人"
    quality = evaluation.indicators[5]
    assert (
        quality.type is IndicatorType.qualitative
        and quality.rule is not None
        and quality.rule.kind == "qualitative"
    )
    assert evaluation.indicators[6].rule is not None and evaluation.indicators[6].rule.kind == "satisfaction"
    assert evaluation.goals.annual is not None and evaluation.goals.annual.startswith("按月足额")


def test_weights_follow_the_framework_defaults() -> None:
    evaluation = evaluation_from_declaration(_approved())
    weights = [i.weight for i in evaluation.indicators]
    # 产出 50 (数量 20, 质量 10, 时效 10, 成本 10), 效益 30 (社会 20, 可持续 10), 满意度 10
    assert weights == [20, 10, 10, 10, 20, 10, 10]
    framework = load_framework("self-2020")
    assert (
        sum(w for w in weights if w is not None) + (evaluation.funds.execution_weight or 0)
        == framework.total_weight
    )


def test_weights_split_among_the_indicators_of_a_group() -> None:
    data = declaration_data()
    extra = {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "代缴保费人数",
        "comparison": ">=",
        "target": "1200人",
    }
    data["annual"]["indicators"].insert(1, extra)
    data["annual"]["indicators"].insert(1, {**extra, "name": "待遇资格认证人数"})
    weights = [i.weight for i in evaluation_from_declaration(declaration_of(data)).indicators]
    assert weights[:3] == [Decimal("6.67"), Decimal("6.67"), Decimal("6.66")]
    assert sum(w for w in weights if w is not None) == 90


def test_the_new_evaluation_audits_without_errors_or_warnings() -> None:
    evaluation = evaluation_from_declaration(_approved())
    audit = run_checks(evaluation, load_policy())
    assert not [f for f in audit.findings if f.severity.value != "info"], [f.message for f in audit.findings]


def test_a_self_evaluation_on_the_approved_targets_has_no_finding() -> None:
    declaration = _approved()
    assert compare_with_declaration(evaluation_from_declaration(declaration), declaration) == []


def test_each_change_is_one_finding_naming_it() -> None:
    declaration = _approved()
    evaluation = evaluation_from_declaration(declaration)
    evaluation.indicators[0].target = Figure.model_validate("≥6万人")  # changed value
    del evaluation.indicators[4]  # dropped: 参保率
    evaluation.indicators.append(
        Indicator(
            level1="产出指标",
            level2="数量指标",
            name="代缴保费人数",
            weight=Decimal(0),
            target=Figure.model_validate("≥1200人"),
        )
    )
    found = compare_with_declaration(evaluation, declaration)
    assert sorted(f.code for f in found) == [
        "decl.target-added",
        "decl.target-changed",
        "decl.target-dropped",
    ]
    changed = next(f for f in found if f.code == "decl.target-changed")
    assert (
        "领取基础养老金人数" in changed.message
        and "≥6万人" in changed.message
        and "6.3万人" in changed.message
    )
    assert changed.location.path == "indicators[0].target" and changed.severity.value == "warning"
    dropped = next(f for f in found if f.code == "decl.target-dropped")
    assert "城乡居民养老保险参保率" in dropped.message and "2025年度" in dropped.message
    added = next(f for f in found if f.code == "decl.target-added")
    assert "代缴保费人数" in added.message and added.severity.value == "info"


def test_the_same_target_printed_otherwise_is_no_change() -> None:
    declaration = _approved()
    evaluation = evaluation_from_declaration(declaration)
    evaluation.indicators[0].target = Figure.model_validate("≥ 6.3万人")
    evaluation.indicators[4].target = Figure(text="96%", value=Decimal(96), unit="%", comparison=None)
    assert compare_with_declaration(evaluation, declaration) == []
