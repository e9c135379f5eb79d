"""Policies: named YAML parameter sets (grade bands, formulas, thresholds); see national-2020.yaml."""

from jixiao.policies.loader import (
    Grade,
    Policy,
    PolicyError,
    builtin_policy_names,
    load_policy,
)

__all__ = ["Grade", "Policy", "PolicyError", "builtin_policy_names", "load_policy"]
