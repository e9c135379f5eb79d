"""Mutation tests: plant one realistic error (benchmarks/mutants.py) in a clean evaluation or an
example, and assert that the audit finds it with the severity a reviewer expects."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

from benchmarks.mutants import KINDS, Base, Kind, base, measure, mutate
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import api
from jixiao.checks import run_checks
from jixiao.loader import load_data
from jixiao.policies import load_policy
from tests.checks.helpers import base_data, clean_names, codes, set_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@cache
def example_bases() -> tuple[Base, ...]:
    """The examples as data, audited once."""
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        loaded = api.load(path)
        assert loaded.evaluation is not None, path
        out.append(base(path.stem, api.to_data(loaded.evaluation)))
    return tuple(out)


@cache
def all_bases() -> tuple[Base, ...]:
    """The clean evaluations of tests/checks/evaluations and the examples."""
    return tuple(base(name, base_data(name)) for name in clean_names()) + example_bases()


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    index=st.integers(min_value=0, max_value=len(clean_names()) + 3),
    seed=st.integers(min_value=0, max_value=10**9),
)
def test_every_mutation_is_caught_with_its_severity(kind: Kind, index: int, seed: int) -> None:
    b = all_bases()[index % len(all_bases())]
    result = mutate(b, kind, seed)
    if result is None:  # nothing of this kind to change in this evaluation
        return
    expect, outcome = result
    assert outcome.detected, f"{kind.name} mutation of {b.label} (seed {seed}) not detected"
    assert outcome.right_severity, (
        f"{kind.name} mutation of {b.label} (seed {seed}): expected {expect}, "
        f"found {[(f.code, f.severity.value) for f in outcome.found]}"
    )


def test_every_kind_detected_on_the_examples() -> None:
    tally = measure(list(example_bases()), per_kind=12)
    for kind in KINDS:
        assert tally.tried.get(kind.name), f"{kind.name} applies to no example"
        assert tally.right[kind.name] == tally.tried[kind.name], (kind.name, tally.misses.get(kind.name))


def test_unmutated_clean_evaluations_have_no_warning() -> None:
    for b in all_bases()[: len(clean_names())]:
        assert not [f.code for f in b.findings if f.severity.rank < 2], b.label


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
    name=st.sampled_from(clean_names()),
    kinds=st.lists(st.sampled_from(KINDS), max_size=3),
    blanks=st.lists(
        st.tuples(st.sampled_from(ZEROABLE), st.sampled_from([None, 0, "0", "无", -5])), max_size=3
    ),
    seed=st.integers(min_value=0, max_value=10**9),
)
def test_no_check_crashes_on_odd_figures(
    name: str, kinds: list[Kind], blanks: list[tuple[str, object]], seed: int
) -> None:
    rng = random.Random(seed)
    data = base_data(name)
    for kind in kinds:
        kind.mutate(data, rng)
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
