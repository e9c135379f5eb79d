"""Pension checks (养老保险复核): persons × standard against spending, level shares, the estimate
against the budget (预算编制科学性), outputs against targets.  Codes are documented in
docs/checks-pension.md; each check is a pure function ``(evaluation, ctx) -> list[Finding]``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypedDict, cast

from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation, Figure, Indicator, Source
from jixiao.numbers import comparable, convert
from jixiao.pension.block import Count, Program
from jixiao.pension.calculators import YUAN_PER_WAN, Amount, ratio_text, show, split_by_level
from jixiao.pension.estimate import NOT_CHECKABLE, Estimate, estimate
from jixiao.vocabulary import LEVEL_NAMES

RULE_POB = "人社部发〔2017〕59号；地方代缴文件"
RULE_BUDGET = "财预〔2020〕10号 附件2：预算编制科学性"
RULE_8 = "国发〔2014〕8号"


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agrees(printed: Decimal, computed: Decimal, slack: Decimal = Decimal(0)) -> bool:
    """True when ``computed`` matches ``printed`` within half a unit of its last printed place (+ slack)."""
    half = Decimal(5).scaleb(-(_places(printed) + 1))
    return abs(printed - computed) <= half + slack


def _slack(count: Count | None, standard: Decimal | None) -> Decimal:
    """万元 a rounded head count may move a cost (``14.94万人`` is ±50人)."""
    if count is None or standard is None:
        return Decimal(0)
    return count.tolerance * standard / YUAN_PER_WAN


def _level(level: str) -> str:
    return LEVEL_NAMES.get(level, "地方" if level == "local" else level)


def _pct(part: Decimal, whole: Decimal) -> str:
    return f"{show(part / whole * 100, 2)}%"


class Place(TypedDict):
    """Where a finding points: the field path and the printed source."""

    path: str
    source: Source | None


def where(evaluation: Evaluation, stage: str | None, level: str | None = None) -> Place:
    """Field path and printed source of a funds figure (the total, or the first line of ``level``)."""
    funds = evaluation.funds
    if stage is None:
        return {"path": "pension", "source": evaluation.source}
    if level is None:
        return {"path": f"funds.total.{stage}", "source": funds.total.sources.get(stage) or evaluation.source}
    for i, line in enumerate(funds.lines):
        if line.source.value == level:
            return {
                "path": f"funds.lines[{i}].{stage}",
                "source": line.sources.get(stage) or evaluation.source,
            }
    return {"path": f"pension.{stage}_by_level.{level}", "source": evaluation.source}


def _prepared(evaluation: Evaluation) -> Estimate | None:
    if evaluation.pension is None:
        return None
    est, _ = estimate(evaluation)
    return est


@check("pension.block-invalid", "pension.region-unknown", "pension.params-invalid", "pension.not-checkable")
def check_block(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """The pension block and its region parameters load, and the estimate can be made."""
    if evaluation.pension is None:
        return []
    est, problems = estimate(evaluation)
    out = list(problems)
    computed = (est.planned, est.actual, est.planned_range, est.actual_range) if est is not None else ()
    if est is not None and not problems and all(c is None for c in computed):
        reason = "；".join(est.notes) or "缺少人数"
        out.append(
            finding(NOT_CHECKABLE, Severity.info, f"养老保险信息不足，无法测算金额：{reason}", "pension")
        )
    return out


@check("pension.tiers-missing")
def check_tiers(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """A contribution-subsidy program without counts by tier can only be checked against a range."""
    est = _prepared(evaluation)
    if est is None or est.block.program is not Program.contribution_subsidy:
        return []
    if est.block.tiers or est.block.planned_tiers:
        return []
    table = est.params.subsidy
    return [
        finding(
            "pension.tiers-missing",
            Severity.info,
            f"未列出各缴费档次的参保缴费人数，只能按补贴表（{show(table.lowest)}—{show(table.highest)}元/人/年）"
            "检查人均补贴是否在范围内，无法逐档核算补贴金额",
            "pension.tiers",
            rule=table.source or RULE_8,
        )
    ]


@check("pension.spending-vs-persons")
def check_spending(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """Actual persons × standard (or the subsidy table) equals the spending."""
    est = _prepared(evaluation)
    if est is None or est.spent is None:
        return []
    spent = est.spent
    if est.actual is not None:
        slack = _slack(est.block.persons.actual, est.standard)
        if agrees(spent, est.actual.value, slack):
            return []
        diff = spent - est.actual.value
        return [
            finding(
                "pension.spending-vs-persons",
                Severity.error,
                f"实际支出 {show(spent)}万元 与按人数测算的 {est.actual.explanation} 不一致"
                f"（相差 {show(diff)}万元）",
                **where(evaluation, "spent"),
                expected=str(est.actual.value),
                actual=str(spent),
                rule=RULE_POB if est.block.program is Program.paid_on_behalf else RULE_8,
            )
        ]
    if est.actual_range is not None and est.block.persons.actual is not None:
        low, high = est.actual_range
        slack = _slack(est.block.persons.actual, est.params.subsidy.highest)
        if low.value - slack <= spent <= high.value + slack:
            return []
        persons = est.block.persons.actual.value
        average = spent * YUAN_PER_WAN / persons if persons else Decimal(0)
        return [
            finding(
                "pension.spending-vs-persons",
                Severity.error,
                f"实际支出 {show(spent)}万元 折合每位参保缴费人 {show(average, 2)}元，超出补贴表的范围"
                f"（{low.explanation}；{high.explanation}）",
                **where(evaluation, "spent"),
                expected=f"{low.value}—{high.value}",
                actual=str(spent),
                rule=est.params.subsidy.source or RULE_8,
            )
        ]
    return []


@check("pension.plan-vs-persons")
def check_plan(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """Planned persons × standard equals the planned spending (预算支出) printed."""
    est = _prepared(evaluation)
    if est is None or est.planned is None or est.planned_amount is None:
        return []
    slack = _slack(est.block.persons.planned, est.standard)
    if agrees(est.planned_amount, est.planned.value, slack):
        return []
    return [
        finding(
            "pension.plan-vs-persons",
            Severity.error,
            f"预算支出 {show(est.planned_amount)}万元 与按计划人数测算的 {est.planned.explanation} 不一致"
            f"（相差 {show(est.planned_amount - est.planned.value)}万元）",
            "funds.planned_spending",
            source=evaluation.source,
            expected=str(est.planned.value),
            actual=str(est.planned_amount),
            rule=RULE_BUDGET,
        )
    ]


def _expected_spent_by_level(est: Estimate) -> dict[str, Amount]:
    if est.block.program is Program.basic_pension:
        # only the central part is fixed by rule, and only from verified minimums
        if est.central_actual is None or not est.central_verified:
            return {}
        return {"central": est.central_actual}
    if est.actual_by_level:
        return dict(est.actual_by_level)
    if est.spent is not None and est.split_complete:
        return split_by_level(est.spent, est.split)
    return {}


@check("pension.split", "pension.central-share")
def check_split(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """Each level's spending matches its share (persons × its amount, or the total × its share)."""
    est = _prepared(evaluation)
    if est is None or not est.spent_by_level:
        return []
    expected = _expected_spent_by_level(est)
    out: list[Finding] = []
    for level, amount in expected.items():
        printed = est.spent_by_level.get(level)
        if printed is None:
            continue
        slack = _slack(est.block.persons.actual, est.split.get(level))
        if agrees(printed, amount.value, slack):
            continue
        code = "pension.central-share" if est.block.program is Program.basic_pension else "pension.split"
        basis = f"（{ratio_text(est.split)}）" if est.split else ""
        out.append(
            finding(
                code,
                Severity.error if code == "pension.split" else Severity.warning,
                f"{_level(level)}实际支出 {show(printed)}万元 与应承担的 {amount.explanation}{basis} 不一致"
                f"（相差 {show(printed - amount.value)}万元）",
                **where(evaluation, "spent", level),
                expected=str(amount.value),
                actual=str(printed),
                rule=RULE_POB if code == "pension.split" else RULE_8,
            )
        )
    return out


