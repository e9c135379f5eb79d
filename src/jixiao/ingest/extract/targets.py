"""Targets and actuals written in prose, and links from score lines to the target rows.

- ``X目标任务人数为 6.42 万人，当前参保人数为 5.68 万人，完成年度目标任务的 88.47%``;
- rates named in the annual goal and again in the results (``参保率100%`` … ``参保率100%``).
A score line for quantity (实际完成率 / 产出数量 / 数量指标) with no rule of its own is linked to
the quantity target rows, so the audit compares its claimed score with their completion.
"""

from __future__ import annotations

import re

from jixiao.ingest.extract.context import Context
from jixiao.model import Figure, Indicator, RatioRule

_UNIT = r"(?:万人|人次|万户|人|户|个|家|次|件|项|万元|元|%|公里|平方米|天)"
_NUM = rf"\d+(?:\.\d+)?\s*{_UNIT}"
_PAIR = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{2,24}}?)(?:目标任务|目标|计划)(?P<what>人数|数量|数)?\s*(?:为|是|达到)?\s*(?P<t>{_NUM})"
    rf"[^，,。；;]{{0,6}}[，,]\s*(?:当前|实际|已|全年|年末)[\u4e00-\u9fff]{{0,10}}?(?:为|达到|达|是)?\s*(?P<a>{_NUM})"
    rf"(?:[，,]?\s*完成(?:年度|全年)?(?:目标)?(?:任务)?(?:的)?\s*(?P<c>\d+(?:\.\d+)?%))?"
)
_RATE = re.compile(r"([\u4e00-\u9fff]{2,10}?率)\s*(?:为|达到|达|是)?\s*(\d{1,3}(?:\.\d+)?%(?:以上|及以上)?)")


def prose_targets(
    ctx: Context, annual: str | None, achieved: str | None, level2_hint: tuple[str, str] | None
) -> list[Indicator]:
    """Target rows found in prose; ``level2_hint`` = (一级, 二级) of the quantity score line, if any."""
    out: list[Indicator] = []
    level1, level2 = level2_hint or ("产出指标", "数量指标")
    for n, m in enumerate(ctx.flow.finditer(_PAIR), start=1):
        name = m.group("name").lstrip("的") + (m.group("what") or "")
        ind = Indicator(
            id=f"t-prose-{n}",
            level1=level1,
            level2=level2,
            name=name,
            target=Figure(
                text=m.group("t").replace(" ", ""), source=ctx.flow.source_at(m.start("t"), m.group("t"))
            ),
            actual=Figure(
                text=m.group("a").replace(" ", ""), source=ctx.flow.source_at(m.start("a"), m.group("a"))
            ),
            source=ctx.flow.source_at(m.start(), m.group(0)),
        )
        if m.group("c"):
            ind.completion = Figure(text=m.group("c"), source=ctx.flow.source_at(m.start("c"), m.group("c")))
        out.append(ind)
    if annual and achieved:
        count = re.compile(r"完成(?:了)?\s*(\d+(?:\.\d+)?)\s*(万人|人|户|万户|个|家)")
        a, b = count.search(annual), count.search(achieved)
        if a and b and a.group(2) == b.group(2):
            out.append(
                Indicator(
                    id="t-count",
                    level1=level1,
                    level2=level2,
                    name=f"完成{a.group(2).removeprefix('万')}数",
                    target=Figure(text=a.group(1) + a.group(2)),
                    actual=Figure(text=b.group(1) + b.group(2)),
                )
            )
        planned = {m.group(1): m.group(2) for m in _RATE.finditer(annual)}
        done = {m.group(1): m.group(2) for m in _RATE.finditer(achieved)}
        for n, (name, target) in enumerate(planned.items(), start=1):
            if name in done:
                family = ("满意度指标", "服务对象满意度指标") if "满意" in name else ("产出指标", "质量指标")
                out.append(
                    Indicator(
                        id=f"t-rate-{n}",
                        level1=family[0],
                        level2=family[1],
                        name=name,
                        target=Figure(text=target),
                        actual=Figure(text=done[name]),
                    )
                )
    return out


_QUANTITY_LINE = re.compile(r"实际完成率|产出数量|数量指标|^数量$|完成数量")


def link_quantity(indicators: list[Indicator]) -> None:
    """Point quantity score lines without a rule at the quantity target rows (by id)."""
    targets = [
        ind
        for ind in indicators
        if ind.weight is None
        and "数量" in (ind.level2 or "")
        and ind.target is not None
        and ind.target.value is not None
        and ind.actual is not None
        and ind.actual.value is not None
    ]
    if not targets:
        return
    for n, ind in enumerate(targets, start=1):
        if ind.id is None:
            ind.id = f"t-quantity-{n}"
    ids = [t.id for t in targets if t.id]
    for ind in indicators:
        if (
            ind.weight is None
            or ind.rule is not None
            or (ind.target is not None and ind.target.value is not None)
        ):
            continue
        if (
            _QUANTITY_LINE.search(ind.name or "")
            or (_QUANTITY_LINE.search(ind.level2 or "") and not ind.name)
            or (_QUANTITY_LINE.search(ind.level2 or "") and "数量" in (ind.level2 or ""))
        ):
            ind.rule = RatioRule(refs=ids)


def link_funds_rates(indicators: list[Indicator]) -> None:
    """Score lines 资金到位率 / 预算执行率 without figures of their own are computed from the funds."""
    for ind in indicators:
        if (
            ind.weight is None
            or ind.rule is not None
            or (ind.target is not None and ind.target.value is not None)
        ):
            continue
        label = f"{ind.level2 or ''}{ind.name or ''}"
        if "资金到位率" in label:
            ind.rule = RatioRule(derive="arrival_rate")
        elif "预算执行率" in label or "资金执行率" in label:
            ind.rule = RatioRule(derive="execution_rate")
