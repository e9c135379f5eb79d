"""Score and audit an evaluation through ``jixiao.api`` and project the result onto indexed columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao import api
from jixiao.findings import Finding, Severity
from jixiao.model import Evaluation
from jixiao.scoring.result import ScoreResult


@dataclass
class Analysis:
    """The recomputed score, the findings and the reviewed total of one evaluation."""

    score: ScoreResult
    findings: list[Finding] = field(default_factory=list)
    reviewed_total: Decimal | None = None

    @property
    def inflation(self) -> Decimal | None:
        """Claimed minus recomputed total (自评虚高), when both are known."""
        if self.score.claimed_total is None or self.score.computed_total is None:
            return None
        return self.score.claimed_total - self.score.computed_total

    @property
    def max_rank(self) -> int:
        """0 with an error, 1 with a warning, 2 with only info, 3 with nothing."""
        return min((f.severity.rank for f in self.findings), default=3)

    def count(self, severity: Severity) -> int:
        """How many findings of ``severity``."""
        return sum(1 for f in self.findings if f.severity is severity)


def analyse(evaluation: Evaluation) -> Analysis:
    """Score and audit ``evaluation``; the reviewed total is the core's (reviewer's scores in place)."""
    audit = api.check(evaluation)
    findings = sorted(audit.findings, key=lambda f: f.severity.rank)
    return Analysis(audit.score, findings, audit.score.reviewed_total)
