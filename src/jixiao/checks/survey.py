"""Survey checks (满意度调查): a satisfaction score needs a survey big enough for its population."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from statistics import NormalDist

from jixiao.checks.common import HUNDRED, amount_text, ind_path, label, pct, score_text
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation, Survey

RULE_SURVEY = "满意度调查应说明方法、样本量与误差范围（实务口径：95%置信水平下误差不超过±5%）"


def margin_of_error(n: int, population: int | None, confidence: float) -> float:
    """Half-width of the 95% (or other) interval for a proportion at p = 0.5, with the FPC."""
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    moe = z * math.sqrt(0.25 / n)
    if population and population > 1 and n < population:
        moe *= math.sqrt((population - n) / (population - 1))
    elif population and n >= population:
        moe = 0.0
    return moe * 100


def sample_needed(margin: float, population: int | None, confidence: float) -> int:
    """Sample size for a margin (percent) at p = 0.5, with the FPC."""
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    n0 = z * z * 0.25 / (margin / 100) ** 2
    if population:
        n0 = n0 / (1 + (n0 - 1) / population)
    return math.ceil(n0)


def _satisfaction_lines(evaluation: Evaluation) -> list[int]:
    return [
        i
        for i, ind in enumerate(evaluation.indicators)
        if ind.weight and ind.claimed and "满意" in f"{ind.level2 or ''}{ind.name or ''}"
    ]


@check("survey.missing")
def missing(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A satisfaction score with no survey behind it."""
    if evaluation.survey is not None:
        return []
    out: list[Finding] = []
    scored = _satisfaction_lines(evaluation)
    for i, ind in enumerate(evaluation.indicators):  # an unscored row claiming a rate: 满意度 实际95%
        if i in scored or "满意" not in f"{ind.level2 or ''}{ind.name or ''}" or ind.actual is None:
            continue
        if ind.actual.value is None or ind.actual.unit != "%":
            continue
        out.append(
            finding(
                "survey.missing",
                Severity.warning,
                f"“{label(ind)}”实际印为{ind.actual.text}，但报告没有说明任何满意度调查（方法、样本量、满意率），"
                "这一满意率缺乏依据",
                ind_path(i, "actual"),
                source=ind.actual.source or ind.source,
                expected="满意度调查",
                rule=RULE_SURVEY,
            )
        )
    if not out and not scored:  # a report that claims a rate in its text only: 服务对象满意率90%以上
        out += _claimed_in_text(evaluation)
    for i in scored:
        ind = evaluation.indicators[i]
        assert ind.claimed is not None
        out.append(
            finding(
                "survey.missing",
                Severity.warning,
                f"“{label(ind)}”得{score_text(ind.claimed)}，但报告没有说明任何满意度调查（方法、样本量、满意率），得分缺乏依据",
                ind_path(i, "claimed"),
                source=ind.source,
                expected="满意度调查",
                rule=RULE_SURVEY,
            )
        )
    return out


_RATE_CLAIM = re.compile(
    r"满意(?:率|度)[^，,。；;\d]{0,8}?(?:达到?|为|超过|在)?\s*(\d+(?:\.\d+)?\s*%(?:以上)?)"
)


def _claimed_in_text(evaluation: Evaluation) -> list[Finding]:
    for path, text in (("goals.achieved", evaluation.goals.achieved), ("other", evaluation.other)):
        m = _RATE_CLAIM.search(text or "")
        if m is None:
            continue
        return [
            finding(
                "survey.missing",
                Severity.warning,
                f"报告称“{m.group(0)}”，但没有说明任何满意度调查（方法、样本量、满意率），这一满意率缺乏依据",
                path,
                expected="满意度调查",
                rule=RULE_SURVEY,
            )
        ]
    return []


def _n(survey: Survey) -> int | None:
    return survey.sample_size or survey.distributed


