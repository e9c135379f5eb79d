"""Formula rule: an arithmetic expression over named values, evaluated without ``eval``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression

from jixiao.model import FormulaRule, Indicator
from jixiao.scoring.context import Outcome, RuleContext, clamp

MAX_EXPRESSION = 500
_FUNCTIONS: dict[str, Any] = {"min": min, "max": max, "abs": abs}


class _DecimalEval(EvalWithCompoundTypes):  # type: ignore[misc]
    """simpleeval with float literals read as Decimals, so money arithmetic stays exact."""

    def _eval_constant(self, node: Any) -> Any:
        value = super()._eval_constant(node)
        return Decimal(repr(value)) if isinstance(value, float) else value


def _names(indicator: Indicator, rule: FormulaRule, ctx: RuleContext) -> dict[str, Any]:
    names: dict[str, Any] = {"weight": indicator.weight or Decimal(0)}
    names["w"] = names["weight"]
    if indicator.target is not None and indicator.target.value is not None:
        names["target"] = names["T"] = indicator.target.value
    if indicator.actual is not None and indicator.actual.value is not None:
        names["actual"] = names["A"] = indicator.actual.value
    if ctx.execution_rate is not None:
        names["execution_rate"] = ctx.execution_rate
    if ctx.arrival_rate is not None:
        names["arrival_rate"] = ctx.arrival_rate
    names.update(rule.values)
    return names


def apply_formula(indicator: Indicator, rule: FormulaRule, ctx: RuleContext) -> Outcome:
    """Evaluate the expression safely; its result, bounded by the weight, is the score."""
    weight = indicator.weight or Decimal(0)
    if len(rule.expression) > MAX_EXPRESSION:
        return Outcome(None, f"公式过长（超过{MAX_EXPRESSION}个字符）")
    names = _names(indicator, rule, ctx)
    evaluator = _DecimalEval(names=names, functions=_FUNCTIONS)
    try:
        value = evaluator.eval(rule.expression)
    except ZeroDivisionError:
        return Outcome(None, f"公式“{rule.expression}”除数为0")
    except (InvalidExpression, SyntaxError, TypeError, ValueError, InvalidOperation, KeyError) as exc:
        return Outcome(None, f"公式“{rule.expression}”无法计算：{exc}")
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return Outcome(None, f"公式“{rule.expression}”的结果不是数值")
    score = ctx.round(clamp(Decimal(value), weight))
    used = "，".join(
        f"{k}={v}" for k, v in names.items() if k in rule.expression and k not in ("w", "T", "A")
    )
    return Outcome(score, f"{rule.expression}（{used}）= {ctx.score_text(score)}")
