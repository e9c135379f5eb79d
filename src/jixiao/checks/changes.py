"""Year-on-year changes (与上年相比): the printed rate is the change over last year's amount."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.common import HUNDRED, amount_text, places_of
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Change, Evaluation


def _half(value: Decimal) -> Decimal:
    """Half a unit of the last printed decimal: how far a rounded figure may be from the truth."""
    return Decimal(5).scaleb(-(places_of(value) + 1))


def _previous(change: Change, da: int, db: int) -> tuple[Decimal, Decimal] | None:
    """Last year's amount and the change, each moved by ``da``/``db`` half units (None: unknown)."""
    assert change.amount is not None
    amount = change.amount + da * _half(change.amount)
    if change.before is not None:
        before = change.before + db * _half(change.before)
        return before, amount - before
    if change.delta is not None:
        delta = change.delta + db * _half(change.delta)
        return amount - delta, delta
    return None


def _bounds(change: Change) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest rate the printed amounts allow (each rounded as printed)."""
    rates = []
    for da in (-1, 1):
        for db in (-1, 1):
            pair = _previous(change, da, db)
            if pair is None or pair[0] <= 0:
                return None
            rates.append(pair[1] / pair[0] * HUNDRED)
    return min(rates), max(rates)


def _agrees(rate: Decimal, bounds: tuple[Decimal, Decimal], unit: Decimal) -> bool:
    """The printed rate is the computed one rounded (half a unit either way) or cut (up to a unit
    nearer zero), in the same direction."""
    low, high = bounds
    if low <= 0 <= high:  # no change within rounding: only a rate of about nothing agrees
        return abs(rate) <= max(abs(low), abs(high)) + unit / 2
    if (rate > 0) != (low > 0):
        return False
    small, large = sorted((abs(low), abs(high)))
    return small - unit <= abs(rate) <= large + unit / 2


def _undefined(change: Change, index: int) -> Finding:
    """A rate printed over a last year of nothing: 0 to X is no 100% increase."""
    printed = f"{'增长' if change.rate > 0 else '下降'}{amount_text(abs(change.rate), change.places)}%"
    return finding(
        "text.change-rate",
        Severity.error,
        f"“{change.label}”上年数为0，增减幅度无从计算，文中却印为{printed}",
        f"funds.changes[{index}]",
        source=change.source,
        expected="无法计算（上年数为0）",
        actual=change.rate,
        rule="增减幅度 = 增减额 / 上年数；上年数为0时不计算幅度",
    )


@check("text.change-rate")
def change_rate(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """“X万元，比上年增加D万元，增长R%”: R is D over last year's X − D (or over last year's printed
    amount); a rate rounded, or cut to its printed places, agrees."""
    out: list[Finding] = []
    for i, change in enumerate(evaluation.funds.changes):
        pair = _previous(change, 0, 0) if change.amount is not None else None
        if pair is not None and pair[0] == 0 and change.rate:
            out.append(_undefined(change, i))
            continue
        bounds = _bounds(change) if pair is not None else None
        if bounds is None:
            continue
        unit = Decimal(1).scaleb(-change.places)
        if _agrees(change.rate, bounds, unit):
            continue
        assert pair is not None and change.amount is not None
        before, delta = pair
        computed = delta / before * HUNDRED
        word, verb = ("增长", "增加") if delta > 0 else ("下降", "减少")
        printed = f"{'增长' if change.rate > 0 else '下降'}{amount_text(abs(change.rate), change.places)}%"
        out.append(
            finding(
                "text.change-rate",
                Severity.error,
                f"“{change.label}”{amount_text(change.amount)}万元，比上年{amount_text(before)}万元{verb}{amount_text(abs(delta))}万元，"
                f"{word}幅度应为{amount_text(abs(delta))} / {amount_text(before)} = {amount_text(abs(computed))}%，文中印为{printed}",
                f"funds.changes[{i}]",
                source=change.source,
                expected=computed.quantize(Decimal("0.01")),
                actual=change.rate,
                rule="增减幅度 = 增减额 / 上年数",
            )
        )
    return out
