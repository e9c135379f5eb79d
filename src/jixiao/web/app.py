"""The FastAPI application factory: ``create_app(settings)``."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from jixiao.store.db import Database
from jixiao.store.queries import StoreError
from jixiao.web.deps import AppState, LoginRequired, render
from jixiao.web.security import csrf_protect, security_headers
from jixiao.web.settings import Settings

STATIC = Path(__file__).with_name("static")


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the web app: database (migrated on start), sessions, CSRF, routers, static assets."""
    settings = settings or Settings.load()
    db = db or Database(settings.url())
    if settings.migrate:
        db.migrate()
    app = FastAPI(title="jixiao 预算绩效评价", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.jixiao = AppState(settings, db)

    from jixiao.web.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(csrf_protect)])
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    app.middleware("http")(security_headers)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload_bytes + 64 * 1024:
            limit = settings.max_upload_bytes // (1024 * 1024)
            return PlainTextResponse(f"上传内容过大：单个文件不能超过 {limit} MB", status_code=413)
        return await call_next(request)

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie="jixiao_session",
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=12 * 3600,
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

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "页面不存在", 405: "不支持的请求方式"}
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else None
        return _error_page(request, exc.status_code, detail or messages.get(exc.status_code, "请求出错"))


def _error_page(request: Request, status: int, message: str) -> Response:
    if _wants_partial(request):
        return render(request, "_error.html", {"message": message, "status": status}, status_code=status)
    return render(request, "error.html", {"message": message, "status": status}, status_code=status)
