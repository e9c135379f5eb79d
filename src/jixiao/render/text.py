"""Text and figures as documents print them: labels, plain decimals, XML-safe strings."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Evaluation, FundSource
from jixiao.numbers import format_percent, format_score
from jixiao.vocabulary import FUND_SOURCE_NAMES

NO_DATA = "报告未提供相关内容。"

# The three rows the official form prints under 年度资金总额 (财预〔2020〕10号 附件1).
STANDARD_FUND_ROWS = (FundSource.appropriation, FundSource.carryover, FundSource.other)


def plain(value: Decimal | None) -> str:
    """A decimal exactly as held — ``671.214`` stays ``671.214``, ``5838`` stays ``5838``."""
    if value is None:
        return ""
    return f"{value:f}"


def score_text(value: Decimal | None) -> str:
    """A computed score with two decimals, or "" when there is none."""
    return "" if value is None else format_score(value)


def percent_text(value: Decimal | None) -> str:
    """A computed rate in percent with two decimals, or "" when there is none."""
    return "" if value is None else format_percent(value)


def fund_label(source: FundSource, label: str | None) -> str:
    """The row label of a fund line: as printed, else the standard name of its source."""
    return label or FUND_SOURCE_NAMES[source]


def year_text(evaluation: Evaluation) -> str:
    """``2020年度`` or ``____年度`` when the year is unknown."""
    return f"{evaluation.year}年度" if evaluation.year else "    年度"
