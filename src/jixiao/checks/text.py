"""Text checks (文字): placeholders, “存在问题：无” with missed targets, suggestions, dates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from jixiao.checks.common import RULE_10, is_none_text, miss_words, unmet
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation

PLACEHOLDER = re.compile(
    r"X{2,}|Ｘ{2,}|x{3,}|\*{2,}|＊{2,}|×{2,}|某某|○○|〇〇|"
    r"可根据项目实际情况|有选择地设置|请填写|填写说明|（略）|此处填写|【\s*】|\[\s*\]"
)


def _texts(evaluation: Evaluation) -> Iterator[tuple[str, str]]:
    project = evaluation.project
    yield "project.name", project.name
    for field in ("unit", "department", "description"):
        value = getattr(project, field)
        if value:
            yield f"project.{field}", value
    for field in ("overall", "annual", "achieved"):
        value = getattr(evaluation.goals, field)
        if value:
            yield f"goals.{field}", value
    for i, ind in enumerate(evaluation.indicators):
        for field in ("level1", "level2", "name", "deviation_reason"):
            value = getattr(ind, field)
            if value:
                yield f"indicators[{i}].{field}", value
        for field in ("target", "actual"):
            fig = getattr(ind, field)
            if fig is not None and fig.text:
                yield f"indicators[{i}].{field}", fig.text
    for section in ("problems", "suggestions", "experience"):
        for i, value in enumerate(getattr(evaluation, section)):
            yield f"{section}[{i}]", value


@check("text.placeholder")
def placeholders(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Template text or placeholders (XX, ***, “可根据项目实际情况…”) left in the evaluation."""
    out: list[Finding] = []
    for path, text in _texts(evaluation):
        match = PLACEHOLDER.search(text)
        if match is None:
            continue
        source = None
        if path.startswith("indicators["):
            index = int(path[len("indicators[") : path.index("]")])
            source = evaluation.indicators[index].source
        out.append(
            finding(
                "text.placeholder",
                Severity.warning,
                f"“{text[:40]}”中留有模板或占位文字“{match.group(0)}”，应替换为实际内容",
                path,
                source=source,
                actual=match.group(0),
                rule="文书不得留有模板说明或占位符",
            )
        )
    return out


def _missed_words(evaluation: Evaluation) -> str:
    missed = unmet(evaluation)
    first = missed[0][1]
    name = first.name or first.level2 or first.level1
    more = f"等{len(missed)}项" if len(missed) > 1 else ""
    return f"“{name}”{miss_words(first)}{more}"


@check("text.no-problems")
def no_problems(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """“存在问题：无” while a target was missed."""
    if not is_none_text(evaluation.problems) or not unmet(evaluation):
        return []
    return [
        finding(
            "text.no-problems",
            Severity.warning,
            f"报告称“存在问题：无”，但{_missed_words(evaluation)}，应分析存在的问题及原因",
            "problems",
            actual="无",
            rule=f"{RULE_10} 附件3：存在的问题及原因分析",
        )
    ]


@check("text.no-suggestions")
def no_suggestions(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Problems listed (or targets missed) but no suggestions made."""
    problems = [p for p in evaluation.problems if not is_none_text([p])]
    suggestions = [s for s in evaluation.suggestions if not is_none_text([s])]
    if suggestions:
        return []
    printed_none = is_none_text(evaluation.suggestions)
    if problems:
        why = f"报告列出了{len(problems)}个问题"
    elif printed_none and unmet(evaluation):
        why = _missed_words(evaluation)
    else:
        return []
    said = "报告称“有关建议：无”" if printed_none else "报告没有提出建议"
    return [
        finding(
            "text.no-suggestions",
            Severity.warning,
            f"{said}，但{why}，应针对问题提出改进建议",
            "suggestions",
            actual="无" if printed_none else None,
            rule=f"{RULE_10} 附件3：有关建议",
        )
    ]


def _dates(evaluation: Evaluation) -> Iterator[tuple[str, str, date]]:
    project, dates = evaluation.project, evaluation.dates
    for path, name, value in (
        ("project.period_start", "项目期起", project.period_start),
        ("project.period_end", "项目期止", project.period_end),
        ("dates.filled", "填报日期", dates.filled),
        ("dates.report", "报告日期", dates.report),
        ("dates.work_start", "评价工作开始", dates.work_start),
        ("dates.work_end", "评价工作结束", dates.work_end),
    ):
        if value is not None:
            yield path, name, value


@check("text.date-range", "text.date-order")
def dates(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Dates fall in the evaluation year (work and report up to the next year); starts precede ends."""
    out: list[Finding] = []
    year = evaluation.year
    for path, name, value in _dates(evaluation):
        if year is None:
            break
        if path.startswith("project."):
            continue  # a project period may span years; it must only touch the evaluation year (below)
        if not year <= value.year <= year + 1:
            out.append(
                finding(
                    "text.date-range",
                    Severity.warning,
                    f"{name}{value.isoformat()}不在{year}年度评价应有的时间范围（{year}年至{year + 1}年）内",
                    path,
                    expected=f"{year}–{year + 1}",
                    actual=value.isoformat(),
                    rule="评价工作在评价年度当年或次年开展",
                )
            )
    project = evaluation.project
    start, end = project.period_start, project.period_end
    if year is not None and start and end and (end.year < year or start.year > year):
        out.append(
            finding(
                "text.date-range",
                Severity.warning,
                f"项目期{start.isoformat()}至{end.isoformat()}不含评价年度{year}年",
                "project.period_start",
                expected=str(year),
                actual=f"{start.isoformat()}–{end.isoformat()}",
                rule="评价年度应在项目期内",
            )
        )
    pairs = (
        ("project.period_start", "项目期", project.period_start, project.period_end),
        ("dates.work_start", "评价工作", evaluation.dates.work_start, evaluation.dates.work_end),
    )
    for path, name, start, end in pairs:
        if start and end and start > end:
            out.append(
                finding(
                    "text.date-order",
                    Severity.error,
                    f"{name}开始日期{start.isoformat()}晚于结束日期{end.isoformat()}",
                    path,
                    expected=f"≤ {end.isoformat()}",
                    actual=start.isoformat(),
                    rule="开始日期不得晚于结束日期",
                )
            )
    return out
