"""SQLAlchemy 2 tables of the workflow: organisations, users, tasks, evaluations, surveys, audit log.

An evaluation is stored as its validated JSON (the evaluation file format, ``api.to_data``) plus
the indexed columns the pages query (status, scores, grade, execution rate, findings counts).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    column,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql.compiler import DDLCompiler


def utcnow() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


@compiles(CreateIndex, "sqlite")
def _sqlite_index(create: CreateIndex, compiler: DDLCompiler, **kw: Any) -> str:
    # SQLite's indexes take no NULLS FIRST/LAST: a DESC column there already sorts NULLs last
    sql = compiler.visit_create_index(create, **kw)  # type: ignore[no-untyped-call]
    return str(sql).replace(" NULLS LAST", "")


class Base(DeclarativeBase):
    """Base of every table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class OrgKind(StrEnum):
    """Level of an organisation: 财政局 → 主管部门 → 实施单位 (and 第三方机构)."""

    bureau = "bureau"  # 财政局
    department = "department"  # 主管部门
    unit = "unit"  # 实施单位
    evaluator = "evaluator"  # 第三方机构


class Role(StrEnum):
    """What a user may do."""

    admin = "admin"  # 管理员
    finance = "finance"  # 财政复核
    unit = "unit"  # 单位填报
    evaluator = "evaluator"  # 第三方评价
    viewer = "viewer"  # 只读
    department = "department"  # 主管部门审核: reviews its units' target declarations


class Status(StrEnum):
    """Where an evaluation is in the yearly flow."""

    draft = "draft"  # 填报中
    submitted = "submitted"  # 已提交，待复核
    returned = "returned"  # 已退回修改
    approved = "approved"  # 复核通过


class Organisation(Base):
    """财政局, 主管部门, 实施单位 or 第三方机构; units hang under their department."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))


class User(Base):
    """A login: argon2 password hash, one role, one organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    email: Mapped[str | None] = mapped_column(String(200))  # for mailed notifications, when SMTP is set up


class Task(Base):
    """A yearly self-evaluation task issued by the finance bureau (framework + policy + deadline)."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    framework: Mapped[str] = mapped_column(String(100))
    policy: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvaluationRecord(Base):
    """One evaluation: the validated JSON plus indexed columns; ``version`` guards concurrent edits."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20), default="self")
    project_name: Mapped[str] = mapped_column(String(500))
    department_name: Mapped[str | None] = mapped_column(String(300))
    unit_name: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=Status.draft.value, index=True)
    claimed_total: Mapped[float | None] = mapped_column(Float)
    computed_total: Mapped[float | None] = mapped_column(Float)
    reviewed_total: Mapped[float | None] = mapped_column(Float)
    inflation: Mapped[float | None] = mapped_column(Float, index=True)  # claimed − recomputed
    grade: Mapped[str | None] = mapped_column(String(20))
    execution_rate: Mapped[float | None] = mapped_column(Float)
    max_severity: Mapped[int] = mapped_column(Integer, default=3)  # 0 error … 2 info, 3 none
    n_errors: Mapped[int] = mapped_column(Integer, default=0)
    n_warnings: Mapped[int] = mapped_column(Integer, default=0)
    review_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the approved target declaration the evaluation started from (``declarations.id``), if any
    declaration_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The JSON last: SQLite then reads the indexed columns without walking its overflow pages.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # Covering indexes: the dashboard's aggregates read these instead of the wide rows (with their JSON).
    __table_args__ = (
        # the review queue's order (``review.queue``): a page is read off the index, never sorted
        Index(
            "ix_evaluations_review",
            "status",
            "max_severity",
            column("inflation").desc().nulls_last(),
            "id",
        ),
        Index("ix_evaluations_grade", "grade", "year", "task_id", "department_name"),
        Index("ix_evaluations_department", "department_name", "computed_total", "year", "task_id"),
        Index("ix_evaluations_rate", "execution_rate", "year", "task_id", "department_name"),
        Index("ix_evaluations_unit_updated", "unit_id", "updated_at"),
    )


