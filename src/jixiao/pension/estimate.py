"""Budget estimate of a pension program year (预算测算): what the persons and standards cost.

``estimate(evaluation)`` reads the pension block, fills what it leaves out from the evaluation's
funds and the region's parameters, and computes the planned and actual cost (with their parts by
level) next to the budget and the spending.  The checks compare; the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation, FundLine
from jixiao.pension import calculators as calc
from jixiao.pension.block import Count, PensionBlock, Program, parse_block
from jixiao.pension.calculators import Amount, CalculationError, show
from jixiao.pension.params import PensionParams, load_params_with_findings
from jixiao.serialize import finding_data
from jixiao.vocabulary import LEVEL_NAMES

NOT_CHECKABLE = "pension.not-checkable"
_LEVELS = tuple(LEVEL_NAMES)


@dataclass
class Estimate:
    """Computed costs of one program year beside the budget and spending they are compared with."""

    block: PensionBlock
    params: PensionParams
    year: int | None
    standard: Decimal | None = None  # 元/人/年 (basic_pension: 元/人/月)
    standard_source: str = ""
    split: dict[str, Decimal] = field(default_factory=dict)  # 元/人 by level
    planned: Amount | None = None  # cost of the planned persons
    actual: Amount | None = None  # cost of the actual persons
    planned_range: tuple[Amount, Amount] | None = None  # subsidy without tier counts
    actual_range: tuple[Amount, Amount] | None = None
    planned_by_level: dict[str, Amount] = field(default_factory=dict)
    actual_by_level: dict[str, Amount] = field(default_factory=dict)
    central_planned: Amount | None = None  # basic_pension: the central part
    central_actual: Amount | None = None
    central_verified: bool = True
    central_per_person: Amount | None = None
    planned_amount: Decimal | None = None  # printed 预算支出, 万元
    budget: Decimal | None = None  # 万元
    budget_label: str = ""
    budget_stage: str | None = None  # funds stage the budget was read from (None: the block)
    spent: Decimal | None = None  # 万元
    budget_by_level: dict[str, Decimal] = field(default_factory=dict)
    spent_by_level: dict[str, Decimal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def split_complete(self) -> bool:
        """True when the levels' amounts add up to the standard (the split covers all the cost)."""
        return bool(self.split) and (
            self.standard is None or sum(self.split.values(), Decimal(0)) == self.standard
        )


def _count(c: Count | None) -> Decimal | None:
    return None if c is None else c.value


def _level_amount(line: FundLine, stages: tuple[str, ...]) -> Decimal | None:
    for stage in stages:
        value = getattr(line, stage)
        if value is not None:
            return Decimal(value)
    return None


def _funds_defaults(est: Estimate, evaluation: Evaluation) -> None:
    block, funds = est.block, evaluation.funds
    est.planned_amount = block.planned_amount if block.planned_amount is not None else funds.planned_spending
    stages = ("budget_adjusted", "budget", "available")
    labels = {"budget_adjusted": "全年预算数", "budget": "年初预算数", "available": "到位资金"}
    chosen = next((stage for stage in stages if getattr(funds.total, stage) is not None), None)
    if block.budget is not None:
        est.budget, est.budget_label = block.budget, "预算"
    elif chosen is not None:
        est.budget, est.budget_label = Decimal(getattr(funds.total, chosen)), labels[chosen]
        est.budget_stage = chosen
    # each level's budget at the same stage as the total's, else the first stage it has
    level_stages = ((chosen,) if chosen else ()) + tuple(stage for stage in stages if stage != chosen)
    est.spent = block.spent if block.spent is not None else funds.total.spent
    by_level_budget: dict[str, Decimal] = {str(k): v for k, v in block.budget_by_level.items()}
    by_level_spent: dict[str, Decimal] = {str(k): v for k, v in block.spent_by_level.items()}
    for line in funds.lines:
        level = line.source.value
        if level not in _LEVELS:
            continue
        if not block.budget_by_level:
            value = _level_amount(line, level_stages)
            if value is not None:
                by_level_budget[level] = by_level_budget.get(level, Decimal(0)) + value
        if not block.spent_by_level and line.spent is not None:
            by_level_spent[level] = by_level_spent.get(level, Decimal(0)) + Decimal(line.spent)
    est.budget_by_level = by_level_budget
    est.spent_by_level = by_level_spent
    if est.spent is None and by_level_spent:
        est.spent = sum(by_level_spent.values(), Decimal(0))


