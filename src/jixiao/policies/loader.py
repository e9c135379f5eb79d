"""Policy model and loader: built-in YAML files plus user files that extend or override them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao.findings import Finding, Severity, finding
from jixiao.model import Source
from jixiao.yamlio import ParsedDocument, parse_text, read_file, validate

POLICY_DIR = Path(__file__).parent
BUILTIN_POLICIES = ("national-2020",)


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


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in ``override`` replace those in ``base``."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> tuple[ParsedDocument | None, list[Finding]]:
    text, problems = read_file(path)
    if text is None:
        return None, problems
    return parse_text(text, str(path))


@cache
def _builtin_data(name: str) -> dict[str, Any]:
    doc, problems = _read(POLICY_DIR / f"{name}.yaml")
    if doc is None or not isinstance(doc.data, dict):  # pragma: no cover - packaging error
        raise PolicyError(problems)
    return dict(doc.data)


def builtin_policy_names() -> list[str]:
    """Names of the policies shipped with jixiao."""
    return list(BUILTIN_POLICIES)


def _resolve(doc: ParsedDocument, depth: int = 0) -> tuple[dict[str, Any] | None, list[Finding]]:
    data = doc.data
    if not isinstance(data, dict):
        return None, [
            finding(
                "policy.invalid",
                Severity.error,
                "评价政策文件应为键值对",
                source=Source(file=doc.file, line=1),
            )
        ]
    parent = data.get("extends")
    if parent is None:
        return data, []
    if depth > 5:
        return None, [
            finding(
                "policy.invalid", Severity.error, "评价政策的 extends 嵌套过深", source=Source(file=doc.file)
            )
        ]
    if parent in BUILTIN_POLICIES:
        base = _builtin_data(parent)
    else:
        parent_path = Path(doc.file).parent / str(parent)
        if not parent_path.exists():
            return None, [
                finding(
                    "policy.unknown",
                    Severity.error,
                    f"extends 指向的评价政策“{parent}”不存在（内置：{'、'.join(BUILTIN_POLICIES)}）",
                    "extends",
                    source=Source(file=doc.file, line=doc.line_of(["extends"])),
                )
            ]
        parent_doc, problems = _read(parent_path)
        if parent_doc is None:
            return None, problems
        resolved, problems = _resolve(parent_doc, depth + 1)
        if resolved is None:
            return None, problems
        base = resolved
    return _merge(base, data), []


def load_policy_with_findings(name_or_path: str | Path | None) -> tuple[Policy | None, list[Finding]]:
    """Load a built-in policy by name or a user file by path; problems are findings."""
    if name_or_path is None or str(name_or_path) == "":
        name_or_path = "national-2020"
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_POLICIES:
        return _builtin(name_or_path), []
    path = Path(name_or_path)
    if not path.exists():
        return None, [
            finding(
                "policy.unknown",
                Severity.error,
                f"找不到评价政策“{name_or_path}”：既不是内置政策（{'、'.join(BUILTIN_POLICIES)}），也不是存在的文件",
            )
        ]
    doc, problems = _read(path)
    if doc is None:
        return None, problems
    data, problems = _resolve(doc)
    if data is None:
        return None, problems
    merged = ParsedDocument(data, doc._raw, doc.file)
    return validate(Policy, merged, "policy.invalid")


@cache
def _builtin(name: str) -> Policy:
    return Policy.model_validate(_builtin_data(name))


def load_policy(name_or_path: str | Path | None = None) -> Policy:
    """Load a policy or raise ``PolicyError`` with findings."""
    policy, problems = load_policy_with_findings(name_or_path)
    if policy is None:
        raise PolicyError(problems)
    return policy