class EvaluationAudit(Base):
    """The audit of an evaluation as stored (``api.check`` as plain data), kept when it is saved;
    valid only while ``key`` is the evaluation's key now (see ``jixiao.store.audits``)."""

    __tablename__ = "evaluation_audits"

    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64))
    audit: Mapped[dict[str, Any]] = mapped_column(JSON)


class FindingRecord(Base):
    """A finding of the latest audit of an evaluation (replaced on every save)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    rank: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(String(300), default="")

    # the dashboard's most severe findings (``ORDER BY rank, id LIMIT 10``) read off the index
    __table_args__ = (Index("ix_findings_rank_id", "rank", "id"),)


class SurveyRecord(Base):
    """A satisfaction questionnaire for one evaluation; ``token`` is its public link."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    questions: Mapped[list[Any]] = mapped_column(JSON)  # question texts
    weights: Mapped[dict[str, Any]] = mapped_column(JSON)  # option → weight (100/80/60/40/0)
    population: Mapped[int | None] = mapped_column(Integer)
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    # At most ``address_limit`` answers per network address within ``address_window_minutes``.
    address_limit: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    address_window_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    codes_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SurveyResponse(Base):
    """One beneficiary's answers; one per device token.

    ``address_hash`` and ``agent_hash`` are keyed hashes (HMAC-SHA256) of the client's network
    address and user agent, never the raw values: enough to count answers per address, not to
    recover it.  Rows from before they were recorded have neither.
    """

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    device: Mapped[str] = mapped_column(String(64))
    answers: Mapped[list[Any]] = mapped_column(JSON)  # option per question
    address_hash: Mapped[str | None] = mapped_column(String(64))
    agent_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("survey_id", "device", name="uq_survey_device"),
        Index("ix_survey_responses_address", "survey_id", "address_hash", "created_at"),
    )


class SurveyCode(Base):
    """A one-time code (答卷码) of a closed population: answers once, then ``used_at`` is set.

    Deliberately not linked to the response it was used for, so a printed code list cannot tell
    who answered what.
    """

    __tablename__ = "survey_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("survey_id", "code", name="uq_survey_code"),)


class Upload(Base):
    """An evidence file (佐证材料) or an uploaded form/report, kept in the database."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    purpose: Mapped[str] = mapped_column(String(20), default="evidence")  # evidence | import
    indicator: Mapped[int | None] = mapped_column(Integer)  # the indicator row an evidence file supports
    parsed: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # an imported form, as evaluation data
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Append-only log: who did what, when, with the record before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class LoginFailure(Base):
    """A failed login, kept for the throttling window; in the database so every app process counts it."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)  # user:NAME or addr:IP:NAME
    at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch


class UserSession(Base):
    """A server-side login session; the cookie carries only its random id (stored here hashed).

    Logout deletes the row; a password change or reset and disabling the account delete every row
    of the user, so a copied cookie stops working at once.
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch
    last_seen: Mapped[float] = mapped_column(Float)


class TaskEvaluator(Base):
    """A third-party firm (第三方机构) assigned to a task: its evaluators see that task's evaluations."""

    __tablename__ = "task_evaluators"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)


