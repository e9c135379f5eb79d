"""Diagnosis, not just mismatch: which printed figures *do* produce a printed derived figure.

When a printed rate disagrees with the rule, a reviewer looks for the division that gives it
(seed 000: 80.28% is 4321.24 / 5383.00, and 5383.00 = 实际支出 + 结余).  ``explain_ratio``
searches quotients of the printed figures and of their pairwise sums and differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from jixiao.checks.common import HUNDRED, amount_text
from jixiao.numbers import matches_printed


@dataclass(frozen=True)
class Term:
    """A printed figure or a sum / difference of two, with how it was formed."""

    value: Decimal
    words: str  # "实际支出4321.24"
    formed: str = ""  # "实际支出4321.24 + 结余1061.76" for a derived term
    parts: tuple[str, ...] = ()  # labels it uses

    @property
    def derived(self) -> bool:
        """True for a sum or difference."""
        return bool(self.formed)


def terms_of(figures: dict[str, Decimal]) -> list[Term]:
    """The figures (equal values merged: 预算、实际到位5838.00) and their pairwise sums and differences."""
    merged: dict[Decimal, list[str]] = {}
    for name, value in figures.items():
        if value > 0:
            merged.setdefault(value, []).append(name)
    base = [Term(v, f"{'、'.join(names)}{amount_text(v)}", parts=tuple(names)) for v, names in merged.items()]
    out = list(base)
    for a, b in combinations(base, 2):
        out.append(
            Term(
                a.value + b.value, amount_text(a.value + b.value), f"{a.words} + {b.words}", a.parts + b.parts
            )
        )
        big, small = (a, b) if a.value > b.value else (b, a)
        if big.value != small.value:
            out.append(
                Term(
                    big.value - small.value,
                    amount_text(big.value - small.value),
                    f"{big.words} − {small.words}",
                    big.parts + small.parts,
                )
            )
    return out


def transposed(a: Decimal, b: Decimal) -> bool:
    """True when two amounts print with the same digits in another order (5383 ↔ 5838)."""
    da, db = amount_text(a).replace(".", ""), amount_text(b).replace(".", "")
    return da != db and sorted(da) == sorted(db)


def explain_ratio(
    printed: Decimal, places: int, figures: dict[str, Decimal], intended: str | None = None
) -> str | None:
    """Say which quotient of the printed figures (or of a sum or difference) gives ``printed`` percent,
    and what that suggests; ``intended`` names the denominator the rule uses."""
    terms = terms_of(figures)
    originals = [t for t in terms if not t.derived]
    best: tuple[int, Term, Term] | None = None
    for numerator in originals:
        if len(numerator.parts) > 1 and matches_printed(printed, HUNDRED, places):
            a, b = numerator.parts[:2]  # two figures printed equal: their quotient is the 100 %
            text = (
                f"{amount_text(printed, places)}%是以同一数额{amount_text(numerator.value)}万元同时作分子和分母算出的"
                f"（{a}与{b}同为{amount_text(numerator.value)}万元）"
            )
            if intended and intended in figures and intended not in numerator.parts:
                text += f"，应以{intended}{amount_text(figures[intended])}万元为分母"
            return text
        for denominator in terms:
            if denominator is numerator or denominator.value == 0:
                continue
            if not matches_printed(printed, numerator.value / denominator.value * HUNDRED, places):
                continue
            cost = int(denominator.derived)
            if best is None or cost < best[0]:
                best = (cost, numerator, denominator)
    if best is None:
        return None
    _, numerator, denominator = best
    text = f"{amount_text(printed, places)}%恰为{numerator.words} / {denominator.words}"
    if not denominator.derived:
        if intended and intended not in denominator.parts:
            return text + f"，即以{denominator.words}万元为分母，应以{intended}为分母"
        return text + f"，即以{denominator.words}万元为分母"
    text += f"，而{denominator.words} = {denominator.formed}"
    near = [t for t in originals if transposed(t.value, denominator.value) and t.parts != denominator.parts]
    if near:
        text += f"（与{near[0].words}数字相同、顺序颠倒）"
    suspects = [p for p in denominator.parts if p not in numerator.parts]
    if intended:
        suspects.insert(0, intended)
    if suspects:
        text += f"，{'或'.join(dict.fromkeys(s + '数' for s in suspects))}有误"
    return text


def explain_sum(expected: Decimal, got: Decimal) -> str:
    """A note on a sum that misses: transposed digits, or a gap of a round amount."""
    if transposed(expected, got):
        return f"{amount_text(got)}与{amount_text(expected)}数字相同、顺序颠倒，疑为录入或排印错误"
    return ""
