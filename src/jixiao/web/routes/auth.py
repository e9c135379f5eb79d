"""Login, logout and the home redirect."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from jixiao.store.accounts import authenticate
from jixiao.store.models import Role, User
from jixiao.store.queries import Actor
from jixiao.store.service import log
from jixiao.web.deps import current_user, db_session, render, state

router = APIRouter()

HOME = {
    Role.admin: "/dashboard",
    Role.finance: "/review",
    Role.viewer: "/dashboard",
    Role.unit: "/evaluations",
    Role.evaluator: "/surveys",
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
async def login(request: Request, session: Session = Depends(db_session)) -> Response:
    """Check the password; throttle repeated failures per user name and address."""
    form = await request.form()
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    address = request.client.host if request.client else "?"
    throttle = state(request).login_throttle
    keys = (f"user:{username}", f"addr:{address}:{username}")
    wait = max(throttle.blocked(session, k) for k in keys)
    if wait:
        message = f"登录失败次数过多，请 {int(wait) + 1} 秒后再试"
        return render(request, "login.html", {"error": message, "username": username}, status_code=429)
    user = authenticate(session, username, password)
    if user is None:
        for k in keys:
            throttle.hit(session, k)
        return render(
            request, "login.html", {"error": "用户名或密码错误", "username": username}, status_code=401
        )
    for k in keys:
        throttle.reset(session, k)
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["user_id"] = user.id
    log(session, Actor.of(user), "user.login", "user", user.id)
    return RedirectResponse(_safe_next(str(form.get("next", "")) or None), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    """Forget the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
