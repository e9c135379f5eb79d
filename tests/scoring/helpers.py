"""Build small evaluations for scoring tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao import api
from jixiao.model import Evaluation
from jixiao.scoring.result import IndicatorScore, ScoreResult


def evaluation(indicators: list[dict[str, Any]], **extra: Any) -> Evaluation:
    """An evaluation with these indicators; fails the test on any load finding."""
    data: dict[str, Any] = {
        "kind": "self",
        "year": 2022,
        "project": {"name": "测试项目"},
        "indicators": indicators,
    }
    data.update(extra)
    loaded = api.load_data(data)
    assert loaded.evaluation is not None, loaded.findings
    assert loaded.findings == []
    return loaded.evaluation


def score_one(indicator: dict[str, Any], **extra: Any) -> IndicatorScore:
    """Score a single indicator."""
    return api.score(evaluation([{"level1": "产出指标", **indicator}], **extra)).indicators[0]


def result(indicators: list[dict[str, Any]], **extra: Any) -> ScoreResult:
    """Score an evaluation."""
    return api.score(evaluation(indicators, **extra))


def d(value: str) -> Decimal:
    """Shorthand for Decimal."""
    return Decimal(value)
