"""项目支出绩效自评表 as Excel: the official form on sheet 1, computed scores on sheet 2.

The form is also the offline input: a hidden sheet ``_jixiao`` holds the evaluation as JSON, the
value written into each form cell and the cells that hold formulas, and a hidden column I keys each
row (``ind:3``), so ``ingest.readers.form.read_form`` reads back exactly what was written plus
whatever the unit changed.

Given the scoring policy, the form works offline like a real form: 执行率, the score of a ratio
line whose target and actual are plain numbers, the 一级指标 subtotals (on 评分说明), 总分 and
评价等级 are live formulas that follow the policy's rules, and qualitative answers are a drop-down.
A cell that holds a claim (a score, a rate or a total the unit reported) holds that value instead:
claims are inputs, formulas are outputs, and jixiao recomputes every output on import.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.findings import Finding
from jixiao.model import Direction, Evaluation, Figure, Indicator, RatioRule
from jixiao.numbers import bare_number
from jixiao.office import (
    CHUNK,
    FORM_SHEET,
    FORM_VERSION,
    FORMULA_CELLS,
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
from jixiao.render.view import (
    EXECUTION_LEVEL,
    FUND_COLUMNS,
    INDICATOR_COLUMNS,
    SelfTableView,
    build_view,
    merge_runs,
)
from jixiao.scoring.result import ScoreResult
from jixiao.serialize import exact_json
from jixiao.vocabulary import QUALITATIVE_ANSWERS

WIDTHS = {"A": 12, "B": 18, "C": 26, "D": 16, "E": 16, "F": 8, "G": 8, "H": 36}

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_FONT = Font(name="仿宋_GB2312", size=11, charset=134)
HEAD_FONT = Font(name="黑体", size=11, charset=134)
TITLE_FONT = Font(name="方正小标宋简体", size=18, charset=134)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
SCORE_FORMAT = "0.00"
RATE_FORMAT = "0.00%"

# Columns of the funds stages on the form; a stage not printed here (实际到位) cannot be a formula input.
STAGE_COLUMNS = {"budget": "C", "budget_adjusted": "D", "spent": "E"}
# Excel's rounding for each rounding mode a policy may name (ROUND rounds halves away from zero).
ROUNDING_FUNCTIONS = {"ROUND_HALF_UP": "ROUND", "ROUND_DOWN": "ROUNDDOWN"}


class _Grade(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def min(self) -> Decimal: ...


class _Rounding(Protocol):
    @property
    def places(self) -> int: ...
    @property
    def mode(self) -> str: ...


class _Ratio(Protocol):
    @property
    def lower(self) -> str: ...
    @property
    def equal(self) -> str: ...


class _RateFormula(Protocol):
    @property
    def numerator(self) -> str: ...
    @property
    def denominator(self) -> Sequence[str]: ...


class FormPolicy(Protocol):
    """What the form's formulas take from a scoring policy (``jixiao.policies.Policy`` has it all)."""

    @property
    def grades(self) -> Sequence[_Grade]: ...
    @property
    def rounding(self) -> _Rounding: ...
    @property
    def ratio(self) -> _Ratio: ...
    @property
    def execution(self) -> _RateFormula: ...


