"""The rectification ledger (整改台账) and 结果应用 on the database.

Items come from a reviewed evaluation's findings (复核), a declaration's review, a monitoring red
light, or an audit report's problem list (Excel); the unit writes 整改措施 and 完成情况 with
evidence and moves the status by the rules of ``api.transition``; finance confirms (已确认) or sends
back (整改中). An open item past its deadline is 逾期 (derived) and its unit is told once.

Authorisation as everywhere: a unit sees its own items, a department its units', finance, admin and
viewers all; every change checks the version the actor saw (``Conflict``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jixiao import api
from jixiao.api import Evaluation
from jixiao.rectification import ItemStatus, Origin, RectificationItem
from jixiao.store import declarations, notifications
from jixiao.store.models import (
    DeclarationRecord,
    EvaluationRecord,
    MonitoringRecord,
    Organisation,
    OrgKind,
    RectificationRecord,
    Role,
    Status,
    User,
    utcnow,
)
from jixiao.store.queries import Actor, Conflict, Forbidden, NotFound, StoreError, require_role
from jixiao.store.service import load_evaluation, log, stored_audit
from jixiao.vocabulary import ITEM_STATUS_NAMES, ORIGIN_NAMES

STATUS_NAMES = ITEM_STATUS_NAMES
__all__ = ["ORIGIN_NAMES"]
OPEN = (ItemStatus.pending.value, ItemStatus.in_progress.value)
MAX_IMPORTED = 500  # items from one audit report


def for_actor(actor: Actor) -> Select[RectificationRecord]:
    """``SELECT`` of the items ``actor`` may see."""
    query = select(RectificationRecord)
    if actor.sees_all:
        return query
    if actor.role == Role.unit and actor.org_id is not None:
        return query.where(RectificationRecord.unit_id == actor.org_id)
    if actor.role == Role.department and actor.org_id is not None:
        return query.where(RectificationRecord.department_id == actor.org_id)
    return query.where(RectificationRecord.id == -1)


def get_visible(session: Session, actor: Actor, item_id: int) -> RectificationRecord:
    """The item if ``actor`` may see it, else ``NotFound``."""
    record = session.scalars(for_actor(actor).where(RectificationRecord.id == item_id)).first()
    if record is None:
        raise NotFound("找不到该整改事项，或您无权查看")
    return record


def load(record: RectificationRecord) -> RectificationItem:
    """The stored JSON as a ``RectificationItem``."""
    return RectificationItem.model_validate(record.data)


def is_overdue(record: RectificationRecord, today: date) -> bool:
    """Open past its deadline (逾期)."""
    return record.status in OPEN and record.deadline is not None and today > record.deadline


def status_label(record: RectificationRecord, today: date) -> str:
    """逾期 for an open item past its deadline, else its status name."""
    return "逾期" if is_overdue(record, today) else STATUS_NAMES.get(record.status, record.status)


def _check_version(record: RectificationRecord, expected_version: int) -> None:
    if record.version != expected_version:
        raise Conflict(
            f"操作冲突：该整改事项已被其他人更新或确认（您打开的是第 {expected_version} 版，当前是第 "
            f"{record.version} 版，状态“{STATUS_NAMES.get(record.status, record.status)}”）。"
            "本次操作未生效；请重新打开后再操作。"
        )


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "操作冲突：该整改事项刚被其他人更新或确认，本次操作未生效；请重新打开后再操作。"
        ) from exc


def _store(record: RectificationRecord, item: RectificationItem) -> None:
    record.data = item.model_dump(mode="json", exclude_none=True)
    record.status = item.status.value
    record.deadline = item.deadline
    record.updated_at = utcnow()


def add_items(
    session: Session,
    actor: Actor | None,
    items: Sequence[RectificationItem],
    *,
    unit_id: int | None,
    department_id: int | None,
    unit_name: str | None,
    evaluation_id: int | None = None,
    declaration_id: int | None = None,
    monitoring_id: int | None = None,
) -> list[RectificationRecord]:
    """Store new items; one whose id is already in the ledger for the same source is kept as it is."""
    known = list(
        session.scalars(
            select(RectificationRecord.data).where(
                RectificationRecord.unit_id == unit_id,
                RectificationRecord.evaluation_id == evaluation_id,
                RectificationRecord.declaration_id == declaration_id,
                RectificationRecord.monitoring_id == monitoring_id,
            )
        )
    )
    ids = {d.get("id") for d in known if isinstance(d, dict)}
    out = []
    for item in items:
        if item.id and item.id in ids:
            continue
        if unit_name and not item.unit:
            item.unit = unit_name
        record = RectificationRecord(
            unit_id=unit_id,
            department_id=department_id,
            year=item.year,
            project_name=item.project[:500],
            unit_name=unit_name or item.unit,
            origin=item.origin.value,
            evaluation_id=evaluation_id,
            declaration_id=declaration_id,
            monitoring_id=monitoring_id,
            overdue_notified=False,
            created_by=actor.user_id if actor else None,
            data={},
        )
        _store(record, item)
        session.add(record)
        out.append(record)
    session.flush()
    for record in out:
        log(session, actor, "rectification.create", "rectification", record.id, None, record.data)
    if out:
        notifications.notify(
            session,
            notifications.unit_users(session, unit_id),
            f"整改台账新增 {len(out)} 项问题（{ORIGIN_NAMES.get(out[0].origin, out[0].origin)}），请落实整改",
            "/rectification",
        )
    return out


def from_evaluation(session: Session, actor: Actor, evaluation_id: int) -> list[RectificationRecord]:
    """Finance puts a reviewed (复核通过) evaluation's problems on the ledger."""
    require_role(actor, Role.finance, Role.admin)
    record = session.get(EvaluationRecord, evaluation_id)
    if record is None:
        raise NotFound("找不到该评价")
    if record.status != Status.approved:
        raise StoreError("只有复核通过的评价才能生成整改事项")
    evaluation = load_evaluation(record)
    items = api.ledger_items(evaluation, "review", audit=stored_audit(session, record), on=date.today())
    if not items:
        raise StoreError("该评价的复核没有需要整改的问题")
    return add_items(
        session,
        actor,
        items,
        unit_id=record.unit_id,
        department_id=record.department_id,
        unit_name=record.unit_name,
        evaluation_id=record.id,
    )


