"""Score and audit an evaluation through ``jixiao.api`` and project the result onto indexed columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao import api
from jixiao.findings import Finding, Severity, finding
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


def _fallback_findings(score: ScoreResult) -> list[Finding]:
    """Until ``api.check`` lands: a warning for every indicator claimed above its recomputed score."""
    out = list(score.findings)
    for s in score.indicators:
        if s.claimed is not None and s.computed is not None and s.verified and s.claimed > s.computed:
            out.append(
                finding(
                    "score.claimed-above-rule",
                    Severity.warning,
                    f"“{s.name or s.level2 or s.level1}”填报得分 {s.claimed} 高于按规则计算的 {s.computed}：{s.explanation}",
                    f"indicators[{s.index}].claimed",
                    expected=s.computed,
                    actual=s.claimed,
                )
            )
    return out


def reviewed_total(evaluation: Evaluation, score: ScoreResult) -> Decimal | None:
    """The total after the reviewer's scores replace the recomputed ones (None when nothing reviewed)."""
    reviewed = [(i, ind.reviewed) for i, ind in enumerate(evaluation.indicators) if ind.reviewed is not None]
    if not reviewed or score.computed_total is None:
        return None
    total = score.computed_total
    by_index = {s.index: s for s in score.indicators}
    for i, value in reviewed:
        line = by_index.get(i)
        base = line.effective if line is not None else None
        total += value - (base or Decimal(0))
    return total


def analyse(evaluation: Evaluation) -> Analysis:
    """Score and audit ``evaluation`` (``api.check`` when available, else ``api.score``)."""
    try:
        audit = api.check(evaluation)
    except ModuleNotFoundError:
        score = api.score(evaluation)
        return Analysis(score, _fallback_findings(score), reviewed_total(evaluation, score))
    findings = sorted(audit.findings, key=lambda f: f.severity.rank)
    return Analysis(audit.score, findings, reviewed_total(evaluation, audit.score))
