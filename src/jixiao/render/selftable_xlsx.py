"""项目支出绩效自评表 as Excel: the official form on sheet 1, computed scores on sheet 2.

The form is also the offline input: a hidden sheet ``_jixiao`` holds the evaluation as JSON and
the value written into each form cell, and a hidden column I keys each row (``ind:3``), so
``ingest.readers.form.read_form`` reads back exactly what was written plus whatever the unit changed.
"""

from __future__ import annotations

import json
import math
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.office import (
    CHUNK,
    FORM_SHEET,
    FORM_VERSION,
    KEY_COLUMN,
    MARKER,
    META_SHEET,
    SCORE_SHEET,
    clean,
    written_text,
)
from jixiao.render.annex import COLUMNS as FINDING_COLUMNS
from jixiao.render.annex import finding_rows
from jixiao.render.score_tables import (
    LEVEL_COLUMNS,
    grade_line,
    indicator_columns,
    indicator_rows,
    level_rows,
)
from jixiao.render.view import FUND_COLUMNS, INDICATOR_COLUMNS, SelfTableView, build_view, merge_runs
from jixiao.scoring.result import ScoreResult
from jixiao.serialize import exact_json

WIDTHS = {"A": 12, "B": 18, "C": 26, "D": 16, "E": 16, "F": 8, "G": 8, "H": 36}

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_FONT = Font(name="仿宋_GB2312", size=11, charset=134)
HEAD_FONT = Font(name="黑体", size=11, charset=134)
TITLE_FONT = Font(name="方正小标宋简体", size=18, charset=134)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


class _Form:
    """Writes cells of the form and remembers what each keyed cell holds."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 0
        self.written: dict[str, dict[str, str]] = {}
        self.styles: dict[tuple[bool, bool, bool], Any] = {}
        self.kinds: dict[tuple[int, int], tuple[bool, bool]] = {}

    def _style(self, cell: Any, head: bool, left: bool, *, bordered: bool) -> None:
        """Apply font, alignment and border; style arrays are cached (openpyxl hashes styles slowly)."""
        key = (head, left, bordered)
        cached = self.styles.get(key)
        if cached is None:
            cell.font = HEAD_FONT if head else BODY_FONT
            cell.alignment = LEFT if left else CENTER
            if bordered:
                cell.border = BORDER
            self.styles[key] = copy(cell._style)
        else:
            previous = cell._style
            cell._style = copy(cached)
            if previous is not None:  # keep the cell's own number format
                cell._style.numFmtId = previous.numFmtId

    def next_row(self, key: str) -> int:
        self.row += 1
        self.ws.cell(self.row, KEY_COLUMN, key)
        return self.row

    def put(
        self, row: int, col: int, value: Any, *, head: bool = False, left: bool = False, key: str = ""
    ) -> None:
        cell = self.ws.cell(row, col)
        if isinstance(value, Decimal):
            cell.value = value
            exponent = value.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            cell.number_format = "0." + "0" * places if places else "0"
        elif value is None or value == "":
            cell.value = None
        else:
            cell.value = clean(value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
        self._style(cell, head, left, bordered=False)
        self.kinds[(row, col)] = (head, left)
        if key:
            self.written.setdefault(key, {})[cell.column_letter] = written_text(value)

    def box(self, top: int, left: int, bottom: int, right: int, *, merge: bool = True) -> None:
        for row in self.ws.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right):
            for cell in row:
                head, aligned_left = self.kinds.get((cell.row, cell.column), (False, False))
                self._style(cell, head, aligned_left, bordered=True)
        if merge and (top, left) != (bottom, right):
            merge_range(self.ws, top, left, bottom, right)


def merge_range(ws: Worksheet, top: int, left: int, bottom: int, right: int) -> None:
    """Merge a range keeping each cell's own style (borders already set).

    ``Worksheet.merge_cells`` re-applies borders through the slow style setters; this does the
    same bookkeeping (a merged range plus ``MergedCell`` placeholders) and copies the styles.
    """
    merged = MergedCellRange(ws, f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}")
    ws.merged_cells.add(merged)
    for row in range(top, bottom + 1):
        for col in range(left, right + 1):
            if (row, col) == (top, left):
                continue
            placeholder = MergedCell(ws, row, col)
            old = ws._cells.get((row, col))
            if old is not None:
                placeholder._style = copy(old._style)
            ws._cells[(row, col)] = placeholder


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a Chinese character counts 2)."""
    per_line = max(width - 1.5, 2)
    total = 0
    for line in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
        total += max(1, math.ceil(units / per_line))
    return total


