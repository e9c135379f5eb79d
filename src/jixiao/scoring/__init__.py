"""Scoring by the rules: one module per rule kind, aggregation into levels, total and grade."""

from jixiao.scoring.engine import score_evaluation

__all__ = ["score_evaluation"]
