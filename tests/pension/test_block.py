"""The pension block: counts as printed, validation findings, basic pension and subsidy by tier."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.model import Evaluation
from jixiao.pension import estimate, parse_block
from jixiao.pension.block import Count, Program
from jixiao.pension.checks import run_pension_checks

D = Decimal


def _evaluation(pension: dict[str, Any] | None, **funds: Any) -> Evaluation:
    data: dict[str, Any] = {"kind": "self", "year": 2019, "project": {"name": "测试"}, "pension": pension}
    if funds:
        data["funds"] = funds
    return Evaluation.model_validate(data)


def test_count_forms() -> None:
    assert Count.model_validate(61722).value == 61722
    count = Count.model_validate("108.13万人")
    assert (count.value, count.tolerance) == (D(1081300), D(50))
    assert str(count) == "108.13万人"
    assert Count.model_validate("61722人").tolerance == 0


def test_no_block_no_findings() -> None:
    assert parse_block(_evaluation(None)) == (None, [])
    assert run_pension_checks(_evaluation(None)) == []


def test_bad_block_gives_findings() -> None:
    block, problems = parse_block(_evaluation({"program": "lottery", "persons": {"actual": "很多"}}))
    assert block is None
    assert {p.code for p in problems} == {"pension.block-invalid"}
    paths = {p.location.path for p in problems}
    assert "pension.program" in paths and "pension.persons.actual" in paths
    assert all(p.message.startswith("养老保险信息块：") for p in problems)


def test_negative_standard_in_block() -> None:
    _, problems = parse_block(_evaluation({"program": "paid_on_behalf", "standard": -100}))
    assert problems and "pension.standard" in problems[0].message


def test_unknown_region_in_block() -> None:
    findings = run_pension_checks(_evaluation({"program": "paid_on_behalf", "region": "atlantis"}))
    assert [f.code for f in findings] == ["pension.region-unknown"]


def test_not_checkable_without_persons() -> None:
    findings = run_pension_checks(_evaluation({"program": "land_expropriated"}))
    assert [f.code for f in findings] == ["pension.not-checkable"]


def test_subsidy_by_tier() -> None:
    block = {
        "program": "contribution_subsidy",
        "region": "jinzhong",
        "tiers": {200: 1000, 1000: 500},  # 1000 × 20 + 500 × 40 = 40000元 = 4万元
    }
    total = {"source": "total", "spent": 4}
    assert run_pension_checks(_evaluation(block, total=total)) == []
    wrong = {"source": "total", "spent": 5}
    codes = [f.code for f in run_pension_checks(_evaluation(block, total=wrong))]
    assert codes == ["pension.spending-vs-persons"]


def test_basic_pension_central_share() -> None:
    block = {
        "program": "basic_pension",
        "region_class": "东部",
        "year": 2019,
        "standard": 150,
        "persons": {"planned": 1000, "actual": 1000},
    }
    est, problems = estimate(_evaluation(block))
    assert est is not None and problems == [] and est.block.program is Program.basic_pension
    assert est.actual is not None and est.actual.value == D(180)  # 1000 × 150 × 12
    assert est.central_actual is not None and est.central_actual.value == D("52.8")  # 1000 × 88 × 12 × 50%
    lines = [
        {"source": "central", "spent": 60},
        {"source": "county", "spent": 120},
    ]
    findings = run_pension_checks(_evaluation(block, total={"source": "total", "spent": 180}, lines=lines))
    assert [f.code for f in findings] == ["pension.central-share"]
    assert "52.8万元" in findings[0].message


def test_basic_pension_below_verified_minimum() -> None:
    block = {"program": "basic_pension", "region_class": "中西部", "standard": 80, "persons": {"actual": 10}}
    codes = [f.code for f in run_pension_checks(_evaluation(block))]
    assert "pension.standard-below-minimum" in codes


def test_basic_pension_unverified_minimum_is_not_a_fact() -> None:
    block = {"program": "basic_pension", "region_class": "中西部", "year": 2024, "standard": 100}
    findings = run_pension_checks(_evaluation(block))
    assert "pension.standard-below-minimum" not in [f.code for f in findings]
    hint = [f for f in findings if f.code == "pension.minimum-unverified"]
    assert hint and "123" not in hint[0].message


def test_basic_pension_without_standard_estimates_the_central_part_only() -> None:
    block = {"program": "basic_pension", "region_class": "中西部", "year": 2019, "persons": {"actual": 1000}}
    evaluation = _evaluation(block, total={"source": "total", "spent": 200})
    est, _ = estimate(evaluation)
    assert est is not None and est.actual is None
    assert est.central_actual is not None and est.central_actual.value == D("105.6")  # 1000 × 88 × 12
    assert "pension.spending-vs-persons" not in [f.code for f in run_pension_checks(evaluation)]


def test_central_share_is_not_checked_on_unverified_minimums() -> None:
    block = {"program": "basic_pension", "region_class": "中西部", "year": 2024, "standard": 200}
    block["persons"] = {"actual": 1000}
    lines = [{"source": "central", "spent": 1}]
    codes = [f.code for f in run_pension_checks(_evaluation(block, lines=lines))]
    assert "pension.central-share" not in codes and "pension.minimum-unverified" in codes
