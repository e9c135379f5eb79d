"""Extractors: a :class:`Document` → an :class:`Evaluation` whose values keep their provenance.

Each topic module reads what it can; a value is filled only when the evidence is unambiguous,
otherwise it stays unknown and an info finding says why.
"""

from __future__ import annotations

from jixiao.findings import Finding
from jixiao.ingest.document import Document
from jixiao.ingest.extract.breakdowns import prose_breakdowns
from jixiao.ingest.extract.changes import prose_changes
from jixiao.ingest.extract.context import Context, cell_number, clean, label_key
from jixiao.ingest.extract.funds import extract_funds
from jixiao.ingest.extract.indicators import cell_role, extract_indicators
from jixiao.ingest.extract.labels import Value, collect, first
from jixiao.ingest.extract.meta import (
    department_of,
    department_year,
    form_of,
    kind_of,
    project_of,
    report_date,
    year_of,
)
from jixiao.ingest.extract.scores import (
    claims_from,
    counts,
    prose_level_scores,
    prose_level_weights,
    transposed_levels,
)
from jixiao.ingest.extract.sections import basis_and_methods, people, sections, survey, timeline
from jixiao.ingest.extract.targets import link_funds_rates, link_quantity, prose_targets
from jixiao.ingest.extract.units import mend_yuan_labelled_wan
from jixiao.model import Evaluation, Form, Funds, FundStage, Goals, Level, Source, Subject

__all__ = ["extract"]

_NOT_EVALUATED = {Form.target, Form.budget, Form.final_accounts}  # no evaluator to name
_DEPARTMENT_FORMS = {Form.dept_self_table, Form.dept_self_report, Form.final_accounts, Form.budget}


def extract(doc: Document, *, part: bool = False) -> tuple[Evaluation, list[Finding]]:
    """Read an Evaluation out of a document; findings record ambiguities and inferences.

    ``part``: the document is one project's part of a larger one (a sheet, a form of a
    compilation), so a 预算 or 决算 title it shares with the others does not make it one.
    """
    for cached in (clean, label_key, cell_number, cell_role):
        cached.cache_clear()  # per-document memo: honest timings, bounded memory in long batches
    ctx = Context(doc)
    found = extract_indicators(ctx)
    levels, level_claims = transposed_levels(ctx)
    form = form_of(ctx)
    if part and form in (Form.budget, Form.final_accounts):
        form = Form.target if found.indicators and not any(i.claimed for i in found.indicators) else None
    # a 绩效目标表 asks for money not yet spent: its amounts without a stage word are the budget
    funds, fund_notes = extract_funds(ctx, FundStage.budget if form is Form.target else None)
    labelled = collect(ctx)
    kind, kind_known = kind_of(ctx, labelled)
    if not kind_known and form not in _NOT_EVALUATED:
        ctx.info("ingest.kind-unknown", "未能确定评价类型，按单位自评处理")
    project, name_source, title_year = project_of(ctx, labelled)
    filled, report = report_date(ctx, labelled)
    year = year_of(ctx, labelled, title_year, report or filled)
    claims = found.claims if found.claims.total is not None else level_claims
    if claims.total is None and level_claims.total is not None:
        claims = level_claims
    claims = claims_from(ctx, claims, labelled)
    if claims.rate is None and level_claims.rate is not None:
        claims.rate = level_claims.rate
    all_levels = _merged_levels(found.levels, levels)
    all_levels = prose_level_weights(ctx, all_levels)
    all_levels = prose_level_scores(ctx, all_levels)
    for key, attr in (("execution_rate", "execution_rate"), ("arrival_rate", "arrival_rate")):
        if getattr(funds, attr) is None:
            for value in labelled.get(key, []):
                if "%" in value.text:
                    from jixiao.model import Figure

                    setattr(funds, attr, Figure(text=value.text, source=value.source))
                    break
    _rate_from_prose(ctx, funds)
    funds.changes = prose_changes(ctx)
    estimate = first(labelled, "estimate")
    if estimate is not None and len(estimate.text) >= 6:
        funds.estimate, funds.estimate_source = estimate.text, estimate.source
    goals = Goals()
    for key in ("overall", "annual", "achieved"):
        v = first(labelled, key)
        if v is not None and len(v.text) >= 6:
            setattr(goals, key, v.text)
    secs = sections(ctx)
    basis, methods = basis_and_methods(labelled)
    dates = timeline(labelled)
    dates.filled, dates.report = filled, report
    indicators = found.indicators
    hint = next(
        (
            (i.level1, i.level2)
            for i in indicators
            if i.weight is not None and i.level2 and "数量" in i.level2
        ),
        None,
    )
    known = {(i.name or "") for i in indicators}
    extra = [t for t in prose_targets(ctx, goals.annual, goals.achieved, hint) if t.name not in known]
    indicators = [*extra, *indicators]
    link_quantity(indicators)
    link_funds_rates(indicators)
    mend_yuan_labelled_wan(ctx, funds, indicators)
    commissioner = first(labelled, "commissioner")
    evaluator = first(labelled, "evaluator")
    evaluation = Evaluation(
        kind=kind,
        form=form,
        subject=Subject.department if form in _DEPARTMENT_FORMS else Subject.project,
        year=year,
        project=project,
        commissioner=commissioner.text if commissioner else None,
        evaluator=evaluator.text if evaluator else None,
        funds=funds,
        goals=goals,
        indicators=indicators,
        levels=all_levels,
        groups=found.groups,
        indicator_counts=counts(ctx),
        claims=claims,
        survey=survey(ctx),
        problems=secs.get("problems", ([], None))[0],
        suggestions=secs.get("suggestions", ([], None))[0],
        experience=secs.get("experience", ([], None))[0],
        evaluators=people(ctx, labelled),
        purpose=_purpose(labelled),
        basis=basis,
        methods=methods,
        dates=dates,
        notes=fund_notes,
        source=Source(file=doc.file, text=name_source.text if name_source else None),
    )
    if evaluation.survey is not None and evaluation.survey.population is None:
        persons = [
            i.actual.value
            for i in indicators
            if i.actual is not None
            and i.actual.value is not None
            and (i.actual.unit or "").endswith("人")
            and "数量" in (i.level2 or "")
        ]
        if len(persons) == 1 and persons[0] is not None:
            scale = (
                10000
                if (
                    evaluation.indicators
                    and "万"
                    in (
                        next(i.actual.unit for i in indicators if i.actual and i.actual.value == persons[0])
                        or ""
                    )
                )
                else 1
            )
            evaluation.survey.population = int(persons[0] * scale)
    if form in (Form.budget, Form.final_accounts):
        _department_document(ctx, evaluation)
    _framework(evaluation)
    return evaluation, ctx.findings


