"""Notifications: who is told what at each step of the year, in the app and optionally by mail.

A task's project assigned → the unit's users; an evaluation submitted → finance and the task's
third-party evaluators; returned or approved → the unit's users. Deadlines near or past are not
stored: they are computed when the unit looks (``deadline_reminders``), so they are never stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jixiao.store.mail import Mail, queue
from jixiao.store.models import (
    EvaluationRecord,
    Notification,
    Role,
    Status,
    Task,
    TaskEvaluator,
    User,
    utcnow,
)

SOON_DAYS = 7  # a deadline this near is due soon (即将截止)
OPEN = (Status.draft, Status.returned)  # states in which the unit still has to act
SUBJECT = "【绩效管理】"


def notify(session: Session, users: Iterable[User], text: str, link: str | None = None) -> int:
    """Tell each user ``text`` (with a link into the app); mail those with an address. The count told."""
    told = 0
    for user in {u.id: u for u in users if u.active}.values():
        session.add(Notification(user_id=user.id, text=text[:500], link=link))
        if user.email:
            queue(session, Mail(user.email, SUBJECT + text[:60], f"{text}\n\n{link or ''}".strip()))
        told += 1
    return told


def unit_users(session: Session, unit_id: int | None) -> list[User]:
    """The active users of a unit (实施单位) who fill its evaluations."""
    if unit_id is None:
        return []
    return list(
        session.scalars(select(User).where(User.org_id == unit_id, User.role == Role.unit, User.active))
    )


def reviewers(session: Session, task_id: int | None) -> list[User]:
    """Finance (and admin) users, and the evaluators of the third-party firms assigned to the task."""
    users = list(session.scalars(select(User).where(User.role.in_((Role.finance, Role.admin)), User.active)))
    if task_id is not None:
        firms = select(TaskEvaluator.org_id).where(TaskEvaluator.task_id == task_id)
        users += session.scalars(
            select(User).where(User.role == Role.evaluator, User.active, User.org_id.in_(firms))
        )
    return users


def on_assigned(session: Session, record: EvaluationRecord, task: Task) -> None:
    """A project of a task was given to a unit."""
    due = f"，截止 {task.deadline.isoformat()}" if task.deadline else ""
    notify(
        session,
        unit_users(session, record.unit_id),
        f"新任务“{task.name}”：项目“{record.project_name}”待填报{due}",
        f"/evaluations/{record.id}",
    )


def on_transition(session: Session, record: EvaluationRecord, new: Status) -> None:
    """An evaluation was submitted, returned or approved."""
    link = f"/evaluations/{record.id}"
    if new is Status.submitted:
        notify(
            session,
            reviewers(session, record.task_id),
            f"待复核：{record.unit_name or ''}“{record.project_name}”已提交",
            f"/review/{record.id}",
        )
    elif new is Status.returned:
        reason = f"，退回意见：{record.review_comment}" if record.review_comment else ""
        notify(
            session,
            unit_users(session, record.unit_id),
            f"已退回：“{record.project_name}”需要修改{reason}",
            link,
        )
    elif new is Status.approved:
        notify(session, unit_users(session, record.unit_id), f"已通过：“{record.project_name}”复核通过", link)


def unread_count(session: Session, user_id: int) -> int:
    """How many notifications the user has not read."""
    query = select(func.count()).select_from(Notification)
    return int(
        session.scalar(query.where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0
    )


def recent(session: Session, user_id: int, limit: int = 100) -> list[Notification]:
    """The user's latest notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_read(session: Session, user_id: int) -> None:
    """Every notification of the user read now."""
    session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def deadline_mark(deadline: date | None, status: str, today: date) -> str:
    """``overdue``, ``soon`` or "" for an evaluation in ``status`` under a task due on ``deadline``."""
    if deadline is None or status not in OPEN:
        return ""
    if deadline < today:
        return "overdue"
    return "soon" if (deadline - today).days <= SOON_DAYS else ""


def deadline_reminders(
    session: Session, org_id: int | None, today: date
) -> list[tuple[EvaluationRecord, date, bool]]:
    """A unit's evaluations still to fill whose task is due within a week or overdue (record, deadline, overdue)."""
    if org_id is None:
        return []
    rows = session.execute(
        select(EvaluationRecord, Task.deadline)
        .join(Task, EvaluationRecord.task_id == Task.id)
        .where(
            EvaluationRecord.unit_id == org_id,
            EvaluationRecord.status.in_(OPEN),
            Task.deadline.is_not(None),
        )
        .order_by(Task.deadline)
    ).all()
    marked = [(r, d, deadline_mark(d, r.status, today)) for r, d in rows]
    return [(r, d, mark == "overdue") for r, d, mark in marked if d is not None and mark]
