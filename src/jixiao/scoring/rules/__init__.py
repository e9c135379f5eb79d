"""One function per rule kind, registered by the rule's type (the kinds are ``model.RULE_KINDS``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.model import (
    DeductionRule,
    ElementsRule,
    FormulaRule,
    GradeRule,
    Indicator,
    JudgementRule,
    QualitativeRule,
    RatioRule,
    RuleBase,
    SatisfactionRule,
    TiersRule,
)
from jixiao.scoring.context import Outcome, RuleContext
from jixiao.scoring.rules.formula import apply_formula
from jixiao.scoring.rules.qualitative import apply_qualitative
from jixiao.scoring.rules.ratio import apply_ratio
from jixiao.scoring.rules.satisfaction import apply_satisfaction
from jixiao.scoring.rules.simple import (
    apply_deduction,
    apply_elements,
    apply_grade,
    apply_judgement,
    apply_tiers,
)

RuleFunc = Callable[[Indicator, Any, RuleContext], Outcome]

RULES: dict[type[RuleBase], RuleFunc] = {
    RatioRule: apply_ratio,
    QualitativeRule: apply_qualitative,
    ElementsRule: apply_elements,
    TiersRule: apply_tiers,
    GradeRule: apply_grade,
    DeductionRule: apply_deduction,
    SatisfactionRule: apply_satisfaction,
    JudgementRule: apply_judgement,
    FormulaRule: apply_formula,
}

__all__ = ["RULES", "RuleFunc"]
