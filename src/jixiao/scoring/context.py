"""What a rule needs besides its indicator: the policy, the evaluation, funds rates, other indicators."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.findings import Finding
from jixiao.model import Evaluation, Indicator
from jixiao.numbers import format_number
from jixiao.policies import Policy


@dataclass
class Outcome:
    """A rule's result: the score (None when it cannot be applied), why, and the completion rate."""

    score: Decimal | None
    explanation: str
    completion: Decimal | None = None  # percent
    findings: list[Finding] = field(default_factory=list)


@dataclass
class RuleContext:
    """Shared inputs of every rule for one evaluation."""

    policy: Policy
    evaluation: Evaluation
    execution_rate: Decimal | None  # percent, computed from the funds
    arrival_rate: Decimal | None  # percent, computed from the funds
    by_id: dict[str, Indicator]
    execution_text: str = ""  # "实际支出… / 实际到位… = …%"
    arrival_text: str = ""

    def round(self, value: Decimal) -> Decimal:
        """Round by the policy."""
        return self.policy.round(value)

    def score_text(self, value: Decimal) -> str:
        """A score as printed in explanations: ``7.45分``."""
        return f"{format_number(self.round(value), self.policy.rounding.places)}分"

    def w(self, weight: Decimal) -> str:
        """A weight as printed in explanations: ``8分``, ``2.5分``."""
        return f"{format_number(weight, self.policy.rounding.places, trim=True)}分"

    def pct(self, value: Decimal) -> str:
        """A rate as printed in explanations: ``93.13%``."""
        return f"{format_number(value, 2)}%"


def clamp(value: Decimal, weight: Decimal) -> Decimal:
    """Bound a score to [0, weight]."""
    return max(Decimal(0), min(weight, value))
