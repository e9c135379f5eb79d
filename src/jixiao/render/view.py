"""What the 项目支出绩效自评表 shows, built once and drawn by the Word and Excel writers.

Every row carries a ``key`` (``fund:total``, ``fund:2``, ``ind:5``) so the Excel form can be read
back into the evaluation it came from (see ``ingest.readers.form``).  Figures are the evaluation's own
(printed precision kept); scores and rates come from the ``ScoreResult`` — never computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.model import Evaluation, FundLine
from jixiao.office import clean
from jixiao.render.text import STANDARD_FUND_ROWS, fund_label, percent_text, plain
from jixiao.scoring.result import ScoreResult

TITLE = "项目支出绩效自评表"
EXECUTION_LEVEL = "预算执行率"
FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
INDICATOR_COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


@dataclass
class FundRow:
    """One row of 项目资金（万元）."""

    key: str
    label: str
    budget: Decimal | None
    budget_adjusted: Decimal | None
    spent: Decimal | None
    weight: Decimal | None = None  # only the 年度资金总额 row
    rate: str = ""  # 执行率 as shown
    score: Decimal | None = None  # 得分 as shown


@dataclass
class IndicatorRow:
    """One row of the 绩效指标 table."""

    key: str
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None  # the claim when there is one, else the computed score
    deviation: str


@dataclass
class SelfTableView:
    """Everything the form prints."""

    title: str
    year: str
    name: str
    department: str
    unit: str
    funds: list[FundRow]
    goal_expected: str
    goal_achieved: str
    indicators: list[IndicatorRow]
    total_weight: Decimal | None
    total_score: Decimal | None
    grade: str
    notes: list[str] = field(default_factory=list)


def _fund_row(key: str, line: FundLine) -> FundRow:
    return FundRow(key, fund_label(line.source, line.label), line.budget, line.budget_adjusted, line.spent)


def _shown_score(claimed: Decimal | None, computed: Decimal | None) -> Decimal | None:
    return claimed if claimed is not None else computed


def build_view(evaluation: Evaluation, score: ScoreResult) -> SelfTableView:
    """The 自评表 of an evaluation: its own figures, with scores the unit claims or the rules compute."""
    funds = evaluation.funds
    total = _fund_row("fund:total", funds.total)
    total.label = "年度资金总额"
    total.weight = funds.execution_weight if funds.execution_weight is not None else Decimal(10)
    if funds.execution_rate is not None and funds.execution_rate.text:
        total.rate = clean(funds.execution_rate.text)
    else:
        total.rate = percent_text(score.execution_rate)
    # The engine reports the 预算执行率 row as a level of its own when the framework scores it.
    computed_execution = next((lv.computed for lv in score.levels if lv.name == EXECUTION_LEVEL), None)
    total.score = _shown_score(funds.execution_claimed, computed_execution)
    rows = [total]
    present = {line.source for line in funds.lines}
    for i, line in enumerate(funds.lines):
        row = _fund_row(f"fund:{i}", line)
        row.label = "其中：" + row.label if i == 0 else row.label
        rows.append(row)
    if not funds.lines:
        for n, source in enumerate(s for s in STANDARD_FUND_ROWS if s not in present):
            label = fund_label(source, None)
            rows.append(
                FundRow(f"fund:new:{source.value}", ("其中：" if n == 0 else "") + label, None, None, None)
            )

    by_index = {s.index: s for s in score.indicators}
    indicators: list[IndicatorRow] = []
    for i, ind in enumerate(evaluation.indicators):
        s = by_index.get(i)
        indicators.append(
            IndicatorRow(
                key=f"ind:{i}",
                level1=clean(ind.level1),
                level2=clean(ind.level2),
                name=clean(ind.name),
                target=clean(ind.target.text if ind.target and ind.target.text else _figure(ind.target)),
                actual=clean(ind.actual.text if ind.actual and ind.actual.text else _figure(ind.actual)),
                weight=ind.weight,
                score=_shown_score(ind.claimed, s.computed if s else None),
                deviation=clean(ind.deviation_reason),
            )
        )
    claims = evaluation.claims
    grade = claims.grade or score.claimed_grade or score.computed_grade or ""
    return SelfTableView(
        title=TITLE,
        year=f"{evaluation.year}年度" if evaluation.year else "    年度",
        name=clean(evaluation.project.name),
        department=_department(evaluation),
        unit=clean(evaluation.project.unit),
        funds=rows,
        goal_expected=clean(evaluation.goals.annual or evaluation.goals.overall),
        goal_achieved=clean(evaluation.goals.achieved),
        indicators=indicators,
        total_weight=claims.total_weight if claims.total_weight is not None else score.weight,
        total_score=_shown_score(claims.total, score.computed_total),
        grade=clean(grade),
    )


def _figure(figure: object) -> str:
    from jixiao.model import Figure

    if isinstance(figure, Figure) and figure.value is not None:
        return plain(figure.value) + (figure.unit or "")
    return ""


def _department(evaluation: Evaluation) -> str:
    """主管部门, with its code when printed: ``人社局（077）`` or just ``077``."""
    name, code = clean(evaluation.project.department), clean(evaluation.project.department_code)
    if name and code:
        return f"{name}（{code}）"
    return name or code


def merge_runs(values: list[str]) -> list[tuple[int, int]]:
    """Runs of equal, non-empty consecutive values as ``(start, end)`` index pairs (inclusive)."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or not values[start]:
            if i - 1 > start:
                runs.append((start, i - 1))
            start = i
    return runs
