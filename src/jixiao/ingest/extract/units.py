"""Amounts labelled 万元 that the document itself shows to be in 元 (a system export's common slip).

A form headed ``本年度项目金额（万元）`` holding ``300000`` beside a cost target ``≤30万`` prints the
same amount twice, once in 元 under a 万元 label.  When a stage amount divided by 10 000 equals, to
the places printed, an amount the same document prints with 万 (a target or actual, or prose), and
the amount as printed matches nothing, it is read in 元 and converted; the figure's source keeps
the text as printed, so the audit (``funds.unit-label``) reports the slip.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.findings import Finding, Severity, finding
from jixiao.ingest.extract.context import Context
from jixiao.model import Evaluation, FundLine, Funds, FundStage, Indicator
from jixiao.numbers import bare_number

_WAN = re.compile(r"(\d+(?:\.\d+)?)\s*万(?!人|户|次|册|份|个|件|亩|平方|吨|公里|千米|台|套|株|只|头|元/)")
_TEN_THOUSAND = Decimal(10000)
STAGES = tuple(stage.value for stage in FundStage)


def _wan_amounts(text: str, indicators: list[Indicator]) -> set[Decimal]:
    texts = [text]
    for ind in indicators:
        texts += [f.text for f in (ind.target, ind.actual) if f is not None and f.text]
    return {Decimal(m.group(1)).normalize() for t in texts for m in _WAN.finditer(t)}


def mend_yuan_labelled_wan(ctx: Context, funds: Funds, indicators: list[Indicator]) -> None:
    """Convert stage amounts that the document shows are 元 under a 万元 label (see module doc)."""
    if funds.unit != "万元":
        return
    lines: list[FundLine] = [funds.total, *funds.lines]
    if not any(getattr(line, s) for line in lines for s in STAGES):
        return
    printed = _wan_amounts(ctx.flow.text, indicators)
    if not printed:
        return
    for line in lines:
        for stage in STAGES:
            value = getattr(line, stage)
            if value is None or value == 0 or value.normalize() in printed:
                continue
            as_wan = (value / _TEN_THOUSAND).normalize()
            if as_wan in printed:
                setattr(line, stage, as_wan)
                ctx.info(
                    "ingest.unit-mended",
                    f"金额{value}标注为万元，但文中另印为{as_wan}万元，按元读取为{as_wan}万元",
                    line.sources.get(stage),
                )


def _stage_values(funds: Funds) -> list[tuple[FundLine, str, Decimal]]:
    """Non-zero stage amounts read from a table cell holding a number alone (the labelled cells)."""
    out = []
    for line in [funds.total, *funds.lines]:
        for stage in STAGES:
            value, source = getattr(line, stage), line.sources.get(stage)
            if (
                value
                and source is not None
                and source.table is not None
                and bare_number(source.text) is not None
            ):
                out.append((line, stage, value))
    return out


def mend_workbook(evaluations: list[Evaluation], mended: list[bool]) -> list[tuple[int, Finding]]:
    """One export, one unit: when the slip is shown on at least two sheets of a workbook and no
    sheet shows its amounts in 万元 as printed, the other sheets' amounts are read in 元 too.

    ``mended[i]`` says whether sheet i's slip was shown by its own figures; returns (sheet index,
    finding) for every amount converted on the other sheets' evidence.
    """
    shown = sum(mended)
    out: list[tuple[int, Finding]] = []
    if shown < 2:
        return out
    for evaluation, done in zip(evaluations, mended, strict=True):
        if done or evaluation.funds.unit != "万元":
            continue
        printed = _wan_amounts("", evaluation.indicators)
        if any(value.normalize() in printed for _, _, value in _stage_values(evaluation.funds)):
            return []  # a sheet whose amounts are 万元 as printed: the export is not in 元
    for i, (evaluation, done) in enumerate(zip(evaluations, mended, strict=True)):
        if done or evaluation.funds.unit != "万元":
            continue
        for line, stage, value in _stage_values(evaluation.funds):
            source = line.sources.get(stage)
            as_wan = (value / _TEN_THOUSAND).normalize()
            setattr(line, stage, as_wan)
            out.append(
                (
                    i,
                    finding(
                        "ingest.unit-mended",
                        Severity.info,
                        f"金额{value}标注为万元；同一工作簿中{shown}个工作表的金额已由其文中数字证实以元填报，"
                        f"本表按元读取为{as_wan}万元",
                        "",
                        source=source,
                    ),
                )
            )
    return out
