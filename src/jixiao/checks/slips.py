"""Unit slips (an amount typed in 元 into a 万元 column, or the reverse), found once before the audit.

An amount about 10 000 times the others is a slip, not a figure: the audit reports it once
(``funds.unit-mix``) and recomputes every rate, sum and score with the amount converted, so that
one slip does not also come back as a wrong execution rate, a wrong sum and an inflated score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model import Evaluation, FundStage
from jixiao.vocabulary import STAGE_NAMES

STAGES = tuple(stage.value for stage in FundStage)
_STEP = re.compile(r"^funds\.(total|lines\[(\d+)\]|items\[(\d+)\])\.(\w+)$")


@dataclass(frozen=True)
class Slip:
    """One amount printed in the wrong unit: where, what it is called, as printed, as meant."""

    path: str  # funds.lines[1].spent
    name: str  # 县级资金实际支出
    printed: Decimal
    meant: Decimal
    ratio: int  # how many times the typical amount it is


def _amounts(evaluation: Evaluation) -> list[tuple[str, str, Decimal]]:
    funds = evaluation.funds
    out: list[tuple[str, str, Decimal]] = []
    for path, line in [("funds.total", funds.total)] + [
        (f"funds.lines[{i}]", ln) for i, ln in enumerate(funds.lines)
    ]:
        for stage in STAGES:
            value = getattr(line, stage)
            if value is not None and value > 0:
                name = (line.label or "") if path != "funds.total" else ""
                out.append((f"{path}.{stage}", f"{name}{STAGE_NAMES[stage]}", value))
    for i, item in enumerate(funds.items):
        if item.amount > 0:
            out.append((f"funds.items[{i}].amount", item.label, item.amount))
    if funds.planned_spending:
        out.append(("funds.planned_spending", "预算支出", funds.planned_spending))
    return out


def unit_slips(evaluation: Evaluation) -> list[Slip]:
    """Amounts about 10 000 times the typical amount of the evaluation (or 1/10 000 of it in 元)."""
    amounts = _amounts(evaluation)
    if len(amounts) < 2:
        return []
    in_wan = evaluation.funds.unit == "万元"
    ordered = sorted(value for _, _, value in amounts)
    median = ordered[len(ordered) // 2]
    out: list[Slip] = []
    for path, name, value in amounts:
        ratio = value / median if in_wan else median / value
        if 3000 <= ratio <= 30000:  # about 10 000 times the typical amount
            meant = value / 10000 if in_wan else value * 10000
            out.append(Slip(path, name, value, meant, int(ratio)))
    return out


def mended(evaluation: Evaluation, slips: list[Slip]) -> Evaluation:
    """A copy of the evaluation with every slipped amount converted to the unit of the others."""
    if not slips:
        return evaluation
    copy = evaluation.model_copy(deep=True)
    funds = copy.funds
    for slip in slips:
        if slip.path == "funds.planned_spending":
            funds.planned_spending = slip.meant
            continue
        m = _STEP.match(slip.path)
        if m is None:
            continue
        where, line_no, item_no, attr = m.groups()
        if item_no is not None:
            funds.items[int(item_no)].amount = slip.meant
        else:
            setattr(funds.total if where == "total" else funds.lines[int(line_no)], attr, slip.meant)
    return copy
