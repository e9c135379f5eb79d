"""The evaluation model: one record per concept, each able to say where it came from.

Names follow docs/glossary.md (one English name per Chinese term).  Money is in 万元 unless a
field says otherwise; scores, weights and rates are ``Decimal``; rates are percentages
(``93.13`` means 93.13 %).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.numbers import parse_quantity


class Record(BaseModel):
    """Base of every model record: unknown fields are refused, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)


class Source(Record):
    """Where a value was read: file, page, line, table cell, and the text as printed."""

    file: str | None = None
    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    text: str | None = None

    def describe(self, *, file: bool = True) -> str:
        """Short human-readable position, e.g. ``report.pdf 第3页 第12行`` or ``form.xlsx 表1 第4行``
        (without the file name when ``file`` is False: a document annex names no paths)."""
        parts: list[str] = []
        if self.file and file:
            parts.append(self.file)
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.table is not None:
            cell = f"表{self.table}"
            if self.row is not None:
                cell += f" 第{self.row}行"
            if self.column is not None:
                cell += f" 第{self.column}列"
            parts.append(cell)
        return " ".join(parts)


class Kind(StrEnum):
    """Kind of evaluation (评价类型)."""

    self = "self"  # 单位自评
    department = "department"  # 部门评价
    finance = "finance"  # 财政评价


class Subject(StrEnum):
    """What is evaluated: one project (项目支出) or a department's whole spending (部门整体支出)."""

    project = "project"
    department = "department"


class Form(StrEnum):
    """The published document an evaluation was read from (文书类型)."""

    self_table = "self-table"  # 项目支出绩效自评表
    transfer_self_table = "transfer-self-table"  # 转移支付（区域）绩效目标自评表
    dept_self_table = "dept-self-table"  # 部门整体支出绩效自评表 / 评价（评分）表
    dept_self_report = "dept-self-report"  # 部门整体支出绩效自评报告 / 评价报告
    self_report = "self-report"  # 项目支出绩效自评报告
    evaluation_report = "evaluation-report"  # 绩效评价报告（部门评价、财政评价、第三方）
    target = "target"  # 绩效目标申报表 / 绩效目标表: targets only, nothing evaluated yet
    final_accounts = "final-accounts"  # 部门决算 (with its 预算绩效 section)
    budget = "budget"  # 部门预算 (with its 绩效目标 section)


class Direction(StrEnum):
    """Direction of a quantitative indicator (指标方向)."""

    higher = "higher"  # 正向 ≥
    lower = "lower"  # type: ignore[assignment]  # 反向 ≤ (the member shadows str.lower: never call it)
    equal = "equal"  # 等于 =
    range = "range"  # 区间


class IndicatorType(StrEnum):
    """定量 (quantitative) or 定性 (qualitative)."""

    quantitative = "quantitative"
    qualitative = "qualitative"


class Comparison(StrEnum):
    """The comparison sign printed before a target (≥, ≤, =, >, <, a range)."""

    ge = ">="
    le = "<="
    eq = "="
    gt = ">"
    lt = "<"
    range = "range"


class Figure(Record):
    """A figure as printed and as parsed: ``≥90%`` → value 90, unit ``%``, comparison ``>=``.

    ``upper`` holds the upper bound of a range (``0.6%至3%``).  ``value`` is None when the text
    is not numeric (``严格按照标准发放到位``); such a figure is still kept as text.
    """

    text: str | None = None
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str | None = None
    comparison: Comparison | None = None
    source: Source | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_any(cls, data: Any) -> Any:
        """Accept ``"≥90%"``, ``116.11`` or a mapping whose ``text`` is parsed when no value is given."""
        if isinstance(data, str | int | float | Decimal) and not isinstance(data, bool):
            data = {"text": str(data)}
        text = data.get("text") if isinstance(data, dict) else None
        if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
            data = {**data, "text": str(text)}  # ``{text: 116.11, source: …}`` is printed text too
        if isinstance(data, dict) and data.get("text") is not None and "value" not in data:
            q = parse_quantity(str(data["text"]))
            parsed: dict[str, Any] = {"value": q.value}
            if q.unit is not None:
                parsed["unit"] = q.unit
            if q.comparison is not None:
                parsed["comparison"] = q.comparison
            if q.upper is not None:
                parsed["upper"] = q.upper
            data = {**parsed, **data}
        return data

    @property
    def places(self) -> int:
        """Decimals printed on the value (0 when there is no printed text)."""
        from jixiao.numbers import printed_places

        return printed_places(self.text) if self.text else 0


