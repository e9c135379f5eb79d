"""The registry and the runner: order, severity sort, crashed checks, stand-in decorators."""

from __future__ import annotations

from decimal import Decimal
from types import ModuleType

import pytest

from jixiao.checks import registry, run_checks
from jixiao.checks.diagnosis import explain_ratio, transposed
from jixiao.checks.registry import CheckContext, RegisteredCheck
from jixiao.checks.survey import margin_of_error, sample_needed
from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.policies import load_policy
from tests.checks.helpers import base_data, evaluation_of


def test_every_topic_module_registers_checks() -> None:
    modules = {item.name.rsplit(".", 1)[0] for item in registry.load_checks()}
    for name in registry.TOPIC_MODULES:
        assert name in modules


def test_pension_checks_are_in_the_topic_modules() -> None:
    assert "jixiao.pension.checks" in registry.TOPIC_MODULES


def test_findings_are_sorted_most_severe_first() -> None:
    data = base_data()
    data["claims"]["grade"] = "良"  # error
    data["survey"] = None  # warning
    data["levels"][0]["claimed"] = 50.01  # info
    ranks = [f.severity.rank for f in run_checks(evaluation_of(data), load_policy()).findings]
    assert ranks == sorted(ranks) and {0, 1, 2} <= set(ranks)


def test_a_crashing_check_becomes_a_finding_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
        raise ZeroDivisionError("division by zero")

    checks = [RegisteredCheck("tests.broken", ("test.broken",), broken), *registry.load_checks()]
    monkeypatch.setattr("jixiao.checks.load_checks", lambda: checks)
    data = base_data()
    data["claims"]["grade"] = "良"
    found = run_checks(evaluation_of(data), load_policy()).findings
    crashed = [f for f in found if f.code == "check.crashed"]
    assert len(crashed) == 1 and "tests.broken" in crashed[0].message and crashed[0].severity.value == "error"
    assert "grade.mismatch" in [f.code for f in found]


def test_a_stand_in_decorator_is_collected() -> None:
    module = ModuleType("fake_checks")

    def marked(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
        return []

    marked.__module__ = "fake_checks"
    marked.codes = ("fake.code",)  # type: ignore[attr-defined]
    module.marked = marked  # type: ignore[attr-defined]
    before = list(registry.REGISTRY)
    try:
        registry._collect_marked(module)
        assert any(item.codes == ("fake.code",) for item in registry.REGISTRY)
    finally:
        registry.REGISTRY[:] = before


def test_check_needs_codes() -> None:
    with pytest.raises(ValueError):
        registry.check()


def test_diagnosis_finds_the_sum_that_gives_the_printed_rate() -> None:
    figures = {"实际到位": Decimal(5838), "实际支出": Decimal("4321.24"), "结余": Decimal("1061.76")}
    text = explain_ratio(Decimal("80.28"), 2, figures)
    assert text is not None and "4321.24 / 5383.00" in text and "实际支出4321.24 + 结余1061.76" in text
    assert explain_ratio(Decimal("12.34"), 2, figures) is None


def test_transposed_digits() -> None:
    assert transposed(Decimal("5838"), Decimal("5388"))
    assert not transposed(Decimal("5838"), Decimal("5383"))


def test_margin_of_error_with_finite_population() -> None:
    assert round(margin_of_error(20, 61722, 0.95), 1) == 21.9
    assert round(margin_of_error(385, None, 0.95), 1) == 5.0
    assert margin_of_error(50, 50, 0.95) == 0
    assert sample_needed(5, None, 0.95) == 385
    assert sample_needed(5, 1000, 0.95) < 385


def test_a_crash_in_scoring_still_runs_the_other_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(evaluation: Evaluation, policy: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("jixiao.checks.score_evaluation", broken)
    data = base_data()
    data["survey"] = None
    found = [f.code for f in run_checks(evaluation_of(data), load_policy()).findings]
    assert found[0] == "check.crashed" and "survey.missing" in found
