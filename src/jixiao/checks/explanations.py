"""Explanation checks (偏差原因): a missed target is explained; full marks need no excuse."""

from __future__ import annotations

from jixiao.checks.common import RULE_FORM, ind_path, label, miss_words, pts, shortfall
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation, Indicator, RatioRule


def _reason(ind: Indicator) -> str:
    text = (ind.deviation_reason or "").strip()
    return "" if text in ("无", "/", "—", "-", "无。") else text


@check("explanations.missing-deviation")
def missing_deviation(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """An indicator below its target states the reason (偏差原因分析及改进措施)."""
    out: list[Finding] = []
    explained = {  # target rows whose score line (RatioRule.refs) gives the reason
        ref
        for ind in evaluation.indicators
        if isinstance(ind.rule, RatioRule) and _reason(ind)
        for ref in ind.rule.refs
    }
    for i, ind in enumerate(evaluation.indicators):
        if not shortfall(ind) or _reason(ind) or (ind.id and ind.id in explained):
            continue
        out.append(
            finding(
                "explanations.missing-deviation",
                Severity.warning,
                f"“{label(ind)}”{miss_words(ind)}，未说明偏差原因及改进措施",
                ind_path(i, "deviation_reason"),
                source=ind.source,
                expected="偏差原因分析及改进措施",
                rule=f"{RULE_FORM}：未完成目标应分析偏差原因",
            )
        )
    return out


@check("explanations.deviation-at-full-marks")
def deviation_at_full(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A deviation reason on a line that scored full marks and met its target."""
    out: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        if not _reason(ind) or ind.weight is None or ind.claimed is None:
            continue
        if ind.claimed != ind.weight or shortfall(ind):
            continue
        out.append(
            finding(
                "explanations.deviation-at-full-marks",
                Severity.info,
                f"“{label(ind)}”得满分{pts(ind.claimed)}，却填写了偏差原因“{_reason(ind)[:30]}”，"
                "有偏差就不应得满分，没有偏差则无需填写",
                ind_path(i, "deviation_reason"),
                source=ind.source,
                actual=_reason(ind),
                rule=RULE_FORM,
            )
        )
    return out
