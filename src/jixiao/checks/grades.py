"""Grade checks (评价等级): the printed grade against the band of the total."""

from __future__ import annotations

from jixiao.checks.common import amount_text
from jixiao.checks.registry import CheckContext, check
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation
from jixiao.policies import Policy

RULE_GRADES = "评价等级：优 ≥90、良 [80,90)、中 [60,80)、差 <60（评价政策参数）"


def _bands(policy: Policy) -> str:
    return "、".join(f"{g.name}≥{amount_text(g.min, 0)}" for g in policy.grades)


@check("grade.mismatch", "grade.unknown", "grade.missing", "grade.recomputed")
def grade_band(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The printed grade is the band of the printed total; say when the recomputed total changes it."""
    policy, score = ctx.policy, ctx.score
    claims = evaluation.claims
    total = score.claimed_total
    path = "claims.grade"
    if claims.grade is None:
        if total is None:
            return []
        return [
            finding(
                "grade.missing",
                Severity.info,
                f"未印评价等级；总分{amount_text(total)}分按等级标准（{_bands(policy)}）应为“{policy.grade_of(total)}”",
                path,
                source=claims.source,
                expected=policy.grade_of(total),
                rule=RULE_GRADES,
            )
        ]
    canonical = policy.canonical_grade(claims.grade)
    if canonical is None:
        return [
            finding(
                "grade.unknown",
                Severity.warning,
                f"评价等级“{claims.grade}”不是评价政策中的等级（{'、'.join(g.name for g in policy.grades)}）",
                path,
                source=claims.source,
                actual=claims.grade,
                rule=RULE_GRADES,
            )
        ]
    out: list[Finding] = []
    if total is not None and canonical != policy.grade_of(total):
        out.append(
            finding(
                "grade.mismatch",
                Severity.error,
                f"评价等级印为“{claims.grade}”，但总分{amount_text(total)}分按等级标准（{_bands(policy)}）"
                f"应为“{policy.grade_of(total)}”",
                path,
                source=claims.source,
                expected=policy.grade_of(total),
                actual=claims.grade,
                rule=RULE_GRADES,
            )
        )
    computed = score.computed_total
    if (
        total is not None
        and computed is not None
        and canonical == policy.grade_of(total)
        and score.computed_grade is not None
        and score.computed_grade != canonical
    ):
        out.append(
            finding(
                "grade.recomputed",
                Severity.warning,
                f"按评分规则重算总分为{amount_text(computed)}分，等级应为“{score.computed_grade}”，"
                f"而不是按填报总分{amount_text(total)}分评定的“{claims.grade}”",
                path,
                source=claims.source,
                expected=score.computed_grade,
                actual=claims.grade,
                rule=RULE_GRADES,
            )
        )
    return out
