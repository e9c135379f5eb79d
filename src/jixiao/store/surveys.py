"""Satisfaction surveys (满意度调查): questionnaires, public answers, statistics, applying the result."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jixiao.model import Figure, Survey
from jixiao.store.models import Role, SurveyRecord, SurveyResponse
from jixiao.store.queries import Actor, NotFound, StoreError, get_visible, require_role
from jixiao.store.service import apply_analysis, flush, load_evaluation, log

OPTIONS = ("很满意", "满意", "一般", "不满意", "很不满意")
DEFAULT_WEIGHTS = {"很满意": 100, "满意": 80, "一般": 60, "不满意": 40, "很不满意": 0}
SATISFIED = ("很满意", "满意")


@dataclass
class SurveyStats:
    """Sample size, answer counts, 满意率, 综合满意度 and the 95 % margin of error."""

    sample_size: int
    answers: dict[str, int]
    satisfaction_rate: Decimal | None  # percent
    satisfaction_index: Decimal | None  # percent
    margin_of_error: Decimal | None  # percentage points, 95 % confidence


def _pct(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def statistics(
    answers: list[list[str]], weights: dict[str, int | float], population: int | None
) -> SurveyStats:
    """Statistics over every answer to every question (each answer counts once)."""
    counts = dict.fromkeys(OPTIONS, 0)
    for response in answers:
        for option in response:
            if option in counts:
                counts[option] += 1
    n = sum(counts.values())
    respondents = len(answers)
    if n == 0:
        return SurveyStats(0, counts, None, None, None)
    p = sum(counts[o] for o in SATISFIED) / n
    index = sum(counts[o] * float(weights.get(o, 0)) for o in OPTIONS) / n
    # worst-case p = 0.5 is the convention for a survey's stated margin of error
    margin = 1.96 * math.sqrt(0.25 / respondents)
    if population and population > respondents:
        margin *= math.sqrt((population - respondents) / (population - 1))
    elif population and population <= respondents:
        margin = 0.0
    return SurveyStats(respondents, counts, _pct(p * 100), _pct(index), _pct(margin * 100))


def create_survey(
    session: Session,
    actor: Actor,
    evaluation_id: int,
    *,
    title: str,
    questions: list[str],
    weights: dict[str, int],
    population: int | None,
) -> SurveyRecord:
    """An evaluator builds a questionnaire for an evaluation; it gets a random public token."""
    require_role(actor, Role.evaluator, Role.admin, Role.finance)
    get_visible(session, actor, evaluation_id)
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise StoreError("问卷至少要有一个问题")
    for option, weight in weights.items():
        if option not in OPTIONS or not 0 <= weight <= 100:
            raise StoreError("选项权重应在 0 到 100 之间")
    survey = SurveyRecord(
        evaluation_id=evaluation_id,
        title=title.strip() or "满意度调查",
        token=secrets.token_urlsafe(16),
        questions=questions,
        weights=weights,
        population=population,
        created_by=actor.user_id,
    )
    session.add(survey)
    session.flush()
    log(
        session,
        actor,
        "survey.create",
        "survey",
        survey.id,
        None,
        {"title": survey.title, "questions": questions},
    )
    return survey


def by_token(session: Session, token: str) -> SurveyRecord:
    """The open survey behind a public link."""
    survey = session.scalars(select(SurveyRecord).where(SurveyRecord.token == token)).first()
    if survey is None:
        raise NotFound("问卷不存在")
    return survey


def answer(session: Session, survey: SurveyRecord, device: str, options: list[str]) -> bool:
    """Record one device's answers; False when that device already answered."""
    if not survey.open:
        raise StoreError("问卷已关闭")
    if len(options) != len(survey.questions) or any(o not in OPTIONS for o in options):
        raise StoreError("请回答每一个问题")
    exists = session.scalar(
        select(func.count()).where(SurveyResponse.survey_id == survey.id, SurveyResponse.device == device)
    )
    if exists:
        return False
    try:
        with session.begin_nested():
            session.add(SurveyResponse(survey_id=survey.id, device=device, answers=options))
    except IntegrityError:
        return False
    return True


def survey_stats(session: Session, survey: SurveyRecord) -> SurveyStats:
    """Statistics of a survey's answers so far."""
    rows = session.scalars(select(SurveyResponse.answers).where(SurveyResponse.survey_id == survey.id)).all()
    return statistics([list(r) for r in rows], survey.weights, survey.population)


def apply_to_indicator(session: Session, actor: Actor, survey_id: int) -> SurveyStats:
    """Write the survey result into the evaluation: its survey block and the 满意度 indicator's actual."""
    require_role(actor, Role.evaluator, Role.admin, Role.finance)
    survey = session.get(SurveyRecord, survey_id)
    if survey is None:
        raise NotFound("问卷不存在")
    record = get_visible(session, actor, survey.evaluation_id)
    stats = survey_stats(session, survey)
    if stats.sample_size == 0 or stats.satisfaction_rate is None:
        raise StoreError("还没有有效答卷，不能应用到满意度指标")
    evaluation = load_evaluation(record)
    before = dict(record.data)
    evaluation.survey = Survey(
        method="问卷",
        population=survey.population,
        sample_size=stats.sample_size,
        answers={k: v for k, v in stats.answers.items() if v},
        satisfaction_rate=stats.satisfaction_rate,
        satisfaction_index=stats.satisfaction_index,
        margin_of_error=stats.margin_of_error,
    )
    targets = [i for i in evaluation.indicators if "满意" in (i.level1 + (i.level2 or "") + (i.name or ""))]
    if not targets:
        raise StoreError("该评价没有满意度指标")
    for indicator in targets:
        indicator.actual = Figure(text=f"{stats.satisfaction_rate}%")
    apply_analysis(session, record, evaluation)
    log(session, actor, "survey.apply", "evaluation", record.id, before, record.data)
    flush(session)
    return stats