def _department_document(ctx: Context, evaluation: Evaluation) -> None:
    """A whole 部门预算 / 决算 is no project evaluation: its totals are the department's, not a
    project's funds, and its labels (项目名称 columns of list tables) name no project; its
    year-on-year changes (与上年相比) and 其中 lists are kept for the audit."""
    evaluation.funds = Funds(changes=evaluation.funds.changes, breakdowns=prose_breakdowns(ctx))
    evaluation.project.name = "（未能识别项目名称）"
    unit = department_of(ctx) or evaluation.project.department
    if unit is not None:
        evaluation.project.unit = unit
    evaluation.year = department_year(ctx) or evaluation.year


def _merged_levels(first: list[Level], second: list[Level]) -> list[Level]:
    """Levels read twice (an indicator table's level cells, a level table): one per name, gaps filled."""
    if not first or not second:
        return first or second
    by_name = {lv.name.removesuffix("指标"): lv for lv in second}
    for lv in first:
        other = by_name.get(lv.name.removesuffix("指标"))
        if other is not None:
            lv.weight = lv.weight if lv.weight is not None else other.weight
            lv.claimed = lv.claimed if lv.claimed is not None else other.claimed
            lv.rate = lv.rate if lv.rate is not None else other.rate
    return first


def _purpose(labelled: dict[str, list[Value]]) -> str | None:
    """评价目的: the labelled text, when it is a sentence rather than a stray word."""
    value = first(labelled, "purpose")
    return value.text if value is not None and len(value.text) >= 6 else None


def _rate_from_prose(ctx: Context, funds: object) -> None:
    import re

    from jixiao.model import Figure, Funds

    assert isinstance(funds, Funds)
    for attr, pattern in (
        ("execution_rate", r"(?:预算|资金|支出)执行率\s*(?:为|达到|达|是)?\s*(\d{1,3}(?:\.\d+)?%)"),
        ("arrival_rate", r"(?:资金)?到位率\s*(?:为|达到|达|是)?\s*(\d{1,3}(?:\.\d+)?%)"),
    ):
        if getattr(funds, attr) is not None:
            continue
        matches = list(re.finditer(pattern, ctx.flow.text))
        values = {m.group(1) for m in matches}
        if len(values) == 1:
            m = matches[0]
            setattr(funds, attr, Figure(text=m.group(1), source=ctx.flow.source_at(m.start(1), m.group(1))))
        elif len(values) > 1:
            ctx.info(
                "ingest.ambiguous-rate",
                f"正文印有多个{attr}：{sorted(values)}，未取值",
                ctx.flow.source_at(matches[0].start()),
            )


def _framework(evaluation: Evaluation) -> None:
    """Name the framework the levels imply (self-2020, eval-2020, common-2013) when it is clear."""
    names = {lv.name.removesuffix("指标") for lv in evaluation.levels} | {
        i.level1.removesuffix("指标") for i in evaluation.indicators if i.weight is not None
    }
    if {"投入", "效果"} & names:
        evaluation.framework = "common-2013"
    elif {"决策", "过程"} & names:
        evaluation.framework = "eval-2020"
    elif {"产出", "效益", "满意度"} & names and evaluation.kind == "self":
        evaluation.framework = "self-2020"
