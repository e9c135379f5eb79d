"""Totals, grades and level subtotals printed outside indicator tables.

- transposed level tables: a row of 一级 names (决策 过程 产出 效益 合计) with rows 分值 / 得分 /
  得分率 below;
- prose: ``自评得分 100 分``, ``评价等级为良``, ``决策权重占比9%``, ``4个一级指标、11个二级指标``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.ingest.extract.context import Context, cell_number, label_key
from jixiao.ingest.extract.labels import Value
from jixiao.ingest.extract.lexicon import LEVEL1, TOTAL_ROW
from jixiao.model import Claims, IndicatorCounts, Level, Source
from jixiao.numbers import parse_decimal

GRADES = r"优秀|良好|合格|不合格|较好|一般|较差|优|良|中|差|一等|二等|三等|四等|[A-D]级?"
_GRADE_VALUE = re.compile(rf"^(?:自评|评价|综合)?[“\"]?({GRADES})[”\"]?(?:等级|等次)?[。.]?$")
_TOTAL_PROSE = re.compile(
    r"(?<!平均)(?:自评得分|自评分|自评总分|评价得分|综合得分|最终得分|总得分|评价总分|绩效评价得分)\s*(?:为|是|[:：])?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分"
)
_FULL_PROSE = re.compile(r"(?:满分|总分值)\s*(?:为)?\s*(\d{2,3})\s*分")
_GRADE_PROSE = re.compile(
    rf"(?:评价等级|绩效等级|评价结果|等级|等次|评定为|评为|结论为)\s*(?:为|是|[:：])?\s*[“\"]?(?:自评)?({GRADES})(?![\u4e00-\u9fff])|自评({GRADES})(?![\u4e00-\u9fff])"
)
_WEIGHT_PROSE = re.compile(
    r"(决策|过程|产出|效益|投入|效果|满意度)(?:指标)?(?:的)?权重(?:占比|为|是)?\s*(\d{1,2}(?:\.\d+)?)\s*(?:%|分)"
)
_LEVEL_NAME = r"(?<!社会)(?<!经济)(?<!生态)(?<!环境)(?<!对象)(?:项目)?(决策|过程|产出|效益|投入|效果|满意度)(?:类)?(?:指标)?"
_SCORE = r"(\d{1,3}(?:\.\d{1,2})?)\s*分"
_SCORE_PROSE = re.compile(
    # 决策指标得分13.5分 / 决策指标（15分）得分13.5分 / 决策指标满分15分，得分13.5分
    rf"{_LEVEL_NAME}(?:[（(](?:满分|分值|权重)?\s*(\d{{1,3}})\s*分[)）]|(?:满分|分值|权重)(?:为)?\s*(\d{{1,3}})\s*分[，,、]?)?"
    rf"\s*(?:实际)?得分(?:为|是|[:：])?\s*{_SCORE}"
)
_COUNTS = re.compile(r"(\d{1,3})\s*个\s*([一二三])级指标")


def transposed_levels(ctx: Context) -> tuple[list[Level], Claims]:
    """Level subtotals from a table whose header row lists the 一级 names."""
    levels: list[Level] = []
    claims = Claims()
    header_row, filled = 0, False
    for table in ctx.doc.tables:
        names: dict[int, str] = {}
        total_col: int | None = None
        for r, raw in enumerate(table.rows):
            keys = [label_key(c) for c in raw]
            found = {c: k for c, k in enumerate(keys) if k and LEVEL1.fullmatch(k)}
            if len(found) >= 2 and not any(cell_number(k) is not None for k in keys if k):
                names = found
                total_col = next((c for c, k in enumerate(keys) if TOTAL_ROW.fullmatch(k)), None)
                levels = [Level(name=n, source=ctx.cell(table, r, c)) for c, n in names.items()]
                header_row, filled = r, False
                continue
            if not names:
                continue
            row_label = next((k for k in keys if k and cell_number(k) is None and "%" not in k), "")
            attr = {
                "得分": "claimed",
                "得分率": "rate",
                "分值": "weight",
                "权重": "weight",
                "满分": "weight",
            }.get(row_label)
            if attr is None:
                names = {}
                if not filled:  # a row that merely names two levels (满意度 | 服务对象满意度 …)
                    levels = []
                continue
            if not filled:
                ctx.consumed.add((table.index, header_row))
            filled = True
            ctx.consumed.add((table.index, r))
            for level, c in zip(levels, names, strict=False):
                value = parse_decimal(raw[c].strip()) if c < len(raw) else None
                if value is not None:
                    setattr(level, attr, value)
            if total_col is not None and total_col < len(raw):
                value = parse_decimal(raw[total_col].strip())
                if value is not None and attr == "claimed":
                    claims.total, claims.source = value, ctx.cell(table, r, total_col)
                elif value is not None and attr == "rate":
                    claims.rate = value
                elif value is not None and attr == "weight":
                    claims.total_weight = value
        if levels and filled:
            break
        levels = []
    return levels, claims


def prose_level_weights(ctx: Context, levels: list[Level]) -> list[Level]:
    """Weights printed in prose (``决策权重占比9%``) fill levels that have none."""
    by_name = {lv.name: lv for lv in levels}
    create = not levels
    for m in ctx.flow.finditer(_WEIGHT_PROSE):
        name, value = m.group(1), Decimal(m.group(2))
        level = by_name.get(name)
        if level is None:
            if not create:
                continue
            level = Level(name=name, source=ctx.flow.source_at(m.start(), m.group(0)))
            by_name[name] = level
            levels.append(level)
        if level.weight is None:
            level.weight = value
    return levels


def prose_level_scores(ctx: Context, levels: list[Level]) -> list[Level]:
    """Level scores printed in prose (``决策指标得分13.5分``, ``产出指标满分35分，得分33.2分``).

    They fill levels that have no score; a level printed with two different scores, or with a
    score above its weight, stays unknown with an info finding.
    """
    found: dict[str, list[tuple[Decimal, Decimal | None, Source]]] = {}
    for m in ctx.flow.finditer(_SCORE_PROSE):
        weight = m.group(2) or m.group(3)
        found.setdefault(m.group(1), []).append(
            (
                Decimal(m.group(4)),
                Decimal(weight) if weight else None,
                ctx.flow.source_at(m.start(), m.group(0)),
            )
        )
    if not found:
        return levels
    by_name = {lv.name.removesuffix("指标"): lv for lv in levels}
    create = all(lv.claimed is None for lv in levels)  # tables, when they give scores, come first
    for name, printed in found.items():
        scores = {score for score, _, _ in printed}
        source = printed[0][2]
        if len(scores) > 1:
            ctx.info(
                "ingest.ambiguous-level", f"正文中“{name}”指标印有不同得分 {sorted(scores)}，未取值", source
            )
            continue
        score = scores.pop()
        weight = next((w for _, w, _ in printed if w is not None), None)
        level = by_name.get(name)
        limit = level.weight if level is not None and level.weight is not None else weight
        if limit is not None and score > limit:
            ctx.info(
                "ingest.ambiguous-level",
                f"正文中“{name}”指标得分 {score} 分高于分值 {limit} 分，未取值",
                source,
            )
            continue
        if level is None:
            if not create:
                continue
            level = Level(name=name, weight=weight, source=source)
            by_name[name] = level
            levels.append(level)
        if level.claimed is None:
            level.claimed = score
        if level.weight is None and weight is not None:
            level.weight = weight
    return levels


def counts(ctx: Context) -> IndicatorCounts | None:
    """Printed numbers of 一级/二级/三级 indicators."""
    out: dict[str, int] = {}
    for m in ctx.flow.finditer(_COUNTS):
        key = {"一": "level1", "二": "level2", "三": "level3"}[m.group(2)]
        out.setdefault(key, int(m.group(1)))
    return IndicatorCounts(**out) if out else None


def claims_from(ctx: Context, claims: Claims, labelled: dict[str, list[Value]]) -> Claims:
    """Fill the claimed total and grade from labels, then prose; differing prose values stay unknown."""
    if claims.total is None:
        for value in labelled.get("total", []):
            number = cell_number(value.text)
            if number is not None and number <= 120:
                claims.total, claims.source = number, value.source
                break
    if claims.total is None:
        totals: dict[Decimal, Source] = {}
        for m in ctx.flow.finditer(_TOTAL_PROSE):
            totals.setdefault(Decimal(m.group(1)), ctx.flow.source_at(m.start(), m.group(0)))
        if len(totals) == 1:
            claims.total, claims.source = next(iter(totals.items()))
        elif len(totals) > 1:
            ctx.info(
                "ingest.ambiguous-total",
                f"正文印有多个总分 {sorted(totals)}，未取值",
                next(iter(totals.values())),
            )
    if claims.total_weight is None:
        full = _FULL_PROSE.search(ctx.flow.text)
        if full:
            claims.total_weight = Decimal(full.group(1))
    if claims.grade is None:
        for value in labelled.get("grade", []):
            gm = _GRADE_VALUE.match(value.text)
            if gm:
                claims.grade = gm.group(1)
                claims.source = claims.source or value.source
                break
    if claims.grade is None:
        grades = {(m.group(1) or m.group(2)) for m in ctx.flow.finditer(_GRADE_PROSE)}
        if len(grades) == 1:
            claims.grade = grades.pop()
        elif len(grades) > 1:
            ctx.info("ingest.ambiguous-grade", f"正文印有多个等级 {sorted(grades)}，未取值")
    return claims
