"""Realistic mutants of real evaluations: one error of a kind real reports show, and whether the audit finds it.

Each mutator takes evaluation data (the evaluation file format, as ``api.to_data`` gives it) and a
random source, plants one error in place and returns what a reviewer expects the audit to say:
finding codes with their severity. It returns ``None`` when the evaluation has nothing the
mutation could change (no printed execution rate to slip, no 时效 target to miss …).

A mutant is *detected* when the audit of the mutated data raises an expected code that the audit
of the unmutated data did not raise (same code, place and message); it is detected *with the right
severity* when that finding also has the expected severity.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao import api
from jixiao.findings import Finding, Severity
from jixiao.numbers import format_number, parse_decimal, parse_quantity

Expect = dict[str, Severity]
Mutator = Callable[[dict[str, Any], random.Random], Expect | None]
Data = dict[str, Any]

E, W = Severity.error, Severity.warning
GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))
MONEY_STAGES = ("budget", "available", "spent")
_DEADLINE = re.compile(r"(\d{1,2})\s*月")


def dec(value: Any) -> Decimal | None:
    """A number from data: a Decimal, an int, a string, or a figure mapping ({text, value, unit})."""
    if isinstance(value, dict):
        value = value.get("value", value.get("text"))
    return parse_decimal(value) if value is not None else None


def text(value: Any) -> str:
    """The printed text of a figure (a plain string or a figure mapping)."""
    if isinstance(value, dict):
        return str(value.get("text") or "")
    return "" if value is None else str(value)


def _num(value: Decimal, places: int = 2) -> str:
    return format_number(value, places, trim=True)


def _off(rng: random.Random, low: int = 50, high: int = 500) -> Decimal:
    """A visible slip: ±0.50 … ±5.00 by default, never zero."""
    value = Decimal(rng.randint(low, high)) / 100
    return value if rng.random() < 0.5 else -value


def _scored(data: Data) -> list[dict[str, Any]]:
    return [
        i for i in data.get("indicators", []) if dec(i.get("weight")) and dec(i.get("claimed")) is not None
    ]


def _full(ind: dict[str, Any]) -> bool:
    weight, claimed = dec(ind.get("weight")), dec(ind.get("claimed"))
    return bool(weight) and claimed is not None and claimed >= weight  # type: ignore[operator]


def _is_cost(ind: dict[str, Any]) -> bool:
    return "成本" in f"{ind.get('level2') or ''}{ind.get('name') or ''}"


def _measured(ind: dict[str, Any], *, floor: bool) -> bool:
    """Numeric target and actual in one unit, the actual meeting the target (a floor when ``floor``)."""
    target, actual = parse_quantity(text(ind.get("target"))), parse_quantity(text(ind.get("actual")))
    if target.value is None or actual.value is None or not target.value or target.unit == "月":
        return False
    if target.unit != actual.unit or target.comparison in ("range", "=", ">", "<"):
        return False
    if floor:
        return target.comparison != "<=" and not _is_cost(ind) and actual.value >= target.value
    return True


def _score_rows(data: Data, ind: dict[str, Any]) -> list[dict[str, Any]]:
    """The scored rows whose score rests on this row: itself, or score lines citing it by id."""
    if dec(ind.get("weight")):
        return [ind]
    rid = ind.get("id")
    return [
        s
        for s in _scored(data)
        if rid and isinstance(s.get("rule"), dict) and rid in (s["rule"].get("refs") or [])
    ]


def _at_full(data: Data, ind: dict[str, Any]) -> list[dict[str, Any]]:
    rows = _score_rows(data, ind)
    return rows if rows and all(_full(s) for s in rows) else []


def _drop_reasons(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        row.pop("deviation_reason", None)
        row.pop("completion", None)


def _lowered(actual: Any, factor: Decimal) -> str:
    q = parse_quantity(text(actual))
    assert q.value is not None
    return f"{_num(q.value * factor, max(q.places, 2))}{q.unit or ''}"


# ── funds ────────────────────────────────────────────────────────────────────


def _total(data: Data) -> dict[str, Any]:
    funds = data.setdefault("funds", {})
    return funds.setdefault("total", {"source": "total"})  # type: ignore[no-any-return]


def _base_of(total: dict[str, Any]) -> Decimal | None:
    return dec(total.get("available")) or dec(total.get("budget"))


def mutate_rate(data: Data, rng: random.Random) -> Expect | None:
    """预算执行率 printed off its own amounts (spent ÷ available or budget) by 2–20 points."""
    total = _total(data)
    spent, base = dec(total.get("spent")), _base_of(total)
    if spent is None or not base:
        return None
    rate = spent / base * 100
    wrong = max(Decimal(0), rate + _off(rng, 200, 2000))
    data["funds"]["execution_rate"] = f"{_num(wrong)}%"
    return {"funds.execution-rate": E}


def mutate_spent(data: Data, rng: random.Random) -> Expect | None:
    """实际支出 changed by 1–50 万元 while the rate, surplus and sources stay as printed."""
    total = _total(data)
    spent = dec(total.get("spent"))
    checked = data["funds"].get("execution_rate") or total.get("surplus") or _fund_lines(data, "spent")
    if spent is None or not checked:
        return None
    total["spent"] = _num(max(Decimal(0), spent + _off(rng, 100, 5000)))
    return {
        "funds.execution-rate": E,
        "funds.surplus": E,
        "funds.sources-sum": E,
        "funds.rate-undefined": E,
    }


def mutate_surplus(data: Data, rng: random.Random) -> Expect | None:
    """结余 printed ≠ available − spent (by 1–50 万元)."""
    total = _total(data)
    spent, base = dec(total.get("spent")), _base_of(total)
    if spent is None or not base or base < 2:
        return None
    total["surplus"] = _num(base - spent + abs(_off(rng, 100, 5000)))
    return {"funds.surplus": E}


def _fund_lines(data: Data, stage: str) -> list[dict[str, Any]]:
    return [ln for ln in data.get("funds", {}).get("lines", []) if dec(ln.get(stage))]


def mutate_parts(data: Data, rng: random.Random) -> Expect | None:
    """其中 parts that no longer add to their total: one source line off by 1–20 % (at least 1 万元)."""
    total = _total(data)
    stages = [s for s in MONEY_STAGES if dec(total.get(s)) and _fund_lines(data, s)]
    if not stages:
        return None
    stage = rng.choice(stages)
    line = rng.choice(_fund_lines(data, stage))
    value = dec(line[stage])
    assert value is not None
    change = max(Decimal(1), abs(value) * Decimal(rng.randint(1, 20)) / 100)
    # below the total, the gap could be a source left unprinted: only a sum above it is certain
    unprinted = any(ln.get(stage) is None for ln in data["funds"].get("lines", []))
    line[stage] = _num(value + change if unprinted or rng.random() < 0.5 else max(Decimal(0), value - change))
    return {"funds.sources-sum": E, "funds.parts-sum": E}


def mutate_unit(data: Data, rng: random.Random) -> Expect | None:
    """A unit slip: one amount typed in 元 into a 万元 column (× 10 000)."""
    funds = data.get("funds", {})
    if funds.get("unit", "万元") != "万元":
        return None
    places = [
        (ln, s)
        for ln in [*funds.get("lines", []), funds.get("total", {})]
        for s in MONEY_STAGES
        if (v := dec(ln.get(s))) is not None and Decimal("0.01") <= v < 100_000
    ]
    if len(places) < 2:  # a lone amount has nothing to be out of scale with
        return None
    line, stage = rng.choice(places)
    value = dec(line[stage])
    assert value is not None
    line[stage] = _num(value * 10_000, 2)
    return {
        "funds.unit-label": E,
        "funds.unit-mix": E,
        "funds.sources-sum": E,
        "funds.execution-rate": E,
        "funds.overspent": E,
        "funds.surplus": E,
        "targets.cost-budget": W,
    }


# ── scores ───────────────────────────────────────────────────────────────────


def mutate_level(data: Data, rng: random.Random) -> Expect | None:
    """A printed level subtotal (一级 小计) off by 0.5–5 points."""
    levels = [lv for lv in data.get("levels", []) if dec(lv.get("claimed")) is not None]
    if not levels or not _scored(data):
        return None
    level = rng.choice(levels)
    claimed = dec(level["claimed"])
    assert claimed is not None
    level["claimed"] = _num(max(Decimal(0), claimed + _off(rng)))
    return {"arithmetic.level-sum": E, "arithmetic.total-sum": E}


def mutate_score(data: Data, rng: random.Random) -> Expect | None:
    """One line score (得分) off by 0.5–5 points, its subtotal and total left as printed."""
    rows = _scored(data)
    printed = [lv for lv in data.get("levels", []) if dec(lv.get("claimed")) is not None]
    if not rows or not (printed or dec(data.get("claims", {}).get("total")) is not None):
        return None
    row = rng.choice(rows)
    claimed, weight = dec(row["claimed"]), dec(row["weight"])
    assert claimed is not None and weight is not None
    row["claimed"] = _num(min(weight, max(Decimal(0), claimed + _off(rng))) if claimed else abs(_off(rng)))
    if row["claimed"] == _num(claimed):
        row["claimed"] = _num(max(Decimal(0), claimed - Decimal(1)))
    return {"arithmetic.level-sum": E, "arithmetic.total-sum": E}


def mutate_total(data: Data, rng: random.Random) -> Expect | None:
    """The printed total off by 0.5–5 points (where items or subtotals print what it adds up)."""
    claims = data.get("claims", {})
    total = dec(claims.get("total"))
    if total is None or not (_scored(data) or any(dec(lv.get("claimed")) for lv in data.get("levels", []))):
        return None
    claims["total"] = _num(max(Decimal(0), total + _off(rng)))
    return {"arithmetic.total-sum": E, "grade.mismatch": E}


def _grade(total: Decimal) -> str:
    return next(name for name, floor in GRADES if total >= floor)


def mutate_grade(data: Data, rng: random.Random) -> Expect | None:
    """A grade word that does not match the printed total's band."""
    claims = data.get("claims", {})
    total = dec(claims.get("total"))
    if total is None:
        return None
    right = _grade(total)
    claims["grade"] = rng.choice([g for g, _ in GRADES if g != right])
    return {"grade.mismatch": E}


