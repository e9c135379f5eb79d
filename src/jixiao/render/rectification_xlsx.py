"""The rectification ledger (整改台账) and the bureau's 结果应用 table as Excel.

The ledger sheet has every column of ``jixiao.results.sheet.COLUMNS`` (the import reads it back by
its headers), 逾期 items marked in the 是否逾期 column and filled red; the table of next year's
suggested adjustments has one row per project. Nothing is computed here: the items, suggestions
and the day 逾期 is judged on are given.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.rectification import RectificationItem, Suggestion
from jixiao.render.selftable_xlsx import BODY_FONT, BORDER, CENTER, HEAD_FONT, LEFT, TITLE_FONT
from jixiao.results.sheet import COLUMNS, OVERDUE_MARK, SHEET_TITLE, cell_values
from jixiao.results.suggest import TABLE_HEADERS, table_rows
from jixiao.vocabulary import ITEM_STATUS_NAMES, ORIGIN_NAMES, SEVERITY_NAMES

OVERDUE_FILL = PatternFill("solid", fgColor="F4CCCC")
LEDGER_WIDTHS = {
    "id": 14, "project": 24, "year": 8, "problem": 40, "origin": 10, "category": 10, "severity": 10,
    "finding_code": 18, "evidence": 28, "requirement": 32, "measures": 28, "unit": 18, "person": 10,
    "deadline": 12, "status": 12, "overdue": 10, "progress": 30, "progress_evidence": 24,
    "confirmed_by": 10, "confirmed_on": 12,
}  # fmt: skip
SUGGESTION_WIDTHS = (28, 20, 10, 8, 10, 14, 24, 12, 16, 48)
WIDE = {"problem", "evidence", "requirement", "measures", "progress", "progress_evidence"}
# Drop-down lists of the columns with fixed answers (the import reads these words back).
CHOICES = {
    "status": tuple(ITEM_STATUS_NAMES.values()),
    "origin": tuple(ORIGIN_NAMES.values()),
    "severity": tuple(SEVERITY_NAMES.values()),
}
SPARE_ROWS = 200  # rows below the items where the drop-downs still work (problems added by hand)


def _choices(sheet: Worksheet, last_row: int) -> None:
    for column, (role, header) in enumerate(COLUMNS, start=1):
        if role not in CHOICES:
            continue
        letter = get_column_letter(column)
        rule = DataValidation(type="list", formula1='"' + ",".join(CHOICES[role]) + '"', allow_blank=True)
        rule.error = f"{header}应从列表中选择：{'、'.join(CHOICES[role])}"
        rule.errorTitle = header
        sheet.add_data_validation(rule)
        rule.add(f"{letter}3:{letter}{last_row}")


def _title(sheet: Worksheet, title: str, columns: int) -> None:
    sheet.cell(row=1, column=1, value=title).font = TITLE_FONT
    sheet.cell(row=1, column=1).alignment = CENTER
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.row_dimensions[1].height = 32


def ledger_workbook(items: Sequence[RectificationItem], today: date, *, title: str = "") -> Workbook:
    """The ledger: a title row, the header row (frozen, filtered) and one row per item."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    _title(sheet, title or SHEET_TITLE, len(COLUMNS))
    for column, (role, header) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=column, value=header)
        cell.font, cell.alignment, cell.border = HEAD_FONT, CENTER, BORDER
        sheet.column_dimensions[get_column_letter(column)].width = LEDGER_WIDTHS[role]
    overdue_column = next(n for n, (role, _) in enumerate(COLUMNS) if role == "overdue")
    for row, item in enumerate(items, start=3):
        values = cell_values(item, today)
        late = values[overdue_column] == OVERDUE_MARK
        for column, ((role, _), value) in enumerate(zip(COLUMNS, values, strict=True), start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.font, cell.border = BODY_FONT, BORDER
            cell.alignment = LEFT if role in WIDE else CENTER
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if late:
                cell.fill = OVERDUE_FILL
    _choices(sheet, len(items) + 2 + SPARE_ROWS)
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{max(2, len(items) + 2)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    return workbook


def ledger_bytes(items: Sequence[RectificationItem], today: date, *, title: str = "") -> bytes:
    """The ledger workbook as xlsx bytes."""
    buffer = io.BytesIO()
    ledger_workbook(items, today, title=title).save(buffer)
    return buffer.getvalue()


def suggestions_bytes(
    suggestions: Sequence[Suggestion], units: dict[str, str | None] | None = None, *, title: str = ""
) -> bytes:
    """The bureau's table of next year's suggested adjustments per project as xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "结果应用"
    _title(sheet, title or "绩效评价结果应用 下一年度预算安排建议表", len(TABLE_HEADERS))
    for column, (header, width) in enumerate(zip(TABLE_HEADERS, SUGGESTION_WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=2, column=column, value=header)
        cell.font, cell.alignment, cell.border = HEAD_FONT, CENTER, BORDER
        sheet.column_dimensions[get_column_letter(column)].width = width
    numeric = {3, 5, 7, 8}  # 得分, 本年预算, 调整比例, 建议下年预算 (0-based)
    for row, values in enumerate(table_rows(suggestions, units), start=3):
        for column, value in enumerate(values, start=1):
            written: object = value
            if column - 1 in numeric and value:
                written = float(value)
            cell = sheet.cell(row=row, column=column, value=written)
            cell.font, cell.border = BODY_FONT, BORDER
            cell.alignment = LEFT if column in (1, 7, 10) else CENTER
    sheet.freeze_panes = "A3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
