"""城乡居民养老保险 knowledge: parameters as data, calculators, the pension block, checks, estimates."""

from __future__ import annotations

from jixiao.pension.block import PensionBlock, Program, parse_block
from jixiao.pension.estimate import Estimate, describe, estimate
from jixiao.pension.params import PensionParams, load_params, load_params_with_findings

__all__ = [
    "Estimate",
    "PensionBlock",
    "PensionParams",
    "Program",
    "describe",
    "estimate",
    "load_params",
    "load_params_with_findings",
    "parse_block",
]