class Project(Record):
    """Project facts (项目基本情况)."""

    name: str
    code: str | None = None  # 项目编码
    department: str | None = None  # 主管部门
    department_code: str | None = None  # 主管部门代码
    unit: str | None = None  # 实施单位 / 填报单位
    attribute: Literal["recurring", "one_off"] | None = None  # 项目属性: 经常性 / 一次性
    period_start: date | None = None  # 项目期
    period_end: date | None = None
    category: str | None = None  # 项目类别 / 资金用途, free text
    description: str | None = None  # 项目概况


class FundSource(StrEnum):
    """Source of funds (资金来源)."""

    total = "total"  # 合计 / 年度资金总额
    central = "central"  # 中央
    provincial = "provincial"  # 省级
    municipal = "municipal"  # 市级
    county = "county"  # 县级 / 区级
    appropriation = "appropriation"  # 本年财政拨款
    carryover = "carryover"  # 上年结转
    superior = "superior"  # 上级财政资金 (level not named)
    local = "local"  # 地方资金 (转移支付自评表: every level below the centre together)
    other = "other"  # 其他


class FundStage(StrEnum):
    """Stage of funds (资金环节)."""

    budget = "budget"  # 年初预算数 / 预算安排
    budget_adjusted = "budget_adjusted"  # 全年预算数 (调整后)
    available = "available"  # 实际到位 / 下达
    spent = "spent"  # 实际支出 / 全年执行数
    surplus = "surplus"  # 结余


class FundLine(Record):
    """One source of funds across the stages; any stage may be unknown (None)."""

    source: FundSource
    label: str | None = None  # the row label as printed (e.g. 区级补助资金)
    budget: Decimal | None = None
    budget_adjusted: Decimal | None = None
    available: Decimal | None = None
    spent: Decimal | None = None
    surplus: Decimal | None = None
    sources: dict[str, Source] = Field(default_factory=dict)  # stage name → where it was read


class FundItem(Record):
    """A printed part of one stage: a tranche, a surplus by holder, a planned amount.

    Items sharing a ``group`` are meant to add up to the stage total (e.g. the 70 % and 30 %
    advances add up to the available funds).
    """

    label: str
    stage: FundStage
    amount: Decimal
    share: Decimal | None = None  # printed share of the stage total, in percent
    group: str | None = None
    source: Source | None = None


class Change(Record):
    """A year-on-year change printed in prose: “行政运行支出6106.99万元，比上年增加101.48万元，增长1.66%”."""

    label: str  # what changed, as the clause prints it (行政运行（项）支出)
    amount: Decimal | None = None  # this year's amount, 万元
    before: Decimal | None = None  # last year's amount when printed (上年执行数60.13万元), 万元
    delta: Decimal | None = None  # the change, 万元 (negative for 减少)
    rate: Decimal  # the change as printed, percent (negative for 下降)
    places: int = 2  # decimals printed on the rate
    source: Source | None = None


class BreakdownPart(Record):
    """One part of a :class:`Breakdown`: its label, amount (万元) and printed share (percent)."""

    label: str
    amount: Decimal
    share: Decimal | None = None
    places: int = 2  # decimals printed on the share


