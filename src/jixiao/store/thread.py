"""The project's thread (一个项目的一年): declared targets → approved → monitoring rounds with their
lights → self-evaluation (scored) → review → rectification → budget suggestion, each step with its
page, and the contradictions between stages (a self-evaluation claiming 100% on an indicator the
monitoring forecast 完全不可能, with no explanation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from jixiao import api
from jixiao.api import Evaluation
from jixiao.monitoring import Likelihood, Monitoring
from jixiao.store import declarations, monitoring, rectification
from jixiao.store.models import DeclarationRecord, EvaluationRecord, MonitoringStatus, Status
from jixiao.store.queries import Actor, NotFound, for_user
from jixiao.store.service import load_evaluation
from jixiao.vocabulary import DECISION_NAMES, LIGHT_NAMES

EVALUATION_STATUS = {
    "draft": "填报中",
    "submitted": "已提交，待复核",
    "returned": "已退回修改",
    "approved": "复核通过",
}


@dataclass
class Step:
    """One stage of the thread: its name, what happened, the state (done / open / none) and a link."""

    name: str
    summary: str
    state: str = "none"
    link: str | None = None
    light: str | None = None
    details: list[str] = field(default_factory=list)


@dataclass
class Thread:
    """One project's year."""

    project: str
    unit: str | None
    year: int
    steps: list[Step] = field(default_factory=list)
    contradictions: list[str] = field(default_factory=list)


def _label(name: str | None) -> str:
    return (name or "").strip()


def _claims_full(indicator: Any) -> bool:
    completion = indicator.completion.value if indicator.completion is not None else None
    if completion is not None and completion >= Decimal(100):
        return True
    actual = indicator.actual.value if indicator.actual is not None else None
    target = indicator.target.value if indicator.target is not None else None
    text = indicator.actual.text if indicator.actual is not None else None
    if text and "100%" in text:
        return True
    return actual is not None and target is not None and target > 0 and actual >= target


def contradictions(reports: list[Monitoring], evaluation: Evaluation) -> list[str]:
    """A self-evaluation reporting an indicator fully met where a monitoring round forecast it
    完全不可能, with no 偏差原因 or explanation on the self-evaluation."""
    out = []
    by_name = {_label(i.label): i for i in evaluation.indicators}
    for report in reports:
        for monitored in report.indicators:
            if monitored.likelihood is not Likelihood.impossible:
                continue
            name = _label(monitored.name or monitored.level2 or monitored.level1)
            claimed = by_name.get(name)
            if claimed is None or not _claims_full(claimed):
                continue
            if (claimed.deviation_reason or "").strip() or (claimed.explanation or "").strip():
                continue
            out.append(
                f"指标“{name}”：1—{report.cutoff_month}月运行监控预计“完全不可能”完成，"
                f"自评却报告已全部完成，且未说明原因（偏差原因分析为空）"
            )
    return out


