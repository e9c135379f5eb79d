"""One function per rule kind, registered by the rule's ``kind``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.model import Indicator
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

RULES: dict[str, RuleFunc] = {
    "ratio": apply_ratio,
    "qualitative": apply_qualitative,
    "elements": apply_elements,
    "tiers": apply_tiers,
    "grade": apply_grade,
    "deduction": apply_deduction,
    "satisfaction": apply_satisfaction,
    "judgement": apply_judgement,
    "formula": apply_formula,
}

__all__ = ["RULES", "RuleFunc"]
