"""What the 项目支出绩效目标申报表 prints, row by row: the one view the Word and Excel forms share.

Each row has its key and shape (``jixiao.office.DECLARATION_SHAPES``) and one cell per shape cell:
a printed label or the value the unit fills in.  Nothing is computed: amounts, targets and
texts print as the declaration holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jixiao.declaration import Declaration, Period, TargetIndicator, TargetSet
from jixiao.model import Comparison, Figure, IndicatorType
from jixiao.office import QUALITATIVE_MARK, TARGET_COLUMNS, declaration_shape
from jixiao.render.docx_tables import vertical_runs
from jixiao.render.text import plain
from jixiao.vocabulary import ATTRIBUTE_NAMES, BASIS_KIND_NAMES, NOVELTY_NAMES, PERIOD_NAMES

FORM_TITLE = "项目支出绩效目标申报表"
# How the 性质 column prints each comparison of the model.
COMPARISON_SIGNS = {
    Comparison.ge: "≥",
    Comparison.le: "≤",
    Comparison.eq: "=",
    Comparison.gt: ">",
    Comparison.lt: "<",
    Comparison.range: "区间",
}
NOTE = (
    "填表说明：金额单位{unit}；总体目标分条填写（1. 2. …）；每项指标填写性质（≥ ≤ = 或定性）、指标值、度量单位和"
    "指标值设定依据（计划标准、历史标准、行业标准、预算支出标准、其他标准），定性指标在指标解释中写明评判标准；"
    "需要时可插入行，请勿删除隐藏的列和工作表。"
)

LEFT_COLUMNS = (2, 8)  # 三级指标 and 指标解释 read as text, left-aligned
Merge = Literal["restart", "continue"] | None
Value = str | Decimal | None


@dataclass(frozen=True)
class FormCell:
    """One cell of a row: a printed label (``value`` False) or a value; a label may merge downwards."""

    text: Value
    value: bool = False
    vmerge: Merge = None
    left: bool = False  # left-aligned even in a narrow column (三级指标, 指标解释)


@dataclass(frozen=True)
class FormRow:
    """One row of the form: its key, its cells (one per shape cell) and whether it is a heading row."""

    key: str
    cells: tuple[FormCell, ...]
    heading: bool = False


def label(text: str, vmerge: Merge = None) -> FormCell:
    """A printed label."""
    return FormCell(text, vmerge=vmerge)


def value(text: Value) -> FormCell:
    """A value the unit fills in."""
    return FormCell(text, value=True)


def year_line(declaration: Declaration) -> str:
    """``（2025年度）``, or blanks to fill in when the year is not known."""
    return f"（{declaration.year}年度）" if declaration.year else "（    年度）"


def department_text(declaration: Declaration) -> str:
    """主管部门及代码: ``市教育局（101）``."""
    project = declaration.project
    name = project.department or ""
    return f"{name}（{project.department_code}）" if project.department_code else name


def period_text(declaration: Declaration) -> str:
    """项目期 in years (``3年``)."""
    return f"{declaration.period_years}年" if declaration.period_years else ""


def goals_text(target_set: TargetSet | None) -> str:
    """Goal sentences numbered as forms print them (one goal prints without a number)."""
    if target_set is None or not target_set.goals:
        return ""
    if len(target_set.goals) == 1:
        return target_set.goals[0]
    return "\n".join(f"{n}. {goal}" for n, goal in enumerate(target_set.goals, start=1))


def figure_text(figure: Figure | None) -> str:
    """A figure as printed (its value when it has no text)."""
    if figure is None:
        return ""
    return figure.text if figure.text is not None else plain(figure.value)


def nature_text(indicator: TargetIndicator) -> str:
    """The 性质 column: ≥ ≤ = as printed, 定性 for a qualitative indicator without a sign."""
    if indicator.comparison is not None:
        return COMPARISON_SIGNS[indicator.comparison]
    return QUALITATIVE_MARK if indicator.type is IndicatorType.qualitative else ""


def basis_text(indicator: TargetIndicator) -> str:
    """指标值设定依据: as printed, else the name of its kind."""
    if indicator.basis:
        return indicator.basis
    return BASIS_KIND_NAMES[indicator.basis_kind] if indicator.basis_kind else ""


def indicator_texts(indicator: TargetIndicator) -> tuple[str, ...]:
    """The nine cells of an indicator row (``office.TARGET_COLUMNS``)."""
    return (
        indicator.level1,
        indicator.level2 or "",
        indicator.name or "",
        nature_text(indicator),
        figure_text(indicator.target),
        indicator.unit or "",
        basis_text(indicator),
        figure_text(indicator.last_actual),
        indicator.explanation or "",
    )


def medium_heading(declaration: Declaration) -> str:
    """``中期目标（2025—2027年）`` when year and 项目期 are known."""
    if declaration.year and declaration.period_years:
        last = declaration.year + declaration.period_years - 1
        return f"{PERIOD_NAMES['medium']}（{declaration.year}—{last}年）"
    return PERIOD_NAMES["medium"]


def annual_heading(declaration: Declaration) -> str:
    """``年度目标（2025年）``."""
    name = PERIOD_NAMES["annual"]
    return f"{name}（{declaration.year}年）" if declaration.year else name


def section_title(period: Period) -> str:
    """The heading of an indicator table: 中期绩效指标 / 年度绩效指标."""
    return "中期绩效指标" if period is Period.medium else "年度绩效指标"


def header_rows(declaration: Declaration) -> list[FormRow]:
    """Project, funds, spending details and goals: the top of the form, as one table."""
    d = declaration
    funds = d.funds
    rows = [
        FormRow("project.name", (label("项目名称"), value(d.project.name))),
        FormRow(
            "project.department",
            (label("主管部门及代码"), value(department_text(d)), label("实施单位"), value(d.project.unit)),
        ),
        FormRow(
            "project.novelty",
            (
                label("项目属性"),
                value(NOVELTY_NAMES[d.novelty] if d.novelty else ""),
                label("项目期"),
                value(period_text(d)),
            ),
        ),
        FormRow(
            "project.category",
            (
                label("项目类别"),
                value(d.project.category),
                label("项目类型"),
                value(ATTRIBUTE_NAMES[d.project.attribute] if d.project.attribute else ""),
            ),
        ),
        FormRow("basis", (label("立项依据"), value(d.basis))),
        FormRow(
            "fund:total",
            (
                label(f"项目资金\n（{funds.unit}）", "restart"),
                label("中期资金总额"),
                value(funds.medium_total),
                label("年度资金总额"),
                value(funds.annual_total),
            ),
        ),
    ]
    lines = [
        ("fund:appropriation", "其中：财政拨款", funds.medium_appropriation, funds.appropriation),
        ("fund:other", "其他资金", funds.medium_other, funds.other),
    ]
    if funds.carryover is not None or funds.medium_carryover is not None:
        lines.insert(1, ("fund:carryover", "上年结转资金", funds.medium_carryover, funds.carryover))
    for key, name, medium, annual in lines:
        rows.append(
            FormRow(key, (label("", "continue"), label(name), value(medium), label(name), value(annual)))
        )
    rows.append(
        FormRow(
            "fund:last",
            (
                label("", "continue"),
                label("上年度预算安排"),
                value(funds.last_budget),
                label("上年度实际执行"),
                value(funds.last_spent),
            ),
        )
    )
    rows.append(
        FormRow(
            "details.head",
            (
                label("支出明细\n与测算依据", "restart"),
                label("支出内容"),
                label(f"金额（{funds.unit}）"),
                label("测算依据"),
            ),
        )
    )
    for n, item in enumerate(funds.details):
        rows.append(
            FormRow(
                f"detail:{n}",
                (label("", "continue"), value(item.label), value(item.amount), value(item.basis)),
            )
        )
    if not funds.details:
        rows.append(FormRow("detail:new", (label("", "continue"), value(""), value(""), value(""))))
    rows.append(FormRow("estimate", (label("", "continue"), label("测算说明"), value(funds.estimate))))
    rows.append(
        FormRow(
            "goals.head",
            (label("总体目标", "restart"), label(medium_heading(d)), label(annual_heading(d))),
        )
    )
    rows.append(
        FormRow("goals", (label("", "continue"), value(goals_text(d.medium)), value(goals_text(d.annual))))
    )
    return rows


def indicator_rows(target_set: TargetSet) -> list[FormRow]:
    """One indicator table: its title, the column headings, a row per indicator (one blank row if none)."""
    period = target_set.period.value
    rows = [
        FormRow(f"ind.head:{period}", (label(section_title(target_set.period)),), heading=True),
        FormRow(f"ind.cols:{period}", tuple(label(t) for t in TARGET_COLUMNS), heading=True),
    ]
    texts = [indicator_texts(indicator) for indicator in target_set.indicators]
    # Equal neighbouring 一级 (and, under one 一级, 二级) cells merge downwards, as forms print them.
    level1 = vertical_runs([t[0] for t in texts])
    level2 = vertical_runs([f"{t[0]}\x00{t[1]}" if t[1] else "" for t in texts])
    for n, row in enumerate(texts):
        cells = [value(t) for t in row]
        for column in LEFT_COLUMNS:
            cells[column] = FormCell(row[column], value=True, left=True)
        cells[0] = FormCell(row[0], value=True, vmerge=level1[n])
        cells[1] = FormCell(row[1], value=True, vmerge=level2[n])
        rows.append(FormRow(f"ind:{period}:{n}", tuple(cells)))
    if not target_set.indicators:
        rows.append(FormRow(f"ind:{period}:new", tuple(value("") for _ in TARGET_COLUMNS)))
    return rows


def form_tables(declaration: Declaration) -> list[list[FormRow]]:
    """The form as tables: the header part, then an indicator table per target set (中期 first)."""
    tables = [header_rows(declaration)]
    tables += [indicator_rows(s) for s in declaration.target_sets()]
    for table in tables:
        for row in table:
            shape = declaration_shape(row.key)
            assert shape is not None and len(shape) == len(row.cells), row.key
    return tables


def note_text(declaration: Declaration) -> str:
    """The 填表说明 under the form."""
    return NOTE.format(unit=declaration.funds.unit)
