"""Login, logout and the home redirect."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from jixiao.store import rectification
from jixiao.store.accounts import authenticate, end_session, start_session
from jixiao.store.models import Role, User
from jixiao.store.queries import Actor
from jixiao.store.service import log
from jixiao.web.clock import local_today
from jixiao.web.deps import current_user, db_session, posted_form, render, state

router = APIRouter()

HOME = {
    Role.admin: "/dashboard",
    Role.finance: "/review",
    Role.viewer: "/dashboard",
    Role.unit: "/evaluations",
    Role.evaluator: "/surveys",
    Role.department: "/declarations?status=submitted",  # its queue: its units' declarations to review
}


@router.get("/")
def home(user: User = Depends(current_user)) -> Response:
    """Send each role to its main page."""
    return RedirectResponse(HOME.get(Role(user.role), "/evaluations"), status_code=303)


@router.get("/login")
def login_page(request: Request) -> Response:
    """The login form."""
    return render(request, "login.html", {"error": None, "username": ""})


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.post("/login")
def login(request: Request, form: FormData = posted_form) -> Response:
    """Check the password; throttle repeated failures (see ``LoginThrottle``).

    The password is verified in a read-only transaction, so the slow hash never holds the write
    lock; the outcome is then recorded in a short write transaction.
    """
    username = str(form.get("username", "")).strip()[:80]
    password = str(form.get("password", ""))[:1000]
    address = request.client.host if request.client else "?"
    app = state(request)
    throttle = app.login_throttle
    with app.db.session(write=False) as reader:
        wait = throttle.wait(reader, username, address)
        user = None if wait else authenticate(reader, username, password)
        user_id = user.id if user is not None else None
    if wait:
        message = f"登录失败次数过多，请 {int(wait) + 1} 秒后再试"
        return render(request, "login.html", {"error": message, "username": username}, status_code=429)
    with app.db.session() as session:
        if user_id is None:
            throttle.failed(session, username, address)
            error = "用户名或密码错误"
            return render(request, "login.html", {"error": error, "username": username}, status_code=401)
        account = session.get(User, user_id)
        if account is None or not account.active:  # disabled between the two transactions
            return render(request, "login.html", {"error": "用户名或密码错误", "username": username}, 401)
        throttle.succeeded(session, username, address)
        token = start_session(session, account)
        log(session, Actor.of(account), "user.login", "user", account.id)
        # open rectification items past their deadline become 逾期: their units are told once
        rectification.notify_overdue(session, local_today(app.settings.timezone))
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["sid"] = token
    return RedirectResponse(_safe_next(str(form.get("next", "")) or None), status_code=303)


@router.post("/logout")
def logout(request: Request, session: Session = db_session) -> Response:
    """End the server-side session (a copy of the cookie stops working too) and forget the cookie."""
    end_session(session, request.session.get("sid"))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
