"""Policy model and loader: built-in YAML files plus user files that extend or override them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao import extends
from jixiao.findings import Finding, Severity, finding
from jixiao.yamlio import ParsedDocument, validate

POLICY_DIR = Path(__file__).parent


class PolicyError(Exception):
    """A policy could not be loaded; carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grade(_Strict):
    """One grade band: totals ≥ ``min`` (and below the next band) get ``name``."""

    name: str
    min: Decimal = Field(ge=0)


class Band(_Strict):
    """A share band of the weight, e.g. 达成 → [0.8, 1.0]."""

    lower: Decimal = Field(ge=0, le=1)
    upper: Decimal = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.lower > self.upper:
            raise ValueError("lower 不能大于 upper")
        return self


class Ratio(_Strict):
    """Formula per direction."""

    higher: Literal["proportional"] = "proportional"
    lower: Literal["linear-2t", "inverse", "all-or-nothing"] = "linear-2t"
    equal: Literal["zero-target", "exact"] = "zero-target"


class Rounding(_Strict):
    """Rounding of computed scores and rates."""

    places: int = Field(2, ge=0, le=6)
    mode: Literal["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN"] = "ROUND_HALF_UP"


class RateFormula(_Strict):
    """A funds rate: numerator stage / first known denominator stage."""

    numerator: Literal["spent", "available"]
    denominator: list[Literal["budget", "budget_adjusted", "available"]]
    weight: Decimal | None = None
    score: Literal["capped", "proportional"] = "capped"


class SurveyPolicy(_Strict):
    """Satisfaction survey parameters (§6)."""

    scale: list[str]
    option_weights: dict[str, Decimal]
    satisfied: list[str]
    confidence: Decimal = Field(Decimal("0.95"), gt=0, lt=1)
    max_margin: Decimal = Field(Decimal(5), gt=0)
    min_sample: int = Field(30, ge=1)
    full_marks_at: Decimal = Field(Decimal(90), gt=0, le=100)


class Inflation(_Strict):
    """Self-score inflation thresholds."""

    near_full_total: Decimal = Field(Decimal(95), ge=0, le=100)


class Policy(_Strict):
    """A named set of scoring and checking parameters."""

    name: str
    title: str = ""
    source: str = ""
    extends: str | None = None
    grades: list[Grade]
    grade_aliases: dict[str, list[str]] = Field(default_factory=dict)
    self_weights: dict[str, Decimal]
    satisfaction_absent_to: list[str]
    ratio: Ratio = Ratio()
    qualitative_bands: dict[str, Band]
    qualitative_default: Literal["none", "upper", "lower", "middle"] = "none"
    grade_scale: dict[str, Decimal]
    over_achievement: Decimal = Field(Decimal("1.30"), gt=1)
    rounding: Rounding = Rounding()
    execution: RateFormula
    execution_indicator: RateFormula
    arrival: RateFormula
    results_first_minimum: Decimal = Field(Decimal(60), ge=0, le=100)
    survey: SurveyPolicy
    inflation: Inflation = Inflation()

    @field_validator("grades")
    @classmethod
    def _grades_descending(cls, grades: list[Grade]) -> list[Grade]:
        if not grades:
            raise ValueError("至少需要一个等级")
        mins = [g.min for g in grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("等级下限应从高到低排列且互不相同")
        if mins[-1] != 0:
            raise ValueError("最低等级的下限应为 0")
        return grades

    def grade_of(self, total: Decimal) -> str:
        """The grade band a total falls in (lower bounds inclusive), the total rounded once by the
        policy first: 89.995 is printed 90.00 and graded 优, never “90.00分…应为良”."""
        total = self.round(total)
        for grade in self.grades:
            if total >= grade.min:
                return grade.name
        return self.grades[-1].name

    def canonical_grade(self, printed: str) -> str | None:
        """The band name a printed grade means (优秀 → 优, 一等 → 优), or None if unknown."""
        text = printed.strip()
        for name, aliases in self.grade_aliases.items():
            if text == name or text in aliases:
                return name
        for grade in self.grades:
            if text == grade.name:
                return grade.name
        for name, aliases in self.grade_aliases.items():  # "自评优秀", "等级：良"
            if any(alias and alias in text for alias in [name, *aliases] if len(alias) > 1):
                return name
        return None

    def round(self, value: Decimal) -> Decimal:
        """Round a computed score or rate to the policy's places and mode."""
        quantum = Decimal(1).scaleb(-self.rounding.places)
        return value.quantize(quantum, rounding=self.rounding.mode or ROUND_HALF_UP)


def builtin_policy_names() -> list[str]:
    """Names of the policies shipped with jixiao: every ``*.yaml`` in this folder, sorted."""
    return sorted(p.stem for p in POLICY_DIR.glob("*.yaml") if p.is_file())


FAMILY = extends.Family(
    noun="评价政策",
    builtin_dir=POLICY_DIR,
    builtin_names=builtin_policy_names,
    invalid="policy.invalid",
    unknown="policy.unknown",
    not_mapping="评价政策文件应为键值对",
)


def _load_path(path: Path) -> tuple[Policy | None, list[Finding]]:
    docs, problems = extends.chain(FAMILY, path)
    if not docs:
        return None, problems
    merged = ParsedDocument(extends.merged(docs), docs[0]._raw, docs[0].file)
    return validate(Policy, merged, "policy.invalid")


def load_policy_with_findings(name_or_path: str | Path | None) -> tuple[Policy | None, list[Finding]]:
    """Load a built-in policy by name or a user file by path; problems are findings."""
    if name_or_path is None or str(name_or_path) == "":
        name_or_path = "national-2020"
    if isinstance(name_or_path, str) and name_or_path in builtin_policy_names():
        return _builtin(name_or_path), []
    path = Path(name_or_path)
    if not path.exists():
        return None, [
            finding(
                "policy.unknown",
                Severity.error,
                f"找不到评价政策“{name_or_path}”：既不是内置政策（{'、'.join(builtin_policy_names())}），也不是存在的文件",
            )
        ]
    return _load_path(path)


@cache
def _builtin(name: str) -> Policy:
    policy, problems = _load_path(POLICY_DIR / f"{name}.yaml")
    if policy is None:  # pragma: no cover - packaging error
        raise PolicyError(problems)
    return policy


def load_policy(name_or_path: str | Path | None = None) -> Policy:
    """Load a policy or raise ``PolicyError`` with findings."""
    policy, problems = load_policy_with_findings(name_or_path)
    if policy is None:
        raise PolicyError(problems)
    return policy
