"""Satisfaction rule (满意度赋分): survey rate against the rate that earns full marks."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Figure, Indicator, SatisfactionRule
from jixiao.scoring.context import Outcome, RuleContext, clamp


def as_percent(fig: Figure | None) -> Decimal | None:
    """A printed satisfaction figure in percent (``90%`` → 90; a bare ``0.95`` or ``1`` → 95, 100)."""
    if fig is None or fig.value is None:
        return None
    if fig.unit == "%":
        return fig.value
    if fig.unit is None and fig.value <= 1:
        return fig.value * 100
    if fig.unit is None and fig.value <= 100:
        return fig.value
    return None


def apply_satisfaction(indicator: Indicator, rule: SatisfactionRule, ctx: RuleContext) -> Outcome:
    """Score = weight × min(1, rate / full-marks rate)."""
    weight = indicator.weight or Decimal(0)
    survey = ctx.evaluation.survey
    source = indicator
    if rule.refs:
        ref = ctx.by_id.get(rule.refs[0])
        if ref is None:
            return Outcome(None, f"引用的指标“{rule.refs[0]}”不存在")
        source = ref
    rate, origin = rule.rate, "规则给定"
    if rate is None and survey is not None:
        if survey.satisfaction_rate is not None:
            rate, origin = survey.satisfaction_rate, "调查满意率"
        elif survey.satisfaction_index is not None:
            rate, origin = survey.satisfaction_index, "调查综合满意度"
        elif survey.answers and sum(survey.answers.values()) > 0:  # no printed rate: count the answers
            satisfied = sum(survey.answers.get(k, 0) for k in ctx.policy.survey.satisfied)
            total = sum(survey.answers.values())
            rate = Decimal(satisfied) / Decimal(total) * 100
            origin = (
                f"按答卷计算的满意率（{'+'.join(ctx.policy.survey.satisfied)} {satisfied} / 答卷 {total}）"
            )
    if rate is None:
        rate, origin = as_percent(source.actual), "实际完成值"
    if rate is None:
        return Outcome(None, "没有满意度调查结果，也没有可用的实际完成值")
    full_at = rule.full_at or as_percent(source.target) or ctx.policy.survey.full_marks_at
    if full_at <= 0:
        return Outcome(None, "满意度目标值应大于0")
    share = min(Decimal(1), rate / full_at)
    score = ctx.round(clamp(share * weight, weight))
    if rate >= full_at:
        text = f"{origin} {ctx.pct(rate)} ≥ {ctx.pct(full_at)}，得满分 {ctx.score_text(score)}"
    else:
        text = f"{origin} {ctx.pct(rate)} / {ctx.pct(full_at)} × {ctx.w(weight)} = {ctx.score_text(score)}"
    return Outcome(score, text, rate / full_at * 100)
