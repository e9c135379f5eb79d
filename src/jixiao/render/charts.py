"""Charts as PNG bytes (matplotlib, CJK font): 一级 得分率, indicator completion, funds by stage.

Figures are built with the object API (no pyplot state), so the web app can call these from
worker threads.  Values come from the evaluation and its ``ScoreResult``; nothing is computed here
beyond placing them on axes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from jixiao.model import Evaluation
from jixiao.scoring.result import ScoreResult

CJK_FAMILIES = [
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
    "SimHei",
    "Microsoft YaHei",
]
RC: dict[str, Any] = {
    "font.family": ["sans-serif"],
    "font.sans-serif": [*CJK_FAMILIES, "DejaVu Sans"],
    "axes.unicode_minus": False,
    "svg.fonttype": "none",
}
BAR = "#3b6ea8"
BAR_ALT = "#c8553d"
DPI = 150
STAGES = (
    ("budget", "年初预算"),
    ("budget_adjusted", "全年预算"),
    ("available", "实际到位"),
    ("spent", "实际支出"),
    ("surplus", "结余"),
)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _empty(title: str) -> bytes:
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        figure = Figure(figsize=(6, 2))
        ax = figure.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, f"{title}：暂无数据", ha="center", va="center", fontsize=12)
        return _png(figure)


def _bars(
    title: str, labels: Sequence[str], values: Sequence[Decimal], unit: str, *, reference: float | None = None
) -> bytes:
    return _bars_cached(title, tuple(labels), tuple(values), unit, reference)


@lru_cache(maxsize=256)
def _bars_cached(
    title: str, labels: tuple[str, ...], values: tuple[Decimal, ...], unit: str, reference: float | None
) -> bytes:
    """Same data, same PNG: a re-rendered report (web downloads, batches) reuses its charts."""
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        height = max(2.2, 0.45 * len(labels) + 1.2)
        figure = Figure(figsize=(7, height))
        ax = figure.add_subplot()
        numbers = [float(v) for v in values]
        positions = list(range(len(labels)))
        colors = [BAR_ALT if reference is not None and n < reference else BAR for n in numbers]
        ax.barh(positions, numbers, color=colors, height=0.6)
        ax.set_yticks(positions, [_short(label) for label in labels])
        ax.invert_yaxis()
        ax.set_title(title, fontsize=13)
        ax.set_xlabel(unit)
        top = max([*numbers, reference or 0, 1.0])
        ax.set_xlim(0, top * 1.18)
        if reference is not None:
            ax.axvline(reference, color="#555555", linewidth=0.8, linestyle="--")
        for pos, value, number in zip(positions, values, numbers, strict=True):
            ax.text(
                number + top * 0.01, pos, f"{value:f}{unit if unit == '%' else ''}", va="center", fontsize=9
            )
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _png(figure)


def _short(label: str, width: int = 20) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def level_rate_chart(score: ScoreResult) -> bytes:
    """一级指标 得分率 (computed score / weight) as a horizontal bar chart, PNG."""
    levels = [level for level in score.levels if level.rate is not None]
    if not levels:
        return _empty("一级指标得分率")
    return _bars(
        "一级指标得分率",
        [lv.name for lv in levels],
        [lv.rate for lv in levels if lv.rate is not None],
        "%",
        reference=100,
    )


def completion_chart(evaluation: Evaluation, score: ScoreResult) -> bytes:
    """Completion (actual / target, percent, from the score) of each quantitative indicator, PNG."""
    rows = [
        (f"{s.level2}：{s.name}" if s.level2 and s.name else s.name or s.level2 or s.level1, s.completion)
        for s in score.indicators
        if s.completion is not None
    ]
    if not rows:
        return _empty("绩效指标完成情况")
    return _bars(
        "绩效指标完成率", [r[0] for r in rows], [r[1] for r in rows if r[1] is not None], "%", reference=100
    )


def funds_chart(evaluation: Evaluation) -> bytes:
    """The total funds at each printed stage (预算, 到位, 支出, 结余) in 万元, PNG."""
    total = evaluation.funds.total
    rows = [(label, getattr(total, stage)) for stage, label in STAGES if getattr(total, stage) is not None]
    if not rows:
        return _empty("项目资金")
    return _bars(
        f"项目资金（{evaluation.funds.unit}）",
        [r[0] for r in rows],
        [r[1] for r in rows],
        evaluation.funds.unit,
    )


def has_level_rates(score: ScoreResult) -> bool:
    """True when a 一级 得分率 chart would show something."""
    return any(level.rate is not None for level in score.levels)


def has_completion(score: ScoreResult) -> bool:
    """True when a completion chart would show something."""
    return any(s.completion is not None for s in score.indicators)


def has_funds(evaluation: Evaluation) -> bool:
    """True when a funds chart would show something."""
    return any(getattr(evaluation.funds.total, stage) is not None for stage, _ in STAGES)


def clear_cache() -> None:
    """Forget cached chart images (benchmarks measure cold rendering)."""
    _bars_cached.cache_clear()
