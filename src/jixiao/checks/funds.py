"""Funds checks (资金): sources vs total, execution and arrival rates, surplus, parts, 元/万元."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.common import HUNDRED, RULE_FRAMEWORK, RULE_PRACTICE, agrees, amount_text, pct, places_of
from jixiao.checks.diagnosis import explain_ratio, explain_sum
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation, FundLine, FundStage, RatioRule, Source
from jixiao.numbers import bare_number, matches_printed
from jixiao.policies.loader import RateFormula
from jixiao.scoring.engine import funds_rate_explained, stage_total
from jixiao.vocabulary import STAGE_NAMES

STAGES = tuple(stage.value for stage in FundStage)


def _figures(evaluation: Evaluation) -> dict[str, Decimal]:
    """The printed totals by stage (for diagnosis)."""
    out: dict[str, Decimal] = {}
    for stage in STAGES:
        value = stage_total(evaluation, stage)
        if value is not None:
            out[STAGE_NAMES[stage]] = value
    if evaluation.funds.planned_spending is not None:
        out["预算支出"] = evaluation.funds.planned_spending
    return out


def _source(line: FundLine, stage: str) -> Source | None:
    return line.sources.get(stage)


def _rounding_slack(parts: list[Decimal]) -> Decimal:
    """How far a sum of rounded parts may drift: half a last unit per part."""
    return sum((Decimal(5).scaleb(-(places_of(p) + 1)) for p in parts), Decimal(0))


@check("funds.sources-sum", "funds.rounding")
def sources_sum(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Each printed stage total equals the sum of the source lines (资金来源合计)."""
    funds, out = evaluation.funds, []
    for stage in STAGES:
        total = getattr(funds.total, stage)
        values = [getattr(line, stage) for line in funds.lines]
        parts = [v for v in values if v is not None]
        if total is None or not parts:
            continue
        got = sum(parts, Decimal(0))
        if len(parts) < len(values) and not (parts and min(parts) >= 0 and total < got):
            continue  # some sources unprinted: only a total below the printed parts is wrong
        if agrees(total, got):
            continue
        terms = " + ".join(
            f"{line.label or line.source.value}{amount_text(v)}"
            for line in funds.lines
            if (v := getattr(line, stage)) is not None
        )
        path = f"funds.total.{stage}"
        if abs(got - total) <= _rounding_slack(parts):
            out.append(
                finding(
                    "funds.rounding",
                    Severity.info,
                    f"{STAGE_NAMES[stage]}合计{amount_text(total)}{funds.unit}，分项 {terms} = {amount_text(got)}{funds.unit}，差额在舍入误差之内",
                    path,
                    source=_source(funds.total, stage),
                    expected=got,
                    actual=total,
                    rule=RULE_PRACTICE,
                )
            )
            continue
        note = explain_sum(got, total)
        out.append(
            finding(
                "funds.sources-sum",
                Severity.error,
                f"{STAGE_NAMES[stage]}合计印为{amount_text(total)}{funds.unit}，但各来源 {terms} = {amount_text(got)}{funds.unit}，"
                f"相差{amount_text(abs(total - got))}{funds.unit}" + (f"；{note}" if note else ""),
                path,
                source=_source(funds.total, stage),
                expected=got,
                actual=total,
                rule="资金来源合计应等于各来源之和",
            )
        )
    return out


