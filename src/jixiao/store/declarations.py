"""The declaration round (绩效目标申报): finance opens a round, units declare their projects' targets,
the department (主管部门) reviews them first, then finance; approved targets are frozen as the year's
baseline, and the next self-evaluation of the project starts from them.

Every operation is one step of one transaction, logged in the audit log; every read and write goes
through the actor's authorisation (a unit sees only its own declarations, a department its units',
finance, admin and viewers all); every change of status checks the version the actor saw, so of
two reviewers deciding at once one wins and the other is told so (``Conflict``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, event, select
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.exc import StaleDataError

from jixiao import api
from jixiao.api import Declaration, Evaluation, Finding, ReviewGrade, ReviewOpinion, ReviewResult, Severity
from jixiao.store import notifications
from jixiao.store.models import (
    DeclarationBaseline,
    DeclarationOpinion,
    DeclarationRecord,
    DeclarationRound,
    DeclarationStatus,
    EvaluationRecord,
    Organisation,
    OrgKind,
    Role,
    Task,
    User,
    utcnow,
)
from jixiao.store.queries import Actor, Conflict, Forbidden, NotFound, StoreError, require_role
from jixiao.store.service import add_evaluation, assign_project, log

STATUS_NAMES = api.DECLARATION_STATUS_NAMES
OPEN_STATES = (DeclarationStatus.draft.value, DeclarationStatus.returned.value)
GRADES = tuple(g.value for g in ReviewGrade)
# The starting rows of a new declaration's annual indicator table (the national 申报表's blocks).
STARTER_ROWS = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标"),
)
LOCKED = "该申报已提交或已审定，不能再修改（审核中的申报由审核人退回后才能修改；已审定的目标已冻结）"
MAX_IMPORTED = 200  # declarations from one uploaded file


class BaselineFrozen(RuntimeError):
    """An approved declaration's frozen targets never change."""


def _refuse_change(*_args: Any) -> None:
    raise BaselineFrozen("已审定的绩效目标已冻结，不能修改或删除")


event.listen(DeclarationBaseline, "before_update", _refuse_change)
event.listen(DeclarationBaseline, "before_delete", _refuse_change)


# ---------------------------------------------------------------------------------------------
# who sees and does what


def for_actor(actor: Actor) -> Select[DeclarationRecord]:
    """``SELECT`` of the declarations ``actor`` may see."""
    query = select(DeclarationRecord)
    if actor.sees_all:
        return query
    if actor.role == Role.unit and actor.org_id is not None:
        return query.where(DeclarationRecord.unit_id == actor.org_id)
    if actor.role == Role.department and actor.org_id is not None:
        return query.where(DeclarationRecord.department_id == actor.org_id)
    return query.where(DeclarationRecord.id == -1)


def listing(actor: Actor) -> Select[DeclarationRecord]:
    """``for_actor`` without the declaration JSON: for lists."""
    return for_actor(actor).options(defer(DeclarationRecord.data), defer(DeclarationRecord.review))


def get_visible(session: Session, actor: Actor, declaration_id: int) -> DeclarationRecord:
    """The declaration if ``actor`` may see it, else ``NotFound`` (its id leaks nothing)."""
    record = session.scalars(for_actor(actor).where(DeclarationRecord.id == declaration_id)).first()
    if record is None:
        raise NotFound("找不到该申报，或您无权查看")
    return record


def can_edit(actor: Actor, record: DeclarationRecord) -> bool:
    """Units edit their own drafts and returned declarations; admins any open one."""
    if record.status not in OPEN_STATES:
        return False
    if actor.role == Role.admin:
        return True
    return actor.role == Role.unit and actor.org_id is not None and record.unit_id == actor.org_id


def review_stage(actor: Actor, record: DeclarationRecord) -> str | None:
    """``"department"`` or ``"finance"`` when ``actor`` may decide on the declaration now, else None.

    A submitted declaration waits for its department (主管部门); one the department passed on
    (``forwarded``) waits for finance. Admins may act at either stage.
    """
    if record.status == DeclarationStatus.submitted:
        if actor.role == Role.admin:
            return "department"
        if actor.role == Role.department and actor.org_id is not None:
            return "department" if record.department_id == actor.org_id else None
        return None
    if record.status == DeclarationStatus.forwarded and actor.role in (Role.finance, Role.admin):
        return "finance"
    return None