def mutate_weights(data: Data, rng: random.Random) -> Expect | None:
    """One 分值 raised by 1–5 points, so the weights no longer add to their level or to 100."""
    rows = _scored(data)
    if not rows:
        return None
    row = rng.choice(rows)
    weight = dec(row["weight"])
    assert weight is not None
    row["weight"] = _num(weight + rng.randint(1, 5))
    return {"arithmetic.weight-sum": E, "arithmetic.level-weight": E, "arithmetic.group-weight": E}


# ── targets ──────────────────────────────────────────────────────────────────


def _from_survey(data: Data, ind: dict[str, Any]) -> bool:
    """A 满意度 row whose score follows the survey: changing its printed actual alone is another error."""
    return bool(data.get("survey")) and "满意" in f"{ind.get('level2') or ''}{ind.get('name') or ''}"


def _candidates(data: Data, *, floor: bool) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    return [
        (ind, rows)
        for ind in data.get("indicators", [])
        if _measured(ind, floor=floor) and not _from_survey(data, ind) and (rows := _at_full(data, ind))
    ]


FULL_MARKS: Expect = {"inflation.full-marks": W, "inflation.level-full-marks": W}


def mutate_full_marks_floor(data: Data, rng: random.Random) -> Expect | None:
    """正向: the actual falls 5–50 % below a met ≥ target; the row keeps full marks."""
    found = _candidates(data, floor=True)
    if not found:
        return None
    ind, rows = rng.choice(found)
    ind["actual"] = _lowered(ind["actual"], Decimal(rng.randint(50, 95)) / 100 * _ratio_to_target(ind))
    _drop_reasons([ind, *rows])
    return dict(FULL_MARKS)


