"""The registry of monitoring checks (运行监控审核): pure functions ``(monitoring, ctx) -> findings``.

Topic modules decorate their functions with ``@monitoring_check("mon.code")``; importing them
fills ``MONITORING_REGISTRY``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from jixiao.checks.monitoring.warning import WarningResult
from jixiao.declaration import Declaration
from jixiao.findings import Finding
from jixiao.monitoring import Monitoring
from jixiao.policies.warning import WarningPolicy, load_warning_policy

# Topic modules, in the order their checks run.
MONITORING_MODULES: tuple[str, ...] = (
    "jixiao.checks.monitoring.figures",
    "jixiao.checks.monitoring.progress",
    "jixiao.checks.monitoring.targets",
)


@dataclass(frozen=True)
class MonitoringContext:
    """What every monitoring check may use besides the report: the warning policy and its lights,
    the approved declaration (when given) and today's date (for a cut-off in the future)."""

    policy: WarningPolicy = field(default_factory=load_warning_policy)
    warning: WarningResult | None = None
    declaration: Declaration | None = None
    today: date = field(default_factory=date.today)


MonitoringCheckFunc = Callable[[Monitoring, MonitoringContext], list[Finding]]


@dataclass(frozen=True)
class RegisteredMonitoringCheck:
    """A monitoring check with its name (module.function) and the codes it may emit."""

    name: str
    codes: tuple[str, ...]
    func: MonitoringCheckFunc


MONITORING_REGISTRY: list[RegisteredMonitoringCheck] = []


def monitoring_check(*codes: str) -> Callable[[MonitoringCheckFunc], MonitoringCheckFunc]:
    """Decorator: register a monitoring check with the stable codes it may emit."""
    if not codes:
        raise ValueError("a check must declare the codes it emits")

    def decorate(func: MonitoringCheckFunc) -> MonitoringCheckFunc:
        name = f"{func.__module__}.{func.__qualname__}"
        MONITORING_REGISTRY[:] = [item for item in MONITORING_REGISTRY if item.name != name]
        MONITORING_REGISTRY.append(RegisteredMonitoringCheck(name, codes, func))
        return func

    return decorate


def load_monitoring_checks() -> list[RegisteredMonitoringCheck]:
    """Import every topic module and return the registered checks in run order."""
    for name in MONITORING_MODULES:
        importlib.import_module(name)
    order = {name: i for i, name in enumerate(MONITORING_MODULES)}
    return sorted(MONITORING_REGISTRY, key=lambda item: order.get(item.name.rsplit(".", 1)[0], len(order)))


def monitoring_codes() -> set[str]:
    """Every code a registered monitoring check may emit."""
    return {code for item in load_monitoring_checks() for code in item.codes}