def from_declaration(session: Session, actor: Actor, declaration_id: int) -> list[RectificationRecord]:
    """Finance puts a declaration review's problems on the ledger."""
    require_role(actor, Role.finance, Role.admin)
    record = declarations.get_visible(session, actor, declaration_id)
    declaration = declarations.load(record)
    items = api.items_from_declaration_review(
        declaration, api.review_declaration(declaration), on=date.today()
    )
    if not items:
        raise StoreError("该申报的审核没有需要整改的问题")
    return add_items(
        session,
        actor,
        items,
        unit_id=record.unit_id,
        department_id=record.department_id,
        unit_name=record.unit_name,
        declaration_id=record.id,
    )


def from_monitoring(
    session: Session, actor: Actor | None, record: MonitoringRecord, monitoring: Any, verdict: Any
) -> list[RectificationRecord]:
    """A red (or yellow) light's item: the warning's reasons as the problem."""
    reasons: list[Any] = list(verdict.findings) or list(verdict.reasons) or ["执行监控预警"]
    items = api.items_from_monitoring(monitoring, verdict.light, reasons, on=date.today())
    for item in items:
        item.year = item.year or record.year
    return add_items(
        session,
        actor,
        items,
        unit_id=record.unit_id,
        department_id=record.department_id,
        unit_name=record.unit_name,
        monitoring_id=record.id,
    )


def read_audit_report(path: Path) -> list[dict[str, Any]]:
    """The problems of an audit report's Excel list as plain data (run in the upload sandbox)."""
    return [i.model_dump(mode="json", exclude_none=True) for i in api.read_audit_problems(path)]


def import_audit(
    session: Session,
    actor: Actor,
    rows: list[dict[str, Any]],
    *,
    unit_id: int,
    file: str,
    year: int | None = None,
) -> list[RectificationRecord]:
    """Problems imported from an audit report (审计) for one unit (all or nothing); ``year`` is the
    year of the items the list does not date."""
    require_role(actor, Role.finance, Role.admin)
    unit = session.get(Organisation, unit_id)
    if unit is None or unit.kind != OrgKind.unit:
        raise StoreError("请选择责任单位（实施单位）")
    if not rows:
        raise StoreError("文件中没有找到审计发现的问题")
    if len(rows) > MAX_IMPORTED:
        raise StoreError(f"一个文件最多导入 {MAX_IMPORTED} 项问题，本文件有 {len(rows)} 项")
    items = []
    for row in rows:
        item = RectificationItem.model_validate(row)
        item.origin = Origin.audit
        item.year = item.year or year
        item.status = ItemStatus.pending
        item.history = []
        items.append(item)
    out = add_items(session, actor, items, unit_id=unit.id, department_id=unit.parent_id, unit_name=unit.name)
    log(
        session, actor, "rectification.import", "rectification", None, None, {"file": file, "count": len(out)}
    )
    return out


