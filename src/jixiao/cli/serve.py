"""``jixiao serve``: the web app on the embedded SQLite database (or ``JIXIAO_DATABASE_URL``)."""

from __future__ import annotations

import os
from pathlib import Path

import click


def register(group: click.Group) -> None:
    """Add ``serve`` to the CLI."""

    @group.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
    @click.option("--port", default=8000, show_default=True, type=int, help="端口")
    @click.option("--demo", is_flag=True, help="载入四份示例评价和每个角色一个演示账号（密码随机生成并打印）")
    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="数据目录（默认 ~/.local/share/jixiao）",
    )
    @click.option(
        "--secure-cookies", is_flag=True, help="仅通过 https 发送会话 Cookie（经 https 反向代理部署时使用）"
    )
    @click.option(
        "--workers",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        help="工作进程数（多个进程共用同一数据库，会话与登录限制记在数据库中）",
    )
    def serve(
        host: str, port: int, demo: bool, data_dir: Path | None, secure_cookies: bool, workers: int
    ) -> None:
        """启动网页版：财政局、单位、第三方的年度评价工作流。"""
        import uvicorn

        from jixiao.store.db import Database
        from jixiao.web import Settings, create_app

        settings = Settings.load(data_dir)
        settings.secure_cookies = secure_cookies or settings.secure_cookies
        db = Database(settings.url())
        app = create_app(settings, db)
        click.echo(f"数据库：{db.engine.url.render_as_string(hide_password=True)}")
        if demo:
            from jixiao.store.seed import seed_demo

            with db.session() as session:
                logins = seed_demo(session)
            click.echo("演示账号（密码为本次启动随机生成）：")
            for login in logins:
                click.echo(f"  {login.display_name:<12}  用户名 {login.username:<10}  密码 {login.password}")
        click.echo(f"打开 http://{host}:{port}/ 登录")
        if workers > 1:
            # Each worker builds the app from the environment; the schema was brought up to date above.
            db.dispose()
            os.environ.update(
                JIXIAO_DATA_DIR=str(settings.data_dir),
                JIXIAO_SECURE_COOKIES="1" if settings.secure_cookies else "0",
                JIXIAO_MIGRATE="0",
            )
            click.echo(f"工作进程：{workers} 个")
            uvicorn.run(
                "jixiao.web.app:create_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                proxy_headers=True,
            )
            return
        from jixiao.batch.sandbox import start_server

        start_server()  # the first upload then does not wait for the parsing processes' imports
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
