"""Scoring engine: each indicator by its rule, then levels (一级), total and grade."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.findings import Finding, Severity, finding
from jixiao.model import (
    Evaluation,
    FundLine,
    Indicator,
    IndicatorType,
    QualitativeRule,
    RatioRule,
    RuleBase,
    SatisfactionRule,
)
from jixiao.numbers import format_number
from jixiao.policies import Policy
from jixiao.policies.loader import RateFormula
from jixiao.scoring.context import Outcome, RuleContext, clamp
from jixiao.scoring.result import IndicatorScore, LevelScore, ScoreResult
from jixiao.scoring.rules import RULES
from jixiao.scoring.rules.qualitative import answer_of
from jixiao.vocabulary import STAGE_NAMES

HUNDRED = Decimal(100)
EXECUTION_LEVEL = "预算执行率"


def stage_total(evaluation: Evaluation, stage: str) -> Decimal | None:
    """A stage of the funds total: the total line, else the sum of the source lines when all print it."""
    funds = evaluation.funds
    value: Decimal | None = getattr(funds.total, stage)
    if value is not None:
        return value
    lines: list[FundLine] = funds.lines
    values = [getattr(line, stage) for line in lines]
    if values and all(v is not None for v in values):
        return sum((v for v in values if v is not None), Decimal(0))
    return None


def funds_rate_explained(evaluation: Evaluation, formula: RateFormula) -> tuple[Decimal | None, str]:
    """numerator / first known denominator × 100 (unrounded) and the division in words."""
    numerator = stage_total(evaluation, formula.numerator)
    if numerator is None:
        return None, ""
    unit = evaluation.funds.unit
    for stage in formula.denominator:
        denominator = stage_total(evaluation, stage)
        if denominator is not None and denominator > 0:
            rate = numerator / denominator * HUNDRED
            text = (
                f"{STAGE_NAMES[formula.numerator]}{format_number(numerator, 2)}{unit} / "
                f"{STAGE_NAMES[stage]}{format_number(denominator, 2)}{unit} = {format_number(rate, 2)}%"
            )
            return rate, text
    return None, ""


def funds_rate(evaluation: Evaluation, formula: RateFormula) -> Decimal | None:
    """numerator / first known denominator × 100, unrounded; None when figures are missing or zero."""
    return funds_rate_explained(evaluation, formula)[0]


def _has_value(fig: object) -> bool:
    return fig is not None and getattr(fig, "value", None) is not None


def infer_rule(indicator: Indicator, evaluation: Evaluation) -> RuleBase | None:
    """The rule an indicator is scored by: its own, else the one its figures imply (None if none)."""
    if indicator.rule is not None:
        return indicator.rule
    label = f"{indicator.level2 or ''}{indicator.name or ''}"
    own_figures = _has_value(indicator.target) and _has_value(indicator.actual)
    if "预算执行率" in label and not own_figures:
        return RatioRule(derive="execution_rate")
    if "资金到位率" in label and not own_figures:
        return RatioRule(derive="arrival_rate")
    actual_text = indicator.actual.text if indicator.actual else None
    if indicator.type is IndicatorType.qualitative or (answer_of(actual_text) and not own_figures):
        return QualitativeRule()
    if "满意" in label and (_has_value(indicator.actual) or evaluation.survey is not None):
        return SatisfactionRule()
    if _has_value(indicator.target):
        return RatioRule()  # scored by completion; says which figure is missing when one is
    return None


def _context(evaluation: Evaluation, policy: Policy) -> RuleContext:
    formula = (
        policy.execution
        if evaluation.kind == "self" and not _is_evaluation_framework(evaluation)
        else (policy.execution_indicator)
    )
    execution_rate, execution_text = funds_rate_explained(evaluation, formula)
    arrival_rate, arrival_text = funds_rate_explained(evaluation, policy.arrival)
    return RuleContext(
        policy=policy,
        evaluation=evaluation,
        execution_rate=execution_rate,
        arrival_rate=arrival_rate,
        by_id={ind.id: ind for ind in evaluation.indicators if ind.id},
        execution_text=execution_text,
        arrival_text=arrival_text,
    )


def _is_evaluation_framework(evaluation: Evaluation) -> bool:
    """Frameworks of evaluations (10号 附件2, 2013) measure execution against available funds."""
    return (evaluation.framework or "").startswith(("eval-", "common-"))


def score_indicator(
    index: int, indicator: Indicator, ctx: RuleContext
) -> tuple[IndicatorScore, list[Finding]]:
    """Score one indicator; the explanation says what was computed or why it could not be."""
    rule = infer_rule(indicator, ctx.evaluation)
    findings: list[Finding] = []
    kind = getattr(rule, "kind", None)
    if indicator.weight is None:
        outcome = Outcome(None, "未设分值（目标行，不单独计分）")
        if isinstance(rule, RatioRule):
            ratio = RULES[RatioRule](indicator.model_copy(update={"weight": Decimal(0)}), rule, ctx)
            outcome = Outcome(None, outcome.explanation, ratio.completion)
    elif rule is None:
        outcome = Outcome(None, "无评分规则且缺少可计算的数值，采用填报得分")
    else:
        outcome = RULES[type(rule)](indicator, rule, ctx)
        if outcome.score is None and indicator.rule is not None:
            findings.append(
                finding(
                    "scoring.rule-not-applicable",
                    Severity.info,
                    f"指标“{indicator.label}”的评分规则无法执行：{outcome.explanation}",
                    f"indicators[{index}].rule",
                    source=indicator.source,
                )
            )
    verified = outcome.score is not None
    computed = outcome.score
    if computed is None and indicator.weight is not None and indicator.claimed is not None:
        computed = clamp(indicator.claimed, indicator.weight)
        if rule is not None:
            outcome.explanation += "，沿用填报得分"
        if computed != indicator.claimed:
            outcome.explanation += (
                f"（填报{indicator.claimed}分超出分值{indicator.weight}分，按{computed}分计）"
            )
    findings.extend(outcome.findings)
    return (
        IndicatorScore(
            index=index,
            level1=indicator.level1,
            level2=indicator.level2,
            name=indicator.name,
            weight=indicator.weight,
            target=indicator.target.text if indicator.target else None,
            actual=indicator.actual.text if indicator.actual else None,
            completion=ctx.round(outcome.completion) if outcome.completion is not None else None,
            claimed=indicator.claimed,
            computed=computed,
            verified=verified,
            reviewed=indicator.reviewed,
            review_reason=indicator.review_reason,
            rule=str(kind) if kind else None,
            explanation=outcome.explanation,
        ),
        findings,
    )


def level_key(name: str) -> str:
    """Normalise a level name for matching: ``产出指标：`` ≈ ``产出``."""
    key = re.sub(r"[\s:：]", "", name)
    return key.removesuffix("指标") or key


def _sum(values: list[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _levels(evaluation: Evaluation, scores: list[IndicatorScore], ctx: RuleContext) -> list[LevelScore]:
    printed = {level_key(level.name): level for level in evaluation.levels}
    order: list[str] = [level_key(level.name) for level in evaluation.levels]
    names: dict[str, str] = {level_key(level.name): level.name for level in evaluation.levels}
    members: dict[str, list[IndicatorScore]] = {}
    for s in scores:
        if s.weight is None:
            continue
        key = level_key(s.level1)
        if key not in names:
            names[key] = s.level1
            order.append(key)
        members.setdefault(key, []).append(s)

    levels: list[LevelScore] = []
    for key in order:
        lines = members.get(key, [])
        level = printed.get(key)
        weight = level.weight if level and level.weight is not None else _sum([s.weight for s in lines])
        claimed = level.claimed if level and level.claimed is not None else _sum([s.claimed for s in lines])
        computed = _sum([s.effective for s in lines]) if lines else (level.claimed if level else None)
        rate = ctx.round(computed / weight * HUNDRED) if computed is not None and weight else None
        any_reviewed = any(s.reviewed is not None for s in lines)
        reviewed = _sum([s.final for s in lines]) if any_reviewed else None
        levels.append(
            LevelScore(
                reviewed=ctx.round(reviewed) if reviewed is not None else None,
                name=names[key],
                weight=weight,
                claimed=claimed,
                computed=ctx.round(computed) if computed is not None else None,
                rate=rate,
                claimed_rate=level.rate if level else None,
                indicators=[s.index for s in lines],
            )
        )
    funds = evaluation.funds
    if funds.execution_weight is not None and level_key(EXECUTION_LEVEL) not in names:
        form_rate = funds_rate(evaluation, ctx.policy.execution)
        computed_row = (
            ctx.round(
                clamp(funds.execution_weight * min(form_rate / HUNDRED, Decimal(1)), funds.execution_weight)
            )
            if form_rate is not None
            else funds.execution_claimed
        )
        levels.append(
            LevelScore(
                name=EXECUTION_LEVEL,
                weight=funds.execution_weight,
                claimed=funds.execution_claimed,
                computed=computed_row,
                rate=ctx.round(computed_row / funds.execution_weight * HUNDRED)
                if computed_row is not None and funds.execution_weight
                else None,
            )
        )
    return levels


def score_evaluation(evaluation: Evaluation, policy: Policy) -> ScoreResult:
    """Score an evaluation: indicators by their rules, level subtotals and 得分率, total and grade."""
    ctx = _context(evaluation, policy)
    findings: list[Finding] = []
    scores: list[IndicatorScore] = []
    for i, indicator in enumerate(evaluation.indicators):
        s, problems = score_indicator(i, indicator, ctx)
        scores.append(s)
        findings.extend(problems)

    levels = _levels(evaluation, scores, ctx)
    weighted = [s for s in scores if s.weight is not None]
    granularity = "indicator" if weighted else ("level" if levels else "total")

    claimed_total = evaluation.claims.total
    if claimed_total is None:
        claimed_total = _sum([level.claimed for level in levels])
    computed_total = _sum([level.computed for level in levels]) if levels else claimed_total
    weight = _sum([level.weight for level in levels]) if levels else evaluation.claims.total_weight

    claimed_grade = evaluation.claims.grade
    reviewed_total = None
    if any(level.reviewed is not None for level in levels):
        reviewed_total = _sum(
            [level.reviewed if level.reviewed is not None else level.computed for level in levels]
        )
    return ScoreResult(
        reviewed_total=policy.round(reviewed_total) if reviewed_total is not None else None,
        reviewed_grade=policy.grade_of(reviewed_total) if reviewed_total is not None else None,
        policy=policy.name,
        granularity=granularity,
        indicators=scores,
        levels=levels,
        weight=weight,
        claimed_total=claimed_total,
        computed_total=policy.round(computed_total) if computed_total is not None else None,
        claimed_grade=claimed_grade,
        computed_grade=policy.grade_of(computed_total) if computed_total is not None else None,
        claimed_total_grade=policy.grade_of(claimed_total) if claimed_total is not None else None,
        execution_rate=policy.round(ctx.execution_rate) if ctx.execution_rate is not None else None,
        arrival_rate=policy.round(ctx.arrival_rate) if ctx.arrival_rate is not None else None,
        findings=findings,
    )


__all__ = ["funds_rate", "infer_rule", "level_key", "score_evaluation", "stage_total"]
