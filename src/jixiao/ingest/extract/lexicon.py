"""Domain vocabulary shared by the extractors: level names, column headers, fund stages and sources."""

from __future__ import annotations

import re

from jixiao.model import FundSource, FundStage

# 一级指标 of every framework (10号 附件1 and 附件2, 2013 common framework)
LEVEL1 = re.compile(
    r"(?:产出|效益|满意度|服务对象满意度|决策|过程|投入|效果|预算执行率|项目决策|项目过程|项目产出|项目效益|项目管理|管理|绩效)(?:指标)?"
)
# 二级指标 of the self-evaluation form and the family (一级) they belong to
LEVEL2_FAMILY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:产出)?(?:数量|质量|时效|成本)(?:指标)?$"), "产出指标"),
    (re.compile(r"^(?:经济效益|社会效益|生态效益|环境效益|可持续影响)(?:指标)?$"), "效益指标"),
    (re.compile(r"^(?:服务对象)?满意度(?:指标)?$"), "满意度指标"),
]

# A header cell's words around the role word: 指标实际完成值, 单项指标得分, 指标分值权重, 全年完成值.
_PRE = r"(?:指标|年度|全年|单项|单项指标|项目|本年)?"

COLUMN_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("seq", re.compile(r"序号|编号|序")),
    ("level1", re.compile(r"一级指标|一级|绩效指标[（(]一级[)）]")),
    ("level2", re.compile(r"二级指标|二级|绩效指标[（(]二级[)）]")),
    ("name", re.compile(r"三级指标|三级|绩效指标[（(]三级[)）]|指标名称|具体指标|指标内容")),
    # the form's own label (10号 附件1 prints 绩效指标 as a merged cell left of 一级指标): a name
    # column only where the table has no more specific one
    ("name_generic", re.compile(r"绩效指标|指标")),
    # 折算得分 (得分 × 权重%) before 得分 and 权重 so that it is not read as either
    ("weighted", re.compile(rf"{_PRE}折算(?:后)?得分|加权得分")),
    ("weight_share", re.compile(r"权重占比|权重比例|权重[（(]?%[)）]?")),
    (
        "weight",
        re.compile(rf"{_PRE}(?:分值|权重|权重分|标准分|满分|分数|分值权重|指标权重|分值[（(]权重[)）])"),
    ),
    ("score", re.compile(rf"{_PRE}(?:评价|自评|实际|最终|考核)?得分")),
    ("sign", re.compile(r"指标性质|指标方向|符号|运算符|计算符号")),
    ("measure_unit", re.compile(r"度量单位|计量单位|指标单位|单位")),
    (
        "target",
        re.compile(
            rf"{_PRE}(?:指标值|目标值)|预期(?:目标)?值|预期指标值|计划(?:值|数)|年度目标|年初指标值|调整(?:后)?指标值|指标目标值"
        ),
    ),
    (
        "actual",
        re.compile(
            rf"{_PRE}(?:实际完成(?:值|指标值|情况|数)?|实际值|完成值|实际(?:完成)?值|实际达到值|实际完成指标值|完成情况)"
        ),
    ),
    ("completion", re.compile(r"完成进度|完成率|完成比例|完成程度|得分系数")),
    ("deviation", re.compile(r"偏差原因.*|未完成原因.*|原因分析.*|偏差情况.*")),
    ("criteria", re.compile(r"评分标准|评分规则|评分方法|评分依据|指标赋分规则|赋分规则|计分方法")),
    ("points", re.compile(r"评价要点|指标说明|指标值设置依据|设置依据|佐证资料|证明材料")),
    ("explanation", re.compile(r"指标解释")),
    ("previous", re.compile(r"上年(?:度)?(?:完成|实际)?值|上年(?:度)?指标值|历史值")),
    ("rate", re.compile(r"得分率")),
]


def first_of(table: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str]:
    """One pattern for a table of (name, pattern): its ``fullmatch(text).lastgroup`` is the name of
    the first pattern, in table order, that matches the whole text (one scan instead of one per row)."""
    return re.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in table))


_COLUMN_ROLE = first_of(COLUMN_ROLES)


def column_role(key: str) -> str | None:
    """The role of a table header cell reduced to its label (``年度指标值`` → ``target``), or None."""
    if not key or len(key) > 14:
        return None
    m = _COLUMN_ROLE.fullmatch(key)
    return m.lastgroup if m else None


TOTAL_ROW = re.compile(r"^(?:总分|合计|总计|综合得分|得分合计|总得分|评价总分|总体得分|小计合计)$")

STAGES: list[tuple[FundStage, re.Pattern[str]]] = [
    (FundStage.budget_adjusted, re.compile(r"全年预算(?:数|资金)?|调整后预算(?:数|资金)?")),
    (
        FundStage.budget,
        re.compile(
            r"(?:年初)?预算(?:安排)?(?:资金|数|金额)?(?:总额)?|项目预算|预算资金|计划投入(?:资金)?"
            r"|本年度?(?:项目)?(?:预算)?金额|本年度?预算(?:数|资金)?"
        ),
    ),
    (
        FundStage.available,
        re.compile(r"实际到位(?:资金|数)?|到位资金|(?:预算)?下达(?:资金|数)?|资金到位(?:数)?"),
    ),
    (
        FundStage.spent,
        re.compile(
            r"实际支出(?:资金|数)?|全年执行数|预算执行数|执行数|支出(?:资金|数)|实际使用(?:资金)?|实际执行(?:数)?|实际支付(?:资金)?"
        ),
    ),
    (FundStage.surplus, re.compile(r"结余(?:资金|数)?|结转结余(?:资金)?")),
]

SOURCES: list[tuple[FundSource, re.Pattern[str]]] = [
    (FundSource.total, re.compile(r"^(?:合计|总计|小计|总额|年度资金总额|资金总额|资金合计)$")),
    (FundSource.carryover, re.compile(r"上年结转")),
    (FundSource.appropriation, re.compile(r"本年财政拨款|财政拨款|^财政资金$")),
    (FundSource.central, re.compile(r"中央")),
    (FundSource.provincial, re.compile(r"省级|^省")),
    (FundSource.municipal, re.compile(r"市级|市本级|州级|^市")),
    (FundSource.county, re.compile(r"县级|区级|^县|^区|县区")),
    (FundSource.superior, re.compile(r"上级")),
    (FundSource.local, re.compile(r"^地方")),
    (FundSource.other, re.compile(r"^其他|其它|自筹|社会资金|^单位资金$|财政专户")),
]


def stage_of(key: str) -> FundStage | None:
    """The fund stage a label names (``实际到位资金`` → available); None when it names a source."""
    if source_of(key) is not None:
        return None
    for stage, pattern in STAGES:
        if pattern.fullmatch(key):
            return stage
    return None


def source_of(key: str) -> FundSource | None:
    """The fund source a short label names (``其中：中央资金`` → central)."""
    if not key or len(key) > 12:
        return None
    if not (re.search(r"资金|财政|拨款|结转|其他|其它|合计|总计|小计|总额|自筹|地方", key)):
        return None
    for source, pattern in SOURCES:
        if pattern.search(key):
            return source
    return None


def level_family(level2: str) -> str | None:
    """The 一级 a self-evaluation 二级 belongs to (数量指标 → 产出指标)."""
    for pattern, family in LEVEL2_FAMILY:
        if pattern.match(level2):
            return family
    return None
