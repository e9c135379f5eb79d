"""Figures that cannot both be true (数据逻辑): amounts and progress of one monitoring report."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.monitoring.common import (
    RATE_TOLERANCE,
    comparable,
    fund_name,
    indicator_place,
    lower_is_better,
    mon_finding,
    number_text,
    pct,
    rate,
)
from jixiao.checks.monitoring.registry import MonitoringContext, monitoring_check
from jixiao.findings import Finding, Severity
from jixiao.model import Comparison, Direction
from jixiao.monitoring import Monitoring

FORM = "项目支出绩效目标执行监控表填报要求"


@monitoring_check("mon.spent-over-budget")
def spent_over_budget(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """1–N月执行数 above the year's budget: money spent that was never budgeted."""
    out = []
    for i, row in enumerate(monitoring.funds):
        if row.spent is None or row.budget is None or row.spent <= row.budget:
            continue
        out.append(
            mon_finding(
                "mon.spent-over-budget",
                Severity.error,
                f"{fund_name(row)}1—{monitoring.cutoff_month}月执行数{number_text(row.spent)}万元"
                f"超过年初预算数{number_text(row.budget)}万元：执行数不能超过预算，核对单位（元 / 万元）或是否含上年结转",
                f"funds[{i}].spent",
                place=f"预算执行情况 / {fund_name(row)}",
                source=row.sources.get("spent"),
                expected=f"≤{number_text(row.budget)}",
                actual=number_text(row.spent),
                rule=FORM,
            )
        )
    return out


@monitoring_check("mon.spent-above-forecast")
def spent_above_forecast(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """1–N月执行数 above 全年预计执行数: the year cannot spend less than it has spent."""
    out = []
    for i, row in enumerate(monitoring.funds):
        if row.spent is None or row.forecast is None or row.spent <= row.forecast:
            continue
        out.append(
            mon_finding(
                "mon.spent-above-forecast",
                Severity.error,
                f"{fund_name(row)}1—{monitoring.cutoff_month}月执行数{number_text(row.spent)}万元"
                f"大于全年预计执行数{number_text(row.forecast)}万元：全年预计不能少于已执行的数",
                f"funds[{i}].forecast",
                place=f"预算执行情况 / {fund_name(row)}",
                source=row.sources.get("forecast"),
                expected=f"≥{number_text(row.spent)}",
                actual=number_text(row.forecast),
                rule=FORM,
            )
        )
    return out


@monitoring_check("mon.rate-mismatch", "mon.rate-on-available")
def printed_rate(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """A printed 执行率 that is not 执行数 ÷ 年初预算数; named apart when it is 执行数 ÷ 到位数
    (a “使用率100%” where a quarter of the budget is spent)."""
    out = []
    for i, row in enumerate(monitoring.funds):
        printed = row.rate.value if row.rate is not None else None
        on_budget = rate(row.spent, row.budget)
        if printed is None or on_budget is None or abs(printed - on_budget) <= RATE_TOLERANCE:
            continue
        on_available = rate(row.spent, row.available)
        place = f"预算执行情况 / {fund_name(row)}"
        if on_available is not None and abs(printed - on_available) <= RATE_TOLERANCE:
            out.append(
                mon_finding(
                    "mon.rate-on-available",
                    Severity.warning,
                    f"{fund_name(row)}执行率填报{pct(printed)}，是执行数÷到位数；执行率应为执行数÷年初预算数"
                    f"＝{number_text(row.spent or Decimal(0))}÷{number_text(row.budget or Decimal(0))}＝{pct(on_budget)}，"
                    "按到位数计算会掩盖资金拨付和支出的滞后",
                    f"funds[{i}].rate",
                    place=place,
                    source=row.sources.get("rate"),
                    expected=pct(on_budget),
                    actual=pct(printed),
                )
            )
            continue
        out.append(
            mon_finding(
                "mon.rate-mismatch",
                Severity.warning,
                f"{fund_name(row)}执行率填报{pct(printed)}，按执行数÷年初预算数"
                f"＝{number_text(row.spent or Decimal(0))}÷{number_text(row.budget or Decimal(0))}计算为{pct(on_budget)}",
                f"funds[{i}].rate",
                place=place,
                source=row.sources.get("rate"),
                expected=pct(on_budget),
                actual=pct(printed),
                rule=FORM,
            )
        )
    return out


@monitoring_check("mon.done-above-forecast")
def done_above_forecast(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """An indicator's 1–N月完成值 beyond its 全年预计完成值 (a cumulative count cannot fall by
    year-end). Rates and reverse indicators are left alone: they may move either way."""
    out = []
    for i, ind in enumerate(monitoring.indicators):
        pair = comparable(ind.to_date, ind.forecast)
        if pair is None or lower_is_better(ind) or ind.direction is Direction.equal:
            continue
        if ind.target is not None and ind.target.comparison is Comparison.eq:
            continue
        units = {f.unit for f in (ind.to_date, ind.forecast, ind.target) if f is not None and f.unit}
        if "%" in units:
            continue
        done, forecast = pair
        if done <= forecast:
            continue
        out.append(
            mon_finding(
                "mon.done-above-forecast",
                Severity.error,
                f"“{ind.label}”1—{monitoring.cutoff_month}月完成值{ind.to_date.text if ind.to_date else ''}"
                f"大于全年预计完成值{ind.forecast.text if ind.forecast else ''}：累计数到年底不会变少，两者不能同时成立",
                f"indicators[{i}].forecast",
                place=indicator_place(i, ind),
                source=ind.source,
                expected=f"≥{number_text(done)}",
                actual=number_text(forecast),
                rule=FORM,
            )
        )
    return out
