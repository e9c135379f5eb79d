"""Clean, consistent evaluations give no error and no warning."""

from __future__ import annotations

import pytest

from tests.checks.helpers import audit, base_data, clean_names


@pytest.mark.parametrize("name", clean_names())
def test_clean_evaluation_has_no_errors_or_warnings(name: str) -> None:
    result = audit(base_data(name))
    serious = [(f.code, f.message) for f in result.findings if f.severity.value in ("error", "warning")]
    assert serious == []
    assert result.score.claimed_total == result.score.computed_total


def test_there_are_several_clean_evaluations_of_each_kind() -> None:
    kinds = {base_data(name)["kind"] for name in clean_names()}
    assert len(clean_names()) >= 3 and "self" in kinds and kinds - {"self"}