class Breakdown(Record):
    """A total and the parts printed after it with 其中, in the prose of budgets and accounts:
    “支出预算总计1000万元。其中：基本支出600万元，占60%；项目支出400万元，占40%”."""

    label: str  # what the total is, as the clause prints it (支出预算总计)
    total: Decimal  # 万元
    parts: list[BreakdownPart] = Field(default_factory=list)
    source: Source | None = None


class Funds(Record):
    """Funds (项目资金): a total line, lines by source, printed rates and parts."""

    unit: Literal["万元", "元"] = "万元"
    total: FundLine = Field(default_factory=lambda: FundLine(source=FundSource.total))
    lines: list[FundLine] = Field(default_factory=list)
    items: list[FundItem] = Field(default_factory=list)
    planned_spending: Decimal | None = None  # 预算支出 where it differs from the budget income
    estimate: str | None = None  # 测算依据: how the budget was worked out, as printed
    estimate_source: Source | None = None
    execution_rate: Figure | None = None  # 预算执行率 as printed
    arrival_rate: Figure | None = None  # 资金到位率 as printed
    execution_weight: Decimal | None = None  # 自评表: 分值 of the 年度资金总额 row (10)
    execution_claimed: Decimal | None = None  # 自评表: 得分 of that row
    changes: list[Change] = Field(default_factory=list)  # 与上年相比 in the prose of budgets and accounts
    breakdowns: list[Breakdown] = Field(default_factory=list)  # 其中 lists in that prose


class Goals(Record):
    """Performance goals (绩效目标) and what was achieved."""

    overall: str | None = None  # 总体目标
    annual: str | None = None  # 年度目标 / 预期目标
    achieved: str | None = None  # 实际完成情况


class Band(Record):
    """One band of a tiered rule: lower ≤ value < upper → share of the weight."""

    lower: Decimal | None = None
    upper: Decimal | None = None
    share: Decimal  # 0..1
    label: str | None = None


class Element(Record):
    """One 评价要点 of an elements rule (要素法)."""

    text: str
    points: Decimal | None = None  # explicit points; else the weight is split evenly
    met: bool | None = None


class RuleBase(Record):
    """What every scoring rule has: a ``kind`` tag (in each subclass) and a Chinese title."""

    title: ClassVar[str] = ""


class RatioRule(RuleBase):
    """Completion ratio × weight by direction (按照完成比例赋分)."""

    kind: Literal["ratio"] = "ratio"
    title: ClassVar[str] = "按完成比例赋分"  # how documents and findings name the rule
    direction: Direction | None = None  # default: the indicator's direction
    refs: list[str] = Field(default_factory=list)  # take target/actual from these indicators
    derive: Literal["execution_rate", "arrival_rate"] | None = None  # value from the funds
    cap: Decimal | None = None  # completion above this share still scores as this share


class QualitativeRule(RuleBase):
    """Qualitative answer with the evaluator's score inside its band (定性三档)."""

    kind: Literal["qualitative"] = "qualitative"
    title: ClassVar[str] = "定性三档"  # how documents and findings name the rule
    answer: Literal["达成", "部分达成", "未达成"] | None = None


class ElementsRule(RuleBase):
    """Each 评价要点 carries part of the weight; met / not met (要素法)."""

    kind: Literal["elements"] = "elements"
    title: ClassVar[str] = "要素法"  # how documents and findings name the rule
    elements: list[Element]


class TiersRule(RuleBase):
    """Value bands → share of the weight (按档次)."""

    kind: Literal["tiers"] = "tiers"
    title: ClassVar[str] = "按档次赋分"  # how documents and findings name the rule
    bands: list[Band]
    value: Decimal | None = None  # default: the completion rate in percent
    of: Literal["completion", "actual", "value"] = "completion"


