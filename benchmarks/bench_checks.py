"""Audit throughput on one core: a full ``jixiao check`` (scoring + every check) per evaluation."""

from __future__ import annotations

import copy
import os
import random
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from benchmarks.common import machine, write_section
from jixiao import api
from jixiao.checks import run_checks
from jixiao.checks.registry import load_checks
from jixiao.model import Evaluation

TEMPLATES = Path(__file__).resolve().parent.parent / "tests" / "checks" / "evaluations"
CORPUS_SIZE = 10_000


def _templates() -> list[dict[str, Any]]:
    yaml = YAML(typ="safe")
    return [yaml.load(p.read_text(encoding="utf-8")) for p in sorted(TEMPLATES.glob("*.yaml"))]


def _vary(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A plausible variant: scores, spending and a grade nudged, so that some checks fire."""
    out = copy.deepcopy(data)
    lines = [ind for ind in out.get("indicators", []) if "claimed" in ind]
    for ind in rng.sample(lines, k=min(len(lines), rng.randint(0, 2))):
        ind["claimed"] = max(Decimal(0), Decimal(str(ind["claimed"])) - Decimal(rng.randint(0, 300)) / 100)
    total = out.get("funds", {}).get("total", {})
    if "spent" in total and rng.random() < 0.3:
        total["spent"] = Decimal(str(total["spent"])) + rng.randint(-20, 5)
    if rng.random() < 0.1:
        out["claims"]["grade"] = rng.choice(["优", "良", "中"])
    if rng.random() < 0.2:
        out["problems"] = ["无"]
    return out


def corpus(size: int, seed: int = 0) -> list[Evaluation]:
    """``size`` generated evaluations built from the clean test evaluations."""
    rng = random.Random(seed)
    templates = _templates()
    out = []
    for i in range(size):
        data = _vary(templates[i % len(templates)], rng)
        out.append(Evaluation.model_validate(data))
    return out


def main() -> None:
    """Audit 10,000 generated evaluations on one core and write the figures."""
    policy = api.get_policy()
    evaluations = corpus(CORPUS_SIZE)
    n_checks = len(load_checks())
    run_checks(evaluations[0], policy)  # warm caches and imports
    load = os.getloadavg()[0]
    findings: Counter[str] = Counter()
    start = time.perf_counter()
    for evaluation in evaluations:
        audit = run_checks(evaluation, policy)
        findings.update(f.severity.value for f in audit.findings)
    elapsed = time.perf_counter() - start
    per_second = len(evaluations) / elapsed
    body = f"""
Measured {machine()}, one process (one core), by `benchmarks/bench_checks.py`: {len(evaluations):,}
generated evaluations (variants of the clean evaluations in `tests/checks/evaluations/`: self form,
third-party finance evaluation, 2013 department evaluation, with scores, spending, grades and
sections nudged so that checks fire), each fully audited with `national-2020` — scoring plus
{n_checks} registered checks (pension checks included). Validation of the files is not included.
Load average when the run started: {load:.1f} (other work on the machine slows the figures down).

| measure | value |
| --- | --- |
| evaluations audited | {len(evaluations):,} |
| wall time | {elapsed:.1f} s (aim: under 60 s for 10,000) |
| evaluations per second | {per_second:,.0f} |
| checks per second | {per_second * n_checks:,.0f} |
| findings (error / warning / info) | {findings["error"]:,} / {findings["warning"]:,} / {findings["info"]:,} |
"""
    print(body)
    write_section("Audit (jixiao check)", body)


if __name__ == "__main__":
    main()
