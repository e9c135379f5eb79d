"""The checks registry: every check is a small pure function registered with the codes it may emit.

Topic modules (``jixiao.checks.funds`` …) decorate their functions with ``@check("code", …)``;
importing them fills ``REGISTRY``.  The list of checks is data, as in beancount's validations.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from jixiao.checks.slips import Slip
from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.policies import Policy
from jixiao.scoring.result import ScoreResult

# Topic modules, in the order their checks run.  Pension checks live with the pension package.
TOPIC_MODULES: tuple[str, ...] = (
    "jixiao.checks.arithmetic",
    "jixiao.checks.funds",
    "jixiao.checks.estimate",
    "jixiao.checks.changes",
    "jixiao.checks.breakdowns",
    "jixiao.checks.grades",
    "jixiao.checks.inflation",
    "jixiao.checks.targets",
    "jixiao.checks.structure",
    "jixiao.checks.explanations",
    "jixiao.checks.survey",
    "jixiao.checks.text",
    "jixiao.pension.checks",
)
# Codes the runner itself emits (not a check).
CRASHED = "check.crashed"
RUNNER_CODES = (CRASHED,)


@dataclass(frozen=True)
class CheckContext:
    """What every check may use besides the evaluation: the policy and the scoring result."""

    policy: Policy
    score: ScoreResult  # from jixiao.scoring.score_evaluation(evaluation, policy)
    slips: tuple[Slip, ...] = ()  # amounts in the wrong unit, converted before the checks ran


CheckFunc = Callable[[Evaluation, CheckContext], list[Finding]]


@dataclass(frozen=True)
class RegisteredCheck:
    """A check function with its name (module.function) and the codes it may emit."""

    name: str
    codes: tuple[str, ...]
    func: CheckFunc


REGISTRY: list[RegisteredCheck] = []
_version = [0]  # bumped on every registration: invalidates the cached run order


def _name_of(func: CheckFunc) -> str:
    module = getattr(func, "__module__", "?")
    return f"{module}.{getattr(func, '__qualname__', repr(func))}"


def _register(func: CheckFunc, codes: tuple[str, ...]) -> None:
    name = _name_of(func)
    if any(item.name == name for item in REGISTRY):  # re-import (tests reload modules)
        REGISTRY[:] = [item for item in REGISTRY if item.name != name]
    REGISTRY.append(RegisteredCheck(name, codes, func))
    _version[0] += 1


def check(*codes: str) -> Callable[[CheckFunc], CheckFunc]:
    """Decorator: register a check with the stable codes it may emit."""
    if not codes:
        raise ValueError("a check must declare the codes it emits")

    def decorate(func: CheckFunc) -> CheckFunc:
        func.codes = codes  # type: ignore[attr-defined]
        _register(func, codes)
        return func

    return decorate


def _collect_marked(module: ModuleType) -> None:
    """Register functions a module marked with ``codes`` through a stand-in decorator."""
    known = {item.name for item in REGISTRY}
    for value in vars(module).values():
        codes = getattr(value, "codes", None)
        if (
            callable(value)
            and isinstance(codes, tuple)
            and getattr(value, "__module__", None) == module.__name__
            and _name_of(value) not in known
        ):
            _register(value, tuple(str(c) for c in codes))


_loaded = False
_ordered: tuple[tuple[int, int], list[RegisteredCheck]] = ((-1, -1), [])


def load_checks() -> list[RegisteredCheck]:
    """Import every topic module (once) and return the registered checks in run order."""
    global _loaded, _ordered
    if not _loaded:
        for name in TOPIC_MODULES:
            _collect_marked(importlib.import_module(name))
        _loaded = True
    if _ordered[0] != (_version[0], len(REGISTRY)):  # registrations changed since the last call
        order = {name: i for i, name in enumerate(TOPIC_MODULES)}
        ranked = sorted(REGISTRY, key=lambda item: order.get(item.name.rsplit(".", 1)[0], len(order)))
        _ordered = ((_version[0], len(REGISTRY)), ranked)
    return list(_ordered[1])


def registered_codes() -> set[str]:
    """Every code a registered check may emit."""
    return {code for item in load_checks() for code in item.codes}
