"""适当性: funds and outputs proportionate — cost targets against the 年度资金总额 and the
预算支出标准, spending details adding up, amounts in the unit their label says
(财预〔2015〕88号 第十七条 适当性审核)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.checks.declaration.common import (
    RULE_88,
    Row,
    amount,
    comparison_of,
    decl_finding,
    format_number,
    is_cost,
    money,
    shown,
    text_of,
    unit_of,
    value_of,
)
from jixiao.checks.declaration.completeness import active
from jixiao.checks.declaration.registry import DeclarationContext, declaration_check
from jixiao.checks.declaration.standards import unit_key
from jixiao.checks.estimate import costed_amounts, estimate_total
from jixiao.declaration import Criterion, Declaration, Period
from jixiao.findings import Finding, Severity
from jixiao.model import Comparison
from jixiao.numbers import convert, matches_printed, money_factor

C = Criterion.appropriateness
RULE_FIT = f"{RULE_88}：适当性（绩效目标与预算资金相匹配）"
TOTAL_COST = re.compile(
    r"^(?:项目)?(?:总成本|成本总额|总投入|经费总额|总费用|经济成本|项目成本|成本|总经费|资金总额|预算总额|项目总成本)$"
)
SMALL_UNITS = re.compile(r"(街道|社区|乡|镇|村|学校|小学|中学|幼儿园|卫生院|卫生服务中心|管理所|服务站)")


def money_costs(declaration: Declaration) -> list[tuple[Row, Decimal]]:
    """Cost indicators that are whole amounts of money (not per person, not per day), with the
    amount in the declaration's funds unit."""
    out: list[tuple[Row, Decimal]] = []
    for row in active(declaration):
        value, unit = value_of(row.ind), unit_of(row.ind)
        if not is_cost(row.ind) or value is None or unit is None or "/" in unit:
            continue
        if comparison_of(row.ind) in (Comparison.ge, Comparison.gt):
            continue  # a floor is no cost ceiling (decl.direction says so)
        converted = amount(value, unit, declaration)
        if converted is not None:
            out.append((row, converted))
    return out


@dataclass(frozen=True)
class UnitSlip:
    """Funds labelled 万元 that are in 元: the amount as printed, and why it is thought so."""

    path: str
    name: str
    printed: Decimal
    why: str


def _budget(declaration: Declaration, period: Period) -> tuple[str, str, Decimal | None]:
    funds = declaration.funds
    if period is Period.medium and funds.medium_total is not None:
        return "funds.medium_total", "中期资金总额", funds.medium_total
    return "funds.annual_total", "年度资金总额", funds.annual_total


def unit_slip(declaration: Declaration) -> UnitSlip | None:
    """Amounts labelled 万元 that are 元: about 10 000 times a cost target in 万元 beside them
    (a cost target “≤45万元” beside a budget of 450000), written out ÷ 10 000 in 万 elsewhere in
    the form (a 测算依据 ending “=108.5万” beside 1085000), or more than 1亿元 for a 街道 / 社区 /
    乡镇 / 学校's project (a 项目总金额 of 480000 万元 for a street office)."""
    funds = declaration.funds
    if funds.unit != "万元":
        return None
    for row, cost in money_costs(declaration):
        path, name, budget = _budget(declaration, row.set.period)
        if budget and cost > 0 and 5000 <= budget / cost <= 20000:
            return UnitSlip(
                path,
                name,
                budget,
                f"约为成本指标“{row.ind.name}”{shown(row.ind)}的{format_number(budget / cost, 0)}倍",
            )
    printed = _printed_wan(declaration)
    for path, name, value in (
        ("funds.annual_total", "年度资金总额", funds.annual_total),
        ("funds.medium_total", "中期资金总额", funds.medium_total),
    ):
        if value is not None and value >= 1000:
            meant = value / 10000
            hit = next(
                (text for number, text in printed if matches_printed(number, meant, _places(text))), None
            )
            if hit is not None:
                return UnitSlip(path, name, value, f"而申报表中另写作“{hit}”")
    who = f"{declaration.project.unit or ''}{declaration.project.department or ''}"
    if SMALL_UNITS.search(who):
        for path, name, value in (
            ("funds.medium_total", "中期资金总额", funds.medium_total),
            ("funds.annual_total", "年度资金总额", funds.annual_total),
        ):
            if value is not None and value >= 10000:
                unit = declaration.project.unit or declaration.project.department
                return UnitSlip(
                    path, name, value, f"即{format_number(value / 10000, 2)}亿元，对{unit}的一个项目明显过大"
                )
    return None