def _literal(text: str) -> str:
    """A text as a string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


def _constant(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Formulas:
    """The policy's rules written as spreadsheet formulas (Excel and LibreOffice both compute them).

    Each mirrors a computation of ``jixiao.scoring`` on the cells the form shows, so a form
    recalculated offline shows the totals ``jixiao score`` gives for what it holds.
    """

    places: int
    rounding: str
    grades: tuple[tuple[str, Decimal], ...]
    lower: str
    equal: str
    numerator: str
    denominator: tuple[str, ...]

    @classmethod
    def of(cls, policy: FormPolicy | None) -> Formulas | None:
        """The formulas of a policy; None without one, or when a spreadsheet cannot round as it does."""
        if policy is None or policy.rounding.mode not in ROUNDING_FUNCTIONS:
            return None
        return cls(
            places=policy.rounding.places,
            rounding=ROUNDING_FUNCTIONS[policy.rounding.mode],
            grades=tuple((grade.name, grade.min) for grade in policy.grades),
            lower=policy.ratio.lower,
            equal=policy.ratio.equal,
            numerator=policy.execution.numerator,
            denominator=tuple(policy.execution.denominator),
        )

    def round(self, expression: str) -> str:
        return f"{self.rounding}({expression},{self.places})"

    def share(self, direction: Direction, target: str, actual: str) -> str:
        """Share of the weight earned by ``actual`` against ``target`` (scoring.rules.ratio.share_of)."""
        t, a = target, actual
        higher = f"IF({t}<=0,IF({a}>={t},1,0),MIN(1,MAX({a},0)/{t}))"
        if direction is Direction.lower:
            if self.lower == "inverse":
                return f"IF({a}<={t},1,IF({t}<=0,0,{t}/{a}))"
            if self.lower == "all-or-nothing":
                return f"IF({a}<={t},1,0)"
            return f"IF({a}<={t},1,IF({t}<=0,0,IF({a}>=2*{t},0,1-({a}-{t})/{t})))"
        if direction is Direction.equal:
            rest = f"IF(MAX({a},{t})>0,MIN({a},{t})/MAX({a},{t}),0)" if self.equal == "exact" else higher
            return f"IF({t}=0,IF({a}<=0,1,0),{rest})"
        return higher  # a plain number has no upper bound, so a range scores as 正向

    def ratio_score(self, row: int, direction: Direction, cap: Decimal | None) -> str:
        """An indicator row's score from its 年度指标值 (D), 实际完成值 (E) and 分值 (F)."""
        target, actual, weight = f"D{row}", f"E{row}", f"F{row}"
        share = self.share(direction, target, actual)
        if cap is not None:
            share = f"MIN({_constant(cap)},{share})"
        score = self.round(f"MAX(0,MIN({weight},{weight}*MAX(0,MIN(1,{share}))))")
        return f'IF(AND(ISNUMBER({weight}),ISNUMBER({target}),ISNUMBER({actual})),{score},"")'

    def grade(self, total: str) -> str:
        """The grade band of a total, rounded first (Policy.grade_of)."""
        rounded = self.round(total)
        expression = _literal(self.grades[-1][0])
        for name, minimum in reversed(self.grades[:-1]):
            expression = f"IF({rounded}>={_constant(minimum)},{_literal(name)},{expression})"
        return expression

    def execution_rate(self, funds: _FundRows) -> str | None:
        """全年执行数 / the first printed denominator, as a fraction (scoring.engine.funds_rate)."""
        numerator = funds.stage(self.numerator)
        if numerator is None:
            return None
        expression = '""'
        for stage in reversed(self.denominator):
            denominator = funds.stage(stage)
            if denominator is not None:
                expression = (
                    f"IF(AND(ISNUMBER({denominator}),N({denominator})>0),"
                    f"({numerator})/({denominator}),{expression})"
                )
        return f'IF(ISNUMBER({numerator}),{expression},"")'

    def execution_score(self, funds: _FundRows) -> str | None:
        """分值 × min(执行率, 1), bounded by the 分值 (the 预算执行率 row of scoring.engine)."""
        rate = self.execution_rate(funds)
        if rate is None:
            return None
        weight = f"F{funds.total}"
        score = self.round(f"MAX(0,MIN({weight},{weight}*MIN({rate},1)))")
        return f'IF(AND(ISNUMBER({weight}),ISNUMBER({rate})),{score},"")'


@dataclass(frozen=True)
class _FundRows:
    """Where the funds are on the form: the 年度资金总额 row and its source lines."""

    total: int
    first: int  # first source line (first > last: none)
    last: int
    counted: bool  # the lines are the evaluation's own (always read back), not rows offered blank

    def stage(self, stage: str) -> str | None:
        """A stage of the funds total: the total row, else the lines' sum when every line prints it
        (scoring.engine.stage_total); None for a stage the form does not show."""
        column = STAGE_COLUMNS.get(stage)
        if column is None:
            return None
        own = f"{column}{self.total}"
        if self.first > self.last:
            return f'IF(ISNUMBER({own}),{own},"")'
        cells = f"{column}{self.first}:{column}{self.last}"
        if self.counted:
            lines = str(self.last - self.first + 1)
        else:  # an offered row becomes a line when any amount is filled in
            rows = "+".join(f"ISNUMBER({c}{self.first}:{c}{self.last})" for c in STAGE_COLUMNS.values())
            lines = f"SUMPRODUCT(--(({rows})>0))"
        return f'IF(ISNUMBER({own}),{own},IF(AND({lines}>0,COUNT({cells})={lines}),SUM({cells}),""))'


