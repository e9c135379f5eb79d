"""Result-use policies (评价结果应用): how an evaluation's grade becomes next year's budget suggestion.

财预〔2020〕10号 第三十七条 ties evaluation results to the budget (优、良 supported; 中、差 cut "根据情况";
projects not rectified cut or held until rectified) and 中发〔2018〕34号 asks that 低效无效资金 be
cut or cancelled; neither sets a share. The built-in ``national`` policy
(``policies/results/national.yaml``) documents its shares as a local default. A bureau's policy is a
YAML file that may ``extends: national`` and change what it needs.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao import extends
from jixiao.findings import Finding, Severity, finding
from jixiao.yamlio import ParsedDocument, validate

RESULTS_POLICY_DIR = Path(__file__).parent / "results"
DEFAULT_RESULTS_POLICY = "national"
GRADES = ("优", "良", "中", "差")


class ResultsPolicyError(Exception):
    """A result-use policy could not be loaded; carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradeUse(_Strict):
    """What one grade leads to: the action as worded, the change in percent, the rule it rests on."""

    action: str = Field(min_length=1)
    change: Decimal | None = Field(default=None, ge=-100)  # None: no share (the amount is not computed)
    basis: str = ""


class NoGrade(_Strict):
    """The suggestion when no grade can be used."""

    action: str = Field("待定", min_length=1)
    basis: str = ""


class Unrectified(_Strict):
    """The extra change for a project with overdue or declined rectification items."""

    change: Decimal = Field(Decimal(0), le=0, ge=-100)
    note: str = ""


class ResultsPolicy(_Strict):
    """A result-use policy: grade → action and change, and what an unrectified problem adds."""

    name: str
    title: str = ""
    source: str = ""
    extends: str | None = None
    grades: dict[str, GradeUse]
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    no_grade: NoGrade = NoGrade()
    unrectified: Unrectified = Unrectified()
    rounding: int = Field(2, ge=0, le=6)
    deadline_days: int = Field(90, ge=1, le=3650)

    @model_validator(mode="after")
    def _consistent(self) -> ResultsPolicy:
        if set(self.grades) != set(GRADES):
            missing = "、".join(g for g in GRADES if g not in self.grades)
            extra = "、".join(g for g in self.grades if g not in GRADES)
            parts = [f"缺少：{missing}" if missing else "", f"多出：{extra}" if extra else ""]
            raise ValueError("评价等级应为 优、良、中、差 四档（" + "；".join(p for p in parts if p) + "）")
        if set(self.aliases) - set(GRADES):
            raise ValueError("aliases 的键应为 优、良、中、差")
        return self

    def grade_of(self, printed: str | None) -> str | None:
        """The grade a printed name means (优秀 → 优), None when it means none."""
        if not printed:
            return None
        text = printed.strip()
        if text in self.grades:
            return text
        return next((grade for grade, names in self.aliases.items() if text in names), None)


def builtin_results_policy_names() -> list[str]:
    """Names of the result-use policies shipped with jixiao: every ``*.yaml`` in ``policies/results``."""
    return sorted(p.stem for p in RESULTS_POLICY_DIR.glob("*.yaml") if p.is_file())


FAMILY = extends.Family(
    noun="结果应用政策",
    builtin_dir=RESULTS_POLICY_DIR,
    builtin_names=builtin_results_policy_names,
    invalid="policy.invalid",
    unknown="policy.unknown",
    not_mapping="结果应用政策文件应为键值对",
)


def _load_path(path: Path) -> tuple[ResultsPolicy | None, list[Finding]]:
    docs, problems = extends.chain(FAMILY, path)
    if not docs:
        return None, problems
    data = extends.merged(docs)
    if len(docs) > 1 and isinstance(docs[0].data, dict) and "title" not in docs[0].data:
        data["title"] = ""  # a local policy is not called by the title of the one it extends
    merged = ParsedDocument(data, docs[0]._raw, docs[0].file)
    return validate(ResultsPolicy, merged, "policy.invalid")


@cache
def _builtin(name: str) -> ResultsPolicy:
    policy, problems = _load_path(RESULTS_POLICY_DIR / f"{name}.yaml")
    if policy is None:  # pragma: no cover - packaging error
        raise ResultsPolicyError(problems)
    return policy


def load_results_policy_with_findings(
    name_or_path: str | Path | None = None,
) -> tuple[ResultsPolicy | None, list[Finding]]:
    """A built-in result-use policy by name (default ``national``) or a user file; problems are findings."""
    if name_or_path is None or str(name_or_path) == "":
        name_or_path = DEFAULT_RESULTS_POLICY
    if isinstance(name_or_path, str) and name_or_path in builtin_results_policy_names():
        return _builtin(name_or_path), []
    path = Path(name_or_path)
    if not path.is_file():
        names = "、".join(builtin_results_policy_names())
        message = f"找不到结果应用政策“{name_or_path}”：既不是内置政策（{names}），也不是存在的文件"
        return None, [finding("policy.unknown", Severity.error, message)]
    return _load_path(path)


def load_results_policy(name_or_path: str | Path | None = None) -> ResultsPolicy:
    """Load a result-use policy or raise ``ResultsPolicyError`` with findings."""
    policy, problems = load_results_policy_with_findings(name_or_path)
    if policy is None:
        raise ResultsPolicyError(problems)
    return policy