def _ratio_to_target(ind: dict[str, Any]) -> Decimal:
    """target ÷ actual: scales the actual down to the target before the shortfall is applied."""
    target, actual = parse_quantity(text(ind.get("target"))), parse_quantity(text(ind.get("actual")))
    assert target.value is not None and actual.value
    return target.value / actual.value


def mutate_full_marks_ceiling(data: Data, rng: random.Random) -> Expect | None:
    """反向: a ≤ ceiling 10–40 % below the actual (投诉率≤5% beside 6%); the row keeps full marks."""
    found = _candidates(data, floor=False)
    found = [  # 满意度 is never a ceiling
        (i, r)
        for i, r in found
        if parse_quantity(text(i.get("actual"))).value and "满意" not in f"{i.get('level2')}{i.get('name')}"
    ]
    if not found:
        return None
    ind, rows = rng.choice(found)
    actual = parse_quantity(text(ind["actual"]))
    assert actual.value is not None
    ceiling = actual.value * Decimal(rng.randint(60, 90)) / 100
    ind["target"] = f"≤{_num(ceiling, max(actual.places, 2))}{actual.unit or ''}"
    _drop_reasons([ind, *rows])
    return dict(FULL_MARKS)


def mutate_deviation(data: Data, rng: random.Random) -> Expect | None:
    """A target missed by 5–40 %, scored in proportion, with no 偏差原因 written."""
    found = [
        (ind, rows)
        for ind in data.get("indicators", [])
        if _measured(ind, floor=True) and not _from_survey(data, ind) and (rows := _score_rows(data, ind))
    ]
    if not found:
        return None
    ind, rows = rng.choice(found)
    share = Decimal(rng.randint(60, 95)) / 100
    ind["actual"] = _lowered(ind["actual"], share * _ratio_to_target(ind))
    for row in rows:
        weight = dec(row.get("weight"))
        if weight:
            row["claimed"] = _num(weight * share)
    _drop_reasons([ind, *rows])
    return {"explanations.missing-deviation": W}


