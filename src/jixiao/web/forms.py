"""The 自评表 web form: field names ↔ evaluation data, with Chinese validation errors per field."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao import api
from jixiao.api import Evaluation

# form field → (path in the evaluation data, kind)
SCALAR_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "project_name": (("project", "name"), "text"),
    "project_department": (("project", "department"), "text"),
    "project_unit": (("project", "unit"), "text"),
    "goals_annual": (("goals", "annual"), "text"),
    "goals_achieved": (("goals", "achieved"), "text"),
    "funds_budget": (("funds", "total", "budget"), "number"),
    "funds_budget_adjusted": (("funds", "total", "budget_adjusted"), "number"),
    "funds_spent": (("funds", "total", "spent"), "number"),
    "funds_available": (("funds", "total", "available"), "number"),
    "funds_execution_claimed": (("funds", "execution_claimed"), "number"),
    "claims_total": (("claims", "total"), "number"),
    "claims_grade": (("claims", "grade"), "text"),
    "survey_method": (("survey", "method"), "text"),
    "survey_population": (("survey", "population"), "number"),
    "survey_distributed": (("survey", "distributed"), "number"),
    "survey_sample_size": (("survey", "sample_size"), "number"),
    "survey_satisfaction_rate": (("survey", "satisfaction_rate"), "number"),
}
# the fund rows the official form prints under 年度资金总额, and the stages of each (form field
# ``fund-<source>-<stage>``)
FUND_ROWS = {source: api.FUND_SOURCE_NAMES[source] for source in api.STANDARD_FUND_ROWS}
FUND_STAGES = {
    "budget": "年初预算数",
    "budget_adjusted": "全年预算数",
    "available": "实际到位",
    "spent": "全年执行数",
}
INDICATOR_FIELDS: dict[str, str] = {
    "level1": "text",
    "level2": "text",
    "name": "text",
    "weight": "number",
    "target": "figure",
    "actual": "figure",
    "claimed": "number",
    "deviation_reason": "text",
}
# the three fixed answers of a qualitative indicator (定性三档) as printed → QualitativeRule.answer
QUALITATIVE_ANSWERS = {printed: answer for answer, printed in api.QUALITATIVE_ANSWERS.items()}
# data path (as validation findings print it) → form field, for errors shown beside the field
PATH_TO_FIELD = {".".join(path): name for name, (path, _kind) in SCALAR_FIELDS.items()}


@dataclass
class FormResult:
    """The evaluation built from a form (None when invalid) and the error of each field."""

    data: dict[str, Any]
    evaluation: Evaluation | None
    errors: dict[str, str] = field(default_factory=dict)


def parse_number(text: str) -> Decimal | None:
    """``"1,234.5"`` → Decimal; empty → None; raises ValueError otherwise."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("　", "")
    if not cleaned:
        return None
    cleaned = cleaned.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("请输入数字") from exc
    if not value.is_finite():
        raise ValueError("请输入数字")
    if value and value.adjusted() > 12:  # a trillion or more: no amount, score or count is that large
        raise ValueError("数值过大，请检查")
    return value


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if value is None:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


def _json_number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def indicator_count(form: Mapping[str, Any], base: dict[str, Any]) -> int:
    """Number of indicator rows posted (at least the stored ones)."""
    posted = form.get("indicator_count")
    if isinstance(posted, str) and posted.isascii() and posted.isdigit() and len(posted) < 6:
        return min(int(posted), 200)
    return len(base.get("indicators", []))


def apply_form(base: dict[str, Any], form: Mapping[str, Any]) -> FormResult:
    """Apply posted fields onto a copy of ``base`` and validate it through ``api.load_data``."""
    data = copy.deepcopy(base)
    errors: dict[str, str] = {}
    for name, (path, kind) in SCALAR_FIELDS.items():
        if name not in form:
            continue
        raw = str(form.get(name, ""))
        if kind == "number":
            try:
                _set(data, path, _json_number(parse_number(raw)))
            except ValueError as exc:
                errors[name] = str(exc)
                _set(data, path, raw)  # shown back in the field as typed
        else:
            _set(data, path, raw.strip() or None)
    _apply_fund_rows(data, form, errors)
    if isinstance(data.get("survey"), dict) and not any(
        v not in (None, "", [], {}) for v in data["survey"].values()
    ):
        data.pop("survey")
    if not str(form.get("project_name", data.get("project", {}).get("name", ""))).strip():
        errors["project_name"] = "项目名称不能为空"
        data.setdefault("project", {})["name"] = ""
    indicators: list[dict[str, Any]] = list(data.get("indicators", []))
    count = indicator_count(form, data)
    while len(indicators) < count:
        indicators.append({"level1": "产出指标"})
    for i in range(count):
        row = dict(indicators[i])
        for key, kind in INDICATOR_FIELDS.items():
            name = f"ind-{i}-{key}"
            if name not in form:
                continue
            raw = str(form.get(name, "")).strip()
            if kind == "number":
                try:
                    value = parse_number(raw)
                except ValueError as exc:
                    errors[name] = str(exc)
                    row[key] = raw
                    continue
                row[key] = _json_number(value)
                if value is None:
                    row.pop(key)
            elif kind == "figure":
                old = row.get(key)
                if raw and not (isinstance(old, dict) and old.get("text") == raw):
                    row[key] = {"text": raw}
                elif not raw:
                    row.pop(key, None)
            else:
                row[key] = raw or None
                if not raw:
                    row.pop(key)
        _qualitative_answer(row)
        if not row.get("level1"):
            errors[f"ind-{i}-level1"] = "一级指标不能为空"
            row["level1"] = "（未填）"
        indicators[i] = row
    data["indicators"] = indicators[:count] if count else indicators
    if errors:
        return FormResult(data, None, errors)
    loaded = api.load_data(data, file="网页表单")
    if loaded.evaluation is None:
        for f in loaded.findings:
            errors[_field_of(f.location.path)] = f.message.split("：", 1)[-1]
    return FormResult(data, loaded.evaluation, errors)


