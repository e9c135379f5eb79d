"""The monitoring round (运行监控, 双监控): finance opens a round for a year and a cut-off month, each
project with approved targets gets its 执行监控表 prefilled from them, units fill and submit, the
warning policy lights every project (red / yellow / green) and finance writes its 纠偏 decision.

Every operation is one step of one transaction, logged in the audit log; every read and write goes
through the actor's authorisation (a unit sees only its own reports, a department its units',
finance, admin and viewers all); every change checks the version the actor saw (``Conflict``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.exc import StaleDataError

from jixiao import api
from jixiao.api import Declaration, Finding
from jixiao.model import Figure
from jixiao.monitoring import (
    Cause,
    CauseCategory,
    Correction,
    Decision,
    Light,
    Likelihood,
    Monitoring,
)
from jixiao.store import declarations, notifications
from jixiao.store.models import (
    DeclarationRecord,
    MonitoringRecord,
    MonitoringRound,
    MonitoringStatus,
    Role,
    User,
    utcnow,
)
from jixiao.store.queries import Actor, Conflict, Forbidden, NotFound, StoreError, require_role
from jixiao.store.service import log
from jixiao.vocabulary import CAUSE_NAMES, DECISION_NAMES, LIGHT_NAMES, LIKELIHOOD_NAMES

__all__ = [
    "CAUSE_NAMES",
    "DECISION_NAMES",
    "LIGHT_NAMES",
    "LIKELIHOOD_NAMES",
    "Cause",
    "CauseCategory",
    "Figure",
    "Likelihood",
]

STATUS_NAMES = {MonitoringStatus.draft.value: "填报中", MonitoringStatus.submitted.value: "已提交"}
LIGHT_ORDER = {Light.red.value: 0, Light.yellow.value: 1, Light.green.value: 2}
DEFAULT_POLICY = "national"
SORTS = ("light", "execution", "unit")


# ---------------------------------------------------------------------------------------------
# who sees and does what


def for_actor(actor: Actor) -> Select[MonitoringRecord]:
    """``SELECT`` of the monitoring reports ``actor`` may see."""
    query = select(MonitoringRecord)
    if actor.sees_all:
        return query
    if actor.role == Role.unit and actor.org_id is not None:
        return query.where(MonitoringRecord.unit_id == actor.org_id)
    if actor.role == Role.department and actor.org_id is not None:
        return query.where(MonitoringRecord.department_id == actor.org_id)
    return query.where(MonitoringRecord.id == -1)


def listing(actor: Actor) -> Select[MonitoringRecord]:
    """``for_actor`` without the report JSON: for lists and the warning board."""
    return for_actor(actor).options(defer(MonitoringRecord.data), defer(MonitoringRecord.findings))


def get_visible(session: Session, actor: Actor, report_id: int) -> MonitoringRecord:
    """The report if ``actor`` may see it, else ``NotFound`` (its id leaks nothing)."""
    record = session.scalars(for_actor(actor).where(MonitoringRecord.id == report_id)).first()
    if record is None:
        raise NotFound("找不到该监控表，或您无权查看")
    return record


def can_edit(actor: Actor, record: MonitoringRecord) -> bool:
    """Units fill their own reports until submitted; admins any unsubmitted one."""
    if record.status != MonitoringStatus.draft:
        return False
    if actor.role == Role.admin:
        return True
    return actor.role == Role.unit and actor.org_id is not None and record.unit_id == actor.org_id


def can_decide(actor: Actor, record: MonitoringRecord) -> bool:
    """Finance (and admin) write 纠偏 on submitted reports."""
    return actor.role in (Role.finance, Role.admin) and record.status == MonitoringStatus.submitted


def flush(session: Session) -> None:
    """Flush, turning a concurrent update caught by the version column into ``Conflict``."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "操作冲突：该监控表刚被其他人修改或作出纠偏决定，本次操作未生效；请重新打开后再操作。"
        ) from exc


