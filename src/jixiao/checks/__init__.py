"""The audit (复核): every registered check on one evaluation, plus the recomputed result.

``run_checks(evaluation, policy)`` scores the evaluation by the rules, runs each check in turn
(a check that raises becomes a ``check.crashed`` error finding; the others still run) and returns
an ``Audit``: the score result and every finding, most severe first.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.checks.merge import one_finding_per_problem, placed
from jixiao.checks.registry import CRASHED, CheckContext, check, load_checks, registered_codes
from jixiao.checks.slips import mended, unit_slips
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation
from jixiao.policies import Policy
from jixiao.scoring import score_evaluation
from jixiao.scoring.result import ScoreResult

__all__ = ["Audit", "CheckContext", "check", "registered_codes", "run_checks"]


class Audit(BaseModel):
    """The result of auditing one evaluation: the recomputed score and the findings."""

    model_config = ConfigDict(extra="forbid")

    score: ScoreResult
    findings: list[Finding] = Field(default_factory=list)  # most severe first

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return self.count(Severity.error) == 0

    @property
    def reviewed_total(self) -> Decimal | None:
        """The total with the reviewer's scores in place (复核总分), when a reviewer scored."""
        return self.score.reviewed_total

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


def _crashed(name: str, exc: Exception) -> Finding:
    return finding(
        CRASHED,
        Severity.error,
        f"复核规则 {name} 运行出错（{type(exc).__name__}: {exc}），其余复核照常进行",
        expected="规则正常运行",
        actual=f"{type(exc).__name__}: {exc}",
        rule=name,
    )


def run_checks(evaluation: Evaluation, policy: Policy) -> Audit:
    """Audit one evaluation: score it, run every registered check, sort the findings by severity."""
    findings: list[Finding] = []
    slips = unit_slips(evaluation)
    evaluation = mended(evaluation, slips)  # one slip, one finding: the rest see the meant amount
    try:
        score = score_evaluation(evaluation, policy)
    except Exception as exc:  # a scoring bug: still run the checks that need no scores
        score = ScoreResult(policy=policy.name, granularity="total")
        findings.append(_crashed("jixiao.scoring.score_evaluation", exc))
    ctx = CheckContext(policy=policy, score=score, slips=tuple(slips))
    findings.extend(score.findings)
    for item in load_checks():
        try:
            findings.extend(item.func(evaluation, ctx))
        except Exception as exc:  # a bug in one check must not hide the others
            findings.append(_crashed(item.name, exc))
    findings = one_finding_per_problem([placed(f, evaluation) for f in findings])
    findings.sort(key=lambda f: f.severity.rank)
    return Audit(score=score, findings=findings)
