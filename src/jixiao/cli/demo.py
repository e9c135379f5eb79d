"""``jixiao demo``: score and audit the bundled examples — the main job until the web app runs."""

from __future__ import annotations

import sys

import click

from jixiao import api
from jixiao.cli.score import print_table


def register(group: click.Group) -> None:
    """Add ``demo`` to the CLI."""

    @group.command("demo")
    def demo() -> None:
        """对内置示例（四份真实报告）逐一评分和复核，打印得分表与复核意见。"""
        files = api.example_files()
        if not files:
            click.echo("找不到示例文件（examples/）", err=True)
            sys.exit(2)
        from rich.console import Console  # loaded when the command runs, not at start-up

        console = Console(width=max(Console().width, 140))
        for path in files:
            loaded = api.load(path)
            if loaded.evaluation is None:
                click.echo(f"{path}: 无法读取", err=True)
                continue
            evaluation = loaded.evaluation
            audit = api.check(evaluation)
            print_table(console, path.name, evaluation, audit.score)
            for f in audit.findings:
                colour = {"error": "red", "warning": "yellow", "info": "cyan"}[f.severity.value]
                console.print(f"  [{colour}]{f.severity.chinese}[/{colour}] {f.code} {f.message}")
            claimed, computed = audit.score.claimed_total, audit.score.computed_total
            if claimed is not None and computed is not None:
                console.print(
                    f"  填报总分 {api.format_number(claimed, 2)}，按规则重算 {api.format_number(computed, 2)}"
                    f"（差 {api.format_number(claimed - computed, 2)}）\n"
                )