def check_version(record: MonitoringRecord, expected_version: int) -> None:
    """Refuse with ``Conflict`` when the report changed since the actor loaded it."""
    if record.version != expected_version:
        decided = (
            f"，财政已作出纠偏决定“{DECISION_NAMES.get(record.decision, record.decision)}”"
            if record.decision
            else ""
        )
        raise Conflict(
            f"操作冲突：该监控表已被其他人修改（您打开的是第 {expected_version} 版，当前是第 {record.version} 版"
            f"{decided}）。本次操作未生效；请重新打开后再操作。"
        )


# ---------------------------------------------------------------------------------------------
# the report as data, and its review


def to_data(monitoring: Monitoring) -> dict[str, Any]:
    """The report as plain JSON-compatible data."""
    data: dict[str, Any] = monitoring.model_dump(mode="json", exclude_none=True)
    return data


def load(record: MonitoringRecord) -> Monitoring:
    """The stored JSON as a ``Monitoring`` (it was validated when saved)."""
    return Monitoring.model_validate(record.data)


def from_declaration(declaration: Declaration, cutoff_month: int) -> Monitoring:
    """A report prefilled from the approved targets (``api.monitoring_from_declaration``)."""
    return api.monitoring_from_declaration(declaration, cutoff_month)


@dataclass
class Review:
    """The warning policy's verdict on a report: the light, the execution rate, reasons, findings."""

    light: Light
    execution_rate: Decimal | None
    reasons: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def data(self) -> list[dict[str, Any]]:
        """The findings and reasons as stored beside the report."""
        rows = [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "where": f.location.describe(),
            }
            for f in self.findings
        ]
        known = {r["message"] for r in rows}
        rows.extend(
            {"code": "warning", "severity": "warning", "message": r, "where": ""}
            for r in self.reasons
            if r not in known
        )
        return rows


def _rate(monitoring: Monitoring) -> Decimal | None:
    total = monitoring.funds[0] if monitoring.funds else None
    if total is None or not total.budget or total.spent is None:
        return None
    return (total.spent / total.budget * 100).quantize(Decimal("0.01"))


def review(
    monitoring: Monitoring, declaration: Declaration | None = None, policy: str | None = None
) -> Review:
    """The light and findings by the round's warning policy (``api.review_monitoring``; the
    national policy when the round's cannot be loaded any more), checked against the approved targets."""
    try:
        audit = api.review_monitoring(monitoring, policy or None, declaration)
    except api.WarningPolicyError:
        audit = api.review_monitoring(monitoring, DEFAULT_POLICY, declaration)
    warning = audit.warning
    return Review(Light(audit.light), warning.execution_rate, list(warning.reasons()), list(audit.findings))


def policies() -> dict[str, str]:
    """The built-in warning policies (预警口径) by name with their titles, the national one first."""
    names = sorted(api.builtin_warning_names(), key=lambda n: (n != DEFAULT_POLICY, n))
    out = {}
    for name in names:
        try:
            out[name] = api.load_warning_policy(name).title or name
        except api.WarningPolicyError:
            continue
    return out or {DEFAULT_POLICY: DEFAULT_POLICY}


@dataclass
class ParsedForm:
    """What an uploaded 执行监控表 held: the reports as plain data and the reader's messages."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def read_form(path: Path) -> ParsedForm:
    """An uploaded 执行监控表 (Excel or Word, jixiao's form or a unit's) or monitoring file read back
    (run in the upload sandbox)."""
    loaded = api.load_monitoring(path)
    out = ParsedForm(messages=[f.message for f in loaded.findings][:10])
    if loaded.monitoring is not None:
        out.reports.append(to_data(loaded.monitoring))
    return out


def merge_imported(record: MonitoringRecord, imported: Monitoring) -> Monitoring:
    """The imported figures kept on the report's own project, year and cut-off month."""
    if imported.cutoff_month != record.cutoff_month:
        raise StoreError(
            f"导入的执行监控表是 1—{imported.cutoff_month}月的，本批次是 1—{record.cutoff_month}月，请导入对应月份的表"
        )
    current = load(record)
    imported.project = current.project
    imported.year = record.year
    imported.policy = current.policy
    imported.corrections = current.corrections
    return imported


