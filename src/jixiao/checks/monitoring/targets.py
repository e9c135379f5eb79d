"""The report against its approved targets (批复的绩效目标): a target or a budget changed without an
adjustment record, an approved indicator left out. These run only when the declaration is given.
Also: a monitoring report prefilled from the approved targets."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.checks.monitoring.common import fund_name, indicator_place, mon_finding, number_text
from jixiao.checks.monitoring.registry import MonitoringContext, monitoring_check
from jixiao.declaration import Declaration, TargetIndicator
from jixiao.findings import Finding, Severity
from jixiao.model import FundSource
from jixiao.monitoring import Decision, MonitoredFunds, MonitoredIndicator, Monitoring

RULE = "财预〔2019〕136号：绩效目标确需调整的，按程序报批"


def _key(text: str | None) -> str:
    return re.sub(r"[\s（）()：:、，,。.“”\"'/／-]", "", text or "")


def _label(ind: TargetIndicator | MonitoredIndicator) -> str:
    return ind.name or ind.level2 or ind.level1


def _approved(declaration: Declaration) -> list[TargetIndicator]:
    return list(declaration.annual.indicators)


def _match(ind: MonitoredIndicator, approved: list[TargetIndicator]) -> TargetIndicator | None:
    if ind.id:
        for a in approved:
            if a.id == ind.id:
                return a
    key = _key(ind.label)
    same = [a for a in approved if _key(_label(a)) == key]
    if len(same) > 1 and ind.level2:
        same = [a for a in same if _key(a.level2) == _key(ind.level2)] or same
    return same[0] if same else None


def _adjusted(monitoring: Monitoring) -> bool:
    return any(c.decision is Decision.adjust for c in monitoring.corrections)


def _same_target(a: MonitoredIndicator, b: TargetIndicator) -> bool:
    x, y = a.target, b.target
    if x is None or y is None:
        return x is None and y is None
    if x.value is not None and y.value is not None:
        return x.value == y.value and (not x.unit or not y.unit or x.unit == y.unit)
    return _key(x.text) == _key(y.text)


@monitoring_check("mon.target-changed")
def target_changed(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """A 年度指标值 not the one approved, with no adjustment record on the indicator or a 调整
    decision on the report."""
    if ctx.declaration is None or _adjusted(monitoring):
        return []
    approved = _approved(ctx.declaration)
    out = []
    for i, ind in enumerate(monitoring.indicators):
        match = _match(ind, approved)
        if match is None or ind.adjustment or ind.target is None or _same_target(ind, match):
            continue
        was = match.target.text if match.target is not None else "空"
        out.append(
            mon_finding(
                "mon.target-changed",
                Severity.error,
                f"“{ind.label}”监控表的年度指标值为{ind.target.text}，批复的绩效目标为{was}，"
                "没有调整记录：目标确需调整的应按程序报批，并在监控表中注明调整依据",
                f"indicators[{i}].target",
                place=indicator_place(i, ind),
                source=ind.source,
                expected=was,
                actual=ind.target.text,
                rule=RULE,
            )
        )
    return out


@monitoring_check("mon.indicator-dropped")
def indicator_dropped(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """An approved annual indicator that the report leaves out."""
    if ctx.declaration is None or not monitoring.indicators or _adjusted(monitoring):
        return []
    approved = _approved(ctx.declaration)
    matched = {id(m) for ind in monitoring.indicators if (m := _match(ind, approved)) is not None}
    out = []
    for j, a in enumerate(approved):
        if id(a) in matched:
            continue
        parts = [p for p in (a.level1, a.level2, a.name) if p]
        out.append(
            mon_finding(
                "mon.indicator-dropped",
                Severity.warning,
                f"批复的年度指标“{'/'.join(parts)}”（{a.target.text if a.target else '无指标值'}）"
                "没有出现在监控表中：每项批复的指标都应报告完成进度",
                f"indicators[{len(monitoring.indicators) + j}]",
                place="绩效指标",
                expected="/".join(parts),
                actual="无",
                rule=RULE,
            )
        )
    return out


def _wan(declaration: Declaration, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value / Decimal(10000) if declaration.funds.unit == "元" else value


@monitoring_check("mon.budget-changed")
def budget_changed(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """A 年初预算数 (total row) not the approved 年度资金总额, with no 调整 decision."""
    if ctx.declaration is None or _adjusted(monitoring):
        return []
    total = monitoring.total()
    approved = _wan(ctx.declaration, ctx.declaration.funds.annual_total)
    if total is None or total.budget is None or approved is None or total.budget == approved:
        return []
    i = monitoring.funds.index(total)
    return [
        mon_finding(
            "mon.budget-changed",
            Severity.warning,
            f"{fund_name(total)}年初预算数{number_text(total.budget)}万元，与申报批复的年度资金总额"
            f"{number_text(approved)}万元不一致，没有调整记录：预算调整后应注明依据",
            f"funds[{i}].budget",
            place=f"预算执行情况 / {fund_name(total)}",
            source=total.sources.get("budget"),
            expected=number_text(approved),
            actual=number_text(total.budget),
            rule=RULE,
        )
    ]


def monitoring_from_declaration(declaration: Declaration, cutoff_month: int) -> Monitoring:
    """A monitoring report prefilled from the approved targets: the project, the year, 年初预算数 by
    source and every annual indicator with its 年度指标值; the progress is left for the unit."""
    funds = declaration.funds
    rows = [MonitoredFunds(source=FundSource.total, budget=_wan(declaration, funds.annual_total))]
    if funds.appropriation is not None:
        rows.append(
            MonitoredFunds(source=FundSource.appropriation, budget=_wan(declaration, funds.appropriation))
        )
    if funds.carryover is not None:
        rows.append(MonitoredFunds(source=FundSource.carryover, budget=_wan(declaration, funds.carryover)))
    if funds.other is not None:
        rows.append(
            MonitoredFunds(source=FundSource.other, label="其他资金", budget=_wan(declaration, funds.other))
        )
    indicators = [
        MonitoredIndicator(
            id=a.id,
            level1=a.level1,
            level2=a.level2,
            name=a.name,
            direction=a.direction,
            target=a.target.model_copy(update={"source": None}) if a.target is not None else None,
        )
        for a in declaration.annual.indicators
    ]
    return Monitoring(
        year=declaration.year,
        cutoff_month=cutoff_month,
        project=declaration.project.model_copy(),
        funds=rows,
        indicators=indicators,
    )
