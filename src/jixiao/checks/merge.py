"""One problem, one finding: findings that describe the same fact are merged before they are shown.

- a rule that could not run on a row (``scoring.rule-not-applicable``, a note) says nothing more when
  a warning or an error about the same row already explains why;
- a total above the rules (``inflation.total``) that is wholly the sum of row findings (full marks
  on a missed target, a line score above its rule) is their consequence: with one such row the row
  finding names the total it leads to and the total finding goes; with several, the total finding
  names the rows it comes from;
- a 一级 level missing because its items were filed under another level (``structure.misfiled``)
  is said once, by the misfiled finding;
- “存在问题：无” and “有关建议：无” beside the same missed target are one finding;
- one difference seen twice by the same rule, outside its tolerance on a line and inside it on the
  total (a pension estimate), is one finding: the warning, naming the total.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.checks.common import category, score_text
from jixiao.findings import Finding, Severity
from jixiao.model import Evaluation
from jixiao.numbers import parse_decimal
from jixiao.places import place_of

ROW_SCORE_CODES = ("inflation.full-marks", "arithmetic.line-score", "inflation.qualitative-band")
_CENT = Decimal("0.01")
_PLAIN_NUMBER = re.compile(r"\s*-?\d+(?:\.\d+)?\s*")


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
    excess = _excess(total) if total is not None else None
    if total is None or excess is None:
        return findings
    rows = [f for f in findings if f.code in ROW_SCORE_CODES and _excess(f) is not None]
    if not rows or abs(sum((_excess(f) or Decimal(0) for f in rows), Decimal(0)) - excess) > _CENT:
        return findings
    if len(rows) == 1:
        [row] = rows
        merged = _with_message(
            row,
            f"{row.message}；总分因此应为{score_text(total.expected)}，填报{score_text(total.actual)}，高出{score_text(excess)}",
        )
        return [merged if f is row else f for f in findings if f is not total]
    parts = "、".join(
        f"“{(f.location.place or f.location.path).removesuffix(' 得分')}”{score_text(_excess(f) or Decimal(0))}"
        for f in rows
    )
    return [_with_message(f, f"{f.message}，来自{parts}") if f is total else f for f in findings]


def _level_from_misfiled(findings: list[Finding]) -> list[Finding]:
    misfiled = {category(str(f.expected)) for f in findings if f.code == "structure.misfiled"}
    explained = [
        f for f in findings if f.code == "structure.missing-level" and category(str(f.expected)) in misfiled
    ]
    if not explained:
        return findings
    said = {category(str(f.expected)) for f in explained}
    out = []
    for f in findings:
        if f in explained:
            continue
        if f.code == "structure.misfiled" and category(str(f.expected)) in said:
            f = _with_message(f, f"{f.message}；一级指标因此缺少“{f.expected}”")
        out.append(f)
    return out


def _difference(f: Finding) -> Decimal | None:
    """actual − expected, when both are amounts (a rule may keep them as printed text)."""

    def amount(value: object) -> Decimal | None:  # a number, or a number kept as text ("130.8860")
        if isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(value):
            return None
        return parse_decimal(value) if isinstance(value, str | int | Decimal) else None

    actual, expected = amount(f.actual), amount(f.expected)
    if actual is None or expected is None:
        return None
    return (actual - expected).quantize(Decimal("0.0001"))


def _same_difference(findings: list[Finding]) -> list[Finding]:
    """An info that repeats, within tolerance, the difference a warning of its rule already reports."""
    drop: set[int] = set()
    notes: dict[int, list[str]] = {}
    for i, note in enumerate(findings):
        if note.severity is not Severity.info or (diff := _difference(note)) is None or not diff:
            continue
        for j, main in enumerate(findings):
            same = j != i and main.code == note.code and main.severity is not Severity.info
            if same and _difference(main) == diff:
                drop.add(i)
                notes.setdefault(j, []).append(note.message)
                break
    return [
        _with_message(f, f"{f.message}；同一差额在合计上：{'；'.join(notes[k])}") if k in notes else f
        for k, f in enumerate(findings)
        if k not in drop
    ]


def _none_and_none(findings: list[Finding]) -> list[Finding]:
    problems = next((f for f in findings if f.code == "text.no-problems"), None)
    advice = next((f for f in findings if f.code == "text.no-suggestions" and f.actual == "无"), None)
    if problems is None or advice is None:
        return findings
    message = problems.message.replace("“存在问题：无”", "“存在问题：无”“有关建议：无”", 1)
    message = message.replace("，应分析存在的问题及原因", "，应分析存在的问题及原因，并提出改进建议", 1)
    return [_with_message(f, message) if f is problems else f for f in findings if f is not advice]


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
    return _same_difference(_none_and_none(_level_from_misfiled(_total_from_rows(findings))))
