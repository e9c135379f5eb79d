"""Findings: data problems as records, never exceptions (复核意见)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from jixiao.model import Source


class Severity(StrEnum):
    """How serious a finding is."""

    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        """0 for error, 1 for warning, 2 for info (sort key: most severe first)."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]

    @property
    def chinese(self) -> str:
        """The Chinese label shown to users."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Location(BaseModel):
    """Where a finding points: a field path in the evaluation and, when known, the source."""

    model_config = ConfigDict(extra="forbid")

    path: str = ""  # e.g. "funds.execution_rate" or "indicators[3].claimed"
    source: Source | None = None

    def describe(self) -> str:
        """``file:line`` when the source is known, else the field path."""
        if self.source is not None and self.source.describe():
            return self.source.describe()
        return self.path


class Finding(BaseModel):
    """One problem found in an evaluation (or in the file that holds it)."""

    model_config = ConfigDict(extra="forbid")

    code: str  # stable, namespaced: "funds.execution-rate"
    severity: Severity
    message: str  # Chinese, with the numbers, like a reviewer's note
    location: Location = Location()
    expected: Any = None
    actual: Any = None
    rule: str | None = None  # the rule it rests on, e.g. "财预〔2020〕10号 附件1"

    def at(self, source: Source | None) -> Finding:
        """Copy of this finding with the source position filled in when it was missing."""
        if source is None or self.location.source is not None:
            return self
        return self.model_copy(update={"location": Location(path=self.location.path, source=source)})


def finding(
    code: str,
    severity: Severity | str,
    message: str,
    path: str = "",
    *,
    source: Source | None = None,
    expected: Any = None,
    actual: Any = None,
    rule: str | None = None,
) -> Finding:
    """Build a finding with a location in one call."""
    return Finding(
        code=code,
        severity=Severity(severity),
        message=message,
        location=Location(path=path, source=source),
        expected=expected,
        actual=actual,
        rule=rule,
    )


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity is Severity.error for f in findings)
