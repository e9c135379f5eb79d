"""Warning policies (运行监控预警规则): when a monitoring report gets a green, yellow or red light.

财预〔2019〕136号 asks for the 双监控 (budget execution and target progress) and for 纠偏 when a
project strays; it sets no national thresholds. The built-in ``national`` policy
(``policies/warning/national.yaml``) documents its defaults as a local choice: execution compared
with 序时进度 (the elapsed share of the year, N/12) with a yellow and a red gap, or with fixed
floors per month (a province's 6月底 ≥ 50%); 完成目标可能性 mapped to lights; a forecast below the
target; 执行率 computed on 到位 instead of the budget. A province's policy is a YAML file that may
``extends: national`` and change what it needs.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao import extends
from jixiao.findings import Finding, Severity, finding
from jixiao.monitoring import Light, Likelihood
from jixiao.yamlio import ParsedDocument, validate

WARNING_DIR = Path(__file__).parent / "warning"
DEFAULT_WARNING = "national"


class WarningPolicyError(Exception):
    """A warning policy could not be loaded; carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExecutionRule(_Strict):
    """Budget execution (预算执行进度): against 序时进度 or fixed floors per month."""

    mode: Literal["elapsed", "floors"] = "elapsed"
    yellow_gap: Decimal = Field(Decimal(10), ge=0)  # points below 序时进度 → yellow
    red_gap: Decimal = Field(Decimal(20), ge=0)  # points below 序时进度 → red
    floors: dict[int, Decimal] = Field(default_factory=dict)  # month → floor (%)
    floor_red_gap: Decimal = Field(Decimal(10), ge=0)  # points below the floor → red
    forecast_yellow: Decimal = Field(Decimal(95), ge=0, le=100)  # 全年预计 below this % of budget → yellow
    forecast_red: Decimal = Field(Decimal(80), ge=0, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> ExecutionRule:
        if self.red_gap < self.yellow_gap:
            raise ValueError("红灯差距（red_gap）不能小于黄灯差距（yellow_gap）")
        if self.forecast_red > self.forecast_yellow:
            raise ValueError("全年预计执行的红灯线（forecast_red）不能高于黄灯线（forecast_yellow）")
        if any(not 1 <= m <= 12 for m in self.floors):
            raise ValueError("固定下限（floors）的月份应在 1 到 12 之间")
        if any(not 0 <= v <= 100 for v in self.floors.values()):
            raise ValueError("固定下限（floors）应在 0 到 100 之间（百分比）")
        if self.mode == "floors" and not self.floors:
            raise ValueError("mode: floors 时应给出各月的固定下限（floors）")
        return self

    def expected(self, month: int) -> Decimal | None:
        """The execution rate expected at the end of ``month`` (%): N/12 × 100, or the latest floor
        not after the month (None when no floor applies yet)."""
        if self.mode == "elapsed":
            return (Decimal(month) * Decimal(100) / Decimal(12)).quantize(Decimal("0.01"))
        due = [m for m in self.floors if m <= month]
        return self.floors[max(due)] if due else None

    def gaps(self) -> tuple[Decimal, Decimal]:
        """The yellow and the red gap below :meth:`expected` (points)."""
        if self.mode == "elapsed":
            return self.yellow_gap, self.red_gap
        return Decimal(0), self.floor_red_gap


class ForecastRule(_Strict):
    """An indicator's 全年预计完成值 short of its 年度指标值, as a share of the target (%)."""

    short_yellow: Decimal = Field(Decimal(0), ge=0)
    short_red: Decimal = Field(Decimal(20), ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> ForecastRule:
        if self.short_red < self.short_yellow:
            raise ValueError("红灯差距（short_red）不能小于黄灯差距（short_yellow）")
        return self


class WarningPolicy(_Strict):
    """A warning policy: the execution rule, the likelihood lights, the forecast rule."""

    name: str
    title: str = ""
    source: str = ""
    extends: str | None = None
    execution: ExecutionRule = Field(default_factory=ExecutionRule)
    likelihood: dict[Likelihood, Light] = Field(
        default_factory=lambda: {
            Likelihood.certain: Light.green,
            Likelihood.possible: Light.yellow,
            Likelihood.impossible: Light.red,
        }
    )
    forecast: ForecastRule = Field(default_factory=ForecastRule)
    rate_on_available: Light = Light.yellow

    @model_validator(mode="after")
    def _complete(self) -> WarningPolicy:
        if set(self.likelihood) != set(Likelihood):
            raise ValueError("完成目标可能性的三档（确定能、有可能、完全不可能）都应对应一种灯")
        return self


def builtin_warning_names() -> list[str]:
    """Names of the warning policies shipped with jixiao: every ``*.yaml`` in ``policies/warning``."""
    return sorted(p.stem for p in WARNING_DIR.glob("*.yaml") if p.is_file())


FAMILY = extends.Family(
    noun="预警规则",
    builtin_dir=WARNING_DIR,
    builtin_names=builtin_warning_names,
    invalid="policy.invalid",
    unknown="policy.unknown",
    not_mapping="预警规则文件应为键值对",
)


def _load_path(path: Path) -> tuple[WarningPolicy | None, list[Finding]]:
    docs, problems = extends.chain(FAMILY, path)
    if not docs:
        return None, problems
    data = extends.merged(docs)
    if len(docs) > 1 and isinstance(docs[0].data, dict) and "title" not in docs[0].data:
        data["title"] = ""  # a local policy is not called by the title of the one it extends
    merged = ParsedDocument(data, docs[0]._raw, docs[0].file)
    return validate(WarningPolicy, merged, "policy.invalid")


@cache
def _builtin(name: str) -> WarningPolicy:
    policy, problems = _load_path(WARNING_DIR / f"{name}.yaml")
    if policy is None:  # pragma: no cover - packaging error
        raise WarningPolicyError(problems)
    return policy


def load_warning_policy_with_findings(
    name_or_path: str | Path | None = None,
) -> tuple[WarningPolicy | None, list[Finding]]:
    """A built-in warning policy by name (default ``national``) or a user file by path; problems are findings."""
    if name_or_path is None or str(name_or_path) == "":
        name_or_path = DEFAULT_WARNING
    if isinstance(name_or_path, str) and name_or_path in builtin_warning_names():
        return _builtin(name_or_path), []
    path = Path(name_or_path)
    if not path.is_file():
        names = "、".join(builtin_warning_names())
        return None, [
            finding(
                "policy.unknown",
                Severity.error,
                f"找不到预警规则“{name_or_path}”：既不是内置规则（{names}），也不是存在的文件",
            )
        ]
    return _load_path(path)


def load_warning_policy(name_or_path: str | Path | None = None) -> WarningPolicy:
    """Load a warning policy or raise ``WarningPolicyError`` with findings."""
    policy, problems = load_warning_policy_with_findings(name_or_path)
    if policy is None:
        raise WarningPolicyError(problems)
    return policy
