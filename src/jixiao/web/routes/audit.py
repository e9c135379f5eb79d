"""The audit log (审计日志): who changed what, when, before and after — read-only."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from jixiao.store.models import AuditEntry, Role
from jixiao.store.queries import Actor
from jixiao.web.deps import db_session, render, require
from jixiao.web.params import optional_int

router = APIRouter()


@router.get("/audit")
def audit_log(
    request: Request,
    evaluation: str = "",
    actor: Actor = require(Role.admin, Role.finance),
    session: Session = db_session,
) -> Response:
    """The latest entries, optionally for one evaluation."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(300)
    evaluation_id = optional_int(evaluation, "评价编号")
    if evaluation_id is not None:
        query = query.where(AuditEntry.entity == "evaluation", AuditEntry.entity_id == evaluation_id)
    entries = [
        {
            "entry": e,
            "before": _short(e.before),
            "after": _short(e.after),
        }
        for e in session.scalars(query)
    ]
    return render(request, "audit.html", {"entries": entries, "evaluation": evaluation})


def _short(data: object) -> str:
    if data is None:
        return ""
    text = json.dumps(data, ensure_ascii=False)
    return text if len(text) <= 300 else text[:300] + "…"
