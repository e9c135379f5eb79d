"""YAML cases for the monitoring review (运行监控审核): every code fires in a case and stays silent
in a near miss, with a severity docs/checks-monitoring.md gives it; the examples raise exactly the
codes their headers list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.checks.monitoring import monitoring_codes, review_monitoring
from jixiao.checks.registry import registered_codes
from jixiao.loader import load_monitoring_file
from tests.checks.declaration_helpers import declaration_data, declaration_of
from tests.checks.monitoring_helpers import EXAMPLES, TODAY, load_cases, review

DOCS = Path(__file__).parents[2] / "docs"
CASES = load_cases()
CODES = monitoring_codes()


def _sections() -> dict[str, str]:
    parts = re.split(
        r"^###\s+`?([a-z0-9.-]+)`?\s*$",
        (DOCS / "checks-monitoring.md").read_text(encoding="utf-8"),
        flags=re.M,
    )
    return dict(zip(parts[1::2], parts[2::2], strict=True))


SECTIONS = _sections()


def _severities(code: str) -> set[str]:
    m = re.search(r"^- 严重程度：(.*)$", SECTIONS.get(code, ""), re.M)
    return set(re.findall(r"\b(error|warning|info)\b", m.group(1))) if m else set()


@pytest.mark.parametrize("case", [c[2] for c in CASES], ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    """Every expected code is raised (with the severity named, else a documented one); every
    absent code stays silent; all findings carry documented severities."""
    findings = review(case).findings
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
        assert f.severity.value in documented, (
            f"{case['name']}: {f.code} raised as {f.severity.value}, docs say {documented}"
        )


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_fires_in_a_case_and_has_a_near_miss(code: str) -> None:
    expected = {str(c).partition(":")[0] for _, _, case in CASES for c in case.get("expect", [])}
    absent = {str(c) for _, _, case in CASES for c in case.get("absent", [])}
    assert code in expected, f"{code} has no case in tests/checks/monitoring_cases/*.yaml that expects it"
    assert code in absent, f"{code} has no near-miss case (absent) in tests/checks/monitoring_cases/*.yaml"


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_is_documented_with_severity(code: str) -> None:
    assert code in SECTIONS, f"{code} has no “### {code}” section in docs/checks-monitoring.md"
    assert _severities(code), f"{code}: its section has no “- 严重程度：” line"
    assert re.fullmatch(r"mon(\.[a-z0-9]+(-[a-z0-9]+)*)+", code)


def test_codes_do_not_collide_with_the_evaluation_checks() -> None:
    assert not CODES & registered_codes()


def _header(path: Path, key: str) -> str | None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"# {key}："):
            return line.split("：", 1)[1].strip()
    return None


EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_example_raises_exactly_the_codes_its_header_lists(path: Path) -> None:
    listed = _header(path, "应报出")
    assert listed is not None, f"{path.name}: no “# 应报出：” line"
    wanted = set() if listed == "无" else {c.strip() for c in listed.split(",")}
    loaded = load_monitoring_file(path)
    assert loaded.monitoring is not None and not loaded.findings, [f.message for f in loaded.findings]
    name = _header(path, "批复目标")
    decl = declaration_of(declaration_data(name)) if name else None
    audit = review_monitoring(loaded.monitoring, declaration=decl, today=TODAY)
    assert {f.code for f in audit.findings} == wanted


def test_the_lagging_example_is_red_and_the_on_track_one_green() -> None:
    on_track = load_monitoring_file(EXAMPLES / "pension-2025-06-on-track.yaml").monitoring
    lagging = load_monitoring_file(EXAMPLES / "employment-2025-09-lagging.yaml").monitoring
    assert on_track is not None and lagging is not None
    assert review_monitoring(on_track, today=TODAY).light.value == "green"
    audit = review_monitoring(lagging, today=TODAY)
    assert audit.light.value == "red"
    assert audit.warning.funds.light.value == "red"
    assert any("序时进度75%" in r for r in audit.warning.funds.reasons)


def test_a_report_prefilled_from_the_declaration_agrees_with_it() -> None:
    from jixiao.checks.monitoring import monitoring_from_declaration

    declaration = declaration_of(declaration_data("pension-2025-clean"))
    monitoring = monitoring_from_declaration(declaration, 9)
    assert (monitoring.year, monitoring.cutoff_month) == (2025, 9)
    assert monitoring.project.name == declaration.project.name
    assert [i.target for i in monitoring.indicators] == [a.target for a in declaration.annual.indicators]
    total = monitoring.total()
    assert total is not None and total.budget == declaration.funds.annual_total and total.spent is None
    codes = {f.code for f in review_monitoring(monitoring, declaration=declaration, today=TODAY).findings}
    assert not codes & {"mon.target-changed", "mon.indicator-dropped", "mon.budget-changed"}


def test_amounts_in_yuan_are_prefilled_in_wan() -> None:
    from jixiao.checks.monitoring import monitoring_from_declaration

    data = declaration_data("pension-2025-clean")
    data["funds"].update({"unit": "元", "annual_total": 128605000, "appropriation": 128605000, "other": 0})
    data["funds"].pop("details", None)
    data["funds"].pop("medium_total", None)
    data["funds"].pop("medium_appropriation", None)
    data["funds"].pop("medium_other", None)
    monitoring = monitoring_from_declaration(declaration_of(data), 6)
    total = monitoring.total()
    assert total is not None and total.budget == 12860.5
