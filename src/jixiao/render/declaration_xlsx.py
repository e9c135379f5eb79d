"""项目支出绩效目标申报表 as Excel: the national form to fill in offline and read back.

Sheet ``申报表`` prints like the Word form (A4 landscape, fitted to the page width, an indicator
table's headings repeated on each page).  A hidden column K keys each row (``ind:annual:3``) and a
hidden sheet ``_jixiao`` holds the declaration as written and the value written into each row's
cells, so ``ingest.readers.declaration_form`` reads back exactly what was written plus whatever
the unit changed.  Drop-down lists offer the allowed answers where the form has them: 项目属性
(新增 / 延续), 项目类型 (经常性 / 一次性), 性质 (≥ ≤ = 定性) and 指标值设定依据 (the five standards).
"""

from __future__ import annotations

import json
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.declaration import Declaration
from jixiao.findings import Finding
from jixiao.office import (
    CHUNK,
    DECLARATION_COLUMNS,
    DECLARATION_FORM_VERSION,
    DECLARATION_KEY_COLUMN,
    DECLARATION_MARKER,
    DECLARATION_SHEET,
    META_SHEET,
    NATURE_CHOICES,
    clean,
    declaration_shape,
    written_text,
)
from jixiao.render.declaration_view import FORM_TITLE, FormCell, FormRow, form_tables, note_text, year_line
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
from jixiao.vocabulary import ATTRIBUTE_NAMES, BASIS_KIND_NAMES, NOVELTY_NAMES

WIDTHS = (12, 14, 24, 8, 12, 10, 18, 12, 34)  # A–I, characters
TEXT_FORMAT = "@"  # value cells hold text as typed (95% stays "95%", 001 stays "001")


def _literal_list(values: list[str] | tuple[str, ...]) -> str:
    return '"' + ",".join(values) + '"'


def choices(title: str, values: list[str] | tuple[str, ...], *, strict: bool) -> DataValidation:
    """A drop-down list; ``strict`` refuses other answers, else Excel only warns."""
    return DataValidation(
        type="list",
        formula1=_literal_list(values),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=title,
        error=f"{title}请从下拉列表中选择：" + " / ".join(values),
        showInputMessage=True,
        promptTitle=title,
        prompt="请选择：" + " / ".join(values),
    )


