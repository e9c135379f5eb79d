"""Totals and their 其中 parts in prose: “支出预算总计1000万元。其中：基本支出600万元，占60%；项目支出400万元，占40%”.

Budget and final-accounts documents break every total down the same way; the parts (and their
printed shares) must add up to it.  Only lists whose parts stand one after another, each an
amount in 万元 with or without its share, separated alike, are read; a year-on-year clause after a
part (比上年增加…) is passed over, and a list nested in a part (基本支出…，其中：人员经费…，公用经费…；
项目支出…) ends at the outer list's separator, so it is never mistaken for the outer one's parts.
"""

from __future__ import annotations

import re

from jixiao.ingest.extract.context import Context
from jixiao.model import Breakdown, BreakdownPart
from jixiao.numbers import parse_decimal, printed_places

_NUM = r"\d[\d,]*(?:\.\d+)?"
_LABEL = r"[^\s，,。；;：:、\d“”（）()]{2,24}?"
_TOTAL = re.compile(
    rf"(?P<label>{_LABEL})\s*(?:为|是|共计|合计|总计)?\s*(?P<total>{_NUM})\s*万\s*元\s*[，,。；;]?\s*"
    r"其\s*中\s*[:：，,]?\s*"
)
_PART = re.compile(
    rf"\s*(?P<label>{_LABEL})\s*(?:为|是)?\s*(?P<amount>{_NUM})\s*万\s*元"
    rf"(?:\s*[，,]?\s*占\s*(?:比|总\S{{0,6}}?的?|本年\S{{0,6}}?的?)?\s*(?:为)?\s*(?P<share>{_NUM})\s*%)?"
    r"\s*(?P<sep>[。；;，,、]?)"
)
# a clause about last year after a part: passed over, not a part of its own
_CHANGE_CLAUSE = re.compile(
    rf"\s*(?:比|较|与)[^。；;]{{0,20}}?(?:增加|减少|增长|下降|持平)[^。；;，,]{{0,12}}?(?:{_NUM}\s*(?:万\s*元|%))?"
    r"(?:\s*[，,]\s*(?:增长|下降|减少|增加)\s*" + _NUM + r"\s*%)?\s*(?P<sep>[。；;，,、]?)"
)
_NOT_A_PART = re.compile(r"比|较|其中|增加|减少|增长|下降|合计|总计")


def _parts(text: str, start: int) -> list[BreakdownPart]:
    parts: list[BreakdownPart] = []
    sep: str | None = None
    pos = start
    while True:
        m = _PART.match(text, pos)
        if m is None or _NOT_A_PART.search(m.group("label")):
            break
        amount = parse_decimal(m.group("amount"))
        if amount is None:
            break
        share = m.group("share")
        parts.append(
            BreakdownPart(
                label=re.sub(r"\s+", "", m.group("label")),
                amount=amount,
                share=parse_decimal(share) if share else None,
                places=printed_places(share) if share else 2,
            )
        )
        here, pos = m.group("sep"), m.end()
        change = _CHANGE_CLAUSE.match(text, pos) if here in ("，", ",") else None
        if change is not None:
            here, pos = change.group("sep"), change.end()
        if here in ("。", ""):
            break
        if sep is None:
            sep = here
        elif here != sep:  # another separator: the list (or a list nested in it) ends here
            break
    return parts


def prose_breakdowns(ctx: Context) -> list[Breakdown]:
    """Every total in the prose followed by 其中 and at least two parts in 万元."""
    text = ctx.flow.text
    out: list[Breakdown] = []
    for m in _TOTAL.finditer(text):
        total = parse_decimal(m.group("total"))
        parts = _parts(text, m.end())
        if total is None or len(parts) < 2:
            continue
        out.append(
            Breakdown(
                label=re.sub(r"^年度?", "", re.sub(r"\s+", "", m.group("label"))),  # after “2023”
                total=total,
                parts=parts,
                source=ctx.flow.source_at(m.start(), re.sub(r"\s+", "", m.group(0))),
            )
        )
    return out
