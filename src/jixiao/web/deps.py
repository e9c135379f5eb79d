"""Request dependencies: the database session, the logged-in actor, template rendering."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.responses import Response

from jixiao.store.accounts import LoginThrottle
from jixiao.store.db import Database
from jixiao.store.models import Role, User
from jixiao.store.queries import Actor
from jixiao.web.security import Throttle, csrf_token
from jixiao.web.settings import Settings

TEMPLATES = Path(__file__).with_name("templates")

ROLE_NAMES = {
    Role.admin: "管理员",
    Role.finance: "财政复核",
    Role.unit: "单位填报",
    Role.evaluator: "第三方评价",
    Role.viewer: "只读查看",
}


class AppState:
    """What every request shares: settings, database, templates, throttles."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.templates.env.globals["role_names"] = {r.value: n for r, n in ROLE_NAMES.items()}
        self.login_throttle = LoginThrottle(settings.login_attempts, settings.login_window_seconds)
        self.survey_throttle = Throttle(settings.survey_rate_per_minute, 60)


def state(request: Request) -> AppState:
    """The app state of the running app."""
    app_state: AppState = request.app.state.jixiao
    return app_state


def db_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with state(request).db.session() as session:
        yield session


@dataclass(frozen=True)
class UserView:
    """What templates show of the logged-in user (a snapshot: safe after the session closes)."""

    id: int
    username: str
    display_name: str
    role: str


class LoginRequired(Exception):
    """No logged-in user: redirect to the login page."""


def current_user(request: Request, session: Session = Depends(db_session)) -> User:
    """The logged-in user, or a redirect to the login page."""
    user_id = request.session.get("user_id")
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        raise LoginRequired()
    request.state.user = UserView(user.id, user.username, user.display_name, user.role)
    return user


def current_actor(user: User = Depends(current_user)) -> Actor:
    """The logged-in user as the query layer's actor."""
    return Actor.of(user)


def require(*roles: Role) -> Any:
    """Dependency refusing users without one of ``roles``."""

    def check(actor: Actor = Depends(current_actor)) -> Actor:
        if actor.role not in roles:
            raise HTTPException(403, "您的角色无权访问此页面")
        return actor

    return Depends(check)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render a template with the request, the user and the CSRF token."""
    templates = state(request).templates
    flash = request.session.pop("flash", None) if "session" in request.scope else None
    base = {"user": getattr(request.state, "user", None), "csrf": csrf_token(request), "flash": flash}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