def get_editable(session: Session, actor: Actor, declaration_id: int) -> DeclarationRecord:
    """The declaration if ``actor`` may edit it now."""
    record = get_visible(session, actor, declaration_id)
    if record.status not in OPEN_STATES:
        raise Forbidden(LOCKED)
    if not can_edit(actor, record):
        raise Forbidden("您无权修改该申报")
    return record


def flush(session: Session) -> None:
    """Flush, turning a concurrent update caught by the version column into ``Conflict``."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("操作冲突：该申报刚被其他人修改或审核，本次操作未生效；请重新打开后再操作。") from exc


def check_version(record: DeclarationRecord, expected_version: int) -> None:
    """Refuse with ``Conflict`` when the declaration changed since the actor loaded it."""
    if record.version != expected_version:
        raise Conflict(
            f"操作冲突：该申报已被其他人修改或审核（您打开的是第 {expected_version} 版，当前是第 "
            f"{record.version} 版，状态“{STATUS_NAMES.get(record.status, record.status)}”）。"
            "本次操作未生效；请重新打开后再操作。"
        )


# ---------------------------------------------------------------------------------------------
# rounds


def create_round(
    session: Session,
    actor: Actor,
    *,
    name: str,
    year: int,
    policy: str,
    deadline: date | None,
) -> DeclarationRound:
    """Finance opens a declaration round for a budget year."""
    require_role(actor, Role.finance, Role.admin)
    if not name.strip():
        raise StoreError("批次名称不能为空")
    if not 1990 <= year <= 2100:
        raise StoreError("年度应为 1990 到 2100 之间的四位数字")
    row = DeclarationRound(
        name=name.strip()[:300], year=year, policy=policy, deadline=deadline, created_by=actor.user_id
    )
    session.add(row)
    session.flush()
    log(
        session,
        actor,
        "round.create",
        "round",
        row.id,
        None,
        {"name": row.name, "year": year, "policy": policy, "deadline": deadline and deadline.isoformat()},
    )
    notifications.notify(
        session,
        session.scalars(select(User).where(User.role == Role.unit, User.active)),
        f"绩效目标申报“{row.name}”已开启" + (f"，截止 {deadline.isoformat()}" if deadline else ""),
        f"/declarations/rounds/{row.id}",
    )
    return row


def get_round(session: Session, round_id: int) -> DeclarationRound:
    """The round, or a Chinese 申报批次不存在."""
    row = session.get(DeclarationRound, round_id)
    if row is None:
        raise NotFound("申报批次不存在")
    return row


# ---------------------------------------------------------------------------------------------
# the declaration as data, and its automatic review


def to_data(declaration: Declaration) -> dict[str, Any]:
    """The declaration as plain JSON-compatible data (what ``load_declaration_data`` reads back)."""
    data: dict[str, Any] = declaration.model_dump(mode="json", exclude_none=True)
    return data


def load(record: DeclarationRecord | DeclarationBaseline) -> Declaration:
    """The stored JSON as a ``Declaration`` (it was validated when saved)."""
    loaded = api.load_declaration_data(dict(record.data), file=f"declaration-{record.id}")
    if loaded.declaration is None:
        raise StoreError("存储的申报数据无法读取：" + "；".join(f.message for f in loaded.findings))
    return loaded.declaration


@dataclass
class AutoReview:
    """The automatic 审核 of a declaration: the rubric's result (None when no rubric ran) and findings."""

    result: ReviewResult | None = None
    findings: list[Finding] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """As stored beside the declaration (plain data the pages show)."""
        return {
            "result": self.result.model_dump(mode="json") if self.result is not None else None,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "message": f.message,
                    "where": f.location.describe(),
                }
                for f in self.findings
            ],
        }


def auto_review(declaration: Declaration) -> AutoReview:
    """The 审核 checks and the rubric's result (``api.review_declaration``, by the rubric the
    declaration names: its round's)."""
    try:
        audit = api.review_declaration(declaration)
    except api.RubricError:
        audit = api.review_declaration(declaration, "national")  # a rubric since removed: the default
    return AutoReview(audit.result, list(audit.findings))


