"""可行性 and 指标值: targets set from a basis, not below what was done last year nor far above it
without a reason, signs that match the direction, shares within 100 %, dates within the 项目期,
no zero budget or zero target, medium-term totals that match the years (财预〔2015〕88号 第十七条
可行性审核)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from jixiao.checks.declaration.common import (
    HUNDRED,
    RULE_88,
    Row,
    capped_at_hundred,
    comparison_of,
    decl_finding,
    direction_of,
    format_number,
    is_qualitative,
    money,
    shown,
    text_of,
    unit_of,
    value_of,
)
from jixiao.checks.declaration.completeness import active
from jixiao.checks.declaration.registry import DeclarationContext, declaration_check
from jixiao.declaration import Criterion, Declaration
from jixiao.findings import Finding, Severity
from jixiao.model import Comparison, Direction
from jixiao.numbers import comparable, convert, matches_printed

C = Criterion.feasibility
RULE_FEASIBLE = f"{RULE_88}：可行性（绩效目标经过调查研究和科学论证，符合客观实际）"
SIGN = {Comparison.ge: "≥", Comparison.gt: ">", Comparison.le: "≤", Comparison.lt: "<", Comparison.eq: "="}


def _last(row: Row) -> Decimal | None:
    """Last year's actual in the target's unit (None when not comparable)."""
    last = row.ind.last_actual
    if last is None or last.value is None:
        return None
    unit, last_unit = unit_of(row.ind), last.unit
    if unit and last_unit and unit != last_unit:
        if not comparable(unit, last_unit):
            return None
        try:
            return convert(last.value, last_unit, unit)
        except ValueError:
            return None
    return last.value


def _last_text(row: Row) -> str:
    last = row.ind.last_actual
    if last is None:
        return ""
    return last.text or (format_number(last.value, 2, trim=True) if last.value is not None else "")


def _quantity(row: Row) -> bool:
    """A number target that is no date (月) and no range."""
    return (
        value_of(row.ind) is not None
        and unit_of(row.ind) != "月"
        and comparison_of(row.ind) is not Comparison.range
    )


@declaration_check("decl.target-below-last", criterion=C)
def below_last(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A 正向 target below last year's actual (反向: above it): 目标值偏低."""
    out: list[Finding] = []
    for row in active(declaration):
        last, value = _last(row), value_of(row.ind)
        if last is None or value is None or not _quantity(row):
            continue
        direction = direction_of(row.ind) or _by_sign(row)
        if direction is Direction.higher and value < last:
            how = "低于"
        elif direction is Direction.lower and value > last:
            how = "高于"
        else:
            continue
        if _REASON.search(f"{row.ind.basis or ''}{row.ind.explanation or ''}"):
            continue  # lowered with a reason given
        out.append(
            decl_finding(
                "decl.target-below-last",
                Severity.warning,
                f"{row.name}的指标值{shown(row.ind)}{how}上年实际值{_last_text(row)}"
                "，目标值偏低：年度目标不应低于已经达到的水平，确需调低的应说明理由",
                row.at("target"),
                place=row.place,
                source=row.ind.source,
                expected=f"不{how}{format_number(last, 2, trim=True)}",
                actual=shown(row.ind),
                rule=RULE_FEASIBLE,
            )
        )
    return out


def _by_sign(row: Row) -> Direction | None:
    comparison = comparison_of(row.ind)
    if comparison in (Comparison.ge, Comparison.gt):
        return Direction.higher
    if comparison in (Comparison.le, Comparison.lt):
        return Direction.lower
    return None


_REASON = re.compile(r"(因|由于|新增|扩大|扩面|增加|提标|政策调整|任务量|规划|文件要求|考虑)")


