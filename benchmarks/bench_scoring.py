"""Scoring throughput on one core: indicators per second and evaluations per second."""

from __future__ import annotations

import random
import time
from decimal import Decimal

from benchmarks.common import machine, write_section
from jixiao import api
from jixiao.model import Evaluation, Indicator
from jixiao.scoring import score_evaluation

LEVELS = ["产出指标", "效益指标", "满意度指标"]
RULES: list[dict[str, object] | None] = [
    None,
    {"kind": "ratio"},
    {"kind": "grade", "value": "较好"},
    {"kind": "judgement", "score": 2},
    {"kind": "deduction", "per_item": 1, "count": 1},
    {"kind": "formula", "expression": "w * min(A / T, 1)"},
]


def generated(n_indicators: int, seed: int) -> Evaluation:
    """A synthetic evaluation with a mix of directions and rule kinds."""
    rng = random.Random(seed)
    indicators = []
    for i in range(n_indicators):
        target = Decimal(rng.randint(1, 1000))
        actual = target * Decimal(rng.randint(50, 140)) / 100
        sign = rng.choice(["≥", "≤", "=", ""])
        indicators.append(
            Indicator.model_validate(
                {
                    "level1": LEVELS[i % 3],
                    "level2": "数量指标",
                    "name": f"指标{i}",
                    "weight": Decimal(100) / n_indicators,
                    "target": f"{sign}{target}个",
                    "actual": f"{actual:.2f}个",
                    "claimed": Decimal(100) / n_indicators,
                    "rule": rng.choice(RULES),
                }
            )
        )
    return Evaluation.model_validate(
        {
            "kind": "self",
            "project": {"name": f"项目{seed}"},
            "funds": {"total": {"source": "total", "budget": 100, "spent": 95}, "execution_weight": 10},
            "indicators": indicators,
        }
    )


def main() -> None:
    """Score 2,000 evaluations of 30 indicators and write the figures."""
    policy = api.get_policy()
    corpus = [generated(30, seed) for seed in range(2000)]
    score_evaluation(corpus[0], policy)  # warm caches
    start = time.perf_counter()
    for evaluation in corpus:
        score_evaluation(evaluation, policy)
    elapsed = time.perf_counter() - start
    per_second = len(corpus) / elapsed
    body = f"""
Measured {machine()}, one process (one core), by `benchmarks/bench_scoring.py`: {len(corpus)}
generated evaluations of 30 indicators each (mixed directions and rule kinds: ratio, grade,
judgement, deduction, formula, inferred), scored with `national-2020`. Loading/validation is not
included (see the audit benchmark for end-to-end figures).

| measure | value |
| --- | --- |
| evaluations per second | {per_second:,.0f} |
| evaluations per minute | {per_second * 60:,.0f} (aim ≥ 20,000) |
| indicators per second | {per_second * 30:,.0f} |
"""
    print(body)
    write_section("Scoring (jixiao score)", body)


if __name__ == "__main__":
    main()
