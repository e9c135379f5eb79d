"""Rules that take the evaluator's judgement as input: elements, tiers, grade, deduction, judgement."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import DeductionRule, ElementsRule, GradeRule, Indicator, JudgementRule, TiersRule
from jixiao.scoring.context import Outcome, RuleContext, clamp
from jixiao.scoring.rules.ratio import pair_of


def apply_elements(indicator: Indicator, rule: ElementsRule, ctx: RuleContext) -> Outcome:
    """要素法: each 评价要点 carries its points (or an even share); met ones add up."""
    weight = indicator.weight or Decimal(0)
    if not rule.elements:
        return Outcome(None, "要素法未列出评价要点")
    even = weight / len(rule.elements)
    total = Decimal(0)
    parts: list[str] = []
    unknown = 0
    for element in rule.elements:
        points = element.points if element.points is not None else even
        if element.met is None:
            unknown += 1
            continue
        got = points if element.met else Decimal(0)
        total += got
        parts.append(f"{element.text}{'✓' if element.met else '✗'}{ctx.score_text(got)}")
    if unknown == len(rule.elements):
        return Outcome(None, "要素法各评价要点均未判定是否达到")
    score = ctx.round(clamp(total, weight))
    suffix = f"（{unknown}项未判定，按未达到计）" if unknown else ""
    return Outcome(score, f"{'；'.join(parts)}，合计 {ctx.score_text(score)}{suffix}")


def apply_tiers(indicator: Indicator, rule: TiersRule, ctx: RuleContext) -> Outcome:
    """按档次: the band the value falls in gives a share of the weight."""
    weight = indicator.weight or Decimal(0)
    value = rule.value
    what = "取值"
    completion = None
    if value is None:
        pair, why = pair_of(indicator)
        if pair is None:
            return Outcome(None, why)
        if rule.of == "actual":
            value, what = pair.actual, "实际完成值"
        else:
            if pair.target == 0:
                return Outcome(None, "目标为0，无法计算完成率")
            value = pair.actual / pair.target * 100
            completion, what = value, "完成率"
    for band in rule.bands:
        if (band.lower is None or value >= band.lower) and (band.upper is None or value < band.upper):
            score = ctx.round(clamp(band.share * weight, weight))
            low = band.lower if band.lower is not None else "-∞"
            high = band.upper if band.upper is not None else "+∞"
            label = band.label or f"[{low}, {high})"
            text = (
                f"{what}{ctx.round(value)} 落在档次 {label}，得 {ctx.pct(band.share * 100)} × {ctx.w(weight)}"
            )
            return Outcome(score, f"{text} = {ctx.score_text(score)}", completion)
    return Outcome(None, f"{what}{ctx.round(value)} 不在任何档次内")


def apply_grade(indicator: Indicator, rule: GradeRule, ctx: RuleContext) -> Outcome:
    """按评判等级: the judged grade gives a share of the weight."""
    weight = indicator.weight or Decimal(0)
    scale = rule.scale or ctx.policy.grade_scale
    if rule.value is None:
        return Outcome(None, "未给出评判等级")
    share = scale.get(rule.value.strip())
    if share is None:
        return Outcome(None, f"评判等级“{rule.value}”不在等级表（{'、'.join(scale)}）中")
    score = ctx.round(clamp(share * weight, weight))
    return Outcome(
        score,
        f"评判等级“{rule.value}”，得 {ctx.pct(share * 100)} × {ctx.w(weight)} = {ctx.score_text(score)}",
    )


def apply_deduction(indicator: Indicator, rule: DeductionRule, ctx: RuleContext) -> Outcome:
    """扣分法: start at the weight and deduct per problem, never below 0."""
    weight = indicator.weight or Decimal(0)
    count = rule.count if rule.count is not None else len(rule.items)
    score = ctx.round(clamp(weight - rule.per_item * count, weight))
    listed = f"（{'；'.join(rule.items)}）" if rule.items else ""
    return Outcome(
        score,
        f"{ctx.w(weight)} − {count}处问题{listed} × {ctx.score_text(rule.per_item)} = {ctx.score_text(score)}",
    )


def apply_judgement(indicator: Indicator, rule: JudgementRule, ctx: RuleContext) -> Outcome:
    """直接赋分: yes/no, or the evaluator's score with its reason, bounded by the weight."""
    weight = indicator.weight or Decimal(0)
    reason = f"（{rule.reason}）" if rule.reason else ""
    if rule.met is not None:
        score = weight if rule.met else Decimal(0)
        return Outcome(
            ctx.round(score), f"{'符合' if rule.met else '不符合'}{reason}，得 {ctx.score_text(score)}"
        )
    given = rule.score if rule.score is not None else indicator.claimed
    if given is None:
        return Outcome(None, "直接赋分未给出分数")
    score = ctx.round(clamp(given, weight))
    note = "" if score == given else f"（填报 {ctx.score_text(given)} 超出分值范围）"
    return Outcome(score, f"直接赋分 {ctx.score_text(score)}{reason}{note}")
