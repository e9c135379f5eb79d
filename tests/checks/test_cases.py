"""YAML test cases per topic (sqlfluff style) and the rule that every code is documented and tested."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.checks.registry import RUNNER_CODES, registered_codes
from tests.checks.helpers import audit, build, codes, load_cases

DOCS = Path(__file__).parents[2] / "docs"
CASES = load_cases()


@pytest.mark.parametrize("case", [c[2] for c in CASES], ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    found = codes(audit(build(case)))
    for code in case.get("expect", []):
        assert code in found, f"{case['name']}: expected {code}, found {found}"
    for code in case.get("absent", []):
        assert code not in found, f"{case['name']}: {code} should not fire, found {found}"


def _documented() -> set[str]:
    out: set[str] = set()
    for path in DOCS.glob("checks*.md"):
        out |= set(re.findall(r"^###\s+`?([a-z0-9.-]+)`?\s*$", path.read_text(encoding="utf-8"), re.M))
    return out


ALL_CODES = sorted(registered_codes())
# Codes whose cases cannot be an evaluation: they are tested where their input lives.
NOT_EVALUATION_CASES = {"pension.params-invalid": "a bad parameter file: tests/pension/test_params.py"}


@pytest.mark.parametrize("code", [*ALL_CODES, *RUNNER_CODES])
def test_code_is_documented(code: str) -> None:
    assert code in _documented(), f"{code} has no “### {code}” section in docs/checks*.md"


@pytest.mark.parametrize("code", [c for c in ALL_CODES if c not in NOT_EVALUATION_CASES])
def test_code_has_a_case(code: str) -> None:
    expected = {c for _, _, case in CASES for c in case.get("expect", [])}
    assert code in expected, f"{code} has no case in tests/checks/cases/*.yaml that expects it"


@pytest.mark.parametrize("code", ALL_CODES)
def test_code_is_well_formed(code: str) -> None:
    assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+", code)
