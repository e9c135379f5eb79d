"""The monitoring round (运行监控): finance opens a round for a cut-off month, units fill their
执行监控表 (prefilled from the approved targets) or import it, submit; finance sees the warning
board (红灯 / 黄灯 / 绿灯, sortable, exportable) and writes its 纠偏 decisions, which the unit sees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao import api
from jixiao.store import monitoring as store
from jixiao.store.models import MonitoringRecord, MonitoringRound, Role
from jixiao.store.queries import Actor, Forbidden, StoreError, require_role
from jixiao.web import uploads
from jixiao.web.deps import current_actor, db_session, posted_form, render, state
from jixiao.web.params import RecordId, form_id

router = APIRouter()

FORM_TYPES = (".xlsx", ".xls", ".docx", ".yaml", ".yml", ".json")
FORM_REFUSED = "只能导入执行监控表：Excel（.xlsx/.xls）、Word（.docx）或监控文件（.yaml/.json）"
DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _names() -> dict[str, dict[str, str]]:
    return {
        "likelihood": store.LIKELIHOOD_NAMES,
        "cause": store.CAUSE_NAMES,
        "light": store.LIGHT_NAMES,
        "decision": store.DECISION_NAMES,
        "status": store.STATUS_NAMES,
    }


def _policies() -> dict[str, str]:
    return store.policies()


def _refuse_evaluator(actor: Actor) -> None:
    if actor.role == Role.evaluator:
        raise Forbidden("第三方机构不参与运行监控")


def _version(form: FormData) -> int:
    version = form_id(form, "version")
    if version is None:
        raise StoreError("表单缺少版本号或版本号无效，请刷新页面后重试")
    return version


# ---------------------------------------------------------------------------------------------
# rounds


def _rounds_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    rounds = session.scalars(
        select(MonitoringRound).order_by(MonitoringRound.year.desc(), MonitoringRound.cutoff_month.desc())
    ).all()
    visible = store.for_actor(actor).subquery()
    counts: dict[int, dict[str, int]] = {}
    for round_id, light, count in session.execute(
        select(visible.c.round_id, visible.c.light, func.count()).group_by(
            visible.c.round_id, visible.c.light
        )
    ).all():
        counts.setdefault(round_id, {})[light or "none"] = count
    return render(
        request,
        "monitoring_rounds.html",
        {
            "rounds": rounds,
            "counts": counts,
            "names": _names(),
            "policies": _policies(),
            "can_open": actor.role in (Role.finance, Role.admin),
            "errors": errors or {},
            "form": form
            or {"year": str(date.today().year), "cutoff_month": "6", "policy": store.DEFAULT_POLICY},
        },
        status_code=status_code,
    )


@router.get("/monitoring")
def monitoring_rounds(
    request: Request, actor: Actor = Depends(current_actor), session: Session = db_session
) -> Response:
    """The monitoring rounds, with the form to open one (finance)."""
    _refuse_evaluator(actor)
    return _rounds_page(request, session, actor)


@router.post("/monitoring/rounds")
def open_round(
    request: Request,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Finance opens a monitoring round; every project with approved targets of the year gets its report."""
    require_role(actor, Role.finance, Role.admin)
    values = {k: str(form.get(k, "")).strip() for k in ("name", "year", "cutoff_month", "policy", "deadline")}
    errors: dict[str, str] = {}
    if not values["name"] or len(values["name"]) > 300:
        errors["name"] = "请填写批次名称（不超过 300 字）"
    year = values["year"]
    if not (year.isascii() and year.isdigit() and len(year) == 4) or not 1990 <= int(year) <= 2100:
        errors["year"] = "年度应为 1990 到 2100 之间的四位数字"
    month = values["cutoff_month"]
    if not (month.isascii() and month.isdigit()) or not 1 <= int(month) <= 12:
        errors["cutoff_month"] = "截止月份应为 1 到 12 的整数"
    if values["policy"] and values["policy"] not in _policies():
        errors["policy"] = "请选择预警口径"
    deadline = None
    if values["deadline"]:
        try:
            deadline = date.fromisoformat(values["deadline"])
        except ValueError:
            errors["deadline"] = "日期格式应为 2025-07-15"
    if errors:
        return _rounds_page(request, session, actor, errors=errors, form=values, status_code=422)
    row = store.create_round(
        session,
        actor,
        name=values["name"],
        year=int(year),
        cutoff_month=int(month),
        policy=values["policy"] or store.DEFAULT_POLICY,
        deadline=deadline,
    )
    request.session["flash"] = f"已开启运行监控“{row.name}”"
    return RedirectResponse(f"/monitoring/rounds/{row.id}", status_code=303)