@dataclass
class _Plan:
    """Which cells of the form are live formulas, and which take a drop-down of answers."""

    formulas: Formulas | None
    lines: dict[int, tuple[Direction, Decimal | None]] = field(default_factory=dict)  # index → ratio
    answers: set[int] = field(default_factory=set)  # qualitative indicators
    execution_rate: bool = False
    execution_score: bool = False
    total: bool = False
    grade: bool = False
    execution_row: bool = False  # the 年度资金总额 row's score counts in the total
    levels: list[tuple[str, list[int]]] = field(default_factory=list)  # 一级 name → indicator indexes


def _plain_or_blank(figure: Figure | None) -> bool:
    """True for a figure the unit has still to fill in, or one that is a number alone (``95``)."""
    if figure is None or (figure.value is None and not (figure.text or "").strip()):
        return True
    return _plain(figure)


def _plain(figure: Figure | None) -> bool:
    if figure is None or figure.value is None or figure.unit or figure.comparison or figure.upper:
        return False
    return figure.text is None or bare_number(figure.text) is not None


def _plain_direction(indicator: Indicator, rule: RatioRule | None) -> Direction:
    """The direction ``scoring.rules.ratio.direction_of`` gives figures with no comparison or unit."""
    if rule is not None and rule.direction is not None:
        return rule.direction
    if indicator.direction is not None:
        return indicator.direction
    if "成本" in (indicator.level2 or "") + (indicator.name or ""):
        return Direction.lower
    return Direction.higher


def _ratio_line(indicator: Indicator) -> tuple[Direction, Decimal | None] | None:
    """Direction and cap of a ratio indicator whose score the sheet can compute, else None."""
    rule = indicator.rule
    if indicator.claimed is not None:
        return None  # a claimed score is the unit's input
    if isinstance(rule, RatioRule):
        if rule.refs or rule.derive is not None:
            return None
        if not (_plain_or_blank(indicator.target) and _plain_or_blank(indicator.actual)):
            return None
    elif rule is not None or not (_plain(indicator.target) and _plain(indicator.actual)):
        return None
    direction = _plain_direction(indicator, rule)
    if direction is Direction.range:
        direction = Direction.higher
    return direction, rule.cap if rule is not None else None


def _has_available(evaluation: Evaluation) -> bool:
    funds = evaluation.funds
    return any(line.available is not None for line in [funds.total, *funds.lines])


def plan(evaluation: Evaluation, score: ScoreResult, formulas: Formulas | None) -> _Plan:
    """The live cells of an evaluation's form under a policy's formulas."""
    result = _Plan(formulas, answers={s.index for s in score.indicators if s.rule == "qualitative"})
    if formulas is None:
        return result
    ratio = {s.index for s in score.indicators if s.rule == "ratio"}
    for index, indicator in enumerate(evaluation.indicators):
        line = _ratio_line(indicator) if index in ratio else None
        if line is not None:
            result.lines[index] = line
    funds = evaluation.funds
    from_funds = next((lv for lv in score.levels if lv.name == EXECUTION_LEVEL and not lv.indicators), None)
    result.execution_row = from_funds is not None
    on_form = (
        formulas.numerator in STAGE_COLUMNS
        and any(stage in STAGE_COLUMNS for stage in formulas.denominator)
        and not ("available" in formulas.denominator and _has_available(evaluation))
    )
    if from_funds is not None and on_form:
        result.execution_rate = funds.execution_rate is None or not funds.execution_rate.text
        result.execution_score = funds.execution_claimed is None
    result.levels = [(level.name, level.indicators) for level in score.levels if level.indicators]
    result.total = (
        evaluation.claims.total is None
        and bool(score.levels)
        and all(level.indicators or level is from_funds for level in score.levels)
    )
    result.grade = result.total and not evaluation.claims.grade
    return result


