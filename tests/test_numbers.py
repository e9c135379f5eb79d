"""Parsing and printing Chinese figures."""

from decimal import Decimal

import pytest

from jixiao.numbers import (
    convert,
    format_amount,
    format_percent,
    format_quantity,
    matches_printed,
    parse_decimal,
    parse_quantity,
    printed_places,
    to_wan,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparison"),
    [
        ("116.11万人", "116.11", "万人", None),
        ("2536万元", "2536", "万元", None),
        ("≥90%", "90", "%", ">="),
        ("≧95％", "95", "%", ">="),
        ("＞=95%", "95", "%", ">="),
        (">=95%", "95", "%", ">="),
        ("═100%", "100", "%", "="),
        ("≤90万元", "90", "万元", "<="),
        ("=100%", "100", "%", "="),
        ("12月底前完成", "12", "月", "<="),
        ("100元/人", "100", "元/人", None),
        ("１２３个", "123", "个", None),
        ("1,234.50元", "1234.50", "元", None),
        ("入口补每年116.11万人", "116.11", "万人", None),
        ("90%以上", "90", "%", ">="),
        ("不低于95%", "95", "%", ">="),
        ("-3.5%", "-3.5", "%", None),
    ],
)
def test_parse_quantity(text: str, value: str, unit: str | None, comparison: str | None) -> None:
    q = parse_quantity(text)
    assert q.value == Decimal(value)
    assert q.unit == unit
    assert q.comparison == comparison


def test_range() -> None:
    q = parse_quantity("0.6%至3%")
    assert (q.value, q.upper, q.unit, q.comparison) == (Decimal("0.6"), Decimal("3"), "%", "range")


@pytest.mark.parametrize("text", ["严格按照标准发放到位", "提高保障质量和水平", "", "   "])
def test_non_numeric(text: str) -> None:
    assert parse_quantity(text).value is None


def test_parse_decimal() -> None:
    assert parse_decimal("1,234.5") == Decimal("1234.5")
    assert parse_decimal("９３.１３％") == Decimal("93.13")
    assert parse_decimal("abc") is None
    assert parse_decimal(None) is None
    assert parse_decimal(True) is None


def test_units() -> None:
    assert to_wan(Decimal("25360000"), "元") == Decimal("2536")
    assert to_wan(Decimal("2536"), None) == Decimal("2536")
    assert convert(Decimal("108.13"), "万人", "人") == Decimal("1081300")
    with pytest.raises(ValueError, match="不能换算"):
        convert(Decimal(1), "万元", "人")


def test_precision() -> None:
    assert printed_places("93.13%") == 2
    assert printed_places("100.1%") == 1
    assert matches_printed(Decimal("100.1"), Decimal("100.128"), 1)
    assert not matches_printed(Decimal("80.28"), Decimal("74.02"), 2)
    assert matches_printed(Decimal("2.80"), Decimal("2.7966"), 2)


def test_format() -> None:
    assert format_amount(Decimal("2364.01")) == "2364.01万元"
    assert format_percent(Decimal("93.1263")) == "93.13%"
    assert format_percent(Decimal("0.125")) == "0.13%"  # half up, not banker's
    for text in ["≥90%", "≤90万元", "0.6%至3%", "12月底前"]:
        assert format_quantity(parse_quantity(text)) == text


def test_dates_done_and_months_due() -> None:
    """A date a thing was done (“次年2月完成”) and a month a target is due (“10月底”)."""
    done = parse_quantity("次年2月完成")
    assert (done.value, done.unit, done.comparison) == (Decimal(14), "月", None)
    due = parse_quantity("10月底")
    assert (due.value, due.unit, due.comparison) == (Decimal(10), "月", "<=")
    assert parse_quantity("1-12月").comparison == "range"
    assert parse_quantity("3个月内完成").unit == "个月"


def test_deadline_in_the_following_year_is_later() -> None:
    from jixiao.numbers import format_quantity, parse_quantity

    december, january = parse_quantity("12月底前完成"), parse_quantity("次年1月底前完成")
    assert december.value is not None and january.value is not None and january.value > december.value
    assert format_quantity(january) == "次年1月底前"
    assert parse_quantity("下一年度3月底前").value == 15
    assert parse_quantity("下半年10月底前").value == 10
