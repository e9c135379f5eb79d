"""The rectification ledger (整改台账), 结果应用 (next year's budget suggestions, the 绩效公开 pack)
and the project's thread (一个项目的一年)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao import api
from jixiao.store import rectification as store
from jixiao.store import thread
from jixiao.store.models import Organisation, OrgKind, Role
from jixiao.store.queries import Actor, Forbidden, StoreError, require_role
from jixiao.web import uploads
from jixiao.web.clock import local_today
from jixiao.web.deps import current_actor, db_session, posted_form, render, state
from jixiao.web.pagination import paginate
from jixiao.web.params import RecordId, form_id, optional_int

router = APIRouter()

AUDIT_TYPES = (".xlsx",)
AUDIT_REFUSED = "只能导入审计发现问题清单：Excel（.xlsx），表头含“问题”“项目名称”等列"
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
UNIT_MOVES = {"in_progress": "整改中", "done": "已整改待确认", "declined": "不整改"}


def _today(request: Request) -> date:
    return local_today(state(request).settings.timezone)


def _refuse_evaluator(actor: Actor) -> None:
    if actor.role == Role.evaluator:
        raise Forbidden("第三方机构不参与整改和结果应用")


def _attachment(content: bytes, media: str, name: str) -> Response:
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def _units(session: Session) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation).where(Organisation.kind == OrgKind.unit).order_by(Organisation.name)
        )
    )


# ---------------------------------------------------------------------------------------------
# the ledger


def _filters(year: str, status: str, origin: str, unit_id: str, project: str) -> dict[str, object]:
    return {
        "year": optional_int(year, "年度", high=9999),
        "status": status if status in store.STATUS_NAMES or status == "overdue" else "",
        "origin": origin if origin in store.ORIGIN_NAMES else "",
        "unit_id": optional_int(unit_id, "单位"),
        "project": project.strip()[:500],
    }


def _ledger_page(
    request: Request,
    session: Session,
    actor: Actor,
    query: dict[str, str],
    *,
    page: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    today = _today(request)
    chosen = _filters(**query)
    items = store.ledger_query(actor, today=today, **chosen)  # type: ignore[arg-type]
    pager = paginate(session, items, page, query)
    records = pager.records
    return render(
        request,
        "rectification.html",
        {
            "records": records,
            "pager": pager,
            "query": query,
            "export": "&".join(f"{k}={quote(str(v))}" for k, v in query.items() if v),
            "labels": {r.id: store.status_label(r, today) for r in records},
            "problems": {r.id: str(r.data.get("problem", "")) for r in records},
            "status_names": store.STATUS_NAMES,
            "origin_names": store.ORIGIN_NAMES,
            "units": _units(session) if actor.role in (Role.finance, Role.admin, Role.viewer) else [],
            "can_import": actor.role in (Role.finance, Role.admin),
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/rectification")
def ledger_page(
    request: Request,
    year: str = "",
    status: str = "",
    origin: str = "",
    unit_id: str = "",
    project: str = "",
    page: str = "",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The ledger the user may see, filtered by year, status (逾期 too), origin, unit, project;
    50 items a page."""
    _refuse_evaluator(actor)
    query = {"year": year, "status": status, "origin": origin, "unit_id": unit_id, "project": project}
    return _ledger_page(request, session, actor, query, page=page)


