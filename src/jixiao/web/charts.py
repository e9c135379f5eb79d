"""Inline SVG bar charts (no JavaScript, no external assets); labels are escaped."""

from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#2f6fb0", "#4f9d69", "#d08c2f", "#b5473a", "#7a5ea8", "#5f7d8c")


def bar_chart(
    items: list[tuple[str, float]], *, unit: str = "", width: int = 420, max_value: float | None = None
) -> Markup:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return Markup('<p class="muted">暂无数据</p>')
    row = 26
    label_w = 150
    top = max_value if max_value is not None else max((v for _, v in items), default=0) or 1
    height = row * len(items) + 6
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    bar_space = width - label_w - 70
    for i, (label, value) in enumerate(items):
        y = i * row + 4
        w = 0 if top <= 0 else max(1.0, bar_space * value / top)
        colour = PALETTE[i % len(PALETTE)]
        text = str(escape(label if len(label) <= 12 else label[:11] + "…"))
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{text}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="18" fill="{colour}" rx="2"/>')
        shown = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{escape(shown)}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
