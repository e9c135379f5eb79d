"""Arithmetic checks (计算): line scores vs their rule, subtotals, total, weights, 得分率."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.common import (
    HUNDRED,
    RULE_10,
    agrees,
    amount_text,
    ind_path,
    label,
    pct,
    places_of,
    printed_level,
    score_agrees,
    score_text,
    scored,
    weight_text,
)
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import RULE_KINDS, Evaluation
from jixiao.scoring.engine import EXECUTION_LEVEL

RULE_SUM = "一级指标得分 = 所属三级指标得分之和；总分 = 各一级指标得分之和"


@check("arithmetic.score-range")
def score_range(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A line score lies in [0, weight]."""
    out: list[Finding] = []
    for i, ind in scored(evaluation):
        if ind.claimed is None or ind.weight is None:
            continue
        if ind.claimed > ind.weight or ind.claimed < 0:
            out.append(
                finding(
                    "arithmetic.score-range",
                    Severity.error,
                    f"“{label(ind)}”得分{score_text(ind.claimed)}超出分值范围[0, {weight_text(ind.weight)}]",
                    ind_path(i, "claimed"),
                    source=ind.source,
                    expected=f"0–{ind.weight}",
                    actual=ind.claimed,
                    rule="单项得分不得超过其分值，也不得为负",
                )
            )
    return out


