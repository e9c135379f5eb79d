"""Text and figures as documents print them: labels, plain decimals, XML-safe strings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao import vocabulary
from jixiao.model import Evaluation, FundSource, Kind
from jixiao.numbers import format_percent, format_score
from jixiao.vocabulary import FUND_SOURCE_NAMES

NO_DATA = "报告未提供相关内容。"


@dataclass(frozen=True)
class Voice:
    """The words a document uses for its own scores: a unit's 自评, or an evaluator's 评价."""

    score: str  # a claimed score: 自评得分 / 评价得分
    total: str  # the claimed total: 自评总分 / 评价总分
    rate: str  # a printed 得分率: 自评得分率 / 评价得分率
    title: str  # the report's name: 绩效自评报告 / 绩效评价报告
    people: str  # who did the work: 自评人员 / 评价人员
    printed: str  # a figure as the source gives it: 填报 (the unit's form) / 报告列示 (the report's)


UNIT = Voice("自评得分", "自评总分", "自评得分率", "绩效自评报告", "自评人员", "填报")
EVALUATOR = Voice("评价得分", "评价总分", "评价得分率", "绩效评价报告", "评价人员", "报告列示")


def voice(evaluation: Evaluation) -> Voice:
    """A unit's own self-evaluation (单位自评) speaks as the unit; other kinds as the evaluator."""
    return UNIT if evaluation.kind is Kind.self else EVALUATOR


def missing_text(names: list[str]) -> str:
    """One sentence for everything a section lacks: ``评价目的、评价方法：报告未提供相关内容。``."""
    return ("、".join(dict.fromkeys(names)) + "：" if names else "") + NO_DATA


STANDARD_FUND_ROWS = tuple(FundSource(s) for s in vocabulary.STANDARD_FUND_ROWS)


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
