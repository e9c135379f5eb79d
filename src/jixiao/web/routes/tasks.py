"""Finance issues yearly self-evaluation tasks, assigns projects to units and watches progress."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from jixiao import api
from jixiao.store import assignments, declarations, notifications, service
from jixiao.store.models import EvaluationRecord, Organisation, OrgKind, Role, Task, TaskEvaluator
from jixiao.store.queries import Actor, StoreError, require_role
from jixiao.web import uploads
from jixiao.web.clock import local_today
from jixiao.web.deps import current_actor, db_session, posted_form, render, state
from jixiao.web.params import RecordId, record_id

router = APIRouter()


def _task(session: Session, task_id: int) -> Task:
    """The task, or a Chinese 任务不存在."""
    task = session.get(Task, task_id)
    if task is None:
        raise StoreError("任务不存在")
    return task


def framework_names() -> dict[str, str]:
    """Built-in frameworks by name with their Chinese titles, ``self-2020`` (the 自评表) first."""
    titles = api.framework_titles()
    return {name: titles[name] for name in sorted(titles, key=lambda n: (n != "self-2020", n))}


def _policy_names() -> dict[str, str]:
    """Built-in policies by name with their Chinese titles (``national-2020`` is the default)."""
    titles = api.policy_titles()
    return {name: titles[name] for name in sorted(titles, key=lambda n: (n != "national-2020", n))}


@router.get("/tasks")
def task_list(
    request: Request, actor: Actor = Depends(current_actor), session: Session = db_session
) -> Response:
    """Tasks with their progress; finance sees the creation form."""
    tasks = session.scalars(select(Task).order_by(Task.year.desc(), Task.id.desc())).all()
    progress = _progress(session)
    return render(
        request,
        "tasks.html",
        {
            "tasks": tasks,
            "progress": progress,
            "frameworks": framework_names(),
            "policies": _policy_names(),
            "can_create": actor.role in (Role.finance, Role.admin),
            "errors": {},
            "form": {"year": str(date.today().year - 1)},
        },
    )


def _progress(session: Session) -> dict[int, dict[str, int]]:
    rows = session.execute(
        select(EvaluationRecord.task_id, EvaluationRecord.status, func.count()).group_by(
            EvaluationRecord.task_id, EvaluationRecord.status
        )
    ).all()
    out: dict[int, dict[str, int]] = {}
    for task_id, status, count in rows:
        if task_id is not None:
            out.setdefault(task_id, {})[status] = count
    return out


@router.post("/tasks")
def create_task(
    request: Request,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Create a task; field errors are shown beside the fields."""
    require_role(actor, Role.finance, Role.admin)
    values = {k: str(form.get(k, "")).strip() for k in ("name", "year", "framework", "policy", "deadline")}
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "请填写任务名称"
    year = values["year"]
    if not (year.isascii() and year.isdigit() and len(year) == 4) or not 1990 <= int(year) <= 2100:
        errors["year"] = "年度应为 1990 到 2100 之间的四位数字"
    if values["framework"] not in framework_names():
        errors["framework"] = "请选择指标框架"
    if values["policy"] and values["policy"] not in _policy_names():
        errors["policy"] = "请选择评价政策"
    deadline = None
    if values["deadline"]:
        try:
            deadline = date.fromisoformat(values["deadline"])
        except ValueError:
            errors["deadline"] = "日期格式应为 2025-03-31"
    if errors:
        tasks = session.scalars(select(Task).order_by(Task.year.desc())).all()
        return render(
            request,
            "tasks.html",
            {
                "tasks": tasks,
                "progress": _progress(session),
                "frameworks": framework_names(),
                "policies": _policy_names(),
                "can_create": True,
                "errors": errors,
                "form": values,
            },
            status_code=422,
        )
    task = service.create_task(
        session,
        actor,
        name=values["name"],
        year=int(values["year"]),
        framework=values["framework"],
        policy=values["policy"] or "national-2020",
        deadline=deadline,
    )
    request.session["flash"] = f"已创建任务“{task.name}”"
    return RedirectResponse(f"/tasks/{task.id}", status_code=303)


