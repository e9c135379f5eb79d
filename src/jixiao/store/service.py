"""Workflow operations: tasks, evaluations, review transitions — each one transaction, each logged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jixiao import api, vocabulary
from jixiao.api import Audit, Evaluation, Severity, check
from jixiao.store import audits, notifications
from jixiao.store.models import (
    AuditEntry,
    EvaluationRecord,
    FindingRecord,
    Organisation,
    OrgKind,
    Role,
    Status,
    Task,
    TaskEvaluator,
    utcnow,
)
from jixiao.store.queries import (
    Actor,
    Conflict,
    Forbidden,
    StoreError,
    get_editable,
    get_visible,
    require_role,
)
from jixiao.store.revisions import Memo

STATUS_NAMES = vocabulary.STATUS_NAMES


def log(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one entry to the audit log (who, when, what, before and after)."""
    session.add(
        AuditEntry(
            user_id=actor.user_id if actor else None,
            username=actor.username if actor else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
        )
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def apply_audit(session: Session, record: EvaluationRecord, evaluation: Evaluation) -> Audit:
    """Store the evaluation's JSON, its audit and its recomputed columns and findings on ``record``.

    The JSON is audited as it reads back (``load_evaluation``): the audit kept beside the record is
    then exactly the one a page would compute from it (see ``stored_audit``).
    """
    record.data = api.to_data(evaluation, keep_empty=True)
    audit = check(load_evaluation(record))
    score = audit.score
    record.project_name = evaluation.project.name
    record.year = evaluation.year
    record.kind = evaluation.kind.value
    if record.unit_id is None:  # placed by its organisation when it has one (see ``place``)
        record.department_name = evaluation.project.department or record.department_name
        record.unit_name = evaluation.project.unit or record.unit_name
    record.claimed_total = _number(score.claimed_total)
    record.computed_total = _number(score.computed_total)
    record.reviewed_total = _number(audit.reviewed_total)
    record.inflation = _number(audit.inflation)
    record.grade = score.computed_grade
    record.execution_rate = _number(score.execution_rate)
    record.max_severity = audit.max_rank
    record.n_errors = audit.count(Severity.error)
    record.n_warnings = audit.count(Severity.warning)
    record.updated_at = utcnow()
    flush(session)  # the version check runs here: a concurrent save surfaces as ``Conflict``
    if record.id is not None:
        session.execute(delete(FindingRecord).where(FindingRecord.evaluation_id == record.id))
    session.flush()
    for f in audit.findings:
        session.add(
            FindingRecord(
                evaluation_id=record.id,
                code=f.code,
                severity=f.severity.value,
                rank=f.severity.rank,
                message=f.message,
                path=f.location.path,
            )
        )
    audits.keep(session, record, audit)
    return audit


def load_evaluation(record: EvaluationRecord) -> Evaluation:
    """The stored JSON as an ``Evaluation`` (it was validated when saved)."""
    loaded = api.load_data(dict(record.data), file=f"evaluation-{record.id}")
    if loaded.evaluation is None:
        raise StoreError("存储的评价数据无法读取：" + "；".join(f.message for f in loaded.findings))
    return loaded.evaluation


def stored_audit(
    session: Session, record: EvaluationRecord, memo: Memo[tuple[int, str], Audit] | None = None
) -> Audit:
    """The audit of the stored evaluation, ``check(load_evaluation(record))``, without auditing again
    when it can: the audit kept when it was saved (``jixiao.store.audits``), else one kept in
    ``memo`` under the same key (an evaluation saved before audits were kept, or by older rules).
    """
    found = audits.kept(session, record)
    if found is not None:
        return found
    if memo is None or not audits.keepable(record.data):
        return check(load_evaluation(record))
    return memo.get(
        (record.id, audits.audit_key(record.id, record.data)), lambda: check(load_evaluation(record))
    )


def org_by_name(
    session: Session, name: str, kind: OrgKind, parent: Organisation | None = None
) -> Organisation:
    """The organisation called ``name``, created when missing."""
    org = session.scalars(select(Organisation).where(Organisation.name == name)).first()
    if org is None:
        org = Organisation(name=name, kind=kind.value, parent_id=parent.id if parent else None)
        session.add(org)
        session.flush()
    return org


def create_task(
    session: Session,
    actor: Actor,
    *,
    name: str,
    year: int,
    framework: str,
    policy: str,
    deadline: date | None,
) -> Task:
    """Finance issues a yearly self-evaluation task."""
    require_role(actor, Role.finance, Role.admin)
    if not name.strip():
        raise StoreError("任务名称不能为空")
    task = Task(name=name.strip(), year=year, framework=framework, policy=policy, deadline=deadline)
    task.created_by = actor.user_id
    session.add(task)
    session.flush()
    log(session, actor, "task.create", "task", task.id, None, {"name": task.name, "year": year})
    return task


def blank_evaluation(framework: str, year: int, project_name: str) -> Evaluation:
    """A ready-to-fill evaluation from the framework; an unknown framework is a clear error."""
    try:
        template = api.load_framework(framework)
    except api.FrameworkError as exc:
        raise StoreError("无法按指标体系新建评价：" + "；".join(f.message for f in exc.findings)) from exc
    evaluation = api.new_evaluation(template, year=year, project_name=project_name)
    evaluation.framework = framework
    return evaluation


def add_evaluation(
    session: Session,
    actor: Actor | None,
    evaluation: Evaluation,
    *,
    unit: Organisation | None,
    department: Organisation | None = None,
    task: Task | None = None,
    status: Status = Status.draft,
) -> EvaluationRecord:
    """Store a new evaluation for ``unit`` (a task assignment, an import, a demo seed)."""
    record = EvaluationRecord(
        task_id=task.id if task else None,
        unit_id=unit.id if unit else None,
        department_id=department.id if department else None,
        unit_name=unit.name if unit else evaluation.project.unit,
        department_name=department.name if department else evaluation.project.department,
        project_name=evaluation.project.name,
        status=status.value,
        data={},
    )
    if unit is not None and not evaluation.project.unit:
        evaluation.project.unit = unit.name
    if department is not None and not evaluation.project.department:
        evaluation.project.department = department.name
    session.add(record)
    session.flush()
    apply_audit(session, record, evaluation)
    log(session, actor, "evaluation.create", "evaluation", record.id, None, record.data)
    return record


def assign_project(
    session: Session, actor: Actor, task: Task, unit: Organisation, project_name: str
) -> EvaluationRecord:
    """Finance assigns a project of ``task`` to ``unit``: a 自评表 in draft, blank, or starting from
    the project's targets approved for the task's year."""
    require_role(actor, Role.finance, Role.admin)
    if not project_name.strip():
        raise StoreError("项目名称不能为空")
    if unit.kind != OrgKind.unit:
        raise StoreError("只能分配给实施单位")
    from jixiao.store.declarations import start_for_assignment

    # the project's targets approved for that year (绩效目标申报), when there are: the thread
    start = start_for_assignment(session, unit, task.year, project_name, task.framework)
    if start is None:
        evaluation = blank_evaluation(task.framework, task.year, project_name.strip())
    else:
        evaluation = start[0]
    evaluation.policy = task.policy
    department = session.get(Organisation, unit.parent_id) if unit.parent_id else None
    record = add_evaluation(session, actor, evaluation, unit=unit, department=department, task=task)
    if start is not None:
        record.declaration_id = start[1]
        flush(session)
    notifications.on_assigned(session, record, task)
    return record


def _check_version(record: EvaluationRecord, expected_version: int) -> None:
    if record.version != expected_version:
        raise Conflict(
            f"保存冲突：该评价已被其他人修改（您打开的是第 {expected_version} 版，当前是第 {record.version} 版）。"
            "为避免覆盖他人的修改，本次未保存；请重新打开后再修改。"
        )


def place(record: EvaluationRecord, evaluation: Evaluation) -> None:
    """Keep the fields that place an evaluation (主管部门, 实施单位) as its organisations say.

    A unit cannot move its evaluation to another department on the dashboard by typing another
    name: for an evaluation that belongs to a unit, both names come from the organisation tree.
    """
    if record.unit_id is None:
        return
    evaluation.project.unit = record.unit_name
    evaluation.project.department = record.department_name


def save_evaluation(
    session: Session, actor: Actor, evaluation_id: int, expected_version: int, evaluation: Evaluation
) -> EvaluationRecord:
    """Save a unit's edits; refused with ``Conflict`` when someone saved since ``expected_version``."""
    record = get_editable(session, actor, evaluation_id)
    _check_version(record, expected_version)
    place(record, evaluation)
    before = dict(record.data)
    stored = load_evaluation(record)
    # A unit never sets review scores: keep the reviewer's values whatever the form says.
    for i, ind in enumerate(evaluation.indicators):
        old = stored.indicators[i] if i < len(stored.indicators) else None
        ind.reviewed = old.reviewed if old else None
        ind.review_reason = old.review_reason if old else None
    apply_audit(session, record, evaluation)
    log(session, actor, "evaluation.save", "evaluation", record.id, before, record.data)
    flush(session)
    return record


def flush(session: Session) -> None:
    """Flush, turning a concurrent update caught by the version column into ``Conflict``."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("保存冲突：该评价刚被其他人修改，本次未保存；请重新打开后再修改。") from exc


def _transition(
    session: Session,
    actor: Actor,
    record: EvaluationRecord,
    expected_version: int,
    new: Status,
    comment: str | None = None,
) -> EvaluationRecord:
    _check_version(record, expected_version)
    before = {"status": record.status, "review_comment": record.review_comment}
    record.status = new.value
    if comment is not None:
        record.review_comment = comment
    if new is Status.submitted:
        record.submitted_at = utcnow()
    record.updated_at = utcnow()
    log(
        session,
        actor,
        f"evaluation.{new.value}",
        "evaluation",
        record.id,
        before,
        {"status": new.value, "review_comment": record.review_comment},
    )
    flush(session)
    notifications.on_transition(session, record, new)
    return record


def submit(session: Session, actor: Actor, evaluation_id: int, expected_version: int) -> EvaluationRecord:
    """The unit submits its evaluation for review."""
    record = get_editable(session, actor, evaluation_id)
    if record.n_errors:
        raise StoreError(f"还有 {record.n_errors} 条错误未处理，请修正后再提交")
    return _transition(session, actor, record, expected_version, Status.submitted)


def review_decision(
    session: Session, actor: Actor, evaluation_id: int, expected_version: int, *, approve: bool, comment: str
) -> EvaluationRecord:
    """The reviewer approves the evaluation or returns it to the unit with comments."""
    record = get_visible(session, actor, evaluation_id)
    require_role(actor, Role.finance, Role.admin)
    if record.status != Status.submitted:
        raise Forbidden("只有待复核的评价可以通过或退回")
    if not approve and not comment.strip():
        raise StoreError("退回时请填写退回意见")
    new = Status.approved if approve else Status.returned
    return _transition(session, actor, record, expected_version, new, comment.strip() or None)


def set_review_scores(
    session: Session,
    actor: Actor,
    evaluation_id: int,
    expected_version: int,
    scores: dict[int, tuple[Decimal | None, str]],
) -> EvaluationRecord:
    """The reviewer — finance, or a third party the task is assigned to — sets reviewed scores (复核得分)
    with reasons, indicator index → (score, reason)."""
    record = get_visible(session, actor, evaluation_id)  # an evaluator sees only its tasks' evaluations
    require_role(actor, Role.finance, Role.admin, Role.evaluator)
    if record.status != Status.submitted:
        raise Forbidden("只有待复核的评价可以调整复核得分")
    _check_version(record, expected_version)
    evaluation = load_evaluation(record)
    before = dict(record.data)
    for index, (value, reason) in scores.items():
        if not 0 <= index < len(evaluation.indicators):
            raise StoreError("指标不存在")
        indicator = evaluation.indicators[index]
        if value is not None:
            if value < 0 or (indicator.weight is not None and value > indicator.weight):
                raise StoreError(f"“{indicator.label}”复核得分应在 0 到 {indicator.weight} 之间")
            if not reason.strip():
                raise StoreError(f"请填写“{indicator.label}”调整复核得分的理由")
        indicator.reviewed = value
        indicator.review_reason = reason.strip() or None if value is not None else None
    apply_audit(session, record, evaluation)
    log(session, actor, "evaluation.review-scores", "evaluation", record.id, before, record.data)
    flush(session)
    return record


def reopen(
    session: Session, actor: Actor, evaluation_id: int, expected_version: int, *, comment: str
) -> EvaluationRecord:
    """Finance reopens an approved evaluation: back to the unit as returned, the reason on record."""
    record = get_visible(session, actor, evaluation_id)
    require_role(actor, Role.finance, Role.admin)
    if record.status != Status.approved:
        raise Forbidden("只有已通过的评价可以重新打开")
    if not comment.strip():
        raise StoreError("重新打开时请填写原因")
    return _transition(session, actor, record, expected_version, Status.returned, comment.strip())


def set_task_evaluators(session: Session, actor: Actor, task: Task, org_ids: list[int]) -> list[str]:
    """Replace the third-party firms assigned to ``task``; returns their names."""
    require_role(actor, Role.finance, Role.admin)
    firms = []
    for org_id in dict.fromkeys(org_ids):
        org = session.get(Organisation, org_id)
        if org is None or org.kind != OrgKind.evaluator:
            raise StoreError("只能指定第三方机构")
        firms.append(org)
    before = sorted(session.scalars(select(TaskEvaluator.org_id).where(TaskEvaluator.task_id == task.id)))
    session.execute(delete(TaskEvaluator).where(TaskEvaluator.task_id == task.id))
    for org in firms:
        session.add(TaskEvaluator(task_id=task.id, org_id=org.id))
    log(
        session,
        actor,
        "task.evaluators",
        "task",
        task.id,
        {"org_ids": before},
        {"org_ids": [o.id for o in firms], "names": [o.name for o in firms]},
    )
    session.flush()
    return [o.name for o in firms]
