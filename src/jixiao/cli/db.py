"""``jixiao db backup PATH`` / ``jixiao db restore PATH``."""

from __future__ import annotations

from pathlib import Path

import click


def register(group: click.Group) -> None:
    """Add ``db`` and its subcommands to the CLI."""

    @group.group("db")
    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="数据目录（默认 ~/.local/share/jixiao）",
    )
    @click.pass_context
    def db(ctx: click.Context, data_dir: Path | None) -> None:
        """数据库维护：备份与恢复（SQLite 为文件副本，PostgreSQL 为 JSON）。"""
        ctx.obj = data_dir

    @db.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    def backup(data_dir: Path | None, path: Path) -> None:
        """把数据库在线备份到 PATH（以 .json 结尾则写 JSON）。"""
        from jixiao.store import backup as store_backup
        from jixiao.store.db import Database, database_url

        database = Database(database_url(data_dir))
        database.migrate()
        store_backup.backup(database.engine, path)
        click.echo(f"已备份到 {path}")

    @db.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="不再确认")
    @click.pass_obj
    def restore(data_dir: Path | None, path: Path, yes: bool) -> None:
        """用 PATH 的备份替换当前数据库的全部内容（先停止 jixiao serve）。"""
        from jixiao.store import backup as store_backup
        from jixiao.store.db import Database, database_url

        if not yes:
            click.confirm("恢复会覆盖当前数据库的全部内容，继续吗？", abort=True)
        database = Database(database_url(data_dir))
        database.migrate()
        store_backup.restore(database.engine, path)
        database.migrate()
        click.echo(f"已从 {path} 恢复")