def _budget_finding(
    est: Estimate, label: str, budget: Decimal, amount: Amount, place: Place
) -> Finding | None:
    if agrees(budget, amount.value, _slack(est.block.persons.planned, est.standard)):
        return None
    diff = budget - amount.value
    share = abs(diff) / amount.value * 100 if amount.value else Decimal(100)
    severity = Severity.info if share <= est.params.checks.budget_tolerance else Severity.warning
    word = "多" if diff > 0 else "少"
    rate = f"（{show(share, 2)}%）" if amount.value else ""
    tolerance = show(est.params.checks.budget_tolerance)
    verdict = (
        f"在{tolerance}%容差内" if severity is Severity.info else f"超过{tolerance}%容差，预算编制与测算不符"
    )
    return finding(
        "pension.budget-estimate",
        severity,
        f"{label} {show(budget)}万元 比按计划人数测算的 {amount.explanation} {word} {show(abs(diff))}万元{rate}，"
        + verdict,
        **place,
        expected=str(amount.value),
        actual=str(budget),
        rule=RULE_BUDGET,
    )


@check("pension.budget-estimate")
def check_budget(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """The budget (total and by level) matches the estimate from the planned persons (预算编制科学性)."""
    est = _prepared(evaluation)
    if est is None:
        return []
    out: list[Finding] = []
    if est.budget is not None and est.planned is not None:
        hit = _budget_finding(
            est, est.budget_label, est.budget, est.planned, where(evaluation, est.budget_stage)
        )
        if hit is not None:
            out.append(hit)
    if est.budget is not None and est.planned_range is not None:
        low, high = est.planned_range
        if not low.value <= est.budget <= high.value:
            out.append(
                finding(
                    "pension.budget-estimate",
                    Severity.warning,
                    f"{est.budget_label} {show(est.budget)}万元 不在按补贴表测算的区间内"
                    f"（{low.explanation}；{high.explanation}）",
                    **where(evaluation, est.budget_stage),
                    expected=f"{low.value}—{high.value}",
                    actual=str(est.budget),
                    rule=RULE_BUDGET,
                )
            )
    for level, amount in est.planned_by_level.items():
        budget = est.budget_by_level.get(level)
        if budget is None:
            continue
        hit = _budget_finding(
            est,
            f"{_level(level)}{est.budget_label or '预算'}",
            budget,
            amount,
            where(evaluation, est.budget_stage, level) if est.budget_stage else where(evaluation, None),
        )
        if hit is not None:
            out.append(hit)
    return out


def _persons_of(figure: Figure | None) -> tuple[Decimal, Decimal] | None:
    """A printed figure in 人 or 万人 → (persons, tolerance)."""
    if figure is None or figure.value is None or not comparable(figure.unit or "人", "人"):
        return None
    unit = figure.unit or "人"
    value = convert(figure.value, unit, "人")
    factor = convert(Decimal(1), unit, "人")
    tolerance = Decimal(0) if factor == 1 else Decimal(5).scaleb(-(figure.places + 1)) * factor
    return value, tolerance


def persons_indicator(evaluation: Evaluation, wanted: str | None = None) -> tuple[int, Indicator] | None:
    """The indicator counting the program's persons: named in the block, else the first 人 / 万人 output."""
    for i, ind in enumerate(evaluation.indicators):
        if wanted is not None and wanted in (ind.id, ind.name):
            return i, ind
    if wanted is not None:
        return None
    candidates = [
        (i, ind)
        for i, ind in enumerate(evaluation.indicators)
        if ind.target is not None
        and ind.target.unit in ("人", "万人")
        and ("产出" in ind.level1 or "数量" in (ind.level2 or ""))
    ]
    return candidates[0] if candidates else None


@check("pension.output-vs-target")
def check_outputs(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """The persons indicator's target and actual agree with the block's planned and actual persons."""
    est = _prepared(evaluation)
    if est is None:
        return []
    found = persons_indicator(evaluation, est.block.indicator)
    if found is None:
        return []
    index, ind = found
    out: list[Finding] = []
    for what, figure, count, field in (
        ("年度指标值", ind.target, est.block.persons.planned, "target"),
        ("实际完成值", ind.actual, est.block.persons.actual, "actual"),
    ):
        parsed = _persons_of(figure)
        if parsed is None or count is None or figure is None:
            continue
        value, tolerance = parsed
        if abs(value - count.value) <= tolerance + count.tolerance:
            continue
        out.append(
            finding(
                "pension.output-vs-target",
                Severity.warning,
                f"指标“{ind.label}”的{what}“{figure.text or show(value)}”与养老保险信息中的人数 {count} 不一致",
                f"indicators[{index}].{field}",
                source=ind.source,
                expected=str(count.value),
                actual=str(value),
                rule="财预〔2020〕10号 附件1",
            )
        )
    return out


@check("pension.persons-below-plan")
def check_below_plan(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """Fewer persons than planned needs a stated reason (when no indicator carries the persons)."""
    est = _prepared(evaluation)
    if est is None:
        return []
    planned, actual = est.block.persons.planned, est.block.persons.actual
    if planned is None or actual is None or planned.value == 0:
        return []
    if actual.value + actual.tolerance + planned.tolerance >= planned.value:
        return []
    # with a persons indicator, the general check on 偏差原因 covers the gap
    if est.block.gap_reason or persons_indicator(evaluation, est.block.indicator) is not None:
        return []
    return [
        finding(
            "pension.persons-below-plan",
            Severity.info,
            f"实际人数 {actual} 为计划人数 {planned} 的 {_pct(actual.value, planned.value)}，未说明差距原因",
            "pension.persons.actual",
            expected=str(planned.value),
            actual=str(actual.value),
            rule="财预〔2020〕10号 附件1：偏差原因分析及改进措施",
        )
    ]


@check("pension.standard-below-minimum", "pension.minimum-unverified")
def check_minimum(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """A 基础养老金 standard is not below the central minimum in force (verified rows only)."""
    est = _prepared(evaluation)
    if est is None or est.block.program is not Program.basic_pension or est.year is None:
        return []
    rows = [
        r for r in est.params.basic_pension.minimum_by_month(est.year)[: est.block.months] if r is not None
    ]
    if not rows:
        return []
    top = max(rows, key=lambda r: r.amount)
    if not top.verified:
        return [
            finding(
                "pension.minimum-unverified",
                Severity.info,
                f"{est.year}年的中央最低基础养老金标准在参数表中标为待核实，未据此复核基础养老金标准与中央补助",
                "pension.year",
                rule=top.source,
            )
        ]
    standard = est.block.standard
    if standard is None or standard >= top.amount:
        return []
    return [
        finding(
            "pension.standard-below-minimum",
            Severity.error,
            f"基础养老金标准 {show(standard)}元/人/月 低于{est.year}年中央确定的最低标准 {show(top.amount)}元"
            f"（{top.source}）",
            "pension.standard",
            expected=str(top.amount),
            actual=str(standard),
            rule=top.source,
        )
    ]


@check("pension.group-cost")
def check_groups(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """Each group's printed amount equals its persons × its standard."""
    est = _prepared(evaluation)
    if est is None:
        return []
    out: list[Finding] = []
    for name, group in est.block.groups.items():
        standard = group.standard if group.standard is not None else est.standard
        if group.amount is None or group.actual is None or standard is None:
            continue
        computed = group.actual.value * standard / YUAN_PER_WAN
        if agrees(group.amount, computed, _slack(group.actual, standard)):
            continue
        out.append(
            finding(
                "pension.group-cost",
                Severity.error,
                f"{name}金额 {show(group.amount)}万元 与 {group.actual} × {show(standard)}元 = {show(computed)}万元 不一致",
                f"pension.groups.{name}.amount",
                expected=str(computed),
                actual=str(group.amount),
                rule=RULE_POB,
            )
        )
    return out


PENSION_CHECKS = (
    check_block,
    check_tiers,
    check_spending,
    check_plan,
    check_split,
    check_budget,
    check_outputs,
    check_below_plan,
    check_minimum,
    check_groups,
)


_PensionCheck = Callable[[Evaluation, CheckContext | None], list[Finding]]


def run_pension_checks(evaluation: Evaluation, ctx: CheckContext | None = None) -> list[Finding]:
    """Every pension check on one evaluation (the registry runs them one by one; the CLI uses this)."""
    if evaluation.pension is None:
        return []
    est, problems = estimate(evaluation)
    if est is None:
        return problems
    out: list[Finding] = []
    for fn in PENSION_CHECKS:
        # the pension checks read only the evaluation: they accept a missing context
        out.extend(cast(_PensionCheck, fn)(evaluation, ctx))
    return out
