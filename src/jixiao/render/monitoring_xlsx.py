"""项目支出绩效目标执行监控表 as Excel: the form to fill in offline and read back
(``ingest.monitoring`` reads it by its headings), A4 landscape fitted to the page width; the
review's lights and findings, when given, on a second sheet.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.findings import Finding
from jixiao.monitoring import Monitoring
from jixiao.render.annex import finding_rows
from jixiao.render.docx_tables import Cell
from jixiao.render.monitoring_view import FORM_TITLE, MARK, WIDTHS_CM, monitoring_rows, year_line
from jixiao.render.review_xlsx import CHARACTERS_PER_CM, write_rows
from jixiao.render.selftable_xlsx import CENTER, TITLE_FONT, merge_range

SHEET = "执行监控表"
FINDINGS_SHEET = "监控审核"


def build(
    monitoring: Monitoring, findings: list[Finding] | None = None, lights: list[str] | None = None
) -> Workbook:
    """The monitoring form as a workbook; ``lights`` (the warning's reasons, first the light) and
    ``findings`` go on a second sheet when given."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = SHEET
    widths = [round(w * CHARACTERS_PER_CM, 1) for w in WIDTHS_CM]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.cell(1, 1, FORM_TITLE).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    merge_range(ws, 1, 1, 1, len(widths))
    ws.cell(2, 1, year_line(monitoring)).alignment = CENTER
    merge_range(ws, 2, 1, 2, len(widths))
    rows, start = monitoring_rows(monitoring)
    last = write_rows(ws, 3, rows, widths)
    first_indicator = 3 + start + 2
    last_indicator = last - 3
    if last_indicator >= first_indicator:
        ticks = DataValidation(type="list", formula1=f'"{MARK}"', allow_blank=True)
        ticks.error = f"勾选请填“{MARK}”"
        ws.add_data_validation(ticks)
        for col in (7, 8, 9, 10, 11, 13, 14, 15):
            letter = get_column_letter(col)
            ticks.add(f"{letter}{first_indicator}:{letter}{last_indicator}")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{3 + start}:{4 + start}"
    if findings is not None or lights:
        sheet = book.create_sheet(FINDINGS_SHEET)
        extra: list[list[Cell]] = [[Cell(line, align="left", span=4)] for line in lights or []]
        if findings is not None:
            extra.append([Cell(h, head=True) for h in ("序号", "级别", "问题", "位置")])
            extra.extend(
                [Cell(v, align="left" if i > 1 else "center") for i, v in enumerate(row)]
                for row in finding_rows(findings)
            )
        sheet_widths = [6.0, 8.0, 70.0, 30.0]
        for i, width in enumerate(sheet_widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        write_rows(sheet, 1, extra, sheet_widths)
    return book