@check("survey.incomplete")
def incomplete(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A survey description lacks its method, valid sample size or result."""
    survey = evaluation.survey
    if survey is None:
        return []
    lacking = []
    if not survey.method:
        lacking.append("调查方法")
    if survey.sample_size is None:
        lacking.append("有效样本量" + (f"（只印了发放{survey.distributed}份）" if survey.distributed else ""))
    if survey.satisfaction_rate is None and survey.satisfaction_index is None and not survey.answers:
        lacking.append("满意率数值")
    if not lacking:
        return []
    return [
        finding(
            "survey.incomplete",
            Severity.warning if _n(survey) is None else Severity.info,
            f"满意度调查未说明{'、'.join(lacking)}",
            "survey",
            source=survey.source,
            rule=RULE_SURVEY,
        )
    ]


@check("survey.sample-size")
def sample_size(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The sample is big enough for the population (margin of error within the policy's bound)."""
    survey = evaluation.survey
    n = _n(survey) if survey else None
    if survey is None or not n or n < 0:
        return []
    params = ctx.policy.survey
    confidence = float(params.confidence)
    population = survey.population if survey.population and survey.population > 0 else None
    moe = margin_of_error(n, population, confidence)
    if moe <= float(params.max_margin) and n >= params.min_sample:
        return []
    if population and n >= population:
        return []
    need = sample_needed(float(params.max_margin), population, confidence)
    who = f"，而受益对象{population}人" if population else ""
    return [
        finding(
            "survey.sample-size",
            Severity.warning,
            f"满意度调查只有{n}份样本{who}：{amount_text(Decimal(confidence * 100), 0)}%置信水平下误差范围约"
            f"±{moe:.1f}个百分点（要达到±{amount_text(params.max_margin, 0)}%约需{need}份），满意率结论不可靠",
            "survey.sample_size" if survey.sample_size else "survey.distributed",
            source=survey.source,
            expected=need,
            actual=n,
            rule=RULE_SURVEY,
        )
    ]


@check("survey.rate", "survey.answers-sum")
def rate(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The printed 满意率 equals the satisfied answers over the valid answers."""
    survey = evaluation.survey
    if survey is None or not survey.answers:
        return []
    out: list[Finding] = []
    total = sum(survey.answers.values())
    questions = survey.questions or 1
    if survey.sample_size is not None and total != survey.sample_size * questions:
        expected = (
            f"有效样本量{survey.sample_size}"
            if questions == 1
            else f"有效样本量{survey.sample_size} × {questions}题 = {survey.sample_size * questions}"
        )
        out.append(
            finding(
                "survey.answers-sum",
                Severity.error,
                f"各选项{'人数' if questions == 1 else '答案数'}之和为{total}，与{expected}不符",
                "survey.answers",
                source=survey.source,
                expected=survey.sample_size * questions,
                actual=total,
                rule=RULE_SURVEY,
            )
        )
    if survey.satisfaction_rate is None or not total:
        return out
    satisfied = sum(survey.answers.get(k, 0) for k in ctx.policy.survey.satisfied)
    unit = "人" if questions == 1 else "个"
    got = Decimal(satisfied) / Decimal(total) * HUNDRED
    places = max(0, -int(survey.satisfaction_rate.as_tuple().exponent))
    if abs(got - survey.satisfaction_rate) > Decimal(5).scaleb(-(places + 1)):
        out.append(
            finding(
                "survey.rate",
                Severity.error,
                f"满意率印为{pct(survey.satisfaction_rate, places)}，但（{'+'.join(ctx.policy.survey.satisfied)}）"
                f"{satisfied}{unit} / 有效{'样本' if questions == 1 else '答案'}{total}{unit} = {pct(got)}",
                "survey.satisfaction_rate",
                source=survey.source,
                expected=ctx.policy.round(got),
                actual=survey.satisfaction_rate,
                rule="满意率 = （很满意 + 满意）/ 有效样本",
            )
        )
    return out
