"""Invariants of scoring, checked with hypothesis."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import api
from jixiao.model import Evaluation, Indicator
from jixiao.scoring import score_evaluation

POLICY = api.get_policy()
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)
weights = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("30"), places=1)


def _score(weight: Decimal, target: Decimal, actual: Decimal, sign: str) -> Decimal:
    ind = Indicator(level1="产出指标", weight=weight, target=f"{sign}{target}", actual=str(actual))  # type: ignore[arg-type]
    ev = Evaluation(kind="self", project={"name": "p"}, indicators=[ind])  # type: ignore[arg-type]
    computed = score_evaluation(ev, POLICY).indicators[0].computed
    assert computed is not None
    return computed


@settings(max_examples=200, deadline=None)
@given(weight=weights, target=amounts, actual=amounts, sign=st.sampled_from(["≥", "≤", "=", ""]))
def test_score_within_zero_and_weight(weight: Decimal, target: Decimal, actual: Decimal, sign: str) -> None:
    assert Decimal(0) <= _score(weight, target, actual, sign) <= weight


@settings(max_examples=200, deadline=None)
@given(weight=weights, target=amounts, a=amounts, b=amounts)
def test_more_completion_never_lowers_higher_nor_raises_lower(
    weight: Decimal, target: Decimal, a: Decimal, b: Decimal
) -> None:
    low, high = min(a, b), max(a, b)
    assert _score(weight, target, low, "≥") <= _score(weight, target, high, "≥")
    assert _score(weight, target, low, "≤") >= _score(weight, target, high, "≤")


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(["产出指标", "效益指标", "满意度指标"]), weights, amounts, amounts),
        min_size=1,
        max_size=12,
    )
)
def test_level_sums_equal_the_total(lines: list[tuple[str, Decimal, Decimal, Decimal]]) -> None:
    indicators = [
        Indicator(level1=level, weight=w, target=str(t), actual=str(a))  # type: ignore[arg-type]
        for level, w, t, a in lines
    ]
    ev = Evaluation(kind="self", project={"name": "p"}, indicators=indicators)  # type: ignore[arg-type]
    result = score_evaluation(ev, POLICY)
    level_sum = sum((lv.computed or Decimal(0) for lv in result.levels), Decimal(0))
    line_sum = sum((s.computed or Decimal(0) for s in result.indicators), Decimal(0))
    assert result.computed_total == level_sum == line_sum
    assert result.computed_grade == POLICY.grade_of(level_sum)


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_grade_is_the_band_of_the_total(total: Decimal) -> None:
    grade = POLICY.grade_of(total)
    expected = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    assert grade == expected