def _persons_program(est: Estimate) -> None:
    """代缴 and 被征地农民: persons × standard, and each level's amount."""
    block, params = est.block, est.params
    pob = params.paid_on_behalf
    if block.standard is not None:
        est.standard, est.standard_source = block.standard, "评价文件"
    elif block.program is Program.paid_on_behalf and pob.standard is not None:
        est.standard, est.standard_source = pob.standard, f"{params.title}参数（{pob.source}）"
    if block.split:
        est.split = {str(k): v for k, v in block.split.items()}
    elif block.program is Program.paid_on_behalf:
        est.split = {str(k): v for k, v in pob.split.items()}
    if est.standard is None:
        est.notes.append("没有人均标准（standard），无法按人数测算金额")
        return
    planned, actual = _count(block.persons.planned), _count(block.persons.actual)
    if planned is not None:
        est.planned = calc.persons_cost(planned, est.standard)
        if est.split:
            est.planned_by_level = calc.level_costs(planned, est.split)
    if actual is not None:
        est.actual = calc.persons_cost(actual, est.standard)
        if est.split:
            est.actual_by_level = calc.level_costs(actual, est.split)


def _subsidy_program(est: Estimate) -> None:
    """缴费补贴: by tier when the counts by tier are given, else the range of the table."""
    block, table = est.block, est.params.subsidy
    est.standard_source = f"{est.params.title}缴费补贴表（{table.source}）"
    if block.planned_tiers:
        est.planned = calc.subsidy_cost({t: int(c.value) for t, c in block.planned_tiers.items()}, table)
    elif block.persons.planned is not None:
        est.planned_range = calc.subsidy_range(block.persons.planned.value, table)
    if block.tiers:
        est.actual = calc.subsidy_cost({t: int(c.value) for t, c in block.tiers.items()}, table)
    elif block.persons.actual is not None:
        est.actual_range = calc.subsidy_range(block.persons.actual.value, table)
    if not block.tiers and not block.planned_tiers:
        est.notes.append("没有按缴费档次的人数，只能按补贴表的最低、最高标准测算区间")


def _basic_program(est: Estimate) -> None:
    """基础养老金: beneficiaries × monthly standard × months, central part by region class."""
    block, params = est.block, est.params
    if est.year is None:
        est.notes.append("没有年度，无法确定中央最低基础养老金标准")
    else:
        per_person, verified = calc.central_minimum_for_year(params.basic_pension, est.year, block.months)
        est.central_per_person, est.central_verified = per_person, verified
    months = block.months
    if block.standard is not None:
        est.standard, est.standard_source = block.standard, "评价文件"
    else:
        est.notes.append("没有基础养老金月标准（standard），只测算中央补助部分")
    region_class = block.region_class or params.region_class
    share = params.basic_pension.central_share.get(region_class) if region_class else None
    if share is None:
        est.notes.append("没有地区类别（东部 / 中西部），无法划分中央与地方负担")
    for attr, count in (("planned", block.persons.planned), ("actual", block.persons.actual)):
        if count is None:
            continue
        central: Amount | None = None
        if share is not None and est.central_per_person is not None:
            central = calc.central_subsidy(count.value, est.central_per_person.value, share)
            setattr(est, f"central_{attr}", central)
        if est.standard is None:
            continue
        total = calc.basic_pension_cost(count.value, est.standard, months)
        setattr(est, attr, total)
        if central is not None:
            local = total.value - central.value
            setattr(
                est,
                f"{attr}_by_level",
                {
                    "central": central,
                    "local": Amount(
                        local,
                        "万元",
                        f"地方 {calc.show(total.value)}万元 − {calc.show(central.value)}万元 = {calc.show(local)}万元",
                    ),
                },
            )


