"""Units fill the 自评表: list, edit with live scores (HTMX), save drafts, import, evidence, submit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session, defer
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao import api
from jixiao.api import Audit, check
from jixiao.store import declarations, service
from jixiao.store.models import EvaluationRecord, Task, Upload
from jixiao.store.queries import (
    Actor,
    Conflict,
    Listed,
    StoreError,
    can_edit,
    can_review,
    get_editable,
    get_visible,
    listed,
)
from jixiao.web import uploads
from jixiao.web.deps import current_actor, db_session, posted_form, render, state
from jixiao.web.forms import FUND_ROWS, FUND_STAGES, QUALITATIVE_ANSWERS, apply_form, figure_text, row_action
from jixiao.web.pagination import paginate, search
from jixiao.web.params import RecordId, form_id, optional_int
from jixiao.web.settings import IMPORT_TYPES
from jixiao.web.uploads import EVIDENCE_TYPES, ParsedPart

router = APIRouter()


def _version(form: FormData) -> int:
    version = form_id(form, "version")
    if version is None:
        raise StoreError("表单缺少版本号或版本号无效，请刷新页面后重试")
    return version


def form_context(
    record: EvaluationRecord,
    data: dict[str, Any],
    audit: Audit | None,
    *,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    version: int | None = None,
    import_id: int | None = None,
) -> dict[str, Any]:
    """What the edit template needs."""
    scores = {s.index: s for s in audit.score.indicators} if audit else {}
    rows = []
    for i, ind in enumerate(data.get("indicators", [])):
        rows.append(
            {
                "i": i,
                "ind": ind,
                "target": figure_text(ind.get("target")),
                "actual": figure_text(ind.get("actual")),
                "score": scores.get(i),
            }
        )
    lines = {ln.get("source"): ln for ln in data.get("funds", {}).get("lines", []) if isinstance(ln, dict)}
    fund_rows = [
        {"source": source, "label": label, "values": {s: lines.get(source, {}).get(s) for s in FUND_STAGES}}
        for source, label in FUND_ROWS.items()
    ]
    return {
        "record": record,
        "data": data,
        "rows": rows,
        "fund_rows": fund_rows,
        "fund_stages": FUND_STAGES,
        "audit": audit,
        "errors": errors or {},
        "message": message,
        "version": record.version if version is None else version,
        "import_id": import_id,
        "status_names": service.STATUS_NAMES,
        "qualitative_answers": list(QUALITATIVE_ANSWERS),
    }


@router.get("/evaluations")
def evaluation_list(
    request: Request,
    status: str = "",
    year: str = "",
    q: str = "",
    page: str = "1",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """The evaluations the user may see, newest first, a page at a time."""
    query = search(listed(actor), q).order_by(EvaluationRecord.updated_at.desc(), EvaluationRecord.id.desc())
    if status:
        query = query.where(EvaluationRecord.status == status)
    year_number = optional_int(year, "年度", high=9999)
    if year_number is not None:
        query = query.where(EvaluationRecord.year == year_number)
    pager = paginate(session, query, page, {"status": status, "year": year, "q": q}, rows=Listed)
    return render(
        request,
        "evaluations.html",
        {
            "records": pager.records,
            "pager": pager,
            "status": status,
            "year": year,
            "q": q,
            "status_names": service.STATUS_NAMES,
        },
    )


@router.get("/evaluations/{evaluation_id}")
def evaluation_page(
    request: Request,
    evaluation_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """Edit form when the user may edit it, else the read-only view with findings and downloads."""
    return _evaluation_page(request, session, actor, evaluation_id)


def _evaluation_page(
    request: Request,
    session: Session,
    actor: Actor,
    evaluation_id: int,
    *,
    upload_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    record = get_visible(session, actor, evaluation_id)
    audit = service.stored_audit(session, record, state(request).audits)
    context = form_context(record, dict(record.data), audit)
    context["task"] = _task_of(session, record)
    context["uploads"] = _evidence(session, record.id)
    context["editable"] = can_edit(actor, record)
    context["reviewable"] = can_review(actor, record)
    context["upload_errors"] = upload_errors or {}
    context["font_warnings"] = api.pdf_font_warnings()
    declared = declarations.declared_for(session, record)
    if declared is not None:  # the approved targets it is measured against (绩效目标申报)
        context["declaration"] = declared
        context["declaration_findings"] = declarations.differences(
            session, declared, service.load_evaluation(record)
        )
    return render(request, "evaluation.html", context, status_code=status_code)


def _upload_refused(
    request: Request, actor: Actor, evaluation_id: int, which: str, exc: StoreError
) -> Response:
    """A refused upload comes back to the evaluation's page, the reason beside the file field."""
    with state(request).db.session(write=False) as reader:
        return _evaluation_page(
            request, reader, actor, evaluation_id, upload_errors={which: exc.message}, status_code=exc.status
        )


