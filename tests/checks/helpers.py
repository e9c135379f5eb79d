"""Helpers for the check tests: clean evaluations, cases merged onto them, audits as code lists."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from jixiao.checks import Audit, run_checks
from jixiao.loader import load_data
from jixiao.model import Evaluation
from jixiao.policies import load_policy

HERE = Path(__file__).parent
EVALUATIONS = HERE / "evaluations"
CASES = HERE / "cases"
DEFAULT_BASE = "self-form"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def read_yaml(path: Path) -> Any:
    """Plain Python data from a YAML file."""
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@cache
def _base(name: str) -> dict[str, Any]:
    data = read_yaml(EVALUATIONS / f"{name}.yaml")
    assert isinstance(data, dict)
    return data


def base_data(name: str = DEFAULT_BASE) -> dict[str, Any]:
    """A fresh copy of a clean evaluation's data."""
    return copy.deepcopy(_base(name))


def clean_names() -> list[str]:
    """Names of the clean evaluations in tests/checks/evaluations."""
    return sorted(p.stem for p in EVALUATIONS.glob("*.yaml"))


def merge(base: Any, patch: Any) -> Any:
    """Deep-merge mappings; lists and scalars in ``patch`` replace those in ``base``."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            out[key] = merge(out[key], value) if key in out else value
        return out
    return patch


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``indicators[0].claimed``-style paths in place (``null`` deletes a key)."""
    steps: list[str | int] = [
        m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _STEP.finditer(path)
    ]
    node: Any = data
    for step in steps[:-1]:
        node = node[step]
    last = steps[-1]
    if value is None and isinstance(node, dict):
        node.pop(last, None)
    else:
        node[last] = value


def build(case: dict[str, Any], default_base: str | None = DEFAULT_BASE) -> dict[str, Any]:
    """The evaluation data of a case: its base, merged with ``evaluation``, then ``set`` paths."""
    base = case.get("base", default_base)
    data = merge(base_data(base) if base else {}, copy.deepcopy(case.get("evaluation") or {}))
    for path, value in (case.get("set") or {}).items():
        set_path(data, path, value)
    return data


def evaluation_of(data: dict[str, Any]) -> Evaluation:
    """Validate data as an evaluation (the test fails on invalid data)."""
    loaded = load_data(data)
    assert loaded.evaluation is not None, [f.message for f in loaded.findings]
    return loaded.evaluation


def audit(data: dict[str, Any], policy: str = "national-2020") -> Audit:
    """Run every check on evaluation data."""
    return run_checks(evaluation_of(data), load_policy(policy))


def codes(result: Audit, severities: tuple[str, ...] = ("error", "warning", "info")) -> list[str]:
    """Compact projection: the codes found, in order."""
    return [f.code for f in result.findings if f.severity.value in severities]


def load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """Every case of tests/checks/cases/*.yaml as (file stem, case name, case with its base)."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = read_yaml(path)
        default: str | None
        if isinstance(doc, dict) and "cases" in doc:  # {base, cases: [...]}: partial evaluations on a base
            default, cases = doc.get("base", DEFAULT_BASE), doc["cases"]
        elif isinstance(doc, dict):  # {name: {evaluation, expect}}: whole evaluations, no base
            default, cases = None, [{"name": name, **case} for name, case in doc.items()]
        else:  # [{name, evaluation, expect}]: partial evaluations on the default base
            default, cases = DEFAULT_BASE, doc or []
        for case in cases:
            case = dict(case)
            case.setdefault("base", default)
            out.append((path.stem, str(case["name"]), case))
    return out