def row_height(lines: int) -> float:
    """Row height in points for a number of text lines at 11 pt, capped at Excel's 409."""
    return min(15.0 * max(lines, 1) + 3, 409.0)


def _form(ws: Worksheet, view: SelfTableView) -> dict[str, dict[str, str]]:
    f = _Form(ws)
    r = f.next_row("title")
    f.put(r, 1, view.title)
    ws.cell(r, 1).font = TITLE_FONT
    merge_range(ws, r, 1, r, 8)
    ws.row_dimensions[r].height = 32
    r = f.next_row("year")
    f.put(r, 1, f"（{view.year}）", key="year")
    merge_range(ws, r, 1, r, 8)

    r = f.next_row("project.name")
    f.put(r, 1, "项目名称", head=True)
    f.box(r, 1, r, 2)
    f.put(r, 3, view.name, key="project.name")
    f.box(r, 3, r, 8)
    r = f.next_row("project.department")
    f.put(r, 1, "主管部门", head=True)
    f.box(r, 1, r, 2)
    f.put(r, 3, view.department, key="project.department")
    f.box(r, 3, r, 4)
    f.put(r, 5, "实施单位", head=True)
    f.box(r, 5, r, 6)
    f.put(r, 7, view.unit, key="project.department")
    f.box(r, 7, r, 8)

    head = f.next_row("funds.head")
    f.put(head, 1, "项目资金\n（万元）", head=True)
    f.put(head, 2, "", head=True)
    for col, title in enumerate(FUND_COLUMNS, start=3):
        f.put(head, col, title, head=True)
    for fund in view.funds:
        r = f.next_row(fund.key)
        f.put(r, 2, fund.label, left=True, key=fund.key)
        ws.row_dimensions[r].height = row_height(text_lines(fund.label, WIDTHS["B"]))
        for col, value in ((3, fund.budget), (4, fund.budget_adjusted), (5, fund.spent)):
            f.put(r, col, value, key=fund.key)
        if fund.key == "fund:total":
            f.put(r, 6, fund.weight, key=fund.key)
            f.put(r, 7, fund.rate, key=fund.key)
            f.put(r, 8, fund.score, key=fund.key)
        else:
            for col in (6, 7, 8):
                f.put(r, col, "—")
    f.box(head, 1, f.row, 1)
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="应填数字",
        error="此处应填写不小于 0 的数字（金额单位万元，得分保留两位小数）",
    )
    ws.add_data_validation(numbers)
    numbers.add(f"C{head + 1}:F{f.row}")
    f.box(head, 2, f.row, 8, merge=False)

    r = f.next_row("goals.head")
    f.put(r, 1, "年度\n总体目标", head=True)
    f.put(r, 2, "预期目标", head=True)
    f.put(r, 6, "实际完成情况", head=True)
    f.box(r, 2, r, 5)
    f.box(r, 6, r, 8)
    g = f.next_row("goals")
    f.put(g, 2, view.goal_expected, left=True, key="goals")
    f.put(g, 6, view.goal_achieved, left=True, key="goals")
    f.box(g, 2, g, 5)
    f.box(g, 6, g, 8)
    f.box(r, 1, g, 1)
    goal_lines = max(
        text_lines(view.goal_expected, sum(WIDTHS[c] for c in "BCDE")),
        text_lines(view.goal_achieved, sum(WIDTHS[c] for c in "FGH")),
    )
    ws.row_dimensions[g].height = row_height(max(goal_lines, 3))

    r = f.next_row("ind.head")
    for col, title in enumerate(INDICATOR_COLUMNS, start=1):
        f.put(r, col, title, head=True)
    f.box(r, 1, r, 8, merge=False)
    first = r + 1
    for ind in view.indicators:
        r = f.next_row(ind.key)
        values: list[Any] = [ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight, ind.score]
        for col, value in enumerate(values, start=1):
            f.put(r, col, value, left=col == 3, key=ind.key)
        f.put(r, 8, ind.deviation, left=True, key=ind.key)
        texts = zip(
            "ABCDEH", (ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.deviation), strict=True
        )
        ws.row_dimensions[r].height = row_height(max(text_lines(t, WIDTHS[c]) for c, t in texts))
        f.box(r, 1, r, 8, merge=False)
    if not view.indicators:
        r = f.next_row("")
        f.box(r, 1, r, 8, merge=False)
    level1 = [ind.level1 for ind in view.indicators]
    level2 = [f"{ind.level1}\x00{ind.level2}" if ind.level2 else "" for ind in view.indicators]
    for col, values in ((1, level1), (2, level2)):
        for start, end in merge_runs(values):
            merge_range(ws, first + start, col, first + end, col)

    numbers.add(f"F{first}:G{f.row}")
    r = f.next_row("total")
    f.put(r, 1, "总分", head=True)
    f.box(r, 1, r, 5)
    f.put(r, 6, view.total_weight, key="total")
    f.put(r, 7, view.total_score, key="total")
    f.put(r, 8, f"评价等级：{view.grade}" if view.grade else "", key="total")
    f.box(r, 6, r, 8, merge=False)
    r = f.next_row("note")
    f.put(
        r,
        1,
        "填表说明：年度指标值写明方向和单位（如“≥50个”“≤90万元”“=100%”）；金额单位万元；得分保留两位小数。",
        left=True,
    )
    merge_range(ws, r, 1, r, 8)
    ws.row_dimensions[r].height = 30
    _print_setup(ws, f.row)
    return f.written


