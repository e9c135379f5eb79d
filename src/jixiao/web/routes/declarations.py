"""The declaration round (绩效目标申报): finance opens rounds, units fill or import declarations and
submit them, the department (主管部门) and then finance review them; approved targets are frozen,
and the project's next self-evaluation starts from them."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao import api
from jixiao.api import Declaration, ReviewOpinion
from jixiao.store import declarations as store
from jixiao.store import notifications, service
from jixiao.store.models import (
    DeclarationRecord,
    DeclarationRound,
    DeclarationStatus,
    EvaluationRecord,
    Organisation,
    OrgKind,
    Role,
    Task,
)
from jixiao.store.queries import Actor, Conflict, Forbidden, StoreError, require_role
from jixiao.web import uploads
from jixiao.web.clock import local_today
from jixiao.web.declaration_form import (
    BASIS_KINDS,
    CHOICES,
    NATURES,
    OPINION_FIELDS,
    apply_form,
    indicator_action,
    opinion_of,
    opinion_values,
    rows_of,
    scalar_values,
)
from jixiao.web.deps import current_actor, db_session, posted_form, render, state
from jixiao.web.pagination import paginate
from jixiao.web.params import RecordId, form_id, optional_int, record_id

router = APIRouter()

DECLARATION_TYPES = (".xlsx", ".xls", ".docx", ".pdf", ".yaml", ".yml", ".json")
DECLARATION_REFUSED = "只能导入申报表：Excel（.xlsx/.xls，jixiao 申报表或系统导出的工作簿）、Word（.docx）、PDF 或申报文件（.yaml/.json）"
FORMATS = ("docx", "xlsx", "pdf")
DEFAULT_RUBRIC = "national"


def _policies() -> dict[str, str]:
    """The built-in review rubrics (审核口径) by name with their Chinese titles, the national one first."""
    names = sorted(api.builtin_rubric_names(), key=lambda n: (n != DEFAULT_RUBRIC, n))
    return {name: api.load_rubric(name).title or name for name in names}


def _version(form: FormData) -> int:
    version = form_id(form, "version")
    if version is None:
        raise StoreError("表单缺少版本号或版本号无效，请刷新页面后重试")
    return version


# ---------------------------------------------------------------------------------------------
# rounds and lists


def _counts(session: Session, actor: Actor) -> dict[int, dict[str, int]]:
    visible = store.for_actor(actor).subquery()
    rows = session.execute(
        select(visible.c.round_id, visible.c.status, func.count()).group_by(
            visible.c.round_id, visible.c.status
        )
    ).all()
    out: dict[int, dict[str, int]] = {}
    for round_id, status, count in rows:
        out.setdefault(round_id, {})[status] = count
    return out


def _list_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    status: str = "",
    year: str = "",
    page: str = "1",
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    rounds = session.scalars(
        select(DeclarationRound).order_by(DeclarationRound.year.desc(), DeclarationRound.id.desc())
    ).all()
    query = store.listing(actor).order_by(DeclarationRecord.updated_at.desc(), DeclarationRecord.id.desc())
    if status:
        query = query.where(DeclarationRecord.status == status)
    year_number = optional_int(year, "年度", high=9999)
    if year_number is not None:
        query = query.where(DeclarationRecord.year == year_number)
    pager = paginate(session, query, page, {"status": status, "year": year})
    return render(
        request,
        "declarations.html",
        {
            "rounds": rounds,
            "counts": _counts(session, actor),
            "records": pager.records,
            "pager": pager,
            "status": status,
            "year": year,
            "status_names": store.STATUS_NAMES,
            "policies": _policies(),
            "can_open": actor.role in (Role.finance, Role.admin),
            "errors": errors or {},
            "form": form or {"year": str(date.today().year + 1), "policy": DEFAULT_RUBRIC},
            "to_review": _to_review(actor),
        },
        status_code=status_code,
    )


def _to_review(actor: Actor) -> str:
    """The status a reviewer's queue filters on ("" for those who review nothing)."""
    if actor.role == Role.department:
        return DeclarationStatus.submitted.value
    if actor.role in (Role.finance, Role.admin):
        return DeclarationStatus.forwarded.value
    return ""


