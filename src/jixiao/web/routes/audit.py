"""The audit log (审计日志): who changed what, when, before and after — read-only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from jixiao.api import ACTION_NAMES, ENTITY_NAMES
from jixiao.store.models import AuditEntry, Role
from jixiao.store.queries import Actor
from jixiao.web import auditlog
from jixiao.web.clock import local_time
from jixiao.web.deps import db_session, render, require, state
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
    zone = state(request).settings.timezone
    entries = []
    for e in session.scalars(query):
        listed, more = auditlog.changes(e.before, e.after)
        entries.append(
            {
                "at": local_time(e.at, zone),
                "who": e.username or "系统",
                "action": ACTION_NAMES.get(e.action, e.action),
                "entity": f"{ENTITY_NAMES.get(e.entity, e.entity)} {e.entity_id or ''}".strip(),
                "changes": listed,
                "more": more,
                "raw": ""
                if listed or (e.before is None and e.after is None)
                else auditlog.short_json(e.after),
            }
        )
    return render(request, "audit.html", {"entries": entries, "evaluation": evaluation, "zone": zone})
