"""YAML cases for the declaration review (绩效目标审核): every code fires in a case and stays
silent in a near miss, with a severity docs/checks-declaration.md gives it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.checks.declaration import declaration_codes
from jixiao.checks.declaration.thread import THREAD_CODES
from jixiao.declaration import Criterion
from tests.checks.declaration_helpers import build, load_cases, review

DOCS = Path(__file__).parents[2] / "docs"
CASES = load_cases()
CODES = declaration_codes()


def _sections() -> dict[str, str]:
    """Each ``### code`` section of docs/checks*.md, by code."""
    out: dict[str, str] = {}
    for path in DOCS.glob("checks*.md"):
        parts = re.split(r"^###\s+`?([a-z0-9.-]+)`?\s*$", path.read_text(encoding="utf-8"), flags=re.M)
        for code, body in zip(parts[1::2], parts[2::2], strict=True):
            out[code] = body
    return out


SECTIONS = _sections()


def _severities(code: str) -> set[str]:
    m = re.search(r"^- 严重程度：(.*)$", SECTIONS.get(code, ""), re.M)
    return set(re.findall(r"\b(error|warning|info)\b", m.group(1))) if m else set()


@pytest.mark.parametrize("case", [c[2] for c in CASES], ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    """Every expected code is raised (with the severity the case names, else one its
    documentation gives); every absent code stays silent; all findings carry documented severities."""
    findings = review(build(case), case.get("standards")).findings
    found = [f.code for f in findings]
    for item in case.get("expect", []):
        code, _, severity = str(item).partition(":")
        assert code in found, f"{case['name']}: expected {code}, found {found}"
        allowed = {severity} if severity else _severities(code)
        got = {f.severity.value for f in findings if f.code == code}
        assert got & allowed, f"{case['name']}: {code} raised as {got}, expected {allowed}"
    for code in case.get("absent", []):
        assert code not in found, f"{case['name']}: {code} should not fire, found {found}"
    for f in findings:
        documented = _severities(f.code)
        assert not documented or f.severity.value in documented, (
            f"{case['name']}: {f.code} raised as {f.severity.value}, docs say {documented}"
        )


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_fires_in_a_case_and_has_a_near_miss(code: str) -> None:
    expected = {str(c).partition(":")[0] for _, _, case in CASES for c in case.get("expect", [])}
    absent = {str(c) for _, _, case in CASES for c in case.get("absent", [])}
    assert code in expected, f"{code} has no case in tests/checks/declaration_cases/*.yaml that expects it"
    assert code in absent, f"{code} has no near-miss case (absent) in tests/checks/declaration_cases/*.yaml"


@pytest.mark.parametrize("code", sorted([*CODES, *THREAD_CODES]))
def test_code_is_documented_with_severity_and_criterion(code: str) -> None:
    assert code in SECTIONS, f"{code} has no “### {code}” section in docs/checks*.md"
    assert _severities(code), f"{code}: its section has no “- 严重程度：” line"
    assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+", code)
    if code in CODES:
        names = {
            "completeness": "完整性",
            "relevance": "相关性",
            "appropriateness": "适当性",
            "feasibility": "可行性",
        }
        assert f"- 审核要点：{names[CODES[code].value]}" in SECTIONS[code], f"{code}: no “- 审核要点：” line"


def test_every_criterion_has_checks() -> None:
    assert set(CODES.values()) == set(Criterion)


def test_codes_do_not_collide_with_the_evaluation_checks() -> None:
    from jixiao.checks.registry import registered_codes

    assert not set(CODES) & registered_codes()