class GradeRule(RuleBase):
    """Judged grade → share of the weight (按评判等级赋分)."""

    kind: Literal["grade"] = "grade"
    title: ClassVar[str] = "按评判等级赋分"  # how documents and findings name the rule
    value: str | None = None
    scale: dict[str, Decimal] | None = None  # default from the policy (好/较好/一般/差)


class DeductionRule(RuleBase):
    """Start at the weight, deduct per problem found, floor 0 (扣分法)."""

    kind: Literal["deduction"] = "deduction"
    title: ClassVar[str] = "扣分法"  # how documents and findings name the rule
    per_item: Decimal
    items: list[str] = Field(default_factory=list)
    count: int | None = None  # number of problems when they are not listed


class SatisfactionRule(RuleBase):
    """Survey satisfaction rate → score (满意度赋分)."""

    kind: Literal["satisfaction"] = "satisfaction"
    title: ClassVar[str] = "满意度赋分"  # how documents and findings name the rule
    refs: list[str] = Field(default_factory=list)  # take the rate from this target row's actual
    rate: Decimal | None = None  # percent; default: the survey's, then the indicator's actual
    full_at: Decimal | None = None  # rate giving full marks; default: the indicator's target


class JudgementRule(RuleBase):
    """Evaluator's direct score with a written reason, or yes/no (直接赋分)."""

    kind: Literal["judgement"] = "judgement"
    title: ClassVar[str] = "直接赋分"  # how documents and findings name the rule
    met: bool | None = None
    score: Decimal | None = None
    reason: str | None = None


class FormulaRule(RuleBase):
    """Arithmetic expression over named values, evaluated safely; result is the score."""

    kind: Literal["formula"] = "formula"
    title: ClassVar[str] = "公式"  # how documents and findings name the rule
    expression: str
    values: dict[str, Decimal] = Field(default_factory=dict)


Rule = Annotated[
    RatioRule
    | QualitativeRule
    | ElementsRule
    | TiersRule
    | GradeRule
    | DeductionRule
    | SatisfactionRule
    | JudgementRule
    | FormulaRule,
    Field(discriminator="kind"),
]

# The rule kinds, in one place: the types of the union above, by their ``kind`` tag.
RULE_TYPES: tuple[type[RuleBase], ...] = get_args(get_args(Rule)[0])
RULE_KINDS: dict[str, type[RuleBase]] = {str(t.model_fields["kind"].default): t for t in RULE_TYPES}


class Indicator(Record):
    """One indicator (三级指标) of the evaluation.

    An indicator with no ``weight`` is a target row that is not scored by itself (a 绩效目标
    table printed apart from the score table); score lines may take their figures from it
    through ``RatioRule.refs``.
    """

    id: str | None = None
    level1: str  # 一级指标
    level2: str | None = None  # 二级指标
    name: str | None = None  # 三级指标
    weight: Decimal | None = Field(default=None, ge=0)  # 分值
    type: IndicatorType | None = None
    direction: Direction | None = None
    target: Figure | None = None  # 年度指标值
    actual: Figure | None = None  # 实际完成值
    completion: Figure | None = None  # 完成进度 as printed
    rule: Rule | None = None
    claimed: Decimal | None = None  # 得分 as printed or entered
    reviewed: Decimal | None = None  # score set by a reviewer
    review_reason: str | None = None
    deviation_reason: str | None = None  # 偏差原因分析及改进措施
    explanation: str | None = None  # 指标解释
    points: list[str] = Field(default_factory=list)  # 评价要点
    criteria: str | None = None  # 评分标准 as printed
    evidence: list[str] = Field(default_factory=list)  # 佐证材料
    source: Source | None = None

    @property
    def label(self) -> str:
        """The most specific printed name: 三级, else 二级, else 一级."""
        return self.name or self.level2 or self.level1


class Level(Record):
    """A printed level subtotal (一级指标 小计), with its printed 得分率 when there is one."""

    name: str
    weight: Decimal | None = None
    claimed: Decimal | None = None
    rate: Decimal | None = None  # printed 得分率, percent
    source: Source | None = None


