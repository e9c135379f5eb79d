"""Findings: data problems as records, never exceptions (复核意见)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from jixiao.model import Source
from jixiao.places import place_of
from jixiao.vocabulary import SEVERITY_NAMES


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
        return SEVERITY_NAMES[self.value]


class Location(BaseModel):
    """Where a finding points: a field path in the evaluation (for programs), its Chinese name
    (for people) and, when known, the place in the source document."""

    model_config = ConfigDict(extra="forbid")

    path: str = ""  # e.g. "funds.execution_rate" or "indicators[3].claimed"
    place: str = ""  # e.g. "产出指标 / 数量指标 / 参保人数 得分" (jixiao.places.place_of)
    source: Source | None = None

    def describe(self, *, file: bool = True) -> str:
        """The place in Chinese and, when known, where the source prints it
        (“产出指标 / 数量指标 / 参保人数 得分（申报表.xlsx 表1 第4行）”, without the file name when
        ``file`` is False); never a field path."""
        place = self.place or place_of(self.path)
        where = self.source.describe(file=file) if self.source is not None else ""
        if place and where:
            return f"{place}（{where}）"
        return place or where


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
        return self.model_copy(update={"location": self.location.model_copy(update={"source": source})})


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
