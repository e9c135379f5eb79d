"""Rectification (整改) and the use of results (结果应用): the problems an evaluation, a review, a
monitoring round or an audit found, tracked until someone confirms they are fixed, and the budget
suggestion an evaluation's grade leads to.

Names follow docs/glossary.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from jixiao.model import Record


class Origin(StrEnum):
    """来源: where a problem was found."""

    self = "self"  # 单位自评
    review = "review"  # 复核
    department = "department"  # 部门评价
    finance = "finance"  # 财政评价
    monitoring = "monitoring"  # 运行监控
    audit = "audit"  # 审计 (problems imported from an audit report)


class ItemStatus(StrEnum):
    """状态 of a rectification item. 逾期 is not stored: an open item past its deadline is overdue
    (:meth:`RectificationItem.overdue`)."""

    pending = "pending"  # 待整改
    in_progress = "in_progress"  # 整改中
    done = "done"  # 已整改待确认
    confirmed = "confirmed"  # 已确认
    declined = "declined"  # 不整改 (with the reason in ``progress``)


OPEN_STATUSES = frozenset({ItemStatus.pending, ItemStatus.in_progress})


class StatusChange(Record):
    """One step of an item's status (``jixiao.results.transition`` records it): who, when, why."""

    before: ItemStatus
    after: ItemStatus
    by: str | None = None
    on: date | None = None
    note: str | None = None


class RectificationItem(Record):
    """One problem to rectify, with who does what by when and what was done."""

    id: str | None = None
    project: str  # 项目名称
    year: int | None = None  # the year of the evaluation or round that found it
    problem: str  # 问题
    origin: Origin  # 来源
    category: str | None = None  # 类别 (资金管理, 绩效目标, 项目实施, 信息公开 …)
    severity: str | None = None  # 严重程度: error / warning / info (the finding's), or as imported
    finding_code: str | None = None  # the finding it came from, when it came from one
    evidence: list[str] = Field(default_factory=list)  # where the problem shows (file, page, cell)
    requirement: str | None = None  # 整改要求
    measures: str | None = None  # 整改措施
    unit: str | None = None  # 责任单位
    person: str | None = None  # 责任人
    deadline: date | None = None  # 时限
    status: ItemStatus = ItemStatus.pending
    progress: str | None = None  # 完成情况 (or why it is not rectified)
    progress_evidence: list[str] = Field(default_factory=list)
    confirmed_by: str | None = None  # 确认人
    confirmed_on: date | None = None
    history: list[StatusChange] = Field(default_factory=list)  # every status change, oldest first

    def overdue(self, today: date) -> bool:
        """True when the item is still open after its deadline (逾期)."""
        return self.status in OPEN_STATUSES and self.deadline is not None and today > self.deadline


class Suggestion(Record):
    """结果应用: the budget suggestion for next year that one project's result leads to."""

    project: str
    year: int | None = None  # the evaluated year
    grade: str | None = None  # the grade the suggestion rests on (优 / 良 / 中 / 差)
    score: Decimal | None = None
    budget: Decimal | None = None  # this year's budget, 万元
    action: str  # 优先保障 / 据实保障 / 核减 / 暂停或取消, as the policy words it
    change: Decimal | None = None  # suggested change in percent (−10 for 核减10%); None when not a share
    suggested: Decimal | None = None  # next year's suggested amount, 万元, when computable
    basis: str | None = None  # the policy rule it follows (and its source)