def _apply(session: Session, record: DeclarationRecord, declaration: Declaration) -> AutoReview:
    """Store the declaration's JSON, its automatic review and its indexed columns on ``record``."""
    record.data = to_data(declaration)
    review = auto_review(load(record))
    record.review = review.data()
    record.project_name = declaration.project.name[:500]
    record.auto_grade = review.result.grade.value if review.result is not None else None
    record.n_errors = sum(1 for f in review.findings if f.severity is Severity.error)
    record.n_warnings = sum(1 for f in review.findings if f.severity is Severity.warning)
    record.updated_at = utcnow()
    flush(session)  # the version check runs here: a concurrent save surfaces as ``Conflict``
    return review


def place(record: DeclarationRecord, declaration: Declaration, round_: DeclarationRound) -> None:
    """主管部门 and 实施单位 from the organisation tree; the year and rubric from the round."""
    declaration.project.unit = record.unit_name
    declaration.project.department = record.department_name
    declaration.year = round_.year
    declaration.policy = round_.policy


def blank(round_: DeclarationRound, project_name: str) -> Declaration:
    """A ready-to-fill declaration: the project's name and the 申报表's standard indicator rows."""
    declaration = api.new_declaration(year=round_.year, project_name=project_name, medium=False)
    declaration.policy = round_.policy
    return declaration


def _unit_of(session: Session, actor: Actor, unit_id: int | None) -> Organisation:
    """The unit a new declaration belongs to: the actor's own (a unit), or the one an admin picked."""
    if actor.role == Role.unit:
        unit_id = actor.org_id
    elif actor.role != Role.admin:
        raise Forbidden("只有实施单位可以填报绩效目标")
    unit = session.get(Organisation, unit_id) if unit_id is not None else None
    if unit is None or unit.kind != OrgKind.unit:
        raise StoreError("请选择实施单位")
    return unit


def _new_record(
    session: Session, actor: Actor, round_: DeclarationRound, unit: Organisation, declaration: Declaration
) -> DeclarationRecord:
    name = declaration.project.name.strip()
    if not name:
        raise StoreError("项目名称不能为空")
    if len(name) > 500:
        raise StoreError("项目名称不超过 500 字")
    taken = session.scalars(
        select(DeclarationRecord.id).where(
            DeclarationRecord.round_id == round_.id,
            DeclarationRecord.unit_id == unit.id,
            DeclarationRecord.project_name == name,
        )
    ).first()
    if taken is not None:
        raise StoreError(f"本批次中本单位已有项目“{name}”的申报，请打开它修改")
    department = session.get(Organisation, unit.parent_id) if unit.parent_id else None
    record = DeclarationRecord(
        round_id=round_.id,
        unit_id=unit.id,
        department_id=department.id if department else None,
        unit_name=unit.name,
        department_name=department.name if department else None,
        year=round_.year,
        project_name=name,
        status=DeclarationStatus.draft.value,
        created_by=actor.user_id,
        data={},
    )
    place(record, declaration, round_)
    declaration.project.name = name
    session.add(record)
    session.flush()
    _apply(session, record, declaration)
    return record


def create_declaration(
    session: Session,
    actor: Actor,
    round_: DeclarationRound,
    project_name: str,
    *,
    unit_id: int | None = None,
) -> DeclarationRecord:
    """A unit starts a declaration for one project of the round (a blank 申报表)."""
    unit = _unit_of(session, actor, unit_id)
    record = _new_record(session, actor, round_, unit, blank(round_, project_name.strip()))
    log(session, actor, "declaration.create", "declaration", record.id, None, record.data)
    return record


def save_declaration(
    session: Session, actor: Actor, declaration_id: int, expected_version: int, declaration: Declaration
) -> DeclarationRecord:
    """Save a unit's edits; ``Conflict`` when someone saved since ``expected_version``."""
    record = get_editable(session, actor, declaration_id)
    check_version(record, expected_version)
    round_ = get_round(session, record.round_id)
    place(record, declaration, round_)
    name = declaration.project.name.strip()
    if name != record.project_name:
        clash = session.scalars(
            select(DeclarationRecord.id).where(
                DeclarationRecord.round_id == record.round_id,
                DeclarationRecord.unit_id == record.unit_id,
                DeclarationRecord.project_name == name,
                DeclarationRecord.id != record.id,
            )
        ).first()
        if clash is not None:
            raise StoreError(f"本批次中本单位已有项目“{name}”的申报")
    before = dict(record.data)
    _apply(session, record, declaration)
    log(session, actor, "declaration.save", "declaration", record.id, before, record.data)
    return record


