"""The query layer: every read and write of an evaluation goes through the actor's authorisation.

A unit sees and edits only its own evaluations; finance, admin and viewers see all; a third-party
evaluator sees only the evaluations of the tasks its firm is assigned to, and edits none.  A record the actor may not see is reported as not found, so
ids of other units' evaluations leak nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer

from jixiao.store.models import EvaluationRecord, Role, Status, TaskEvaluator, User


class StoreError(Exception):
    """A problem the user can understand; ``message`` is Chinese."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(StoreError):
    """The record does not exist or the actor may not see it."""

    status = 404


class Forbidden(StoreError):
    """The actor may see the record but not do this."""

    status = 403


class Conflict(StoreError):
    """Someone else saved the record since the actor loaded it."""

    status = 409


@dataclass(frozen=True)
class Actor:
    """Who is acting: the logged-in user as the query layer sees them."""

    user_id: int
    username: str
    role: str
    org_id: int | None

    @classmethod
    def of(cls, user: User) -> Actor:
        """The actor for a user row."""
        return cls(user.id, user.username, user.role, user.org_id)

    @property
    def sees_all(self) -> bool:
        """Finance, admin and viewers see every evaluation."""
        return self.role in (Role.admin, Role.finance, Role.viewer)


def for_user(actor: Actor) -> Select[EvaluationRecord]:
    """``SELECT`` of the evaluations ``actor`` may see."""
    query = select(EvaluationRecord)
    if actor.sees_all:
        return query
    if actor.role == Role.unit and actor.org_id is not None:
        return query.where(EvaluationRecord.unit_id == actor.org_id)
    if actor.role == Role.evaluator and actor.org_id is not None:
        assigned = select(TaskEvaluator.task_id).where(TaskEvaluator.org_id == actor.org_id)
        return query.where(EvaluationRecord.task_id.in_(assigned))
    return query.where(EvaluationRecord.id == -1)


def listing(actor: Actor) -> Select[EvaluationRecord]:
    """``for_user`` without loading the evaluation JSON: for lists and queues."""
    return for_user(actor).options(defer(EvaluationRecord.data))


class Listed(NamedTuple):
    """One row of a list or queue of evaluations: the columns the pages show, as plain data (no
    ORM object to build and track per row)."""

    id: int
    year: int | None
    project_name: str
    unit_name: str | None
    status: str
    claimed_total: float | None
    computed_total: float | None
    inflation: float | None
    grade: str | None
    n_errors: int
    n_warnings: int


LISTED_COLUMNS = tuple(getattr(EvaluationRecord, name) for name in Listed._fields)


def listed(actor: Actor) -> Select[Any]:
    """``SELECT`` of the ``Listed`` columns of the evaluations ``actor`` may see."""
    return for_user(actor).with_only_columns(*LISTED_COLUMNS)


def get_visible(session: Session, actor: Actor, evaluation_id: int) -> EvaluationRecord:
    """The evaluation if ``actor`` may see it, else ``NotFound``."""
    record = session.scalars(for_user(actor).where(EvaluationRecord.id == evaluation_id)).first()
    if record is None:
        raise NotFound("找不到该评价，或您无权查看")
    return record


OPEN_STATES = (Status.draft.value, Status.returned.value)
LOCKED = "该评价已提交或已复核通过，不能再修改（如需修改，请财政退回或重新打开）"


def can_edit(actor: Actor, record: EvaluationRecord) -> bool:
    """Units edit their own drafts and returned evaluations; admins edit any open one."""
    if record.status not in OPEN_STATES:
        return False
    if actor.role == Role.admin:
        return True
    return actor.role == Role.unit and actor.org_id is not None and record.unit_id == actor.org_id


def can_review(actor: Actor, record: EvaluationRecord) -> bool:
    """Finance reviewers (and admins) review submitted evaluations; a task's third party (which sees
    only its tasks' evaluations) adjusts their scores."""
    return actor.role in (Role.finance, Role.admin, Role.evaluator) and record.status == Status.submitted


def ensure_open(record: EvaluationRecord) -> None:
    """Refuse any change to a submitted or approved evaluation outside the workflow's own actions.

    Every path that changes an evaluation's content (form save, import, survey application)
    calls this; only return, approval, review scores and reopening act on a closed one.
    """
    if record.status not in OPEN_STATES:
        raise Forbidden(LOCKED)


def get_editable(session: Session, actor: Actor, evaluation_id: int) -> EvaluationRecord:
    """The evaluation if ``actor`` may edit it now."""
    record = get_visible(session, actor, evaluation_id)
    ensure_open(record)
    if not can_edit(actor, record):
        raise Forbidden("您无权修改该评价")
    return record


def require_role(actor: Actor, *roles: Role) -> None:
    """Refuse unless the actor has one of ``roles``."""
    if actor.role not in roles:
        raise Forbidden("您的角色无权执行此操作")
