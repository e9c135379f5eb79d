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


def prose_changes(ctx: Context) -> list[Change]:
    """Every 与上年相比 sentence that prints this year's amount, the change and its rate."""
    text = ctx.flow.text
    out: list[Change] = []
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