def import_declarations(
    session: Session,
    actor: Actor,
    round_: DeclarationRound,
    declarations: list[Declaration],
    *,
    file: str,
    unit_id: int | None = None,
) -> list[DeclarationRecord]:
    """Declarations read from an uploaded file, each a draft of the unit (all or nothing).

    A project the unit already declared in this round is replaced when it is still open (the
    version moves on, so a concurrent editor is told), refused when it is under review or approved.
    """
    unit = _unit_of(session, actor, unit_id)
    if not declarations:
        raise StoreError("文件中没有找到绩效目标申报表")
    if len(declarations) > MAX_IMPORTED:
        raise StoreError(f"一个文件最多导入 {MAX_IMPORTED} 个项目，本文件有 {len(declarations)} 个")
    names = [d.project.name.strip() for d in declarations]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise StoreError("文件中项目名称重复：" + "、".join(f"“{n}”" for n in repeated[:5]))
    records = []
    for declaration in declarations:
        name = declaration.project.name.strip()
        existing = session.scalars(
            select(DeclarationRecord).where(
                DeclarationRecord.round_id == round_.id,
                DeclarationRecord.unit_id == unit.id,
                DeclarationRecord.project_name == name,
            )
        ).first()
        if existing is None:
            record = _new_record(session, actor, round_, unit, declaration)
            before = None
        else:
            if existing.status not in OPEN_STATES:
                raise StoreError(
                    f"项目“{name}”的申报{STATUS_NAMES.get(existing.status, '')}，不能用导入的文件覆盖"
                )
            record, before = existing, dict(existing.data)
            place(record, declaration, round_)
            _apply(session, record, declaration)
        log(
            session,
            actor,
            "declaration.import",
            "declaration",
            record.id,
            before,
            {**record.data, "file": file},
        )
        records.append(record)
    return records


# ---------------------------------------------------------------------------------------------
# the review: submit → department → finance → approved (frozen)


def submit(session: Session, actor: Actor, declaration_id: int, expected_version: int) -> DeclarationRecord:
    """The unit submits its declaration: to its department, or to finance when it has none."""
    record = get_editable(session, actor, declaration_id)
    check_version(record, expected_version)
    if record.n_errors:
        raise StoreError(f"审核发现 {record.n_errors} 条错误，请修正后再提交")
    new = DeclarationStatus.submitted if record.department_id else DeclarationStatus.forwarded
    before = {"status": record.status}
    record.status = new.value
    record.submitted_at = record.updated_at = utcnow()
    log(session, actor, "declaration.submitted", "declaration", record.id, before, {"status": new.value})
    flush(session)
    if new is DeclarationStatus.submitted:
        reviewers = session.scalars(
            select(User).where(User.role == Role.department, User.org_id == record.department_id, User.active)
        )
    else:
        reviewers = session.scalars(select(User).where(User.role == Role.finance, User.active))
    notifications.notify(
        session,
        reviewers,
        f"待审核：{record.unit_name}“{record.project_name}”的绩效目标已提交",
        f"/declarations/{record.id}",
    )
    return record


DECISIONS = {
    "department": ("return", "forward"),
    "finance": ("return", "approve"),
}


def opinion_problems(decision: str, opinion: ReviewOpinion) -> dict[str, str]:
    """What a decision's opinion lacks (field → Chinese), empty when it may be recorded."""
    problems: dict[str, str] = {}
    if decision == "return":
        if not opinion.to_complete and not (opinion.overall or "").strip():
            problems["to_complete"] = "退回时请填写需补充完善事项（或总体审核意见）"
    else:
        if opinion.grade is None:
            problems["grade"] = "请选择审核结果（优、良、中、差）"
        elif opinion.grade is ReviewGrade.poor:
            problems["grade"] = "审核结果为“差”的绩效目标不得进入预算安排，请退回单位修改"
    return problems


