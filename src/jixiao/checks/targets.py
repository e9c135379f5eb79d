"""Target checks (绩效目标): measurable wording, signs, percentages, empty slots, completion."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.checks.common import (
    HUNDRED,
    RULE_FORM,
    RULE_PRACTICE,
    amount_text,
    completion,
    figure_text,
    ind_path,
    label,
    numbers,
    pct,
    wan_of,
)
from jixiao.checks.diagnosis import explain_ratio
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Comparison, Direction, Evaluation, Indicator, IndicatorType
from jixiao.numbers import matches_printed
from jixiao.scoring.rules.qualitative import answer_of
from jixiao.scoring.rules.ratio import direction_of

EMPTY_SLOT = re.compile(r"^\s*指标\s*\d*\s*[:：]?\s*$")
RULE_SMART = "财预〔2020〕10号：绩效指标应清晰、可衡量（定量为主）"


def is_empty_slot(ind: Indicator) -> bool:
    """A template slot left as just its number (“指标2:”)."""
    return ind.name is not None and bool(EMPTY_SLOT.match(ind.name))


def _is_cost(ind: Indicator) -> bool:
    return "成本" in f"{ind.level2 or ''}{ind.name or ''}"


@check("targets.empty-slot")
def empty_slots(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Template slots (“指标2:”) left with a number but no indicator."""
    slots = [(i, ind) for i, ind in enumerate(evaluation.indicators) if is_empty_slot(ind)]
    if not slots:
        return []
    i, first = slots[0]
    where = "、".join(f"{ind.level2 or ind.level1}“{ind.name}”" for _, ind in slots[:6])
    more = f"等{len(slots)}处" if len(slots) > 6 else f"共{len(slots)}处"
    return [
        finding(
            "targets.empty-slot",
            Severity.warning,
            f"指标表留有只写编号、没有指标名称的空栏位：{where}{more}；应删除空栏或补全指标",
            ind_path(i, "name"),
            source=first.source,
            actual=len(slots),
            rule=RULE_FORM,
        )
    ]


