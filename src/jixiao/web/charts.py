"""Inline SVG bar charts (no JavaScript, no external assets); labels are escaped.

Drawn at their own pixel size, never scaled down to a narrow card: text is 13 px whatever the
window, and a long name wraps onto more lines instead of being cut. A chart wider than its card
scrolls sideways (the ``.chart-box`` wrapper).
"""

from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#2f6fb0", "#4f9d69", "#d08c2f", "#b5473a", "#7a5ea8", "#5f7d8c")
FONT_PX = 13
LINE_PX = 16
LABEL_MAX_PX = 190  # a label wider than this wraps
BAR_PX = 280


def _text_px(text: str) -> float:
    """The width of text at ``FONT_PX``: CJK characters are square, Latin ones about half as wide."""
    return sum(FONT_PX if ord(c) > 0x2E80 else FONT_PX * 0.55 for c in text)


def wrap(label: str, width: float = LABEL_MAX_PX) -> list[str]:
    """A label in lines no wider than ``width`` pixels (every character kept)."""
    lines, line = [], ""
    for char in label:
        if line and _text_px(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines or [""]


def bar_chart(items: list[tuple[str, float]], *, unit: str = "", max_value: float | None = None) -> Markup:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return Markup('<p class="muted">暂无数据</p>')
    wrapped = [wrap(label) for label, _ in items]
    label_w = int(max(_text_px(line) for lines in wrapped for line in lines)) + 10
    top = max_value if max_value is not None else max((v for _, v in items), default=0) or 1
    width = label_w + BAR_PX + 80
    rows = [max(26, LINE_PX * len(lines) + 8) for lines in wrapped]
    height = sum(rows) + 6
    parts = [
        f'<div class="chart-box"><svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    y = 4
    for i, ((_label, value), lines, row) in enumerate(zip(items, wrapped, rows, strict=True)):
        middle = y + row / 2
        first = middle - LINE_PX * (len(lines) - 1) / 2 + FONT_PX / 2 - 1
        for n, line in enumerate(lines):
            parts.append(
                f'<text x="{label_w - 6}" y="{first + n * LINE_PX:.1f}" text-anchor="end" '
                f'font-size="{FONT_PX}">{escape(line)}</text>'
            )
        w = 0 if top <= 0 else max(1.0, BAR_PX * value / top)
        parts.append(
            f'<rect x="{label_w}" y="{middle - 9:.1f}" width="{w:.1f}" height="18" '
            f'fill="{PALETTE[i % len(PALETTE)]}" rx="2"/>'
        )
        shown = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{middle + FONT_PX / 2 - 1:.1f}" font-size="{FONT_PX}">'
            f"{escape(shown)}{escape(unit)}</text>"
        )
        y += row
    parts.append("</svg></div>")
    return Markup("".join(parts))
