"""绩效目标审核意见表 as Excel: the rows of the Word form (``review_docx.review_rows``) on one sheet,
A4 portrait, fitted to the page width; the automatic review's findings on a second sheet.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.declaration import Declaration, ReviewOpinion, ReviewResult
from jixiao.findings import Finding
from jixiao.office import clean
from jixiao.render.annex import finding_rows
from jixiao.render.declaration_view import year_line
from jixiao.render.docx_tables import Cell
from jixiao.render.review_docx import TITLE, WIDTHS_CM, review_rows
from jixiao.render.selftable_xlsx import (
    BODY_FONT,
    BORDER,
    CENTER,
    HEAD_FONT,
    LEFT,
    TITLE_FONT,
    merge_range,
    row_height,
    text_lines,
)

CHARACTERS_PER_CM = 4.4  # Excel column width units per centimetre at the default font
FINDINGS_SHEET = "审核发现的问题"


def _widths() -> list[float]:
    return [round(w * CHARACTERS_PER_CM, 1) for w in WIDTHS_CM]


def write_rows(ws: Worksheet, start: int, rows: list[list[Cell]], widths: list[float]) -> int:
    """Lay out rows of spanned cells from ``start``, boxed; returns the last row written."""
    r = start - 1
    for row in rows:
        r += 1
        col = 1
        lines = 1
        for cell in row:
            target = ws.cell(r, col)
            text = clean(cell.text)
            target.value = text or None
            if text:
                target.data_type = "s"
            target.font = HEAD_FONT if cell.head else BODY_FONT
            target.alignment = LEFT if cell.align == "left" else CENTER
            for c in range(col, col + cell.span):
                ws.cell(r, c).border = BORDER
            if cell.span > 1:
                merge_range(ws, r, col, r, col + cell.span - 1)
            lines = max(lines, text_lines(text, sum(widths[col - 1 : col - 1 + cell.span])))
            col += cell.span
        ws.row_dimensions[r].height = row_height(lines)
    return r


def _title(ws: Worksheet, title: str, year: str, columns: int) -> None:
    ws.cell(1, 1, title).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    merge_range(ws, 1, 1, 1, columns)
    ws.row_dimensions[1].height = 32
    ws.cell(2, 1, year).font = BODY_FONT
    ws.cell(2, 1).alignment = CENTER
    merge_range(ws, 2, 1, 2, columns)


def _print_setup(ws: Worksheet, area: str, *, landscape: bool) -> None:
    ws.print_area = area
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def findings_sheet(workbook: Workbook, findings: list[Finding]) -> None:
    """The automatic review's findings on a sheet of their own (an empty list says none were found)."""
    sheet = workbook.create_sheet(FINDINGS_SHEET)
    columns = [5.0, 7.0, 60.0, 24.0]
    header = [Cell(t, head=True) for t in ("序号", "级别", "问题", "位置")]
    body = [
        [Cell(v, align="left" if i >= 2 else "center") for i, v in enumerate(r)]
        for r in finding_rows(findings)
    ]
    if not body:
        body = [[Cell("经自动审核，未发现问题。", span=4, align="left")]]
    last = write_rows(sheet, 1, [header, *body], columns)
    for n, width in enumerate(columns):
        sheet.column_dimensions["ABCD"[n]].width = width
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, f"A1:D{last}", landscape=False)


def build(
    declaration: Declaration,
    review: ReviewResult | None = None,
    findings: list[Finding] | None = None,
    opinion: ReviewOpinion | None = None,
) -> Workbook:
    """The 审核意见表 workbook (findings, when given, on a sheet of their own)."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = TITLE
    widths = _widths()
    _title(ws, TITLE, year_line(declaration), len(widths))
    last = write_rows(ws, 3, review_rows(declaration, review, opinion), widths)
    for n, width in enumerate(widths):
        ws.column_dimensions["ABCDEF"[n]].width = width
    _print_setup(ws, f"A1:F{last}", landscape=False)
    if findings is not None:
        findings_sheet(workbook, findings)
    return workbook
