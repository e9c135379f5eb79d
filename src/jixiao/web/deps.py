"""Request dependencies: the database session, the logged-in actor, template rendering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from jixiao.api import ROLE_NAMES, Audit
from jixiao.store.accounts import LoginThrottle, resolve_session, touch_session
from jixiao.store.db import Database
from jixiao.store.models import Role, User
from jixiao.store.queries import Actor
from jixiao.store.revisions import Memo
from jixiao.web.security import SAFE_METHODS, Throttle, csrf_token
from jixiao.web.settings import Settings
from jixiao.web.uploads import new_pool

TEMPLATES = Path(__file__).with_name("templates")


class AppState:
    """What every request shares: settings, database, templates, throttles."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.templates.env.auto_reload = False  # no stat() of every template on every page
        self.templates.env.globals["role_names"] = dict(ROLE_NAMES)
        self.login_throttle = LoginThrottle(
            settings.login_attempts, settings.login_window_seconds, settings.login_max_delay_seconds
        )
        self.survey_throttle = Throttle(settings.survey_rate_per_minute, 60)
        self.parse_pool = new_pool(settings)
        # per process, keyed on the state of the data they were computed from (never stale)
        self.audits: Memo[tuple[int, str], Audit] = Memo(128)  # see ``service.stored_audit``
        self.dashboards: Memo[Any, dict[str, Any]] = Memo(64)  # see ``revisions.stamped``


def state(request: Request) -> AppState:
    """The app state of the running app."""
    app_state: AppState = request.app.state.jixiao
    return app_state


async def _transaction(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error.

    A state-changing request takes the write lock when it begins (SQLite ``BEGIN IMMEDIATE``), so
    two writers queue on the busy timeout instead of failing with "database is locked".

    Begun on the event loop: a session takes its connection at its first query, in the handler's
    thread.  Ended in a thread of its own, outside the thread pool's limit (as FastAPI ends a plain
    generator dependency): a request holding a connection never waits for a thread held by a
    request waiting for a connection.
    """
    transaction = state(request).db.session(write=request.method not in SAFE_METHODS)
    session = transaction.__enter__()
    try:
        yield session
    except BaseException as exc:
        with CancelScope(shield=True):
            handled = await to_thread.run_sync(
                transaction.__exit__, type(exc), exc, exc.__traceback__, limiter=CapacityLimiter(1)
            )
        if not handled:
            raise
    else:
        with CancelScope(shield=True):
            await to_thread.run_sync(transaction.__exit__, None, None, None, limiter=CapacityLimiter(1))


# ``scope="function"``: the transaction ends (commit or rollback) before the response is sent, so
# a client is never told "saved" about a write that is not yet durable.
db_session: Any = Depends(_transaction, scope="function")


async def form_data(request: Request) -> FormData:
    """The posted form, read on the event loop (uploads are spooled to disk by Starlette).

    Handlers stay plain ``def`` functions: FastAPI runs them in its thread pool, so their database
    and parsing work never blocks the event loop.
    """
    form = await request.form()
    if any(isinstance(v, str) and "\x00" in v for _k, v in form.multi_items()):
        # NUL never belongs in typed text, and PostgreSQL refuses it in text columns
        return FormData(
            [(k, v.replace("\x00", "") if isinstance(v, str) else v) for k, v in form.multi_items()]
        )
    return form


posted_form: Any = Depends(form_data)


@dataclass(frozen=True)
class UserView:
    """What templates show of the logged-in user (a snapshot: safe after the session closes)."""

    id: int
    username: str
    display_name: str
    role: str
    unread: int = 0  # notifications not yet read


class LoginRequired(Exception):
    """No logged-in user: redirect to the login page."""


def current_user(request: Request) -> User:
    """The logged-in user of a live server-side session, or a redirect to the login page.

    Looked up in a short read-only transaction of its own, before the handler's transaction
    begins, so authentication never holds the write lock (nor a connection while the request
    waits for a thread).
    """
    app = state(request)
    settings = app.settings
    token = request.session.get("sid")
    page_view = request.method == "GET" and "hx-request" not in request.headers  # the header shows it
    with app.db.session(write=False) as reader:
        check = resolve_session(
            reader,
            token,
            idle_seconds=settings.session_idle_minutes * 60,
            max_seconds=settings.session_max_hours * 3600,
            count_unread=page_view,
        )
    if check is None:
        request.session.pop("sid", None)
        raise LoginRequired()
    user = check.user
    if check.stale and isinstance(token, str):
        with app.db.session() as writer:
            touch_session(writer, token)
    request.state.user = UserView(user.id, user.username, user.display_name, user.role, check.unread)
    return user


async def current_actor(user: User = Depends(current_user)) -> Actor:
    """The logged-in user as the query layer's actor (on the event loop: no I/O)."""
    return Actor.of(user)


def require(*roles: Role) -> Any:
    """Dependency refusing users without one of ``roles``."""

    async def check(actor: Actor = Depends(current_actor)) -> Actor:
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
