"""Word tables like the official forms: full borders, fixed widths, merged cells, rows that never split."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table, _Cell, _Row

from jixiao.render.text import clean
from jixiao.render.typography import TABLE, TABLE_HEAD, Face, styled_run


def add_table(document: DocumentObject, rows: int, widths_cm: Sequence[float]) -> Table:
    """A bordered, centred table with fixed column widths (cm)."""
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))  # twentieths of a point per cm
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
    return table  # type: ignore[no-any-return]


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
    """Put text in a cell (replacing what it held) in the table face; newlines become paragraphs.

    Paragraph formatting comes from the ``Table Text`` / ``Table Heading`` styles (no indent,
    single spacing); runs carry their fonts explicitly so a user template cannot lose them.
    """
    chosen = face or (TABLE_HEAD if head else TABLE)
    lines = clean(text).split("\n")
    tc = cell._tc
    for p in tc.findall(qn("w:p")):
        tc.remove(p)
    for line in lines:
        paragraph = cell.add_paragraph()
        ppr = paragraph._p.get_or_add_pPr()
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), "TableHeading" if head else "TableText")
        ppr.insert(0, style)
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), {"center": "center", "left": "left", "right": "right"}[align])
        ppr.append(jc)
        if line:
            styled_run(paragraph, line, chosen)


def merge(grid: Sequence[Sequence[_Cell]], top: int, left: int, bottom: int, right: int) -> _Cell:
    """Merge a rectangle of cells (inclusive bounds) and return the merged cell.

    ``grid`` is ``[row.cells for row in table.rows]`` taken once before any merge (looking cells
    up through ``table.cell`` re-reads the whole table each time).
    """
    first = grid[top][left]
    if (top, left) == (bottom, right):
        return first
    merged: _Cell = first.merge(grid[bottom][right])
    return merged


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
