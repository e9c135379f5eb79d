"""Ratio rule (按照完成比例赋分): completion × weight by direction (RULES §2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.model import Comparison, Direction, Figure, Indicator, RatioRule
from jixiao.numbers import comparable, convert, format_number
from jixiao.scoring.context import Outcome, RuleContext, clamp

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Pair:
    """A target and an actual in the same unit, with their printed forms."""

    target: Decimal
    actual: Decimal
    upper: Decimal | None
    unit: str
    target_text: str
    actual_text: str


def direction_of(indicator: Indicator, rule: RatioRule | None = None) -> Direction:
    """Direction from the rule, the indicator, the target's sign, or the indicator kind (成本 → 反向)."""
    if rule is not None and rule.direction is not None:
        return rule.direction
    if indicator.direction is not None:
        return indicator.direction
    comparison = indicator.target.comparison if indicator.target else None
    unit = (indicator.target.unit or "") if indicator.target else ""
    if (
        comparison is not Comparison.range
        and "元" in unit
        and "成本" in (indicator.level2 or "") + (indicator.name or "")
    ):
        return (
            Direction.lower
        )  # a cost in money is a ceiling whatever sign is printed (targets.cost-direction says so)
    if comparison in (Comparison.ge, Comparison.gt):
        return Direction.higher
    if comparison in (Comparison.le, Comparison.lt):
        return Direction.lower
    if comparison is Comparison.eq:
        return Direction.equal
    if comparison is Comparison.range:
        return Direction.range
    if "成本" in (indicator.level2 or "") + (indicator.name or ""):
        return Direction.lower
    if unit == "月":  # a date (“11月完成验收”): done by then; later is a miss
        return Direction.lower
    return Direction.higher


def _text(fig: Figure, value: Decimal, unit: str) -> str:
    if unit == "月" and value > 12:  # a deadline in the following year (次年1月 is month 13)
        return f"次年{format_number(value - 12, max(fig.places, 0), trim=False)}月"
    return f"{format_number(value, max(fig.places, 0), trim=False)}{unit}"


def pair_of(indicator: Indicator) -> tuple[Pair | None, str]:
    """Target and actual as numbers in one unit, or None with the reason in Chinese."""
    target, actual = indicator.target, indicator.actual
    if target is None or target.value is None:
        return None, "年度指标值不是数值"
    if actual is None or actual.value is None:
        return None, "实际完成值不是数值"
    t_unit, a_unit = target.unit or "", actual.unit or ""
    a_value = actual.value
    if t_unit and a_unit and t_unit != a_unit:
        if not comparable(t_unit, a_unit):
            return None, f"单位不一致（目标“{t_unit}”，实际“{a_unit}”）"
        try:
            a_value = convert(a_value, a_unit, t_unit)
        except ValueError:
            return None, f"单位不一致（目标“{t_unit}”，实际“{a_unit}”）"
    unit = t_unit or a_unit
    return (
        Pair(
            target=target.value,
            actual=a_value,
            upper=target.upper,
            unit=unit,
            target_text=_text(target, target.value, unit),
            actual_text=_text(actual, actual.value, a_unit or unit),
        ),
        "",
    )


