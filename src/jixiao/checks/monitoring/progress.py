"""Progress and its explanation (偏差分析): lagging items without causes or measures, a forecast
short of the target while the unit says 确定能, a cut-off that has not come yet."""

from __future__ import annotations

from jixiao.checks.monitoring.common import indicator_place, mon_finding, pct, shortfall
from jixiao.checks.monitoring.registry import MonitoringContext, monitoring_check
from jixiao.checks.monitoring.warning import warn
from jixiao.findings import Finding, Severity
from jixiao.monitoring import Light, Likelihood, Monitoring


@monitoring_check("mon.certain-but-short")
def certain_but_short(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """全年预计完成值 below the 年度指标值 while 完成目标可能性 says 确定能."""
    out = []
    for i, ind in enumerate(monitoring.indicators):
        if ind.likelihood is not Likelihood.certain:
            continue
        short = shortfall(ind, ind.forecast)
        if not short:
            continue
        out.append(
            mon_finding(
                "mon.certain-but-short",
                Severity.warning,
                f"“{ind.label}”全年预计完成值{ind.forecast.text if ind.forecast else ''}"
                f"未达到年度指标值{ind.target.text if ind.target else ''}（差{pct(short)}），"
                "完成目标可能性却填“确定能”：两者应一致",
                f"indicators[{i}].likelihood",
                place=indicator_place(i, ind),
                source=ind.source,
                expected="有可能 或 完全不可能",
                actual="确定能",
            )
        )
    return out


def _lagging(monitoring: Monitoring, ctx: MonitoringContext) -> tuple[bool, list[int]]:
    """Whether the budget execution lags (yellow or red) and which indicators do."""
    result = ctx.warning or warn(monitoring, ctx.policy)
    return result.funds.light is not Light.green, [
        i.index for i in result.indicators if i.light is not Light.green
    ]


@monitoring_check("mon.no-cause")
def no_cause(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """A lagging item (a yellow or red light) with no 偏差原因."""
    funds_lag, lagging = _lagging(monitoring, ctx)
    out = []
    for i in lagging:
        ind = monitoring.indicators[i]
        if ind.causes or monitoring.causes:
            continue
        out.append(
            mon_finding(
                "mon.no-cause",
                Severity.warning,
                f"“{ind.label}”进度滞后（亮灯），未填写偏差原因：应按经费保障、制度保障、人员保障、"
                "硬件条件保障、其他分类说明原因",
                f"indicators[{i}].causes",
                place=indicator_place(i, ind),
                source=ind.source,
                expected="偏差原因",
                actual="空",
            )
        )
    if funds_lag and not monitoring.causes and not any(ind.causes for ind in monitoring.indicators):
        out.append(
            mon_finding(
                "mon.no-cause",
                Severity.warning,
                "预算执行进度滞后（亮灯），未填写偏差原因：应说明执行慢的原因（资金未到位、项目未启动、"
                "采购未完成等）",
                "causes",
                place="预算执行情况",
                expected="偏差原因",
                actual="空",
            )
        )
    return out


@monitoring_check("mon.no-measures")
def no_measures(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """A lagging item (a yellow or red light) with no 纠偏措施."""
    funds_lag, lagging = _lagging(monitoring, ctx)
    out = []
    for i in lagging:
        ind = monitoring.indicators[i]
        if (ind.measures and ind.measures.strip()) or (monitoring.measures and monitoring.measures.strip()):
            continue
        out.append(
            mon_finding(
                "mon.no-measures",
                Severity.warning,
                f"“{ind.label}”进度滞后（亮灯），未填写纠偏措施：应写明下一步怎样保证完成目标",
                f"indicators[{i}].measures",
                place=indicator_place(i, ind),
                source=ind.source,
                expected="纠偏措施",
                actual="空",
            )
        )
    has_any = bool(monitoring.measures and monitoring.measures.strip()) or any(
        ind.measures and ind.measures.strip() for ind in monitoring.indicators
    )
    if funds_lag and not has_any:
        out.append(
            mon_finding(
                "mon.no-measures",
                Severity.warning,
                "预算执行进度滞后（亮灯），未填写纠偏措施：应写明加快执行的措施",
                "measures",
                place="预算执行情况",
                expected="纠偏措施",
                actual="空",
            )
        )
    return out


@monitoring_check("mon.cutoff-future")
def cutoff_future(monitoring: Monitoring, ctx: MonitoringContext) -> list[Finding]:
    """A cut-off month that has not ended yet (a 1—9月 report filed in June)."""
    year = monitoring.year
    if year is None:
        return []
    today = ctx.today
    if (year, monitoring.cutoff_month) < (today.year, today.month):
        return []
    if year == today.year and monitoring.cutoff_month == today.month:
        return []  # the month in progress: a report on its last days is normal
    return [
        mon_finding(
            "mon.cutoff-future",
            Severity.error,
            f"监控截止到{year}年{monitoring.cutoff_month}月底，而今天是{today.year}年{today.month}月"
            f"{today.day}日：截止月份还没有到，执行数和完成值不可能是实际数",
            "cutoff_month",
            place="监控期间",
            expected=f"不晚于{today.year}年{today.month}月",
            actual=f"{year}年{monitoring.cutoff_month}月",
        )
    ]
