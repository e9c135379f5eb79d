"""Review rubrics (绩效目标审核评分规则): how findings on a target declaration become points per
criterion, a total and a result (优 / 良 / 中 / 差) with its consequence for the budget.

财预〔2015〕88号 fixes the four criteria (第十七条: 完整性, 相关性, 适当性, 可行性) and the four
results (第十九条); it sets no numeric weights. The built-in ``national`` rubric
(``policies/review/national.yaml``) documents its weights, deductions and bands as a local
default. A bureau's rubric is a YAML file that may ``extends: national`` and change what it needs.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao import extends
from jixiao.declaration import Criterion, ReviewGrade
from jixiao.findings import Finding, Severity, finding
from jixiao.yamlio import ParsedDocument, validate

RUBRIC_DIR = Path(__file__).parent / "review"
DEFAULT_RUBRIC = "national"


class RubricError(Exception):
    """A rubric could not be loaded; carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RubricGrade(_Strict):
    """One result band: totals ≥ ``min`` (and below the next band) get ``name`` and its consequence."""

    name: ReviewGrade
    min: Decimal = Field(ge=0)
    consequence: str = Field(min_length=1)


class Rubric(_Strict):
    """A review rubric: criterion weights, deductions per severity and per code, result bands."""

    name: str
    title: str = ""
    source: str = ""
    extends: str | None = None
    full_marks: Decimal = Field(Decimal(100), gt=0)
    criteria: dict[Criterion, Decimal]
    deductions: dict[Severity, Decimal]
    max_per_code: int | None = Field(default=None, ge=1)  # findings of one code counted at most
    codes: dict[str, Decimal] = Field(default_factory=dict)  # deduction per code (overrides severity)
    grades: list[RubricGrade]
    caps: dict[str, ReviewGrade] = Field(default_factory=dict)  # code → best result it allows
    history_ceiling: Decimal = Field(Decimal("1.5"), gt=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        if set(self.criteria) != set(Criterion):
            missing = "、".join(c.value for c in Criterion if c not in self.criteria)
            raise ValueError(f"四项审核要点都应有权重，缺少：{missing}")
        if sum(self.criteria.values(), Decimal(0)) != self.full_marks:
            raise ValueError(f"四项审核要点的权重合计应为满分{self.full_marks}")
        if any(w < 0 for w in self.criteria.values()) or any(d < 0 for d in self.deductions.values()):
            raise ValueError("权重和扣分不能为负数")
        mins = [g.min for g in self.grades]
        if [g.name for g in self.grades] != list(ReviewGrade):
            raise ValueError("等级应依次为 优、良、中、差")
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins) or mins[-1] != 0:
            raise ValueError("等级下限应从高到低排列、互不相同，最低等级的下限为 0")
        return self

    def deduction(self, f: Finding) -> Decimal:
        """The points one finding takes off its criterion."""
        if f.code in self.codes:
            return self.codes[f.code]
        return self.deductions.get(f.severity, Decimal(0))

    def band(self, total: Decimal) -> RubricGrade:
        """The result band a total falls in (lower bounds inclusive)."""
        for grade in self.grades:
            if total >= grade.min:
                return grade
        return self.grades[-1]

    def grade(self, name: ReviewGrade) -> RubricGrade:
        """The band of a result."""
        return next(g for g in self.grades if g.name is name)


def builtin_rubric_names() -> list[str]:
    """Names of the rubrics shipped with jixiao: every ``*.yaml`` in ``policies/review``."""
    return sorted(p.stem for p in RUBRIC_DIR.glob("*.yaml") if p.is_file())


FAMILY = extends.Family(
    noun="审核评分规则",
    builtin_dir=RUBRIC_DIR,
    builtin_names=builtin_rubric_names,
    invalid="policy.invalid",
    unknown="policy.unknown",
    not_mapping="审核评分规则文件应为键值对",
)


def _load_path(path: Path) -> tuple[Rubric | None, list[Finding]]:
    docs, problems = extends.chain(FAMILY, path)
    if not docs:
        return None, problems
    data = extends.merged(docs)
    if len(docs) > 1 and isinstance(docs[0].data, dict) and "title" not in docs[0].data:
        data["title"] = ""  # a local rubric is not called by the title of the one it extends
    merged = ParsedDocument(data, docs[0]._raw, docs[0].file)
    return validate(Rubric, merged, "policy.invalid")


@cache
def _builtin(name: str) -> Rubric:
    rubric, problems = _load_path(RUBRIC_DIR / f"{name}.yaml")
    if rubric is None:  # pragma: no cover - packaging error
        raise RubricError(problems)
    return rubric


def load_rubric_with_findings(name_or_path: str | Path | None = None) -> tuple[Rubric | None, list[Finding]]:
    """A built-in rubric by name (default ``national``) or a user file by path; problems are findings."""
    if name_or_path is None or str(name_or_path) == "":
        name_or_path = DEFAULT_RUBRIC
    if isinstance(name_or_path, str) and name_or_path in builtin_rubric_names():
        return _builtin(name_or_path), []
    path = Path(name_or_path)
    if not path.is_file():
        names = "、".join(builtin_rubric_names())
        return None, [
            finding(
                "policy.unknown",
                Severity.error,
                f"找不到审核评分规则“{name_or_path}”：既不是内置规则（{names}），也不是存在的文件",
            )
        ]
    return _load_path(path)


def load_rubric(name_or_path: str | Path | None = None) -> Rubric:
    """Load a rubric or raise ``RubricError`` with findings."""
    rubric, problems = load_rubric_with_findings(name_or_path)
    if rubric is None:
        raise RubricError(problems)
    return rubric