def mutate_cost(data: Data, rng: random.Random) -> Expect | None:
    """A 成本 target overrun by 5–50 % (the actual cost above its ceiling), the score unchanged."""
    found = [ind for ind in data.get("indicators", []) if _is_cost(ind) and _measured(ind, floor=False)]
    if not found:
        return None
    ind = rng.choice(found)
    target = parse_quantity(text(ind["target"]))
    assert target.value is not None
    over = target.value * (1 + Decimal(rng.randint(5, 50)) / 100)
    ind["actual"] = f"{_num(over, max(target.places, 2))}{target.unit or ''}"
    _drop_reasons([ind, *_score_rows(data, ind)])
    return {**FULL_MARKS, "explanations.missing-deviation": W, "inflation.total": W}


def mutate_deadline(data: Data, rng: random.Random) -> Expect | None:
    """A 时效 deadline missed: done in the next year's 1–3 月, the score unchanged."""
    found = [
        ind
        for ind in data.get("indicators", [])
        if _DEADLINE.search(text(ind.get("target"))) and "次年" not in text(ind.get("target"))
    ]
    if not found:
        return None
    ind = rng.choice(found)
    ind["actual"] = f"次年{rng.randint(1, 3)}月完成"
    _drop_reasons([ind, *_score_rows(data, ind)])
    return {**FULL_MARKS, "explanations.missing-deviation": W, "inflation.total": W}


def _satisfaction_rows(data: Data) -> list[dict[str, Any]]:
    """Rows that claim satisfaction: a 满意度 score, or a 满意率 target row with its actual."""
    return [
        i
        for i in data.get("indicators", [])
        if "满意" in f"{i.get('level2') or ''}{i.get('name') or ''}"
        and (dec(i.get("claimed")) or text(i.get("actual")))
    ]


def mutate_survey(data: Data, rng: random.Random) -> Expect | None:
    """满意度 scored or claimed with no survey behind it: the survey section removed, the claim kept."""
    if not data.get("survey") or not _satisfaction_rows(data):
        return None
    data.pop("survey")
    return {"survey.missing": W}


