"""Mutation tests: change one figure of a clean evaluation (hypothesis), assert the right check fires."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.checks import run_checks
from jixiao.loader import load_data
from jixiao.policies import load_policy
from tests.checks.helpers import base_data, clean_names, codes, set_path
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


ZEROABLE = [
    "funds.total.budget",
    "funds.total.available",
    "funds.total.spent",
    "funds.total.surplus",
    "claims.total",
    "claims.total_weight",
    "levels[0].weight",
    "levels[0].claimed",
    "indicators[0].weight",
    "indicators[0].claimed",
    "indicators[0].target",
    "indicators[0].actual",
    "survey.sample_size",
    "survey.population",
]


@settings(max_examples=60, deadline=None)
@given(
    base=st.sampled_from(clean_names()),
    kinds=st.lists(st.sampled_from(sorted(MUTATORS)), max_size=3),
    blanks=st.lists(
        st.tuples(st.sampled_from(ZEROABLE), st.sampled_from([None, 0, "0", "无", -5])), max_size=3
    ),
    seed=st.integers(min_value=0, max_value=10**9),
)
def test_no_check_crashes_on_odd_figures(
    base: str, kinds: list[str], blanks: list[tuple[str, object]], seed: int
) -> None:
    rng = random.Random(seed)
    data = base_data(base)
    for kind in kinds:
        MUTATORS[kind](data, rng)
    for path, value in blanks:
        try:
            set_path(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue
    loaded = load_data(data)
    if loaded.evaluation is None:  # e.g. “无” as a weight: refused by validation, not a check's business
        return
    found = codes(run_checks(loaded.evaluation, load_policy()))
    assert "check.crashed" not in found
