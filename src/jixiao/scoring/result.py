"""Score records: per indicator, per level, total and grade — claimed and computed side by side."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.findings import Finding


class IndicatorScore(BaseModel):
    """The score of one indicator: what was claimed, what the rule computes, and why."""

    model_config = ConfigDict(extra="forbid")

    index: int  # position in Evaluation.indicators
    level1: str
    level2: str | None = None
    name: str | None = None
    weight: Decimal | None = None
    target: str | None = None  # as printed
    actual: str | None = None  # as printed
    completion: Decimal | None = None  # actual / target in percent, when it applies
    claimed: Decimal | None = None
    computed: Decimal | None = None  # by the rule; the claim (bounded by the weight) when no rule applies
    verified: bool = False  # True when a rule computed the score from figures or judgements
    reviewed: Decimal | None = None  # 复核得分 set by a reviewer
    review_reason: str | None = None
    rule: str | None = None  # rule kind used
    explanation: str = ""  # "108.13万人 / 116.11万人 = 93.13% × 8分 = 7.45分"

    @property
    def effective(self) -> Decimal | None:
        """The score that counts in subtotals: computed, else the claim."""
        return self.computed if self.computed is not None else self.claimed

    @property
    def final(self) -> Decimal | None:
        """The score after review: the reviewer's when set, else the effective one."""
        return self.reviewed if self.reviewed is not None else self.effective


class LevelScore(BaseModel):
    """A 一级 level: weight, claimed and computed subtotals, 得分率."""

    model_config = ConfigDict(extra="forbid")

    name: str
    weight: Decimal | None = None
    claimed: Decimal | None = None  # printed subtotal, else the sum of claimed lines
    computed: Decimal | None = None  # sum of computed lines, else the printed subtotal
    rate: Decimal | None = None  # computed / weight, percent
    claimed_rate: Decimal | None = None  # printed 得分率
    reviewed: Decimal | None = None  # subtotal after review, when any line of it was reviewed
    indicators: list[int] = Field(default_factory=list)  # indexes of its indicators


class ScoreResult(BaseModel):
    """Everything scoring computes for one evaluation."""

    model_config = ConfigDict(extra="forbid")

    policy: str
    granularity: Literal["indicator", "level", "total"]  # finest level the scores rest on
    indicators: list[IndicatorScore] = Field(default_factory=list)
    levels: list[LevelScore] = Field(default_factory=list)
    weight: Decimal | None = None  # Σ weights
    claimed_total: Decimal | None = None
    computed_total: Decimal | None = None
    claimed_grade: str | None = None
    computed_grade: str | None = None  # band of the computed total
    claimed_total_grade: str | None = None  # band of the claimed total
    reviewed_total: Decimal | None = None  # total after review, when any indicator was reviewed
    reviewed_grade: str | None = None
    execution_rate: Decimal | None = None  # computed from the funds, percent
    arrival_rate: Decimal | None = None  # computed from the funds, percent
    findings: list[Finding] = Field(default_factory=list)  # rule could not be applied, etc.
