"""``jixiao report``: write the 自评表 (Word, Excel, PDF) or the 评价报告 (Word, PDF) of an evaluation."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao import api
from jixiao.cli.common import echo_findings


def _default_out(path: Path, kind: str, fmt: str) -> Path:
    suffix = "自评表" if kind == "self-table" else "评价报告"
    return path.with_name(f"{path.stem}-{suffix}.{fmt}")


def register(group: click.Group) -> None:
    """Add ``report`` to the ``jixiao`` command group."""

    @group.command("report")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--kind",
        "kind",
        type=click.Choice(list(api.DOCUMENT_NAMES)),
        default="report",
        show_default=True,
        help="文书种类：self-table 自评表，report 评价报告",
    )
    @click.option(
        "--to",
        "fmt",
        type=click.Choice(list(api.FORMAT_NAMES)),
        default="docx",
        show_default=True,
        help="输出格式（评价报告不支持 xlsx）",
    )
    @click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(path_type=Path),
        default=None,
        help="输出文件，默认与输入同目录",
    )
    @click.option(
        "--template",
        type=click.Path(path_type=Path),
        default=None,
        help="评价报告的 Word 模板（.docx），默认使用内置模板",
    )
    @click.option("--with-findings", is_flag=True, help="附上自动复核意见")
    @click.option("--policy", default=None, help="评价政策名称或文件，默认按评价文件所写")
    def report(
        file: Path,
        kind: str,
        fmt: str,
        out: Path | None,
        template: Path | None,
        with_findings: bool,
        policy: str | None,
    ) -> None:
        """生成官方文书：项目支出绩效自评表或绩效评价报告。"""
        loaded = api.load(file)
        echo_findings(loaded.findings, str(file))
        if loaded.evaluation is None:
            click.echo(f"无法生成文书：{file} 不能读取为评价数据", err=True)
            sys.exit(2)
        try:
            chosen = api.get_policy(policy) if policy else None
        except api.PolicyError as exc:
            click.echo(f"评价政策无法加载：{exc}", err=True)
            sys.exit(2)
        target = out or _default_out(file, kind, fmt)
        try:
            written = api.render_to_file(
                loaded.evaluation,
                kind,  # type: ignore[arg-type]
                fmt,  # type: ignore[arg-type]
                target,
                policy=chosen,
                template=template,
                with_findings=with_findings,
            )
        except api.RenderError as exc:
            click.echo(f"无法生成文书：{exc.message}", err=True)
            sys.exit(2)
        click.echo(str(written))
