"""Satisfaction surveys (满意度调查): questionnaires, public answers, statistics, applying the result.

A public answer must get past three checks, all kept in the database so several app processes
share them: one answer per device (a cookie), at most ``address_limit`` answers per network address
within ``address_window_minutes`` (the address is stored only as a keyed hash), and — for closed
populations — a one-time code (答卷码) that is used up atomically.
"""

from __future__ import annotations

import csv
import io
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jixiao.api import Figure, Survey
from jixiao.store import survey_guard
from jixiao.store.models import Role, SurveyCode, SurveyRecord, SurveyResponse, utcnow
from jixiao.store.queries import Actor, NotFound, StoreError, ensure_open, get_visible, require_role
from jixiao.store.service import apply_audit, flush, load_evaluation, log
from jixiao.store.survey_guard import (
    ADDRESS_LIMIT,
    ADDRESS_LIMIT_RANGE,
    ADDRESS_WINDOW_MINUTES,
    CODES_PER_BATCH,
    WINDOW_RANGE,
    Client,
    CodeRefused,
    TooManyAnswers,
    window_text,
)
from jixiao.vocabulary import ANSWERS, SATISFIED

OPTIONS = ANSWERS
DEFAULT_WEIGHTS = {"很满意": 100, "满意": 80, "一般": 60, "不满意": 40, "很不满意": 0}

POPULATION_RANGE = (1, 2_000_000_000)


class Outcome(StrEnum):
    """What became of a public answer."""

    recorded = "recorded"
    already = "already"  # this device answered before


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
    address_limit: int = ADDRESS_LIMIT,
    address_window_minutes: int = ADDRESS_WINDOW_MINUTES,
    codes_required: bool = False,
    code_count: int = 0,
) -> SurveyRecord:
    """An evaluator builds a questionnaire for an evaluation; it gets a random public token.

    With ``codes_required`` only holders of a one-time code may answer; ``code_count`` codes are
    generated at once (more can be added later).
    """
    require_role(actor, Role.evaluator, Role.admin, Role.finance)
    get_visible(session, actor, evaluation_id)
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise StoreError("问卷至少要有一个问题")
    if len(questions) > 100 or any(len(q) > 500 for q in questions):
        raise StoreError("问卷最多 100 个问题，每个问题不超过 500 字")
    for option, weight in weights.items():
        if option not in OPTIONS or not 0 <= weight <= 100:
            raise StoreError("选项权重应在 0 到 100 之间")
    if population is not None and not POPULATION_RANGE[0] <= population <= POPULATION_RANGE[1]:
        raise StoreError(f"受益对象总数应为 {POPULATION_RANGE[0]} 到 {POPULATION_RANGE[1]} 之间的整数")
    if not ADDRESS_LIMIT_RANGE[0] <= address_limit <= ADDRESS_LIMIT_RANGE[1]:
        raise StoreError(
            f"每个网络地址的答卷上限应为 {ADDRESS_LIMIT_RANGE[0]} 到 {ADDRESS_LIMIT_RANGE[1]} 之间的整数"
        )
    if not WINDOW_RANGE[0] <= address_window_minutes <= WINDOW_RANGE[1]:
        raise StoreError(f"限制时段应为 {WINDOW_RANGE[0]} 到 {WINDOW_RANGE[1]} 分钟")
    if code_count and not codes_required:
        raise StoreError("未启用一次性答卷码时不能生成答卷码")
    if not 0 <= code_count <= CODES_PER_BATCH[1]:
        raise StoreError(f"答卷码数量应为 0 到 {CODES_PER_BATCH[1]} 之间的整数")
    survey = SurveyRecord(
        evaluation_id=evaluation_id,
        title=title.strip()[:300] or "满意度调查",
        token=secrets.token_urlsafe(16),
        questions=questions,
        weights=weights,
        population=population,
        address_limit=address_limit,
        address_window_minutes=address_window_minutes,
        codes_required=codes_required,
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
        {
            "title": survey.title,
            "questions": questions,
            "address_limit": address_limit,
            "address_window_minutes": address_window_minutes,
            "codes_required": codes_required,
        },
    )
    if code_count:
        survey_guard.add_codes(session, actor, survey, code_count)
    return survey


def visible_survey(session: Session, actor: Actor, survey_id: int) -> SurveyRecord:
    """The survey if ``actor`` may see its evaluation, else ``NotFound``."""
    require_role(actor, Role.evaluator, Role.admin, Role.finance)
    survey = session.get(SurveyRecord, survey_id)
    if survey is None:
        raise NotFound("问卷不存在")
    get_visible(session, actor, survey.evaluation_id)
    return survey


def generate_codes(session: Session, actor: Actor, survey_id: int, count: int) -> list[str]:
    """Add ``count`` one-time codes to a survey that requires them; the new codes."""
    survey = visible_survey(session, actor, survey_id)
    if not survey.codes_required:
        raise StoreError("该问卷未启用一次性答卷码")
    if not CODES_PER_BATCH[0] <= count <= CODES_PER_BATCH[1]:
        raise StoreError(f"答卷码数量应为 {CODES_PER_BATCH[0]} 到 {CODES_PER_BATCH[1]} 之间的整数")
    return survey_guard.add_codes(session, actor, survey, count)


def codes_csv(session: Session, actor: Actor, survey_id: int, link: str) -> bytes:
    """The survey's one-time codes as CSV for printing: UTF-8 with BOM (Excel), Chinese headers."""
    survey = visible_survey(session, actor, survey_id)
    rows = session.execute(
        select(SurveyCode.code, SurveyCode.used_at)
        .where(SurveyCode.survey_id == survey.id)
        .order_by(SurveyCode.id)
    ).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["序号", "答卷码", "状态", "问卷", "问卷链接"])
    for number, (code, used_at) in enumerate(rows, start=1):
        writer.writerow([number, code, "已使用" if used_at else "未使用", survey.title, link])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def by_token(session: Session, token: str) -> SurveyRecord:
    """The open survey behind a public link."""
    survey = session.scalars(select(SurveyRecord).where(SurveyRecord.token == token)).first()
    if survey is None:
        raise NotFound("问卷不存在")
    return survey