class _Sheet:
    """Writes the form's rows and remembers what each keyed row holds."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 0
        self.rows: dict[str, int] = {}
        self.written: dict[str, list[str]] = {}

    def put(self, row: int, col: int, value: str | Decimal | None, *, head: bool, left: bool = False) -> None:
        cell = self.ws.cell(row, col)
        if isinstance(value, Decimal):
            cell.value = value
            exponent = value.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            cell.number_format = "0." + "0" * places if places else "0"
        else:
            cell.value = clean(value) or None
            if cell.value is not None:
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if not head:
                cell.number_format = TEXT_FORMAT
        cell.font = HEAD_FONT if head else BODY_FONT
        cell.alignment = LEFT if left else CENTER

    def line(self, form_row: FormRow) -> int:
        """Write one row of the form by its shape; returns its row number."""
        self.row += 1
        r = self.row
        shape = declaration_shape(form_row.key)
        assert shape is not None
        self.ws.cell(r, DECLARATION_KEY_COLUMN, form_row.key)
        self.rows[form_row.key] = r
        col = 1
        height = 1
        for (span, _), cell in zip(shape, form_row.cells, strict=True):
            if cell.vmerge != "continue":
                wide = cell.value and span > 1 and isinstance(cell.text, str) and form_row.key != "year"
                left = cell.left or wide
                self.put(r, col, cell.text, head=not cell.value, left=left)
            if form_row.key != "year":  # the year line under the title is not boxed
                for c in range(col, col + span):
                    self.ws.cell(r, c).border = BORDER
            if span > 1:
                merge_range(self.ws, r, col, r, col + span - 1)
            width = sum(WIDTHS[col - 1 : col - 1 + span])
            if isinstance(cell.text, str):
                height = max(height, text_lines(cell.text, width))
            col += span
        self.ws.row_dimensions[r].height = row_height(height)
        if not form_row.heading:
            self.written[form_row.key] = [written_text(c.text) for c in form_row.cells if c.value]
        return r


def _vertical_merges(sheet: _Sheet, rows: list[FormRow]) -> None:
    """Merge each label that runs down several rows (项目资金, 支出明细, 总体目标) over its rows."""
    start: dict[int, int] = {}
    for form_row in rows:
        r = sheet.rows[form_row.key]
        shape = declaration_shape(form_row.key)
        assert shape is not None
        col = 1
        for (span, _), cell in zip(shape, form_row.cells, strict=True):
            if cell.vmerge == "restart":
                start[col] = r
            elif cell.vmerge == "continue" and col in start:
                _remerge(sheet.ws, start[col], col, r, col + span - 1)
            col += span


def _remerge(ws: Worksheet, top: int, left: int, bottom: int, right: int) -> None:
    """Merge a block that grows downwards: drop the merges inside it first (Excel refuses overlaps)."""
    for rng in list(ws.merged_cells.ranges):
        inside = top <= rng.min_row and rng.max_row <= bottom and left <= rng.min_col and rng.max_col <= right
        if inside:
            ws.merged_cells.remove(rng)
    merge_range(ws, top, left, bottom, right)


def _validations(sheet: _Sheet, declaration: Declaration) -> None:
    ws = sheet.ws
    novelty = choices("项目属性", list(NOVELTY_NAMES.values()), strict=False)
    attribute = choices("项目类型", list(ATTRIBUTE_NAMES.values()), strict=False)
    nature = choices("性质", NATURE_CHOICES, strict=False)
    basis = choices("指标值设定依据", list(BASIS_KIND_NAMES.values()), strict=False)
    amounts = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="应填数字",
        error=f"此处应填写不小于 0 的数字（金额单位{declaration.funds.unit}）",
    )
    for validation in (novelty, attribute, nature, basis, amounts):
        ws.add_data_validation(validation)
    novelty.add(f"C{sheet.rows['project.novelty']}")
    attribute.add(f"H{sheet.rows['project.category']}")
    for key in [k for k in sheet.rows if k.startswith("fund:")]:
        amounts.add(f"E{sheet.rows[key]}")
        amounts.add(f"H{sheet.rows[key]}")
    for key, r in sheet.rows.items():
        if key.startswith("detail:"):
            amounts.add(f"E{r}")
        elif key.startswith("ind:"):
            nature.add(f"D{r}")
            basis.add(f"G{r}")


def _print_setup(ws: Worksheet, last: int, title_rows: str | None) -> None:
    """A4 landscape, fitted to the page width, an indicator table's headings on every page."""
    ws.print_area = f"A1:I{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    if title_rows is not None:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _meta(ws: Worksheet, declaration: Declaration, written: dict[str, list[str]]) -> None:
    ws.sheet_state = "hidden"
    ws["A1"] = DECLARATION_MARKER
    ws["B1"] = DECLARATION_FORM_VERSION
    for row, (name, text) in enumerate(
        (
            ("declaration", declaration.model_dump_json(exclude_none=True)),
            ("written", json.dumps(written, ensure_ascii=False)),
        ),
        start=2,
    ):
        ws.cell(row, 1, name)
        for n, start in enumerate(range(0, len(text), CHUNK), start=2):
            cell = ws.cell(row, n, text[start : start + CHUNK])
            cell.data_type = "s"


def build(declaration: Declaration, findings: list[Finding] | None = None) -> Workbook:
    """The 申报表 workbook: the form, the hidden read-back data, and the findings if given."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = DECLARATION_SHEET
    sheet = _Sheet(ws)
    sheet.row = 1
    sheet.put(1, 1, FORM_TITLE, head=True)
    ws.cell(1, 1).font = TITLE_FONT
    merge_range(ws, 1, 1, 1, DECLARATION_COLUMNS)
    ws.row_dimensions[1].height = 32
    sheet.line(FormRow("year", (FormCell(year_line(declaration), value=True),)))
    title_rows: str | None = None
    for rows in form_tables(declaration):
        for form_row in rows:
            sheet.line(form_row)
        _vertical_merges(sheet, rows)
        columns = [sheet.rows[row.key] for row in rows if row.key.startswith("ind.cols")]
        if columns and title_rows is None:  # every indicator table has the same column headings
            title_rows = f"{columns[0]}:{columns[0]}"
    sheet.row += 1
    note = sheet.row
    sheet.put(note, 1, note_text(declaration), head=False, left=True)
    ws.cell(note, 1).number_format = "General"
    ws.cell(note, DECLARATION_KEY_COLUMN, "note")
    merge_range(ws, note, 1, note, DECLARATION_COLUMNS)
    ws.row_dimensions[note].height = row_height(text_lines(note_text(declaration), sum(WIDTHS)))
    _validations(sheet, declaration)
    for n, width in enumerate(WIDTHS):
        ws.column_dimensions["ABCDEFGHI"[n]].width = width
    ws.column_dimensions["K"].hidden = True
    _print_setup(ws, note, title_rows)
    if findings is not None:
        from jixiao.render.review_xlsx import findings_sheet

        findings_sheet(workbook, findings)
    _meta(workbook.create_sheet(META_SHEET), declaration, sheet.written)
    return workbook