@router.get("/declarations")
def declaration_list(
    request: Request,
    status: str = "",
    year: str = "",
    page: str = "1",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The rounds, and the declarations the user may see (a reviewer filters on its queue)."""
    if actor.role == Role.evaluator:
        raise Forbidden("第三方机构不参与绩效目标申报")
    return _list_page(request, session, actor, status=status, year=year, page=page)


@router.post("/declarations/rounds")
def open_round(
    request: Request,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Finance opens a declaration round; field errors come back beside the fields."""
    require_role(actor, Role.finance, Role.admin)
    values = {k: str(form.get(k, "")).strip() for k in ("name", "year", "policy", "deadline")}
    errors: dict[str, str] = {}
    if not values["name"] or len(values["name"]) > 300:
        errors["name"] = "请填写批次名称（不超过 300 字）"
    year = values["year"]
    if not (year.isascii() and year.isdigit() and len(year) == 4) or not 1990 <= int(year) <= 2100:
        errors["year"] = "年度应为 1990 到 2100 之间的四位数字"
    if values["policy"] and values["policy"] not in _policies():
        errors["policy"] = "请选择审核口径（评价政策）"
    deadline = None
    if values["deadline"]:
        try:
            deadline = date.fromisoformat(values["deadline"])
        except ValueError:
            errors["deadline"] = "日期格式应为 2025-03-31"
    if errors:
        return _list_page(request, session, actor, errors=errors, form=values, status_code=422)
    row = store.create_round(
        session,
        actor,
        name=values["name"],
        year=int(values["year"]),
        policy=values["policy"] or DEFAULT_RUBRIC,
        deadline=deadline,
    )
    request.session["flash"] = f"已开启申报批次“{row.name}”"
    return RedirectResponse(f"/declarations/rounds/{row.id}", status_code=303)


def _round_page(
    request: Request,
    session: Session,
    actor: Actor,
    round_: DeclarationRound,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    records = session.scalars(
        store.listing(actor)
        .where(DeclarationRecord.round_id == round_.id)
        .order_by(DeclarationRecord.unit_name, DeclarationRecord.id)
        .limit(1000)
    ).all()
    counts: dict[str, int] = {}
    for r in records:
        counts[r.status] = counts.get(r.status, 0) + 1
    today = local_today(state(request).settings.timezone)
    units = (
        session.scalars(
            select(Organisation).where(Organisation.kind == OrgKind.unit).order_by(Organisation.name)
        ).all()
        if actor.role == Role.admin
        else []
    )
    return render(
        request,
        "declaration_round.html",
        {
            "round": round_,
            "records": records,
            "counts": counts,
            "status_names": store.STATUS_NAMES,
            "policy_title": _policies().get(round_.policy, round_.policy),
            "can_declare": actor.role in (Role.unit, Role.admin),
            "units": units,
            "errors": errors or {},
            "form": form or {},
            "due": {r.id: notifications.deadline_mark(round_.deadline, r.status, today) for r in records},
        },
        status_code=status_code,
    )


@router.get("/declarations/rounds/{round_id}")
def round_page(
    request: Request, round_id: RecordId, actor: Actor = Depends(current_actor), session: Session = db_session
) -> Response:
    """A round: the declarations the user may see, with the forms to add or import one (units)."""
    if actor.role == Role.evaluator:
        raise Forbidden("第三方机构不参与绩效目标申报")
    return _round_page(request, session, actor, store.get_round(session, round_id))


@router.post("/declarations/rounds/{round_id}/new")
def new_declaration(
    request: Request,
    round_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """A unit starts a declaration for one of its projects."""
    require_role(actor, Role.unit, Role.admin)
    round_ = store.get_round(session, round_id)
    name = str(form.get("project_name", "")).strip()
    unit_id = form_id(form, "unit_id")
    try:
        with session.begin_nested():
            record = store.create_declaration(session, actor, round_, name, unit_id=unit_id)
    except StoreError as exc:
        kept = {"project_name": name, "unit_id": str(unit_id or "")}
        return _round_page(
            request,
            session,
            actor,
            round_,
            errors={"project_name": exc.message},
            form=kept,
            status_code=exc.status,
        )
    request.session["flash"] = f"已新建“{record.project_name}”的绩效目标申报，请填写后保存"
    return RedirectResponse(f"/declarations/{record.id}", status_code=303)


@router.post("/declarations/rounds/{round_id}/import")
def import_file(
    request: Request,
    round_id: RecordId,
    actor: Actor = Depends(current_actor),
    form: FormData = posted_form,
) -> Response:
    """Declarations from an uploaded file (one per project or sheet), read in the upload sandbox and
    outside any transaction; all are stored as drafts, or none with the reason beside the file field."""
    require_role(actor, Role.unit, Role.admin)
    db = state(request).db
    with db.session(write=False) as reader:
        store.get_round(reader, round_id)
    unit_id = form_id(form, "unit_id")
    try:
        name, suffix, content = uploads.received(
            state(request).settings, form, DECLARATION_TYPES, verb="导入", refused=DECLARATION_REFUSED
        )
        parsed = uploads.run_sandboxed(state(request), store.read_declarations, suffix, content)
        found = _declarations(parsed, name)
        with db.session() as session:
            round_ = store.get_round(session, round_id)
            records = store.import_declarations(session, actor, round_, found, file=name, unit_id=unit_id)
            names = "、".join(f"“{r.project_name}”" for r in records[:10])
            count = len(records)
    except StoreError as exc:
        with db.session(write=False) as reader:
            return _round_page(
                request,
                reader,
                actor,
                store.get_round(reader, round_id),
                errors={"import": exc.message},
                status_code=exc.status,
            )
    request.session["flash"] = f"已从“{name}”导入 {count} 个项目的绩效目标：{names}（草稿，请核对后提交）"
    return RedirectResponse(f"/declarations/rounds/{round_id}", status_code=303)


def _declarations(parsed: store.ParsedDeclarations, name: str) -> list[Declaration]:
    """The declarations read from an upload, validated again here; a Chinese error when there are none."""
    found = []
    for data in parsed.declarations:
        loaded = api.load_declaration_data(data, file=name)
        if loaded.declaration is not None:
            found.append(loaded.declaration)
    if not found:
        problems = "；".join(parsed.messages[:5]) or "文件中没有找到绩效目标申报表"
        raise StoreError(f"无法从文件中读出绩效目标申报：{problems}")
    return found


# ---------------------------------------------------------------------------------------------
# one declaration


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    record: DeclarationRecord,
    *,
    data: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    version: int | None = None,
    posted_opinion: dict[str, str] | None = None,
    opinion_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    shown = dict(record.data) if data is None else data
    round_ = session.get(DeclarationRound, record.round_id)
    review = record.review or {}
    tasks = (
        session.scalars(select(Task).where(Task.year == record.year).order_by(Task.id.desc())).all()
        if record.status == DeclarationStatus.approved and actor.role in (Role.finance, Role.admin)
        else []
    )
    linked = session.execute(
        select(EvaluationRecord.id, EvaluationRecord.status).where(
            EvaluationRecord.declaration_id == record.id
        )
    ).all()
    context: dict[str, Any] = {
        "record": record,
        "round": round_,
        "data": shown,
        "values": scalar_values(shown),
        "rows": rows_of(shown),
        "medium_rows": rows_of(shown, "medium") if isinstance(shown.get("medium"), dict) else None,
        "errors": errors or {},
        "message": message,
        "version": record.version if version is None else version,
        "editable": store.can_edit(actor, record),
        "stage": store.review_stage(actor, record),
        "result": review.get("result"),
        "findings": review.get("findings", []),
        "opinions": store.opinions(session, record.id),
        "baseline": store.baseline(session, record.id)
        if record.status == DeclarationStatus.approved
        else None,
        "baselines": store.baselines(session, record.id),
        "status_names": store.STATUS_NAMES,
        "evaluation_status_names": service.STATUS_NAMES,
        "choices": CHOICES,
        "natures": NATURES,
        "basis_kinds": BASIS_KINDS,
        "opinion_fields": OPINION_FIELDS,
        "criterion_names": api.CRITERION_NAMES,
        "severity_names": api.SEVERITY_NAMES,
        "grades": store.GRADES,
        "posted": posted_opinion or {},
        "opinion_errors": opinion_errors or {},
        "kinds": api.DECLARATION_DOCUMENT_NAMES,
        "formats": FORMATS,
        "tasks": tasks,
        "linked": linked,
        "can_start": actor.role in (Role.finance, Role.admin) and record.status == DeclarationStatus.approved,
    }
    return render(request, "declaration.html", context, status_code=status_code)


@router.get("/declarations/{declaration_id}")
def declaration_page(
    request: Request,
    declaration_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The declaration: the form while the unit may edit it, else read-only with the automatic 审核
    findings, the reviewers' opinions, the review form at the reviewer's stage, documents."""
    return _page(request, session, actor, store.get_visible(session, actor, declaration_id))


@router.post("/declarations/{declaration_id}/preview")
def preview(
    request: Request,
    declaration_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """HTMX: the automatic review of the form as typed (nothing is saved)."""
    record = store.get_visible(session, actor, declaration_id)
    result = apply_form(dict(record.data), form)
    review: dict[str, Any] = {}
    if result.declaration is not None:
        store.place(record, result.declaration, store.get_round(session, record.round_id))
        review = store.auto_review(result.declaration).data()
    context = {
        "result": review.get("result"),
        "findings": review.get("findings", []),
        "errors": result.errors,
        "live": True,
        "criterion_names": api.CRITERION_NAMES,
        "severity_names": api.SEVERITY_NAMES,
    }
    return render(request, "_declaration_review.html", context)


@router.post("/declarations/{declaration_id}")
def save(
    request: Request,
    declaration_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Save the draft (and submit it when asked); field errors, row changes and conflicts come back
    to the form with every input kept."""
    record = store.get_editable(session, actor, declaration_id)
    version = _version(form)
    result = apply_form(dict(record.data), form)
    changed = indicator_action(result.data, str(form.get("action", "")))
    if changed is not None:
        return _page(
            request,
            session,
            actor,
            record,
            data=result.data,
            errors=result.errors,
            message=changed,
            version=version,
        )
    if result.declaration is None:
        return _page(
            request,
            session,
            actor,
            record,
            data=result.data,
            errors=result.errors,
            message="有字段填写不正确，请按提示修改后再保存（本次未保存）",
            version=version,
            status_code=422,
        )
    submit = form.get("action") == "submit"
    try:
        with session.begin_nested():
            store.save_declaration(session, actor, declaration_id, version, result.declaration)
            if submit:
                store.submit(session, actor, declaration_id, record.version)
    except StoreError as exc:
        session.expire_all()
        record = store.get_visible(session, actor, declaration_id)
        return _page(
            request,
            session,
            actor,
            record,
            data=result.data,
            message=exc.message,
            version=version,
            status_code=exc.status,
        )
    request.session["flash"] = "已提交，等待审核" if submit else "草稿已保存"
    return RedirectResponse(f"/declarations/{declaration_id}", status_code=303)


@router.post("/declarations/{declaration_id}/decision")
def decision(
    request: Request,
    declaration_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Return, pass on (主管部门) or approve (财政) with the opinion; a refusal or a conflict comes
    back to the page with the opinion as typed."""
    require_role(actor, Role.department, Role.finance, Role.admin)
    action = str(form.get("action", ""))
    try:
        version = _version(form)
        opinion: ReviewOpinion = opinion_of(form)
        with session.begin_nested():
            store.decide(session, actor, declaration_id, version, action, opinion)
    except StoreError as exc:
        session.expire_all()
        record = store.get_visible(session, actor, declaration_id)
        problems = store.opinion_problems(action, opinion_of(form)) if not isinstance(exc, Conflict) else {}
        return _page(
            request,
            session,
            actor,
            record,
            message=exc.message,
            posted_opinion=opinion_values(form),
            opinion_errors=problems,
            status_code=exc.status,
        )
    request.session["flash"] = {
        "return": "已退回单位补充完善",
        "forward": "已审核通过，报送财政审核",
        "approve": "已审定，绩效目标已冻结",
    }.get(action, "已处理")
    return RedirectResponse(f"/declarations/{declaration_id}", status_code=303)


@router.post("/declarations/{declaration_id}/reopen")
def reopen(
    request: Request,
    declaration_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Finance reopens approved targets for an adjustment (the reason required, on record)."""
    require_role(actor, Role.finance, Role.admin)
    try:
        version = _version(form)
        with session.begin_nested():
            store.reopen(session, actor, declaration_id, version, reason=str(form.get("reason", "")))
    except StoreError as exc:
        session.expire_all()
        record = store.get_visible(session, actor, declaration_id)
        return _page(request, session, actor, record, message=exc.message, status_code=exc.status)
    request.session["flash"] = "已重新打开，退回单位调整绩效目标"
    return RedirectResponse(f"/declarations/{declaration_id}", status_code=303)


@router.post("/declarations/{declaration_id}/evaluation")
def start_evaluation(
    request: Request,
    declaration_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """生成下一年度自评: the project's self-evaluation, starting from the approved targets."""
    require_role(actor, Role.finance, Role.admin)
    raw = str(form.get("task_id", "")).strip()
    task_id = record_id(raw) if raw else None
    try:
        if raw and task_id is None:
            raise StoreError("请选择有效的评价任务")
        with session.begin_nested():
            created = store.start_evaluation(session, actor, declaration_id, task_id)
    except StoreError as exc:  # back to the declaration's page, the reason said there
        session.expire_all()
        record = store.get_visible(session, actor, declaration_id)
        return _page(request, session, actor, record, message=exc.message, status_code=exc.status)
    request.session["flash"] = "已按审定的绩效目标生成自评表"
    return RedirectResponse(f"/evaluations/{created.id}", status_code=303)


@router.get("/declarations/{declaration_id}/download/{kind}.{fmt}")
def download(
    request: Request,
    declaration_id: RecordId,
    kind: str,
    fmt: str,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The 申报表 or the 绩效目标审核意见表 (Word, Excel, PDF)."""
    record = store.get_visible(session, actor, declaration_id)
    if kind not in api.DECLARATION_KINDS or fmt not in FORMATS:
        raise StoreError("未知的文书种类或格式：可下载申报表、审核意见表（Word、Excel 或 PDF）")
    declaration = store.load(record)
    review = store.auto_review(declaration)
    decided = store.opinions(session, record.id)
    opinion = ReviewOpinion.model_validate(decided[-1].opinion) if decided else None
    try:
        content = api.render_declaration(
            declaration,
            kind,
            fmt,  # type: ignore[arg-type]
            review=review.result,
            findings=review.findings,
            opinion=opinion,
        )
    except api.RenderError as exc:
        raise StoreError(f"文书无法生成：{exc.message}") from exc
    with state(request).db.session() as writer:
        service.log(
            writer,
            actor,
            "declaration.download",
            "declaration",
            record.id,
            None,
            {"kind": kind, "format": fmt},
        )
    filename = f"{record.project_name}-{api.DECLARATION_DOCUMENT_NAMES[kind]}.{fmt}"
    return Response(
        content,
        media_type=api.MEDIA_TYPES.get(fmt, "application/octet-stream"),
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