@declaration_check("decl.target-above-history", criterion=C)
def above_history(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A 正向 target set on the 历史标准 that is far above last year's actual, with no reason given."""
    out: list[Finding] = []
    ceiling = ctx.history_ceiling
    for row in active(declaration):
        last, value = _last(row), value_of(row.ind)
        if last is None or last <= 0 or value is None or not _quantity(row):
            continue
        if (direction_of(row.ind) or _by_sign(row)) is not Direction.higher or value <= last * ceiling:
            continue
        reason = f"{row.ind.basis or ''}{row.ind.explanation or ''}"
        if _REASON.search(reason):
            continue
        out.append(
            decl_finding(
                "decl.target-above-history",
                Severity.warning,
                f"{row.name}的指标值{shown(row.ind)}是上年实际值{_last_text(row)}的"
                f"{format_number(value / last * HUNDRED, 0)}%，远高于历史水平，且未说明理由：目标可能难以实现",
                row.at("target"),
                place=row.place,
                source=row.ind.source,
                expected=f"≤ {format_number(last * ceiling, 2, trim=True)}，或说明理由",
                actual=shown(row.ind),
                rule=RULE_FEASIBLE,
            )
        )
    return out


@declaration_check("decl.no-basis", criterion=C)
def no_basis(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """Each indicator's 指标值设定依据 (计划标准, 历史标准, 行业标准, 预算支出标准, 其他标准) given."""
    lacking = [r for r in active(declaration) if not (r.ind.basis or "").strip() and r.ind.basis_kind is None]
    if not lacking:
        return []
    every = len(lacking) == len(active(declaration))
    names = "、".join(f"“{r.ind.name or r.ind.level2 or r.ind.level1}”" for r in lacking[:5])
    more = f"等{len(lacking)}项" if len(lacking) > 5 else ""
    first = lacking[0]
    return [
        decl_finding(
            "decl.no-basis",
            Severity.warning,
            ("全部指标均未填写指标值设定依据" if every else f"{names}{more}未填写指标值设定依据")
            + "（计划标准、历史标准、行业标准、预算支出标准或其他标准），无法判断目标值是否可行",
            first.at("basis"),
            place=first.place,
            source=first.ind.source,
            expected="指标值设定依据",
            actual=f"{len(lacking)}项未填",
            rule=RULE_FEASIBLE,
        )
    ]


@declaration_check("decl.direction", criterion=C)
def direction(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A 正向 indicator written with ≤ (稳定运行率 “≤99%”), a 反向 one with ≥ (投诉率 “≥2%”)."""
    out: list[Finding] = []
    for row in active(declaration):
        comparison = comparison_of(row.ind)
        if comparison not in (Comparison.ge, Comparison.gt, Comparison.le, Comparison.lt):
            continue
        if unit_of(row.ind) == "月":
            continue  # a deadline “≤12月” is 反向 by nature
        kind = direction_of(row.ind)
        if kind is Direction.higher and comparison in (Comparison.le, Comparison.lt):
            what, want = "正向指标（越高越好）", "≥"
        elif kind is Direction.lower and comparison in (Comparison.ge, Comparison.gt):
            what, want = "反向指标（越低越好）", "≤"
        else:
            continue
        out.append(
            decl_finding(
                "decl.direction",
                Severity.warning,
                f"{row.name}是{what}，指标值却写作“{shown(row.ind)}”：应以“{want}”表示，"
                "否则目标的方向与指标相反，评价时结果越好反而越不达标",
                row.at("comparison"),
                place=row.place,
                source=row.ind.source,
                expected=want,
                actual=SIGN[comparison],
                rule=f"{RULE_FEASIBLE}；正向指标用“≥”，反向指标用“≤”",
            )
        )
    return out


@declaration_check("decl.over-100", criterion=C)
def over_hundred(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A percentage target above 100 % for a share that cannot exceed it (rates, 覆盖率, 满意度)."""
    out: list[Finding] = []
    for row in active(declaration):
        value = value_of(row.ind)
        if value is None or unit_of(row.ind) != "%" or not capped_at_hundred(row.ind):
            continue
        top = row.ind.target.upper if row.ind.target and row.ind.target.upper is not None else value
        if top <= HUNDRED:
            continue
        out.append(
            decl_finding(
                "decl.over-100",
                Severity.error,
                f"{row.name}的指标值为{shown(row.ind)}，超过100%：比率、覆盖率、满意度不可能超过100%",
                row.at("target"),
                place=row.place,
                source=row.ind.source,
                expected="≤ 100%",
                actual=shown(row.ind),
                rule=RULE_FEASIBLE,
            )
        )
    return out


_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


def deadline(row: Row, year: int | None) -> date | None:
    """The date a 时效 target names (“2025年6月30日前”, “11月底前”: the budget year), or None."""
    text = text_of(row.ind)
    m = _DATE.search(text)
    if m is None:
        return None
    y = int(m.group(1)) if m.group(1) else year
    month = int(m.group(2))
    if y is None or not 1 <= month <= 12:
        return None
    day = int(m.group(3)) if m.group(3) else 1
    try:
        return date(y, month, day)
    except ValueError:
        return None


@declaration_check("decl.period", criterion=C)
def period(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """The 项目期 ends after it starts, and every 时效 deadline falls within it."""
    project = declaration.project
    start, end = project.period_start, project.period_end
    if start is not None and end is not None and end < start:
        return [
            decl_finding(
                "decl.period",
                Severity.error,
                f"项目期结束日期{end:%Y年%m月%d日}早于开始日期{start:%Y年%m月%d日}",
                "project.period_end",
                place="项目期",
                source=declaration.source,
                expected=f"不早于{start:%Y年%m月%d日}",
                actual=f"{end:%Y年%m月%d日}",
                rule=RULE_FEASIBLE,
            )
        ]
    out: list[Finding] = []
    for row in active(declaration):
        if "时效" not in f"{row.ind.level2 or ''}{row.ind.name or ''}" and unit_of(row.ind) != "月":
            continue
        when = deadline(row, declaration.year)
        if when is None:
            continue
        if end is not None and when > end:
            how, bound = "晚于项目期结束", end
        elif start is not None and when < start.replace(day=1):
            how, bound = "早于项目期开始", start
        else:
            continue
        out.append(
            decl_finding(
                "decl.period",
                Severity.warning,
                f"{row.name}的完成时限{shown(row.ind)}（{when:%Y年%m月}）{how}（{bound:%Y年%m月%d日}）",
                row.at("target"),
                place=row.place,
                source=row.ind.source,
                expected=f"项目期内（{_span(start, end)}）",
                actual=shown(row.ind),
                rule=RULE_FEASIBLE,
            )
        )
    return out


def _span(start: date | None, end: date | None) -> str:
    left = f"{start:%Y年%m月%d日}" if start else ""
    right = f"{end:%Y年%m月%d日}" if end else ""
    return f"{left}至{right}"


@declaration_check("decl.zero-budget", criterion=C)
def zero_budget(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A 年度资金总额 (or 中期资金总额) of zero: targets with no money cannot be reviewed."""
    funds = declaration.funds
    out: list[Finding] = []
    for path, name, value in (
        ("funds.annual_total", "年度资金总额", funds.annual_total),
        ("funds.medium_total", "中期资金总额", funds.medium_total),
    ):
        if value is not None and value == 0:
            out.append(
                decl_finding(
                    "decl.zero-budget",
                    Severity.error,
                    f"{name}为0：没有资金的项目不需申报绩效目标，或资金漏填",
                    path,
                    place=f"资金情况 / {name}",
                    source=funds.sources.get(path.removeprefix("funds.")) or declaration.source,
                    expected="大于0",
                    actual=value,
                    rule=RULE_FEASIBLE,
                )
            )
    return out


@declaration_check("decl.zero-target", criterion=C)
def zero_target(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A 正向 target of zero (≥0人, 0%): every result meets it; ≤0 (no accident) is a real target."""
    out: list[Finding] = []
    for row in active(declaration):
        value = value_of(row.ind)
        if value is None or value != 0 or is_qualitative(row.ind):
            continue
        comparison = comparison_of(row.ind)
        kind = direction_of(row.ind) or _by_sign(row) or Direction.higher
        if comparison in (Comparison.le, Comparison.lt) or kind is Direction.lower:
            continue
        out.append(
            decl_finding(
                "decl.zero-target",
                Severity.warning,
                f"{row.name}的指标值为{shown(row.ind)}：任何结果都算达到，目标没有约束力，应设为可衡量的数值",
                row.at("target"),
                place=row.place,
                source=row.ind.source,
                expected="大于0的目标值",
                actual=shown(row.ind),
                rule=RULE_FEASIBLE,
            )
        )
    return out


_EVEN = re.compile(
    r"(年均|逐年相同|各年相同|分年平均|每年(金额|资金|经费|预算|投入)?(均)?相同"
    r"|每年(安排|预算|经费|资金|投入|需要?)[^，。；\d]{0,6}\d)"
)


@declaration_check("decl.multi-year", criterion=C)
def multi_year(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """The 中期资金总额 is not below the 年度资金总额, and equals years × annual amount when the
    form says the years are alike (每年 / 年均 in the 测算依据 or 立项依据)."""
    funds = declaration.funds
    medium, annual, years = funds.medium_total, funds.annual_total, declaration.period_years
    if medium is None or annual is None or annual <= 0:
        return []
    medium, annual = medium * ctx.factor, annual * ctx.factor  # as meant, after decl.unit-slip
    unit = funds.unit
    place = "资金情况 / 中期资金总额"
    source = funds.sources.get("medium_total") or declaration.source
    if medium < annual and not matches_printed(medium, annual, 2):
        return [
            decl_finding(
                "decl.multi-year",
                Severity.error,
                f"中期资金总额{money(medium, unit)}小于年度资金总额{money(annual, unit)}：中期总额包含本年度",
                "funds.medium_total",
                place=place,
                source=source,
                expected=f"≥ {format_number(annual, 2)}",
                actual=medium,
                rule=RULE_FEASIBLE,
            )
        ]
    said = funds.estimate or ""
    if years is None or years < 2 or not _EVEN.search(said):
        return []
    expected = annual * years
    if matches_printed(medium, expected, 2):
        return []
    return [
        decl_finding(
            "decl.multi-year",
            Severity.warning,
            f"测算依据写明各年金额相同，实施期{years}年 × 年度资金{money(annual, unit)} = {money(expected, unit)}，"
            f"但中期资金总额为{money(medium, unit)}",
            "funds.medium_total",
            place=place,
            source=source,
            expected=expected,
            actual=medium,
            rule=RULE_FEASIBLE,
        )
    ]