def document(session: Session, record: MonitoringRecord, fmt: str) -> bytes:
    """The 执行监控表 (docx, xlsx, pdf) with its light, reasons and findings."""
    round_ = get_round(session, record.round_id)
    declared = None
    if record.declaration_id is not None:
        frozen = declarations.baseline(session, record.declaration_id)
        declared = declarations.load(frozen) if frozen is not None else None
    try:
        return api.render_monitoring(load(record), fmt, policy=round_.policy, declaration=declared)  # type: ignore[arg-type]
    except api.WarningPolicyError:
        return api.render_monitoring(load(record), fmt, declaration=declared)  # type: ignore[arg-type]


def _new_record(
    session: Session, round_: MonitoringRound, declared: DeclarationRecord, monitoring: Monitoring
) -> MonitoringRecord:
    record = MonitoringRecord(
        round_id=round_.id,
        declaration_id=declared.id,
        unit_id=declared.unit_id,
        department_id=declared.department_id,
        year=round_.year,
        cutoff_month=round_.cutoff_month,
        project_name=declared.project_name,
        unit_name=declared.unit_name,
        status=MonitoringStatus.draft.value,
        n_findings=0,
        data=to_data(monitoring),
    )
    session.add(record)
    return record


# ---------------------------------------------------------------------------------------------
# rounds