def _task_of(session: Session, record: EvaluationRecord) -> Task | None:
    return session.get(Task, record.task_id) if record.task_id else None


def _evidence(session: Session, evaluation_id: int) -> list[Upload]:
    """The evidence files of an evaluation (not the imported forms)."""
    query = (
        select(Upload)
        .options(defer(Upload.content))
        .where(Upload.evaluation_id == evaluation_id, Upload.purpose == "evidence")
    )
    return list(session.scalars(query.order_by(Upload.id)))


@router.post("/evaluations/{evaluation_id}/preview")
def preview(
    request: Request,
    evaluation_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """HTMX: scores and audit warnings of the form as typed (nothing is saved)."""
    record = get_visible(session, actor, evaluation_id)
    result = apply_form(_base_data(session, record, form), form)
    audit = check(result.evaluation) if result.evaluation is not None else None
    return render(request, "_live.html", {"audit": audit, "errors": result.errors, "oob": True})


def _base_data(session: Session, record: EvaluationRecord, form: FormData) -> dict[str, Any]:
    """The stored data, or the imported document's data when the form confirms an import."""
    import_id = form_id(form, "import_id")
    if import_id is not None:
        upload = session.get(Upload, import_id)
        if upload is not None and upload.evaluation_id == record.id and upload.parsed:
            return dict(upload.parsed)
    return dict(record.data)


@router.post("/evaluations/{evaluation_id}")
def save(
    request: Request,
    evaluation_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Save the draft (and submit it when asked); errors and conflicts re-show the form with the input."""
    record = get_editable(session, actor, evaluation_id)
    version = _version(form)
    result = apply_form(_base_data(session, record, form), form)
    import_id = form_id(form, "import_id")
    changed = row_action(result.data, str(form.get("action", "")))
    if changed is not None:  # a row added or removed: the form again, with every input kept, unsaved
        again = apply_form(result.data, {})
        audit = check(again.evaluation) if again.evaluation is not None else None
        context = form_context(
            record,
            result.data,
            audit,
            errors=result.errors,
            message=changed,
            version=version,
            import_id=import_id,
        )
        context.update(editable=True, uploads=_evidence(session, record.id), task=_task_of(session, record))
        return render(request, "evaluation.html", context)
    if result.evaluation is None:
        context = form_context(
            record, result.data, None, errors=result.errors, version=version, import_id=import_id
        )
        context.update(
            editable=True, message="有字段填写不正确，请按提示修改后再保存（本次未保存）", uploads=[]
        )
        return render(request, "evaluation.html", context, status_code=422)
    try:
        with session.begin_nested():
            service.save_evaluation(session, actor, evaluation_id, version, result.evaluation)
            if form.get("action") == "submit":
                service.submit(session, actor, evaluation_id, record.version)
    except (Conflict, StoreError) as exc:
        session.expire_all()
        record = get_visible(session, actor, evaluation_id)
        audit = check(result.evaluation)
        context = form_context(
            record, result.data, audit, message=exc.message, version=version, import_id=import_id
        )
        context.update(editable=True, uploads=[], conflict=isinstance(exc, Conflict))
        return render(request, "evaluation.html", context, status_code=exc.status)
    note = "已提交，等待财政复核" if form.get("action") == "submit" else "草稿已保存"
    request.session["flash"] = note
    return RedirectResponse(f"/evaluations/{evaluation_id}", status_code=303)


def _matching_part(parts: list[ParsedPart], project: str) -> ParsedPart:
    """The evaluation of the uploaded file; in a workbook of several projects, the one named ``project``."""
    if len(parts) == 1:
        return parts[0]
    named = [p for p in parts if (p.evaluation or {}).get("project", {}).get("name") == project]
    if named:
        return named[0]
    sheets = "、".join(f"“{p.part}”" for p in parts[:5])
    raise StoreError(
        f"该工作簿含 {len(parts)} 个项目（{sheets}…），没有一个工作表的项目名称是“{project}”；"
        "请上传只含本项目的文件，或把工作表中的项目名称改为与本评价一致"
    )


@router.post("/evaluations/{evaluation_id}/import")
def import_document(
    request: Request,
    evaluation_id: RecordId,
    actor: Actor = Depends(current_actor),
    form: FormData = posted_form,
) -> Response:
    """Ingest an uploaded Excel form / Word / PDF report and show it pre-filled for confirmation.

    The file is parsed in a bounded child process (time and memory capped) and outside any
    database transaction, so a hostile file neither stalls the server nor holds a lock.
    """
    db = state(request).db
    with db.session(write=False) as reader:
        record = get_editable(reader, actor, evaluation_id)
    try:
        name, suffix, content = uploads.received(
            state(request).settings, form, IMPORT_TYPES, verb="导入", refused=uploads.IMPORT_REFUSED
        )
        parts = uploads.parse_import(state(request), suffix, content)
        chosen = _matching_part(parts, record.project_name)
        loaded = api.load_data(chosen.evaluation, file=name) if chosen.evaluation is not None else None
        if loaded is None or loaded.evaluation is None:
            problems = "；".join(chosen.messages[:5]) or "文件中没有找到评价内容"
            raise StoreError(f"无法从文件中读出评价：{problems}")
        evaluation = loaded.evaluation
        service.place(record, evaluation)
        data = api.to_data(evaluation, keep_empty=True)
        data.pop("source", None)
        with db.session() as session:
            record = get_editable(session, actor, evaluation_id)
            row = Upload(
                evaluation_id=record.id,
                filename=name,
                content_type=EVIDENCE_TYPES.get(suffix, "application/octet-stream"),
                size=len(content),
                content=content,
                purpose="import",
                parsed=data,
                uploaded_by=actor.user_id,
            )
            session.add(row)
            session.flush()
            service.log(session, actor, "evaluation.import", "evaluation", record.id, None, {"file": name})
            context = form_context(
                record,
                data,
                check(evaluation),
                message=f"已从“{name}”读出以下内容，请核对后点击“保存草稿”确认（尚未保存）",
                import_id=row.id,
            )
    except StoreError as exc:
        return _upload_refused(request, actor, evaluation_id, "import", exc)
    context.update(editable=True, uploads=[])
    return render(request, "evaluation.html", context)


@router.post("/evaluations/{evaluation_id}/evidence")
def add_evidence(
    request: Request,
    evaluation_id: RecordId,
    actor: Actor = Depends(current_actor),
    form: FormData = posted_form,
) -> Response:
    """Attach an evidence file (佐证材料): type, size and content checked in a bounded process."""
    db = state(request).db
    with db.session(write=False) as reader:
        get_editable(reader, actor, evaluation_id)
    try:
        name, suffix, content = uploads.received(
            state(request).settings, form, EVIDENCE_TYPES, verb="上传", refused=uploads.EVIDENCE_REFUSED
        )
        uploads.check_evidence(state(request), suffix, content)
    except StoreError as exc:
        return _upload_refused(request, actor, evaluation_id, "evidence", exc)
    with db.session() as session:
        record = get_editable(session, actor, evaluation_id)
        rows = len(record.data.get("indicators", []))
        raw = str(form.get("indicator") or "").strip()
        indicator = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else None
        row = Upload(
            evaluation_id=record.id,
            filename=name,
            content_type=EVIDENCE_TYPES[suffix],
            size=len(content),
            content=content,
            uploaded_by=actor.user_id,
            indicator=indicator if indicator is not None and indicator < rows else None,
        )
        session.add(row)
        session.flush()
        service.log(
            session, actor, "evidence.add", "evaluation", record.id, None, {"file": name, "size": row.size}
        )
    request.session["flash"] = f"已上传佐证材料“{name}”"
    return RedirectResponse(f"/evaluations/{evaluation_id}", status_code=303)


@router.get("/uploads/{upload_id}")
def download_upload(
    upload_id: RecordId, actor: Actor = Depends(current_actor), session: Session = db_session
) -> Response:
    """An evidence file, for those who may see its evaluation (always as a download)."""
    row = session.get(Upload, upload_id)
    if row is None:
        raise StoreError("文件不存在")
    get_visible(session, actor, row.evaluation_id)
    from urllib.parse import quote

    return Response(
        row.content,
        media_type=row.content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}"},
    )
