"""The 绩效目标申报表 web form: field names ↔ declaration data, with Chinese errors per field; the
reviewer's opinion form (审核意见 per criterion, 需补充完善事项, result)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jixiao import api
from jixiao.api import Criterion, Declaration, ReviewGrade, ReviewOpinion
from jixiao.web.forms import figure_text, parse_number, row_action

# form field → (path in the declaration data, kind)
SCALAR_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "project_name": (("project", "name"), "text"),
    "project_code": (("project", "code"), "text"),
    "project_category": (("project", "category"), "text"),
    "novelty": (("novelty",), "choice"),
    "attribute": (("project", "attribute"), "choice"),
    "period_years": (("period_years",), "int"),
    "basis": (("basis",), "text"),
    "funds_medium_total": (("funds", "medium_total"), "number"),
    "funds_annual_total": (("funds", "annual_total"), "number"),
    "funds_appropriation": (("funds", "appropriation"), "number"),
    "funds_other": (("funds", "other"), "number"),
    "funds_last_budget": (("funds", "last_budget"), "number"),
    "funds_last_spent": (("funds", "last_spent"), "number"),
    "funds_estimate": (("funds", "estimate"), "text"),
}
CHOICES = {
    "novelty": dict(api.NOVELTY_NAMES),
    "attribute": {"recurring": "经常性项目", "one_off": "一次性项目"},
}
GOAL_FIELDS = {"goals_annual": "annual", "goals_medium": "medium"}
# 性质 as the form's select offers it: ≥ ≤ = for a 定量 indicator, 定性 for a qualitative one
NATURES = {">=": "≥", "<=": "≤", "=": "=", "qualitative": "定性"}
BASIS_KINDS = dict(api.BASIS_KIND_NAMES)
# the indicator tables: target set → (field prefix ``<prefix>-<i>-<key>``, row-count field)
TABLES = {"annual": ("ind", "indicator_count"), "medium": ("mid", "medium_count")}
ROW_FIELDS = (
    "level1",
    "level2",
    "name",
    "nature",
    "target",
    "unit",
    "basis_kind",
    "basis",
    "last_actual",
    "explanation",
)
OPINION_FIELDS = {
    "overall": "总体目标审核意见",
    "outputs": "产出指标审核意见",
    "outcomes": "效益指标审核意见",
    "satisfaction": "满意度指标审核意见",
}


@dataclass
class DeclarationForm:
    """The declaration built from a form (None when invalid) and the error of each field."""

    data: dict[str, Any]
    declaration: Declaration | None
    errors: dict[str, str] = field(default_factory=dict)


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def scalar_values(data: dict[str, Any]) -> dict[str, str]:
    """Each scalar field's value as the form shows it."""
    out = {}
    for name, (path, _kind) in SCALAR_FIELDS.items():
        value = _get(data, path)
        out[name] = "" if value is None else str(value)
    for name, period in GOAL_FIELDS.items():
        goals = _get(data, (period, "goals"))
        out[name] = "\n".join(goals) if isinstance(goals, list) else ""
    return out


def rows_of(data: dict[str, Any], period: str = "annual") -> list[dict[str, str]]:
    """The indicator rows of a target set (年度 or 中期) as the form shows them."""
    rows = []
    for ind in _get(data, (period, "indicators")) or []:
        nature = "qualitative" if ind.get("type") == "qualitative" else (ind.get("comparison") or "")
        rows.append(
            {
                "level1": ind.get("level1") or "",
                "level2": ind.get("level2") or "",
                "name": ind.get("name") or "",
                "nature": nature,
                "target": figure_text(ind.get("target")),
                "unit": ind.get("unit") or "",
                "basis_kind": ind.get("basis_kind") or "",
                "basis": ind.get("basis") or "",
                "last_actual": figure_text(ind.get("last_actual")),
                "explanation": ind.get("explanation") or "",
            }
        )
    return rows


def _row_count(form: Mapping[str, Any], field: str, stored: int) -> int:
    posted = form.get(field)
    if isinstance(posted, str) and posted.isascii() and posted.isdigit() and len(posted) < 6:
        return min(int(posted), 200)
    return stored


def apply_form(base: dict[str, Any], form: Mapping[str, Any]) -> DeclarationForm:
    """Apply posted fields onto a copy of ``base`` and validate it as a declaration."""
    data = copy.deepcopy(base)
    errors: dict[str, str] = {}
    for name, (path, kind) in SCALAR_FIELDS.items():
        if name not in form:
            continue
        raw = str(form.get(name, "")).strip()
        if kind == "number":
            try:
                value = parse_number(raw)
            except ValueError as exc:
                errors[name] = str(exc)
                _set(data, path, raw)
                continue
            _set(data, path, None if value is None else str(value))
        elif kind == "int":
            if raw and not (raw.isascii() and raw.isdigit() and 1 <= int(raw[:3]) <= 50 and len(raw) <= 2):
                errors[name] = "请填写 1 到 50 之间的整数（年）"
                _set(data, path, raw)
            else:
                _set(data, path, int(raw) if raw else None)
        elif kind == "choice":
            if raw and raw not in CHOICES[name]:
                errors[name] = "请从列表中选择"
            _set(data, path, raw or None)
        else:
            _set(data, path, raw or None)
    for name, period in GOAL_FIELDS.items():
        if name not in form:
            continue
        goals = [line.strip() for line in str(form.get(name, "")).splitlines() if line.strip()]
        target = data.get(period)
        if not isinstance(target, dict):
            if not goals:
                continue
            target = data[period] = {"period": period, "indicators": []}
        target["goals"] = goals
    if not str(_get(data, ("project", "name")) or "").strip():
        errors["project_name"] = "项目名称不能为空"
        _set(data, ("project", "name"), "")
    data.setdefault("annual", {"period": "annual"})
    for period, (prefix, count_field) in TABLES.items():
        target_set = data.get(period)
        if not isinstance(target_set, dict):
            continue  # no 中期 target set: nothing posted for it
        stored: list[dict[str, Any]] = list(target_set.get("indicators") or [])
        rows: list[dict[str, Any]] = []
        for i in range(_row_count(form, count_field, len(stored))):
            row = dict(stored[i]) if i < len(stored) else {"level1": "产出指标"}
            _apply_row(row, prefix, i, form, errors)
            rows.append(row)
        target_set["indicators"] = rows
    if errors:
        return DeclarationForm(data, None, errors)
    loaded = api.load_declaration_data(data, file="网页表单")
    if loaded.declaration is None:
        for f in loaded.findings:
            errors.setdefault(_field_of(f.location.path), f.message.split("：", 1)[-1])
    return DeclarationForm(data, loaded.declaration, errors)


