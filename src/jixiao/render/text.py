"""Text and figures as documents print them: labels, plain decimals, XML-safe strings."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.model import Evaluation, FundSource, Kind
from jixiao.numbers import format_percent, format_score

NO_DATA = "报告未提供相关内容。"

KIND_LABELS = {Kind.self: "单位自评", Kind.department: "部门评价", Kind.finance: "财政评价"}

FUND_SOURCE_LABELS = {
    FundSource.total: "年度资金总额",
    FundSource.central: "中央资金",
    FundSource.provincial: "省级资金",
    FundSource.municipal: "市级资金",
    FundSource.county: "县级资金",
    FundSource.appropriation: "本年财政拨款",
    FundSource.carryover: "上年结转资金",
    FundSource.superior: "上级财政资金",
    FundSource.local: "地方资金",
    FundSource.other: "其他资金",
}
LABEL_TO_SOURCE = {label: source for source, label in FUND_SOURCE_LABELS.items()}
# The three rows the official form prints under 年度资金总额 (财预〔2020〕10号 附件1).
STANDARD_FUND_ROWS = (FundSource.appropriation, FundSource.carryover, FundSource.other)

# Characters XML 1.0 cannot hold; python-docx and openpyxl refuse them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """A value as text that any XML part can hold (control characters dropped, None → "")."""
    if text is None:
        return ""
    return _ILLEGAL_XML.sub("", str(text))


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
    return label or FUND_SOURCE_LABELS[source]


def year_text(evaluation: Evaluation) -> str:
    """``2020年度`` or ``____年度`` when the year is unknown."""
    return f"{evaluation.year}年度" if evaluation.year else "    年度"
