"""Helpers shared by the checks: number formatting, indicator classification, met / unmet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model import Direction, Evaluation, Figure, Indicator, Level
from jixiao.numbers import comparable, convert, format_number, matches_printed, money_factor
from jixiao.scoring.result import IndicatorScore, ScoreResult
from jixiao.scoring.rules.ratio import direction_of

HUNDRED = Decimal(100)
RULE_10 = "财预〔2020〕10号"
RULE_FORM = "财预〔2020〕10号 附件1（项目支出绩效自评表）"
RULE_FRAMEWORK = "财预〔2020〕10号 附件2（项目支出绩效评价指标体系框架）"
RULE_PRACTICE = "实务口径（评价政策参数）"


def amount_text(value: Decimal, places: int = 2) -> str:
    """A figure as a reviewer writes it: ``5838.00``."""
    return format_number(value, places)


def score_text(value: Decimal) -> str:
    """A score with its unit: ``7.45分``."""
    return f"{format_number(value, 2)}分"


def weight_text(value: Decimal) -> str:
    """A weight with its unit, trimmed: ``8分``, ``2.5分``."""
    return f"{format_number(value, 2, trim=True)}分"


def pct(value: Decimal, places: int = 2) -> str:
    """A rate: ``93.13%``."""
    return f"{format_number(value, places)}%"


def places_of(value: Decimal) -> int:
    """Decimals carried by a Decimal as entered (``2364.01`` → 2, ``57`` → 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agrees(printed: Decimal, computed: Decimal, places: int | None = None) -> bool:
    """``computed`` matches ``printed`` within half a unit of its last printed place."""
    return matches_printed(printed, computed, places_of(printed) if places is None else places)


def score_agrees(claimed: Decimal, computed: Decimal, places: int = 2) -> bool:
    """A claimed score matches a computed one at the scoring precision (an integer “10” is not 9.62)."""
    return matches_printed(claimed, computed, max(places, places_of(claimed)))


def ind_path(index: int, field: str = "") -> str:
    """Field path of an indicator: ``indicators[3].claimed``."""
    return f"indicators[{index}]" + (f".{field}" if field else "")


def label(ind: Indicator) -> str:
    """How a reviewer names an indicator: ``产出指标/数量指标/补助人数``."""
    parts = [p for p in (ind.level1, ind.level2, ind.name) if p]
    return "/".join(parts)


def level_key(name: str) -> str:
    """``产出指标：`` ≈ ``产出``."""
    key = re.sub(r"[\s:：]", "", name)
    return key.removesuffix("指标") or key


def category(name: str | None) -> str | None:
    """Broad kind of a 一级/二级 name: 产出, 效益 (效果), 满意度, 决策 (投入), 过程, 执行率."""
    if not name:
        return None
    if "满意" in name:
        return "满意度"
    if "效益" in name or "效果" in name or "可持续" in name:
        return "效益"
    if "产出" in name or name in ("数量指标", "质量指标", "时效指标", "成本指标"):
        return "产出"
    if "决策" in name or "投入" in name:
        return "决策"
    if "过程" in name:
        return "过程"
    if "执行率" in name:
        return "执行率"
    return None


def scored(evaluation: Evaluation) -> list[tuple[int, Indicator]]:
    """Indicators with a weight (score lines), with their index."""
    return [(i, ind) for i, ind in enumerate(evaluation.indicators) if ind.weight is not None]


@dataclass(frozen=True)
class Numbers:
    """Target and actual of an indicator as numbers in the target's unit."""

    target: Decimal
    actual: Decimal
    upper: Decimal | None
    unit: str


def numbers(ind: Indicator) -> Numbers | None:
    """Target and actual in one unit (as the ratio rule reads them), without formatting any text."""
    target, actual = ind.target, ind.actual
    if target is None or target.value is None or actual is None or actual.value is None:
        return None
    t_unit, a_unit = target.unit or "", actual.unit or ""
    value = actual.value
    if t_unit and a_unit and t_unit != a_unit:
        if not comparable(t_unit, a_unit):
            return None
        try:
            value = convert(value, a_unit, t_unit)
        except ValueError:
            return None
    return Numbers(target.value, value, target.upper, t_unit or a_unit)


def completion(ind: Indicator) -> Decimal | None:
    """actual / target in percent, in the target's unit; None when either is not a number."""
    pair = numbers(ind)
    if pair is None or pair.target == 0 or pair.unit == "月":
        return None
    return pair.actual / pair.target * HUNDRED


def shortfall(ind: Indicator) -> bool | None:
    """True when the actual misses the target by its direction, False when met, None when unknown."""
    pair = numbers(ind)
    if pair is None:
        return None
    direction = direction_of(ind)
    if direction is Direction.lower:
        return pair.actual > pair.target
    if direction is Direction.range and pair.upper is not None:
        return not (pair.target <= pair.actual <= pair.upper)
    if direction is Direction.equal:
        return pair.actual != pair.target
    return pair.actual < pair.target


def miss_words(ind: Indicator) -> str:
    """How an actual misses its target, in a reviewer's words: a ceiling is exceeded
    (实际110元/人，超出上限100元/人的10.00%), a floor is not reached (实际1.8万人未达到目标≥2万人，完成90.00%)."""
    pair = numbers(ind)
    actual, target = figure_text(ind.actual), figure_text(ind.target)
    if pair is not None and pair.unit == "月":  # a date: late, not a percentage over
        return f"实际{actual}，晚于期限{target}"
    if pair is not None and direction_of(ind) is Direction.lower and pair.target > 0:
        over = (pair.actual - pair.target) / pair.target * HUNDRED
        limit = re.sub(r"^(?:≤|≥|<=|>=|<|>|=|不超过|不高于|不低于)\s*", "", target)
        return f"实际{actual}，超出上限{limit}的{pct(over)}"
    rate = completion(ind)
    return f"实际{actual}未达到目标{target}" + (f"，完成{pct(rate)}" if rate is not None else "")


def wan_of(value: Decimal, unit: str | None) -> Decimal | None:
    """An amount in 万元 (from 元, 万元, 亿元, or a bare 万 printed beside money); None when the unit
    is no money."""
    factor = money_factor("万元" if unit == "万" else unit)
    return value * factor / 10000 if factor is not None else None


def unmet(evaluation: Evaluation) -> list[tuple[int, Indicator]]:
    """Indicators (scored or target rows) whose actual misses the target."""
    return [(i, ind) for i, ind in enumerate(evaluation.indicators) if shortfall(ind)]


def score_of(score: ScoreResult, index: int) -> IndicatorScore | None:
    """The scoring record of indicator ``index``."""
    if 0 <= index < len(score.indicators) and score.indicators[index].index == index:
        return score.indicators[index]
    return next((s for s in score.indicators if s.index == index), None)


def figure_text(fig: Figure | None) -> str:
    """The figure as printed (or an empty string)."""
    if fig is None:
        return ""
    return fig.text or (format_number(fig.value, 2, trim=True) if fig.value is not None else "")


def printed_level(evaluation: Evaluation, name: str) -> tuple[int, Level] | None:
    """The printed level subtotal matching a level name."""
    key = level_key(name)
    for i, level in enumerate(evaluation.levels):
        if level_key(level.name) == key:
            return i, level
    return None


def is_none_text(items: list[str]) -> bool:
    """True when a section was printed as just “无” (or 暂无 / 没有)."""
    return bool(items) and all(re.fullmatch(r"\s*(无|暂无|没有|无。|/|—|-)\s*", item) for item in items)
