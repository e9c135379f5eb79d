"""Read a 自评表 workbook written by jixiao back into its Evaluation (the offline form round trip).

The hidden ``_jixiao`` sheet holds the evaluation as written, the text of each keyed cell and the
cells jixiao wrote formulas into; a cell the unit left alone keeps the original value exactly, a
changed cell is parsed.  A formula jixiao wrote (执行率, a computed score, 总分, 评价等级) is an
output: whether a spreadsheet program has calculated it or not, it is never read as the unit's
input — jixiao recomputes it; a number the unit typed over it is a claim.  Rows the unit inserted
in the indicator or funds table become new indicators or fund lines; deleted rows are dropped.
Bad cells become findings that name the cell — never a traceback.
"""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from jixiao.findings import Finding, Severity, finding
from jixiao.loader import Loaded
from jixiao.model import Evaluation, Figure, FundLine, FundSource, Indicator, Source
from jixiao.numbers import parse_decimal
from jixiao.office import (
    FORM_SHEET,
    FORMULA_CELLS,
    KEY_COLUMN,
    MARKER,
    META_SHEET,
    standard_source,
    written_text,
)
from jixiao.serialize import from_exact_json
from jixiao.vocabulary import LABEL_TO_SOURCE


def is_jixiao_form(path: str | Path) -> bool:
    """True when ``path`` is an .xlsx 自评表 written by jixiao (it carries the hidden ``_jixiao`` sheet)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                return False
            if META_SHEET.encode() not in archive.read("xl/workbook.xml"):
                return False
        workbook = load_workbook(path, read_only=True)
        try:
            return META_SHEET in workbook.sheetnames and workbook[META_SHEET]["A1"].value == MARKER
        finally:
            workbook.close()
    except Exception:  # not a zip, not a workbook: simply not our form
        return False


class _Reader:
    def __init__(
        self,
        file: str,
        ws: Worksheet,
        written: dict[str, dict[str, str]],
        formulas: dict[str, list[str]],
    ) -> None:
        self.file = file
        self.ws = ws
        self.written = written
        self.formulas = formulas
        self.findings: list[Finding] = []
        self.merged: dict[tuple[int, int], tuple[int, int]] = {}
        self._calculated: Worksheet | None = None
        for rng in ws.merged_cells.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    self.merged[(row, col)] = (rng.min_row, rng.min_col)

    def _top(self, row: int, col: int) -> tuple[int, int]:
        return self.merged.get((row, col), (row, col))

    def _is_formula(self, row: int, col: int) -> bool:
        return bool(self.ws.cell(*self._top(row, col)).data_type == "f")

    def value(self, row: int, col: int) -> Any:
        """What the cell shows: its value, or for a formula the result the spreadsheet saved."""
        top = self._top(row, col)
        cell = self.ws.cell(*top)
        if cell.data_type != "f":
            return cell.value
        if self._calculated is None:  # only a formula the unit typed needs the saved results
            values: Workbook = load_workbook(self.file, data_only=True)
            self._calculated = values[FORM_SHEET]
        return self._calculated.cell(*top).value

    def changed(self, key: str, row: int, col: int) -> bool:
        """True when the unit put something new in the cell (a formula jixiao wrote is no input)."""
        letter = get_column_letter(col)
        if self._is_formula(row, col):
            if letter in self.formulas.get(key, []):
                return False  # an output: jixiao recomputes it
            if self.value(row, col) is None:
                self.findings.append(
                    finding(
                        "form.formula-not-calculated",
                        Severity.warning,
                        f"{FORM_SHEET}!{letter}{row} 的公式没有计算结果（请在 Excel 或 WPS 中打开、保存后再导入），"
                        "已保留原值",
                        source=Source(file=self.file, table=1, row=row, column=col),
                    )
                )
                return False
        before = self.written.get(key, {}).get(letter)
        return before is None or written_text(self.value(row, col)) != before

    def text(self, row: int, col: int) -> str | None:
        value = self.value(row, col)
        text = written_text(value)
        return text or None

    def figure_text(self, row: int, col: int) -> str | None:
        """A 年度指标值 / 实际完成值 as text; a number Excel shows in percent (95% is 0.95) keeps its %."""
        value = self.value(row, col)
        top = self.ws.cell(*self._top(row, col))
        if isinstance(value, int | float) and not isinstance(value, bool) and "%" in top.number_format:
            return f"{(Decimal(str(value)) * 100).normalize():f}%"
        return self.text(row, col)

    def number(self, row: int, col: int, what: str) -> Decimal | None:
        value = self.value(row, col)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return Decimal(str(value))
        parsed = parse_decimal(str(value))
        if parsed is None:
            cell = f"{get_column_letter(col)}{row}"
            self.findings.append(
                finding(
                    "form.not-a-number",
                    Severity.error,
                    f"{FORM_SHEET}!{cell}（{what}）应填数字，实际为“{value}”，已忽略该值",
                    source=Source(file=self.file, table=1, row=row, column=col, text=str(value)),
                    actual=str(value),
                )
            )
        return parsed


def read_form(path: str | Path) -> Loaded:
    """The evaluation held by a jixiao 自评表 (.xlsx), with the unit's edits; problems as findings."""
    name = str(path)
    try:
        workbook = load_workbook(path)  # formulas as written; their results only when needed
    except Exception as exc:
        del exc  # the library's own text is not for the user
        message = f"无法读取 Excel 文件“{Path(name).name}”：文件已损坏，或不是 Excel 工作簿（.xlsx）"
        return Loaded(name, None, [_error("form.unreadable", message, name)])
    if META_SHEET not in workbook.sheetnames or FORM_SHEET not in workbook.sheetnames:
        return Loaded(
            name,
            None,
            [_error("form.not-jixiao", f"{name} 不是 jixiao 生成的自评表（缺少 {META_SHEET} 工作表）", name)],
        )
    meta = workbook[META_SHEET]
    try:
        data = {
            str(row[0].value): "".join(str(c.value or "") for c in row[1:])
            for row in meta.iter_rows(min_row=2, max_row=4)
        }
        base = from_exact_json(data["evaluation"])
        written = json.loads(data["written"])
        formulas = json.loads(data.get(FORMULA_CELLS) or "{}")  # none in a version 1 form
    except (KeyError, ValueError, ValidationError) as exc:
        return Loaded(
            name,
            None,
            [_error("form.invalid", f"{name} 的隐藏数据（{META_SHEET}）已损坏：{str(exc)[:200]}", name)],
        )
    reader = _Reader(name, workbook[FORM_SHEET], written, formulas)
    try:
        evaluation = _apply(reader, base)
    except ValidationError as exc:
        reader.findings.append(_error("form.invalid", f"{name} 中填写的内容无效：{str(exc)[:300]}", name))
        return Loaded(name, None, reader.findings)
    return Loaded(name, evaluation, reader.findings)


