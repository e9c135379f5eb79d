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

COLUMN_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("seq", re.compile(r"序号|编号|序")),
    ("level1", re.compile(r"一级指标|一级|绩效指标[（(]一级[)）]")),
    ("level2", re.compile(r"二级指标|二级|绩效指标[（(]二级[)）]")),
    ("name", re.compile(r"三级指标|三级|绩效指标[（(]三级[)）]|指标名称|具体指标|指标内容|绩效指标")),
    ("weight", re.compile(r"(?:指标)?分值|权重|权重分|标准分|满分|分数|指标权重")),
    ("score", re.compile(r"(?:评价|自评|实际|最终|考核)?得分")),
    (
        "target",
        re.compile(
            r"(?:年度)?(?:指标值|目标值)|预期(?:目标)?值|计划(?:值|数)|年度目标|全年指标值|指标目标值"
        ),
    ),
    ("actual", re.compile(r"实际完成(?:值|指标值|情况|数)?|实际值|完成值|全年实际(?:完成)?值|实际达到值")),
    ("completion", re.compile(r"完成进度|完成率|完成比例|完成程度")),
    ("deviation", re.compile(r"偏差原因.*|未完成原因.*|原因分析.*")),
    ("criteria", re.compile(r"评分标准|评分规则|评分方法|评分依据")),
    ("points", re.compile(r"评价要点|指标说明")),
    ("explanation", re.compile(r"指标解释")),
    ("rate", re.compile(r"得分率")),
]


def column_role(key: str) -> str | None:
    """The role of a table header cell reduced to its label (``年度指标值`` → ``target``), or None."""
    if not key or len(key) > 14:
        return None
    for role, pattern in COLUMN_ROLES:
        if pattern.fullmatch(key):
            return role
    return None


TOTAL_ROW = re.compile(r"^(?:总分|合计|总计|综合得分|得分合计|总得分|评价总分|总体得分|小计合计)$")

STAGES: list[tuple[FundStage, re.Pattern[str]]] = [
    (FundStage.budget_adjusted, re.compile(r"全年预算(?:数|资金)?|调整后预算(?:数|资金)?")),
    (
        FundStage.budget,
        re.compile(r"(?:年初)?预算(?:安排)?(?:资金|数|金额)?(?:总额)?|项目预算|预算资金|计划投入(?:资金)?"),
    ),
    (
        FundStage.available,
        re.compile(r"实际到位(?:资金|数)?|到位资金|(?:预算)?下达(?:资金|数)?|资金到位(?:数)?"),
    ),
    (
        FundStage.spent,
        re.compile(
            r"实际支出(?:资金|数)?|全年执行数|执行数|支出(?:资金|数)|实际使用(?:资金)?|实际执行(?:数)?|实际支付(?:资金)?"
        ),
    ),
    (FundStage.surplus, re.compile(r"结余(?:资金|数)?|结转结余(?:资金)?")),
]

SOURCES: list[tuple[FundSource, re.Pattern[str]]] = [
    (FundSource.total, re.compile(r"^(?:合计|总计|小计|年度资金总额|资金总额|资金合计)$")),
    (FundSource.carryover, re.compile(r"上年结转")),
    (FundSource.appropriation, re.compile(r"本年财政拨款|财政拨款")),
    (FundSource.central, re.compile(r"中央")),
    (FundSource.provincial, re.compile(r"省级|^省")),
    (FundSource.municipal, re.compile(r"市级|市本级|州级|^市")),
    (FundSource.county, re.compile(r"县级|区级|^县|^区|县区")),
    (FundSource.superior, re.compile(r"上级")),
    (FundSource.other, re.compile(r"^其他|其它|自筹|社会资金")),
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
    if not (re.search(r"资金|财政|拨款|结转|其他|其它|合计|总计|小计|总额|自筹", key)):
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