def create_round(
    session: Session,
    actor: Actor,
    *,
    name: str,
    year: int,
    cutoff_month: int,
    policy: str = DEFAULT_POLICY,
    deadline: date | None = None,
) -> MonitoringRound:
    """Finance opens a monitoring round; every project of the year with approved targets gets its
    report, prefilled from the frozen baseline, and its unit is told."""
    require_role(actor, Role.finance, Role.admin)
    if not name.strip():
        raise StoreError("批次名称不能为空")
    if not 1990 <= year <= 2100:
        raise StoreError("年度应为 1990 到 2100 之间的四位数字")
    if not 1 <= cutoff_month <= 12:
        raise StoreError("截止月份应为 1 到 12")
    row = MonitoringRound(
        name=name.strip()[:300],
        year=year,
        cutoff_month=cutoff_month,
        policy=policy or DEFAULT_POLICY,
        deadline=deadline,
        created_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    units: set[int] = set()
    for declared in approved_declarations(session, year):
        frozen = declarations.baseline(session, declared.id)
        if frozen is None:
            continue
        monitoring = from_declaration(declarations.load(frozen), cutoff_month)
        monitoring.policy = row.policy
        monitoring.year = year
        _new_record(session, row, declared, monitoring)
        units.add(declared.unit_id)
    session.flush()
    log(
        session,
        actor,
        "monitoring_round.create",
        "monitoring_round",
        row.id,
        None,
        {"name": row.name, "year": year, "cutoff_month": cutoff_month, "policy": row.policy},
    )
    users = [u for unit in sorted(units) for u in notifications.unit_users(session, unit)]
    notifications.notify(
        session,
        users,
        f"运行监控“{row.name}”已开启（1—{cutoff_month}月），请填报执行监控表",
        f"/monitoring/rounds/{row.id}",
    )
    return row


def approved_declarations(session: Session, year: int) -> list[DeclarationRecord]:
    """The year's declarations whose targets were approved (the latest round's per unit and project)."""
    from jixiao.store.models import DeclarationBaseline

    approved = select(DeclarationBaseline.declaration_id)
    rows = session.scalars(
        select(DeclarationRecord)
        .where(DeclarationRecord.year == year, DeclarationRecord.id.in_(approved))
        .order_by(DeclarationRecord.id.desc())
    ).all()
    seen: dict[tuple[int, str], DeclarationRecord] = {}
    for r in rows:
        seen.setdefault((r.unit_id, r.project_name), r)
    return sorted(seen.values(), key=lambda r: r.id)


def get_round(session: Session, round_id: int) -> MonitoringRound:
    """The round, or a Chinese 监控批次不存在."""
    row = session.get(MonitoringRound, round_id)
    if row is None:
        raise NotFound("监控批次不存在")
    return row


# ---------------------------------------------------------------------------------------------
# filling, submitting, deciding


def save_report(
    session: Session, actor: Actor, report_id: int, expected_version: int, monitoring: Monitoring
) -> MonitoringRecord:
    """Save a unit's figures; ``Conflict`` when someone saved since ``expected_version``."""
    record = get_visible(session, actor, report_id)
    if not can_edit(actor, record):
        raise Forbidden(
            "该监控表已提交，不能再修改" if record.status != MonitoringStatus.draft else "您无权修改该监控表"
        )
    check_version(record, expected_version)
    monitoring.project.name = record.project_name
    monitoring.cutoff_month = record.cutoff_month
    monitoring.year = record.year
    before = dict(record.data)
    record.data = to_data(monitoring)
    record.execution_rate = float(rate) if (rate := _rate(monitoring)) is not None else None
    record.updated_at = utcnow()
    flush(session)
    log(session, actor, "monitoring.save", "monitoring", record.id, before, record.data)
    return record


def submit(session: Session, actor: Actor, report_id: int, expected_version: int) -> MonitoringRecord:
    """The unit submits its report: the warning policy lights it; finance is told; a red light opens
    a rectification item."""
    record = get_visible(session, actor, report_id)
    if not can_edit(actor, record):
        raise Forbidden("该监控表已提交" if record.status != MonitoringStatus.draft else "您无权提交该监控表")
    check_version(record, expected_version)
    round_ = get_round(session, record.round_id)
    monitoring = load(record)
    declared = None
    if record.declaration_id is not None:
        frozen = declarations.baseline(session, record.declaration_id)
        declared = declarations.load(frozen) if frozen is not None else None
    verdict = review(monitoring, declared, round_.policy)
    record.status = MonitoringStatus.submitted.value
    record.light = verdict.light.value
    record.execution_rate = float(verdict.execution_rate) if verdict.execution_rate is not None else None
    record.findings = verdict.data()
    record.n_findings = len(record.findings)
    record.submitted_at = record.updated_at = utcnow()
    flush(session)
    log(
        session,
        actor,
        "monitoring.submit",
        "monitoring",
        record.id,
        None,
        {"light": record.light, "execution_rate": record.execution_rate, "reasons": verdict.reasons},
    )
    finance = session.scalars(select(User).where(User.role.in_((Role.finance, Role.admin)), User.active))
    mark = LIGHT_NAMES.get(record.light, record.light)
    notifications.notify(
        session, finance, f"“{record.project_name}”提交了执行监控表（{mark}）", f"/monitoring/{record.id}"
    )
    if verdict.light is Light.red:
        from jixiao.store import rectification

        rectification.from_monitoring(session, actor, record, monitoring, verdict)
    return record


def decide(
    session: Session, actor: Actor, report_id: int, expected_version: int, decision: str, note: str
) -> MonitoringRecord:
    """Finance's 纠偏 (继续 / 调整 / 暂缓拨款 / 停止) with a note; the unit is told. Of two finance
    users deciding at once one wins, the other gets ``Conflict``."""
    require_role(actor, Role.finance, Role.admin)
    record = get_visible(session, actor, report_id)
    if record.status != MonitoringStatus.submitted:
        raise Forbidden("该监控表尚未提交，不能作出纠偏决定")
    check_version(record, expected_version)
    try:
        chosen = Decision(decision)
    except ValueError:
        raise StoreError("请选择纠偏决定：" + "、".join(DECISION_NAMES.values())) from None
    note = note.strip()
    if chosen is not Decision.proceed and not note:
        raise StoreError("请填写纠偏说明（调整、暂缓拨款或停止时必填）")
    if len(note) > 2000:
        raise StoreError("纠偏说明不超过 2000 字")
    before = {"decision": record.decision, "note": record.decision_note}
    monitoring = load(record)
    today = date.today()
    monitoring.corrections.append(Correction(decision=chosen, note=note or None, by=actor.username, on=today))
    record.data = to_data(monitoring)
    record.decision = chosen.value
    record.decision_note = note or None
    record.decided_by = actor.username
    record.decided_at = record.updated_at = utcnow()
    flush(session)
    log(
        session,
        actor,
        "monitoring.decide",
        "monitoring",
        record.id,
        before,
        {"decision": chosen.value, "note": note},
    )
    notifications.notify(
        session,
        notifications.unit_users(session, record.unit_id),
        f"财政对“{record.project_name}”作出纠偏决定：{DECISION_NAMES.get(chosen.value, chosen.value)}",
        f"/monitoring/{record.id}",
    )
    return record


# ---------------------------------------------------------------------------------------------
# the warning board


def board(
    session: Session, actor: Actor, round_id: int, sort: str = "light", light: str = ""
) -> list[MonitoringRecord]:
    """The round's reports the actor may see, sorted by light (red first), execution (lowest first)
    or unit."""
    query = listing(actor).where(MonitoringRecord.round_id == round_id)
    if light:
        query = query.where(MonitoringRecord.light == light)
    rows = list(session.scalars(query.limit(5000)))

    def by_light(r: MonitoringRecord) -> tuple[Any, ...]:
        return (
            LIGHT_ORDER.get(r.light or "", 3),
            r.execution_rate if r.execution_rate is not None else 1e9,
            r.unit_name,
            r.id,
        )

    if sort == "execution":
        rows.sort(key=lambda r: (r.execution_rate is None, r.execution_rate or 0.0, r.unit_name, r.id))
    elif sort == "unit":
        rows.sort(key=lambda r: (r.unit_name, r.project_name, r.id))
    else:
        rows.sort(key=by_light)
    return rows


BOARD_HEADERS = ("项目名称", "实施单位", "截止月份", "状态", "预警", "执行率（%）", "纠偏决定", "纠偏说明")


def board_rows(rows: list[MonitoringRecord]) -> list[list[Any]]:
    """The board as table rows (the headers are ``BOARD_HEADERS``)."""
    return [
        [
            r.project_name,
            r.unit_name,
            f"1—{r.cutoff_month}月",
            STATUS_NAMES.get(r.status, r.status),
            LIGHT_NAMES.get(r.light or "", "未提交"),
            r.execution_rate if r.execution_rate is not None else "",
            DECISION_NAMES.get(r.decision or "", ""),
            r.decision_note or "",
        ]
        for r in rows
    ]


def board_export(rows: list[MonitoringRecord], fmt: str, title: str) -> bytes:
    """The warning board as xlsx or csv (UTF-8 with BOM, so Excel reads the Chinese)."""
    table = board_rows(rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(BOARD_HEADERS)
        for row in table:
            writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise StoreError("导出格式只能是 xlsx 或 csv")
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "预警看板"
    sheet.append([title])
    sheet.append(list(BOARD_HEADERS))
    fills = {"红灯": "FFC7CE", "黄灯": "FFEB9C", "绿灯": "C6EFCE"}
    for row in table:
        sheet.append(row)
        colour = fills.get(str(row[4]))
        if colour:
            sheet.cell(sheet.max_row, 5).fill = PatternFill("solid", fgColor=colour)
    sheet["A1"].font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (36, 24, 10, 10, 8, 12, 12, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer_b = io.BytesIO()
    book.save(buffer_b)
    return buffer_b.getvalue()


def reports_for(
    session: Session, actor: Actor, unit_id: int | None, year: int, project_name: str
) -> list[MonitoringRecord]:
    """One project's reports of a year (the thread), earliest cut-off first."""
    query = listing(actor).where(
        MonitoringRecord.unit_id == unit_id,
        MonitoringRecord.year == year,
        MonitoringRecord.project_name == project_name,
    )
    return list(session.scalars(query.order_by(MonitoringRecord.cutoff_month, MonitoringRecord.id)))
