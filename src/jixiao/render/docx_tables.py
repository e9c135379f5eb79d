"""Word tables like the official forms: full borders, fixed widths, merged cells, rows that never split."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row

from jixiao.render.text import clean
from jixiao.render.typography import TABLE, TABLE_HEAD, Face, styled_run


def add_table(document: DocumentObject, rows: int, widths_cm: Sequence[float]) -> Table:
    """A bordered, centred table with fixed column widths (cm)."""
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)
    widths = [Cm(w) for w in widths_cm]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        keep_row_together(row)
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def keep_row_together(row: _Row) -> None:
    """Forbid a row from breaking across pages (``w:cantSplit``)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def repeat_as_header(row: _Row) -> None:
    """Repeat a row at the top of each page the table runs over (``w:tblHeader``)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def write_cell(
    cell: _Cell,
    text: object,
    *,
    head: bool = False,
    align: str = "center",
    face: Face | None = None,
) -> None:
    """Put text in a cell (replacing what it held) in the table face; newlines become paragraphs."""
    chosen = face or (TABLE_HEAD if head else TABLE)
    lines = clean(text).split("\n") or [""]
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    first = paragraphs[0]
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        paragraph.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        styled_run(paragraph, line, chosen)


def merge(table: Table, top: int, left: int, bottom: int, right: int) -> _Cell:
    """Merge a rectangle of cells (inclusive bounds) and return the merged cell."""
    first = table.cell(top, left)
    if (top, left) == (bottom, right):
        return first
    return first.merge(table.cell(bottom, right))


def merge_runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """Runs of equal, non-empty consecutive values as ``(start, end)`` index pairs (inclusive)."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or not values[start]:
            if i - 1 > start:
                runs.append((start, i - 1))
            start = i
    return runs