def _task_page(
    request: Request,
    session: Session,
    actor: Actor,
    task: Task,
    *,
    form: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    records = session.scalars(
        select(EvaluationRecord)
        .options(defer(EvaluationRecord.data))
        .where(EvaluationRecord.task_id == task.id)
        .order_by(EvaluationRecord.id)
        .limit(1000)
    ).all()
    units = session.scalars(
        select(Organisation).where(Organisation.kind == OrgKind.unit).order_by(Organisation.name)
    ).all()
    counts: dict[str, int] = {}
    for r in records:
        counts[r.status] = counts.get(r.status, 0) + 1
    firms = session.scalars(
        select(Organisation).where(Organisation.kind == OrgKind.evaluator).order_by(Organisation.name)
    ).all()
    assigned = set(session.scalars(select(TaskEvaluator.org_id).where(TaskEvaluator.task_id == task.id)))
    today = local_today(state(request).settings.timezone)
    return render(
        request,
        "task.html",
        {
            "task": task,
            "records": records,
            "units": units,
            "counts": counts,
            "firms": firms,
            "assigned": assigned,
            "status_names": service.STATUS_NAMES,
            "can_assign": actor.role in (Role.finance, Role.admin),
            "framework_title": api.framework_titles().get(task.framework, task.framework),
            "policy_title": api.policy_titles().get(task.policy, task.policy),
            "due": {r.id: notifications.deadline_mark(task.deadline, r.status, today) for r in records},
            "task_due": notifications.deadline_mark(task.deadline, "draft", today)
            if counts.get("draft") or counts.get("returned")
            else "",
            "form": form or {"projects": "", "unit_ids": []},
            "errors": errors or [],
            # the thread from the year's approved targets (绩效目标申报)
            "declared": declarations.approved_unassigned(session, task)
            if actor.role in (Role.finance, Role.admin)
            else [],
        },
        status_code=status_code,
    )


@router.get("/tasks/{task_id}")
def task_page(
    request: Request,
    task_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """A task's evaluations, deadline marks and the assignment forms."""
    require_role(actor, Role.finance, Role.admin, Role.viewer)
    task = _task(session, task_id)
    return _task_page(request, session, actor, task)


@router.post("/tasks/{task_id}/assign")
def assign(
    request: Request,
    task_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Assign projects of the task: typed one per line (项目名称，实施单位), or for each unit picked,
    or from an uploaded project list; a bad line comes back to the form with the input kept."""
    require_role(actor, Role.finance, Role.admin)
    task = _task(session, task_id)
    text = str(form.get("projects") or form.get("project_name") or "")
    unit_ids = [i for i in (record_id(raw) for raw in form.getlist("unit_id")) if i is not None]
    kept = {"projects": text, "unit_ids": unit_ids}
    units = [u for u in (session.get(Organisation, i) for i in unit_ids) if u is not None]
    lines = assignments.parse_lines(text)
    upload = form.get("project_list")
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            _name, suffix, content = uploads.received(
                state(request).settings,
                FormData([("file", upload)]),
                uploads.PROJECT_LIST_TYPES,
                verb="导入",
                refused=uploads.PROJECT_LIST_REFUSED,
            )
            rows, problems = uploads.parse_project_list(state(request), suffix, content)
            if problems:
                raise assignments.ListError(problems)
            lines += [assignments.ProjectLine(number, project, unit) for number, project, unit in rows]
        with session.begin_nested():  # all or nothing, whatever fails
            records = assignments.assign_projects(session, actor, task, lines, units)
    except StoreError as exc:
        problems = exc.problems if isinstance(exc, assignments.ListError) else [exc.message]
        return _task_page(request, session, actor, task, form=kept, errors=problems, status_code=422)
    names = "、".join(dict.fromkeys(r.project_name for r in records))
    request.session["flash"] = (
        f"已将项目“{records[0].project_name}”分配给{records[0].unit_name}"
        if len(records) == 1
        else f"已分配 {len(records)} 个项目：{names[:200]}"
    )
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.post("/tasks/{task_id}/assign-declared")
def assign_declared(
    request: Request,
    task_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """Give the task every project whose targets were approved for its year, each to its unit; the
    self-evaluations start from the approved targets."""
    require_role(actor, Role.finance, Role.admin)
    task = _task(session, task_id)
    try:
        with session.begin_nested():
            records = declarations.assign_approved(session, actor, task)
    except StoreError as exc:
        return _task_page(request, session, actor, task, errors=[exc.message], status_code=exc.status)
    request.session["flash"] = f"已按审定的绩效目标分配 {len(records)} 个项目"
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


MAX_ZIPPED = 300  # documents in one download
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@router.get("/tasks/{task_id}/documents.zip")
def task_documents(
    request: Request,
    task_id: RecordId,
    kind: str = "self-table",
    fmt: str = "docx",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """Every evaluation of the task as one document each (自评表 or 评价报告, Word or Excel), zipped."""
    require_role(actor, Role.finance, Role.admin, Role.viewer)
    task = _task(session, task_id)
    if kind not in api.DOCUMENT_NAMES or fmt not in ("docx", "xlsx") or (kind == "report" and fmt == "xlsx"):
        raise StoreError("未知的文书种类或格式：可下载自评表（Word 或 Excel）或评价报告（Word）")
    records = session.scalars(
        select(EvaluationRecord).where(EvaluationRecord.task_id == task.id).order_by(EvaluationRecord.id)
    ).all()
    if not records:
        raise StoreError("该任务还没有分配项目")
    if len(records) > MAX_ZIPPED:
        raise StoreError(
            f"一次最多打包 {MAX_ZIPPED} 份文书，本任务有 {len(records)} 个项目，请按单位分别下载"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            try:
                content = api.render(service.load_evaluation(record), kind, fmt)  # type: ignore[arg-type]
            except api.RenderError as exc:
                raise StoreError(f"“{record.project_name}”的文书无法生成：{exc.message}") from exc
            name = (
                f"{record.id}-{record.unit_name or ''}-{record.project_name}-{api.DOCUMENT_NAMES[kind]}.{fmt}"
            )
            archive.writestr(_UNSAFE.sub("_", name)[:200], content)
    with state(request).db.session() as writer:
        service.log(
            writer,
            actor,
            "task.download",
            "task",
            task.id,
            None,
            {"kind": kind, "format": fmt, "count": len(records)},
        )
    filename = f"{task.name}-{api.DOCUMENT_NAMES[kind]}.zip"
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(_UNSAFE.sub('_', filename))}"},
    )


@router.post("/tasks/{task_id}/evaluators")
def assign_evaluators(
    request: Request,
    task_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Set the third-party firms (第三方机构) of a task: their evaluators see its evaluations only."""
    task = _task(session, task_id)
    org_ids = []
    for raw in form.getlist("org_id"):
        org_id = record_id(raw)
        if org_id is None:
            raise StoreError("请选择有效的第三方机构")
        org_ids.append(org_id)
    names = service.set_task_evaluators(session, actor, task, org_ids)
    request.session["flash"] = "已指定第三方机构：" + "、".join(names) if names else "已取消全部第三方机构"
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)
