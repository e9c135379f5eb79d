"""The thread from approved targets to the self-evaluation a year later: a new self-evaluation
starting from the declaration's annual targets, and the findings when a self-evaluation's targets
differ from the approved ones (changed value, dropped indicator, added indicator)."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.checks.declaration.common import (
    comparison_of,
    direction_of,
    is_qualitative,
    level_of,
    shown,
    text_of,
    unit_of,
)
from jixiao.checks.declaration.completeness import active
from jixiao.declaration import Declaration, Period, TargetIndicator
from jixiao.findings import Finding, Severity, finding
from jixiao.frameworks import load_framework
from jixiao.frameworks.model import Framework, FrameworkLevel
from jixiao.model import (
    Comparison,
    Direction,
    Evaluation,
    Figure,
    FundLine,
    Funds,
    FundSource,
    Goals,
    Indicator,
    IndicatorType,
    QualitativeRule,
    RatioRule,
    Rule,
    SatisfactionRule,
)

THREAD_CODES = ("decl.target-changed", "decl.target-dropped", "decl.target-added")
RULE_THREAD = "财预〔2020〕10号：绩效评价以批复的绩效目标为依据；绩效目标确需调整的，按程序报批"
CENT = Decimal("0.01")


def _key(text: str | None) -> str:
    """A name compared loosely: no blanks, punctuation or trailing 指标."""
    return re.sub(r"[\s（）()“”\"'：:、，,。.]", "", text or "").removesuffix("指标")


def _framework_level(framework: Framework, ind: TargetIndicator) -> FrameworkLevel | None:
    level = level_of(ind)
    wanted = "产出" if level == "成本" else level
    for fl in framework.levels:
        if wanted and wanted in fl.name:
            return fl
    return None


def _rule(ind: TargetIndicator, level: str | None) -> Rule:
    if level == "满意度" and not is_qualitative(ind):
        return SatisfactionRule()
    return QualitativeRule() if is_qualitative(ind) else RatioRule()


def _direction(ind: TargetIndicator) -> Direction | None:
    comparison = comparison_of(ind)
    if comparison in (Comparison.le, Comparison.lt):
        return Direction.lower
    if comparison is Comparison.eq:
        return Direction.equal
    if comparison is Comparison.range:
        return Direction.range
    if comparison in (Comparison.ge, Comparison.gt):
        return Direction.higher
    return direction_of(ind)


def _target(ind: TargetIndicator) -> Figure | None:
    """The 指标值 as the self-evaluation prints it: the 性质 sign in the text (≥6.3万人), the unit
    of the 单位 column carried over."""
    if ind.target is None:
        return None
    update: dict[str, object] = {"source": None, "text": shown(ind) or None}
    if ind.target.unit is None and unit_of(ind):
        update["unit"] = unit_of(ind)
    if ind.target.comparison is None and ind.comparison is not None:
        update["comparison"] = ind.comparison
    return ind.target.model_copy(update=update)


def _weights(framework: Framework, declared: list[TargetIndicator]) -> list[Decimal | None]:
    """Each indicator's weight: its 一级's weight in the framework, split among the 二级 groups
    present (in proportion to the framework's group weights when it sets them all, else evenly),
    then evenly among the group's indicators; rounded to cents with the remainder on the last."""
    out: list[Decimal | None] = [None] * len(declared)
    by_level: dict[str, list[int]] = {}
    for i, ind in enumerate(declared):
        fl = _framework_level(framework, ind)
        if fl is not None and fl.weight is not None:
            by_level.setdefault(fl.name, []).append(i)
    for level_name, members in by_level.items():
        fl = next(lv for lv in framework.levels if lv.name == level_name)
        assert fl.weight is not None
        groups: dict[str, list[int]] = {}
        for i in members:
            groups.setdefault(_key(declared[i].level2) or "—", []).append(i)
        template = {_key(g.name): g.weight for g in fl.groups}
        shares = [template.get(key) for key in groups]
        if all(s is not None and s > 0 for s in shares):
            base = sum((s for s in shares if s is not None), Decimal(0))
            group_weights = [fl.weight * (s or 0) / base for s in shares]
        else:
            group_weights = [fl.weight / len(groups)] * len(groups)
        assigned = Decimal(0)
        last = members[0]
        for (_, items), weight in zip(groups.items(), group_weights, strict=True):
            share = weight.quantize(CENT)
            for i in items:
                out[i] = (share / len(items)).quantize(CENT)
            out[items[-1]] = share - (share / len(items)).quantize(CENT) * (len(items) - 1)
            assigned += share
            last = items[-1]
        out[last] = (out[last] or Decimal(0)) + fl.weight - assigned  # the level adds up exactly
    return out


def _sentences(goals: list[str]) -> str | None:
    """Numbered goal sentences as one text, each ended with its stop."""
    text = "".join(
        g.strip() if g.strip().endswith(("。", "；", ";", ".")) else f"{g.strip()}。"
        for g in goals
        if g.strip()
    )
    return text or None


def evaluation_from_declaration(
    declaration: Declaration, framework: str | Framework = "self-2020"
) -> Evaluation:
    """Next year's self-evaluation of a project, starting from its approved annual targets: the
    project, the year, the budget (年度资金总额 as 年初预算数), the goals, and one indicator per
    declared target (一级 / 二级 / 三级, 指标值, direction, type, 指标解释) with a weight from the
    framework's defaults and a scoring rule by its type; actual values left to fill in."""
    fw = load_framework(framework) if isinstance(framework, str) else framework
    declared = [
        r.ind for r in active(declaration) if r.set.period is Period.annual and (r.ind.name or r.ind.level2)
    ]
    weights = _weights(fw, declared)
    indicators = [
        Indicator(
            id=ind.id,
            level1=ind.level1,
            level2=ind.level2,
            name=ind.name,
            weight=weight,
            type=IndicatorType.qualitative if is_qualitative(ind) else IndicatorType.quantitative,
            direction=_direction(ind),
            target=_target(ind),
            rule=_rule(ind, level_of(ind)),
            explanation=ind.explanation,
        )
        for ind, weight in zip(declared, weights, strict=True)
    ]
    funds = declaration.funds
    total = FundLine(source=FundSource.total, budget=funds.annual_total)
    lines = []
    if funds.appropriation is not None:
        lines.append(FundLine(source=FundSource.appropriation, budget=funds.appropriation))
    if funds.other is not None:
        lines.append(FundLine(source=FundSource.other, budget=funds.other))
    medium = declaration.medium
    return Evaluation(
        kind=fw.kind,
        year=declaration.year,
        framework=fw.name,
        project=declaration.project.model_copy(deep=True),
        funds=Funds(
            unit=funds.unit,
            total=total,
            lines=lines,
            estimate=funds.estimate,
            execution_weight=fw.execution_weight,
        ),
        goals=Goals(
            overall=_sentences(medium.goals) if medium is not None else None,
            annual=_sentences(declaration.annual.goals),
        ),
        indicators=indicators,
        notes=[f"由{declaration.year or ''}年度批复的绩效目标申报表生成：指标与目标值沿用批复目标"],
    )


def _same_target(declared: TargetIndicator, ind: Indicator) -> bool:
    a = _target(declared)
    b = ind.target
    if a is None or b is None:
        return (a is None or not a.text) and (b is None or not b.text)
    if _key(a.text) == _key(b.text):
        return True
    if a.value is None or b.value is None:
        return False
    same_sign = (a.comparison or Comparison.ge) == (b.comparison or Comparison.ge)
    return a.value == b.value and same_sign and (a.unit or "") == (b.unit or "") and a.upper == b.upper


def compare_with_declaration(evaluation: Evaluation, declaration: Declaration) -> list[Finding]:
    """A self-evaluation's targets against the approved declaration's annual targets: one finding
    per changed value (``decl.target-changed``), dropped indicator (``decl.target-dropped``) and
    indicator not in the approved targets (``decl.target-added``)."""
    declared = [r.ind for r in active(declaration) if r.set.period is Period.annual and r.ind.name]
    by_name: dict[str, list[int]] = {}
    for i, row in enumerate(evaluation.indicators):
        if row.name:
            by_name.setdefault(_key(row.name), []).append(i)
    used: set[int] = set()
    year = f"{declaration.year}年度" if declaration.year else ""
    out: list[Finding] = []
    for ind in declared:
        hits = [i for i in by_name.get(_key(ind.name), []) if i not in used]
        label = "/".join(p for p in (ind.level1, ind.level2, ind.name) if p)
        if not hits:
            out.append(
                finding(
                    "decl.target-dropped",
                    Severity.warning,
                    f"批复的{year}绩效目标中的指标“{label}”（指标值{text_of(ind)}）在自评表中没有出现："
                    "自评应对照批复的全部绩效目标，确需调整的应有批准的调整依据",
                    "indicators",
                    source=ind.source,
                    expected=text_of(ind),
                    actual="缺失",
                    rule=RULE_THREAD,
                )
            )
            continue
        i = hits[0]
        used.add(i)
        mine = evaluation.indicators[i]
        if _same_target(ind, mine):
            continue
        printed = mine.target.text if mine.target is not None and mine.target.text else "空白"
        out.append(
            finding(
                "decl.target-changed",
                Severity.warning,
                f"自评表中“{label}”的年度指标值为{printed}，与批复的绩效目标{text_of(ind)}不一致："
                "应按批复的目标值评价，确需调整的应有批准的调整依据",
                f"indicators[{i}].target",
                source=mine.source,
                expected=text_of(ind),
                actual=printed,
                rule=RULE_THREAD,
            )
        )
    for i, ind2 in enumerate(evaluation.indicators):
        if i in used or not ind2.name or (ind2.weight is None and ind2.target is None):
            continue
        label = "/".join(p for p in (ind2.level1, ind2.level2, ind2.name) if p)
        out.append(
            finding(
                "decl.target-added",
                Severity.info,
                f"自评表中的指标“{label}”不在批复的{year}绩效目标中：新增指标应说明来由",
                f"indicators[{i}]",
                source=ind2.source,
                actual=ind2.name,
                rule=RULE_THREAD,
            )
        )
    return out
