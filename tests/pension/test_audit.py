"""The pension checks run inside the full audit (jixiao check) through the checks registry."""

from __future__ import annotations

from jixiao import api
from jixiao.checks.registry import load_checks, registered_codes
from jixiao.pension.checks import PENSION_CHECKS
from tests.pension.conftest import seed


def test_registered_with_the_registry() -> None:
    names = {item.name for item in load_checks()}
    assert {f"jixiao.pension.checks.{fn.__name__}" for fn in PENSION_CHECKS} <= names
    assert {code for fn in PENSION_CHECKS for code in fn.codes} <= registered_codes()  # type: ignore[attr-defined]


def test_seed_003_in_the_full_audit() -> None:
    audit = api.check(seed("003"))
    pension = [f for f in audit.findings if f.code.startswith("pension.")]
    # one difference (16.784万元 over the estimate), one finding: the county line outside the
    # tolerance, naming the same difference on the total, inside it
    assert [(f.code, f.severity.value) for f in pension] == [("pension.budget-estimate", "warning")]
    assert "同一差额在合计上" in pension[0].message and "654.43" in pension[0].message
    assert not [f for f in audit.findings if f.code == "check.crashed"]


def test_seed_002_in_the_full_audit() -> None:
    audit = api.check(seed("002"))
    pension = [f.code for f in audit.findings if f.code.startswith("pension.")]
    assert pension == ["pension.tiers-missing"]
    assert not [f for f in audit.findings if f.code == "check.crashed"]