@check("targets.unmeasurable", "targets.no-unit")
def measurable(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A quantitative target carries a number and a unit (not “提高保障质量和水平”)."""
    out: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        target = ind.target
        if target is None or not target.text or ind.type is IndicatorType.qualitative:
            continue
        if target.value is None:
            if answer_of(target.text):
                continue
            out.append(
                finding(
                    "targets.unmeasurable",
                    Severity.warning,
                    f"“{label(ind)}”的年度指标值“{target.text}”没有可衡量的数值，无法判断是否完成",
                    ind_path(i, "target"),
                    source=target.source or ind.source,
                    actual=target.text,
                    rule=RULE_SMART,
                )
            )
        elif target.unit is None and target.comparison != Comparison.range:
            out.append(
                finding(
                    "targets.no-unit",
                    Severity.info,
                    f"“{label(ind)}”的年度指标值印为“{target.text}”，没有计量单位（%、人、万元……），含义不明",
                    ind_path(i, "target"),
                    source=target.source or ind.source,
                    actual=target.text,
                    rule=RULE_SMART,
                )
            )
    return out


@check("targets.cost-direction")
def cost_direction(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A cost target is a ceiling (≤), not a floor (≥)."""
    out: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        target = ind.target
        if target is None or not _is_cost(ind):
            continue
        if target.comparison in (Comparison.ge, Comparison.gt) or ind.direction is Direction.higher:
            out.append(
                finding(
                    "targets.cost-direction",
                    Severity.warning,
                    f"成本指标“{label(ind)}”的年度指标值写作“{figure_text(target)}”（≥，越多越好），"
                    "成本指标应为反向指标，用“≤”表示上限",
                    ind_path(i, "target"),
                    source=target.source or ind.source,
                    expected="≤",
                    actual=figure_text(target),
                    rule=f"{RULE_FORM}：成本指标为反向指标",
                )
            )
    return out


_TOTAL_COST = re.compile(
    r"^(?:项目)?(?:总成本|成本总额|总投入|经费总额|总费用|经济成本|项目成本|成本|总经费|资金总额)$"
)


@check("targets.cost-budget")
def cost_budget(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The one total-cost target (总成本 ≤ X万元) agrees with the budget (预算数 or 全年预算数)."""
    from jixiao.numbers import printed_places
    from jixiao.scoring.engine import stage_total

    budgets = [b for s in ("budget", "budget_adjusted") if (b := stage_total(evaluation, s)) is not None]
    costs = [
        (i, ind)
        for i, ind in enumerate(evaluation.indicators)
        if _is_cost(ind)
        and _TOTAL_COST.match((ind.name or "").replace(" ", ""))
        and ind.target is not None
        and ind.target.value is not None
        and wan_of(ind.target.value, ind.target.unit) is not None
        and ind.target.comparison in (None, Comparison.le, Comparison.lt, Comparison.eq)
    ]
    if not budgets or len(costs) != 1:
        return []
    i, ind = costs[0]
    target = ind.target
    assert target is not None and target.value is not None
    ceiling = wan_of(target.value, target.unit) or Decimal(0)
    places = printed_places(target.text or "")
    if any(matches_printed(ceiling, b, places) or matches_printed(b, ceiling, 2) for b in budgets):
        return []
    budget = budgets[0]
    return [
        finding(
            "targets.cost-budget",
            Severity.warning,
            f"成本指标“{label(ind)}”的年度指标值为“{figure_text(target)}”，与预算数{amount_text(budget)}万元不一致"
            f"（相差{amount_text(abs(ceiling - budget))}万元）",
            ind_path(i, "target"),
            source=target.source or ind.source,
            expected=budget,
            actual=ceiling,
            rule="项目总成本目标应与预算安排一致",
        )
    ]


@check("targets.zero-target")
def zero_target(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A 正向 target of 0 (≥0人): every actual meets it, no completion rate can be computed."""
    out: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        target = ind.target
        if target is None or target.value != 0 or target.upper is not None:
            continue
        if (
            target.comparison not in (Comparison.ge, Comparison.gt)
            or direction_of(ind) is not Direction.higher
        ):
            continue  # ≤0 and =0 (no accident, no complaint) are real targets
        out.append(
            finding(
                "targets.zero-target",
                Severity.warning,
                f"“{label(ind)}”的年度指标值为“{figure_text(target)}”，任何实际值都算达到，完成率无法计算；"
                "按此得分缺乏依据，目标应设为可衡量的数值",
                ind_path(i, "target"),
                source=target.source or ind.source,
                expected="大于0的目标值",
                actual=figure_text(target),
                rule=f"{RULE_FORM}：绩效指标应细化、量化，可衡量",
            )
        )
    return out


@check("targets.over-100")
def over_hundred(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A rate target or actual above 100%."""
    out: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        for field in ("target", "actual"):
            fig = getattr(ind, field)
            if fig is None or fig.unit != "%" or fig.value is None:
                continue
            top = fig.upper if fig.upper is not None else fig.value
            if top > HUNDRED and ("率" in (ind.name or "") or "满意" in (ind.name or "")):
                what = "年度指标值" if field == "target" else "实际完成值"
                out.append(
                    finding(
                        "targets.over-100",
                        Severity.warning,
                        f"“{label(ind)}”的{what}印为{fig.text}，比率不应超过100%",
                        ind_path(i, field),
                        source=fig.source or ind.source,
                        expected="≤ 100%",
                        actual=fig.text,
                        rule="比率类指标取值在0–100%之间",
                    )
                )
    return out


@check("targets.completion")
def printed_completion(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A printed completion (完成进度) equals actual / target at its printed precision."""
    out: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        printed = ind.completion
        if printed is None or printed.value is None or printed.unit not in ("%", None):
            continue
        rate = completion(ind)
        pair = numbers(ind)
        if rate is None or pair is None:
            continue
        if matches_printed(printed.value, rate, printed.places):
            continue
        message = (
            f"“{label(ind)}”完成进度印为{printed.text}，但实际{figure_text(ind.actual)} / 目标"
            f"{figure_text(ind.target)} = {pct(rate)}"
        )
        diagnosis = explain_ratio(printed.value, printed.places, {"实际": pair.actual, "目标": pair.target})
        if diagnosis:
            message += f"；{diagnosis}"
        out.append(
            finding(
                "targets.completion",
                Severity.error,
                message,
                ind_path(i, "completion"),
                source=printed.source or ind.source,
                expected=ctx.policy.round(rate),
                actual=printed.value,
                rule="完成进度 = 实际完成值 / 年度指标值",
            )
        )
    return out


@check("targets.over-achievement")
def over_achievement(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Actual above the policy threshold (130%) of the target: was the target set too low?

    Exactly the threshold is not above it (a message saying 超过130% of 130.00% would contradict itself).
    """
    out: list[Finding] = []
    threshold = ctx.policy.over_achievement * HUNDRED
    for i, ind in enumerate(evaluation.indicators):
        if direction_of(ind) not in (Direction.higher, Direction.equal):
            continue
        rate = completion(ind)
        if rate is None or ctx.policy.round(rate) <= threshold:
            continue
        explained = bool(ind.deviation_reason and ind.deviation_reason.strip())
        out.append(
            finding(
                "targets.over-achievement",
                Severity.info if explained else Severity.warning,
                f"“{label(ind)}”实际{figure_text(ind.actual)}为目标{figure_text(ind.target)}的{pct(rate)}，"
                f"超过{amount_text(threshold, 0)}%"
                + ("，已说明原因；请复核目标是否偏低" if explained else "，未说明原因，目标可能设置偏低"),
                ind_path(i, "actual"),
                source=ind.source,
                expected=f"< {amount_text(threshold, 0)}%",
                actual=ctx.policy.round(rate),
                rule=f"{RULE_PRACTICE}：超额完成{amount_text(threshold, 0)}%以上应说明，目标明显偏低的按偏离度适度调减",
            )
        )
    return out
