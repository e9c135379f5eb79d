"""YAML test cases per topic (sqlfluff style) and the rule that every code is documented and tested."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.checks.registry import RUNNER_CODES, registered_codes
from tests.checks.helpers import audit, build, load_cases

DOCS = Path(__file__).parents[2] / "docs"
CASES = load_cases()


def _severities() -> dict[str, set[str]]:
    """The severities docs/checks*.md gives each code (its “- 严重程度：” line)."""
    out: dict[str, set[str]] = {}
    for path in DOCS.glob("checks*.md"):
        for m in re.finditer(
            r"^###\s+`?([a-z0-9.-]+)`?\s*\n+- 严重程度：(.*)$", path.read_text("utf-8"), re.M
        ):
            out[m.group(1)] = set(re.findall(r"\b(error|warning|info)\b", m.group(2)))
    return out


SEVERITIES = _severities()


@pytest.mark.parametrize("case", [c[2] for c in CASES], ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    """Every expected code is raised with its severity: the one the case names (``code:warning``),
    else one that docs/checks.md gives the code; every absent code stays silent."""
    findings = audit(build(case)).findings
    found = [f.code for f in findings]
    for item in case.get("expect", []):
        code, _, severity = str(item).partition(":")
        assert code in found, f"{case['name']}: expected {code}, found {found}"
        allowed = {severity} if severity else SEVERITIES.get(code, set())
        got = {f.severity.value for f in findings if f.code == code}
        assert got & allowed, f"{case['name']}: {code} raised as {got}, expected {allowed}"
    for code in case.get("absent", []):
        assert code not in found, f"{case['name']}: {code} should not fire, found {found}"
    for f in findings:  # whatever else fires carries a severity its documentation gives it
        documented = SEVERITIES.get(f.code)
        assert not documented or f.severity.value in documented, (
            f"{case['name']}: {f.code} raised as {f.severity.value}, docs/checks.md says {documented}"
        )


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
    expected = {str(c).partition(":")[0] for _, _, case in CASES for c in case.get("expect", [])}
    assert code in expected, f"{code} has no case in tests/checks/cases/*.yaml that expects it"


@pytest.mark.parametrize("code", ALL_CODES)
def test_code_has_a_documented_severity(code: str) -> None:
    assert SEVERITIES.get(code), f"{code}: its section in docs/checks*.md has no “- 严重程度：” line"


@pytest.mark.parametrize("code", ALL_CODES)
def test_code_is_well_formed(code: str) -> None:
    assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+", code)