class _Form:
    """Writes cells of the form and remembers what each keyed cell holds."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 0
        self.written: dict[str, dict[str, str]] = {}
        self.formulas: dict[str, list[str]] = {}
        self.rows: dict[str, int] = {}
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
        self.rows[key] = self.row
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

    def formula(self, row: int, col: int, expression: str, *, key: str, number_format: str = "") -> None:
        """A live cell: an output the reader leaves to jixiao's own computation."""
        cell = self.ws.cell(row, col)
        cell.value = f"={expression}"
        if number_format:
            cell.number_format = number_format
        self._style(cell, False, False, bordered=False)
        self.kinds[(row, col)] = (False, False)
        self.written.get(key, {}).pop(cell.column_letter, None)  # whatever is typed here is new
        self.formulas.setdefault(key, []).append(cell.column_letter)

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


def _form(ws: Worksheet, view: SelfTableView, evaluation: Evaluation, live: _Plan) -> _Form:
    f = _Form(ws)
    formulas = live.formulas
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
    total_row = head + 1
    funds = _FundRows(total_row, total_row + 1, f.row, counted=bool(evaluation.funds.lines))
    rate = formulas.execution_rate(funds) if formulas else None
    if live.execution_rate and rate is not None:
        f.formula(total_row, 7, rate, key="fund:total", number_format=RATE_FORMAT)
    execution = formulas.execution_score(funds) if formulas else None
    if live.execution_score and execution is not None:
        f.formula(total_row, 8, execution, key="fund:total", number_format=SCORE_FORMAT)
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
    answers: list[str] = []
    for index, ind in enumerate(view.indicators):
        r = f.next_row(ind.key)
        values: list[Any] = [ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight, ind.score]
        ratio = live.lines.get(index)
        if ratio is not None:  # plain numbers, so the score formula can read them
            indicator = evaluation.indicators[index]
            values[3], values[4] = (
                figure.value if figure is not None else None
                for figure in (indicator.target, indicator.actual)
            )
        for col, value in enumerate(values, start=1):
            f.put(r, col, value, left=col == 3, key=ind.key)
        if ratio is not None and formulas is not None:
            f.formula(r, 7, formulas.ratio_score(r, *ratio), key=ind.key, number_format=SCORE_FORMAT)
        if index in live.answers:
            answers.append(f"E{r}")
        f.put(r, 8, ind.deviation, left=True, key=ind.key)
        texts = zip(
            "ABCDEH", (ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.deviation), strict=True
        )
        ws.row_dimensions[r].height = row_height(max(text_lines(t, WIDTHS[c]) for c, t in texts))
        f.box(r, 1, r, 8, merge=False)
    if not view.indicators:
        r = f.next_row("")
        f.box(r, 1, r, 8, merge=False)
    last = f.row
    level1 = [ind.level1 for ind in view.indicators]
    level2 = [f"{ind.level1}\x00{ind.level2}" if ind.level2 else "" for ind in view.indicators]
    for col, values in ((1, level1), (2, level2)):
        for start, end in merge_runs(values):
            merge_range(ws, first + start, col, first + end, col)

    numbers.add(f"F{first}:G{last}")
    if answers:
        choices = DataValidation(
            type="list",
            formula1=_literal(",".join(QUALITATIVE_ANSWERS.values())),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="定性指标",
            error="定性指标的实际完成值请从下拉列表中选择，其他写法可能无法评分。",
            showInputMessage=True,
            promptTitle="定性指标",
            prompt="请选择：" + " / ".join(QUALITATIVE_ANSWERS.values()),
        )
        ws.add_data_validation(choices)
        for cell in answers:
            choices.add(cell)
    r = f.next_row("total")
    f.put(r, 1, "总分", head=True)
    f.box(r, 1, r, 5)
    f.put(r, 6, view.total_weight, key="total")
    f.put(r, 7, view.total_score, key="total")
    f.put(r, 8, f"评价等级：{view.grade}" if view.grade else "", key="total")
    if live.total and formulas is not None:
        execution_row = total_row if live.execution_row else None
        total = _total(formulas, first, last, execution_row)
        f.formula(r, 7, total, key="total", number_format=SCORE_FORMAT)
    if live.grade and formulas is not None:
        grade = formulas.grade(f"G{r}")
        f.formula(r, 8, f'IF(ISNUMBER(G{r}),"评价等级："&{grade},"")', key="total")
    f.box(r, 6, r, 8, merge=False)
    r = f.next_row("note")
    note = "填表说明：年度指标值写明方向和单位（如“≥50个”“≤90万元”“=100%”）；金额单位万元；得分保留两位小数。"
    if formulas is not None:
        note += "执行率、总分、评价等级和年度指标值、实际完成值都填数字的定量指标得分自动计算；定性指标从下拉列表选择完成情况。"
    f.put(r, 1, note, left=True)
    merge_range(ws, r, 1, r, 8)
    ws.row_dimensions[r].height = 30 if formulas is None else 45
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["I"].hidden = True
    _print_setup(ws, f"A1:H{f.row}", f.rows["ind.head"])
    return f


