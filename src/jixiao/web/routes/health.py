"""``/healthz``: the app and its database answer (for a load balancer, a monitor, the benchmark's floor)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import PlainTextResponse, Response

from jixiao.web.deps import db_session

router = APIRouter()


@router.get("/healthz")
def health(session: Session = db_session) -> Response:
    """200 when a database transaction goes through; no login, and nothing about the data is shown."""
    session.execute(select(1))
    return PlainTextResponse("正常")