def update(
    session: Session,
    actor: Actor,
    item_id: int,
    expected_version: int,
    *,
    measures: str,
    progress: str,
    evidence: list[str],
    to: str = "",
    note: str = "",
    today: date | None = None,
) -> RectificationRecord:
    """The unit records 整改措施 / 完成情况 / evidence and may move the status (整改中, 已整改待确认,
    不整改); the rules are ``api.transition``'s."""
    record = get_visible(session, actor, item_id)
    if not (actor.role == Role.admin or (actor.role == Role.unit and record.unit_id == actor.org_id)):
        raise Forbidden("只有责任单位可以填写整改情况")
    _check_version(record, expected_version)
    if record.status == ItemStatus.confirmed:
        raise Forbidden("该问题的整改已确认，不能再修改")
    if to == ItemStatus.confirmed:
        raise Forbidden("整改完成情况由财政确认")
    for text, label, limit in (
        (measures, "整改措施", 4000),
        (progress, "完成情况", 4000),
        (note, "说明", 2000),
    ):
        if len(text) > limit:
            raise StoreError(f"{label}不超过 {limit} 字")
    before = dict(record.data)
    item = load(record)
    item.measures = measures.strip() or item.measures
    item.progress = progress.strip() or item.progress
    item.progress_evidence = [e.strip()[:300] for e in evidence if e.strip()][:20] or item.progress_evidence
    if to and to != item.status:
        item = _move(item, to, actor.username, today or date.today(), note or None)
    _store(record, item)
    _flush(session)
    log(session, actor, "rectification.update", "rectification", record.id, before, record.data)
    if record.status == ItemStatus.done:
        finance = session.scalars(select(User).where(User.role.in_((Role.finance, Role.admin)), User.active))
        notifications.notify(
            session,
            finance,
            f"“{record.project_name}”的整改事项已整改，待确认",
            f"/rectification/{record.id}",
        )
    return record


def _move(item: RectificationItem, to: str, by: str, on: date, note: str | None) -> RectificationItem:
    try:
        moved: RectificationItem = api.transition(item, to, by, on, note)
    except api.TransitionError as exc:
        raise StoreError(str(exc)) from exc
    return moved


def confirm(
    session: Session,
    actor: Actor,
    item_id: int,
    expected_version: int,
    accept: bool,
    note: str = "",
    today: date | None = None,
) -> RectificationRecord:
    """Finance confirms the rectification (已确认) or sends it back (整改中, with the reason). Of two
    finance users at once one wins, the other gets ``Conflict``."""
    require_role(actor, Role.finance, Role.admin)
    record = get_visible(session, actor, item_id)
    _check_version(record, expected_version)
    if record.status != ItemStatus.done:
        raise StoreError(
            f"该整改事项的状态是“{STATUS_NAMES.get(record.status, record.status)}”，不是“已整改待确认”"
        )
    if not accept and not note.strip():
        raise StoreError("退回时请写明原因")
    before = dict(record.data)
    item = _move(
        load(record),
        ItemStatus.confirmed if accept else ItemStatus.in_progress,
        actor.username,
        today or date.today(),
        note.strip() or None,
    )
    _store(record, item)
    _flush(session)
    log(
        session,
        actor,
        "rectification.confirm" if accept else "rectification.return",
        "rectification",
        record.id,
        before,
        record.data,
    )
    notifications.notify(
        session,
        notifications.unit_users(session, record.unit_id),
        f"“{record.project_name}”的整改事项" + ("已确认" if accept else f"被退回：{note.strip()[:100]}"),
        f"/rectification/{record.id}",
    )
    return record


def notify_overdue(session: Session, today: date) -> int:
    """Tell each unit once about its items that became 逾期; returns how many items were marked."""
    rows = session.scalars(
        select(RectificationRecord)
        .where(
            RectificationRecord.status.in_(OPEN),
            RectificationRecord.deadline < today,
            RectificationRecord.overdue_notified.is_(False),
        )
        .with_for_update(skip_locked=True)  # two logins at once tell each unit once (PostgreSQL)
    ).all()
    for record in rows:
        notifications.notify(
            session,
            notifications.unit_users(session, record.unit_id),
            f"整改事项已逾期：“{record.project_name}”（时限 {record.deadline}）",
            f"/rectification/{record.id}",
        )
        record.overdue_notified = True
    session.flush()
    return len(rows)


def ledger_query(
    actor: Actor,
    *,
    year: int | None = None,
    status: str = "",
    origin: str = "",
    unit_id: int | None = None,
    project: str = "",
    today: date,
) -> Select[RectificationRecord]:
    """The ledger the actor may see, filtered (``status`` may be ``overdue``, 逾期), in deadline order."""
    query = for_actor(actor)
    if year is not None:
        query = query.where(RectificationRecord.year == year)
    if status == "overdue":
        query = query.where(RectificationRecord.status.in_(OPEN), RectificationRecord.deadline < today)
    elif status:
        query = query.where(RectificationRecord.status == status)
    if origin:
        query = query.where(RectificationRecord.origin == origin)
    if unit_id is not None:
        query = query.where(RectificationRecord.unit_id == unit_id)
    if project:
        query = query.where(RectificationRecord.project_name == project)
    return query.order_by(RectificationRecord.deadline, RectificationRecord.id)