def decide(
    session: Session,
    actor: Actor,
    declaration_id: int,
    expected_version: int,
    decision: str,
    opinion: ReviewOpinion,
) -> DeclarationRecord:
    """A reviewer returns the declaration to the unit, passes it on to finance (the department) or
    approves it (finance), with the opinion; approval freezes the targets as the year's baseline."""
    record = get_visible(session, actor, declaration_id)
    stage = review_stage(actor, record)
    if stage is None:
        check_version(record, expected_version)  # a decision that came too late says so first
        raise Forbidden("该申报当前不在您的审核环节")
    check_version(record, expected_version)
    if decision not in DECISIONS[stage]:
        raise StoreError("未知的审核操作")
    problems = opinion_problems(decision, opinion)
    if problems:
        raise StoreError("；".join(problems.values()))
    user = session.get(User, actor.user_id)
    opinion.reviewer = opinion.reviewer or (record.department_name if stage == "department" else "财政部门")
    before = {"status": record.status}
    new = {
        "return": DeclarationStatus.returned,
        "forward": DeclarationStatus.forwarded,
        "approve": DeclarationStatus.approved,
    }[decision]
    record.status = new.value
    record.updated_at = utcnow()
    if new is DeclarationStatus.approved:
        record.approved_at = record.updated_at
    if new is DeclarationStatus.returned:
        record.return_comment = "；".join(
            [*(opinion.to_complete or []), *([opinion.overall] if opinion.overall else [])]
        )[:2000]
    session.add(
        DeclarationOpinion(
            declaration_id=record.id,
            stage=stage,
            decision=decision,
            reviewer_id=actor.user_id,
            reviewer_name=user.display_name if user else actor.username,
            declaration_version=expected_version,
            grade=opinion.grade.value if opinion.grade else None,
            opinion=opinion.model_dump(mode="json", exclude_none=True),
        )
    )
    flush(session)  # the version check: of two reviewers deciding at once, the second stops here
    if new is DeclarationStatus.approved:
        frozen = dict(record.data)
        session.add(
            DeclarationBaseline(
                declaration_id=record.id,
                declaration_version=record.version,
                digest=hashlib.sha256(
                    json.dumps(frozen, ensure_ascii=False, sort_keys=True).encode()
                ).hexdigest(),
                approved_by=actor.user_id,
                data=frozen,
            )
        )
        flush(session)
    log(
        session,
        actor,
        f"declaration.{new.value}",
        "declaration",
        record.id,
        before,
        {"status": new.value, "stage": stage, **opinion.model_dump(mode="json", exclude_none=True)},
    )
    _notify_decision(session, record, new)
    return record


def _notify_decision(session: Session, record: DeclarationRecord, new: DeclarationStatus) -> None:
    link = f"/declarations/{record.id}"
    units = notifications.unit_users(session, record.unit_id)
    if new is DeclarationStatus.returned:
        notifications.notify(session, units, f"绩效目标已退回：“{record.project_name}”需补充完善", link)
    elif new is DeclarationStatus.forwarded:
        finance = session.scalars(select(User).where(User.role == Role.finance, User.active))
        notifications.notify(
            session, finance, f"待财政审核：{record.unit_name}“{record.project_name}”的绩效目标", link
        )
    elif new is DeclarationStatus.approved:
        notifications.notify(session, units, f"绩效目标已审定：“{record.project_name}”", link)


def reopen(
    session: Session, actor: Actor, declaration_id: int, expected_version: int, *, reason: str
) -> DeclarationRecord:
    """Finance reopens approved targets for an adjustment (绩效目标调整): back to the unit as
    returned, the reason on record; the frozen baseline stays until the adjusted targets are
    approved again (each approval is a baseline of its own)."""
    require_role(actor, Role.finance, Role.admin)
    record = get_visible(session, actor, declaration_id)
    if not reason.strip():
        raise StoreError("重新打开时请填写调整绩效目标的原因")
    check_version(record, expected_version)
    if record.status != DeclarationStatus.approved:
        raise Forbidden("只有已审定的绩效目标可以重新打开调整")
    before = {"status": record.status}
    record.status = DeclarationStatus.returned.value
    record.return_comment = f"调整绩效目标：{reason.strip()}"[:2000]
    record.updated_at = utcnow()
    flush(session)
    log(
        session,
        actor,
        "declaration.reopened",
        "declaration",
        record.id,
        before,
        {"status": record.status, "reason": reason.strip()},
    )
    notifications.notify(
        session,
        notifications.unit_users(session, record.unit_id),
        f"绩效目标重新打开调整：“{record.project_name}”，原因：{reason.strip()}",
        f"/declarations/{record.id}",
    )
    return record


