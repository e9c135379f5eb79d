"""Finance review (复核): the queue by severity and inflation, review scores, return or approve."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import nulls_last
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao.store import service
from jixiao.store.models import EvaluationRecord, Role
from jixiao.store.queries import Actor, Listed, StoreError, get_visible, listed
from jixiao.web.deps import db_session, posted_form, render, require, state
from jixiao.web.forms import parse_number
from jixiao.web.pagination import paginate, search
from jixiao.web.params import RecordId
from jixiao.web.routes.evaluations import _version, form_context

router = APIRouter()
REVIEWERS = require(Role.finance, Role.admin)


@router.get("/review")
def queue(
    request: Request,
    status: str = "submitted",
    q: str = "",
    page: str = "1",
    actor: Actor = REVIEWERS,
    session: Session = db_session,
) -> Response:
    """Submitted evaluations, most severe findings first, then the largest inflation."""
    query = search(listed(actor), q)
    if status:
        query = query.where(EvaluationRecord.status == status)
    query = query.order_by(
        EvaluationRecord.max_severity,
        nulls_last(EvaluationRecord.inflation.desc()),
        EvaluationRecord.id,
    )
    pager = paginate(session, query, page, {"status": status, "q": q}, rows=Listed)
    return render(
        request,
        "review_queue.html",
        {
            "records": pager.records,
            "pager": pager,
            "q": q,
            "status": status,
            "status_names": service.STATUS_NAMES,
        },
    )


SCORERS = require(Role.finance, Role.admin, Role.evaluator)  # a task's third party adjusts scores too


def _review_page(
    request: Request,
    session: Session,
    actor: Actor,
    evaluation_id: int,
    *,
    posted: Mapping[str, Any] | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    record = get_visible(session, actor, evaluation_id)
    audit = service.stored_audit(session, record, state(request).audits)
    context = form_context(record, dict(record.data), audit, message=message)
    context["posted"] = {k: str(v) for k, v in (posted or {}).items() if isinstance(v, str)}
    context["can_decide"] = actor.role in (Role.finance, Role.admin)
    return render(request, "review.html", context, status_code=status_code)


@router.get("/review/{evaluation_id}")
def review_page(
    request: Request, evaluation_id: RecordId, actor: Actor = SCORERS, session: Session = db_session
) -> Response:
    """The evaluation's figures with its findings beside them."""
    return _review_page(request, session, actor, evaluation_id)


@router.post("/review/{evaluation_id}/scores")
async def review_scores(
    request: Request, evaluation_id: RecordId, actor: Actor = SCORERS, session: Session = db_session
) -> Response:
    """Set reviewed scores (复核得分) with reasons; a refusal comes back to the form, input kept."""
    form = await request.form()
    version = _version(form)
    record = get_visible(session, actor, evaluation_id)
    scores: dict[int, tuple[Decimal | None, str]] = {}
    try:
        for i in range(len(record.data.get("indicators", []))):
            raw = form.get(f"reviewed-{i}")
            if raw is None:
                continue
            try:
                value = parse_number(str(raw))
            except ValueError:
                raise StoreError(f"第 {i + 1} 行复核得分请输入数字") from None
            scores[i] = (value, str(form.get(f"reason-{i}", "")))
        with session.begin_nested():
            service.set_review_scores(session, actor, evaluation_id, version, scores)
    except StoreError as exc:
        session.expire_all()
        return _review_page(
            request, session, actor, evaluation_id, posted=form, message=exc.message, status_code=exc.status
        )
    request.session["flash"] = "复核得分已保存"
    return RedirectResponse(f"/review/{evaluation_id}", status_code=303)


@router.post("/review/{evaluation_id}/decision")
async def decision(
    request: Request, evaluation_id: RecordId, actor: Actor = REVIEWERS, session: Session = db_session
) -> Response:
    """Approve, or return to the unit with comments."""
    form = await request.form()
    approve = form.get("action") == "approve"
    try:
        with session.begin_nested():
            service.review_decision(
                session,
                actor,
                evaluation_id,
                _version(form),
                approve=approve,
                comment=str(form.get("comment", "")),
            )
    except StoreError as exc:
        session.expire_all()
        return _review_page(
            request, session, actor, evaluation_id, posted=form, message=exc.message, status_code=exc.status
        )
    request.session["flash"] = "已复核通过" if approve else "已退回单位修改"
    return RedirectResponse("/review", status_code=303)


@router.post("/review/{evaluation_id}/reopen")
def reopen(
    request: Request,
    evaluation_id: RecordId,
    actor: Actor = REVIEWERS,
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Finance reopens an approved evaluation (back to the unit, with the reason on record)."""
    try:
        with session.begin_nested():
            service.reopen(
                session, actor, evaluation_id, _version(form), comment=str(form.get("comment", ""))
            )
    except StoreError as exc:
        session.expire_all()
        return _review_page(
            request, session, actor, evaluation_id, posted=form, message=exc.message, status_code=exc.status
        )
    request.session["flash"] = "已重新打开，退回单位修改"
    return RedirectResponse(f"/review/{evaluation_id}", status_code=303)
