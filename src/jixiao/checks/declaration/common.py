"""Helpers shared by the declaration checks: places and paths, figures, key terms, word lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jixiao.declaration import Declaration, Period, TargetIndicator, TargetSet
from jixiao.findings import Finding, Location, Severity, finding
from jixiao.model import Comparison, Direction, IndicatorType, Source
from jixiao.numbers import format_number as _format_number
from jixiao.numbers import money_factor

HUNDRED = Decimal(100)
RULE_88 = "财预〔2015〕88号 第十七条"
RULE_FORM = "项目支出绩效目标申报表填报要求"
PERIOD_NAMES = {Period.medium: "中期", Period.annual: "年度"}


@dataclass(frozen=True)
class Row:
    """One declared indicator with where it sits: its target set, its index and its field path."""

    set: TargetSet
    index: int
    ind: TargetIndicator

    @property
    def path(self) -> str:
        """``annual.indicators[3]``."""
        return f"{self.set.period.value}.indicators[{self.index}]"

    def at(self, field: str) -> str:
        """The path of one field of the indicator: ``annual.indicators[3].target``."""
        return f"{self.path}.{field}"

    @property
    def name(self) -> str:
        """How a reviewer names the indicator: ``年度 产出指标/数量指标/参保人数``."""
        parts = [p for p in (self.ind.level1, self.ind.level2, self.ind.name) if p]
        return f"{PERIOD_NAMES[self.set.period]}指标“{'/'.join(parts)}”"

    @property
    def place(self) -> str:
        """The place in Chinese: ``年度绩效指标 / 产出指标 / 数量指标 / 参保人数``."""
        parts = [p for p in (self.ind.level1, self.ind.level2, self.ind.name) if p]
        return " / ".join([f"{PERIOD_NAMES[self.set.period]}绩效指标", *parts])


def rows(declaration: Declaration) -> Iterator[Row]:
    """Every declared indicator with its place, medium-term first."""
    for target_set in declaration.target_sets():
        for i, ind in enumerate(target_set.indicators):
            yield Row(target_set, i, ind)


def decl_finding(
    code: str,
    severity: Severity,
    message: str,
    path: str = "",
    *,
    place: str = "",
    source: Source | None = None,
    expected: object = None,
    actual: object = None,
    rule: str | None = RULE_88,
) -> Finding:
    """A finding on a declaration: the place is given in Chinese (declaration paths are not an
    evaluation's, so ``places.place_of`` cannot name them)."""
    made = finding(code, severity, message, path, source=source, expected=expected, actual=actual, rule=rule)
    return made.model_copy(update={"location": Location(path=path, place=place, source=source)})


def format_number(value: Decimal, places: int = 2, *, trim: bool = False) -> str:
    """``jixiao.numbers.format_number``, or the number as it stands when it is too long to round
    (a 40-digit 指标值 typed by mistake must give a finding, not an exception)."""
    try:
        return _format_number(value, places, trim=trim)
    except InvalidOperation:
        return f"{value:f}"


def text_of(ind: TargetIndicator) -> str:
    """The 指标值 as printed (empty when blank)."""
    if ind.target is None:
        return ""
    if ind.target.text:
        return ind.target.text.strip()
    return format_number(ind.target.value, 2, trim=True) if ind.target.value is not None else ""


_SIGNS = {Comparison.ge: "≥", Comparison.gt: ">", Comparison.le: "≤", Comparison.lt: "<", Comparison.eq: "="}


def shown(ind: TargetIndicator) -> str:
    """The 指标值 as a reviewer quotes it: with the 性质 column's ≥ / ≤ in front when the value was
    printed without a sign (性质 “≤” and 指标值 “99%” → “≤99%”); a date or an “=” left as printed."""
    text = text_of(ind)
    if not text or ind.comparison not in (Comparison.ge, Comparison.gt, Comparison.le, Comparison.lt):
        return text
    dated = unit_of(ind) in ("月", "日") or re.search(r"(前|以前|之前|以内|底)$", text) is not None
    if dated or re.match(r"\s*(≥|≤|>|<|=|＞|＜|＝|不低于|不高于|不超过|不少于|大于|小于|等于)", text):
        return text
    return f"{_SIGNS[ind.comparison]}{text}"


def unit_of(ind: TargetIndicator) -> str | None:
    """The unit: printed with the value, else in its own column."""
    unit = ind.target.unit if ind.target is not None else None
    return unit or (ind.unit.strip() if ind.unit and ind.unit.strip() else None)


def comparison_of(ind: TargetIndicator) -> Comparison | None:
    """The 性质 (≥ ≤ =): the column, else the sign printed before the value."""
    if ind.comparison is not None:
        return ind.comparison
    return ind.target.comparison if ind.target is not None else None


def value_of(ind: TargetIndicator) -> Decimal | None:
    """The target's number (None for a blank or a worded target)."""
    return ind.target.value if ind.target is not None else None


def is_qualitative(ind: TargetIndicator) -> bool:
    """定性: so marked, or a worded target with no number."""
    if ind.type is not None:
        return ind.type is IndicatorType.qualitative
    return bool(text_of(ind)) and value_of(ind) is None


def amount(value: Decimal, unit: str | None, declaration: Declaration) -> Decimal | None:
    """A money figure in the declaration's funds unit; None when ``unit`` is no money."""
    factor = money_factor("万元" if unit == "万" else unit)
    if factor is None:
        return None
    return value * factor / money_factor(declaration.funds.unit)  # type: ignore[operator]


def money(value: Decimal, unit: str = "万元") -> str:
    """``45.00万元``."""
    return f"{format_number(value, 2)}{unit}"


def level_of(ind: TargetIndicator) -> str | None:
    """The broad 一级 an indicator belongs to: 产出, 成本, 效益, 满意度 (None when unknown)."""
    for name in (ind.level1, ind.level2 or ""):
        if "满意" in name:
            return "满意度"
        if "效益" in name or "效果" in name or "可持续" in name:
            return "效益"
        if "成本" in name:
            return "成本"
        if "产出" in name or name in ("数量指标", "质量指标", "时效指标", "数量", "质量", "时效"):
            return "产出"
    return None


def is_cost(ind: TargetIndicator) -> bool:
    """A 成本 indicator (成本 in its 一级, 二级 or 三级 name)."""
    return "成本" in f"{ind.level1}{ind.level2 or ''}{ind.name or ''}"


def is_not_applicable(text: str | None) -> bool:
    """A cell printed 不适用 / 无 / — (a level the form lets a project leave out)."""
    return bool(text) and re.fullmatch(r"\s*(不适用|无|/|—|-|／)\s*", text or "") is not None


# Words of a key-term comparison that say nothing of the project (the form's own words).
_STOP = set(
    [
        "指标",
        "目标",
        "完成",
        "项目",
        "工作",
        "情况",
        "年度",
        "全年",
        "本年",
        "提高",
        "提升",
        "有效",
        "确保",
        "保障",
        "开展",
        "实施",
        "推进",
        "加强",
        "进一步",
        "数量",
        "质量",
        "时效",
        "成本",
        "效益",
        "社会",
        "经济",
        "生态",
        "可持续",
        "影响",
        "满意",
        "满意度",
        "服务",
        "对象",
        "群众",
        "按时",
        "及时",
        "达到",
        "不低",
        "不高",
        "以上",
        "以下",
        "资金",
        "经费",
        "预算",
        "支付",
        "万元",
        "人次",
        "比例",
    ]
)
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def key_terms(text: str | None) -> set[str]:
    """The key terms of a text as character bigrams of its Chinese runs (no word segmenter is a
    dependency), minus the form's own words: “城乡居民养老金发放” shares “养老” with “养老保险”."""
    out: set[str] = set()
    for run in _CJK.findall(text or ""):
        for i in range(len(run) - 1):
            gram = run[i : i + 2]
            if gram not in _STOP and not any(gram in word for word in _STOP if len(word) > 2):
                out.add(gram)
    return out


# Direction lexicon: names whose quantity is better lower (反向) and rates that are better higher.
NEGATIVE_WORDS = (
    "投诉", "事故", "差错", "违规", "违纪", "失误", "逾期", "超支", "返贫", "死亡", "伤亡", "隐患",
    "不合格", "误差", "损失", "流失", "空置", "发生率", "错误", "拖欠", "上访", "信访", "故障", "案件",
    "成本", "费用", "单价",
)  # fmt: skip
REDUCING_WORDS = ("降低", "下降", "减少", "压减", "节约", "减幅")
ACTING_WORDS = (
    "处理", "处置", "查处", "排查", "整改", "化解", "调解", "办结", "侦破", "救援", "受理", "回复", "答复", "防范",
)  # fmt: skip
POSITIVE_RATES = re.compile(r"(率|度|覆盖面)$")


def direction_of(ind: TargetIndicator) -> Direction | None:
    """正向 or 反向 from the form's own column, else from the name (a 投诉率 is 反向, a 覆盖率
    正向; “降低事故率” and a 下降率 are 正向); None when the name says nothing."""
    if ind.direction is not None:
        return ind.direction
    name = f"{ind.name or ''}"
    if not name:
        return None
    if any(word in name for word in REDUCING_WORDS):
        return Direction.higher
    if any(word in name for word in ACTING_WORDS):
        return None  # 处理事故宗数, 投诉办结率: work done on the bad thing, more may be better
    if any(word in name for word in NEGATIVE_WORDS):
        return Direction.lower
    if POSITIVE_RATES.search(name):
        return Direction.higher
    return None


_CAPPED = re.compile(r"(率|满意|覆盖|比例|占比|达标|合格|完好|到位|知晓)")
_UNCAPPED = re.compile(r"(增长|增幅|提高|提升|上升|同比|环比|比上年|增加|超额|倍)")


def capped_at_hundred(ind: TargetIndicator) -> bool:
    """A share that cannot exceed 100 % (a rate, a 覆盖率, a 满意度), not a growth rate."""
    name = ind.name or ind.level2 or ""
    return bool(_CAPPED.search(name)) and not _UNCAPPED.search(name)
