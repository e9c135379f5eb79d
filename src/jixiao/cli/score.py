"""``jixiao score``: score evaluation files by the rules and show claimed vs computed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

from jixiao import api
from jixiao.cli.common import dump_json, echo_findings


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float) or hasattr(value, "quantize"):
        return api.format_number(value, 2)
    return str(value)


def print_table(console: Console, file: str, evaluation: api.Evaluation, result: api.ScoreResult) -> None:
    """A readable terminal table: indicators, levels, total and grade."""
    from rich.table import Table

    year = f"{evaluation.year}年度 " if evaluation.year else ""
    console.print(
        f"[bold]{file}[/bold]  {year}{evaluation.project.name}（{api.KIND_NAMES[evaluation.kind.value]}）"
    )
    if result.indicators:
        table = Table(show_lines=False, header_style="bold")
        for col in ("一级", "二级", "三级", "分值", "填报得分", "计算得分", "说明"):
            table.add_column(col, overflow="fold")
        for s in result.indicators:
            mark = ""
            if s.claimed is not None and s.computed is not None and s.claimed != s.computed:
                mark = "[red]≠[/red] "
            table.add_row(
                s.level1,
                s.level2 or "",
                s.name or "",
                _fmt(s.weight),
                _fmt(s.claimed),
                mark + _fmt(s.computed),
                s.explanation,
            )
        console.print(table)
    levels = Table(header_style="bold")
    for col in ("一级指标", "分值", "填报得分", "计算得分", "得分率"):
        levels.add_column(col)
    for lv in result.levels:
        levels.add_row(
            lv.name,
            _fmt(lv.weight),
            _fmt(lv.claimed),
            _fmt(lv.computed),
            f"{_fmt(lv.rate)}%" if lv.rate else "—",
        )
    levels.add_row("合计", _fmt(result.weight), _fmt(result.claimed_total), _fmt(result.computed_total), "")
    console.print(levels)
    grade = f"等级：填报 {result.claimed_grade or '未标明'} ／ 计算 {result.computed_grade or '—'}"
    if result.granularity != "indicator":
        level = "一级指标小计" if result.granularity == "level" else "总分"
        grade += f"（报告只列出{level}，按{level}计算）"
    console.print(grade)
    console.print()


def register(group: click.Group) -> None:
    """Add ``score`` to the CLI."""

    @group.command("score")
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式")
    @click.option("--policy", default=None, help="评价政策：内置名称（national-2020）或 YAML 文件")
    def score(files: tuple[Path, ...], fmt: str, policy: str | None) -> None:
        """按评分规则计算评价文件的得分：逐项得分及说明、一级指标小计、总分、等级。"""
        try:
            chosen = api.get_policy(policy) if policy else None
        except api.PolicyError as exc:
            echo_findings(exc.findings, str(policy))
            sys.exit(2)
        from rich.console import Console

        console = Console(soft_wrap=False, width=max(Console().width, 140))
        records: list[dict[str, Any]] = []
        unusable = False
        for path in files:
            loaded = api.load(path)
            if loaded.evaluation is None:
                echo_findings(loaded.findings, str(path))
                unusable = True
                continue
            try:
                rules = chosen or api.get_policy(loaded.evaluation.policy)
            except api.PolicyError as exc:
                echo_findings(exc.findings, str(path))
                unusable = True
                continue
            result = api.score(loaded.evaluation, rules)
            if fmt == "json":
                records.append(api.score_record(str(path), loaded.evaluation, result))
            else:
                print_table(console, str(path), loaded.evaluation, result)
        if fmt == "json":
            click.echo(dump_json({"files": records}))
        sys.exit(2 if unusable else 0)
