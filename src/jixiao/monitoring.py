"""Mid-year monitoring (运行监控, 财预〔2019〕136号 双监控): budget execution and target progress of one
project at a cut-off month, measured against its approved targets, with causes and corrections.

A monitoring report is its own record: it has no scores; it has a cut-off (1–N月), the amounts
spent so far and forecast for the year by fund source, each indicator's progress and forecast,
the likelihood of reaching the target (完成目标可能性), the causes of a gap by category and the
measures taken (纠偏措施); finance's decision on it (继续 / 调整 / 暂缓拨款 / 停止) is a
:class:`Correction`.

Names follow docs/glossary.md. Money is in 万元; rates are percentages.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field

from jixiao.model import Direction, Figure, FundSource, Project, Record, Source


class Likelihood(StrEnum):
    """完成目标可能性: how likely the year's target is to be reached (136号 监控表)."""

    certain = "certain"  # 确定能
    possible = "possible"  # 有可能
    impossible = "impossible"  # 完全不可能


class CauseCategory(StrEnum):
    """偏差原因 category of the 执行监控表."""

    funding = "funding"  # 经费保障
    system = "system"  # 制度保障
    staffing = "staffing"  # 人员保障
    hardware = "hardware"  # 硬件条件保障
    other = "other"  # 其他


class Light(StrEnum):
    """A warning light (预警): set by the warning policy, never printed by the unit."""

    green = "green"
    yellow = "yellow"
    red = "red"


class Decision(StrEnum):
    """纠偏: what finance decides on a lagging project."""

    proceed = "proceed"  # 继续实施
    adjust = "adjust"  # 调整预算或目标
    suspend = "suspend"  # 暂缓拨款
    stop = "stop"  # 停止实施 / 收回资金


class MonitoredFunds(Record):
    """One row of 预算执行情况: a fund source at the cut-off. Any amount may be unknown (None)."""

    source: FundSource = FundSource.total
    label: str | None = None  # the row label as printed
    budget: Decimal | None = None  # 年初预算数 / 全年预算数
    available: Decimal | None = None  # 1–N月 到位数, when printed
    spent: Decimal | None = None  # 1–N月 执行数
    rate: Figure | None = None  # 执行率 as printed
    forecast: Decimal | None = None  # 全年预计执行数
    sources: dict[str, Source] = Field(default_factory=dict)


class Cause(Record):
    """偏差原因: a category and the words that explain it."""

    category: CauseCategory
    text: str | None = None


class MonitoredIndicator(Record):
    """One indicator's progress at the cut-off, against its 年度指标值."""

    id: str | None = None
    level1: str
    level2: str | None = None
    name: str | None = None
    direction: Direction | None = None
    target: Figure | None = None  # 年度指标值 (the approved target)
    to_date: Figure | None = None  # 1–N月 完成值
    forecast: Figure | None = None  # 全年预计完成值
    likelihood: Likelihood | None = None  # 完成目标可能性
    causes: list[Cause] = Field(default_factory=list)  # 偏差原因
    measures: str | None = None  # 纠偏措施 / 完成目标的保障措施
    adjustment: str | None = None  # 调整记录: the approved change of the target (文号 or note), when changed
    source: Source | None = None

    @property
    def label(self) -> str:
        """The most specific printed name: 三级, else 二级, else 一级."""
        return self.name or self.level2 or self.level1


class Correction(Record):
    """Finance's decision on a monitoring report (纠偏), as recorded."""

    decision: Decision
    note: str | None = None  # what and why (调减预算50万元, 暂缓拨付第三季度资金 …)
    by: str | None = None
    on: date | None = None


class Monitoring(Record):
    """One project's monitoring report (项目支出绩效目标执行监控表) at one cut-off month."""

    schema_version: Literal[1] = 1
    kind: Literal["monitoring"] = "monitoring"
    year: int | None = Field(default=None, ge=1990, le=2100)
    cutoff_month: int = Field(ge=1, le=12)  # 1–N月: N
    policy: str | None = None  # the warning policy (预警) to judge it by (default: national)
    project: Project
    funds: list[MonitoredFunds] = Field(default_factory=list)  # the total row first when printed
    indicators: list[MonitoredIndicator] = Field(default_factory=list)
    likelihood: Likelihood | None = None  # the project's overall 完成目标可能性, when printed
    causes: list[Cause] = Field(default_factory=list)  # overall 偏差原因
    measures: str | None = None  # overall 纠偏措施
    corrections: list[Correction] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    source: Source | None = None

    def total(self) -> MonitoredFunds | None:
        """The total row (年度资金总额), else the only row."""
        rows = [f for f in self.funds if f.source is FundSource.total]
        if rows:
            return rows[0]
        return self.funds[0] if len(self.funds) == 1 else None