def ledger(
    session: Session,
    actor: Actor,
    *,
    year: int | None = None,
    status: str = "",
    origin: str = "",
    unit_id: int | None = None,
    project: str = "",
    today: date,
    limit: int = 5000,
) -> list[RectificationRecord]:
    """The ledger the actor may see, filtered (:func:`ledger_query`), at most ``limit`` items."""
    query = ledger_query(
        actor, year=year, status=status, origin=origin, unit_id=unit_id, project=project, today=today
    )
    return list(session.scalars(query.limit(limit)))


def export(records: list[RectificationRecord], fmt: str, today: date, title: str) -> bytes:
    """The ledger as xlsx (``api.ledger_xlsx``) or csv."""
    items = [load(r) for r in records]
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                "项目名称",
                "责任单位",
                "来源",
                "问题",
                "整改要求",
                "整改措施",
                "时限",
                "状态",
                "完成情况",
                "确认人",
            ]
        )
        for r, i in zip(records, items, strict=True):
            row = [
                i.project,
                r.unit_name or "",
                ORIGIN_NAMES.get(r.origin, r.origin),
                i.problem,
                i.requirement or "",
                i.measures or "",
                str(i.deadline or ""),
                status_label(r, today),
                i.progress or "",
                i.confirmed_by or "",
            ]
            writer.writerow(["'" + c if c[:1] in "=+-@" else c for c in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise StoreError("导出格式只能是 xlsx 或 csv")
    return api.ledger_xlsx(items, today, title=title)


# ---------------------------------------------------------------------------------------------
# 结果应用


def graded(session: Session, actor: Actor, year: int, unit_id: int | None = None) -> list[EvaluationRecord]:
    """The year's reviewed (复核通过) evaluations the actor may see."""
    from jixiao.store.queries import for_user

    query = for_user(actor).where(EvaluationRecord.year == year, EvaluationRecord.status == Status.approved)
    if unit_id is not None:
        query = query.where(EvaluationRecord.unit_id == unit_id)
    return list(session.scalars(query.order_by(EvaluationRecord.unit_name, EvaluationRecord.project_name)))


def suggestions(
    session: Session, actor: Actor, year: int, today: date, policy: str | None = None
) -> tuple[list[Any], dict[str, str | None]]:
    """Next year's suggested budget per reviewed evaluation of ``year`` (``api.budget_suggestions``,
    the ledger's overdue and declined items counted), and each project's unit."""
    records = graded(session, actor, year)
    evaluations: list[Evaluation] = [load_evaluation(r) for r in records]
    items = [load(r) for r in session.scalars(for_actor(actor).where(RectificationRecord.year == year))]
    found = api.budget_suggestions(evaluations, policy, items=items, today=today) if evaluations else []
    units = {r.project_name: r.unit_name for r in records}
    return list(found), units


def publication(
    session: Session, actor: Actor, unit_id: int, year: int, today: date
) -> tuple[str, bytes, bytes]:
    """绩效公开: the unit's name, the pack as one PDF and as a zip."""
    unit = session.get(Organisation, unit_id)
    if unit is None:
        raise NotFound("单位不存在")
    if actor.role == Role.unit and actor.org_id != unit_id:
        raise NotFound("单位不存在")
    if actor.role == Role.department and unit.parent_id != actor.org_id:
        raise NotFound("单位不存在")
    records = graded(session, actor, year, unit_id)
    if not records:
        raise StoreError(f"{unit.name} {year} 年度还没有复核通过的评价，无法生成公开材料")
    evaluations = [load_evaluation(r) for r in records]
    items = [load(r) for r in ledger(session, actor, year=year, unit_id=unit_id, today=today)]
    pdf, zipped = api.publication_pack(unit.name, year, evaluations, items, today=today)
    return unit.name, pdf, zipped


def declared_record(
    session: Session, unit_id: int | None, year: int, project: str
) -> DeclarationRecord | None:
    """The declaration of a project's year (approved or not; the latest)."""
    query = select(DeclarationRecord).where(
        DeclarationRecord.unit_id == unit_id,
        DeclarationRecord.year == year,
        DeclarationRecord.project_name == project,
    )
    return session.scalars(query.order_by(DeclarationRecord.id.desc())).first()
