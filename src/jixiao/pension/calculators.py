"""Pension calculators (养老保险测算): pure functions on Decimal, each returning a value and its explanation.

Inputs are persons and 元 (as standards are published); money results are in 万元, kept exact to
the 元 (4 decimals of 万元, ROUND_HALF_UP), so ``65443人 × 80元 = 523.544万元`` stays exact.
A calculation that cannot be done raises ``CalculationError`` with a Chinese message; the checks
turn it into a finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jixiao.numbers import format_number
from jixiao.pension.params import BasicPension, Eligibility, SubsidyTable
from jixiao.vocabulary import LEVEL_NAMES

YUAN_PER_WAN = Decimal(10000)
_YUAN = Decimal("0.0001")  # one 元, in 万元


class CalculationError(ValueError):
    """A calculation is impossible with the figures given (message in Chinese)."""


@dataclass(frozen=True)
class Amount:
    """A computed figure, its unit, how it was computed, and its parts (by tier, group or level)."""

    value: Decimal
    unit: str
    explanation: str
    parts: Mapping[str, Decimal] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{show(self.value)}{self.unit}"


def show(value: Decimal, places: int = 4) -> str:
    """A figure as printed in explanations: at most ``places`` decimals, trailing zeros dropped."""
    return format_number(value, places, trim=True)


def to_wan(yuan: Decimal) -> Decimal:
    """元 → 万元, exact to the 元."""
    return (yuan / YUAN_PER_WAN).quantize(_YUAN, rounding=ROUND_HALF_UP)


def _count(value: Decimal | int) -> Decimal:
    persons = Decimal(value)
    if persons < 0:
        raise CalculationError(f"人数不能为负数（{show(persons)}）")
    return persons


def _standard(value: Decimal, what: str = "标准") -> Decimal:
    if value < 0:
        raise CalculationError(f"{what}不能为负数（{show(value)}元）")
    return value


def persons_cost(persons: Decimal | int, standard: Decimal, label: str = "") -> Amount:
    """Persons × standard (元/人) → 万元: ``61722人 × 100元 = 617.22万元``."""
    n = _count(persons)
    s = _standard(standard)
    value = to_wan(n * s)
    head = f"{label}" if label else ""
    return Amount(value, "万元", f"{head}{show(n)}人 × {show(s)}元 = {show(value)}万元")


def subsidy_cost(contributors: Mapping[Decimal, int], table: SubsidyTable) -> Amount:
    """Contribution-subsidy cost (缴费补贴) from contributors by tier (元/年 → persons) and the table."""
    if not contributors:
        raise CalculationError("没有按缴费档次的参保缴费人数，无法测算缴费补贴")
    total = Decimal(0)
    steps: list[str] = []
    parts: dict[str, Decimal] = {}
    for tier in sorted(contributors):
        row = table.row_for(Decimal(tier))
        if row is None:
            raise CalculationError(f"补贴表中没有{show(Decimal(tier))}元档次")
        n = _count(contributors[tier])
        cost = to_wan(n * row.amount)
        total += cost
        parts[f"{show(Decimal(tier))}元档"] = cost
        steps.append(f"{show(Decimal(tier))}元档 {show(n)}人 × {show(row.amount)}元 = {show(cost)}万元")
    text = "；".join(steps)
    if len(steps) > 1:
        text += f"；合计 {show(total)}万元"
    return Amount(total, "万元", text, parts)


def subsidy_range(persons: Decimal | int, table: SubsidyTable) -> tuple[Amount, Amount]:
    """Lowest and highest subsidy cost when only the number of contributors is known."""
    n = _count(persons)
    low = to_wan(n * table.lowest)
    high = to_wan(n * table.highest)
    return (
        Amount(low, "万元", f"{show(n)}人 × {show(table.lowest)}元（最低补贴） = {show(low)}万元"),
        Amount(high, "万元", f"{show(n)}人 × {show(table.highest)}元（最高补贴） = {show(high)}万元"),
    )


def paid_on_behalf_cost(persons_by_group: Mapping[str, Decimal | int], standard: Decimal) -> Amount:
    """代缴 cost of hardship groups: Σ persons × standard (元/人/年) → 万元, with a part per group."""
    if not persons_by_group:
        raise CalculationError("没有代缴人数")
    s = _standard(standard, "代缴标准")
    total = Decimal(0)
    steps: list[str] = []
    parts: dict[str, Decimal] = {}
    for group, persons in persons_by_group.items():
        n = _count(persons)
        cost = to_wan(n * s)
        total += cost
        parts[group] = cost
        steps.append(f"{group} {show(n)}人 × {show(s)}元 = {show(cost)}万元")
    text = "；".join(steps)
    if len(steps) > 1:
        text += f"；合计 {show(total)}万元"
    return Amount(total, "万元", text, parts)


def ratio_text(split: Mapping[str, Decimal]) -> str:
    """The split by level with its shares: ``市级 80元 : 县（区）级 20元（80% : 20%）``."""
    levels = [level for level in LEVEL_NAMES if level in split] + [
        lv for lv in split if lv not in LEVEL_NAMES
    ]
    whole = sum((split[level] for level in levels), Decimal(0))
    amounts = " : ".join(f"{LEVEL_NAMES.get(level, level)} {show(split[level])}元" for level in levels)
    if whole <= 0:
        return amounts
    shares = " : ".join(f"{show(split[level] / whole * 100, 2)}%" for level in levels)
    return f"{amounts}（{shares}）"


def split_by_level(total: Decimal, split: Mapping[str, Decimal]) -> dict[str, Amount]:
    """A total (万元) shared between levels in proportion to ``split`` (元/人 or parts by level)."""
    whole = sum(split.values(), Decimal(0))
    if whole <= 0:
        raise CalculationError("各级承担比例之和应大于0")
    out: dict[str, Amount] = {}
    for level in [lv for lv in LEVEL_NAMES if lv in split] + [lv for lv in split if lv not in LEVEL_NAMES]:
        part = split[level]
        value = (total * part / whole).quantize(_YUAN, rounding=ROUND_HALF_UP)
        name = LEVEL_NAMES.get(level, level)
        out[level] = Amount(
            value, "万元", f"{name} {show(total)}万元 × {show(part)}/{show(whole)} = {show(value)}万元"
        )
    return out


def level_costs(persons: Decimal | int, split: Mapping[str, Decimal]) -> dict[str, Amount]:
    """Each level's cost: persons × that level's amount (元/人): ``市级 65443人 × 80元 = 523.544万元``."""
    return {
        level: persons_cost(persons, amount, f"{LEVEL_NAMES.get(level, level)} ")
        for level, amount in split.items()
    }


def basic_pension_cost(beneficiaries: Decimal | int, monthly_standard: Decimal, months: int = 12) -> Amount:
    """基础养老金 cost: beneficiaries × 元/人/月 × months → 万元."""
    if not 0 < months <= 12:
        raise CalculationError(f"发放月数应在1到12之间（实际 {months}）")
    n = _count(beneficiaries)
    s = _standard(monthly_standard, "基础养老金标准")
    value = to_wan(n * s * months)
    return Amount(value, "万元", f"{show(n)}人 × {show(s)}元/月 × {months}个月 = {show(value)}万元")


def central_minimum_for_year(basic: BasicPension, year: int, months: int = 12) -> tuple[Amount, bool]:
    """Central minimum per person over the first ``months`` months of ``year`` (元/人), and whether verified.

    A year with a mid-year raise sums month by month: ``55元 × 6个月 + 70元 × 6个月 = 750元``.
    """
    rows = basic.minimum_by_month(year)[:months]
    if any(row is None for row in rows):
        first = basic.central_minimum[0]
        raise CalculationError(f"{year}年不在中央最低标准表内（表从{first.start.isoformat()}开始）")
    runs: list[tuple[Decimal, int]] = []
    verified = True
    for row in rows:
        assert row is not None
        verified = verified and row.verified
        if runs and runs[-1][0] == row.amount:
            runs[-1] = (row.amount, runs[-1][1] + 1)
        else:
            runs.append((row.amount, 1))
    value = sum((amount * n for amount, n in runs), Decimal(0))
    text = " + ".join(f"{show(amount)}元 × {n}个月" for amount, n in runs) + f" = {show(value)}元/人"
    return Amount(value, "元", f"{year}年中央最低基础养老金 {text}"), verified


def central_subsidy(
    beneficiaries: Decimal | int, central_per_person: Decimal, central_share: Decimal
) -> Amount:
    """Central part of 基础养老金: persons × central minimum (元/人 over the period) × share %."""
    n = _count(beneficiaries)
    if not 0 <= central_share <= 100:
        raise CalculationError(f"中央补助比例应在0到100之间（实际 {show(central_share)}%）")
    central = to_wan(n * central_per_person * central_share / 100)
    return Amount(
        central,
        "万元",
        f"中央 {show(n)}人 × {show(central_per_person)}元 × {show(central_share)}% = {show(central)}万元",
    )


def basic_pension_split(
    beneficiaries: Decimal | int,
    total: Amount,
    central_per_person: Decimal,
    central_share: Decimal,
) -> dict[str, Amount]:
    """Split a 基础养老金 cost: central = persons × central minimum × share %; local = the rest."""
    central = central_subsidy(beneficiaries, central_per_person, central_share)
    local = total.value - central.value
    return {
        "central": central,
        "local": Amount(
            local, "万元", f"地方 {show(total.value)}万元 − {show(central.value)}万元 = {show(local)}万元"
        ),
    }


def account_pension(balance: Decimal, divisor: Decimal = Decimal(139)) -> Amount:
    """个人账户养老金 per month (元): account balance (元) / 139, rounded to the 分."""
    if balance < 0:
        raise CalculationError(f"个人账户储存额不能为负数（{show(balance)}元）")
    if divisor <= 0:
        raise CalculationError("计发月数应大于0")
    value = (balance / divisor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Amount(
        value, "元/月", f"个人账户储存额 {show(balance)}元 ÷ {show(divisor)} = {format_number(value, 2)}元/月"
    )


def eligible(age: int, contribution_years: int, rule: Eligibility) -> tuple[bool, str]:
    """Whether a person may draw the pension (年满60周岁、累计缴费满15年), with the reason."""
    ok_age = age >= rule.age
    ok_years = contribution_years >= rule.contribution_years
    text = (
        f"年龄 {age}岁（{'≥' if ok_age else '<'}{rule.age}岁），"
        f"累计缴费 {contribution_years}年（{'≥' if ok_years else '<'}{rule.contribution_years}年）"
    )
    return ok_age and ok_years, text + ("，符合领取条件" if ok_age and ok_years else "，不符合领取条件")


def per_person(amount_wan: Decimal, persons: Decimal | int) -> Amount:
    """Average 元 per person of an amount in 万元: ``2364.01万元 ÷ 1081300人 = 21.86元/人``."""
    n = _count(persons)
    if n == 0:
        raise CalculationError("人数为0，无法计算人均")
    value = (amount_wan * YUAN_PER_WAN / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Amount(value, "元/人", f"{show(amount_wan)}万元 ÷ {show(n)}人 = {format_number(value, 2)}元/人")
