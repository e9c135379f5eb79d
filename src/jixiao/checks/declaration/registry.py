"""The registry of declaration checks (绩效目标审核): pure functions ``(declaration, ctx) -> findings``.

Each check is registered with the codes it may emit and the one review criterion (财预〔2015〕88号
第十七条: 完整性 / 相关性 / 适当性 / 可行性) its codes belong to; the rubric takes points off that
criterion for each finding. Topic modules decorate their functions with
``@declaration_check("decl.code", criterion=Criterion.completeness)``; importing them fills
``DECLARATION_REGISTRY``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.checks.declaration.standards import Standards
from jixiao.declaration import Criterion, Declaration
from jixiao.findings import Finding

# Topic modules, in the order their checks run (one per criterion).
DECLARATION_MODULES: tuple[str, ...] = (
    "jixiao.checks.declaration.completeness",
    "jixiao.checks.declaration.relevance",
    "jixiao.checks.declaration.appropriateness",
    "jixiao.checks.declaration.feasibility",
)


@dataclass(frozen=True)
class DeclarationContext:
    """What every declaration check may use besides the declaration.

    ``factor`` converts the declaration's amounts to 万元 as meant: 1 normally, 1/10000 when
    ``decl.unit-slip`` found amounts labelled 万元 that are in 元 (one slip, one finding: the other
    checks compare with the meant amounts).
    """

    standards: Standards | None = None
    factor: Decimal = Decimal(1)
    history_ceiling: Decimal = Decimal("1.5")  # a target this many times last year's actual is 偏高


DeclarationCheckFunc = Callable[[Declaration, DeclarationContext], list[Finding]]


@dataclass(frozen=True)
class RegisteredDeclarationCheck:
    """A declaration check with its name (module.function), criterion and the codes it may emit."""

    name: str
    criterion: Criterion
    codes: tuple[str, ...]
    func: DeclarationCheckFunc


DECLARATION_REGISTRY: list[RegisteredDeclarationCheck] = []


def declaration_check(
    *codes: str, criterion: Criterion
) -> Callable[[DeclarationCheckFunc], DeclarationCheckFunc]:
    """Decorator: register a declaration check with its criterion and the stable codes it may emit."""
    if not codes:
        raise ValueError("a check must declare the codes it emits")

    def decorate(func: DeclarationCheckFunc) -> DeclarationCheckFunc:
        name = f"{func.__module__}.{func.__qualname__}"
        DECLARATION_REGISTRY[:] = [item for item in DECLARATION_REGISTRY if item.name != name]
        DECLARATION_REGISTRY.append(RegisteredDeclarationCheck(name, criterion, codes, func))
        return func

    return decorate


def load_declaration_checks() -> list[RegisteredDeclarationCheck]:
    """Import every topic module and return the registered checks in run order."""
    for name in DECLARATION_MODULES:
        importlib.import_module(name)
    order = {name: i for i, name in enumerate(DECLARATION_MODULES)}
    return sorted(DECLARATION_REGISTRY, key=lambda item: order.get(item.name.rsplit(".", 1)[0], len(order)))


def declaration_codes() -> dict[str, Criterion]:
    """Every code a registered declaration check may emit, with its criterion."""
    return {code: item.criterion for item in load_declaration_checks() for code in item.codes}