class Group(Record):
    """A printed 二级 subtotal row (二级指标 and its 分值), when the score table prints one."""

    level1: str
    name: str
    weight: Decimal | None = None
    claimed: Decimal | None = None
    source: Source | None = None


class IndicatorCounts(Record):
    """Printed counts of indicators when the indicators themselves are not shown (seed 000)."""

    level1: int | None = None
    level2: int | None = None
    level3: int | None = None


class Survey(Record):
    """Satisfaction survey summary (满意度调查)."""

    method: str | None = None  # 问卷 / 访谈 / 电话
    population: int | None = None  # beneficiaries the sample is drawn from
    distributed: int | None = None  # questionnaires sent
    sample_size: int | None = None  # valid answers (respondents)
    # 问卷题数: when set, ``answers`` counts every answer to every question (respondents × questions)
    questions: int | None = Field(default=None, ge=1)
    answers: dict[str, int] = Field(default_factory=dict)  # 很满意 → count …
    satisfaction_rate: Decimal | None = None  # 满意率, percent, as printed
    satisfaction_index: Decimal | None = None  # 综合满意度, percent
    margin_of_error: Decimal | None = None  # printed, percent
    source: Source | None = None


class Person(Record):
    """An evaluator, a 负责人 or a 经办人."""

    name: str
    title: str | None = None  # 职称 / 职务
    role: str | None = None  # 评价人员 / 负责人 / 经办人 / 组长
    department: str | None = None  # 科室
    phone: str | None = None


class Dates(Record):
    """Dates printed in the evaluation."""

    filled: date | None = None  # 填报日期
    report: date | None = None  # 报告日期
    work_start: date | None = None  # 评价工作开始
    work_end: date | None = None  # 评价工作结束
    timeline: list[str] = Field(default_factory=list)  # the work stages as printed


class Claims(Record):
    """What the evaluation claims as its result."""

    total: Decimal | None = None  # 总分 / 综合得分
    total_weight: Decimal | None = None  # 满分, when printed
    rate: Decimal | None = None  # 合计 得分率, percent
    grade: str | None = None  # 评价等级 as printed
    source: Source | None = None


class Evaluation(Record):
    """One evaluation of one project (or one department's spending) for one year."""

    schema_version: Literal[1] = 1
    kind: Kind
    subject: Subject = Subject.project
    form: Form | None = None  # 文书类型: set when read from a published document
    year: int | None = Field(default=None, ge=1990, le=2100)
    framework: str | None = None  # name of the framework it uses (self-2020, eval-2020, …)
    policy: str | None = None  # name of the policy to score it by (default national-2020)
    project: Project
    commissioner: str | None = None  # 委托评价单位
    evaluator: str | None = None  # 评价机构 / performed by
    funds: Funds = Field(default_factory=Funds)
    goals: Goals = Field(default_factory=Goals)
    indicators: list[Indicator] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)  # printed 二级 subtotals, in printed order
    indicator_counts: IndicatorCounts | None = None
    claims: Claims = Field(default_factory=Claims)
    survey: Survey | None = None
    problems: list[str] = Field(default_factory=list)  # 存在问题
    suggestions: list[str] = Field(default_factory=list)  # 建议
    experience: list[str] = Field(default_factory=list)  # 经验做法
    other: str | None = None  # 其他需要说明的问题
    evaluators: list[Person] = Field(default_factory=list)
    purpose: str | None = None  # 评价目的
    basis: list[str] = Field(default_factory=list)  # 评价依据
    methods: list[str] = Field(default_factory=list)  # 评价方法
    dates: Dates = Field(default_factory=Dates)
    pension: dict[str, Any] | None = None  # program block, validated by jixiao.pension
    notes: list[str] = Field(default_factory=list)  # encoder's notes on the source
    source: Source | None = None  # the document it came from
