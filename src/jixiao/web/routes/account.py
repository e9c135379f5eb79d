"""The user's own corner: notifications (and deadline reminders), e-mail address, password."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao.store import notifications
from jixiao.store.accounts import change_password, email_error
from jixiao.store.models import User
from jixiao.store.queries import Actor
from jixiao.store.service import log
from jixiao.web.clock import local_time, local_today
from jixiao.web.deps import current_user, db_session, posted_form, render, state

router = APIRouter()


@router.get("/notifications")
def notification_list(
    request: Request, user: User = Depends(current_user), session: Session = db_session
) -> Response:
    """The latest notifications, newest first, and the unit's deadlines near or past."""
    zone = state(request).settings.timezone
    rows = [
        {"text": n.text, "link": n.link, "at": local_time(n.created_at, zone), "unread": n.read_at is None}
        for n in notifications.recent(session, user.id)
    ]
    reminders = (
        notifications.deadline_reminders(session, user.org_id, local_today(zone))
        if user.role == "unit"
        else []
    )
    return render(request, "notifications.html", {"rows": rows, "reminders": reminders})


@router.post("/notifications/read")
def notifications_read(
    request: Request, user: User = Depends(current_user), session: Session = db_session
) -> Response:
    """Mark every notification read."""
    notifications.mark_read(session, user.id)
    return RedirectResponse("/notifications", status_code=303)


def _account(
    request: Request, user: User, errors: dict[str, str], email: str, status_code: int = 200
) -> Response:
    context: dict[str, Any] = {"errors": errors, "email": email, "username": user.username}
    return render(request, "account.html", context, status_code=status_code)


@router.get("/account")
def account_page(request: Request, user: User = Depends(current_user)) -> Response:
    """The e-mail and password forms."""
    return _account(request, user, {}, user.email or "")


@router.post("/account/password")
def account_password(
    request: Request,
    user: User = Depends(current_user),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Change one's own password under the policy; other sessions of the account end."""
    me = session.get(User, user.id)
    assert me is not None  # the logged-in user exists (checked by current_user)
    errors = change_password(
        session,
        me,
        str(form.get("current", ""))[:1000],
        str(form.get("new", ""))[:1000],
        str(form.get("confirm", ""))[:1000],
        keep_token=request.session.get("sid"),
    )
    if errors:
        return _account(request, me, errors, me.email or "", status_code=422)
    log(session, Actor.of(me), "user.password-change", "user", me.id, None, None)
    request.session["flash"] = "密码已修改，其他设备上的登录已退出"
    return RedirectResponse("/account", status_code=303)


@router.post("/account/email")
def account_email(
    request: Request,
    user: User = Depends(current_user),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Set (or clear) the address notifications are mailed to."""
    email = str(form.get("email", "")).strip()[:300]
    problem = email_error(email)
    if problem:
        return _account(request, user, {"email": problem}, email, status_code=422)
    me = session.get(User, user.id)
    assert me is not None
    before = {"email": me.email}
    me.email = email or None
    log(session, Actor.of(me), "user.email", "user", me.id, before, {"email": me.email})
    request.session["flash"] = "已保存邮箱地址" if email else "已清除邮箱地址，不再发送通知邮件"
    return RedirectResponse("/account", status_code=303)
