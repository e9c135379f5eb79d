"""The target declaration (绩效目标申报): a project's performance targets declared with its budget
request, before anything is spent or evaluated, and the review of those targets (绩效目标审核).

A declaration is its own record, not a self-evaluation with blanks: it has no scores, no actual
values and no evaluator; it has a 项目期, medium-term (中期) and annual (年度) target sets, the
basis of each target value (指标值设定依据) and last year's actual value. The approved declaration
becomes the yardstick of the year: the self-evaluation a year later starts from its targets.

Names follow docs/glossary.md. Money is in 万元 unless ``DeclarationFunds.unit`` says otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field

from jixiao.model import Comparison, Direction, Figure, IndicatorType, Project, Record, Source


class Novelty(StrEnum):
    """项目属性 (a): 新增 or 延续."""

    new = "new"  # 新增项目
    continuing = "continuing"  # 延续项目


class BasisKind(StrEnum):
    """指标值设定依据: where a target value comes from (财预〔2015〕88号 and the 申报表's column)."""

    plan = "plan"  # 计划标准
    history = "history"  # 历史标准
    industry = "industry"  # 行业标准
    budget = "budget"  # 预算支出标准
    other = "other"  # 其他标准


class Period(StrEnum):
    """The span a target set covers: the whole 项目期 (中期) or the budget year (年度)."""

    medium = "medium"  # 中期目标 / 实施期目标
    annual = "annual"  # 年度目标


class TargetIndicator(Record):
    """One declared indicator (三级指标) with its target value: nothing is scored here.

    ``comparison`` is the 性质 column (≥ ≤ =); a 定性 indicator has ``type`` qualitative and
    describes its grades in ``target.text`` or ``explanation``.
    """

    id: str | None = None
    level1: str  # 一级指标: 产出 / 效益 / 满意度 (成本 as a 一级 in the newer layouts)
    level2: str | None = None  # 二级指标
    name: str | None = None  # 三级指标
    type: IndicatorType | None = None  # 定量 / 定性
    comparison: Comparison | None = None  # 性质 ≥ ≤ = as printed (None when not printed)
    direction: Direction | None = None  # 正向 / 反向 when the form prints it
    target: Figure | None = None  # 指标值 (text as printed, parsed value and unit)
    unit: str | None = None  # 度量单位 when printed in its own column
    basis: str | None = None  # 指标值设定依据 as printed
    basis_kind: BasisKind | None = None
    last_actual: Figure | None = None  # 上年实际值 / 历史值
    explanation: str | None = None  # 指标解释 / 计算公式 / 评(扣)分标准
    weight: Decimal | None = None  # 分值 / 权重, when a local layout prints one beside the target
    source: Source | None = None

    @property
    def label(self) -> str:
        """The most specific printed name: 三级, else 二级, else 一级."""
        return self.name or self.level2 or self.level1


class TargetSet(Record):
    """The targets of one span: the goal sentences (numbered as printed) and their indicators."""

    period: Period
    goals: list[str] = Field(default_factory=list)  # 中期目标 / 年度目标, one item per numbered sentence
    goals_source: Source | None = None
    indicators: list[TargetIndicator] = Field(default_factory=list)


class SpendingItem(Record):
    """One row of 支出明细与测算依据: what the money is for, how much, and how it was worked out."""

    label: str
    amount: Decimal | None = None  # in ``DeclarationFunds.unit``
    basis: str | None = None  # 测算依据 of the row (单价 × 数量 …)
    source: Source | None = None


class DeclarationFunds(Record):
    """资金: the medium-term and annual totals, split by source, and last year's figures.

    Any amount may be unknown (None). ``sources`` maps a field name to where it was read (its
    ``text`` as printed); ``sources["unit"]`` is the printed label the unit was read from
    (``项目总金额（中期规划，万元）``). Amounts are kept as printed: when reading finds them to be
    元 under a 万元 label, an ``ingest.unit-slip`` finding says so and the review reports it.
    """

    unit: Literal["万元", "元"] = "万元"
    medium_total: Decimal | None = None  # 中期资金总额 / 项目总金额
    medium_appropriation: Decimal | None = None  # 中期: 财政拨款
    medium_other: Decimal | None = None  # 中期: 其他资金
    annual_total: Decimal | None = None  # 年度资金总额 / 本年度项目金额 / 本年度申请
    appropriation: Decimal | None = None  # 年度: 其中 财政拨款
    other: Decimal | None = None  # 年度: 其中 其他资金
    carryover: Decimal | None = None  # 年度: 其中 上年结转资金, when the form prints that line
    medium_carryover: Decimal | None = None  # 中期: 上年结转资金, when printed
    last_budget: Decimal | None = None  # 上年度预算安排
    last_spent: Decimal | None = None  # 上年度实际执行
    details: list[SpendingItem] = Field(default_factory=list)  # 支出明细
    estimate: str | None = None  # 测算依据 as printed (prose)
    sources: dict[str, Source] = Field(default_factory=dict)


class Declaration(Record):
    """One project's target declaration (绩效目标申报表) for one budget year."""

    schema_version: Literal[1] = 1
    kind: Literal["declaration"] = "declaration"
    year: int | None = Field(default=None, ge=1990, le=2100)  # the budget year the targets are for
    layout: str | None = None  # the form it was read from or is printed as (national / system-export …)
    policy: str | None = None  # the 审核 rubric to review it by (default: national)
    project: Project
    novelty: Novelty | None = None  # 新增 / 延续
    period_years: int | None = Field(default=None, ge=1, le=50)  # 项目期 / 实施期限, in years
    basis: str | None = None  # 立项依据 / 政策依据
    allocation: str | None = None  # 分配方式 (因素法, 项目法 …) when printed
    funds: DeclarationFunds = Field(default_factory=DeclarationFunds)
    medium: TargetSet | None = None  # 中期目标 and its indicators, for a multi-year project
    annual: TargetSet = Field(default_factory=lambda: TargetSet(period=Period.annual))
    exemptions: list[str] = Field(default_factory=list)  # 一级/二级 the policy lets it leave out, with why
    notes: list[str] = Field(default_factory=list)  # encoder's notes on the source
    source: Source | None = None  # the document it came from

    def target_sets(self) -> list[TargetSet]:
        """The target sets present, medium-term first."""
        return [s for s in (self.medium, self.annual) if s is not None]

    def indicators(self) -> list[TargetIndicator]:
        """Every declared indicator, medium-term first."""
        return [i for s in self.target_sets() for i in s.indicators]


class ReviewGrade(StrEnum):
    """The result of a target review (绩效目标审核结果, 财预〔2015〕88号 第十九条)."""

    excellent = "优"
    good = "良"
    fair = "中"
    poor = "差"


class Criterion(StrEnum):
    """The four review criteria of 财预〔2015〕88号 第十七条, each a family of checks."""

    completeness = "completeness"  # 完整性
    relevance = "relevance"  # 相关性
    appropriateness = "appropriateness"  # 适当性
    feasibility = "feasibility"  # 可行性


class ReviewOpinion(Record):
    """A reviewer's 审核意见 on one declaration, as the 绩效目标审核意见表 prints it."""

    reviewer: str | None = None  # who wrote it (a department or the finance bureau)
    overall: str | None = None  # 总体目标 审核意见
    outputs: str | None = None  # 产出指标 审核意见
    outcomes: str | None = None  # 效益指标 审核意见
    satisfaction: str | None = None  # 满意度指标 审核意见
    criteria: dict[Criterion, str] = Field(default_factory=dict)  # opinion per criterion
    to_complete: list[str] = Field(default_factory=list)  # 需补充完善事项
    grade: ReviewGrade | None = None  # the result the reviewer settles on


class CriterionResult(Record):
    """One criterion of a review rubric: its weight, what the findings took off, what is left."""

    criterion: Criterion
    weight: Decimal  # points of the rubric for this criterion
    deducted: Decimal = Decimal(0)  # points taken off by findings (never more than the weight)
    score: Decimal  # weight − deducted
    codes: list[str] = Field(default_factory=list)  # the finding codes that took points off


class ReviewResult(Record):
    """The automatic review of one declaration by a rubric: points per criterion, total, result.

    The findings themselves travel beside it (``jixiao.findings.Finding``); this record is the
    rubric's verdict, printed on the 绩效目标审核意见表 and shown to reviewers, who may settle on
    another grade in their :class:`ReviewOpinion`.
    """

    rubric: str  # the rubric's name (a policy file)
    rubric_title: str | None = None  # its Chinese title, as documents and messages print it
    criteria: list[CriterionResult] = Field(default_factory=list)
    total: Decimal  # out of the rubric's full marks (100)
    grade: ReviewGrade
    consequence: str  # what the result means for the budget (优: 进入预算安排 …)