def baselines(session: Session, declaration_id: int) -> list[DeclarationBaseline]:
    """Every approval's frozen targets of a declaration, oldest first."""
    query = select(DeclarationBaseline).where(DeclarationBaseline.declaration_id == declaration_id)
    return list(session.scalars(query.order_by(DeclarationBaseline.id)))


def opinions(session: Session, declaration_id: int) -> list[DeclarationOpinion]:
    """Every decision on a declaration, oldest first."""
    query = select(DeclarationOpinion).where(DeclarationOpinion.declaration_id == declaration_id)
    return list(session.scalars(query.order_by(DeclarationOpinion.id)))


def baseline(session: Session, declaration_id: int) -> DeclarationBaseline | None:
    """The frozen targets of the latest approval of a declaration."""
    query = select(DeclarationBaseline).where(DeclarationBaseline.declaration_id == declaration_id)
    return session.scalars(query.order_by(DeclarationBaseline.id.desc())).first()


# ---------------------------------------------------------------------------------------------
# the thread: next year's self-evaluation starts from the approved targets


def approved_for(
    session: Session, unit_id: int | None, year: int | None, project_name: str
) -> DeclarationRecord | None:
    """The declaration of a unit's project for a budget year whose targets were approved (the latest
    round's); one reopened for an adjustment still counts: its last approval is the baseline."""
    if unit_id is None or year is None:
        return None
    approved = select(DeclarationBaseline.declaration_id)
    query = select(DeclarationRecord).where(
        DeclarationRecord.unit_id == unit_id,
        DeclarationRecord.year == year,
        DeclarationRecord.project_name == project_name.strip(),
        DeclarationRecord.id.in_(approved),
    )
    return session.scalars(query.order_by(DeclarationRecord.id.desc())).first()


def evaluation_from(declaration: Declaration, framework: str | None = None) -> Evaluation:
    """The self-evaluation of a declared project, its indicators starting from the approved targets."""
    try:
        return api.evaluation_from_declaration(declaration, framework or "self-2020")
    except api.FrameworkError as exc:
        problems = "；".join(f.message for f in exc.findings)
        raise StoreError(f"无法按审定的绩效目标生成自评表：{problems}") from exc


def start_for_assignment(
    session: Session, unit: Organisation, year: int, project_name: str, framework: str
) -> tuple[Evaluation, int] | None:
    """When a task assigns a project whose targets were approved for that year: the evaluation to
    start from and the declaration's id (None when there is none)."""
    record = approved_for(session, unit.id, year, project_name)
    if record is None:
        return None
    frozen = baseline(session, record.id)
    evaluation = evaluation_from(load(frozen if frozen is not None else record), framework)
    evaluation.project.name = project_name.strip()
    return evaluation, record.id


def start_evaluation(
    session: Session, actor: Actor, declaration_id: int, task_id: int | None
) -> EvaluationRecord:
    """Finance starts the project's self-evaluation from its approved targets (生成下一年度自评)."""
    require_role(actor, Role.finance, Role.admin)
    record = get_visible(session, actor, declaration_id)
    # the row locked (PostgreSQL; SQLite writers queue anyway): of two finance users generating
    # at once, the second sees the first one's evaluation below
    session.refresh(record, with_for_update=True)
    if record.status != DeclarationStatus.approved:
        raise Forbidden("只有已审定的绩效目标可以生成自评表")
    existing = session.scalars(
        select(EvaluationRecord.id).where(EvaluationRecord.declaration_id == record.id)
    ).first()
    if existing is not None:
        raise Conflict(f"已按该申报生成过自评表（评价编号 {existing}）")
    task = session.get(Task, task_id) if task_id is not None else None
    if task_id is not None and task is None:
        raise StoreError("任务不存在")
    if task is not None and task.year != record.year:
        raise StoreError(f"所选任务是 {task.year} 年度的，绩效目标是 {record.year} 年度的")
    frozen = baseline(session, record.id)
    evaluation = evaluation_from(
        load(frozen if frozen is not None else record), task.framework if task else None
    )
    if task is not None:
        evaluation.policy = task.policy
    unit = session.get(Organisation, record.unit_id)
    department = session.get(Organisation, record.department_id) if record.department_id else None
    created = add_evaluation(session, actor, evaluation, unit=unit, department=department, task=task)
    created.declaration_id = record.id
    flush(session)
    log(
        session,
        actor,
        "declaration.start-evaluation",
        "declaration",
        record.id,
        None,
        {"evaluation_id": created.id, "task_id": task_id},
    )
    if task is not None:
        notifications.on_assigned(session, created, task)
    return created


