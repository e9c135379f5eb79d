"""整改情况表 as Word: the rectification status of a unit's problems, A4 landscape, for the
publication pack (绩效公开) and for printing.

One table: 序号, 项目, 问题, 来源, 责任单位, 时限, 状态 (逾期 marked), 完成情况; then a line
counting the items by status. Nothing is computed here: the items and the day 逾期 is judged on
are given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from docx.document import Document as DocumentObject
from docx.shared import Pt

from jixiao.rectification import RectificationItem
from jixiao.render.docx_tables import simple_table
from jixiao.render.template import new_document
from jixiao.render.typography import (
    BODY,
    TITLE,
    Face,
    add_page_numbers,
    add_paragraph,
    setup_page,
    styled_run,
)
from jixiao.vocabulary import ITEM_STATUS_NAMES, ORIGIN_NAMES

TITLE_TEXT = "绩效评价发现问题整改情况表"
HEADER = ("序号", "项目", "问题", "来源", "责任单位", "时限", "状态", "完成情况")
# A4 landscape less the margins: 24.7 cm.
WIDTHS_CM = (1.2, 3.6, 6.2, 1.8, 2.8, 2.3, 2.2, 4.6)


def status_text(item: RectificationItem, today: date) -> str:
    """The status as printed: its name, and 逾期 for an open item past its deadline."""
    name = ITEM_STATUS_NAMES[item.status.value]
    return f"{name}（逾期）" if item.overdue(today) else name


def status_counts(items: Sequence[RectificationItem], today: date) -> str:
    """共N个问题：已确认 a 个，… 逾期 k 个 (the statuses that occur, in the vocabulary's order)."""
    counts = Counter(i.status.value for i in items)
    parts = [f"{name}{counts[key]}个" for key, name in ITEM_STATUS_NAMES.items() if counts[key]]
    late = sum(1 for i in items if i.overdue(today))
    if late:
        parts.append(f"其中逾期{late}个")
    return f"共{len(items)}个问题" + (f"：{'，'.join(parts)}" if parts else "")


def add_status_table(document: DocumentObject, items: Sequence[RectificationItem], today: date) -> None:
    """The status table and its count line, appended to ``document``."""
    rows = [
        [
            str(n),
            item.project,
            item.problem,
            ORIGIN_NAMES.get(item.origin.value, item.origin.value),
            item.unit or "",
            item.deadline.isoformat() if item.deadline else "",
            status_text(item, today),
            item.progress or "",
        ]
        for n, item in enumerate(items, start=1)
    ]
    if rows:
        simple_table(document, WIDTHS_CM, HEADER, rows, left=(1, 2, 7))
    line = add_paragraph(document, status_counts(items, today) if items else "本期没有需要整改的问题。")
    line.paragraph_format.space_before = Pt(6)


def build(
    items: Sequence[RectificationItem], today: date, *, unit: str = "", year: int | None = None
) -> DocumentObject:
    """The 整改情况表 of ``items`` as of ``today`` (``unit`` and ``year`` in the heading)."""
    document = new_document(None)
    section = document.sections[0]
    setup_page(section, landscape=True)
    add_page_numbers(section)
    title = add_paragraph(document, style="Title")
    title.paragraph_format.space_after = Pt(0)
    styled_run(title, TITLE_TEXT, Face(TITLE.east_asia, TITLE.fallback, 18, latin=TITLE.latin))
    sub = add_paragraph(document, style="Title")
    sub.paragraph_format.space_after = Pt(6)
    label = "  ".join(p for p in (unit, f"{year}年度" if year else "", f"截至{today.isoformat()}") if p)
    styled_run(sub, f"（{label}）", Face(BODY.east_asia, BODY.fallback, 14))
    add_status_table(document, items, today)
    return document