@check("funds.parts-sum", "funds.share")
def parts_sum(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Printed parts of a stage (tranches, surplus by holder) add up to it; printed shares are right."""
    funds, out = evaluation.funds, []
    groups: dict[tuple[str, str], list[int]] = {}
    for i, item in enumerate(funds.items):
        if item.group:
            groups.setdefault((item.group, item.stage.value), []).append(i)
    for (group, stage), indexes in groups.items():
        total = stage_total(evaluation, stage)
        if total is None or len(indexes) < 2:
            continue
        items = [funds.items[i] for i in indexes]
        got = sum((item.amount for item in items), Decimal(0))
        if agrees(total, got):
            continue
        terms = " + ".join(f"{item.label}{amount_text(item.amount)}" for item in items)
        rounding = abs(got - total) <= _rounding_slack([item.amount for item in items])
        out.append(
            finding(
                "funds.rounding" if rounding else "funds.parts-sum",
                Severity.info if rounding else Severity.error,
                f"{terms} = {amount_text(got)}{funds.unit}，{STAGE_NAMES[stage]}印为{amount_text(total)}{funds.unit}，"
                + (
                    "相差在分项舍入误差之内"
                    if rounding
                    else f"相差{amount_text(abs(got - total))}{funds.unit}"
                ),
                f"funds.items[{indexes[0]}]",
                source=items[0].source,
                expected=total,
                actual=got,
                rule=f"“{group}”各分项之和应等于{STAGE_NAMES[stage]}",
            )
        )
    wrong: dict[str, list[tuple[int, str]]] = {}
    for i, item in enumerate(funds.items):
        total = stage_total(evaluation, item.stage.value)
        if item.share is None or total is None or total == 0:
            continue
        share = item.amount / total * HUNDRED
        if matches_printed(item.share, share, places_of(item.share)):
            continue
        wrong.setdefault(item.group or item.label, []).append(
            (
                i,
                f"{item.label}{amount_text(item.amount)}{funds.unit}印为占{pct(item.share, places_of(item.share))}，"
                f"实为{amount_text(item.amount)} / {STAGE_NAMES[item.stage.value]}{amount_text(total)} = {pct(share)}",
            )
        )
    for notes in wrong.values():
        first = notes[0][0]
        item = funds.items[first]
        total = stage_total(evaluation, item.stage.value)
        out.append(
            finding(
                "funds.share",
                Severity.warning,
                "；".join(text for _, text in notes),
                f"funds.items[{first}].share",
                source=item.source,
                expected=ctx.policy.round(item.amount / total * HUNDRED) if total else None,
                actual=item.share,
                rule="分项占比 = 分项金额 / 该环节合计",
            )
        )
    return out


def _rate_finding(
    evaluation: Evaluation, ctx: CheckContext, which: str, formulas: list[RateFormula]
) -> list[Finding]:
    funds = evaluation.funds
    printed = funds.execution_rate if which == "execution" else funds.arrival_rate
    if printed is None or printed.value is None:
        return []
    places = printed.places
    computed: list[tuple[Decimal, str, str]] = []
    for formula in formulas:
        rate, words = funds_rate_explained(evaluation, formula)
        if rate is not None:
            used = next((s for s in formula.denominator if stage_total(evaluation, s)), "")
            computed.append((rate, words, used))
    name = "预算执行率" if which == "execution" else "资金到位率"
    if not computed:
        return _rate_undefined(evaluation, ctx, which, formulas, name)
    if any(matches_printed(printed.value, rate, places) for rate, _, _ in computed):
        return []
    rate, words, stage = computed[0]
    message = f"{name}印为{pct(printed.value, places)}，但{words}"
    diagnosis = explain_ratio(printed.value, places, _figures(evaluation), STAGE_NAMES.get(stage))
    if diagnosis:
        message += f"；{diagnosis}"
    return [
        finding(
            f"funds.{which}-rate",
            Severity.error,
            message,
            f"funds.{which}_rate",
            source=printed.source,
            expected=ctx.policy.round(rate),
            actual=printed.value,
            rule=f"{RULE_FRAMEWORK}：{name}",
        )
    ]


def _rate_undefined(
    evaluation: Evaluation, ctx: CheckContext, which: str, formulas: list[RateFormula], name: str
) -> list[Finding]:
    """A printed rate whose every denominator is printed as 0: 0/0 has no value (not 100%)."""
    printed = evaluation.funds.execution_rate if which == "execution" else evaluation.funds.arrival_rate
    assert printed is not None and printed.value is not None
    zero = [s for f in formulas for s in f.denominator if stage_total(evaluation, s) == 0]
    known = [s for f in formulas for s in f.denominator if stage_total(evaluation, s) is not None]
    if not zero or len(zero) != len(known):
        return []
    return [
        finding(
            "funds.rate-undefined",
            Severity.error,
            f"{name}印为{pct(printed.value, printed.places)}，但{STAGE_NAMES[zero[0]]}印为0，"
            f"{name}无法计算（分母为0，不能记为100%或0%）",
            f"funds.{which}_rate",
            source=printed.source,
            expected="无法计算",
            actual=printed.value,
            rule=f"{RULE_FRAMEWORK}：{name}",
        )
    ]


@check("funds.execution-rate", "funds.rate-undefined")
def execution_rate(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The printed 预算执行率 equals 支出 / 到位 (or / 预算), and say which figures it does match."""
    return _rate_finding(evaluation, ctx, "execution", [ctx.policy.execution_indicator, ctx.policy.execution])


@check("funds.arrival-rate", "funds.rate-undefined")
def arrival_rate(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The printed 资金到位率 equals 实际到位 / 预算."""
    return _rate_finding(evaluation, ctx, "arrival", [ctx.policy.arrival])


@check("funds.surplus")
def surplus(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """结余 = 实际到位 − 实际支出 (on the total line and on each source line)."""
    out: list[Finding] = []
    funds = evaluation.funds
    for path, line in [("funds.total", funds.total)] + [
        (f"funds.lines[{i}]", ln) for i, ln in enumerate(funds.lines)
    ]:
        base_stage = next(
            (s for s in ("available", "budget_adjusted", "budget") if getattr(line, s) is not None), None
        )
        if line.surplus is None or line.spent is None or base_stage is None:
            continue
        base: Decimal = getattr(line, base_stage)
        expected = base - line.spent
        if agrees(line.surplus, expected):
            continue
        who = "" if path == "funds.total" else f"{line.label or line.source.value}："
        base_name = STAGE_NAMES[base_stage]
        message = (
            f"{who}结余印为{amount_text(line.surplus)}{funds.unit}，但{base_name}{amount_text(base)} − 实际支出{amount_text(line.spent)} = "
            f"{amount_text(expected)}{funds.unit}"
        )
        implied = line.spent + line.surplus
        message += f"；实际支出 + 结余 = {amount_text(implied)}，与{base_name}{amount_text(base)}不符"
        note = explain_sum(base, implied)
        if note:
            message += f"（{note}）"
        out.append(
            finding(
                "funds.surplus",
                Severity.error,
                message,
                f"{path}.surplus",
                source=line.sources.get("surplus"),
                expected=expected,
                actual=line.surplus,
                rule="结余 = 实际到位资金 − 实际支出",
            )
        )
    return out


@check("funds.overspent")
def overspent(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Spending above the available funds (or the budget when nothing else is printed)."""
    spent = stage_total(evaluation, "spent")
    base_stage = next(
        (s for s in ("available", "budget_adjusted", "budget") if stage_total(evaluation, s) is not None),
        None,
    )
    if spent is None or base_stage is None:
        return []
    base = stage_total(evaluation, base_stage)
    if base is None or spent <= base:
        return []
    unit = evaluation.funds.unit
    return [
        finding(
            "funds.overspent",
            Severity.warning,
            f"实际支出{amount_text(spent)}{unit}超过{STAGE_NAMES[base_stage]}{amount_text(base)}{unit}"
            f"（超出{amount_text(spent - base)}{unit}），请核实资金来源或支出口径",
            "funds.total.spent",
            source=evaluation.funds.total.sources.get("spent"),
            expected=f"≤ {amount_text(base)}",
            actual=spent,
            rule="支出不应超过到位资金",
        )
    ]


@check("funds.unit-mix")
def unit_mix(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """An amount about 10 000 times the others was entered in 元 among 万元 figures (or the reverse).

    The slip is found before the audit (``jixiao.checks.slips``); every other check already ran on
    the converted amount, so this one finding stands for the rates and sums it would have broken.
    """
    unit = evaluation.funds.unit
    other = "元" if unit == "万元" else "万元"
    return [
        finding(
            "funds.unit-mix",
            Severity.error,
            f"{slip.name}印为{amount_text(slip.printed)}{unit}，是其他金额的约{slip.ratio}倍，应为以{other}填报"
            f"（折合{amount_text(slip.meant)}{unit}）；执行率、到位率、合计与得分均按折合后的金额复核",
            slip.path,
            expected=slip.meant,
            actual=slip.printed,
            rule="金额单位应统一为万元",
        )
        for slip in ctx.slips
    ]


@check("funds.unit-label")
def unit_label(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """An amount printed in 元 under a 万元 label (the reader converted it, its source keeps the print)."""
    out: list[Finding] = []
    funds = evaluation.funds
    for path, line in [("funds.total", funds.total)] + [
        (f"funds.lines[{i}]", ln) for i, ln in enumerate(funds.lines)
    ]:
        for stage in STAGES:
            value, source = getattr(line, stage), line.sources.get(stage)
            printed = bare_number(source.text) if source is not None else None  # no 元 of its own
            if value is None or not value or printed is None or printed != value * 10000:
                continue
            out.append(
                finding(
                    "funds.unit-label",
                    Severity.error,
                    f"{STAGE_NAMES[stage]}标注单位为万元，却印为{amount_text(printed)}，与文中另印的{amount_text(value)}万元相差一万倍，"
                    f"实为以元填报（应填{amount_text(value)}万元）",
                    f"{path}.{stage}",
                    source=source,
                    expected=value,
                    actual=printed,
                    rule="金额单位应统一为万元，标注的单位应与所填数字一致",
                )
            )
    return out


DERIVED = {"execution_rate": ("预算执行率", "实际支出数"), "arrival_rate": ("资金到位率", "实际到位数")}


@check("funds.score-without-figures")
def score_without_figures(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A funds-rate indicator scored although the report prints no figures to compute the rate from."""
    out: list[Finding] = []
    rates = {"execution_rate": ctx.score.execution_rate, "arrival_rate": ctx.score.arrival_rate}
    for i, ind in enumerate(evaluation.indicators):
        rule = ind.rule
        derive = rule.derive if isinstance(rule, RatioRule) else None
        if derive is None or rates[derive] is not None or not ind.claimed:
            continue
        name, lacking = DERIVED[derive]
        out.append(
            finding(
                "funds.score-without-figures",
                Severity.warning,
                f"“{ind.name or name}”得{amount_text(ind.claimed)}分，但报告未印{lacking}等资金数据，{name}无从计算，得分缺乏依据",
                f"indicators[{i}].claimed",
                source=ind.source,
                expected=f"{name}的计算依据",
                actual=ind.claimed,
                rule=f"{RULE_FRAMEWORK}：{name}",
            )
        )
    return out
