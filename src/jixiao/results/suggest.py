"""结果应用: next year's budget suggestion per project from its evaluation result, by a result-use
policy (``policies/results/*.yaml``), and the bureau's table of them (xlsx in ``render``, CSV here).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jixiao.model import Evaluation
from jixiao.policies.application import ResultsPolicy
from jixiao.rectification import ItemStatus, RectificationItem, Suggestion
from jixiao.scoring.result import ScoreResult

TABLE_HEADERS = (
    "项目",
    "实施单位",
    "评价年度",
    "得分",
    "评价等级",
    "本年预算（万元）",
    "建议",
    "调整比例（%）",
    "建议下年预算（万元）",
    "依据",
)


@dataclass(frozen=True)
class ProjectResult:
    """What a suggestion rests on: one project's evaluated year, score, grade and budget (万元)."""

    project: str
    unit: str | None = None
    year: int | None = None
    score: Decimal | None = None
    grade: str | None = None  # as scored or printed (优秀 is read as 优 by the policy's aliases)
    budget: Decimal | None = None
    unrectified: int = 0  # overdue or declined rectification items of the project
    notes: tuple[str, ...] = field(default_factory=tuple)


def budget_of(evaluation: Evaluation) -> Decimal | None:
    """This year's budget of an evaluation in 万元: the adjusted budget (全年预算) when printed, else the 年初预算."""
    total = evaluation.funds.total
    amount = total.budget_adjusted if total.budget_adjusted is not None else total.budget
    if amount is None:
        return None
    return amount / Decimal(10000) if evaluation.funds.unit == "元" else amount


def result_of(
    evaluation: Evaluation,
    score: ScoreResult,
    items: Iterable[RectificationItem] = (),
    today: date | None = None,
) -> ProjectResult:
    """A project's result: the reviewed total and grade when a reviewer scored, else the recomputed
    ones, else what the evaluation prints; ``items`` (the project's ledger) count the unrectified."""
    total: Decimal | None
    grade: str | None
    if score.reviewed_total is not None:
        total, grade = score.reviewed_total, score.reviewed_grade
    elif score.computed_total is not None:
        total, grade = score.computed_total, score.computed_grade
    else:
        total, grade = score.claimed_total, score.claimed_grade or evaluation.claims.grade
    day = today or date.today()
    name = evaluation.project.name
    unrectified = sum(
        1 for i in items if i.project == name and (i.overdue(day) or i.status is ItemStatus.declined)
    )
    return ProjectResult(
        project=name,
        unit=evaluation.project.unit,
        year=evaluation.year,
        score=total,
        grade=grade,
        budget=budget_of(evaluation),
        unrectified=unrectified,
    )


def _round(amount: Decimal, places: int) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def suggest(results: Iterable[ProjectResult], policy: ResultsPolicy) -> list[Suggestion]:
    """One suggestion per project result, in the order given.

    The grade (read through the policy's aliases) picks the action and change; a project with
    overdue or declined rectification items gets the policy's ``unrectified`` change added and its
    note; the suggested amount is the budget × (1 + change / 100), never below 0, rounded to the
    policy's places; without a grade the policy's ``no_grade`` action, without a budget no amount.
    """
    out: list[Suggestion] = []
    for result in results:
        grade = policy.grade_of(result.grade)
        if grade is None:
            basis = policy.no_grade.basis
            if result.grade:
                basis = f"等级“{result.grade}”无法识别；{basis}".rstrip("；")
            out.append(
                Suggestion(
                    project=result.project,
                    year=result.year,
                    grade=result.grade,
                    score=result.score,
                    budget=result.budget,
                    action=policy.no_grade.action,
                    basis=basis or None,
                )
            )
            continue
        use = policy.grades[grade]
        change = use.change
        action = use.action
        basis = use.basis
        if result.unrectified:
            extra = policy.unrectified
            if change is not None and extra.change:
                change = max(Decimal(-100), change + extra.change)
            if extra.note:
                action = f"{action}；{extra.note}" if action else extra.note
            basis = f"{basis}；有{result.unrectified}个问题逾期未整改或不整改".lstrip("；")
        suggested = None
        if change is not None and result.budget is not None:
            suggested = max(Decimal(0), _round(result.budget * (1 + change / 100), policy.rounding))
        out.append(
            Suggestion(
                project=result.project,
                year=result.year,
                grade=grade,
                score=result.score,
                budget=result.budget,
                action=action,
                change=change,
                suggested=suggested,
                basis=basis or None,
            )
        )
    return out


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def table_rows(
    suggestions: Sequence[Suggestion], units: dict[str, str | None] | None = None
) -> list[list[str]]:
    """The bureau's table of next year's suggested adjustments, one row per project (:data:`TABLE_HEADERS`)."""
    units = units or {}
    return [
        [
            s.project,
            units.get(s.project) or "",
            str(s.year or ""),
            _plain(s.score),
            s.grade or "",
            _plain(s.budget),
            s.action,
            _plain(s.change),
            _plain(s.suggested),
            s.basis or "",
        ]
        for s in suggestions
    ]


def table_csv(suggestions: Sequence[Suggestion], units: dict[str, str | None] | None = None) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark (Excel on Windows opens it with the Chinese intact)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TABLE_HEADERS)
    writer.writerows(table_rows(suggestions, units))
    return buffer.getvalue().encode("utf-8-sig")