def _error(code: str, message: str, file: str) -> Finding:
    return finding(code, Severity.error, message, source=Source(file=file))


def _apply(r: _Reader, base: Evaluation) -> Evaluation:
    evaluation = base.model_copy(deep=True)
    indicators: list[Indicator] = []
    lines: list[FundLine] = []
    section = ""
    for row in range(1, r.ws.max_row + 1):
        key = str(r.ws.cell(row, KEY_COLUMN).value or "")
        if key in ("funds.head", "ind.head"):
            section = key
            continue
        if key in ("goals.head", "total", "note"):
            section = ""
        if key == "year" and r.changed(key, row, 1):
            match = re.search(r"(\d{4})", r.text(row, 1) or "")
            evaluation.year = int(match.group(1)) if match else None
        elif key == "project.name" and r.changed(key, row, 3):
            evaluation.project.name = r.text(row, 3) or ""
        elif key == "project.department":
            if r.changed(key, row, 3):
                _department(evaluation, r.text(row, 3))
            if r.changed(key, row, 7):
                evaluation.project.unit = r.text(row, 7)
        elif key == "goals":
            if r.changed(key, row, 2):
                evaluation.goals.annual = r.text(row, 2)
            if r.changed(key, row, 6):
                evaluation.goals.achieved = r.text(row, 6)
        elif key == "total":
            if r.changed(key, row, 6):
                evaluation.claims.total_weight = r.number(row, 6, "总分 分值")
            if r.changed(key, row, 7):
                evaluation.claims.total = r.number(row, 7, "总分")
            if r.changed(key, row, 8):
                evaluation.claims.grade = (r.text(row, 8) or "").removeprefix("评价等级：").strip() or None
        elif section == "funds.head" and key == "fund:total":
            _fund(r, key, row, evaluation.funds.total)
            if r.changed(key, row, 6):
                evaluation.funds.execution_weight = r.number(row, 6, "分值")
            if r.changed(key, row, 7):
                evaluation.funds.execution_rate = _rate(r, row)
            if r.changed(key, row, 8):
                evaluation.funds.execution_claimed = r.number(row, 8, "得分")
        elif section == "funds.head":
            line = _fund_line(r, key, row, base)
            if line is not None:
                lines.append(line)
        elif section == "ind.head":
            indicator = _indicator(r, key, row, base)
            if indicator is not None:
                indicators.append(indicator)
    evaluation.funds.lines = lines
    evaluation.indicators = indicators
    return Evaluation.model_validate(evaluation.model_dump())


