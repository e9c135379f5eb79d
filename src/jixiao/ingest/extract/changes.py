"""Year-on-year changes in prose (与上年相比): the amount, the change and the rate printed together.

Budget and final-accounts documents explain every line the same way: “行政运行（项）支出6106.99万元，
与上年相比增加101.48万元，增长1.66%”. The three figures must agree (101.48 ÷ (6106.99 − 101.48));
the reader keeps each such sentence as a :class:`jixiao.model.Change` for the audit to recompute.
Only sentences where the three figures stand together, with nothing between them that could be
another amount, are read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.ingest.extract.context import Context
from jixiao.model import Change
from jixiao.numbers import parse_decimal, printed_places

_NUM = r"\d[\d,]*(?:\.\d+)?"
_UP = ("增加", "增长", "上升", "提高")
_CHANGE = re.compile(
    rf"(?P<amount>{_NUM})\s*万\s*元"
    r"[^。；;万\d]{0,24}?(?:比|较|与)\s*(?:上\s*年|\d{4}\s*年)(?:\s*度)?(?:\s*预算(?:数)?)?(?:\s*相\s*比)?"
    r"[^。；;万\d]{0,16}?"
    r"(?P<dir>增加|减少|增长|下降|降低|上升|提高)\s*"
    rf"(?P<delta>{_NUM})\s*万\s*元\s*[，,、]?\s*(?:同比)?\s*"
    r"(?P<dir2>增长|下降|减少|降低|增加|上升|提高)\s*(?:了)?\s*"
    rf"(?P<rate>{_NUM})\s*%"
)
# last year's amount printed, not the change: “2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，
# 比2023年预算执行数减少57.14%” and “25.77万元，比上年执行数60.13万元减少57.14%”
_LAST = r"(?:上\s*年|\d{4}\s*年)[^，,。；;\d万]{0,16}?(?:执行数|决算数|预算数|支出数?|实际数)"
_BEFORE_FIRST = re.compile(
    rf"{_LAST}\s*为?\s*(?P<before>{_NUM})\s*万\s*元\s*[，,]\s*(?:\d{{4}}\s*年)?[^，,。；;\d万]{{0,10}}?"
    rf"(?P<amount>{_NUM})\s*万\s*元\s*[，,]?\s*(?:比|较)[^，,。；;万]{{0,20}}?"
    r"(?P<dir>增加|减少|增长|下降|降低|上升|提高)(?:了)?\s*"
    rf"(?P<rate>{_NUM})\s*%"
)
_BEFORE_AFTER = re.compile(
    rf"(?P<amount>{_NUM})\s*万\s*元\s*[，,]?\s*(?:比|较){_LAST}\s*(?P<before>{_NUM})\s*万\s*元\s*[，,]?\s*"
    r"(?P<dir>增加|减少|增长|下降|降低|上升|提高)(?:了)?\s*"
    rf"(?P<rate>{_NUM})\s*%"
)
_QUOTED = re.compile(r"“([^”]{2,80})”")
_CLAUSE_END = re.compile(r"[。；;，,：:]")
_ITEM_MARK = re.compile(
    r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)"
)


def _label(text: str, start: int) -> str:
    """The clause before the amount: its last printed line, with a wrapped line's head joined
    (“…行政运行” + “（项）支出”), without item marks (1. / （一）)."""
    head = text[max(0, start - 60) : start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    lines = [re.sub(r"\s+", "", line) for line in head[cut:].split("\n")]
    lines = [line for line in lines if line]
    label = lines.pop() if lines else ""
    while lines and len(label) < 8:
        label = lines.pop() + label
    label = _ITEM_MARK.sub("", label)
    return re.sub(r"(?:为|是|共计|合计)$", "", label) or "（未印名称）"


def _named(text: str, start: int, amount: str) -> str:
    """The item a sentence of last year's amount is about: the quoted name printed just before it
    with this year's amount (“一般公共服务支出（类）……（项）”25.77万元，主要用于…。2023年当年预算执行数为…),
    else the clause before the amount."""
    head = text[max(0, start - 160) : start]
    quoted = list(_QUOTED.finditer(head))
    if quoted:
        between = head[quoted[-1].end() :]
        same_item = not any(_ITEM_MARK.match(line.strip()) for line in between.split("\n")[1:])
        if same_item or re.match(rf"\s*{re.escape(amount)}\s*万\s*元", between):
            return re.sub(r"\s+", "", quoted[-1].group(1))
    return _label(text, start)


def _with_before(ctx: Context) -> list[Change]:
    text = ctx.flow.text
    out: list[Change] = []
    for pattern in (_BEFORE_FIRST, _BEFORE_AFTER):
        for m in pattern.finditer(text):
            amount, before = parse_decimal(m.group("amount")), parse_decimal(m.group("before"))
            rate = parse_decimal(m.group("rate"))
            if amount is None or before is None or rate is None:
                continue
            sign = Decimal(1) if m.group("dir") in _UP else Decimal(-1)
            out.append(
                Change(
                    label=_named(text, m.start(), m.group("amount")),
                    amount=amount,
                    before=before,
                    rate=sign * rate,
                    places=printed_places(m.group("rate")),
                    source=ctx.flow.source_at(m.start(), re.sub(r"\s+", "", m.group(0))),
                )
            )
    return out


def prose_changes(ctx: Context) -> list[Change]:
    """Every 与上年相比 sentence that prints this year's amount, the change (or last year's amount)
    and its rate."""
    text = ctx.flow.text
    out: list[Change] = _with_before(ctx)
    for m in _CHANGE.finditer(text):
        up, up2 = m.group("dir") in _UP, m.group("dir2") in _UP
        amount, delta = parse_decimal(m.group("amount")), parse_decimal(m.group("delta"))
        rate = parse_decimal(m.group("rate"))
        if up != up2 or amount is None or delta is None or rate is None:
            continue
        sign = Decimal(1) if up else Decimal(-1)
        out.append(
            Change(
                label=_label(text, m.start()),
                amount=amount,
                delta=sign * delta,
                rate=sign * rate,
                places=printed_places(m.group("rate")),
                source=ctx.flow.source_at(m.start(), re.sub(r"\s+", "", m.group(0))),
            )
        )
    return out
