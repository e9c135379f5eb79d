"""Seeds 002 and 003 through the pension checks: the printed figures agree; wrong figures are caught."""

from __future__ import annotations

from decimal import Decimal

from jixiao.findings import Finding, Severity
from jixiao.model import Evaluation
from jixiao.pension import describe, estimate
from jixiao.pension.checks import run_pension_checks
from tests.pension.conftest import seed

D = Decimal


def codes(findings: list[Finding], severity: Severity | None = None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity is severity]


def _with_funds(evaluation: Evaluation, **changes: object) -> Evaluation:
    data = evaluation.model_dump()
    for path, value in changes.items():
        node = data["funds"]
        *head, last = path.split("__")
        for key in head:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = value
    return Evaluation.model_validate(data)


def test_seed_003_figures() -> None:
    est, problems = estimate(seed("003"))
    assert est is not None and problems == []
    assert est.planned is not None and est.planned.value == D("654.43")
    assert est.planned.explanation == "65443人 × 100元 = 654.43万元"
    assert est.actual is not None and est.actual.explanation == "61722人 × 100元 = 617.22万元"
    assert est.planned_by_level["municipal"].value == D("523.544")
    assert est.actual_by_level["municipal"].value == D("493.776")
    assert est.actual_by_level["county"].value == D("123.444")
    text = "\n".join(describe(est))
    assert "市级 80元 : 县（区）级 20元（80% : 20%）" in text


def test_seed_003_findings() -> None:
    findings = run_pension_checks(seed("003"))
    # persons × standard = spending, the 8 : 2 split and 65443 × 100 元 = 654.43 all agree
    assert not {"pension.spending-vs-persons", "pension.split", "pension.plan-vs-persons"} & set(
        codes(findings)
    )
    assert codes(findings, Severity.error) == []
    # 区级 budget 147.67 vs 65443 × 20 = 130.886: over by 16.784 (the 居保局 surplus)
    budget = [f for f in findings if f.code == "pension.budget-estimate"]
    assert any("130.886万元" in f.message and "16.784万元" in f.message for f in budget)
    assert "pension.output-vs-target" not in codes(findings)


def test_seed_003_gap_without_indicator() -> None:
    # without an indicator carrying the persons, the gap 61722 / 65443 = 94.31% needs a reason
    evaluation = seed("003").model_copy(update={"indicators": []})
    below = [f for f in run_pension_checks(evaluation) if f.code == "pension.persons-below-plan"]
    assert below and "94.31%" in below[0].message
    explained = seed("003", gap_reason="扶贫部门动态调整").model_copy(update={"indicators": []})
    assert "pension.persons-below-plan" not in codes(run_pension_checks(explained))


def test_seed_003_wrong_spending_is_caught() -> None:
    evaluation = _with_funds(seed("003"), total__spent=D("627.22"))
    findings = run_pension_checks(evaluation)
    hit = [f for f in findings if f.code == "pension.spending-vs-persons"]
    assert hit and hit[0].severity is Severity.error
    assert "61722人 × 100元 = 617.22万元" in hit[0].message and "相差 10万元" in hit[0].message


def test_seed_003_wrong_split_is_caught() -> None:
    data = seed("003").model_dump()
    for line in data["funds"]["lines"]:
        if line["source"] == "municipal":
            line["spent"] = D("463.776")
        if line["source"] == "county":
            line["spent"] = D("153.444")
    findings = run_pension_checks(Evaluation.model_validate(data))
    split = [f for f in findings if f.code == "pension.split"]
    assert len(split) == 2
    assert "493.776万元" in split[0].message


def test_seed_003_wrong_planned_spending_is_caught() -> None:
    evaluation = _with_funds(seed("003"), planned_spending=D("645.43"))
    assert "pension.plan-vs-persons" in codes(run_pension_checks(evaluation), Severity.error)


def test_seed_003_block_split_overrides_region() -> None:
    evaluation = seed("003", split={"municipal": 70, "county": 30})
    split = [f for f in run_pension_checks(evaluation) if f.code == "pension.split"]
    assert split  # 493.776 is not 61722 × 70 元


def test_seed_002_figures() -> None:
    est, problems = estimate(seed("002"))
    assert est is not None and problems == []
    assert est.actual_range is not None
    low, high = est.actual_range
    assert (low.value, high.value) == (D("2162.6"), D("6487.8"))
    assert est.spent == D("2364.01")


def test_seed_002_findings() -> None:
    findings = run_pension_checks(seed("002"))
    assert codes(findings, Severity.error) == []
    assert "pension.tiers-missing" in codes(findings)
    # 14.94万人 × 30元 = 448.2万元 agrees with 448.16 given the 万人 rounding (±50人)
    assert "pension.group-cost" not in codes(findings)
    # the indicator t-quantity carries the persons: the general deviation check covers the gap
    assert "pension.persons-below-plan" not in codes(findings)
    assert "pension.output-vs-target" not in codes(findings)


def test_seed_002_wrong_spending_is_caught() -> None:
    evaluation = _with_funds(seed("002"), total__spent=D("236.40"))
    hit = [f for f in run_pension_checks(evaluation) if f.code == "pension.spending-vs-persons"]
    assert hit and "2.19元" in hit[0].message


def test_seed_002_output_mismatch_is_caught() -> None:
    evaluation = seed("002", persons={"planned": "116.11万人", "actual": "100.13万人"})
    hit = [f for f in run_pension_checks(evaluation) if f.code == "pension.output-vs-target"]
    assert hit and "108.13万人" in hit[0].message


def test_seed_002_group_mismatch_is_caught() -> None:
    groups = {"困难群体代缴（市级30元）": {"actual": "14.94万人", "standard": 30, "amount": 548.16}}
    evaluation = seed("002", groups=groups)
    assert "pension.group-cost" in codes(run_pension_checks(evaluation), Severity.error)


def test_findings_point_at_the_printed_figure() -> None:
    findings = run_pension_checks(seed("003"))
    paths = {f.location.path for f in findings if f.code == "pension.budget-estimate"}
    assert paths == {"funds.total.available", "funds.lines[1].available"}
    data = seed("003").model_dump()
    data["funds"]["lines"][0]["spent"] = D("463.776")
    split = [f for f in run_pension_checks(Evaluation.model_validate(data)) if f.code == "pension.split"]
    assert split[0].location.path == "funds.lines[0].spent"
