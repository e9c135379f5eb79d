"""Charts drawn on the reused figure are the same PNG, byte for byte, as on a fresh one.

The reference below is how the charts were drawn before the figure was reused: a new Figure each
time, saved with ``bbox_inches="tight"`` by matplotlib itself.
"""

from __future__ import annotations

import io
import random
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from jixiao.render import charts

Case = tuple[str, tuple[str, ...], tuple[Decimal, ...], str, float | None]


def _reference(
    title: str, labels: tuple[str, ...], values: tuple[Decimal, ...], unit: str, reference: float | None
) -> bytes:
    with matplotlib.rc_context(charts.RC):
        figure = Figure(figsize=(7, max(2.2, 0.45 * len(labels) + 1.2)))
        ax = figure.add_subplot()
        numbers = [float(v) for v in values]
        positions = list(range(len(labels)))
        colors = [charts.BAR_ALT if reference is not None and n < reference else charts.BAR for n in numbers]
        ax.barh(positions, numbers, color=colors, height=0.6)
        ax.set_yticks(positions, [charts._short(label) for label in labels])
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
        buffer = io.BytesIO()
        FigureCanvasAgg(figure)
        figure.savefig(
            buffer, format="png", dpi=charts.DPI, bbox_inches="tight", pil_kwargs={"compress_level": 1}
        )
        return buffer.getvalue()


def _empty_reference(title: str) -> bytes:
    with matplotlib.rc_context(charts.RC):
        figure = Figure(figsize=(6, 2))
        ax = figure.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, f"{title}：暂无数据", ha="center", va="center", fontsize=12)
        buffer = io.BytesIO()
        FigureCanvasAgg(figure)
        figure.savefig(
            buffer, format="png", dpi=charts.DPI, bbox_inches="tight", pil_kwargs={"compress_level": 1}
        )
        return buffer.getvalue()


def _cases() -> list[Case]:
    rng = random.Random(20261207)
    words = "产出效益满意度指标决策过程管理资金数量质量时效成本社会经济生态可持续影响：ABC123"
    cases: list[Case] = [
        (
            "一级指标得分率",
            ("决策", "过程", "产出", "效益"),
            tuple(map(Decimal, ("95.5", "88", "100", "72.25"))),
            "%",
            100.0,
        ),
        ("项目资金（万元）", ("年初预算",), (Decimal("0"),), "万元", None),
        (
            "绩效指标完成率",
            tuple("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"),
            tuple(Decimal(i * 7) for i in range(20)),
            "%",
            100.0,
        ),
    ]
    for _ in range(9):
        n = rng.randint(1, 9)
        labels = tuple("".join(rng.choice(words) for _ in range(rng.randint(1, 28))) for _ in range(n))
        values = tuple(Decimal(rng.randint(0, 300000)) / Decimal(rng.choice([1, 10, 100])) for _ in range(n))
        cases.append(
            (
                rng.choice(["一级指标得分率", "项目资金（万元）"]),
                labels,
                values,
                rng.choice(["%", "万元"]),
                rng.choice([None, 100.0]),
            )
        )
    return cases


def test_reused_figure_draws_the_same_png_as_a_fresh_one() -> None:
    cases = _cases()
    charts.clear_cache()
    drawn = [charts._bars(t, labels, values, unit, reference=ref) for t, labels, values, unit, ref in cases]
    for case, png in zip(cases, drawn, strict=True):
        assert png == _reference(*case), case[:2]
    charts.clear_cache()  # drawn again in another order, on a figure that held other charts
    assert [charts._bars(t, lb, v, u, reference=r) for t, lb, v, u, r in reversed(cases)] == drawn[::-1]
    assert charts._empty("项目资金") == _empty_reference("项目资金")


def test_threads_draw_the_same_charts() -> None:
    cases = _cases()[:6]
    charts.clear_cache()
    expected = [charts._bars_cached.__wrapped__(*case) for case in cases]
    with ThreadPoolExecutor(3) as pool:
        drawn = list(pool.map(lambda case: charts._bars_cached.__wrapped__(*case), cases * 2))
    assert drawn == expected * 2
