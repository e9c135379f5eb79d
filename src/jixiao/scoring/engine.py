"""Scoring engine (being written)."""

from __future__ import annotations

from jixiao.model import Evaluation
from jixiao.policies import Policy
from jixiao.scoring.result import ScoreResult


def score_evaluation(evaluation: Evaluation, policy: Policy) -> ScoreResult:
    """Score an evaluation (not yet implemented)."""
    raise NotImplementedError