def device_answered(session: Session, survey: SurveyRecord, device: str) -> bool:
    """Whether this device (cookie) has answered the survey."""
    if not device:
        return False
    found = session.scalar(
        select(SurveyResponse.id).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.device == device
        )
    )
    return found is not None


class _CodeTaken(Exception):
    """The code was used up between the check and the update (roll the answer back)."""


def answer(
    session: Session,
    survey: SurveyRecord,
    device: str,
    options: list[str],
    *,
    client: Client,
    code: str = "",
) -> Outcome:
    """Record one answer, or say the device already answered.

    Raises ``TooManyAnswers`` when the client's address has used up the survey's limit, and
    ``CodeRefused`` for a missing, wrong or used one-time code; in either case nothing is stored.
    """
    if not survey.open:
        raise StoreError("问卷已关闭")
    if len(options) != len(survey.questions) or any(o not in OPTIONS for o in options):
        raise StoreError("请回答每一个问题")
    # Answers to one survey queue here (PostgreSQL; SQLite writers already hold the write lock),
    # so the count below cannot be raced past by simultaneous posts from one address.
    session.execute(select(SurveyRecord.id).where(SurveyRecord.id == survey.id).with_for_update())
    if device_answered(session, survey, device):
        return Outcome.already
    code_id: int | None = None
    if survey.codes_required:
        code_id = survey_guard.check_code(session, survey, code)
    since = utcnow() - timedelta(minutes=survey.address_window_minutes)
    recent = session.scalar(
        select(func.count(SurveyResponse.id)).where(
            SurveyResponse.survey_id == survey.id,
            SurveyResponse.address_hash == client.address_hash,
            SurveyResponse.created_at > since,
        )
    )
    if (recent or 0) >= survey.address_limit:
        raise TooManyAnswers(
            f"同一网络地址提交的答卷已达上限（{window_text(survey.address_window_minutes)}内最多 "
            f"{survey.address_limit} 份），本次未保存，请稍后再试。"
            "如多人共用同一网络（如单位、村委会），请联系调查组织方调整。"
        )
    now = utcnow()
    try:
        with session.begin_nested():
            session.add(
                SurveyResponse(
                    survey_id=survey.id,
                    device=device,
                    answers=options,
                    address_hash=client.address_hash,
                    agent_hash=client.agent_hash,
                    created_at=now,
                )
            )
            session.flush()
            if code_id is not None:
                # Atomic: of two simultaneous posts of one code exactly one changes the row.
                used = cast(
                    CursorResult[Any],
                    session.execute(
                        update(SurveyCode)
                        .where(SurveyCode.id == code_id, SurveyCode.used_at.is_(None))
                        .values(used_at=now)
                        .execution_options(synchronize_session=False)
                    ),
                )
                if used.rowcount != 1:
                    raise _CodeTaken()
    except IntegrityError:
        return Outcome.already
    except _CodeTaken:
        raise CodeRefused("该答卷码已经使用过，每个答卷码只能作答一次") from None
    return Outcome.recorded


def survey_stats(session: Session, survey: SurveyRecord) -> SurveyStats:
    """Statistics of a survey's answers so far."""
    rows = session.scalars(select(SurveyResponse.answers).where(SurveyResponse.survey_id == survey.id)).all()
    return statistics([list(r) for r in rows], survey.weights, survey.population)


@dataclass(frozen=True)
class Applied:
    """A survey applied: its statistics and the score each 满意度 indicator now gets by the rules."""

    stats: SurveyStats
    scores: list[tuple[str, Decimal | None, Decimal | None]]  # indicator, computed score, weight


def apply_to_indicator(session: Session, actor: Actor, survey_id: int) -> Applied:
    """Write the survey result into the evaluation: its survey block and the 满意度 indicator's actual."""
    survey = visible_survey(session, actor, survey_id)
    record = get_visible(session, actor, survey.evaluation_id)
    ensure_open(record)  # Forbidden("该评价已提交或已复核通过，不能再修改…") before anything changes
    stats = survey_stats(session, survey)
    if stats.sample_size == 0 or stats.satisfaction_rate is None:
        raise StoreError("还没有有效答卷，不能应用到满意度指标")
    evaluation = load_evaluation(record)
    before = dict(record.data)
    evaluation.survey = Survey(
        method="问卷",
        population=survey.population,
        sample_size=stats.sample_size,
        questions=len(survey.questions),
        answers={k: v for k, v in stats.answers.items() if v},
        satisfaction_rate=stats.satisfaction_rate,
        satisfaction_index=stats.satisfaction_index,
        margin_of_error=stats.margin_of_error,
    )
    rows = evaluation.indicators
    targets = [n for n, i in enumerate(rows) if "满意" in (i.level1 + (i.level2 or "") + (i.name or ""))]
    if not targets:
        raise StoreError("该评价没有满意度指标")
    for n in targets:
        rows[n].actual = Figure(text=f"{stats.satisfaction_rate}%")
    audit = apply_audit(session, record, evaluation)
    log(session, actor, "survey.apply", "evaluation", record.id, before, record.data)
    flush(session)
    by_index = {s.index: s for s in audit.score.indicators}
    scores = [
        (rows[n].label, by_index[n].computed if n in by_index else None, rows[n].weight) for n in targets
    ]
    return Applied(stats, scores)
