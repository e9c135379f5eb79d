"""Finance issues yearly self-evaluation tasks, assigns projects to units and watches progress."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer
from starlette.responses import RedirectResponse, Response

from jixiao.store import service
from jixiao.store.models import EvaluationRecord, Organisation, OrgKind, Role, Task
from jixiao.store.queries import Actor, StoreError, require_role
from jixiao.web.deps import current_actor, db_session, render

router = APIRouter()


def framework_names() -> list[str]:
    """Built-in frameworks, ``self-2020`` (the 自评表) first."""
    from jixiao.frameworks import builtin_framework_names

    return sorted(builtin_framework_names(), key=lambda n: (n != "self-2020", n))


def _policy_names() -> list[str]:
    """Built-in policies (``national-2020`` is the default)."""
    from jixiao.policies.loader import builtin_policy_names

    return sorted(builtin_policy_names()) or ["national-2020"]


@router.get("/tasks")
def task_list(
    request: Request, actor: Actor = Depends(current_actor), session: Session = Depends(db_session)
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
async def create_task(
    request: Request, actor: Actor = Depends(current_actor), session: Session = Depends(db_session)
) -> Response:
    """Create a task; field errors are shown beside the fields."""
    require_role(actor, Role.finance, Role.admin)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("name", "year", "framework", "policy", "deadline")}
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "请填写任务名称"
    if not values["year"].isdigit() or not 1990 <= int(values["year"]) <= 2100:
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
    task_id: int,
    actor: Actor = Depends(current_actor),
    session: Session = Depends(db_session),
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
    return render(
        request,
        "task.html",
        {
            "task": task,
            "records": records,
            "units": units,
            "counts": counts,
            "status_names": service.STATUS_NAMES,
            "can_assign": actor.role in (Role.finance, Role.admin),
        },
    )


@router.post("/tasks/{task_id}/assign")
async def assign(
    request: Request,
    task_id: int,
    actor: Actor = Depends(current_actor),
    session: Session = Depends(db_session),
) -> Response:
    """Assign a project of the task to a unit."""
    form = await request.form()
    task = session.get(Task, task_id)
    unit_id = str(form.get("unit_id", ""))
    unit = session.get(Organisation, int(unit_id)) if unit_id.isdigit() else None
    if task is None or unit is None:
        raise StoreError("任务或单位不存在")
    record = service.assign_project(session, actor, task, unit, str(form.get("project_name", "")))
    request.session["flash"] = f"已将项目“{record.project_name}”分配给{unit.name}"
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)