@dataclass(frozen=True)
class Kind:
    """One kind of mutation: its name, how a reviewer would call it, and the mutator."""

    name: str
    chinese: str
    mutate: Mutator


KINDS: tuple[Kind, ...] = (
    Kind("score", "单项得分与小计、总分不符", mutate_score),
    Kind("level", "一级小计与分项不符", mutate_level),
    Kind("total", "总分与分项不符", mutate_total),
    Kind("grade", "等级与总分不符", mutate_grade),
    Kind("rate", "执行率与金额不符", mutate_rate),
    Kind("spent", "支出数与执行率、结余、分项不符", mutate_spent),
    Kind("surplus", "结余≠到位−支出", mutate_surplus),
    Kind("parts", "其中各项≠合计", mutate_parts),
    Kind("full-floor", "正向指标未完成仍得满分", mutate_full_marks_floor),
    Kind("full-ceiling", "反向指标超上限仍得满分", mutate_full_marks_ceiling),
    Kind("deviation", "未完成目标未写偏差原因", mutate_deviation),
    Kind("survey", "无调查的满意度得分", mutate_survey),
    Kind("weights", "分值合计不符", mutate_weights),
    Kind("cost", "成本超支", mutate_cost),
    Kind("deadline", "时效未按期完成", mutate_deadline),
    Kind("unit", "万元栏填了元", mutate_unit),
)


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.code, f.location.path, f.message)


def audit(data: Data) -> list[Finding]:
    """Every finding on evaluation data: loading and the audit (复核)."""
    loaded = api.load_data(data)
    if loaded.evaluation is None:
        return list(loaded.findings)
    return [*loaded.findings, *api.check(loaded.evaluation).findings]


@dataclass
class Outcome:
    """One mutant: whether an expected finding appeared, and with the expected severity."""

    detected: bool
    right_severity: bool
    found: list[Finding]


def judge(expect: Expect, before: list[Finding], after: list[Finding]) -> Outcome:
    """Compare the audit of a mutant with the audit of its unmutated base."""
    seen = {_key(f) for f in before}
    new = [f for f in after if f.code in expect and _key(f) not in seen]
    return Outcome(bool(new), any(f.severity is expect[f.code] for f in new), new)


@dataclass
class Tally:
    """Mutants tried, detected, and detected with the right severity, per kind."""

    tried: dict[str, int] = field(default_factory=dict)
    detected: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, outcome: Outcome, label: str) -> None:
        """Count one mutant."""
        self.tried[kind] = self.tried.get(kind, 0) + 1
        self.detected[kind] = self.detected.get(kind, 0) + int(outcome.detected)
        self.right[kind] = self.right.get(kind, 0) + int(outcome.right_severity)
        if not outcome.right_severity:
            self.misses.setdefault(kind, []).append(label)


@dataclass
class Base:
    """An unmutated evaluation: its data and its audit."""

    label: str
    data: Data
    findings: list[Finding]


def base(label: str, data: Data) -> Base:
    """An unmutated base, audited once."""
    return Base(label, data, audit(data))


def mutate(b: Base, kind: Kind, seed: int) -> tuple[Expect, Outcome] | None:
    """Plant one error of ``kind`` in a copy of the base and audit it (None when it does not apply)."""
    data = copy.deepcopy(b.data)
    expect = kind.mutate(data, random.Random(seed))
    if expect is None:
        return None
    return expect, judge(expect, b.findings, audit(data))


def measure(bases: list[Base], per_kind: int, seed: int = 0) -> Tally:
    """Up to ``per_kind`` mutants of each kind, spread over the bases it applies to."""
    tally = Tally()
    if not bases:
        return tally
    for kind in KINDS:
        made = attempts = 0
        while made < per_kind and attempts < per_kind * 3:
            b = bases[attempts % len(bases)]
            result = mutate(b, kind, seed * 1_000_003 + attempts)
            attempts += 1
            if result is None:
                continue
            made += 1
            tally.add(kind.name, result[1], f"{b.label}#{attempts - 1}")
    return tally
