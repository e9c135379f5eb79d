"""Helpers for the declaration review tests: the example declarations, cases merged onto them."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.checks.declaration import DeclarationAudit, Standards, review_declaration
from jixiao.declaration import Declaration
from jixiao.loader import load_declaration_data
from tests.checks.helpers import merge, read_yaml, set_path

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "declarations"
CASES = Path(__file__).parent / "declaration_cases"
DEFAULT_BASE = "pension-2025-clean"


@cache
def _base(name: str) -> dict[str, Any]:
    data = read_yaml(EXAMPLES / f"{name}.yaml")
    assert isinstance(data, dict)
    return data


def declaration_data(name: str = DEFAULT_BASE) -> dict[str, Any]:
    """A fresh copy of an example declaration's data."""
    return copy.deepcopy(_base(name))


def build(case: dict[str, Any]) -> dict[str, Any]:
    """The declaration data of a case: its base, merged with ``declaration``, then ``set`` paths."""
    data: dict[str, Any] = merge(
        declaration_data(case.get("base") or DEFAULT_BASE), copy.deepcopy(case.get("declaration") or {})
    )
    for path, value in (case.get("set") or {}).items():
        set_path(data, path, value)
    return data


def declaration_of(data: dict[str, Any]) -> Declaration:
    """Validate data as a declaration (the test fails on invalid data)."""
    loaded = load_declaration_data(data)
    assert loaded.declaration is not None, [f.message for f in loaded.findings]
    return loaded.declaration


def review(data: dict[str, Any], standards: dict[str, Any] | None = None) -> DeclarationAudit:
    """Review declaration data (with a 预算支出标准 table given as data)."""
    table = Standards.model_validate(standards) if standards else None
    return review_declaration(declaration_of(data), standards=table)


def load_cases() -> list[tuple[str, str, dict[str, Any]]]:
    """Every case of tests/checks/declaration_cases/*.yaml as (file stem, case name, case)."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = read_yaml(path)
        default = doc.get("base", DEFAULT_BASE)
        for case in doc["cases"]:
            case = dict(case)
            case.setdefault("base", default)
            out.append((path.stem, str(case["name"]), case))
    return out
