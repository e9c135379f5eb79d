"""The dashboard per task and year: progress, grades, departments, execution rates, findings, inflation."""

from __future__ import annotations

import io
from typing import Any, NamedTuple

from fastapi import APIRouter, Request
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from jixiao.store import service
from jixiao.store.models import EvaluationRecord, FindingRecord, Role, Task
from jixiao.store.queries import Actor
from jixiao.store.revisions import Memo, stamped
from jixiao.web.charts import bar_chart
from jixiao.web.deps import db_session, render, require, state
from jixiao.web.params import optional_int

router = APIRouter()
VIEWERS = require(Role.finance, Role.admin, Role.viewer)
E = EvaluationRecord


def _filters(query: Select[Any], task: str, year: str, department: str) -> Select[Any]:
    task_id = optional_int(task, "任务")
    if task_id is not None:
        query = query.where(E.task_id == task_id)
    year_number = optional_int(year, "年度", high=9999)
    if year_number is not None:
        query = query.where(E.year == year_number)
    if department:
        query = query.where(E.department_name == department)
    return query


def dashboard_data(session: Session, task: str = "", year: str = "", department: str = "") -> dict[str, Any]:
    """Every figure of the dashboard, computed by aggregate queries on the indexed columns."""

    def q(*columns: Any) -> Select[Any]:
        return _filters(select(*columns), task, year, department)

    status_counts: dict[str, int] = dict(session.execute(q(E.status, func.count()).group_by(E.status)).all())
    total = sum(status_counts.values())
    grades: dict[str, int] = dict(session.execute(q(E.grade, func.count()).group_by(E.grade)).all())
    by_department = session.execute(
        q(E.department_name, func.avg(E.computed_total), func.count())
        .group_by(E.department_name)
        .order_by(func.avg(E.computed_total).desc())
        .limit(15)
    ).all()
    bucket = case(
        (E.execution_rate.is_(None), "未填"),
        (E.execution_rate < 60, "<60%"),
        (E.execution_rate < 80, "60–80%"),
        (E.execution_rate < 90, "80–90%"),
        (E.execution_rate < 100, "90–100%"),
        else_="≥100%",
    )
    rates: dict[str, int] = dict(session.execute(q(bucket, func.count()).group_by(bucket)).all())
    severe = session.execute(
        q(FindingRecord.severity, FindingRecord.message, E.id, E.project_name)
        .join(FindingRecord, FindingRecord.evaluation_id == E.id)
        .order_by(FindingRecord.rank, FindingRecord.id)
        .limit(10)
    ).all()
    inflated = session.execute(
        q(E.id, E.project_name, E.unit_name, E.claimed_total, E.computed_total, E.inflation)
        .where(E.inflation > 0)
        .order_by(E.inflation.desc())
        .limit(10)
    ).all()
    submitted = total - status_counts.get("draft", 0) - status_counts.get("returned", 0)
    return {
        "total": total,
        "submitted": submitted,
        "status_counts": status_counts,
        "progress_pct": round(100 * submitted / total, 1) if total else 0,
        "grades": grades,
        "grade_chart": bar_chart(
            [(g, float(grades.get(g, 0))) for g in ("优", "良", "中", "差") if g in grades], unit="个"
        ),
        "department_chart": bar_chart(
            [(d or "（未填）", float(avg or 0)) for d, avg, _n in by_department], unit="分", max_value=100
        ),
        "rate_chart": bar_chart(
            [
                (b, float(rates[b]))
                for b in ("<60%", "60–80%", "80–90%", "90–100%", "≥100%", "未填")
                if b in rates
            ],
            unit="个",
        ),
        "status_chart": bar_chart(
            [(service.STATUS_NAMES.get(s, s), float(n)) for s, n in status_counts.items()],
            unit="个",
        ),
        "severe": severe,
        "inflated": inflated,
    }


class TaskOption(NamedTuple):
    """A task in the filter's list (plain data: it is kept in the cache beside the figures)."""

    id: int
    name: str


def _options(session: Session) -> dict[str, Any]:
    tasks = session.execute(select(Task.id, Task.name).order_by(Task.year.desc(), Task.id.desc()))
    return {
        "tasks": [TaskOption(task_id, name) for task_id, name in tasks],
        "years": sorted({y for y in session.scalars(select(E.year).distinct()) if y}, reverse=True),
        "departments": sorted(d for d in session.scalars(select(E.department_name).distinct()) if d),
    }


def dashboard_context(
    session: Session, memo: Memo[Any, dict[str, Any]], task: str = "", year: str = "", department: str = ""
) -> dict[str, Any]:
    """The figures of ``dashboard_data`` and the filters' choices, kept in ``memo`` under the data's
    revision stamp: every process computes them once per state of the data (a write anywhere
    changes the stamp, see ``jixiao.store.revisions``).  The result is shared: copy, never change it.
    """

    def compute() -> dict[str, Any]:
        return {**dashboard_data(session, task, year, department), **_options(session)}

    return stamped(memo, session, ("dashboard", task, year, department), compute)


@router.get("/dashboard")
def dashboard(
    request: Request,
    task: str = "",
    year: str = "",
    department: str = "",
    actor: Actor = VIEWERS,
    session: Session = db_session,
) -> Response:
    """The dashboard page with filters."""
    context = dict(dashboard_context(session, state(request).dashboards, task, year, department))
    context.update({"f_task": task, "f_year": year, "f_department": department})
    return render(request, "dashboard.html", context)


@router.get("/dashboard.xlsx")
def export(
    task: str = "",
    year: str = "",
    department: str = "",
    actor: Actor = VIEWERS,
    session: Session = db_session,
) -> Response:
    """The filtered evaluations as an Excel workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "评价汇总"
    sheet.append(
        [
            "编号",
            "年度",
            "项目名称",
            "主管部门",
            "实施单位",
            "状态",
            "自评总分",
            "重算总分",
            "复核总分",
            "虚高",
            "等级",
            "执行率%",
            "错误",
            "警告",
        ]
    )
    query = _filters(select(E), task, year, department).order_by(E.id).limit(200_000)
    for r in session.scalars(query):
        sheet.append(
            [
                r.id,
                r.year,
                _cell(r.project_name),
                _cell(r.department_name),
                _cell(r.unit_name),
                service.STATUS_NAMES.get(r.status, r.status),
                r.claimed_total,
                r.computed_total,
                r.reviewed_total,
                r.inflation,
                r.grade,
                r.execution_rate,
                r.n_errors,
                r.n_warnings,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename*=UTF-8''jixiao-dashboard.xlsx"},
    )


def _cell(text: str | None) -> str | None:
    """Neutralise spreadsheet formulas in user text (CSV/Excel injection)."""
    if text and text[0] in "=+-@":
        return "'" + text
    return text
