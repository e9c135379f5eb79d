"""Mutation tests: change one figure of a clean evaluation (hypothesis), assert the right check fires."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.checks.helpers import clean_names
from tests.checks.mutations import MUTATORS, detects, measure

ALWAYS = [
    "score",
    "weight",
    "spent",
    "grade",
    "level",
    "total",
    "target-up",
]  # each change breaks an identity


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(ALWAYS),
    base=st.sampled_from(clean_names()),
    seed=st.integers(min_value=0, max_value=10**9),
)
def test_every_arithmetic_mutation_is_caught(kind: str, base: str, seed: int) -> None:
    assert detects(kind, base, seed) is not False, f"{kind} mutation of {base} (seed {seed}) not detected"


def test_detection_rate() -> None:
    tally = measure(per_kind=30)
    for kind in ALWAYS:
        assert tally.rate(kind) == 1.0, (kind, tally)
    assert tally.rate("target") >= 0.5, tally
    assert set(tally.tried) == set(MUTATORS)
