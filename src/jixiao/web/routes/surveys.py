"""Satisfaction surveys: the evaluator's questionnaire builder and results, the public answer page."""

from __future__ import annotations

import io
import secrets

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao.store import survey_guard, surveys
from jixiao.store.models import EvaluationRecord, Role, SurveyRecord
from jixiao.store.queries import Actor, StoreError, for_user, listing
from jixiao.web.deps import db_session, posted_form, render, require, state
from jixiao.web.params import RecordId, form_id, optional_int, parse_int

router = APIRouter()
SURVEYORS = require(Role.evaluator, Role.admin, Role.finance)
DEFAULT_QUESTIONS = (
    "您对本项目的总体满意程度",
    "您对待遇（补助）发放及时性的满意程度",
    "您对经办服务态度的满意程度",
)


@router.get("/surveys")
def survey_list(request: Request, actor: Actor = SURVEYORS, session: Session = db_session) -> Response:
    """The surveys of the evaluations the actor may see, and the form to build a new one."""
    return _survey_page(request, actor, session)


def _survey_page(
    request: Request,
    actor: Actor,
    session: Session,
    posted: FormData | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    """The list and the creation form; after a refusal, the form as posted with the reason."""
    visible = for_user(actor).subquery()
    rows = session.execute(
        select(SurveyRecord, visible.c.project_name)
        .join(visible, visible.c.id == SurveyRecord.evaluation_id)
        .order_by(SurveyRecord.id.desc())
        .limit(200)
    ).all()
    evaluations = session.scalars(listing(actor).order_by(EvaluationRecord.id.desc()).limit(500)).all()
    return render(
        request,
        "surveys.html",
        {
            "surveys": rows,
            "evaluations": evaluations,
            "questions": "\n".join(DEFAULT_QUESTIONS),
            "weights": surveys.DEFAULT_WEIGHTS,
            "options": surveys.OPTIONS,
            "address_limit": survey_guard.ADDRESS_LIMIT,
            "address_window": survey_guard.ADDRESS_WINDOW_MINUTES,
            "limit_range": survey_guard.ADDRESS_LIMIT_RANGE,
            "window_range": survey_guard.WINDOW_RANGE,
            "code_count": survey_guard.CODE_COUNT,
            "codes_max": survey_guard.CODES_PER_BATCH[1],
            "posted": {k: str(v) for k, v in (posted or {}).items() if isinstance(v, str)},
            "message": message,
        },
        status_code=status_code,
    )


@router.post("/surveys")
def create(
    request: Request, actor: Actor = SURVEYORS, session: Session = db_session, form: FormData = posted_form
) -> Response:
    """Create a questionnaire for an evaluation (with its address limit and, optionally, codes);
    a refusal comes back to the form with what was typed."""
    try:
        with session.begin_nested():
            survey = _create(session, actor, form)
    except StoreError as exc:
        return _survey_page(request, actor, session, form, exc.message, exc.status)
    return RedirectResponse(f"/surveys/{survey.id}", status_code=303)


def _create(session: Session, actor: Actor, form: FormData) -> SurveyRecord:
    evaluation = form_id(form, "evaluation_id")
    if evaluation is None:
        raise StoreError("请选择要调查的评价项目")
    weights: dict[str, int] = {}
    for i, option in enumerate(surveys.OPTIONS):
        raw = form.get(f"weight-{i}", str(surveys.DEFAULT_WEIGHTS[option]))
        weights[option] = parse_int(raw, f"选项“{option}”的权重", low=0, high=100)
    low, high = surveys.POPULATION_RANGE
    population = optional_int(form.get("population"), "受益对象总数", low=low, high=high)
    low, high = survey_guard.ADDRESS_LIMIT_RANGE
    address_limit = parse_int(
        form.get("address_limit", str(survey_guard.ADDRESS_LIMIT)),
        "同一网络地址最多提交份数",
        low=low,
        high=high,
    )
    low, high = survey_guard.WINDOW_RANGE
    window = parse_int(
        form.get("address_window", str(survey_guard.ADDRESS_WINDOW_MINUTES)),
        "限制时段（分钟）",
        low=low,
        high=high,
    )
    codes_required = form.get("codes_required") in ("1", "on", "true")
    code_count = (
        parse_int(form.get("code_count", "0"), "生成答卷码数量", low=0, high=survey_guard.CODES_PER_BATCH[1])
        if codes_required
        else 0
    )
    survey = surveys.create_survey(
        session,
        actor,
        evaluation,
        title=str(form.get("title", "")),
        questions=str(form.get("questions", "")).splitlines(),
        weights=weights,
        population=population,
        address_limit=address_limit,
        address_window_minutes=window,
        codes_required=codes_required,
        code_count=code_count,
    )
    return survey


def _link(request: Request, survey: SurveyRecord) -> str:
    return str(request.base_url).rstrip("/") + f"/s/{survey.token}"


@router.get("/surveys/{survey_id}")
def survey_page(
    request: Request, survey_id: RecordId, actor: Actor = SURVEYORS, session: Session = db_session
) -> Response:
    """Public link, QR code, sample size, 满意率, margin of error, suspected duplicates, codes."""
    survey = surveys.visible_survey(session, actor, survey_id)
    record = session.get(EvaluationRecord, survey.evaluation_id)
    return render(
        request,
        "survey.html",
        {
            "survey": survey,
            "record": record,
            "stats": surveys.survey_stats(session, survey),
            "duplicates": survey_guard.duplicates(session, survey),
            "codes": survey_guard.code_counts(session, survey) if survey.codes_required else None,
            "codes_max": survey_guard.CODES_PER_BATCH[1],
            "window": survey_guard.window_text(survey.address_window_minutes),
            "interval": int(survey_guard.DUPLICATE_INTERVAL.total_seconds() // 60),
            "link": _link(request, survey),
        },
    )


@router.get("/surveys/{survey_id}/qr.png")
def survey_qr(
    request: Request, survey_id: RecordId, actor: Actor = SURVEYORS, session: Session = db_session
) -> Response:
    """A QR code image of the public link, for printing on flyers."""
    import qrcode

    survey = surveys.visible_survey(session, actor, survey_id)
    buffer = io.BytesIO()
    qrcode.make(_link(request, survey), box_size=8, border=2).save(buffer)
    return Response(buffer.getvalue(), media_type="image/png")


@router.post("/surveys/{survey_id}/apply")
def apply(
    request: Request, survey_id: RecordId, actor: Actor = SURVEYORS, session: Session = db_session
) -> Response:
    """Write the survey result into the evaluation's 满意度 indicator."""
    applied = surveys.apply_to_indicator(session, actor, survey_id)
    stats = applied.stats
    margin = f"，误差范围 ±{stats.margin_of_error} 个百分点" if stats.margin_of_error is not None else ""
    scored = "；".join(
        f"“{label}”按规则得 {score} 分（满分 {weight}）" if score is not None else f"“{label}”未能计分"
        for label, score, weight in applied.scores
    )
    request.session["flash"] = (
        f"已将满意率 {stats.satisfaction_rate}%（样本 {stats.sample_size} 份{margin}）应用到满意度指标：{scored}"
    )
    return RedirectResponse(f"/surveys/{survey_id}", status_code=303)


@router.post("/surveys/{survey_id}/codes")
def add_codes(
    request: Request,
    survey_id: RecordId,
    actor: Actor = SURVEYORS,
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Generate more one-time codes."""
    low, high = survey_guard.CODES_PER_BATCH
    count = parse_int(form.get("count", ""), "答卷码数量", low=low, high=high)
    fresh = surveys.generate_codes(session, actor, survey_id, count)
    request.session["flash"] = f"已生成 {len(fresh)} 个答卷码，请下载答卷码清单打印发放"
    return RedirectResponse(f"/surveys/{survey_id}", status_code=303)


@router.get("/surveys/{survey_id}/codes.csv")
def download_codes(
    request: Request, survey_id: RecordId, actor: Actor = SURVEYORS, session: Session = db_session
) -> Response:
    """The one-time codes as CSV (UTF-8 with BOM, opens in Excel), to print and hand out."""
    survey = surveys.visible_survey(session, actor, survey_id)
    content = surveys.codes_csv(session, actor, survey.id, _link(request, survey))
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="survey-{survey.id}-codes.csv"'},
    )


DEVICE_COOKIE = "jixiao_device"


def _public(
    request: Request,
    survey: SurveyRecord,
    *,
    answered: bool = False,
    done: bool = False,
    blocked: bool = False,
    message: str | None = None,
    chosen: list[str] | None = None,
    code: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "public_survey.html",
        {
            "survey": survey,
            "options": surveys.OPTIONS,
            "answered": answered,
            "done": done,
            "blocked": blocked,
            "message": message,
            "chosen": chosen or [],
            "code": code,
        },
        status_code=status_code,
    )


@router.get("/s/{token}")
def public_form(request: Request, token: str, session: Session = db_session) -> Response:
    """The mobile-friendly public questionnaire."""
    survey = surveys.by_token(session, token)
    answered = surveys.device_answered(session, survey, request.cookies.get(DEVICE_COOKIE, ""))
    response = _public(request, survey, answered=answered)
    _ensure_device(request, response)
    return response


def _ensure_device(request: Request, response: Response) -> str:
    device = request.cookies.get(DEVICE_COOKIE)
    if not device or len(device) > 64:
        device = secrets.token_urlsafe(24)
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=365 * 86400,
            httponly=True,
            samesite="lax",
            secure=state(request).settings.secure_cookies,
        )
    return device


@router.post("/s/{token}")
def public_answer(
    request: Request, token: str, session: Session = db_session, form: FormData = posted_form
) -> Response:
    """Record one answer per device, within the survey's per-address limit, with a code if required."""
    survey = surveys.by_token(session, token)
    address = request.client.host if request.client else "?"
    throttle = state(request).survey_throttle  # a cheap per-process flood guard in front of the database
    if throttle.blocked(f"survey:{address}"):
        return _public(request, survey, blocked=True, message="提交过于频繁，请稍后再试", status_code=429)
    throttle.hit(f"survey:{address}")
    options = [str(form.get(f"q-{i}", "")) for i in range(len(survey.questions))]
    code = str(form.get("code", ""))[:40]
    device = request.cookies.get(DEVICE_COOKIE) or ""
    if not device or len(device) > 64:
        raise StoreError("请在浏览器中打开问卷链接后作答（需要允许 Cookie）")
    key = survey_guard.hash_key(state(request).settings.session_secret())
    client = survey_guard.client_of(key, survey.id, address, request.headers.get("user-agent"))
    try:
        outcome = surveys.answer(session, survey, device, options, client=client, code=code)
    except survey_guard.TooManyAnswers as exc:
        return _public(request, survey, blocked=True, message=exc.message, status_code=429)
    except survey_guard.CodeRefused as exc:
        return _public(request, survey, message=exc.message, chosen=options, code=code, status_code=400)
    recorded = outcome is surveys.Outcome.recorded
    return _public(request, survey, answered=not recorded, done=recorded)