_WAN = re.compile(r"(\d+(?:\.\d+)?)\s*万(?:元)?(?![人户份次册名件个亩平公吨台套间])")


def _printed_wan(declaration: Declaration) -> list[tuple[Decimal, str]]:
    """Amounts the declaration writes out in 万 (“…=108.5万”, “本年度总成本不超过6万元”), with their text."""
    texts = [declaration.funds.estimate, declaration.basis, *declaration.annual.goals]
    texts += [f"{i.basis or ''} {i.explanation or ''} {text_of(i)}" for i in declaration.indicators()]
    texts += [item.basis for item in declaration.funds.details]
    out: list[tuple[Decimal, str]] = []
    for text in texts:
        for m in _WAN.finditer(text or ""):
            out.append((Decimal(m.group(1)), m.group(0)))
    return out


def _places(text: str) -> int:
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0


@declaration_check("decl.unit-slip", criterion=C)
def unit_slip_check(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """Funds labelled 万元 that are in 元 (one finding; the other checks use the meant amounts)."""
    slip = unit_slip(declaration)
    if slip is None:
        return []
    return [
        decl_finding(
            "decl.unit-slip",
            Severity.error,
            f"{slip.name}印为{format_number(slip.printed, 2, trim=True)}万元，{slip.why}：金额应是以元填写的，"
            f"即{money(slip.printed / 10000)}；请按万元更正资金表",
            slip.path,
            place=f"资金情况 / {slip.name}",
            source=declaration.funds.sources.get(slip.path.removeprefix("funds.")) or declaration.source,
            expected=slip.printed / 10000,
            actual=slip.printed,
            rule="申报表金额单位为万元",
        )
    ]


@declaration_check("decl.cost-over-budget", "decl.cost-budget", criterion=C)
def cost_against_budget(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """Cost targets in money add up to no more than the 资金总额 of their span; the one total-cost
    target (总成本 ≤ X万元) agrees with it."""
    out: list[Finding] = []
    unit = declaration.funds.unit
    for period in (Period.medium, Period.annual):
        costs = [(row, value) for row, value in money_costs(declaration) if row.set.period is period]
        _, name, budget = _budget(declaration, period)
        if not costs or budget is None or budget <= 0:
            continue
        budget = budget * ctx.factor
        total = sum((value for _, value in costs), Decimal(0))
        first = costs[0][0]
        medium = declaration.funds.medium_total
        whole = (
            medium * ctx.factor
            if period is Period.annual
            and medium is not None
            and (declaration.medium is None or not declaration.medium.indicators)
            else None
        )  # the one indicator table of a multi-year form may speak of the whole 项目期
        if total > budget and whole is not None and total <= whole:
            out.append(
                decl_finding(
                    "decl.cost-budget",
                    Severity.warning,
                    f"成本指标“{first.ind.name}”为{shown(first.ind)}，高于年度资金总额{money(budget, unit)}、"
                    f"不超过中期资金总额{money(whole, unit)}：年度指标应按本年度资金设定成本目标",
                    first.at("target"),
                    place=first.place,
                    source=first.ind.source,
                    expected=f"≤ {format_number(budget, 2)}",
                    actual=total,
                    rule=RULE_FIT,
                )
            )
            continue
        if total > budget and not matches_printed(budget, total, 2):
            what = (
                f"成本指标“{first.ind.name}”为{shown(first.ind)}"
                if len(costs) == 1
                else (f"{len(costs)}项成本指标合计{money(total, unit)}")
            )
            out.append(
                decl_finding(
                    "decl.cost-over-budget",
                    Severity.error,
                    f"{what}，超过{name}{money(budget, unit)}：成本目标不能高于申请的资金",
                    first.at("target"),
                    place=first.place,
                    source=first.ind.source,
                    expected=f"≤ {format_number(budget, 2)}",
                    actual=total,
                    rule=RULE_FIT,
                )
            )
            continue
        totals = [
            (row, value) for row, value in costs if TOTAL_COST.match(re.sub(r"\s", "", row.ind.name or ""))
        ]
        if len(totals) == 1 and len(costs) == 1:
            row, value = totals[0]
            if not matches_printed(value, budget, 2) and value < budget * Decimal("0.9"):
                out.append(
                    decl_finding(
                        "decl.cost-budget",
                        Severity.warning,
                        f"总成本指标“{row.ind.name}”为{shown(row.ind)}，与{name}{money(budget, unit)}不一致"
                        f"（少{money(budget - value, unit)}）：成本目标与资金申请应相互印证",
                        row.at("target"),
                        place=row.place,
                        source=row.ind.source,
                        expected=budget,
                        actual=value,
                        rule=RULE_FIT,
                    )
                )
    return out


@declaration_check("decl.over-standard", criterion=C)
def over_standard(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A unit cost above the ceiling the loaded 预算支出标准 sets for its item."""
    standards = ctx.standards
    if standards is None or not standards.items:
        return []
    out: list[Finding] = []
    for row in active(declaration):
        value, unit = value_of(row.ind), unit_of(row.ind)
        if value is None or unit is None or comparison_of(row.ind) in (Comparison.ge, Comparison.gt):
            continue
        item = standards.match(f"{row.ind.level2 or ''}{row.ind.name or ''}")
        if item is None:
            continue
        mine, theirs = unit_key(unit), unit_key(item.unit)
        if mine != theirs:
            head_m, _, tail_m = mine.partition("/")
            head_t, _, tail_t = theirs.partition("/")
            if tail_m != tail_t or money_factor(head_m) is None or money_factor(head_t) is None:
                continue
            value = convert(value, head_m, head_t)
        if value <= item.ceiling:
            continue
        out.append(
            decl_finding(
                "decl.over-standard",
                Severity.warning,
                f"{row.name}为{shown(row.ind)}，高于{standards.name}中“{item.item}”的标准"
                f"{format_number(item.ceiling, 2, trim=True)}{item.unit}",
                row.at("target"),
                place=row.place,
                source=row.ind.source,
                expected=f"≤ {format_number(item.ceiling, 2, trim=True)}{item.unit}",
                actual=shown(row.ind),
                rule=item.source or standards.source or standards.name,
            )
        )
    return out


@declaration_check("decl.details-sum", criterion=C)
def details_sum(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """The 支出明细 add up to the 年度资金总额 they explain."""
    funds = declaration.funds
    amounts = [item.amount for item in funds.details]
    if len(amounts) < 2 or any(a is None for a in amounts) or funds.annual_total is None:
        return []
    total = sum((a for a in amounts if a is not None), Decimal(0))
    if matches_printed(funds.annual_total, total, 2):
        return []
    unit = funds.unit
    return [
        decl_finding(
            "decl.details-sum",
            Severity.warning,
            f"支出明细{len(amounts)}项合计{money(total, unit)}，与年度资金总额{money(funds.annual_total, unit)}不一致"
            f"（相差{money(abs(total - funds.annual_total), unit)}）：测算依据不能支撑申请的资金",
            "funds.details",
            place="支出明细与测算依据",
            source=funds.details[0].source or declaration.source,
            expected=funds.annual_total,
            actual=total,
            rule=RULE_FIT,
        )
    ]


def slip_factor(declaration: Declaration) -> Decimal:
    """1, or 1/10000 when the funds labelled 万元 are in 元 (:func:`unit_slip`)."""
    return Decimal("0.0001") if unit_slip(declaration) is not None else Decimal(1)


@declaration_check("decl.estimate-total", criterion=C)
def estimate_total_check(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """The 年度资金总额 agrees with its 测算依据 prose (合计 X万元, items with their totals, unit
    price × count); a total of 0 beside a costed 测算依据 is an error."""
    funds = declaration.funds
    text, total = funds.estimate, funds.annual_total
    if not text or total is None:
        return []
    source = funds.sources.get("estimate") or funds.sources.get("annual_total") or declaration.source
    meant = total * money_factor(funds.unit) / Decimal(10000) * ctx.factor  # type: ignore[operator]
    if total == 0:
        costed = [a for a in costed_amounts(text) if a > 0]
        if not costed:
            return []
        listed = "、".join(money(a) for a in costed[:4])
        return [
            decl_finding(
                "decl.estimate-total",
                Severity.error,
                f"年度资金总额印为0，但测算依据列有金额（{listed}）：申请的资金与测算依据矛盾",
                "funds.annual_total",
                place="项目资金 年度资金总额",
                source=source,
                expected="测算依据所列金额",
                actual=total,
                rule=RULE_FIT,
            )
        ]
    stated = estimate_total(text)
    if stated is None:
        return []
    worked, how = stated
    gap = abs(worked - meant)
    if gap <= Decimal("0.01") or gap <= meant * Decimal("0.0005"):
        return []
    return [
        decl_finding(
            "decl.estimate-total",
            Severity.warning,
            f"测算依据合计{money(worked)}（{how}），与年度资金总额{money(meant)}不一致，相差{money(gap)}：测算依据不能支撑申请的资金",
            "funds.estimate",
            place="支出明细与测算依据",
            source=source,
            expected=meant,
            actual=worked,
            rule=RULE_FIT,
        )
    ]