def approved_unassigned(session: Session, task: Task) -> list[DeclarationRecord]:
    """The declarations approved for the task's year whose project the task has not yet given to
    their unit (one per unit and project: the latest round's)."""
    assigned = {
        (unit_id, name)
        for unit_id, name in session.execute(
            select(EvaluationRecord.unit_id, EvaluationRecord.project_name).where(
                EvaluationRecord.task_id == task.id
            )
        )
    }
    latest: dict[tuple[int, str], DeclarationRecord] = {}
    query = (
        select(DeclarationRecord)
        .options(defer(DeclarationRecord.data), defer(DeclarationRecord.review))
        .where(
            DeclarationRecord.year == task.year,
            DeclarationRecord.status == DeclarationStatus.approved.value,
        )
        .order_by(DeclarationRecord.id)
    )
    for record in session.scalars(query):
        latest[(record.unit_id, record.project_name)] = record
    return [r for key, r in latest.items() if key not in assigned]


def assign_approved(session: Session, actor: Actor, task: Task) -> list[EvaluationRecord]:
    """Finance gives the task every project whose targets were approved for its year (each to its
    unit, starting from the approved targets); refused when there is none."""
    require_role(actor, Role.finance, Role.admin)
    waiting = approved_unassigned(session, task)
    if not waiting:
        raise StoreError(f"没有待分配的 {task.year} 年度已审定绩效目标的项目")
    records = []
    for declared in waiting:
        unit = session.get(Organisation, declared.unit_id)
        assert unit is not None
        records.append(assign_project(session, actor, task, unit, declared.project_name))
    log(
        session,
        actor,
        "task.assign",
        "task",
        task.id,
        None,
        {"projects": [r.project_name for r in records], "from": "approved declarations"},
    )
    return records


def declared_for(session: Session, evaluation: EvaluationRecord) -> DeclarationRecord | None:
    """The approved declaration an evaluation is measured against: its link, else by unit, year, project."""
    if evaluation.declaration_id is not None:
        linked = session.get(DeclarationRecord, evaluation.declaration_id)
        if linked is not None and baseline(session, linked.id) is not None:
            return linked
    return approved_for(session, evaluation.unit_id, evaluation.year, evaluation.project_name)


def differences(session: Session, record: DeclarationRecord, evaluation: Evaluation) -> list[Finding]:
    """Findings naming each change of the evaluation's targets from the approved (frozen) ones."""
    frozen = baseline(session, record.id)
    return api.compare_with_declaration(evaluation, load(frozen if frozen is not None else record))


# ---------------------------------------------------------------------------------------------
# reading uploaded files (run in the upload sandbox's child process)


@dataclass
class ParsedDeclarations:
    """What an uploaded file held: each declaration as plain data, and the problems met."""

    declarations: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def read_declarations(path: Path) -> ParsedDeclarations:
    """Every declaration an uploaded file holds (a 申报表 jixiao wrote, a system-export workbook
    with one project per sheet, a published 申报表, a declaration file): ``api.ingest_declarations``
    in the upload sandbox, plain data out."""
    out = ParsedDeclarations()
    for loaded in api.ingest_declarations(path):
        out.messages += [f.message for f in loaded.findings if f.severity is Severity.error]
        if loaded.declaration is not None:
            data = to_data(loaded.declaration)
            data.pop("source", None)
            out.declarations.append(data)
    return out
