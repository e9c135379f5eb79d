"""Self-score inflation checks (自评虚高): full marks on a missed target, totals above the rules."""

from __future__ import annotations

import re

from jixiao.checks.common import (
    HUNDRED,
    RULE_10,
    amount_text,
    category,
    ind_path,
    label,
    level_key,
    miss_words,
    pct,
    score_agrees,
    score_text,
    shortfall,
    unmet,
    weight_text,
)
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation, Indicator, RatioRule


def _missed_refs(evaluation: Evaluation, ind: Indicator) -> list[Indicator]:
    """The indicator itself, or the target rows its ratio rule refers to, that miss their target."""
    rule = ind.rule
    if isinstance(rule, RatioRule) and rule.refs:
        by_id = {i.id: i for i in evaluation.indicators if i.id}
        return [by_id[r] for r in rule.refs if r in by_id and shortfall(by_id[r])]
    return [ind] if shortfall(ind) else []


def _kind(level2: str | None) -> str:
    """The kind a 二级 name stands for: 产出质量 ≈ 质量指标 ≈ 质量."""
    return re.sub(r"^(?:产出|项目)|指标$", "", (level2 or "").replace(" ", ""))


def _heading(ind: Indicator) -> bool:
    """A scored 二级 heading: points given to 产出质量 with no 三级 name, figures or rule of its own."""
    return (
        not ind.name
        and bool(ind.weight)
        and ind.claimed is not None
        and ind.target is None
        and ind.actual is None
        and not isinstance(ind.rule, RatioRule)
    )


def _missed_under(evaluation: Evaluation, heading: Indicator) -> list[Indicator]:
    """Target rows of the heading's kind (its 二级 printed in a 绩效目标表) that miss their target."""
    kind = _kind(heading.level2)
    return [
        ind
        for ind in evaluation.indicators
        if ind.name and ind.weight is None and kind and _kind(ind.level2) == kind and shortfall(ind)
    ]


def _shortfall_words(rows: list[Indicator]) -> str:
    return "；".join(f"“{row.name or row.level2 or row.level1}”{miss_words(row)}" for row in rows)


