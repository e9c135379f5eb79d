"""Charts as PNG bytes (matplotlib, CJK font): 一级 得分率, indicator completion, funds by stage.

Figures are built with the object API (no pyplot state), so the web app can call these from
worker threads.  Values come from the evaluation and its ``ScoreResult``; nothing is computed here
beyond placing them on axes.

Drawing is most of the cost of a report, so what does not depend on the data is made once:

* one bar-chart figure per process (a *skeleton*: figure, canvas, axes and their ticks) on which
  each chart adds its bars and texts and removes them after; a lock lets one thread draw at a time
  (matplotlib's ``rc_context`` changes global settings, and drawing holds the GIL anyway), and a
  forked child makes its own;
* text measurements (the width of “一级指标得分率” in a given font) are kept across figures, keyed
  by the text, the font and the rc settings that choose the font; matplotlib keeps them per
  renderer only, and a figure saved with a tight box gets a new renderer each time;
* the tight bounding box is computed once, directly, instead of by ``savefig(bbox_inches="tight")``,
  which draws the whole figure an extra time to find it.

The images are the same, byte for byte, as those of a fresh figure saved with
``bbox_inches="tight"`` (``tests/render/test_charts.py`` compares them).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

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

# rc settings that decide which font a text is measured in, and how (hinting, kerning).
_FONT_RC = (
    "font.family",
    "font.sans-serif",
    "font.serif",
    "font.monospace",
    "font.cursive",
    "font.fantasy",
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
)
_METRICS_MAX = 8192
_metrics: dict[tuple[Any, ...], tuple[float, float, float]] = {}

# rc_context changes matplotlib's global settings, and the bar-chart figure is reused: one chart
# is drawn at a time (drawing holds the GIL anyway, so threads lose nothing by waiting).
_drawing = threading.Lock()
_skeleton: tuple[Figure, Axes] | None = None


def _forget_after_fork() -> None:
    """A forked child starts with a free lock and no figure (the parent's may be mid-drawing)."""
    global _drawing, _skeleton
    _drawing = threading.Lock()
    _skeleton = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _rc_value(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# matplotlib's own measurement (an untyped method), called with a ``_Renderer`` as ``self``.
_measure = cast(
    "Callable[[RendererAgg, str, FontProperties, bool | str], tuple[float, float, float]]",
    RendererAgg.get_text_width_height_descent,
)


class _Renderer(RendererAgg):
    """An Agg renderer whose text measurements are shared by all renderers of the process.

    A measurement depends on the text, the font properties, the dpi and the rc settings that pick
    the font, never on the renderer's canvas size; matplotlib's own cache is per renderer.
    """

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: bool | str
    ) -> tuple[float, float, float]:
        if ismath:
            return _measure(self, s, prop, ismath)
        rc = cast("Mapping[str, Any]", matplotlib.rcParams)
        key = (s, prop.copy(), self.dpi, *(_rc_value(rc[name]) for name in _FONT_RC))
        found = _metrics.get(key)
        if found is None:
            if len(_metrics) >= _METRICS_MAX:
                _metrics.clear()
            found = _metrics[key] = _measure(self, s, prop, ismath)
        return found


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing with ``_Renderer`` (kept while the pixel size and dpi stay the same)."""

    _size_key: tuple[int, int, float] | None = None

    def get_renderer(self) -> RendererAgg:
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if self._size_key != key:
            self.renderer = _Renderer(width, height, self.figure.dpi)  # type: ignore[no-untyped-call]
            self._size_key = key
        renderer: RendererAgg = self.renderer
        return renderer


def _png(figure: Figure) -> bytes:
    """The figure as PNG cropped to its tight box and padding, as ``savefig(bbox_inches="tight")``.

    The figure must have been made with ``dpi=DPI``: its box is measured at the dpi it is saved at.
    """
    canvas = figure.canvas if isinstance(figure.canvas, _Canvas) else _Canvas(figure)
    box = figure.get_tightbbox(canvas.get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches=box, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _empty(title: str) -> bytes:
    with _drawing, matplotlib.rc_context(RC):  # type: ignore[arg-type]
        figure = Figure(figsize=(6, 2), dpi=DPI)
        ax = figure.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, f"{title}：暂无数据", ha="center", va="center", fontsize=12)
        return _png(figure)


def _bars(
    title: str, labels: Sequence[str], values: Sequence[Decimal], unit: str, *, reference: float | None = None
) -> bytes:
    return _bars_cached(title, tuple(labels), tuple(values), unit, reference)


def _bar_skeleton() -> tuple[Figure, Axes]:
    """The process's bar-chart figure and axes (made on first use; call with ``_drawing`` held, in ``RC``)."""
    global _skeleton
    if _skeleton is None:
        figure = Figure(figsize=(7, 2.2), dpi=DPI)
        _Canvas(figure)
        axes = figure.add_subplot()
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        _skeleton = (figure, axes)
    return _skeleton


@lru_cache(maxsize=256)
def _bars_cached(
    title: str, labels: tuple[str, ...], values: tuple[Decimal, ...], unit: str, reference: float | None
) -> bytes:
    """Same data, same PNG: a re-rendered report (web downloads, batches) reuses its charts."""
    global _skeleton
    with _drawing, matplotlib.rc_context(RC):  # type: ignore[arg-type]
        figure, ax = _bar_skeleton()
        added: list[Callable[[], None]] = []  # what this chart adds to the figure, removed after
        try:
            figure.set_size_inches(7, max(2.2, 0.45 * len(labels) + 1.2))
            numbers = [float(v) for v in values]
            positions = list(range(len(labels)))
            colors = [BAR_ALT if reference is not None and n < reference else BAR for n in numbers]
            added.append(ax.barh(positions, numbers, color=colors, height=0.6).remove)
            ax.set_yticks(positions, [_short(label) for label in labels])
            ax.set_title(title, fontsize=13)
            ax.set_xlabel(unit)
            top = max([*numbers, reference or 0, 1.0])
            ax.set_xlim(0, top * 1.18)
            # The y range as a fresh axes would autoscale it to these bars, top to bottom.
            ax.relim()
            ax.set_ylim(auto=True)
            ax.autoscale_view(scalex=False)
            ax.yaxis.set_inverted(True)
            if reference is not None:
                line = ax.axvline(reference, color="#555555", linewidth=0.8, linestyle="--")
                added.append(line.remove)
            for pos, value, number in zip(positions, values, numbers, strict=True):
                text = ax.text(
                    number + top * 0.01,
                    pos,
                    f"{value:f}{unit if unit == '%' else ''}",
                    va="center",
                    fontsize=9,
                )
                added.append(text.remove)
            return _png(figure)
        except BaseException:
            _skeleton = None  # never draw the next chart on a half-made one
            raise
        finally:
            for remove in added:
                remove()


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
