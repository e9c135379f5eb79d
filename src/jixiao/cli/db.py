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

    @db.command("add-user")
    @click.argument("username")
    @click.option(
        "--role",
        type=click.Choice(["admin", "finance", "unit", "evaluator", "viewer", "department"]),
        required=True,
        help="角色：admin 管理员、finance 财政复核、unit 单位填报、evaluator 第三方、viewer 只读、"
        "department 主管部门审核",
    )
    @click.option("--org", "org_name", required=True, help="所属单位名称（不存在时创建）")
    @click.option(
        "--org-kind",
        type=click.Choice(["bureau", "department", "unit", "evaluator"]),
        default=None,
        help="新建单位的层级（默认按角色：unit → 实施单位，evaluator → 第三方机构，department → 主管部门，其余 → 财政局）",
    )
    @click.option("--parent", default=None, help="新建实施单位的主管部门名称")
    @click.option("--name", "display_name", default=None, help="显示名称")
    @click.password_option(help="密码（至少 8 位；不给则提示输入）")
    @click.pass_obj
    def add_user(
        data_dir: Path | None,
        username: str,
        role: str,
        org_name: str,
        org_kind: str | None,
        parent: str | None,
        display_name: str | None,
        password: str,
    ) -> None:
        """新建登录账号（密码以 argon2 散列保存）。"""
        from jixiao.store.accounts import create_user
        from jixiao.store.db import Database, database_url
        from jixiao.store.models import OrgKind, Role
        from jixiao.store.service import org_by_name

        kind = org_kind or {"unit": "unit", "evaluator": "evaluator", "department": "department"}.get(
            role, "bureau"
        )
        database = Database(database_url(data_dir))
        database.migrate()
        try:
            with database.session() as session:
                parent_org = org_by_name(session, parent, OrgKind.department) if parent else None
                org = org_by_name(session, org_name, OrgKind(kind), parent_org)
                create_user(session, username, password, Role(role), display_name=display_name, org=org)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:  # e.g. the user name is taken
            raise click.ClickException(f"无法创建用户 {username}：{exc.__class__.__name__}") from exc
        click.echo(f"已创建用户 {username}（{role}，{org_name}）")
