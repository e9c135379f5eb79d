"""Finance issues yearly self-evaluation tasks, assigns projects to units and watches progress."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao import api
from jixiao.store import service
from jixiao.store.models import EvaluationRecord, Organisation, OrgKind, Role, Task, TaskEvaluator
from jixiao.store.queries import Actor, StoreError, require_role
from jixiao.web.deps import current_actor, db_session, posted_form, render
from jixiao.web.params import RecordId, form_id, record_id

router = APIRouter()


def framework_names() -> list[str]:
    """Built-in frameworks, ``self-2020`` (the 自评表) first."""
    return sorted(api.builtin_framework_names(), key=lambda n: (n != "self-2020", n))


def _policy_names() -> list[str]:
    """Built-in policies (``national-2020`` is the default)."""
    return sorted(api.builtin_policy_names()) or ["national-2020"]


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
    if not (values["year"].isascii() and values["year"].isdigit()) or not 1990 <= int(values["year"]) <= 2100:
        errors["year"] = "年度应为 1990 到 2100 之间的四位数字"
    if values["framework"] not in framework_names():
        errors["framework"] = "请选择指标框架"
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


@router.get("/tasks/{task_id}")
def task_page(
    request: Request,
    task_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """A task's evaluations and the assignment form."""
    require_role(actor, Role.finance, Role.admin, Role.viewer)
    task = session.get(Task, task_id)
    if task is None:
        raise StoreError("任务不存在")
    records = session.scalars(
        select(EvaluationRecord)
        .options(defer(EvaluationRecord.data))
        .where(EvaluationRecord.task_id == task_id)
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
    assigned = set(session.scalars(select(TaskEvaluator.org_id).where(TaskEvaluator.task_id == task_id)))
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
        },
    )


@router.post("/tasks/{task_id}/assign")
def assign(
    request: Request,
    task_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Assign a project of the task to a unit."""
    task = session.get(Task, task_id)
    unit_id = form_id(form, "unit_id")
    unit = session.get(Organisation, unit_id) if unit_id else None
    if task is None or unit is None:
        raise StoreError("任务或单位不存在")
    record = service.assign_project(session, actor, task, unit, str(form.get("project_name", "")))
    request.session["flash"] = f"已将项目“{record.project_name}”分配给{unit.name}"
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.post("/tasks/{task_id}/evaluators")
def assign_evaluators(
    request: Request,
    task_id: RecordId,
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Set the third-party firms (第三方机构) of a task: their evaluators see its evaluations only."""
    task = session.get(Task, task_id)
    if task is None:
        raise StoreError("任务不存在")
    org_ids = []
    for raw in form.getlist("org_id"):
        org_id = record_id(raw)
        if org_id is None:
            raise StoreError("请选择有效的第三方机构")
        org_ids.append(org_id)
    names = service.set_task_evaluators(session, actor, task, org_ids)
    request.session["flash"] = "已指定第三方机构：" + "、".join(names) if names else "已取消全部第三方机构"
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)
