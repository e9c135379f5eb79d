"""Status rules (待整改 → 整改中 → 已整改待确认 → 已确认; 不整改 with a reason) and 逾期."""

from __future__ import annotations

from datetime import date

import pytest

from jixiao.rectification import ItemStatus
from jixiao.results import (
    ALLOWED,
    TransitionError,
    due_soon,
    overdue_items,
    overdue_notice,
    status_label,
    transition,
)
from tests.results.helpers import item

DAY = date(2025, 5, 1)


def test_the_whole_way_is_recorded() -> None:
    step1 = transition(item(), "in_progress", "单位甲", DAY, "制定整改方案")
    assert step1.status is ItemStatus.in_progress
    assert step1.measures == "制定整改方案"
    step2 = transition(step1, ItemStatus.done, "单位甲", DAY, "已拨付到位", evidence=["拨付凭证.pdf"])
    assert (step2.progress, step2.progress_evidence) == ("已拨付到位", ["拨付凭证.pdf"])
    step3 = transition(step2, "confirmed", "财政局乙", date(2025, 5, 9))
    assert (step3.confirmed_by, step3.confirmed_on) == ("财政局乙", date(2025, 5, 9))
    assert [(h.before.value, h.after.value, h.by) for h in step3.history] == [
        ("pending", "in_progress", "单位甲"),
        ("in_progress", "done", "单位甲"),
        ("done", "confirmed", "财政局乙"),
    ]
    assert item().status is ItemStatus.pending  # the original is not changed


@pytest.mark.parametrize(
    ("before", "after"),
    [(b, a) for b in ItemStatus for a in ItemStatus if a not in ALLOWED[b]],
)
def test_every_step_outside_the_rules_is_refused_in_chinese(before: ItemStatus, after: ItemStatus) -> None:
    ready = item(before.value, progress="已完成", progress_evidence=["凭证"])
    with pytest.raises(TransitionError, match="不能改为"):
        transition(ready, after, "某人", DAY, "说明")


def test_confirmed_is_final() -> None:
    with pytest.raises(TransitionError, match="可改为：无"):
        transition(item("confirmed"), "in_progress", "某人", DAY)


def test_declining_needs_a_reason() -> None:
    with pytest.raises(TransitionError, match=r"不整改.*须说明理由"):
        transition(item(), "declined", "单位甲", DAY, "  ")
    declined = transition(item(), "declined", "单位甲", DAY, "项目已撤销")
    assert declined.progress == "项目已撤销"
    reopened = transition(declined, "pending", "财政局乙", DAY, "理由不成立")
    assert reopened.status is ItemStatus.pending and reopened.progress is None


def test_done_needs_what_was_done() -> None:
    with pytest.raises(TransitionError, match="须填写完成情况"):
        transition(item("in_progress"), "done", "单位甲", DAY)
    assert transition(item("in_progress", progress="已整改"), "done", "单位甲", DAY).progress == "已整改"


def test_confirming_needs_a_confirmer_and_evidence() -> None:
    with pytest.raises(TransitionError, match="须有确认人"):
        transition(item("done", progress_evidence=["凭证"]), "confirmed", "", DAY)
    with pytest.raises(TransitionError, match="佐证材料"):
        transition(item("done"), "confirmed", "财政局乙", DAY)
    confirmed = transition(item("done"), "confirmed", "财政局乙", DAY, evidence=["现场核查记录"])
    assert confirmed.progress_evidence == ["现场核查记录"]


def test_a_done_item_can_be_sent_back() -> None:
    back = transition(item("done"), "in_progress", "财政局乙", DAY, "佐证不足")
    assert back.status is ItemStatus.in_progress


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(TransitionError, match="未知的整改状态“finished”"):
        transition(item(), "finished", "某人", DAY)


@pytest.mark.parametrize(
    ("status", "deadline", "today", "late"),
    [
        ("pending", date(2025, 6, 1), date(2025, 6, 1), False),  # the deadline day itself is on time
        ("pending", date(2025, 6, 1), date(2025, 6, 2), True),
        ("in_progress", date(2025, 6, 1), date(2025, 7, 1), True),
        ("done", date(2025, 6, 1), date(2025, 7, 1), False),  # reported done: waiting for confirmation
        ("confirmed", date(2025, 6, 1), date(2025, 7, 1), False),
        ("declined", date(2025, 6, 1), date(2025, 7, 1), False),
        ("pending", None, date(2030, 1, 1), False),  # no deadline, never late
    ],
)
def test_overdue_by_date(status: str, deadline: date | None, today: date, late: bool) -> None:
    one = item(status, deadline)
    assert one.overdue(today) is late
    assert (status_label(one, today) == "逾期") is late
    assert overdue_items([one], today) == ([one] if late else [])


def test_overdue_items_earliest_deadline_first() -> None:
    late = [item(deadline=date(2025, 3, 1), project="乙"), item(deadline=date(2025, 1, 1), project="甲")]
    assert [i.project for i in overdue_items([*late, item("done")], date(2025, 12, 1))] == ["甲", "乙"]
    assert status_label(item("done"), date(2025, 12, 1)) == "已整改待确认"


def test_overdue_notice_and_due_soon() -> None:
    late = item(deadline=date(2025, 6, 1), unit="示范单位", person="张三")
    assert overdue_notice(late, date(2025, 6, 11)) == (
        "【整改逾期】示范项目：“预算执行率偏低”整改时限为2025-06-01，已逾期10天，当前状态为“待整改”，"
        "责任单位（人）：示范单位、张三。"
    )
    assert overdue_notice(late, date(2025, 6, 1)) is None
    assert overdue_notice(item("done", date(2025, 6, 1)), date(2025, 7, 1)) is None
    soon = [
        item(deadline=date(2025, 6, 8)),
        item(deadline=date(2025, 6, 3)),
        item(deadline=date(2025, 6, 9)),
        item("done", date(2025, 6, 2)),
        late,
    ]
    assert [i.deadline for i in due_soon(soon, date(2025, 6, 1))] == [
        date(2025, 6, 1),
        date(2025, 6, 3),
        date(2025, 6, 8),
    ]
