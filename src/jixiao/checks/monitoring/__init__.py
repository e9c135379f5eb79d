"""The review of monitoring reports (运行监控审核): the warning lights (预警) and every registered
monitoring check.

``review_monitoring(monitoring, policy, declaration)`` lights the report under the warning policy
(the one it names, else ``national``), then runs each check (a check that raises becomes a
``check.crashed`` error finding; the others still run): a :class:`MonitoringAudit` holding the
findings, most severe first, and the :class:`WarningResult`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from jixiao.checks.monitoring.registry import (
    MONITORING_MODULES,
    MonitoringContext,
    load_monitoring_checks,
    monitoring_check,
    monitoring_codes,
)
from jixiao.checks.monitoring.targets import monitoring_from_declaration
from jixiao.checks.monitoring.warning import IndicatorLight, Lit, WarningResult, warn, worst
from jixiao.checks.registry import CRASHED
from jixiao.declaration import Declaration
from jixiao.findings import Finding, Severity, finding
from jixiao.monitoring import Light, Monitoring
from jixiao.policies.warning import WarningPolicy, builtin_warning_names, load_warning_policy

__all__ = [
    "MONITORING_MODULES",
    "IndicatorLight",
    "Lit",
    "MonitoringAudit",
    "MonitoringContext",
    "WarningResult",
    "load_monitoring_checks",
    "monitoring_check",
    "monitoring_codes",
    "monitoring_from_declaration",
    "policy_of",
    "review_monitoring",
    "warn",
    "worst",
]


class MonitoringAudit(BaseModel):
    """The review of one monitoring report: every finding (most severe first) and the lights."""

    model_config = ConfigDict(extra="forbid")

    findings: list[Finding] = Field(default_factory=list)
    warning: WarningResult

    @property
    def light(self) -> Light:
        """The project's light."""
        return self.warning.light

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return self.count(Severity.error) == 0


def policy_of(monitoring: Monitoring) -> WarningPolicy:
    """The warning policy a report names (``policy``: a built-in name or a file), else ``national``."""
    name = monitoring.policy
    if name and (name in builtin_warning_names() or Path(name).is_file()):
        return load_warning_policy(name)
    return load_warning_policy()


def review_monitoring(
    monitoring: Monitoring,
    policy: WarningPolicy | None = None,
    declaration: Declaration | None = None,
    *,
    today: date | None = None,
) -> MonitoringAudit:
    """Review one monitoring report: its lights under the policy, then every registered check
    (the checks against the approved targets only when the declaration is given)."""
    policy = policy or policy_of(monitoring)
    warning = warn(monitoring, policy)
    ctx = MonitoringContext(
        policy=policy, warning=warning, declaration=declaration, today=today or date.today()
    )
    findings: list[Finding] = []
    for item in load_monitoring_checks():
        try:
            found = item.func(monitoring, ctx)
        except Exception as exc:  # a bug in one check must not hide the others
            found = [
                finding(
                    CRASHED,
                    Severity.error,
                    f"监控审核规则 {item.name} 运行出错（{type(exc).__name__}: {exc}），其余审核照常进行",
                    expected="规则正常运行",
                    actual=f"{type(exc).__name__}: {exc}",
                    rule=item.name,
                )
            ]
        findings.extend(found)
    findings.sort(key=lambda f: f.severity.rank)
    return MonitoringAudit(findings=findings, warning=warning)
