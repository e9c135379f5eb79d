"""``jixiao pension``: estimate a pension program year and show the region parameters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from jixiao import api
from jixiao.cli.common import dump_json, echo_findings
from jixiao.findings import Finding, has_errors
from jixiao.model import Evaluation
from jixiao.pension.calculators import Amount, show
from jixiao.pension.checks import run_pension_checks
from jixiao.pension.estimate import Estimate, describe, estimate
from jixiao.pension.params import LEVEL_NAMES, PensionParams, builtin_region_names, load_params_with_findings


def _amount(amount: Amount | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {"value": amount.value, "unit": amount.unit, "explanation": amount.explanation}


def estimate_json(file: str, est: Estimate, findings: list[Finding]) -> dict[str, Any]:
    """The JSON record of one estimate (amounts in 万元, each with its explanation)."""
    return {
        "file": file,
        "program": est.block.program.value,
        "region": est.params.name,
        "year": est.year,
        "standard": est.standard,
        "split": est.split,
        "planned": _amount(est.planned),
        "actual": _amount(est.actual),
        "planned_range": [_amount(a) for a in est.planned_range] if est.planned_range else None,
        "actual_range": [_amount(a) for a in est.actual_range] if est.actual_range else None,
        "planned_by_level": {k: _amount(v) for k, v in est.planned_by_level.items()},
        "actual_by_level": {k: _amount(v) for k, v in est.actual_by_level.items()},
        "planned_amount": est.planned_amount,
        "budget": {"label": est.budget_label, "value": est.budget, "by_level": est.budget_by_level},
        "spent": {"value": est.spent, "by_level": est.spent_by_level},
        "notes": est.notes,
        "findings": [f.model_dump(mode="json", exclude_none=True) for f in findings],
    }


def _with_region(evaluation: Evaluation, region: str | None) -> Evaluation:
    if region is None or evaluation.pension is None:
        return evaluation
    return evaluation.model_copy(update={"pension": {**evaluation.pension, "region": region}})


def params_lines(params: PensionParams) -> list[str]:
    """The parameters of a region as lines of text."""
    out = [f"{params.title or params.name}（{params.name}）  出处：{params.source}"]
    out.append("缴费档次（元/年）：" + "、".join(show(v) for v in params.tiers.values))
    kind = "最低标准" if params.subsidy.kind == "minimum" else "标准"
    out.append(f"缴费补贴{kind}（{params.subsidy.source}）：")
    out.extend(f"  {row.describe()}：{show(row.amount)}元/人/年" for row in params.subsidy.rows)
    pob = params.paid_on_behalf
    standard = f"{show(pob.standard)}元/人/年" if pob.standard is not None else "由地方确定"
    split = "，".join(f"{LEVEL_NAMES[k]} {show(v)}元" for k, v in pob.split.items()) or "未规定"
    out.append(f"困难群体代缴：{standard}；分级承担：{split}；对象：{'、'.join(pob.groups)}")
    out.append("中央最低基础养老金（元/人/月）：")
    for row in params.basic_pension.central_minimum:
        flag = "" if row.verified else "（待核实）"
        out.append(f"  {row.start.isoformat()} 起 {show(row.amount)}元{flag}  {row.source}")
    shares = "，".join(f"{k} {show(v)}%" for k, v in params.basic_pension.central_share.items())
    out.append(f"中央补助比例：{shares}")
    out.append(f"个人账户养老金 = 个人账户储存额 ÷ {show(params.account.divisor)}")
    out.append(
        f"领取条件：年满{params.eligibility.age}周岁，累计缴费满{params.eligibility.contribution_years}年"
    )
    return out


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
        evaluation = _with_region(loaded.evaluation, region)
        est, problems = estimate(evaluation)
        if est is None or has_errors(problems):
            echo_findings(problems, str(file))
            sys.exit(2)
        findings = problems + [f for f in run_pension_checks(evaluation) if f not in problems]
        if fmt == "json":
            click.echo(dump_json(estimate_json(str(file), est, findings)))
            return
        click.echo(f"{file}  {evaluation.project.name}")
        for line in describe(est):
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
        params, problems = load_params_with_findings(region)
        if params is None:
            echo_findings(problems, str(region or "national"))
            sys.exit(2)
        for line in params_lines(params):
            click.echo(line)
        click.echo(f"内置地区：{'、'.join(builtin_region_names())}")
