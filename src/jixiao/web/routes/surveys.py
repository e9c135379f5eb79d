"""Satisfaction surveys: the evaluator's questionnaire builder and results, the public answer page."""

from __future__ import annotations

import io
import secrets

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from jixiao.store import surveys
from jixiao.store.models import EvaluationRecord, Role, SurveyRecord
from jixiao.store.queries import Actor, NotFound, StoreError, get_visible, listing
from jixiao.web.deps import db_session, render, require, state

router = APIRouter()
SURVEYORS = require(Role.evaluator, Role.admin, Role.finance)
DEFAULT_QUESTIONS = (
    "您对本项目的总体满意程度",
    "您对待遇（补助）发放及时性的满意程度",
    "您对经办服务态度的满意程度",
)


@router.get("/surveys")
def survey_list(
    request: Request, actor: Actor = SURVEYORS, session: Session = Depends(db_session)
) -> Response:
    """The surveys and the form to build a new one."""
    rows = session.scalars(select(SurveyRecord).order_by(SurveyRecord.id.desc()).limit(200)).all()
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
        },
    )


@router.post("/surveys")
async def create(
    request: Request, actor: Actor = SURVEYORS, session: Session = Depends(db_session)
) -> Response:
    """Create a questionnaire for an evaluation."""
    form = await request.form()
    evaluation_id = str(form.get("evaluation_id", ""))
    if not evaluation_id.isdigit():
        raise StoreError("请选择要调查的评价项目")
    weights: dict[str, int] = {}
    for i, option in enumerate(surveys.OPTIONS):
        raw = str(form.get(f"weight-{i}", surveys.DEFAULT_WEIGHTS[option])).strip()
        if not raw.isdigit():
            raise StoreError(f"选项“{option}”的权重应为 0 到 100 的整数")
        weights[option] = int(raw)
    population = str(form.get("population", "")).strip()
    survey = surveys.create_survey(
        session,
        actor,
        int(evaluation_id),
        title=str(form.get("title", "")),
        questions=str(form.get("questions", "")).splitlines(),
        weights=weights,
        population=int(population) if population.isdigit() else None,
    )
    return RedirectResponse(f"/surveys/{survey.id}", status_code=303)


def _survey(session: Session, actor: Actor, survey_id: int) -> SurveyRecord:
    survey = session.get(SurveyRecord, survey_id)
    if survey is None:
        raise NotFound("问卷不存在")
    get_visible(session, actor, survey.evaluation_id)
    return survey


@router.get("/surveys/{survey_id}")
def survey_page(
    request: Request, survey_id: int, actor: Actor = SURVEYORS, session: Session = Depends(db_session)
) -> Response:
    """Public link, QR code, sample size, 满意率 and margin of error."""
    survey = _survey(session, actor, survey_id)
    record = session.get(EvaluationRecord, survey.evaluation_id)
    link = str(request.base_url).rstrip("/") + f"/s/{survey.token}"
    return render(
        request,
        "survey.html",
        {"survey": survey, "record": record, "stats": surveys.survey_stats(session, survey), "link": link},
    )


@router.get("/surveys/{survey_id}/qr.png")
def survey_qr(
    request: Request, survey_id: int, actor: Actor = SURVEYORS, session: Session = Depends(db_session)
) -> Response:
    """A QR code image of the public link, for printing on flyers."""
    import qrcode

    survey = _survey(session, actor, survey_id)
    link = str(request.base_url).rstrip("/") + f"/s/{survey.token}"
    buffer = io.BytesIO()
    qrcode.make(link, box_size=8, border=2).save(buffer)
    return Response(buffer.getvalue(), media_type="image/png")


@router.post("/surveys/{survey_id}/apply")
def apply(
    request: Request, survey_id: int, actor: Actor = SURVEYORS, session: Session = Depends(db_session)
) -> Response:
    """Write the survey result into the evaluation's 满意度 indicator."""
    survey = _survey(session, actor, survey_id)
    stats = surveys.apply_to_indicator(session, actor, survey.id)
    request.session["flash"] = (
        f"已将满意率 {stats.satisfaction_rate}%（样本 {stats.sample_size} 份）应用到满意度指标"
    )
    return RedirectResponse(f"/surveys/{survey_id}", status_code=303)


DEVICE_COOKIE = "jixiao_device"


@router.get("/s/{token}")
def public_form(request: Request, token: str, session: Session = Depends(db_session)) -> Response:
    """The mobile-friendly public questionnaire."""
    survey = surveys.by_token(session, token)
    answered = request.cookies.get(DEVICE_COOKIE, "") in _answered_devices(session, survey)
    response = render(
        request,
        "public_survey.html",
        {"survey": survey, "options": surveys.OPTIONS, "answered": answered, "done": False},
    )
    _ensure_device(request, response)
    return response


def _answered_devices(session: Session, survey: SurveyRecord) -> set[str]:
    from jixiao.store.models import SurveyResponse

    device = select(SurveyResponse.device).where(SurveyResponse.survey_id == survey.id)
    return set(session.scalars(device).all())


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
async def public_answer(request: Request, token: str, session: Session = Depends(db_session)) -> Response:
    """Record one answer per device; too many submissions from one address are refused."""
    survey = surveys.by_token(session, token)
    address = request.client.host if request.client else "?"
    throttle = state(request).survey_throttle
    if throttle.blocked(f"survey:{address}"):
        return render(
            request, "error.html", {"message": "提交过于频繁，请稍后再试", "status": 429}, status_code=429
        )
    throttle.hit(f"survey:{address}")
    form = await request.form()
    options = [str(form.get(f"q-{i}", "")) for i in range(len(survey.questions))]
    device = request.cookies.get(DEVICE_COOKIE) or ""
    if not device:
        raise StoreError("请在浏览器中打开问卷链接后作答（需要允许 Cookie）")
    recorded = surveys.answer(session, survey, device, options)
    return render(
        request,
        "public_survey.html",
        {"survey": survey, "options": surveys.OPTIONS, "answered": not recorded, "done": recorded},
    )