def build(session: Session, actor: Actor, unit_id: int, year: int, project: str, today: date) -> Thread:
    """The thread of a unit's project in a year, as far as ``actor`` may see it."""
    declared = rectification.declared_record(session, unit_id, year, project)
    if declared is not None and declared.id not in {
        r.id
        for r in session.scalars(declarations.for_actor(actor).where(DeclarationRecord.id == declared.id))
    }:
        declared = None
    evaluation_record = session.scalars(
        for_user(actor)
        .where(
            EvaluationRecord.unit_id == unit_id,
            EvaluationRecord.year == year,
            EvaluationRecord.project_name == project,
        )
        .order_by(EvaluationRecord.id.desc())
    ).first()
    reports = monitoring.reports_for(session, actor, unit_id, year, project)
    items = rectification.ledger(session, actor, year=year, unit_id=unit_id, project=project, today=today)
    if declared is None and evaluation_record is None and not reports and not items:
        raise NotFound("找不到该项目，或您无权查看")
    unit = (declared.unit_name if declared else None) or (
        evaluation_record.unit_name if evaluation_record else None
    )
    thread = Thread(project, unit, year)
    # 1–2: declared and approved
    if declared is not None:
        thread.steps.append(
            Step(
                "绩效目标申报",
                f"{declarations.STATUS_NAMES.get(declared.status, declared.status)}",
                "done",
                f"/declarations/{declared.id}",
            )
        )
        frozen = declarations.baseline(session, declared.id)
        thread.steps.append(
            Step(
                "目标审定",
                f"已审定（{frozen.approved_at:%Y-%m-%d}），目标已冻结" if frozen else "尚未审定",
                "done" if frozen else "open",
                f"/declarations/{declared.id}",
            )
        )
    else:
        thread.steps.append(Step("绩效目标申报", "没有申报记录"))
    # 3: monitoring rounds
    loaded: list[Monitoring] = []
    for report in reports:
        light = report.light if report.status == MonitoringStatus.submitted else None
        summary = f"1—{report.cutoff_month}月：" + (
            LIGHT_NAMES.get(light or "", "")
            + (f"，执行率 {report.execution_rate:.1f}%" if report.execution_rate is not None else "")
            if light
            else "填报中"
        )
        details = []
        if report.decision:
            details.append(
                f"纠偏：{DECISION_NAMES.get(report.decision, report.decision)}"
                + (f"（{report.decision_note}）" if report.decision_note else "")
            )
        thread.steps.append(
            Step("运行监控", summary, "done" if light else "open", f"/monitoring/{report.id}", light, details)
        )
        if light:
            full = session.get(type(report), report.id)
            if full is not None:
                loaded.append(monitoring.load(full))
    if not reports:
        thread.steps.append(Step("运行监控", "没有监控记录"))
    # 4–5: self-evaluation and review
    evaluation = None
    if evaluation_record is not None:
        evaluation = load_evaluation(evaluation_record)
        scored = (
            f"，重算得分 {evaluation_record.computed_total:.2f}"
            if evaluation_record.computed_total is not None
            else ""
        )
        thread.steps.append(
            Step(
                "单位自评",
                f"{EVALUATION_STATUS.get(evaluation_record.status, evaluation_record.status)}{scored}",
                "done" if evaluation_record.status != Status.draft else "open",
                f"/evaluations/{evaluation_record.id}",
            )
        )
        reviewed = evaluation_record.status == Status.approved
        total = (
            evaluation_record.reviewed_total
            if evaluation_record.reviewed_total is not None
            else evaluation_record.computed_total
        )
        thread.steps.append(
            Step(
                "财政复核",
                (f"复核通过，得分 {total:.2f}" if total is not None else "复核通过")
                + (f"，等级 {evaluation_record.grade}" if evaluation_record.grade else "")
                if reviewed
                else "尚未复核",
                "done" if reviewed else "open",
                f"/evaluations/{evaluation_record.id}",
            )
        )
        thread.contradictions = contradictions(loaded, evaluation)
    else:
        thread.steps.append(Step("单位自评", "没有自评记录"))
        thread.steps.append(Step("财政复核", "尚未复核"))
    # 6: rectification
    if items:
        overdue = sum(1 for r in items if rectification.is_overdue(r, today))
        confirmed = sum(1 for r in items if r.status == "confirmed")
        thread.steps.append(
            Step(
                "整改",
                f"{len(items)} 项问题，已确认 {confirmed} 项" + (f"，逾期 {overdue} 项" if overdue else ""),
                "done" if confirmed == len(items) else "open",
                f"/rectification?unit_id={unit_id}&year={year}&project={project}",
                details=[
                    f"{rectification.status_label(r, today)}：{rectification.load(r).problem[:60]}"
                    for r in items[:20]
                ],
            )
        )
    else:
        thread.steps.append(Step("整改", "没有整改事项"))
    # 7: budget suggestion
    if (
        evaluation is not None
        and evaluation_record is not None
        and evaluation_record.status == Status.approved
    ):
        found = api.budget_suggestions(
            [evaluation], items=[rectification.load(r) for r in items], today=today
        )
        if found:
            s = found[0]
            change = f"（{s.change:+}%）" if s.change is not None else ""
            thread.steps.append(
                Step(
                    "结果应用",
                    f"{s.action}{change}" + (f"，等级 {s.grade}" if s.grade else ""),
                    "done",
                    f"/results?year={year}",
                    details=[s.basis] if s.basis else [],
                )
            )
    else:
        thread.steps.append(Step("结果应用", "复核通过后给出预算建议"))
    return thread
