"""Helpers for the monitoring review tests: the example reports, cases merged onto them."""

from __future__ import annotations

import copy
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.checks.monitoring import MonitoringAudit, review_monitoring
from jixiao.loader import load_monitoring_data
from jixiao.monitoring import Monitoring
from jixiao.policies.warning import WarningPolicy, load_warning_policy
from tests.checks.declaration_helpers import declaration_data, declaration_of
from tests.checks.helpers import merge, read_yaml, set_path

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "monitoring"
CASES = Path(__file__).parent / "monitoring_cases"
DEFAULT_BASE = "pension-2025-06-on-track"
TODAY = date(2026, 3, 1)  # the cases' today: every 2025 cut-off has passed


@cache
def _base(name: str) -> dict[str, Any]:
    data = read_yaml(EXAMPLES / f"{name}.yaml")
    assert isinstance(data, dict)
    return data


def monitoring_data(name: str = DEFAULT_BASE) -> dict[str, Any]:
    """A fresh copy of an example report's data."""
    return copy.deepcopy(_base(name))


def build(case: dict[str, Any]) -> dict[str, Any]:
    """The report data of a case: its base, merged with ``monitoring``, then ``set`` paths."""
    data: dict[str, Any] = merge(
        monitoring_data(case.get("base") or DEFAULT_BASE), copy.deepcopy(case.get("monitoring") or {})
    )
    for path, value in (case.get("set") or {}).items():
        head, _, index = path.rpartition("[")
        if value is None and head and path.endswith("]") and index[:-1].isdigit():
            node: Any = data
            for key in head.split("."):
                node = node[key]
            del node[int(index[:-1])]  # ``indicators[6]: null`` drops a row
        else:
            set_path(data, path, value)
    return data


def monitoring_of(data: dict[str, Any]) -> Monitoring:
    """Validate data as a monitoring report (the test fails on invalid data)."""
    loaded = load_monitoring_data(data)
    assert loaded.monitoring is not None, [f.message for f in loaded.findings]
    return loaded.monitoring


def policy_of_case(case: dict[str, Any]) -> WarningPolicy:
    """The national warning policy with the case's ``policy`` overrides merged on."""
    base = load_warning_policy()
    patch = case.get("policy")
    if not patch:
        return base
    data = merge(base.model_dump(mode="json"), patch)
    return WarningPolicy.model_validate(data)


def review(case: dict[str, Any]) -> MonitoringAudit:
    """Review a case's report (against the declaration it names, on the case's today)."""
    declaration = case.get("declaration")
    decl = declaration_of(declaration_data(declaration)) if declaration else None
    today = case.get("today") or TODAY
    if isinstance(today, str):
        today = date.fromisoformat(today)
    return review_monitoring(monitoring_of(build(case)), policy_of_case(case), decl, today=today)


def load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """Every case of tests/checks/monitoring_cases/*.yaml as (file stem, case name, case)."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = read_yaml(path)
        for case in doc["cases"]:
            case = dict(case)
            case.setdefault("base", doc.get("base", DEFAULT_BASE))
            if "declaration" in doc:
                case.setdefault("declaration", doc["declaration"])
            out.append((path.stem, str(case["name"]), case))
    return out
