"""Mutation testing of the audit: change one figure of a clean evaluation, see whether the right check fires.

Each mutator takes evaluation data and a random source, changes one figure in place and returns
the codes that should catch it (``None`` when the mutation does not apply to this evaluation).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.numbers import format_number, parse_quantity
from tests.checks.helpers import audit, base_data, clean_names, codes

Mutator = Callable[[dict[str, Any], random.Random], set[str] | None]


def _delta(rng: random.Random, smallest: int = 1) -> Decimal:
    """A visible change: ±0.01 (or ``smallest`` hundredths) … ±5, never zero."""
    value = Decimal(rng.randint(smallest, 500)) / 100
    return value if rng.random() < 0.5 else -value


def _scored(data: dict[str, Any]) -> list[int]:
    return [i for i, ind in enumerate(data.get("indicators", [])) if ind.get("weight") and "claimed" in ind]


def mutate_score(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Change one line score."""
    lines = _scored(data)
    if not lines:
        return None
    ind = data["indicators"][rng.choice(lines)]
    ind["claimed"] = max(Decimal(0), Decimal(str(ind["claimed"])) + _delta(rng))
    return {
        "arithmetic.line-score",
        "arithmetic.level-sum",
        "arithmetic.score-range",
        "inflation.qualitative-band",
    }


def mutate_weight(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Change one line weight."""
    lines = _scored(data)
    if not lines:
        return None
    ind = data["indicators"][rng.choice(lines)]
    ind["weight"] = max(Decimal("0.5"), Decimal(str(ind["weight"])) + _delta(rng))
    return {
        "arithmetic.level-weight",
        "arithmetic.weight-sum",
        "arithmetic.score-range",
        "arithmetic.line-score",
    }


def mutate_spent(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Change the total spent."""
    total = data.get("funds", {}).get("total", {})
    if "spent" not in total:
        return None
    # at least 1 万元: amounts printed without decimals only pin a figure to ±0.5
    total["spent"] = max(Decimal(0), Decimal(str(total["spent"])) + _delta(rng, 100))
    return {"funds.sources-sum", "funds.surplus", "funds.execution-rate", "funds.overspent"}


def mutate_grade(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Print another grade."""
    claims = data.get("claims", {})
    if "grade" not in claims:
        return None
    claims["grade"] = rng.choice([g for g in ("优", "良", "中", "差") if g != claims["grade"]])
    return {"grade.mismatch"}


def _met_floor(ind: dict[str, Any]) -> bool:
    """A “≥” (or unsigned) target the actual currently meets: raising it above the actual must show."""
    target, actual = parse_quantity(ind["target"]), parse_quantity(ind.get("actual"))
    if target.comparison in ("<=", "<") or target.value is None or actual.value is None:
        return False
    return actual.unit == target.unit and actual.value >= target.value


def _target(data: dict[str, Any], rng: random.Random, up_only: bool) -> set[str] | None:
    rows = [
        i
        for i, ind in enumerate(data.get("indicators", []))
        if isinstance(ind.get("target"), str)
        and parse_quantity(ind["target"]).value
        and parse_quantity(ind["target"]).unit not in (None, "月")
        and not (up_only and not _met_floor(ind))
    ]
    if not rows:
        return None
    ind = data["indicators"][rng.choice(rows)]
    q = parse_quantity(ind["target"])
    assert q.value is not None
    if up_only:  # above the actual: the indicator now misses its target
        actual = parse_quantity(ind.get("actual")).value or q.value
        base = max(q.value, actual)
        factor = (base / q.value) * (Decimal(1) + Decimal(rng.randint(5, 60)) / 100)
    else:
        factor = Decimal(1) + Decimal(rng.choice([-1, 1]) * rng.randint(5, 60)) / 100
    value = format_number(q.value * factor, 2, trim=True)
    sign = {">=": "≥", "<=": "≤", "=": "="}.get(q.comparison or "", "")
    ind["target"] = f"{sign}{value}{q.unit}"
    return {
        "targets.completion",
        "arithmetic.line-score",
        "inflation.full-marks",
        "explanations.missing-deviation",
        "targets.over-achievement",
        "targets.over-100",
    }


def mutate_level(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Change one printed level subtotal."""
    levels = [lv for lv in data.get("levels", []) if "claimed" in lv]
    if not levels:
        return None
    level = rng.choice(levels)
    level["claimed"] = max(Decimal(0), Decimal(str(level["claimed"])) + _delta(rng))
    return {"arithmetic.level-sum", "arithmetic.total-sum", "arithmetic.rate", "arithmetic.rounding"}


def mutate_total(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Change the claimed total."""
    claims = data.get("claims", {})
    if "total" not in claims:
        return None
    claims["total"] = Decimal(str(claims["total"])) + _delta(rng)
    return {"arithmetic.total-sum", "arithmetic.rounding", "grade.mismatch"}


def mutate_target(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Raise or lower one numeric target by 5–60 % (a lower target on a met line stays consistent)."""
    return _target(data, rng, up_only=False)


def mutate_target_up(data: dict[str, Any], rng: random.Random) -> set[str] | None:
    """Raise one ≥ target 5–60 % above the actual, so that the indicator misses it."""
    return _target(data, rng, up_only=True)


MUTATORS: dict[str, Mutator] = {
    "score": mutate_score,
    "weight": mutate_weight,
    "spent": mutate_spent,
    "grade": mutate_grade,
    "target": mutate_target,
    "target-up": mutate_target_up,
    "level": mutate_level,
    "total": mutate_total,
}


@dataclass
class Tally:
    """Mutations tried and detected, per mutator."""

    tried: dict[str, int] = field(default_factory=dict)
    detected: dict[str, int] = field(default_factory=dict)

    def rate(self, kind: str) -> float:
        """Share detected."""
        return self.detected.get(kind, 0) / self.tried[kind] if self.tried.get(kind) else 0.0


def detects(kind: str, base: str, seed: int) -> bool | None:
    """Apply one mutation; True when a check expected for it fires (None when it does not apply)."""
    rng = random.Random(seed)
    data = base_data(base)
    expected = MUTATORS[kind](data, rng)
    if expected is None:
        return None
    found = set(codes(audit(data)))
    return bool(found & expected)


def measure(per_kind: int = 100, seed: int = 0) -> Tally:
    """Detection rate of each mutator over the clean evaluations."""
    tally = Tally()
    names = clean_names()
    for kind in MUTATORS:
        for n in range(per_kind):
            result = detects(kind, names[n % len(names)], seed * 100_003 + n)
            if result is None:
                continue
            tally.tried[kind] = tally.tried.get(kind, 0) + 1
            tally.detected[kind] = tally.detected.get(kind, 0) + int(result)
    return tally


if __name__ == "__main__":  # print the table for docs/checks.md
    t = measure(200)
    total_tried = sum(t.tried.values())
    total_found = sum(t.detected.values())
    print("| 变异 | 次数 | 检出 | 检出率 |")
    print("| --- | --- | --- | --- |")
    for k in MUTATORS:
        print(f"| {k} | {t.tried.get(k, 0)} | {t.detected.get(k, 0)} | {t.rate(k):.1%} |")
    print(f"| 合计 | {total_tried} | {total_found} | {total_found / total_tried:.1%} |")
