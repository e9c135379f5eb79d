"""Invariants of the calculators (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.pension import calculators as calc

persons = st.integers(min_value=0, max_value=10_000_000)
standards = st.integers(min_value=0, max_value=5000).map(Decimal)


@given(persons, standards, standards)
def test_level_costs_add_up_to_the_whole(n: int, a: Decimal, b: Decimal) -> None:
    levels = calc.level_costs(n, {"municipal": a, "county": b})
    whole = calc.persons_cost(n, a + b)
    assert levels["municipal"].value + levels["county"].value == whole.value


@given(st.decimals(min_value=0, max_value=100000, places=4), standards, standards)
def test_split_parts_add_up_within_a_yuan(total: Decimal, a: Decimal, b: Decimal) -> None:
    if a + b == 0:
        return
    parts = calc.split_by_level(total, {"municipal": a, "county": b})
    assert abs(sum(p.value for p in parts.values()) - total) <= Decimal("0.0001")


@given(persons, persons, standards)
def test_more_persons_never_cost_less(n: int, m: int, s: Decimal) -> None:
    low, high = sorted((n, m))
    assert calc.persons_cost(low, s).value <= calc.persons_cost(high, s).value


@given(st.integers(min_value=0, max_value=10_000_000).map(Decimal))
def test_account_pension_times_139_is_the_balance(balance: Decimal) -> None:
    monthly = calc.account_pension(balance).value
    assert abs(monthly * 139 - balance) <= Decimal("0.005") * 139
