"""Qualitative rule (定性三档): the evaluator's score must lie in the band of the answer."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Indicator, QualitativeRule
from jixiao.scoring.context import Outcome, RuleContext
from jixiao.vocabulary import QUALITATIVE_ANSWERS as ANSWERS


def answer_of(text: str | None) -> str | None:
    """Which of the three fixed answers a printed actual gives (未达成 before 部分达成 before 达成)."""
    if not text:
        return None
    for key in ("未达成", "部分达成", "达成"):
        if key in text:
            return key
    return None


def apply_qualitative(indicator: Indicator, rule: QualitativeRule, ctx: RuleContext) -> Outcome:
    """Keep the claimed score when it lies in the answer's band; otherwise bring it to the band."""
    weight = indicator.weight or Decimal(0)
    answer = rule.answer or answer_of(indicator.actual.text if indicator.actual else None)
    if answer is None:
        return Outcome(None, "定性指标未选择“达成 / 部分达成 / 未达成”")
    band = ctx.policy.qualitative_bands[answer]
    step = Decimal(1).scaleb(-ctx.policy.rounding.places)
    low = ctx.round(band.lower * weight)
    top = band.upper >= 1
    high = ctx.round(band.upper * weight) if top else ctx.round(band.upper * weight) - step
    high = max(high, low)
    span = f"[{ctx.score_text(low)}, {ctx.score_text(band.upper * weight)}{']' if top else ')'}"
    claimed = indicator.claimed
    if claimed is None:
        mode = ctx.policy.qualitative_default
        if mode == "none":  # no score is invented for an answer given without one
            return Outcome(None, f"{ANSWERS[answer]}，分档 {span}，未填得分，未评分")
        score = high if mode == "upper" else low if mode == "lower" else ctx.round((low + high) / 2)
        return Outcome(score, f"{ANSWERS[answer]}，分档 {span}，未填得分，按{score}分计")
    if low <= claimed <= high:
        return Outcome(claimed, f"{ANSWERS[answer]}，分档 {span}，评分 {ctx.score_text(claimed)} 在档内")
    score = low if claimed < low else high
    where = "低于档次下限" if claimed < low else "超出档次上限"
    return Outcome(
        score,
        f"{ANSWERS[answer]}，分档 {span}，填报 {ctx.score_text(claimed)} {where}，按 {ctx.score_text(score)} 计",
    )
