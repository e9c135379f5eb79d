"""Every evaluation downloads as 自评表 / 评价报告 in Word, Excel, PDF."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from jixiao import api
from jixiao.api import DOCUMENT_NAMES, MEDIA_TYPES
from jixiao.store import service
from jixiao.store.queries import Actor, StoreError, get_visible
from jixiao.web.deps import current_actor, db_session, state
from jixiao.web.params import RecordId

router = APIRouter()


@router.get("/evaluations/{evaluation_id}/download/{kind}.{fmt}")
def download(
    request: Request,
    evaluation_id: RecordId,
    kind: str,
    fmt: str,
    findings: str = "",
    actor: Actor = Depends(current_actor),
    session: Session = db_session,
) -> Response:
    """Render the document through ``jixiao.api.render`` (the same numbers as the pages)."""
    if kind not in DOCUMENT_NAMES or fmt not in MEDIA_TYPES:
        raise StoreError("未知的文书种类或格式")
    record = get_visible(session, actor, evaluation_id)
    evaluation = service.load_evaluation(record)
    try:
        content = api.render(evaluation, kind, fmt, with_findings=findings not in ("", "0"))  # type: ignore[arg-type]
    except api.RenderError as exc:
        raise StoreError(str(exc)) from exc
    name = f"{record.project_name}-{DOCUMENT_NAMES[kind]}.{fmt}"
    # A GET reads in a read-only transaction; the audit entry is its own short write.
    with state(request).db.session() as writer:
        service.log(
            writer, actor, "evaluation.download", "evaluation", record.id, None, {"kind": kind, "format": fmt}
        )
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
