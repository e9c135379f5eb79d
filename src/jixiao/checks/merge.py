"""One problem, one finding: findings that describe the same fact are merged before they are shown.

- a rule that could not run on a row (``scoring.rule-not-applicable``, a note) says nothing more when
  a warning or an error about the same row already explains why;
- a total above the rules (``inflation.total``) that is wholly the sum of row findings (full marks
  on a missed target, a line score above its rule) is their consequence: with one such row the row
  finding names the total it leads to and the total finding goes; with several, the total finding
  names the rows it comes from.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.common import pts
from jixiao.findings import Finding, Severity
from jixiao.model import Evaluation
from jixiao.places import place_of

ROW_SCORE_CODES = ("inflation.full-marks", "arithmetic.line-score", "inflation.qualitative-band")
_CENT = Decimal("0.01")


def placed(f: Finding, evaluation: Evaluation) -> Finding:
    """The finding with its place named in Chinese from the evaluation (indicator names, fund rows)."""
    if f.location.place or not f.location.path:
        return f
    place = place_of(f.location.path, evaluation)
    return f.model_copy(update={"location": f.location.model_copy(update={"place": place})})


def _row(path: str) -> str | None:
    """``indicators[3]`` of ``indicators[3].claimed``: the row a finding is about."""
    head = path.split(".", 1)[0]
    return head if head.startswith("indicators[") else None


def _excess(f: Finding) -> Decimal | None:
    """How many points a finding says were claimed above the rules (None when it says no amount)."""
    if isinstance(f.actual, Decimal) and isinstance(f.expected, Decimal) and f.actual > f.expected:
        return f.actual - f.expected
    return None


def _with_message(f: Finding, message: str) -> Finding:
    return f.model_copy(update={"message": message})


def _total_from_rows(findings: list[Finding]) -> list[Finding]:
    total = next((f for f in findings if f.code == "inflation.total"), None)
    if total is None or _excess(total) is None:
        return findings
    rows = [f for f in findings if f.code in ROW_SCORE_CODES and _excess(f) is not None]
    excess = _excess(total)
    assert excess is not None
    if not rows or abs(sum((_excess(f) or Decimal(0) for f in rows), Decimal(0)) - excess) > _CENT:
        return findings
    if len(rows) == 1:
        [row] = rows
        merged = _with_message(
            row,
            f"{row.message}；总分因此应为{pts(total.expected)}，填报{pts(total.actual)}，高出{pts(excess)}",
        )
        return [merged if f is row else f for f in findings if f is not total]
    parts = "、".join(
        f"“{(f.location.place or f.location.path).removesuffix(' 得分')}”{pts(_excess(f) or Decimal(0))}"
        for f in rows
    )
    return [_with_message(f, f"{f.message}，来自{parts}") if f is total else f for f in findings]


def one_finding_per_problem(findings: list[Finding]) -> list[Finding]:
    """Findings with those that describe the same fact merged (see the module's docstring)."""
    explained = {
        row
        for f in findings
        if f.severity is not Severity.info and (row := _row(f.location.path)) is not None
    }
    findings = [
        f
        for f in findings
        if not (f.code == "scoring.rule-not-applicable" and _row(f.location.path) in explained)
    ]
    return _total_from_rows(findings)
