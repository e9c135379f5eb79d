"""No declaration makes a review check crash: odd values anywhere give findings, never ``check.crashed``."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.checks.declaration import review_declaration
from jixiao.loader import load_declaration_data
from tests.checks.declaration_helpers import declaration_data

ODD_TEXT = [
    "", " ", "≥", "0", "-5%", "不适用", "无", "XXX", "*", "…", "≤0", "=0", "100%至120%", "0.6%至3%",
    "2026年13月", "2025年2月30日前", "12月31日前", "1e9万元", "≤1,000,000万元", "≥99.999%", "每季度1次",
    "次年3月", "≥6.3万人", "≤45万元", "88/100", "好", "优", "全年", "≤99%", "≥105%", "≥0户", "9" * 40,
]  # fmt: skip
FIELDS = ["target", "last_actual", "name", "level2", "unit", "basis", "explanation"]
NUMBERS = st.one_of(st.none(), st.decimals(min_value=-1, max_value=10**12, places=2, allow_nan=False))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from(FIELDS), st.sampled_from(ODD_TEXT)), max_size=8
    ),
    funds=st.fixed_dictionaries(
        {"annual_total": NUMBERS, "appropriation": NUMBERS, "other": NUMBERS, "medium_total": NUMBERS}
    ),
    goals=st.lists(st.sampled_from(ODD_TEXT), max_size=3),
    years=st.one_of(st.none(), st.integers(1, 50)),
)
def test_odd_declarations_never_crash_a_check(
    changes: list[tuple[int, str, str]], funds: dict[str, Any], goals: list[str], years: int | None
) -> None:
    data = declaration_data()
    for index, field, text in changes:
        data["annual"]["indicators"][index][field] = text or None
    data["funds"].update({k: (str(v) if v is not None else None) for k, v in funds.items()})
    if goals:
        data["annual"]["goals"] = goals
    data["period_years"] = years
    loaded = load_declaration_data(data)
    if loaded.declaration is None:  # refused by the model: nothing to review
        return
    audit = review_declaration(loaded.declaration)
    crashed = [f.message for f in audit.findings if f.code == "check.crashed"]
    assert not crashed, crashed
    assert 0 <= audit.result.total <= 100