def _apply_row(
    row: dict[str, Any], prefix: str, i: int, form: Mapping[str, Any], errors: dict[str, str]
) -> None:
    for key in ROW_FIELDS:
        name = f"{prefix}-{i}-{key}"
        if name not in form:
            continue
        raw = str(form.get(name, "")).strip()
        if key == "nature":
            if raw and raw not in NATURES:
                errors[name] = "请从列表中选择性质"
                continue
            row.pop("comparison", None)
            if raw == "qualitative":
                row["type"] = "qualitative"
            elif raw:
                row["type"] = "quantitative"
                row["comparison"] = raw
            else:
                row.pop("type", None)
        elif key == "basis_kind":
            if raw and raw not in BASIS_KINDS:
                errors[name] = "请从列表中选择设定依据"
                continue
            _put(row, key, raw)
        elif key in ("target", "last_actual"):
            old = row.get(key)
            if raw and not (isinstance(old, dict) and old.get("text") == raw):
                row[key] = {"text": raw}
            elif not raw:
                row.pop(key, None)
        else:
            _put(row, key, raw)
    if not row.get("level1"):
        errors[f"{prefix}-{i}-level1"] = "一级指标不能为空"
        row["level1"] = ""


def _put(row: dict[str, Any], key: str, raw: str) -> None:
    if raw:
        row[key] = raw
    else:
        row.pop(key, None)


def _field_of(path: str) -> str:
    for period, (prefix, _count) in TABLES.items():
        start = f"{period}.indicators["
        if path.startswith(start):
            index, _, rest = path[len(start) :].partition("]")
            key = rest.lstrip(".").split(".")[0] or "level1"
            return f"{prefix}-{index}-{'nature' if key in ('type', 'comparison') else key}"
    for name, (target, _kind) in SCALAR_FIELDS.items():
        if path.startswith(".".join(target)):
            return name
    return "_form"


def indicator_action(data: dict[str, Any], action: str) -> str | None:
    """Add or remove an indicator row (``add-<i>``, ``add-group-<i>``, ``remove-<i>`` in the 年度
    table, the same with ``mid-`` in the 中期 one), or start a 中期 table (``mid-start``); the
    message, None for another action. Nothing is saved."""
    if action == "mid-start":
        if isinstance(data.get("medium"), dict) and data["medium"].get("indicators"):
            return "已有中期绩效指标表"
        blank = api.new_declaration(medium=True).medium
        assert blank is not None
        medium: dict[str, Any] = data["medium"] if isinstance(data.get("medium"), dict) else {}
        medium["period"] = "medium"
        medium["indicators"] = [i.model_dump(mode="json", exclude_none=True) for i in blank.indicators]
        data["medium"] = medium
        return "已添加中期绩效指标表，请填写后保存（尚未保存）"
    period = "medium" if action.startswith("mid-") else "annual"
    target_set = data.setdefault(period, {"period": period})
    rows = {"indicators": list(target_set.get("indicators") or [])}
    message = row_action(rows, action.removeprefix("mid-"))
    if message is not None:
        target_set["indicators"] = rows["indicators"]
    return message


def opinion_of(form: Mapping[str, Any]) -> ReviewOpinion:
    """The reviewer's opinion as posted (blank fields left out)."""
    texts = {key: str(form.get(f"op-{key}", "")).strip()[:2000] or None for key in OPINION_FIELDS}
    criteria = {}
    for criterion in Criterion:
        text = str(form.get(f"op-{criterion.value}", "")).strip()[:2000]
        if text:
            criteria[criterion] = text
    to_complete = [
        line.strip()[:500] for line in str(form.get("to_complete", "")).splitlines() if line.strip()
    ][:50]
    raw_grade = str(form.get("grade", "")).strip()
    grade = next((g for g in ReviewGrade if g.value == raw_grade), None)
    return ReviewOpinion(criteria=criteria, to_complete=to_complete, grade=grade, **texts)


def opinion_values(form: Mapping[str, Any]) -> dict[str, str]:
    """The opinion fields as posted, to show them again when a decision is refused."""
    names = [f"op-{k}" for k in OPINION_FIELDS] + [f"op-{c.value}" for c in Criterion]
    return {n: str(form.get(n, "")) for n in [*names, "to_complete", "grade"]}
