"""Acceptance on the seed evaluations (examples/*.yaml): the “must” findings of seeds/EXPECTED.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import api
from jixiao.checks import Audit

EXAMPLES = Path(__file__).parents[2] / "examples"


def _audit(stem: str) -> Audit:
    path = EXAMPLES / f"{stem}.yaml"
    if not path.exists():
        pytest.skip(f"{path.name} not encoded yet")
    loaded = api.load(path)
    assert loaded.evaluation is not None
    return api.check(loaded.evaluation)


def _by_code(audit: Audit, code: str) -> list[str]:
    return [f.message for f in audit.findings if f.code == code]


def test_000_execution_rate_and_surplus_are_diagnosed() -> None:
    audit = _audit("000-jiayuguan-2022")
    [rate] = _by_code(audit, "funds.execution-rate")
    assert "80.28%" in rate and "74.02%" in rate
    assert "4321.24 / 5383.00" in rate and "实际支出4321.24 + 结余1061.76" in rate
    [surplus] = _by_code(audit, "funds.surplus")
    assert "1516.76" in surplus and "5383.00" in surplus
    assert _by_code(audit, "arithmetic.unverifiable")
    errors = [f.code for f in audit.findings if f.severity.value == "error"]
    assert sorted(errors) == ["funds.execution-rate", "funds.surplus"]
    assert audit.score.computed_total == Decimal("88.58") and audit.score.computed_grade == "良"


def test_002_full_marks_on_missed_quantity_and_recomputed_total() -> None:
    audit = _audit("002-jinzhong-2020")
    [line] = _by_code(audit, "inflation.full-marks")
    assert "实际完成率" in line and "93.13%" in line and "7.45" in line
    assert audit.score.claimed_total == Decimal("99.80")
    assert audit.score.computed_total == Decimal("99.25")
    codes = {f.code for f in audit.findings}
    assert {
        "targets.unmeasurable",
        "targets.empty-slot",
        "survey.missing",
        "funds.share",
        "funds.rounding",
    } <= codes
    assert "targets.no-unit" in codes


def test_003_unverifiable_total_and_tiny_survey() -> None:
    audit = _audit("003-dongchuan-2019")
    assert _by_code(audit, "arithmetic.unverifiable")
    [survey] = _by_code(audit, "survey.sample-size")
    assert "20" in survey and "61722" in survey and "±21.9" in survey
    assert any("94.31%" in m for m in _by_code(audit, "explanations.missing-deviation"))
    assert not [f for f in audit.findings if f.severity.value == "error"]


def test_004_full_marks_and_nothing_to_report() -> None:
    audit = _audit("004-xinfeng-2022")
    [line] = _by_code(audit, "inflation.full-marks")
    assert "88.47%" in line
    [none] = _by_code(audit, "text.no-problems")  # “存在问题：无” and “有关建议：无”: one fact, one finding
    assert "“存在问题：无”“有关建议：无”" in none and "提出改进建议" in none
    assert not _by_code(audit, "text.no-suggestions")
    codes = {f.code for f in audit.findings}
    assert {"text.placeholder", "structure.missing-level", "structure.misfiled", "survey.missing"} <= codes
    assert "funds.score-without-figures" in codes
    assert not [f for f in audit.findings if f.severity.value == "error"]


def test_002_arrival_rate_names_its_denominator() -> None:
    """资金到位率 100%: the cause named (one amount as numerator and denominator), not guessed."""
    [rate] = _by_code(_audit("002-jinzhong-2020"), "funds.arrival-rate")
    assert "同时作分子和分母" in rate and "应以年初预算2536.08万元为分母" in rate
    assert "疑为" not in rate
