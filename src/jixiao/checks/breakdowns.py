"""Totals broken down in prose (其中): the parts add up to the total, each share is its part's.

A list whose printed shares add up to 100% names every part, so its parts must add up to the
total; a list without shares may leave parts out, so only parts that exceed the total are wrong.
Shares printed to add up to exactly 100% may each be one last unit off (the usual 凑整).
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.common import HUNDRED, amount_text, pct, places_of
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Breakdown, Evaluation
from jixiao.numbers import matches_printed


def _complete(b: Breakdown) -> bool:
    """Every part printed with a share, the shares adding up to 100% (each rounded as printed)."""
    shares = [p.share for p in b.parts]
    if any(s is None for s in shares):
        return False
    slack = sum((Decimal(5).scaleb(-(p.places + 1)) for p in b.parts), Decimal(0)) + Decimal("0.01")
    return abs(sum((s for s in shares if s is not None), Decimal(0)) - HUNDRED) <= slack


def _share_agrees(printed: Decimal, computed: Decimal, places: int, nudged: bool) -> bool:
    if matches_printed(printed, computed, places):
        return True
    return nudged and abs(printed - computed) <= Decimal(15).scaleb(-(places + 1))


@check("text.parts-sum", "text.share")
def breakdowns(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Each 其中 list of the prose against its total."""
    out: list[Finding] = []
    for i, b in enumerate(evaluation.funds.breakdowns):
        got = sum((p.amount for p in b.parts), Decimal(0))
        # each figure rounded at the finest printed place (5533 beside 12323.46 is 5533.00)
        places = max(places_of(v) for v in (b.total, *(p.amount for p in b.parts)))
        slack = Decimal(5).scaleb(-(places + 1)) * (len(b.parts) + 1)
        complete = _complete(b)
        terms = " + ".join(f"{p.label}{amount_text(p.amount, places_of(p.amount))}" for p in b.parts)
        if (complete and abs(got - b.total) > slack) or got > b.total + slack:
            out.append(
                finding(
                    "text.parts-sum",
                    Severity.error,
                    f"“{b.label}”印为{amount_text(b.total, places_of(b.total))}万元，其中所列 {terms} = "
                    f"{amount_text(got, 2)}万元，"
                    + ("各项占比合计100%，分项之和应等于总数" if complete else "分项之和超过了总数"),
                    f"funds.breakdowns[{i}]",
                    source=b.source,
                    expected=b.total,
                    actual=got,
                    rule="其中各项之和应等于（至多等于）总数",
                )
            )
            continue
        if b.total == 0:
            continue
        # shares printed to add up to exactly 100% may each be moved one last unit (凑整)
        nudged = complete and sum((p.share or Decimal(0) for p in b.parts), Decimal(0)) == HUNDRED
        wrong = [
            f"{p.label}{amount_text(p.amount, places_of(p.amount))}万元印为占{pct(p.share, p.places)}，"
            f"实为{pct(p.amount / b.total * HUNDRED)}"
            for p in b.parts
            if p.share is not None
            and not _share_agrees(p.share, p.amount / b.total * HUNDRED, p.places, nudged)
        ]
        if wrong:
            out.append(
                finding(
                    "text.share",
                    Severity.warning,
                    f"“{b.label}”{amount_text(b.total, places_of(b.total))}万元中，" + "；".join(wrong),
                    f"funds.breakdowns[{i}]",
                    source=b.source,
                    rule="占比 = 分项 ÷ 总数",
                )
            )
    return out
