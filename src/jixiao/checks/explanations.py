"""Explanation checks (偏差原因): a missed target is explained; full marks need no excuse."""

from __future__ import annotations

import re

from jixiao.checks.common import RULE_FORM, figure_text, ind_path, label, miss_words, score_text, shortfall
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
                f"“{label(ind)}”得满分{score_text(ind.claimed)}，却填写了偏差原因“{_reason(ind)[:30]}”，"
                "有偏差就不应得满分，没有偏差则无需填写",
                ind_path(i, "deviation_reason"),
                source=ind.source,
                actual=_reason(ind),
                rule=RULE_FORM,
            )
        )
    return out


_SAYS_MISSED = re.compile(r"未完成|未达到|未达标|没有完成|没有达到|未能完成|未实现")
_SAYS_MET = re.compile(r"(?<!未)(?:已完成|已达到|全部完成|圆满完成|已实现|完成了?目标|达到目标)")


@check("explanations.words-contradict")
def words_contradict(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """Words that say the opposite of the figures: 未完成 beside an actual that meets the target,
    已完成 beside one that misses it."""
    out: list[Finding] = []
    for i, ind in enumerate(evaluation.indicators):
        missed = shortfall(ind)
        if missed is None:
            continue
        for field, text in (
            ("actual", ind.actual.text if ind.actual else None),
            ("deviation_reason", _reason(ind)),
        ):
            if not text:
                continue
            said = _SAYS_MISSED.search(text) if not missed else _SAYS_MET.search(text)
            if said is None or (missed and _SAYS_MISSED.search(text)):
                continue
            figures = f"实际{figure_text(ind.actual)}、目标{figure_text(ind.target)}"
            out.append(
                finding(
                    "explanations.words-contradict",
                    Severity.warning,
                    f"“{label(ind)}”写着“{said.group(0)}”，但{figures}，数字表明"
                    + ("未达到目标" if missed else "已达到目标"),
                    ind_path(i, field),
                    source=ind.source,
                    actual=text[:40],
                    rule="文字说明应与数字一致",
                )
            )
            break
    return out