class Notification(Base):
    """A message to one user (a task issued, an evaluation returned …), unread until they read it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)


class DataRevision(Base):
    """A revision stamp, changed by every transaction that writes the rows it names (see
    ``jixiao.store.revisions``): what is computed from those rows may be cached under it."""

    __tablename__ = "data_revisions"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64))


class DeclarationStatus(StrEnum):
    """Where a target declaration (绩效目标申报) is in its round."""

    draft = "draft"  # 填报中
    submitted = "submitted"  # 待主管部门审核
    forwarded = "forwarded"  # 主管部门审核通过，待财政审核
    returned = "returned"  # 已退回修改 (by the department or by finance)
    approved = "approved"  # 已审定: frozen as the year's baseline


class DeclarationRound(Base):
    """A declaration round opened by finance: the budget year, the deadline, the 审核 rubric."""

    __tablename__ = "declaration_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)  # the budget year the targets are for
    policy: Mapped[str] = mapped_column(String(100))  # the review rubric (a policy)
    deadline: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeclarationRecord(Base):
    """One project's target declaration in a round: the declaration's JSON, its automatic review and
    the indexed columns the pages query; ``version`` guards concurrent edits and decisions."""

    __tablename__ = "declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("declaration_rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    project_name: Mapped[str] = mapped_column(String(500))
    unit_name: Mapped[str] = mapped_column(String(300))
    department_name: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=DeclarationStatus.draft.value, index=True)
    auto_grade: Mapped[str | None] = mapped_column(String(10))  # the rubric's result (优/良/中/差)
    n_errors: Mapped[int] = mapped_column(Integer, default=0)
    n_warnings: Mapped[int] = mapped_column(Integer, default=0)
    review: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the automatic review as plain data
    return_comment: Mapped[str | None] = mapped_column(Text)  # why it was last returned
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Declaration as plain data

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("round_id", "unit_id", "project_name", name="uq_declaration_project"),
        Index("ix_declarations_lookup", "unit_id", "year", "project_name"),
    )


class DeclarationOpinion(Base):
    """A reviewer's decision on a declaration: the stage (主管部门 or 财政), returned, passed on or
    approved, with the opinion per criterion, 需补充完善事项 and the grade settled on."""

    __tablename__ = "declaration_opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))  # department | finance
    decision: Mapped[str] = mapped_column(String(20))  # return | forward | approve
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_name: Mapped[str | None] = mapped_column(String(200))
    declaration_version: Mapped[int] = mapped_column(Integer)  # the version the reviewer decided on
    grade: Mapped[str | None] = mapped_column(String(10))
    opinion: Mapped[dict[str, Any]] = mapped_column(JSON)  # ReviewOpinion as plain data
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeclarationBaseline(Base):
    """The approved targets of a declaration, frozen: one row per approval, never changed."""

    __tablename__ = "declaration_baselines"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id", ondelete="CASCADE"), index=True)
    declaration_version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the frozen JSON
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class MonitoringStatus(StrEnum):
    """Where a monitoring report (执行监控表) is in its round."""

    draft = "draft"  # 填报中
    submitted = "submitted"  # 已提交


class MonitoringRound(Base):
    """A monitoring round (运行监控) opened by finance: the year, the cut-off month, the warning policy."""

    __tablename__ = "monitoring_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    cutoff_month: Mapped[int] = mapped_column(Integer)  # 1–N月: N
    policy: Mapped[str] = mapped_column(String(100))  # the warning policy (预警)
    deadline: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MonitoringRecord(Base):
    """One project's 执行监控表 in a round: the Monitoring's JSON, its light and finance's 纠偏;
    ``version`` guards concurrent edits and decisions."""

    __tablename__ = "monitoring_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_rounds.id"), index=True)
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declarations.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    cutoff_month: Mapped[int] = mapped_column(Integer)
    project_name: Mapped[str] = mapped_column(String(500))
    unit_name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=MonitoringStatus.draft.value, index=True)
    light: Mapped[str | None] = mapped_column(String(10), index=True)  # green / yellow / red once reviewed
    execution_rate: Mapped[float | None] = mapped_column(Float)  # 执行率 in percent
    n_findings: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[list[Any] | None] = mapped_column(JSON)  # the review's findings as plain data
    decision: Mapped[str | None] = mapped_column(String(20))  # 纠偏 (Decision value)
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Monitoring as plain data

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("round_id", "unit_id", "project_name", name="uq_monitoring_project"),
        Index("ix_monitoring_reports_lookup", "unit_id", "year", "project_name"),
    )


class RectificationRecord(Base):
    """One item of the 整改台账: the RectificationItem's JSON and the columns the ledger filters on;
    ``version`` guards concurrent updates and confirmations."""

    __tablename__ = "rectification_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    project_name: Mapped[str] = mapped_column(String(500))
    unit_name: Mapped[str | None] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    evaluation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    declaration_id: Mapped[int | None] = mapped_column(Integer, index=True)
    monitoring_id: Mapped[int | None] = mapped_column(Integer, index=True)
    overdue_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the RectificationItem as plain data

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_rectification_items_lookup", "unit_id", "year", "project_name"),)
