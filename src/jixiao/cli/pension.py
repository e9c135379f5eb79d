"""``jixiao pension``: estimate a pension program year and show the region parameters."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao import api
from jixiao.cli.common import dump_json, echo_findings


def register(group: click.Group) -> None:
    """Add ``pension`` (estimate, params) to the CLI."""

    @group.group("pension")
    def pension() -> None:
        """城乡居民养老保险：按人数和标准测算资金，与预算、支出对照；查看地区参数。"""

    @pension.command("estimate")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option("--region", default=None, help="地区参数：内置名称（national、kunming …）或 YAML 文件")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式")
    def estimate_cmd(file: Path, region: str | None, fmt: str) -> None:
        """测算评价文件中养老保险项目的资金（人数 × 标准），与预算、实际支出对照并复核。"""
        loaded = api.load(file)
        if loaded.evaluation is None:
            echo_findings(loaded.findings, str(file))
            sys.exit(2)
        if loaded.evaluation.pension is None:
            click.echo(f"{file}: 评价文件没有养老保险信息块（pension），无法测算", err=True)
            sys.exit(2)
        est, findings = api.pension_estimate(loaded.evaluation, region)
        if est is None:
            echo_findings(findings, str(file))
            sys.exit(2)
        if fmt == "json":
            click.echo(dump_json(api.estimate_data(str(file), est, findings)))
            return
        click.echo(f"{file}  {loaded.evaluation.project.name}")
        for line in api.describe_estimate(est):
            click.echo(line)
        if findings:
            click.echo("复核意见：")
            for f in findings:
                click.echo(f"  [{f.severity.chinese}] {f.code} {f.message}")
        else:
            click.echo("复核意见：无（人数 × 标准与预算、支出一致）")

    @pension.command("params")
    @click.option("--region", default=None, help="地区参数：内置名称或 YAML 文件（默认 national）")
    def params_cmd(region: str | None) -> None:
        """显示养老保险参数（缴费档次、补贴表、代缴标准、中央最低基础养老金 …）。"""
        params, problems = api.load_params_with_findings(region)
        if params is None:
            echo_findings(problems, str(region or "national"))
            sys.exit(2)
        for line in api.params_lines(params):
            click.echo(line)
        click.echo(f"内置地区：{'、'.join(api.builtin_region_names())}")
