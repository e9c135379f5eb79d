"""Year-on-year changes (与上年相比): the printed rate is the change over last year's amount."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.common import HUNDRED, num, places_of
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Change, Evaluation


def _half(value: Decimal) -> Decimal:
    """Half a unit of the last printed decimal: how far a rounded figure may be from the truth."""
    return Decimal(5).scaleb(-(places_of(value) + 1))


def _bounds(change: Change) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest rate the printed amount and change allow (each rounded as printed)."""
    assert change.amount is not None
    rates = []
    for da in (-1, 1):
        for dd in (-1, 1):
            amount = change.amount + da * _half(change.amount)
            delta = change.delta + dd * _half(change.delta)
            before = amount - delta
            if before <= 0:
                return None
            rates.append(delta / before * HUNDRED)
    return min(rates), max(rates)


@check("text.change-rate")
def change_rate(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """“X万元，比上年增加D万元，增长R%”: R is D over last year's X − D (rounded as printed)."""
    out: list[Finding] = []
    for i, change in enumerate(evaluation.funds.changes):
        if change.amount is None or not change.delta:
            continue
        bounds = _bounds(change)
        if bounds is None:
            continue
        unit = Decimal(1).scaleb(-change.places)  # a rate cut instead of rounded is no contradiction
        low, high = bounds[0] - unit, bounds[1] + unit
        if low <= change.rate <= high:
            continue
        before = change.amount - change.delta
        computed = change.delta / before * HUNDRED
        word = "增长" if change.delta > 0 else "下降"
        out.append(
            finding(
                "text.change-rate",
                Severity.error,
                f"“{change.label}”{num(change.amount)}万元，比上年{'增加' if change.delta > 0 else '减少'}"
                f"{num(abs(change.delta))}万元，{word}幅度应为{num(abs(change.delta))} / 上年{num(before)} = "
                f"{num(abs(computed))}%，文中印为{word}{num(abs(change.rate), change.places)}%",
                f"funds.changes[{i}]",
                source=change.source,
                expected=computed.quantize(Decimal("0.01")),
                actual=change.rate,
                rule="增减幅度 = 增减额 / 上年数",
            )
        )
    return out
