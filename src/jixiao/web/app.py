"""The FastAPI application factory: ``create_app(settings)``."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse, Response

from jixiao.store.db import Database
from jixiao.store.mail import Mailer
from jixiao.store.queries import StoreError
from jixiao.web.deps import AppState, LoginRequired, render
from jixiao.web.security import BodyLimit, SecurityHeaders, csrf_protect
from jixiao.web.settings import Settings

STATIC = Path(__file__).with_name("static")
logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the web app: database (migrated on start), sessions, CSRF, routers, static assets."""
    settings = settings or Settings.load()
    db = db or Database(settings.url())
    if settings.smtp is not None and db.mailer is None:
        db.mailer = Mailer(settings.smtp)
    if settings.migrate:
        db.migrate()
    app = FastAPI(title="jixiao 预算绩效评价", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.jixiao = AppState(settings, db)

    from jixiao.web.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(csrf_protect)])
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # innermost first: the security headers on every answer of the routes, then the body limit
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    app.add_middleware(BodyLimit, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie="jixiao_session",
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=int(settings.session_max_hours * 3600),
    )
    _error_handlers(app)
    return app


def _wants_partial(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _wants_partial(request):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _error_page(request, exc.status, exc.message)

    @app.exception_handler(StaleDataError)
    async def stale(request: Request, _exc: StaleDataError) -> Response:
        # a concurrent update the service layer did not name; the transaction was rolled back
        return _error_page(request, 409, "保存冲突：该记录刚被其他人修改，本次未保存；请刷新页面后重试。")

    @app.exception_handler(OperationalError)
    async def busy(request: Request, exc: OperationalError) -> Response:
        # lock or statement timeouts, a database briefly unreachable: nothing was saved
        logger.warning("database unavailable for %s %s: %s", request.method, request.url.path, exc)
        return _error_page(request, 503, "系统繁忙，数据库暂时无法完成请求，本次操作未保存；请稍后重试。")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return _error_page(request, 400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "页面不存在", 405: "不支持的请求方式"}
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else None
        return _error_page(request, exc.status_code, detail or messages.get(exc.status_code, "请求出错"))


PLACES = {"path": "网址中的", "query": "查询参数中的", "body": "表单中的", "header": "请求头中的"}


def _validation_message(exc: RequestValidationError) -> str:
    """A Chinese message naming the malformed parameter (never pydantic's English text)."""
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        if loc:
            place = PLACES.get(loc[0], "")
            name = loc[-1] if len(loc) > 1 else loc[0]
            return f"请求参数有误：{place}“{name}”取值不正确（应为有效的编号或数字）"
    return "请求参数有误，请检查后重试"


def _error_page(request: Request, status: int, message: str) -> Response:
    if _wants_partial(request):
        return render(request, "_error.html", {"message": message, "status": status}, status_code=status)
    return render(request, "error.html", {"message": message, "status": status}, status_code=status)
