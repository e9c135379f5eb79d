"""The YAML cases of tests/checks/cases/pension.yaml through the pension checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.loader import load_data
from jixiao.pension.checks import PENSION_CHECKS, run_pension_checks
from jixiao.yamlio import parse_text

CASES = Path(__file__).parents[1] / "checks" / "cases" / "pension.yaml"


def _cases() -> dict[str, Any]:
    doc, problems = parse_text(CASES.read_text(encoding="utf-8"), str(CASES))
    assert doc is not None, problems
    return dict(doc.data)


@pytest.mark.parametrize(("name", "case"), list(_cases().items()))
def test_case(name: str, case: dict[str, Any]) -> None:
    loaded = load_data(case["evaluation"], name)
    assert loaded.evaluation is not None, loaded.findings
    codes = sorted(f.code for f in run_pension_checks(loaded.evaluation) if f.code.startswith("pension."))
    assert codes == sorted(case["expect"])


def test_every_code_has_a_case() -> None:
    covered = {code for case in _cases().values() for code in case["expect"]}
    registered = {code for fn in PENSION_CHECKS for code in fn.codes}  # type: ignore[attr-defined]
    assert registered - covered <= {
        "pension.params-invalid"
    }  # bad parameter files: tests/pension/test_params.py