def _total(formulas: Formulas, first: int, last: int, execution_row: int | None) -> str:
    """总分: the indicator scores plus the 年度资金总额 row's; blank while a weighted row has no score
    (jixiao has no total then either)."""
    weights, scores = f"F{first}:F{last}", f"G{first}:G{last}"
    missing = f"SUMPRODUCT(ISNUMBER({weights})*NOT(ISNUMBER({scores})))"
    total = f"SUMPRODUCT(ISNUMBER({weights})*ISNUMBER({scores}),{scores})"
    if execution_row is not None:
        weight, score = f"F{execution_row}", f"H{execution_row}"
        missing += f"+ISNUMBER({weight})*NOT(ISNUMBER({score}))"
        total += f"+IF(AND(ISNUMBER({weight}),ISNUMBER({score})),{score},0)"
    return f'IF({missing}>0,"",{formulas.round(total)})'


def _print_setup(ws: Worksheet, area: str, title_row: int | None) -> None:
    """A4 landscape, fitted to the page width, the table header repeated on every page."""
    ws.print_area = area
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _live_levels(ws: Worksheet, styler: _Form, start: int, form: _Form, live: _Plan) -> int:
    """The 一级指标 subtotals of the form's 得分 column as formulas; returns the next free row."""
    formulas = live.formulas
    if formulas is None or not live.levels:
        return start
    sheet = f"'{FORM_SHEET}'!"
    rows: list[tuple[str, str, str]] = []  # name, weight, score
    for name, indexes in live.levels:
        runs = _runs(sorted(form.rows[f"ind:{i}"] for i in indexes if f"ind:{i}" in form.rows))
        if not runs:
            continue
        ranges = [(f"{sheet}F{a}:F{b}", f"{sheet}G{a}:G{b}") for a, b in runs]
        weight = "SUM(" + ",".join(w for w, _ in ranges) + ")"
        missing = "+".join(f"SUMPRODUCT(ISNUMBER({w})*NOT(ISNUMBER({g})))" for w, g in ranges)
        total = "+".join(f"SUMPRODUCT(ISNUMBER({w})*ISNUMBER({g}),{g})" for w, g in ranges)
        rows.append((name, weight, f'IF({missing}>0,"",{formulas.round(total)})'))
    if live.execution_row:
        fund = form.rows["fund:total"]
        rows.append((EXECUTION_LEVEL, f"{sheet}F{fund}", f'IF(ISNUMBER({sheet}H{fund}),{sheet}H{fund},"")'))
    title = ws.cell(start, 1, "一级指标小计（按自评表的分值和得分自动计算）")
    styler._style(title, True, True, bordered=False)
    merge_range(ws, start, 1, start, 8)
    header = start + 1
    for col, text in enumerate(("一级指标", "分值", "得分", "得分率"), start=1):
        styler._style(ws.cell(header, col, text), True, False, bordered=True)
    first, end = header + 1, header + len(rows)
    total = formulas.round(f"SUM(C{first}:C{end})")
    rows.append(("合计", f"SUM(B{first}:B{end})", f'IF(COUNT(C{first}:C{end})<{len(rows)},"",{total})'))
    for row, (name, weight, score) in enumerate(rows, start=first):
        cells = [
            ws.cell(row, 1, name),
            ws.cell(row, 2, f"={weight}"),
            ws.cell(row, 3, f"={score}"),
            ws.cell(row, 4, f'=IF(AND(ISNUMBER(C{row}),N(B{row})>0),C{row}/B{row},"")'),
        ]
        cells[0].data_type = "s"
        for cell, number_format in zip(cells, ("General", "General", SCORE_FORMAT, RATE_FORMAT), strict=True):
            cell.number_format = number_format
            styler._style(cell, False, False, bordered=True)
    return first + len(rows) + 1


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) ranges."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _score_sheet(
    ws: Worksheet,
    evaluation: Evaluation,
    score: ScoreResult,
    findings: list[Finding] | None,
    form: _Form,
    live: _Plan,
) -> None:
    styler = _Form(ws)
    cell = ws.cell(1, 1, clean(grade_line(score, evaluation.claims.grade)))
    cell.data_type = "s"
    styler._style(cell, False, True, bordered=False)
    merge_range(ws, 1, 1, 1, 8)
    start = _live_levels(ws, styler, 3, form, live)
    rows: list[tuple[list[str], bool]] = []
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
    # The heading of the long indicator table repeats on every page (else the 一级 table's).
    headings = [r for r, (values, head) in enumerate(rows, start=start) if head and len(values) > 1]
    indicator_heading = [
        r for r, (values, _) in enumerate(rows, start=start) if values == list(indicator_columns(score))
    ]
    title_row = next(iter(indicator_heading or headings), None)
    for r, (values, head) in enumerate(rows, start=start):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, clean(value) or None)
            cell.data_type = "s"
            styler._style(cell, head, len(value) > 12 or len(values) == 1, bordered=len(values) > 1)
        if len(values) == 1:  # a line of text across the page, not a narrow first column
            merge_range(ws, r, 1, r, 8)
    for letter, width in zip("ABCDEFGH", (10, 14, 16, 26, 10, 10, 10, 60), strict=True):
        ws.column_dimensions[letter].width = width
    _print_setup(ws, f"A1:{get_column_letter(max(ws.max_column, 1))}{ws.max_row}", title_row)