def _print_setup(ws: Worksheet, last_row: int) -> None:
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["I"].hidden = True
    ws.print_area = f"A1:H{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _score_sheet(
    ws: Worksheet, evaluation: Evaluation, score: ScoreResult, findings: list[Finding] | None
) -> None:
    rows: list[tuple[list[str], bool]] = [([grade_line(score, evaluation.claims.grade)], False), ([], False)]
    if score.levels:
        rows += [(list(LEVEL_COLUMNS), True), *((r, False) for r in level_rows(score)), ([], False)]
    if score.indicators:
        rows += [
            (list(indicator_columns(score)), True),
            *((r, False) for r in indicator_rows(score)),
            ([], False),
        ]
    if findings is not None:
        rows += [
            (["复核意见"], True),
            (list(FINDING_COLUMNS), True),
            *((r, False) for r in finding_rows(findings)),
        ]
    styler = _Form(ws)
    for r, (values, head) in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, clean(value) or None)
            cell.data_type = "s"
            styler._style(cell, head, len(value) > 12 or len(values) == 1, bordered=len(values) > 1)
    for letter, width in zip("ABCDEFGH", (10, 14, 16, 26, 10, 10, 10, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _meta(ws: Worksheet, evaluation: Evaluation, written: dict[str, dict[str, str]]) -> None:
    ws.sheet_state = "hidden"
    ws["A1"] = MARKER
    ws["B1"] = FORM_VERSION
    for row, (name, text) in enumerate(
        (
            ("evaluation", exact_json(evaluation)),
            ("written", json.dumps(written, ensure_ascii=False)),
        ),
        start=2,
    ):
        ws.cell(row, 1, name)
        for n, start in enumerate(range(0, len(text), CHUNK), start=2):
            cell = ws.cell(row, n, text[start : start + CHUNK])
            cell.data_type = "s"


def build(evaluation: Evaluation, score: ScoreResult, findings: list[Finding] | None = None) -> Workbook:
    """The 自评表 workbook: the official form, a 评分说明 sheet and the hidden read-back data."""
    workbook = Workbook()
    form = workbook.active
    assert form is not None
    form.title = FORM_SHEET
    written = _form(form, build_view(evaluation, score))
    _score_sheet(workbook.create_sheet(SCORE_SHEET), evaluation, score, findings)
    _meta(workbook.create_sheet(META_SHEET), evaluation, written)
    return workbook