def _department(evaluation: Evaluation, text: str | None) -> None:
    match = re.fullmatch(r"(.*)（(\w+)）", text or "")
    if match:
        evaluation.project.department, evaluation.project.department_code = (
            match.group(1) or None,
            match.group(2),
        )
    else:
        evaluation.project.department, evaluation.project.department_code = text, None


def _rate(r: _Reader, row: int) -> Figure | None:
    value = r.value(row, 7)
    if isinstance(value, int | float) and "%" in r.ws.cell(row, 7).number_format:
        return Figure(text=f"{Decimal(str(value)) * 100:f}%")
    text = r.text(row, 7)
    return Figure(text=text) if text else None


def _fund(r: _Reader, key: str, row: int, line: FundLine) -> None:
    for col, stage in ((3, "budget"), (4, "budget_adjusted"), (5, "spent")):
        if r.changed(key, row, col):
            setattr(line, stage, r.number(row, col, {3: "年初预算数", 4: "全年预算数", 5: "全年执行数"}[col]))


def _fund_line(r: _Reader, key: str, row: int, base: Evaluation) -> FundLine | None:
    if key.startswith("fund:") and key[5:].isdigit() and int(key[5:]) < len(base.funds.lines):
        line = base.funds.lines[int(key[5:])].model_copy(deep=True)
        if r.changed(key, row, 2):
            line.label = (r.text(row, 2) or "").removeprefix("其中：") or None
        _fund(r, key, row, line)
        return line
    numbers = [r.number(row, col, "金额") for col in (3, 4, 5)]
    if all(n is None for n in numbers):
        return None  # an offered row left blank
    label = (r.text(row, 2) or "").removeprefix("其中：").strip()
    source = standard_source(key) or FundSource(LABEL_TO_SOURCE.get(label, FundSource.other.value))
    standard = label == "" or LABEL_TO_SOURCE.get(label) == source
    return FundLine(
        source=source,
        label=None if standard else label,
        budget=numbers[0],
        budget_adjusted=numbers[1],
        spent=numbers[2],
    )


def _indicator(r: _Reader, key: str, row: int, base: Evaluation) -> Indicator | None:
    index = int(key[4:]) if key.startswith("ind:") and key[4:].isdigit() else None
    if index is not None and index < len(base.indicators):
        ind = base.indicators[index].model_copy(deep=True)
    else:
        if all(r.text(row, col) is None for col in range(1, 9)):
            return None
        ind = Indicator(level1=r.text(row, 1) or "")
        key = ""
    for col, field in ((1, "level1"), (2, "level2"), (3, "name"), (8, "deviation_reason")):
        if r.changed(key, row, col):
            text = r.text(row, col)
            setattr(ind, field, text or "" if field == "level1" else text)
    for col, field in ((4, "target"), (5, "actual")):
        if r.changed(key, row, col):
            text = r.figure_text(row, col)
            setattr(ind, field, Figure(text=text) if text else None)
    if r.changed(key, row, 6):
        ind.weight = r.number(row, 6, "分值")
    if r.changed(key, row, 7):
        ind.claimed = r.number(row, 7, "得分")
    return ind