def share_of(pair: Pair, direction: Direction, ctx: RuleContext) -> tuple[Decimal, str, Decimal | None]:
    """Share of the weight earned (0..1), the formula in words, and the completion in percent."""
    t, a = pair.target, pair.actual
    formulas = ctx.policy.ratio
    completion = a / t * HUNDRED if t != 0 else None
    head = f"{pair.actual_text} / {pair.target_text}"
    if direction is Direction.lower:
        if a <= t:
            return Decimal(1), f"{pair.actual_text} ≤ {pair.target_text}，达到目标", completion
        if t <= 0 or formulas.lower == "all-or-nothing":
            return Decimal(0), f"{pair.actual_text} > {pair.target_text}，未达到目标", completion
        if formulas.lower == "inverse":
            share = t / a
            return share, f"{pair.target_text} / {pair.actual_text} = {ctx.pct(share * HUNDRED)}", completion
        if a >= 2 * t:
            return Decimal(0), f"{pair.actual_text} ≥ 2 × {pair.target_text}，得0分", completion
        share = 1 - (a - t) / t
        return (
            share,
            f"1 − ({pair.actual_text} − {pair.target_text}) / {pair.target_text} = {ctx.pct(share * HUNDRED)}",
            completion,
        )
    if direction is Direction.range and pair.upper is not None:
        low, high = t, pair.upper
        if low <= a <= high:
            return (
                Decimal(1),
                f"{pair.actual_text} 在 {pair.target_text}至{format_number(high, 2, trim=True)}{pair.unit} 之间",
                completion,
            )
        if a < low:
            share = a / low if low > 0 else Decimal(0)
            return share, f"{pair.actual_text} / {pair.target_text} = {ctx.pct(share * HUNDRED)}", completion
        if a >= 2 * high or high <= 0:
            return Decimal(0), f"{pair.actual_text} 超出区间上限一倍以上，得0分", completion
        share = 1 - (a - high) / high
        return (
            share,
            f"超出上限：1 − ({pair.actual_text} − {format_number(high, 2, trim=True)}) / {format_number(high, 2, trim=True)} = {ctx.pct(share * HUNDRED)}",
            completion,
        )
    if direction is Direction.equal:
        if t == 0:
            ok = a <= 0
            return (Decimal(1) if ok else Decimal(0)), f"目标为0，实际{pair.actual_text}", completion
        if formulas.equal == "exact":
            share = min(a, t) / max(a, t) if max(a, t) > 0 else Decimal(0)
            return share, f"{head} 偏离目标，按 {ctx.pct(share * HUNDRED)} 计", completion
    # higher, and equal with a non-zero target (as 正向)
    if t <= 0:
        ok = a >= t
        return (
            (Decimal(1) if ok else Decimal(0)),
            f"目标为{pair.target_text}，实际{pair.actual_text}",
            completion,
        )
    if pair.actual_text.startswith("（"):  # a funds rate: say the division, then the target
        words = pair.actual_text.strip("（）")
        if a >= t:
            return Decimal(1), f"{words} ≥ {pair.target_text}，达到目标", completion
        share = max(a, Decimal(0)) / t
        if t == HUNDRED:
            return share, words, completion
        return share, f"{words}，/ {pair.target_text} = {ctx.pct(share * HUNDRED)}", completion
    if a >= t:
        return Decimal(1), f"{head} = {ctx.pct(a / t * HUNDRED)}，达到目标", completion
    share = max(a, Decimal(0)) / t
    return share, f"{head} = {ctx.pct(share * HUNDRED)}", completion


def _derived(indicator: Indicator, rule: RatioRule, ctx: RuleContext) -> Pair | None:
    rate = ctx.execution_rate if rule.derive == "execution_rate" else ctx.arrival_rate
    if rate is None:
        return None
    target = Decimal(100)
    if (
        indicator.target is not None
        and indicator.target.value is not None
        and indicator.target.unit in ("%", None)
    ):
        target = indicator.target.value
    words = ctx.execution_text if rule.derive == "execution_rate" else ctx.arrival_text
    return Pair(target, rate, None, "%", f"{format_number(target, 2, trim=True)}%", f"（{words}）")


def apply_ratio(indicator: Indicator, rule: RatioRule, ctx: RuleContext) -> Outcome:
    """Score a quantitative indicator by its completion ratio."""
    weight = indicator.weight or Decimal(0)
    direction = direction_of(indicator, rule)
    if rule.derive is not None:
        pair = _derived(indicator, rule, ctx)
        if pair is None:
            what = "预算执行率" if rule.derive == "execution_rate" else "资金到位率"
            return Outcome(None, f"无法由资金数据计算{what}（缺少支出、到位或预算数）")
        pairs = [(pair, direction)]
    elif rule.refs:
        pairs = []
        for ref in rule.refs:
            target_ind = ctx.by_id.get(ref)
            if target_ind is None:
                return Outcome(None, f"引用的指标“{ref}”不存在")
            ref_pair, why = pair_of(target_ind)
            if ref_pair is None:
                return Outcome(None, f"引用的指标“{target_ind.label}”{why}")
            pairs.append((ref_pair, direction_of(target_ind)))
    else:
        own, why = pair_of(indicator)
        if own is None:
            return Outcome(None, why)
        pairs = [(own, direction)]

    shares: list[Decimal] = []
    words: list[str] = []
    completions: list[Decimal] = []
    for pair, pair_direction in pairs:
        share, text, completion = share_of(pair, pair_direction, ctx)
        if rule.cap is not None:
            share = min(share, rule.cap)
        shares.append(clamp(share, Decimal(1)))
        words.append(text)
        if completion is not None:
            completions.append(completion)
    share = sum(shares, Decimal(0)) / len(shares)
    score = ctx.round(clamp(share * weight, weight))
    completion = sum(completions, Decimal(0)) / len(completions) if completions else None
    joined = "；".join(words)
    if len(shares) > 1:
        count = "两三四五六七八九十"[len(shares) - 2] if len(shares) <= 10 else str(len(shares))
        joined += f"；按{count}项指标完成率平均为{ctx.pct(share * HUNDRED)}"
    explanation = f"{joined} × {ctx.w(weight)} = {ctx.score_text(score)}"
    return Outcome(score, explanation, completion)