def estimate(
    evaluation: Evaluation, region: str | Path | None = None
) -> tuple[Estimate | None, list[Finding]]:
    """The estimate for the evaluation's pension block (None when it has none or it is unusable)."""
    block, problems = parse_block(evaluation)
    if block is None:
        return None, problems
    origin = evaluation.source.file if evaluation.source and evaluation.source.file else "<evaluation>"
    params, problems = load_params_with_findings(region or block.region, block.params, origin)
    if params is None:
        return None, problems
    est = Estimate(block=block, params=params, year=block.year or evaluation.year)
    _funds_defaults(est, evaluation)
    try:
        if block.program is Program.contribution_subsidy:
            _subsidy_program(est)
        elif block.program is Program.basic_pension:
            _basic_program(est)
        else:
            _persons_program(est)
    except CalculationError as exc:
        return est, [finding(NOT_CHECKABLE, Severity.info, f"无法测算：{exc}", "pension")]
    return est, []


def describe(est: Estimate) -> list[str]:
    """The estimate as lines of text (Chinese), for the CLI and reports."""
    block = est.block
    lines = [
        f"项目类型：{block.program.chinese}；地区参数：{est.params.title or est.params.name}"
        + (f"；年度：{est.year}" if est.year else "")
    ]
    if est.standard is not None:
        unit = "元/人/月" if block.program is Program.basic_pension else "元/人/年"
        lines.append(f"标准：{calc.show(est.standard)}{unit}（{est.standard_source}）")
    if est.split:
        lines.append(f"分级负担：{calc.ratio_text(est.split)}")
    if est.central_per_person is not None:
        flag = "" if est.central_verified else "（含待核实的标准，仅供参考）"
        lines.append(est.central_per_person.explanation + flag)
    for label, amount, rng, by_level in (
        ("计划", est.planned, est.planned_range, est.planned_by_level),
        ("实际", est.actual, est.actual_range, est.actual_by_level),
    ):
        if amount is not None:
            lines.append(f"{label}测算：{amount.explanation}")
        if rng is not None:
            lines.append(f"{label}测算区间：{rng[0].explanation} 至 {rng[1].explanation}")
        for level_amount in by_level.values():
            lines.append(f"  {level_amount.explanation}")
    for label, central in (("计划", est.central_planned), ("实际", est.central_actual)):
        if central is not None and not est.planned_by_level and not est.actual_by_level:
            lines.append(f"{label}中央补助：{central.explanation}")
    if est.planned_amount is not None:
        lines.append(f"预算支出（报告所列）：{calc.show(est.planned_amount)}万元")
    if est.budget is not None:
        lines.append(f"{est.budget_label}：{calc.show(est.budget)}万元")
    for level, value in est.budget_by_level.items():
        lines.append(f"  {LEVEL_NAMES.get(level, level)}{est.budget_label}：{calc.show(value)}万元")
    if est.spent is not None:
        lines.append(f"实际支出：{calc.show(est.spent)}万元")
    for level, value in est.spent_by_level.items():
        lines.append(f"  {LEVEL_NAMES.get(level, level)}实际支出：{calc.show(value)}万元")
    lines.extend(f"说明：{note}" for note in est.notes)
    return lines


def _amount(amount: Amount | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {"value": amount.value, "unit": amount.unit, "explanation": amount.explanation}


def estimate_data(file: str, est: Estimate, findings: list[Finding]) -> dict[str, Any]:
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
        "findings": [finding_data(f) for f in findings],
    }


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
