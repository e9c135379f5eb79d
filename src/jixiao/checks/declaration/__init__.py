"""The review of target declarations (绩效目标审核): every registered declaration check, and the
rubric's verdict.

``review_declaration(declaration, rubric, standards)`` runs each check (a check that raises
becomes a ``check.crashed`` error finding; the others still run), then the rubric takes points
off the criterion each finding belongs to and gives the result (优 / 良 / 中 / 差) with its
consequence: a :class:`DeclarationAudit` holding the :class:`~jixiao.declaration.ReviewResult`
and the findings, most severe first.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from jixiao.checks.declaration.appropriateness import slip_factor
from jixiao.checks.declaration.registry import (
    DECLARATION_MODULES,
    DeclarationContext,
    declaration_check,
    declaration_codes,
    load_declaration_checks,
)
from jixiao.checks.declaration.standards import StandardItem, Standards, load_standards
from jixiao.checks.declaration.thread import compare_with_declaration, evaluation_from_declaration
from jixiao.checks.registry import CRASHED
from jixiao.declaration import Criterion, CriterionResult, Declaration, ReviewGrade, ReviewResult
from jixiao.findings import Finding, Severity, finding
from jixiao.policies.rubric import Rubric, builtin_rubric_names, load_rubric

__all__ = [
    "DECLARATION_MODULES",
    "DeclarationAudit",
    "DeclarationContext",
    "StandardItem",
    "Standards",
    "compare_with_declaration",
    "declaration_check",
    "declaration_codes",
    "evaluation_from_declaration",
    "load_standards",
    "review_declaration",
    "review_result",
    "rubric_of",
]

GRADE_ORDER = list(ReviewGrade)  # 优 first


class DeclarationAudit(BaseModel):
    """The review of one declaration: the rubric's result and every finding (most severe first)."""

    model_config = ConfigDict(extra="forbid")

    result: ReviewResult
    findings: list[Finding] = Field(default_factory=list)
    criteria: dict[str, Criterion] = Field(default_factory=dict)  # finding code → its criterion

    def by_criterion(self) -> dict[Criterion, list[Finding]]:
        """The findings of each criterion, in the rubric's order (empty lists kept)."""
        out: dict[Criterion, list[Finding]] = {c: [] for c in Criterion}
        for f in self.findings:
            out[self.criteria.get(f.code, Criterion.completeness)].append(f)
        return out

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return self.count(Severity.error) == 0


def _crashed(name: str, exc: Exception) -> Finding:
    return finding(
        CRASHED,
        Severity.error,
        f"审核规则 {name} 运行出错（{type(exc).__name__}: {exc}），其余审核照常进行",
        expected="规则正常运行",
        actual=f"{type(exc).__name__}: {exc}",
        rule=name,
    )


def review_result(findings: list[Finding], criteria: dict[str, Criterion], rubric: Rubric) -> ReviewResult:
    """The rubric's verdict on a declaration's findings: points off each criterion (never below
    zero; at most ``max_per_code`` findings of one code counted), the total, the result band
    (capped by ``caps``) and its consequence."""
    taken: dict[Criterion, Decimal] = defaultdict(Decimal)
    codes: dict[Criterion, list[str]] = defaultdict(list)
    seen: dict[str, int] = defaultdict(int)
    for f in findings:
        criterion = criteria.get(f.code)
        if criterion is None:
            continue
        seen[f.code] += 1
        if rubric.max_per_code is not None and seen[f.code] > rubric.max_per_code:
            continue
        points = rubric.deduction(f)
        if points <= 0:
            continue
        taken[criterion] += points
        if f.code not in codes[criterion]:
            codes[criterion].append(f.code)
    results = []
    for criterion in Criterion:
        weight = rubric.criteria[criterion]
        deducted = min(weight, taken[criterion])
        results.append(
            CriterionResult(
                criterion=criterion,
                weight=weight,
                deducted=deducted,
                score=weight - deducted,
                codes=codes[criterion],
            )
        )
    total = sum((r.score for r in results), Decimal(0)) * Decimal(100) / rubric.full_marks
    band = rubric.band(total).name
    for f in findings:
        cap = rubric.caps.get(f.code)
        if cap is not None and GRADE_ORDER.index(cap) > GRADE_ORDER.index(band):
            band = cap
    return ReviewResult(
        rubric=rubric.name,
        rubric_title=rubric.title or None,
        criteria=results,
        total=total.quantize(Decimal("0.01")),
        grade=band,
        consequence=rubric.grade(band).consequence,
    )


def rubric_of(declaration: Declaration) -> Rubric:
    """The rubric a declaration names (``policy``: a built-in rubric or a rubric file), else the
    default: a round's evaluation policy (national-2020 …) is no review rubric."""
    name = declaration.policy
    if name and (name in builtin_rubric_names() or Path(name).is_file()):
        return load_rubric(name)
    return load_rubric()


def review_declaration(
    declaration: Declaration, rubric: Rubric | None = None, standards: Standards | None = None
) -> DeclarationAudit:
    """Review (审核) one declaration: every registered check, then the rubric's result."""
    rubric = rubric or rubric_of(declaration)
    checks = load_declaration_checks()
    criteria = {code: item.criterion for item in checks for code in item.codes}
    ctx = DeclarationContext(
        standards=standards, factor=slip_factor(declaration), history_ceiling=rubric.history_ceiling
    )
    findings: list[Finding] = []
    for item in checks:
        try:
            found = item.func(declaration, ctx)
        except Exception as exc:  # a bug in one check must not hide the others
            found = [_crashed(item.name, exc)]
            criteria.setdefault(CRASHED, item.criterion)
        findings.extend(found)
    findings.sort(key=lambda f: f.severity.rank)
    return DeclarationAudit(
        result=review_result(findings, criteria, rubric), findings=findings, criteria=criteria
    )