def _meta(ws: Worksheet, evaluation: Evaluation, form: _Form) -> None:
    ws.sheet_state = "hidden"
    ws["A1"] = MARKER
    ws["B1"] = FORM_VERSION
    for row, (name, text) in enumerate(
        (
            ("evaluation", exact_json(evaluation)),
            ("written", json.dumps(form.written, ensure_ascii=False)),
            (FORMULA_CELLS, json.dumps(form.formulas, ensure_ascii=False)),
        ),
        start=2,
    ):
        ws.cell(row, 1, name)
        for n, start in enumerate(range(0, len(text), CHUNK), start=2):
            cell = ws.cell(row, n, text[start : start + CHUNK])
            cell.data_type = "s"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def build(
    evaluation: Evaluation,
    score: ScoreResult,
    findings: list[Finding] | None = None,
    *,
    policy: FormPolicy | None = None,
) -> Workbook:
    """The 自评表 workbook: the official form, a 评分说明 sheet and the hidden read-back data.

    With the scoring ``policy`` the form's derived cells are live formulas of its rules; without
    it every cell holds the value ``score`` gives.
    """
    workbook = Workbook()
    form_sheet = workbook.active
    assert form_sheet is not None
    form_sheet.title = FORM_SHEET
    live = plan(evaluation, score, Formulas.of(policy))
    form = _form(form_sheet, build_view(evaluation, score), evaluation, live)
    _score_sheet(workbook.create_sheet(SCORE_SHEET), evaluation, score, findings, form, live)
    _meta(workbook.create_sheet(META_SHEET), evaluation, form)
    return workbook