def _apply_fund_rows(data: dict[str, Any], form: Mapping[str, Any], errors: dict[str, str]) -> None:
    """The 本年财政拨款 / 上年结转 / 其他资金 rows as posted; a row left empty is removed."""
    funds = data.setdefault("funds", {})
    lines: list[dict[str, Any]] = list(funds.get("lines", []))
    for source in FUND_ROWS:
        names = {stage: f"fund-{source}-{stage}" for stage in FUND_STAGES}
        if not any(name in form for name in names.values()):
            continue
        line = next((ln for ln in lines if ln.get("source") == source), None)
        if line is None:
            line = {"source": source}
            lines.append(line)
        for stage, name in names.items():
            raw = str(form.get(name, ""))
            try:
                value = parse_number(raw)
            except ValueError as exc:
                errors[name] = str(exc)
                line[stage] = raw
                continue
            if value is None:
                line.pop(stage, None)
            else:
                line[stage] = _json_number(value)
        if not any(line.get(stage) not in (None, "") for stage in (*FUND_STAGES, "surplus")) and not line.get(
            "label"
        ):
            lines.remove(line)
    funds["lines"] = lines


ROW_ACTION = re.compile(r"^(add|add-group|remove)-(\d{1,3})$")


def row_action(data: dict[str, Any], action: str) -> str | None:
    """Add or remove an indicator row as the official form allows; the message, None for another action.

    ``add-<i>``: a 三级 row under the same 二级 as row i, just below it; ``add-group-<i>``: a new 二级
    under row i's 一级, after that 一级's last row; ``remove-<i>``: row i taken out. Nothing is saved.
    """
    m = ROW_ACTION.match(action)
    if m is None:
        return None
    what, index = m.group(1), int(m.group(2))
    rows: list[dict[str, Any]] = list(data.get("indicators", []))
    if index >= len(rows):
        return "该行已不存在，请刷新页面"
    row = rows[index]
    if what == "remove":
        rows.pop(index)
        data["indicators"] = rows
        name = row.get("name") or row.get("level2") or row.get("level1") or f"第{index + 1}行"
        return f"已删除“{name}”一行（尚未保存，点“保存草稿”后生效）"
    if len(rows) >= 200:
        return "指标最多 200 行"
    if what == "add":
        new = {k: row[k] for k in ("level1", "level2", "type") if row.get(k)}
        rows.insert(index + 1, new)
        where = f"“{row.get('level2') or row.get('level1')}”下"
    else:
        last = max(i for i, r in enumerate(rows) if r.get("level1") == row.get("level1"))
        rows.insert(last + 1, {"level1": row.get("level1")})
        where = f"“{row.get('level1')}”下新的二级指标"
    data["indicators"] = rows
    return f"已在{where}添加一行，请填写后保存（尚未保存）"


def _qualitative_answer(row: dict[str, Any]) -> None:
    """A qualitative row's chosen answer also selects the band of its rule."""
    if row.get("type") != "qualitative":
        return
    actual = row.get("actual")
    answer = QUALITATIVE_ANSWERS.get(figure_text(actual))
    rule = row.get("rule") if isinstance(row.get("rule"), dict) else None
    if rule is None or rule.get("kind") == "qualitative":
        row["rule"] = {"kind": "qualitative", **({"answer": answer} if answer else {})}


def _field_of(path: str) -> str:
    m = re.match(r"^funds\.lines\[(\d+)\]\.(\w+)", path)
    if m:
        return f"fund-line-{m.group(1)}-{m.group(2)}"
    if path.startswith("indicators["):
        index, _, rest = path[len("indicators[") :].partition("]")
        key = rest.lstrip(".").split(".")[0] or "level1"
        return f"ind-{index}-{key}"
    for prefix, name in PATH_TO_FIELD.items():
        if path.startswith(prefix):
            return name
    for prefix, name in PATH_TO_FIELD.items():  # a whole block (``survey``): its first field
        if prefix.startswith(path + "."):
            return name
    return "_form"


def figure_text(value: Any) -> str:
    """The printed text of a figure in the stored data (``{"text": "≥90%"}`` or a bare value)."""
    if isinstance(value, dict):
        text = value.get("text")
        if text is not None:
            return str(text)
        number = value.get("value")
        return "" if number is None else f"{number}{value.get('unit') or ''}"
    return "" if value is None else str(value)
