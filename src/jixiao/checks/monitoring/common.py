"""Helpers shared by the monitoring checks and the warning: figures, rates, shortfalls, places."""

from __future__ import annotations

from decimal import Decimal

from jixiao.findings import Finding, Location, Severity, finding
from jixiao.model import Comparison, Direction, Figure, Source
from jixiao.monitoring import MonitoredFunds, MonitoredIndicator
from jixiao.numbers import format_number
from jixiao.vocabulary import FUND_SOURCE_NAMES

HUNDRED = Decimal(100)
RULE_136 = "财预〔2019〕136号"
RATE_TOLERANCE = Decimal(1)  # points: a printed 执行率 within this of spent/budget agrees


def rate(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100, None when either is missing or the whole is not positive."""
    if part is None or whole is None or whole <= 0:
        return None
    return part * HUNDRED / whole


def pct(value: Decimal) -> str:
    """``37.5%``: a rate for messages."""
    return f"{format_number(value, 2, trim=True)}%"


def number_text(value: Decimal) -> str:
    """A number for messages, trailing zeros trimmed."""
    return format_number(value, 2, trim=True)


def lower_is_better(ind: MonitoredIndicator) -> bool:
    """True for a reverse indicator (≤ / 反向): a forecast above the target falls short."""
    if ind.direction is Direction.lower:
        return True
    cmp = ind.target.comparison if ind.target is not None else None
    return cmp in {Comparison.le, Comparison.lt}


def comparable(a: Figure | None, b: Figure | None) -> tuple[Decimal, Decimal] | None:
    """The values of two figures when both are numbers in the same unit (or one has no unit)."""
    if a is None or b is None or a.value is None or b.value is None:
        return None
    if a.unit and b.unit and a.unit != b.unit:
        return None
    return a.value, b.value


def shortfall(ind: MonitoredIndicator, reached: Figure | None) -> Decimal | None:
    """How far ``reached`` falls short of the target, as a share of the target (%); 0 when it
    reaches it; None when they cannot be compared (text, other units, no target)."""
    pair = comparable(ind.target, reached)
    if pair is None:
        return None
    target, value = pair
    if ind.direction is Direction.equal or (ind.target and ind.target.comparison is Comparison.eq):
        gap = abs(target - value)
    elif lower_is_better(ind):
        gap = value - target
    else:
        gap = target - value
    if gap <= 0:
        return Decimal(0)
    if target == 0:
        return HUNDRED
    return gap * HUNDRED / abs(target)


def fund_name(row: MonitoredFunds) -> str:
    """How a row of 预算执行情况 is named: its printed label, else the source's name."""
    return row.label or FUND_SOURCE_NAMES.get(row.source.value, row.source.value)


def indicator_place(i: int, ind: MonitoredIndicator) -> str:
    """``绩效指标 / 产出指标 / 数量指标 / 参保人数``."""
    parts = [p for p in (ind.level1, ind.level2, ind.name) if p]
    return " / ".join(["绩效指标", *parts])


def mon_finding(
    code: str,
    severity: Severity,
    message: str,
    path: str = "",
    *,
    place: str = "",
    source: Source | None = None,
    expected: object = None,
    actual: object = None,
    rule: str | None = RULE_136,
) -> Finding:
    """A finding on a monitoring report, its place given in Chinese."""
    made = finding(code, severity, message, path, source=source, expected=expected, actual=actual, rule=rule)
    return made.model_copy(update={"location": Location(path=path, place=place, source=source)})