@check("inflation.full-marks")
def full_marks(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Full marks while the actual falls short of the target (自评满分但未完成目标)."""
    out: list[Finding] = []
    places = ctx.policy.rounding.places
    for s in ctx.score.indicators:
        if s.weight is None or s.claimed is None or s.computed is None or not s.weight:
            continue
        if s.claimed != s.weight or s.computed >= s.claimed or score_agrees(s.claimed, s.computed, places):
            continue
        ind = evaluation.indicators[s.index]
        if s.rule == "qualitative":
            continue  # outside the answer's band: qualitative_band
        missed = _missed_refs(evaluation, ind)
        why = f"，但{_shortfall_words(missed)}" if missed else ""
        out.append(
            finding(
                "inflation.full-marks",
                Severity.warning,
                f"“{label(ind)}”填报满分{score_text(s.claimed)}{why}；按评分规则应得{score_text(s.computed)}（{s.explanation}）",
                ind_path(s.index, "claimed"),
                source=ind.source,
                expected=s.computed,
                actual=s.claimed,
                rule=f"{RULE_10} 附件1：未完成目标按完成比例得分",
            )
        )
    for i, ind in enumerate(evaluation.indicators):  # 产出时效 10/10 over a 时效 target missed
        if not _heading(ind) or ind.claimed is None or ind.weight is None or ind.claimed < ind.weight:
            continue
        missed = _missed_under(evaluation, ind)
        if missed:
            out.append(
                finding(
                    "inflation.full-marks",
                    Severity.warning,
                    f"“{label(ind)}”填报满分{score_text(ind.claimed)}，但其下{_shortfall_words(missed)}",
                    ind_path(i, "claimed"),
                    source=ind.source,
                    expected=f"< {weight_text(ind.weight)}",
                    actual=ind.claimed,
                    rule=f"{RULE_10} 附件1：未完成目标按完成比例得分",
                )
            )
    return out


@check("inflation.total")
def total_above_rules(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The claimed total is higher than the total recomputed by the rules."""
    score = ctx.score
    claimed, computed = score.claimed_total, score.computed_total
    if score.granularity != "indicator" or claimed is None or computed is None:
        return []
    if computed >= claimed or score_agrees(claimed, computed, ctx.policy.rounding.places):
        return []
    return [
        finding(
            "inflation.total",
            Severity.warning,
            f"填报总分{score_text(claimed)}，按评分规则逐项重算为{score_text(computed)}，高出{amount_text(claimed - computed)}分",
            "claims.total",
            source=evaluation.claims.source,
            expected=computed,
            actual=claimed,
            rule="按评分规则重算",
        )
    ]


@check("inflation.near-full")
def near_full(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A near-full total that cannot be verified, while funds are not fully spent or targets are missed."""
    score, policy = ctx.score, ctx.policy
    total = score.claimed_total
    if score.granularity == "indicator" or total is None:
        return []
    if total < policy.inflation.near_full_total:
        return []
    reasons: list[str] = []
    if score.execution_rate is not None and score.execution_rate < HUNDRED:
        reasons.append(f"预算执行率只有{pct(score.execution_rate)}")
    missed = [ind for _, ind in unmet(evaluation)]
    if missed:
        reasons.append(_shortfall_words(missed))
    if not reasons:
        return []
    return [
        finding(
            "inflation.near-full",
            Severity.warning,
            f"自评总分{score_text(total)}接近满分，但{'；'.join(reasons)}，得分可能偏高",
            "claims.total",
            source=evaluation.claims.source,
            expected=f"< {amount_text(policy.inflation.near_full_total, 0)}",
            actual=total,
            rule=f"{RULE_10}：自评应如实反映目标完成情况",
        )
    ]


@check("inflation.qualitative-band")
def qualitative_band(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A qualitative score lies in the band of its answer (达成 [0.8w, w] …)."""
    out: list[Finding] = []
    for s in ctx.score.indicators:
        if s.rule != "qualitative" or s.claimed is None or s.computed is None or s.weight is None:
            continue
        if s.claimed == s.computed:
            continue
        ind = evaluation.indicators[s.index]
        out.append(
            finding(
                "inflation.qualitative-band",
                Severity.warning,
                f"定性指标“{label(ind)}”（分值{weight_text(s.weight)}）：{s.explanation}",
                ind_path(s.index, "claimed"),
                source=ind.source,
                expected=s.computed,
                actual=s.claimed,
                rule="定性指标：达成 [80%, 100%]、部分达成 [60%, 80%)、未达成 [0, 60%) × 分值",
            )
        )
    return out


@check("inflation.unmeasured")
def unmeasured(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A scored 产出/效益 row with nothing measured behind it: a 二级 heading given points with no
    三级 indicator, no target and no actual (产出质量 10/10)."""
    out: list[Finding] = []
    measured = {_kind(i.level2) for i in evaluation.indicators if i.name and (i.target or i.actual)}
    for i, ind in enumerate(evaluation.indicators):
        if ind.name or ind.claimed is None or not ind.weight or ind.rule is not None:
            continue
        if ind.target is not None or ind.actual is not None or category(ind.level1) not in ("产出", "效益"):
            continue
        if _kind(ind.level2) in measured:
            continue  # target rows of this 二级 are printed elsewhere (a 绩效目标表 beside the score table)
        out.append(
            finding(
                "inflation.unmeasured",
                Severity.warning,
                f"“{label(ind)}”得{score_text(ind.claimed)}（分值{weight_text(ind.weight)}），但其下没有三级指标，也没有指标值和实际完成值，"
                "得分没有依据",
                ind_path(i, "claimed"),
                source=ind.source,
                expected="三级指标及其指标值、实际完成值",
                actual=ind.claimed,
                rule=f"{RULE_10}：产出、效益指标应细化量化，按完成情况计分",
            )
        )
    return out


@check("inflation.level-full-marks")
def level_full_marks(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A level subtotal at full marks over a missed target that has no score of its own (the row's
    own full marks are inflation.full-marks)."""
    out: list[Finding] = []
    scored_by_a_line = {  # target rows a score line takes its figures from: that line's finding
        ref for ind in evaluation.indicators if isinstance(ind.rule, RatioRule) for ref in ind.rule.refs
    }
    headed = {_kind(ind.level2) for ind in evaluation.indicators if _heading(ind)}  # a 二级 scored apart
    for li, level in enumerate(evaluation.levels):
        if level.claimed is None or level.weight is None or level.claimed < level.weight:
            continue
        missed = [
            ind
            for ind in evaluation.indicators
            if level_key(ind.level1) == level_key(level.name)
            and ind.claimed is None
            and not (ind.id and ind.id in scored_by_a_line)
            and _kind(ind.level2) not in headed
            and shortfall(ind)
        ]
        if not missed:
            continue
        out.append(
            finding(
                "inflation.level-full-marks",
                Severity.warning,
                f"“{level.name}”小计得满分{score_text(level.claimed)}，但其下"
                + "；".join(
                    f"“{ind.name or ind.level2 or ind.level1}”{miss_words(ind)}" for ind in missed[:3]
                )
                + (f"等{len(missed)}项" if len(missed) > 3 else ""),
                f"levels[{li}].claimed",
                source=level.source,
                expected=f"< {amount_text(level.weight)}",
                actual=level.claimed,
                rule=f"{RULE_10}：自评应如实反映目标完成情况",
            )
        )
    return out
