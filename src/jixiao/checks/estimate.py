"""Checks on 测算依据 (how a budget was worked out): its total against the budget, its lists.

The 测算依据 of a 绩效目标申报表 or 自评表 is prose: items (一是…, 1.…, （1）…) each ending in an
amount, a 合计, products written out (``200人×700元×12个月=168万元``).  These checks read only
what such prose states plainly and stay silent where it does not.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.checks.common import amount_text, wan_of
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation
from jixiao.scoring.engine import stage_total

_MONEY = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|元|万)(?!\s*[/／每])")
_TOTAL = re.compile(
    r"(?:合计|共计|总计|总额|小计合计|合共|共需|共)\s*(?:约|为|：|:)?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元|万)"
)
# 一是… anywhere; 1. / （1） / ① only after punctuation (so 2.5万元 is no item mark)
_ITEM = re.compile(
    r"[一二三四五六七八九十]+是|(?:^|(?<=[；;。，,：:\s]))(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])"
)
# an item's own total: 所需经费11万元, 共计3万元, 计1.2万元 (not a unit price such as 每人1200元)
_ITEM_TOTAL = re.compile(
    r"(?:所需(?:经费|资金)?|需(?:要)?(?:经费|资金)?|合计|共计|小计|总计|计|预算|费用|金额|安排(?:经费|资金)?)\s*(?:约|为)?\s*"
    r"(\d[\d,]*(?:\.\d+)?)\s*(万元|元|万)(?!\s*[/／每])"
)
_RATE_BEFORE = re.compile(r"每[人户月年次天件个期位名]|单价|标准为?|均价")
_COUNT = re.compile(
    r"(?:包括|包含|分为|涉及|共有|共)\s*([一二三四五六七八九十两\d]{1,3})\s*(?:个|项|类|部分)"
)
_DIM = r"人|户|名|位|家|月|年|次|天|件|个|台|套|期"
# a unit price: 每户16875元, 每人每月500元, 1200元/人/月
_PRICE = re.compile(
    rf"每\s*(?P<d1>{_DIM})(?:\s*每\s*(?P<d2>{_DIM}))?[^，,。；;\d]{{0,12}}?(?P<v>\d[\d,]*(?:\.\d+)?)\s*(?P<u>万元|元)"
    rf"|(?P<v2>\d[\d,]*(?:\.\d+)?)\s*(?P<u2>万元|元)\s*/\s*(?P<d3>{_DIM})(?:\s*/\s*(?P<d4>{_DIM}))?"
)
# a count: 21人, 12个月, 2户 (not a year such as 2023年, not an amount)
_QTY = re.compile(rf"(?<![\d.])(?P<n>\d{{1,6}})\s*(?P<d>个月|人次|{_DIM})(?![度份元\d])")
_PEOPLE = {"人", "户", "名", "位", "家", "人次"}  # one household or one person: the same head count


def _dim(word: str) -> str:
    if word in _PEOPLE:
        return "人"
    return "月" if word == "个月" else word


def _product(text: str) -> Decimal | None:
    """The cost a clause works out from unit prices and counts (每户16875元，21人 → 35.4375万元),
    or None unless every price finds exactly one count for each of its units and every count is used."""
    prices = list(_PRICE.finditer(text))
    if not prices:
        return None
    total = Decimal(0)
    for k, m in enumerate(prices):
        end = prices[k + 1].start() if k + 1 < len(prices) else len(text)
        counts = list(_QTY.finditer(text, m.end(), end))
        dims = [_dim(d) for d in (m.group("d1"), m.group("d2"), m.group("d3"), m.group("d4")) if d]
        if sorted(dims) != sorted(_dim(c.group("d")) for c in counts):
            return None
        value = _wan(m.group("v") or m.group("v2"), m.group("u") or m.group("u2"))
        for c in counts:
            value *= Decimal(c.group("n"))
        total += value
    return total


_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _wan(value: str, unit: str) -> Decimal:
    return wan_of(Decimal(value.replace(",", "")), unit) or Decimal(0)  # the patterns match money only


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in _CN:
        return _CN[text]
    if len(text) == 2 and text[0] == "十" and text[1] in _CN:
        return 10 + _CN[text[1]]
    return None


def _items(text: str) -> list[str]:
    """The enumerated items of a text (一是… 二是…, 1.… 2.…), or [] when it has fewer than two."""
    marks = list(_ITEM.finditer(text))
    if len(marks) < 2:
        return []
    return [
        text[m.end() : (marks[k + 1].start() if k + 1 < len(marks) else len(text))]
        for k, m in enumerate(marks)
    ]


def _plain_amounts(text: str) -> list[re.Match[str]]:
    """Amounts that are no rate: not 每人1200元, 标准为每户16875元, 1500元/人."""
    return [
        m for m in _MONEY.finditer(text) if not _RATE_BEFORE.search(text[max(0, m.start() - 8) : m.start()])
    ]


def estimate_total(text: str) -> tuple[Decimal, str] | None:
    """The total a 测算依据 states (合计 X万元), else the sum of its items' own totals, else the
    product of a unit price and its counts (以每人155863.4元，11人安排)."""
    totals = [_wan(m.group(1), m.group(2)) for m in _TOTAL.finditer(text)]
    if totals:
        return totals[-1], "测算依据所列合计"
    items = _items(text)  # none, or two and more
    amounts = []
    for item in items:
        stated = list(_ITEM_TOTAL.finditer(item))
        plain = _plain_amounts(item)
        if len(stated) == 1:
            amounts.append(_wan(stated[0].group(1), stated[0].group(2)))
        elif len(plain) == 1:
            amounts.append(_wan(plain[0].group(1), plain[0].group(2)))
        elif not plain and (product := _product(item)) is not None:
            amounts.append(product)
        else:
            return None  # an item without one total of its own: the list is not read
    if amounts:
        return sum(amounts, Decimal(0)), " + ".join(amount_text(a) for a in amounts)
    if not items and not _plain_amounts(text):  # one clause of prices and counts
        product = _product(text)
        if product is not None:
            return product, "按单价与数量相乘"
    return None


def costed_amounts(text: str) -> list[Decimal]:
    """Every amount of money the prose prints, in 万元 (rates included: any of them above 0 means
    the prose costs something)."""
    return [_wan(m.group(1), m.group(2)) for m in _MONEY.finditer(text)]


def count_mismatch(text: str) -> tuple[str, int, int] | None:
    """A count the text announces (包括3个支出事项) and the length of the list that follows when they
    differ: (the words as printed, the count said, the items listed); None when they agree or the
    text has no such count or list."""
    m = _COUNT.search(text)
    if m is None:
        return None
    said = _count(m.group(1))
    listed = len(_items(text[m.end() :]))
    if said is None or listed < 2 or said == listed:
        return None
    return m.group(0), said, listed


@check("funds.estimate-total", "funds.zero-total")
def estimate_against_budget(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The budget agrees with its 测算依据; a budget of 0 beside costed items is an error."""
    funds = evaluation.funds
    text = funds.estimate
    budget = stage_total(evaluation, "budget")
    if budget is None:
        budget = stage_total(evaluation, "budget_adjusted")
    if not text or budget is None:
        return []
    if budget == 0:
        amounts = costed_amounts(text)
        if any(a > 0 for a in amounts):
            return [
                finding(
                    "funds.zero-total",
                    Severity.error,
                    f"预算数印为0，但测算依据列有金额（{'、'.join(amount_text(a) + '万元' for a in amounts[:4] if a > 0)}）",
                    "funds.total.budget",
                    source=funds.total.sources.get("budget") or funds.estimate_source,
                    expected="测算依据所列金额",
                    actual=budget,
                    rule="预算数应与测算依据一致",
                )
            ]
        return []
    stated = estimate_total(text)
    if stated is None:
        return []
    total, how = stated
    if abs(total - budget) <= Decimal("0.01") or abs(total - budget) <= budget * Decimal("0.0005"):
        return []
    return [
        finding(
            "funds.estimate-total",
            Severity.warning,
            f"测算依据合计{amount_text(total)}万元（{how}），与预算数{amount_text(budget)}万元不一致，相差{amount_text(abs(total - budget))}万元",
            "funds.estimate",
            source=funds.estimate_source,
            expected=budget,
            actual=total,
            rule="预算数应与测算依据一致",
        )
    ]


@check("text.count-list")
def count_against_list(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A count (包括3个支出事项) followed by a list of another length (一是…四是)."""
    out: list[Finding] = []
    for path, text in (
        ("funds.estimate", evaluation.funds.estimate),
        ("goals.overall", evaluation.goals.overall),
        ("goals.annual", evaluation.goals.annual),
        ("goals.achieved", evaluation.goals.achieved),
    ):
        mismatch = count_mismatch(text) if text else None
        if mismatch is None:
            continue
        words, said, listed = mismatch
        out.append(
            finding(
                "text.count-list",
                Severity.warning,
                f"文中称“{words}”，其后却列了{listed}项",
                path,
                source=evaluation.funds.estimate_source if path == "funds.estimate" else None,
                expected=said,
                actual=listed,
                rule="文字所称数量应与所列内容一致",
            )
        )
    return out
