"""Policies: named YAML parameter sets (grade bands, formulas, thresholds); see national-2020.yaml."""

from jixiao.policies.loader import (
    BUILTIN_POLICIES,
    Grade,
    Policy,
    PolicyError,
    builtin_policy_names,
    load_policy,
)

__all__ = ["BUILTIN_POLICIES", "Grade", "Policy", "PolicyError", "builtin_policy_names", "load_policy"]
