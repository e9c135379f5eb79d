"""Deadline marks: an evaluation still being filled after its task's deadline is overdue (已逾期);
within a week of it, due soon (即将截止). Dates are the configured zone's, not the server's."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SOON_DAYS = 7
OPEN = ("draft", "returned")  # states in which the unit still has to act


def local_today(zone: str) -> date:
    """Today's date where the users are."""
    return datetime.now(ZoneInfo(zone)).date()


def deadline_mark(deadline: date | None, status: str, today: date) -> str:
    """``overdue``, ``soon`` or "" for an evaluation in ``status`` under a task due on ``deadline``."""
    if deadline is None or status not in OPEN:
        return ""
    if deadline < today:
        return "overdue"
    if (deadline - today).days <= SOON_DAYS:
        return "soon"
    return ""
