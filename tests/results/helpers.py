"""Shared builders for the rectification and result-use tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jixiao.checks import Audit
from jixiao.findings import Finding, Location, Severity
from jixiao.model import Evaluation, FundLine, Funds, FundSource, Kind, Project, Source
from jixiao.rectification import Origin, RectificationItem
from jixiao.scoring.result import ScoreResult

FOUND_ON = date(2025, 3, 1)


def evaluation(
    name: str = "示范项目",
    *,
    problems: list[str] | None = None,
    suggestions: list[str] | None = None,
    budget: str | None = "100",
    unit: str = "示范单位",
    kind: Kind = Kind.self,
) -> Evaluation:
    """A small evaluation: a project, its funds and its printed problems."""
    total = FundLine(source=FundSource.total, budget=Decimal(budget) if budget else None)
    return Evaluation(
        kind=kind,
        year=2024,
        project=Project(name=name, unit=unit),
        funds=Funds(total=total),
        problems=problems or [],
        suggestions=suggestions or [],
    )


def found(code: str, severity: Severity, message: str, path: str = "", line: int | None = None) -> Finding:
    """A finding at a field path, printed at a line of a source file when ``line`` is given."""
    source = Source(file="报告.txt", line=line) if line else None
    return Finding(code=code, severity=severity, message=message, location=Location(path=path, source=source))


def audit(*findings: Finding) -> Audit:
    """An audit holding the given findings."""
    return Audit(score=ScoreResult(policy="national-2020", granularity="total"), findings=list(findings))


def item(
    status: str = "pending", deadline: date | None = date(2025, 6, 1), **fields: object
) -> RectificationItem:
    """A ledger item with the given status and deadline."""
    return RectificationItem.model_validate(
        {
            "project": "示范项目",
            "problem": "预算执行率偏低",
            "origin": Origin.review,
            "status": status,
            "deadline": deadline,
            **fields,
        }
    )