@router.get("/rectification/export")
def export_ledger(
    request: Request,
    fmt: str = "xlsx",
    year: str = "",
    status: str = "",
    origin: str = "",
    unit_id: str = "",
    project: str = "",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The filtered ledger as xlsx (every column, 逾期 marked) or csv."""
    _refuse_evaluator(actor)
    if fmt not in EXPORT_TYPES:
        raise StoreError("导出格式只能是 xlsx 或 csv")
    today = _today(request)
    chosen = _filters(year, status, origin, unit_id, project)
    records = store.ledger(session, actor, today=today, **chosen)  # type: ignore[arg-type]
    return _attachment(store.export(records, fmt, today, "整改台账"), EXPORT_TYPES[fmt], f"整改台账.{fmt}")


@router.post("/rectification/import")
def import_audit(
    request: Request,
    actor: Actor = Depends(current_actor),
    form: FormData = posted_form,
) -> Response:
    """Problems of an audit report's Excel list, read in the upload sandbox, onto one unit's ledger."""
    require_role(actor, Role.finance, Role.admin)
    db = state(request).db
    unit_id = form_id(form, "unit_id")
    try:
        if unit_id is None:
            raise StoreError("请选择责任单位")
        name, suffix, content = uploads.received(
            state(request).settings, form, AUDIT_TYPES, verb="导入", refused=AUDIT_REFUSED
        )
        try:
            rows = uploads.run_sandboxed(state(request), store.read_audit_report, suffix, content)
        except StoreError:
            raise
        except Exception as exc:  # the reader's own Chinese message, or a file it cannot open
            message = str(exc) if isinstance(exc, api.LedgerImportError) else "无法读取该 Excel 文件"
            raise StoreError(f"无法从“{name}”读出审计发现的问题：{message}") from exc
        with db.session() as session:
            year = optional_int(form.get("year"), "年度", low=1990, high=2100) or _today(request).year
            count = len(store.import_audit(session, actor, rows, unit_id=unit_id, file=name, year=year))
    except StoreError as exc:
        with db.session(write=False) as reader:
            empty = {"year": "", "status": "", "origin": "", "unit_id": "", "project": ""}
            return _ledger_page(
                request, reader, actor, empty, errors={"import": exc.message}, status_code=exc.status
            )
    request.session["flash"] = f"已从“{name}”导入 {count} 项审计发现的问题"
    return RedirectResponse("/rectification?origin=audit", status_code=303)


@router.post("/rectification/from-evaluation/{evaluation_id}")
def from_evaluation(
    request: Request,
    evaluation_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """Finance puts a reviewed evaluation's problems on the ledger."""
    records = store.from_evaluation(session, actor, evaluation_id)
    request.session["flash"] = f"已生成 {len(records)} 项整改事项"
    return RedirectResponse(
        f"/rectification?project={quote(records[0].project_name) if records else ''}", status_code=303
    )


@router.post("/rectification/from-declaration/{declaration_id}")
def from_declaration(
    request: Request,
    declaration_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """Finance puts a declaration review's problems on the ledger."""
    records = store.from_declaration(session, actor, declaration_id)
    request.session["flash"] = f"已生成 {len(records)} 项整改事项"
    return RedirectResponse("/rectification?origin=review", status_code=303)


def _item_page(
    request: Request,
    session: Session,
    actor: Actor,
    item_id: int,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    record = store.get_visible(session, actor, item_id)
    today = _today(request)
    can_update = record.status != "confirmed" and (
        actor.role == Role.admin or (actor.role == Role.unit and record.unit_id == actor.org_id)
    )
    return render(
        request,
        "rectification_item.html",
        {
            "record": record,
            "item": store.load(record),
            "label": store.status_label(record, today),
            "overdue": store.is_overdue(record, today),
            "status_names": store.STATUS_NAMES,
            "origin_names": store.ORIGIN_NAMES,
            "moves": UNIT_MOVES,
            "can_update": can_update,
            "can_confirm": actor.role in (Role.finance, Role.admin) and record.status == "done",
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/rectification/{item_id}")
def item_page(
    request: Request, item_id: RecordId, actor: Actor = Depends(current_actor), session: Session = db_session
) -> Response:
    """One item: the problem, its source, the unit's 整改措施 and 完成情况, the history."""
    _refuse_evaluator(actor)
    return _item_page(request, session, actor, item_id)


def _version(form: FormData) -> int:
    version = form_id(form, "version")
    if version is None:
        raise StoreError("表单缺少版本号或版本号无效，请刷新页面后重试")
    return version


@router.post("/rectification/{item_id}")
def update_item(
    request: Request,
    item_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """The unit's 整改措施 / 完成情况 / evidence and its status step."""
    record = store.get_visible(session, actor, item_id)
    if not (actor.role == Role.admin or (actor.role == Role.unit and record.unit_id == actor.org_id)):
        raise Forbidden("只有责任单位可以填写整改情况")
    version = _version(form)
    to = str(form.get("to", ""))
    if to and to not in UNIT_MOVES:
        raise StoreError("请选择整改状态：" + "、".join(UNIT_MOVES.values()))
    try:
        with session.begin_nested():
            store.update(
                session,
                actor,
                item_id,
                version,
                measures=str(form.get("measures", "")),
                progress=str(form.get("progress", "")),
                evidence=str(form.get("evidence", "")).splitlines(),
                to=to,
                note=str(form.get("note", "")),
                today=_today(request),
            )
    except StoreError as exc:
        if exc.status != 400:
            raise
        session.expire_all()
        return _item_page(request, session, actor, item_id, errors={"update": exc.message}, status_code=422)
    request.session["flash"] = "已保存整改情况"
    return RedirectResponse(f"/rectification/{item_id}", status_code=303)


@router.post("/rectification/{item_id}/confirm")
def confirm_item(
    request: Request,
    item_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Finance confirms (已确认) or sends back (退回, with the reason)."""
    require_role(actor, Role.finance, Role.admin)
    store.get_visible(session, actor, item_id)
    version = _version(form)
    accept = form.get("decision") == "confirm"
    try:
        with session.begin_nested():
            store.confirm(
                session, actor, item_id, version, accept, str(form.get("note", "")), _today(request)
            )
    except StoreError as exc:
        if exc.status != 400:
            raise
        session.expire_all()
        return _item_page(request, session, actor, item_id, errors={"confirm": exc.message}, status_code=422)
    request.session["flash"] = "已确认整改完成" if accept else "已退回，单位继续整改"
    return RedirectResponse(f"/rectification/{item_id}", status_code=303)


# ---------------------------------------------------------------------------------------------
# 结果应用 and 绩效公开


@router.get("/results")
def results_page(
    request: Request,
    year: str = "",
    fmt: str = "",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The bureau's table of next year's suggested budget adjustments per project (finance, admin,
    viewers), exportable; the 绩效公开 pack per unit."""
    require_role(actor, Role.finance, Role.admin, Role.viewer)
    today = _today(request)
    chosen = optional_int(year, "年度", high=9999) or today.year - 1
    found, units = store.suggestions(session, actor, chosen, today)
    if fmt:
        if fmt not in EXPORT_TYPES:
            raise StoreError("导出格式只能是 xlsx 或 csv")
        content = api.suggestions_table(found, fmt, units=units, title=f"{chosen}年度绩效评价结果应用建议")
        return _attachment(content, EXPORT_TYPES[fmt], f"{chosen}年度结果应用建议.{fmt}")
    return render(
        request,
        "results.html",
        {"year": chosen, "suggestions": found, "units": units, "unit_list": _units(session)},
    )


@router.get("/results/publication")
def publication(
    request: Request,
    unit_id: str = "",
    year: str = "",
    fmt: str = "pdf",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The 绩效公开 pack of a unit's year: one PDF or a zip of its parts."""
    _refuse_evaluator(actor)
    unit = optional_int(unit_id, "单位")
    chosen = optional_int(year, "年度", high=9999)
    if unit is None or chosen is None:
        raise StoreError("请选择单位和年度")
    if fmt not in ("pdf", "zip"):
        raise StoreError("公开材料格式只能是 pdf 或 zip")
    try:
        name, pdf, zipped = store.publication(session, actor, unit, chosen, _today(request))
    except api.RenderError as exc:
        raise StoreError(f"无法生成公开材料：{exc}") from exc
    if fmt == "zip":
        return _attachment(zipped, "application/zip", f"{name}-{chosen}年度绩效公开.zip")
    return _attachment(pdf, "application/pdf", f"{name}-{chosen}年度绩效公开.pdf")


# ---------------------------------------------------------------------------------------------
# the project's thread


@router.get("/thread")
def thread_page(
    request: Request,
    unit_id: str = "",
    year: str = "",
    project: str = "",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """One project's year as one line, each stage linked, contradictions raised."""
    _refuse_evaluator(actor)
    unit = optional_int(unit_id, "单位")
    chosen = optional_int(year, "年度", high=9999)
    if unit is None or chosen is None or not project.strip():
        raise StoreError("请指定单位、年度和项目名称")
    made = thread.build(session, actor, unit, chosen, project.strip()[:500], _today(request))
    return render(request, "thread.html", {"thread": made})