@check("arithmetic.line-score")
def line_score(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A claimed line score equals what its rule computes (full marks on a missed target: see inflation)."""
    out: list[Finding] = []
    places = ctx.policy.rounding.places
    for s in ctx.score.indicators:
        ind = evaluation.indicators[s.index]
        if not s.verified or s.claimed is None or s.computed is None or s.weight is None:
            continue
        if s.claimed > s.weight or s.claimed < 0 or score_agrees(s.claimed, s.computed, places):
            continue
        if s.rule == "qualitative":
            continue  # outside the answer's band: inflation.qualitative-band
        if s.claimed == s.weight and s.computed < s.claimed:
            continue  # full marks the rule does not give: inflation.full-marks
        out.append(
            finding(
                "arithmetic.line-score",
                Severity.warning,
                f"“{label(ind)}”填报{score_text(s.claimed)}，按评分规则应为{score_text(s.computed)}（{s.explanation}）",
                ind_path(s.index, "claimed"),
                source=ind.source,
                expected=s.computed,
                actual=s.claimed,
                rule=f"评分规则：{RULE_KINDS[s.rule].title if s.rule in RULE_KINDS else s.rule}",
            )
        )
    funds = evaluation.funds
    for level in ctx.score.levels:
        if level.name != EXECUTION_LEVEL or level.indicators or funds.execution_weight is None:
            continue
        if (
            level.claimed is None
            or level.computed is None
            or score_agrees(level.claimed, level.computed, places)
        ):
            continue
        rate = ctx.score.execution_rate
        out.append(
            finding(
                "arithmetic.line-score",
                Severity.warning,
                f"预算执行率一栏填报{score_text(level.claimed)}，按执行率"
                f"{pct(rate) if rate is not None else '—'} × {weight_text(funds.execution_weight)}（执行率超过100%按100%计）"
                f"应为{score_text(level.computed)}",
                "funds.execution_claimed",
                expected=level.computed,
                actual=level.claimed,
                rule=f"{RULE_10} 附件1：预算执行率得分 = 分值 × 执行率",
            )
        )
    return out


def _slack(parts: list[Decimal], places: int) -> Decimal:
    """How far a sum of rounded scores may drift: half a last unit per part (scores carry ≥ 2 places)."""
    return sum((Decimal(5).scaleb(-(max(places, places_of(p)) + 1)) for p in parts), Decimal(0))


@check("arithmetic.level-sum", "arithmetic.level-weight", "arithmetic.rounding")
def level_sums(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A printed level subtotal (score and weight) equals the sum of its lines."""
    out: list[Finding] = []
    for level in ctx.score.levels:
        found = printed_level(evaluation, level.name)
        if found is None or not level.indicators:
            continue
        li, printed = found
        inds = [evaluation.indicators[i] for i in level.indicators]
        claims = [ind.claimed for ind in inds]
        if printed.claimed is not None and all(c is not None for c in claims):
            parts = [c for c in claims if c is not None]
            got = sum(parts, Decimal(0))
            if not score_agrees(printed.claimed, got, ctx.policy.rounding.places):
                rounding = abs(got - printed.claimed) <= _slack(parts, ctx.policy.rounding.places)
                out.append(
                    finding(
                        "arithmetic.rounding" if rounding else "arithmetic.level-sum",
                        Severity.info if rounding else Severity.error,
                        f"“{printed.name}”小计印为{score_text(printed.claimed)}，各三级指标得分之和为{score_text(got)}"
                        + (
                            "，差额在舍入误差之内"
                            if rounding
                            else f"，相差{amount_text(printed.claimed - got)}分"
                        ),
                        f"levels[{li}].claimed",
                        source=printed.source,
                        expected=got,
                        actual=printed.claimed,
                        rule=RULE_SUM,
                    )
                )
        weights = [ind.weight for ind in inds]
        if printed.weight is not None and all(w is not None for w in weights):
            got_w = sum((w for w in weights if w is not None), Decimal(0))
            if got_w != printed.weight:
                out.append(
                    finding(
                        "arithmetic.level-weight",
                        Severity.error,
                        f"“{printed.name}”分值印为{weight_text(printed.weight)}，各三级指标分值之和为{weight_text(got_w)}",
                        f"levels[{li}].weight",
                        source=printed.source,
                        expected=got_w,
                        actual=printed.weight,
                        rule="一级指标分值 = 所属三级指标分值之和",
                    )
                )
    return out


@check("arithmetic.group-weight")
def group_weights(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A printed 二级 weight equals the sum of its 三级 weights (beside the 一级 and total checks)."""
    out: list[Finding] = []
    names = [(g.level1, g.name) for g in evaluation.groups]
    for g, group in enumerate(evaluation.groups):
        if group.weight is None or names.count((group.level1, group.name)) > 1:
            continue  # a 二级 printed twice is structure.duplicate's finding
        rows = [
            ind
            for ind in evaluation.indicators
            if ind.level1 == group.level1 and ind.level2 == group.name and ind.name is not None
        ]
        weights = [ind.weight for ind in rows]
        if len(rows) < 1 or any(w is None for w in weights):
            continue
        got = sum((w for w in weights if w is not None), Decimal(0))
        if got == group.weight:
            continue
        terms = " + ".join(f"{ind.name}{weight_text(ind.weight)}" for ind in rows if ind.weight is not None)
        out.append(
            finding(
                "arithmetic.group-weight",
                Severity.error,
                f"“{group.level1}/{group.name}”分值印为{weight_text(group.weight)}，所属三级指标 {terms} = {weight_text(got)}",
                f"groups[{g}].weight",
                source=group.source,
                expected=got,
                actual=group.weight,
                rule="二级指标分值 = 所属三级指标分值之和",
            )
        )
    return out


@check("arithmetic.score-missing")
def score_missing(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A row of a scored table with weight and figures but no score: 得分未填写; the recomputed
    score stands in for it in the totals."""
    if not any(ind.claimed is not None for ind in evaluation.indicators):
        return []  # nothing is scored (a target table, a total-only report)
    out: list[Finding] = []
    computed = {s.index: s.computed for s in ctx.score.indicators}
    for i, ind in enumerate(evaluation.indicators):
        if ind.claimed is not None or ind.weight is None or (ind.target is None and ind.actual is None):
            continue
        value = computed.get(i)
        out.append(
            finding(
                "arithmetic.score-missing",
                Severity.warning,
                f"“{ind.name or ind.level2 or ind.level1}”有分值{weight_text(ind.weight)}和指标值、实际完成值，但得分未填写"
                + (f"；重算得分为{score_text(value)}，合计按重算得分计" if value is not None else ""),
                f"indicators[{i}].claimed",
                source=ind.source,
                expected=value,
                actual=None,
                rule=RULE_SUM,
            )
        )
    return out


@check("arithmetic.total-sum", "arithmetic.weight-sum")
def total_sum(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The claimed total equals the sum of the level scores; the weights add up to the full mark."""
    out: list[Finding] = []
    levels, claims = ctx.score.levels, evaluation.claims
    subtotals = [lv.claimed for lv in levels]
    if claims.total is not None and levels and all(c is not None for c in subtotals):
        parts = [c for c in subtotals if c is not None]
        got = sum(parts, Decimal(0))
        if not score_agrees(claims.total, got, ctx.policy.rounding.places):
            terms = " + ".join(f"{lv.name}{amount_text(c)}" for lv, c in zip(levels, parts, strict=True))
            rounding = abs(got - claims.total) <= _slack(parts, ctx.policy.rounding.places)
            out.append(
                finding(
                    "arithmetic.rounding" if rounding else "arithmetic.total-sum",
                    Severity.info if rounding else Severity.error,
                    f"总分印为{score_text(claims.total)}，{'' if rounding else '但'}各一级指标得分 {terms} = {score_text(got)}"
                    + ("，差额在舍入误差之内" if rounding else ""),
                    "claims.total",
                    source=claims.source,
                    expected=got,
                    actual=claims.total,
                    rule=RULE_SUM,
                )
            )
    weights = [lv.weight for lv in levels]
    full = claims.total_weight if claims.total_weight is not None else HUNDRED
    if levels and all(w is not None for w in weights):
        got_w = sum((w for w in weights if w is not None), Decimal(0))
        if got_w != full:
            terms = " + ".join(
                f"{lv.name}{weight_text(w)}" for lv, w in zip(levels, weights, strict=True) if w is not None
            )
            out.append(
                finding(
                    "arithmetic.weight-sum",
                    Severity.error,
                    f"各一级指标分值 {terms} = {weight_text(got_w)}，不等于满分{weight_text(full)}",
                    "levels",
                    source=claims.source,
                    expected=full,
                    actual=got_w,
                    rule="指标分值合计应为100分",
                )
            )
    return out


@check("arithmetic.rate")
def rates(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A printed 得分率 equals score / weight (per level and for the total)."""
    out: list[Finding] = []
    for i, level in enumerate(evaluation.levels):
        if level.rate is None or level.claimed is None or not level.weight:
            continue
        got = level.claimed / level.weight * HUNDRED
        if not agrees(level.rate, got):
            out.append(
                finding(
                    "arithmetic.rate",
                    Severity.error,
                    f"“{level.name}”得分率印为{pct(level.rate, places_of(level.rate))}，"
                    f"但{amount_text(level.claimed)} / {amount_text(level.weight)} = {pct(got)}",
                    f"levels[{i}].rate",
                    source=level.source,
                    expected=ctx.policy.round(got),
                    actual=level.rate,
                    rule="得分率 = 得分 / 分值",
                )
            )
    claims = evaluation.claims
    full = claims.total_weight if claims.total_weight is not None else HUNDRED
    if claims.rate is not None and claims.total is not None and full:
        got = claims.total / full * HUNDRED
        if not agrees(claims.rate, got):
            out.append(
                finding(
                    "arithmetic.rate",
                    Severity.error,
                    f"总得分率印为{pct(claims.rate, places_of(claims.rate))}，但{amount_text(claims.total)} / {amount_text(full)} = {pct(got)}",
                    "claims.rate",
                    source=claims.source,
                    expected=ctx.policy.round(got),
                    actual=claims.rate,
                    rule="得分率 = 得分 / 分值",
                )
            )
    return out


@check("arithmetic.unverifiable")
def unverifiable(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Scores that rest on no printed indicator lines cannot be verified."""
    score = ctx.score
    if score.granularity == "indicator" or score.claimed_total is None:
        return []
    counts = evaluation.indicator_counts
    if score.granularity == "level":
        shown = "、".join(
            f"{lv.name}{amount_text(lv.claimed)}" for lv in score.levels if lv.claimed is not None
        )
        hidden = f"{counts.level3}个三级指标" if counts and counts.level3 else "三级指标"
        message = f"报告只印了一级指标得分（{shown}），{hidden}及其得分未列出，一级指标得分无法复核"
    else:
        message = f"总分{amount_text(score.claimed_total)}分没有指标评分表支撑，无法复核"
    return [
        finding(
            "arithmetic.unverifiable",
            Severity.warning,
            message,
            "indicator_counts" if score.granularity == "level" and counts else "claims.total",
            source=evaluation.claims.source,
            actual=score.granularity,
            rule=f"{RULE_10}：评价报告应附评分表",
        )
    ]