@router.get("/monitoring/rounds/{round_id}")
def warning_board(
    request: Request,
    round_id: RecordId,
    sort: str = "light",
    light: str = "",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The warning board (预警看板): every project of the round the user may see, with its light."""
    _refuse_evaluator(actor)
    round_ = store.get_round(session, round_id)
    sort = sort if sort in store.SORTS else "light"
    light = light if light in store.LIGHT_ORDER else ""
    rows = store.board(session, actor, round_id, sort, light)
    tally: dict[str, int] = {}
    for r in rows:
        tally[r.light or "none"] = tally.get(r.light or "none", 0) + 1
    return render(
        request,
        "monitoring_round.html",
        {"round": round_, "rows": rows, "sort": sort, "light": light, "tally": tally, "names": _names()},
    )


@router.get("/monitoring/rounds/{round_id}/export")
def export_board(
    round_id: RecordId,
    fmt: str = "xlsx",
    sort: str = "light",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The warning board as xlsx or csv."""
    _refuse_evaluator(actor)
    if fmt not in EXPORT_TYPES:
        raise StoreError("导出格式只能是 xlsx 或 csv")
    round_ = store.get_round(session, round_id)
    rows = store.board(session, actor, round_id, sort if sort in store.SORTS else "light")
    content = store.board_export(rows, fmt, f"{round_.name} 预警看板")
    name = quote(f"{round_.name}-预警看板.{fmt}")
    return Response(
        content,
        media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


# ---------------------------------------------------------------------------------------------
# one report


def _report_page(
    request: Request,
    session: Session,
    actor: Actor,
    record: MonitoringRecord,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    report = store.load(record)
    return render(
        request,
        "monitoring.html",
        {
            "record": record,
            "report": report,
            "round": store.get_round(session, record.round_id),
            "names": _names(),
            "can_edit": store.can_edit(actor, record),
            "can_decide": store.can_decide(actor, record),
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/monitoring/{report_id}")
def report_page(
    request: Request,
    report_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """One project's 执行监控表: the form (the unit, until submitted), the light, the findings and 纠偏."""
    _refuse_evaluator(actor)
    return _report_page(request, session, actor, store.get_visible(session, actor, report_id))


def _decimal(form: FormData, name: str, errors: dict[str, str]) -> Decimal | None:
    raw = str(form.get(name, "")).strip().replace(",", "").replace("，", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = "应为数字（万元），如 120 或 35.5"
        return None
    if not value.is_finite() or value < 0 or value > Decimal("1e12"):
        errors[name] = "应为不小于 0 的数字（万元）"
        return None
    return value


def _text(form: FormData, name: str, errors: dict[str, str], limit: int = 2000) -> str | None:
    raw = str(form.get(name, "")).strip()
    if len(raw) > limit:
        errors[name] = f"不超过 {limit} 字"
        return None
    return raw or None


def apply_form(report: Any, form: FormData) -> dict[str, str]:
    """The posted figures applied to ``report``; the field errors (empty when all were read)."""
    Cause, CauseCategory, Likelihood = store.Cause, store.CauseCategory, store.Likelihood
    errors: dict[str, str] = {}
    if report.funds:
        total = report.funds[0]
        total.spent = _decimal(form, "spent", errors)
        total.available = _decimal(form, "available", errors)
        total.forecast = _decimal(form, "forecast", errors)
    for i, indicator in enumerate(report.indicators):
        for part in ("to_date", "forecast"):
            text = _text(form, f"ind-{i}-{part}", errors, 100)
            setattr(indicator, part, store.Figure.model_validate({"text": text}) if text else None)
        likelihood = str(form.get(f"ind-{i}-likelihood", ""))
        indicator.likelihood = (
            Likelihood(likelihood) if likelihood in Likelihood.__members__.values() else None
        )
        category = str(form.get(f"ind-{i}-cause", ""))
        cause_text = _text(form, f"ind-{i}-cause_text", errors)
        indicator.causes = (
            [Cause(category=CauseCategory(category), text=cause_text)]
            if category in CauseCategory.__members__.values()
            else []
        )
        indicator.measures = _text(form, f"ind-{i}-measures", errors)
    likelihood = str(form.get("likelihood", ""))
    report.likelihood = Likelihood(likelihood) if likelihood in Likelihood.__members__.values() else None
    report.measures = _text(form, "measures", errors)
    return errors


@router.post("/monitoring/{report_id}")
def save_report(
    request: Request,
    report_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """The unit saves its figures (and submits them when it pressed 提交)."""
    record = store.get_visible(session, actor, report_id)
    if not store.can_edit(actor, record):
        raise Forbidden("该监控表已提交，不能再修改" if record.status != "draft" else "您无权修改该监控表")
    version = _version(form)
    report = store.load(record)
    errors = apply_form(report, form)
    if errors:
        return _report_page(request, session, actor, record, errors=errors, status_code=422)
    record = store.save_report(session, actor, report_id, version, report)
    if form.get("action") == "submit":
        record = store.submit(session, actor, report_id, record.version)
        mark = _names()["light"].get(record.light or "", "")
        request.session["flash"] = f"已提交执行监控表，预警结果：{mark}"
    else:
        request.session["flash"] = "已保存执行监控表"
    return RedirectResponse(f"/monitoring/{report_id}", status_code=303)


@router.post("/monitoring/{report_id}/decision")
def decide(
    request: Request,
    report_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Finance's 纠偏 decision with a note; a stale version is refused with the decision that won."""
    require_role(actor, Role.finance, Role.admin)
    version = _version(form)
    record = store.get_visible(session, actor, report_id)
    try:
        with session.begin_nested():
            store.decide(
                session, actor, report_id, version, str(form.get("decision", "")), str(form.get("note", ""))
            )
    except StoreError as exc:
        if exc.status != 400:
            raise
        session.expire_all()
        record = store.get_visible(session, actor, report_id)
        return _report_page(
            request, session, actor, record, errors={"decision": exc.message}, status_code=422
        )
    request.session["flash"] = "已记录纠偏决定，并通知实施单位"
    return RedirectResponse(f"/monitoring/{record.id}", status_code=303)


@router.post("/monitoring/{report_id}/import")
def import_form(
    request: Request,
    report_id: RecordId,
    actor: Actor = Depends(current_actor),
    form: FormData = posted_form,
) -> Response:
    """The unit's 执行监控表 imported from Excel or Word (read in the upload sandbox, outside any
    transaction); the figures replace the form's, the project and cut-off month stay the round's."""
    db = state(request).db
    with db.session(write=False) as reader:
        record = store.get_visible(reader, actor, report_id)
        if not store.can_edit(actor, record):
            raise Forbidden(
                "该监控表已提交，不能再导入" if record.status != "draft" else "您无权修改该监控表"
            )
    try:
        version = _version(form)
        name, suffix, content = uploads.received(
            state(request).settings, form, FORM_TYPES, verb="导入", refused=FORM_REFUSED
        )
        parsed = uploads.run_sandboxed(state(request), store.read_form, suffix, content)
        if not parsed.reports:
            problems = "；".join(parsed.messages[:5]) or "文件中没有找到执行监控表"
            raise StoreError(f"无法从“{name}”读出执行监控表：{problems}")
        imported = api.load_monitoring_data(parsed.reports[0], file=name)
        if imported.monitoring is None:
            raise StoreError(f"无法从“{name}”读出执行监控表")
        with db.session() as session:
            record = store.get_visible(session, actor, report_id)
            store.save_report(
                session, actor, report_id, version, store.merge_imported(record, imported.monitoring)
            )
    except StoreError as exc:
        if exc.status not in (400, 413, 422):
            raise
        with db.session(write=False) as reader:
            record = store.get_visible(reader, actor, report_id)
            return _report_page(
                request, reader, actor, record, errors={"import": exc.message}, status_code=exc.status
            )
    request.session["flash"] = f"已从“{name}”导入执行监控表，请核对后提交"
    return RedirectResponse(f"/monitoring/{report_id}", status_code=303)


@router.get("/monitoring/{report_id}/download/{fmt}")
def download(
    report_id: RecordId, fmt: str, actor: Actor = Depends(current_actor), session: Session = db_session
) -> Response:
    """The 执行监控表 as Word, Excel or PDF, with its light and findings."""
    _refuse_evaluator(actor)
    if fmt not in DOCUMENT_TYPES:
        raise StoreError("文档格式只能是 docx、xlsx 或 pdf")
    record = store.get_visible(session, actor, report_id)
    try:
        content = store.document(session, record, fmt)
    except api.RenderError as exc:
        raise StoreError(f"无法生成执行监控表：{exc}") from exc
    name = quote(f"{record.project_name}-执行监控表-1至{record.cutoff_month}月.{fmt}")
    return Response(
        content,
        media_type=DOCUMENT_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )
