"""Score tables shared by the 自评表 annex and the report: levels with 得分率, indicators with explanations."""

from __future__ import annotations

from decimal import Decimal

from docx.document import Document as DocumentObject

from jixiao.office import clean
from jixiao.render.docx_tables import simple_table
from jixiao.render.text import UNIT, Voice, percent_text, plain, score_text
from jixiao.scoring.result import ScoreResult


def level_columns(voice: Voice = UNIT) -> tuple[str, ...]:
    """The 一级 table's columns in a document's voice (the claimed score is 自评得分 or 评价得分)."""
    return ("一级指标", "分值", voice.score, "计算得分", "得分率", voice.rate)


def base_indicator_columns(voice: Voice = UNIT) -> tuple[str, ...]:
    """The indicator table's columns in a document's voice, without a 复核得分 column."""
    return ("序号", "一级指标", "二级指标", "三级指标", "分值", voice.score, "计算得分", "计算过程")


LEVEL_COLUMNS = level_columns(UNIT)  # the 自评表's (its scores are the unit's)
INDICATOR_COLUMNS = base_indicator_columns(UNIT)


def level_rows(score: ScoreResult) -> list[list[str]]:
    """Rows of the 一级 table, ending with 合计: name, weight, claimed, computed, rate, printed rate."""
    rows = [
        [
            clean(level.name),
            plain(level.weight),
            plain(level.claimed),
            score_text(level.computed),
            percent_text(level.rate),
            "" if level.claimed_rate is None else f"{plain(level.claimed_rate)}%",
        ]
        for level in score.levels
    ]
    rows.append(
        ["合计", plain(score.weight), plain(score.claimed_total), score_text(score.computed_total), "", ""]
    )
    return rows


REVIEW_COLUMN = "复核得分"


def has_review(score: ScoreResult) -> bool:
    """True when a reviewer set any indicator's score."""
    return any(s.reviewed is not None for s in score.indicators)


def indicator_columns(score: ScoreResult, voice: Voice = UNIT) -> tuple[str, ...]:
    """The indicator table's columns: a 复核得分 column is added when a reviewer scored."""
    columns = base_indicator_columns(voice)
    if not has_review(score):
        return columns
    return (*columns[:-1], REVIEW_COLUMN, columns[-1])


def indicator_rows(score: ScoreResult) -> list[list[str]]:
    """Rows of the indicator score table: number, levels, weight, claimed, computed, [reviewed], explanation."""
    review = has_review(score)
    rows: list[list[str]] = []
    for n, s in enumerate(score.indicators, start=1):
        row = [str(n), clean(s.level1), clean(s.level2), clean(s.name), plain(s.weight), plain(s.claimed)]
        row.append(score_text(s.computed))
        explanation = clean(s.explanation)
        if review:
            row.append(score_text(s.reviewed) if s.reviewed is not None else "")
            if s.reviewed is not None and s.review_reason:
                explanation += f"；复核意见：{clean(s.review_reason)}"
        row.append(explanation)
        rows.append(row)
    return rows


def grade_line(score: ScoreResult, claimed_grade: str | None, voice: Voice = UNIT) -> str:
    """``自评总分 99.80 分，等级“优”；按评分规则计算总分 99.25 分，等级“优”。`` with the parts that are known.

    The claimed total is named in the document's voice: 自评总分 (a unit's) or 评价总分 (an evaluator's).
    """
    parts: list[str] = []
    if score.claimed_total is not None or claimed_grade:
        text = voice.total + (
            f" {plain(score.claimed_total)} 分" if score.claimed_total is not None else "未列明"
        )
        if claimed_grade:
            text += f"，等级“{clean(claimed_grade)}”"
        parts.append(text)
    if score.computed_total is not None:
        text = f"按评分规则计算总分 {score_text(score.computed_total)} 分"
        if score.computed_grade:
            text += f"，等级“{score.computed_grade}”"
        parts.append(text)
    if score.reviewed_total is not None:
        parts.append(f"复核后总分 {score_text(score.reviewed_total)} 分，等级“{score.reviewed_grade}”")
    if score.execution_rate is not None:
        parts.append(f"按资金数据计算预算执行率 {percent_text(score.execution_rate)}")
    return "；".join(parts) + "。" if parts else "暂无可计算的得分。"


def add_level_table(
    document: DocumentObject, score: ScoreResult, width_cm: float, voice: Voice = UNIT
) -> None:
    """The 一级指标 得分率 table."""
    widths = _scale([4.0, 2.0, 2.4, 2.4, 2.4, 2.4], width_cm)
    simple_table(document, widths, level_columns(voice), level_rows(score))


def add_indicator_table(
    document: DocumentObject, score: ScoreResult, width_cm: float, voice: Voice = UNIT
) -> None:
    """Every indicator's weight, claimed and computed score and the written calculation."""
    columns = indicator_columns(score, voice)
    base = [1.0, 1.8, 2.2, 3.0, 1.2, 1.5, 1.5, 6.0]
    if len(columns) > len(base):
        base = [*base[:-1], 1.5, 5.0]
    widths = _scale(base, width_cm)
    simple_table(document, widths, columns, indicator_rows(score), left=(len(columns) - 1,))


def _scale(widths: list[float], total: float) -> list[float]:
    factor = Decimal(str(total)) / Decimal(str(sum(widths)))
    return [float(Decimal(str(w)) * factor) for w in widths]
