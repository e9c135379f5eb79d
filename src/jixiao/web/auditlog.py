"""The audit log as a person reads it: actions and objects in Chinese, local time, and for each
entry only what changed, each change named by its place (“产出指标 / 数量指标 / 参保人数 得分”)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jixiao import api

MAX_CHANGES = 30  # changes listed per entry; the rest are counted
CREATED = ("project.name", "project.unit", "year", "framework", "policy", "name", "username", "role")
HIDDEN = ("schema_version", "source", "subject")  # bookkeeping, not what a person changed
# a target declaration's fields (绩效目标申报表), by their path in its data
DECLARATION_PLACES = {
    "kind": "类型",
    "year": "年度",
    "policy": "审核口径",
    "project.name": "项目名称",
    "project.code": "项目编码",
    "project.category": "项目类别",
    "project.attribute": "项目属性（经常性/一次性）",
    "project.unit": "实施单位",
    "project.department": "主管部门",
    "novelty": "项目属性（新增/延续）",
    "period_years": "项目期（年）",
    "basis": "立项依据",
    "funds.unit": "金额单位",
    "funds.medium_total": "中期资金总额",
    "funds.annual_total": "年度资金总额",
    "funds.appropriation": "其中：财政拨款",
    "funds.other": "其中：其他资金",
    "funds.last_budget": "上年度预算安排",
    "funds.last_spent": "上年度实际执行",
    "funds.estimate": "支出明细与测算依据",
    "status": "状态",
    "stage": "审核环节",
    "grade": "审核结果",
    "overall": "总体目标审核意见",
    "outputs": "产出指标审核意见",
    "outcomes": "效益指标审核意见",
    "satisfaction": "满意度指标审核意见",
    "to_complete": "需补充完善事项",
    "file": "文件",
}
TARGET_SETS = {"annual": "年度", "medium": "中期"}
TARGET_FIELDS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "type": "定量/定性",
    "comparison": "性质",
    "target": "指标值",
    "unit": "度量单位",
    "basis_kind": "指标值设定依据",
    "basis": "设定依据说明",
    "last_actual": "上年实际值",
    "explanation": "指标解释",
}


@dataclass(frozen=True)
class Change:
    """One value that changed: where, before, after (as text)."""

    place: str
    before: str
    after: str


def _leaves(data: Any, path: str = "") -> dict[str, Any]:
    """Every scalar of nested data by its field path (``indicators[3].claimed``)."""
    out: dict[str, Any] = {}
    if isinstance(data, dict) and isinstance(data.get("text"), str):  # a figure: as printed
        out[path] = data["text"]
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in HIDDEN:
                continue
            out.update(_leaves(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(data, list):
        if not data:
            out[path] = []
        for i, value in enumerate(data):
            out.update(_leaves(value, f"{path}[{i}]"))
    else:
        out[path] = data
    return out


def _text(value: Any) -> str:
    if value is None or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _declaration_place(path: str, before: Any, after: Any) -> str:
    """The Chinese place of a path in a target declaration's data (or a decision on one)."""
    if path in DECLARATION_PLACES:
        return DECLARATION_PLACES[path]
    head, _, rest = path.partition(".")
    if head in TARGET_SETS and rest.startswith("goals"):
        number = rest[len("goals[") : -1] if rest.startswith("goals[") else ""
        return f"{TARGET_SETS[head]}目标" + (f" 第{int(number) + 1}条" if number.isdigit() else "")
    if head in TARGET_SETS and rest.startswith("indicators["):
        index = int(rest[len("indicators[") : rest.index("]")])
        field = rest[rest.index("]") + 1 :].lstrip(".").split(".")[0]
        for data in (after, before):
            rows = (data.get(head) or {}).get("indicators") if isinstance(data, dict) else None
            if isinstance(rows, list) and index < len(rows) and isinstance(rows[index], dict):
                name = " / ".join(
                    str(rows[index][k]) for k in ("level1", "level2", "name") if rows[index].get(k)
                )
                return f"{TARGET_SETS[head]}指标 {name or f'第{index + 1}行'} {TARGET_FIELDS.get(field, field)}".strip()
        return f"{TARGET_SETS[head]}指标 第{index + 1}行 {TARGET_FIELDS.get(field, field)}".strip()
    if path.startswith("criteria."):
        return api.CRITERION_NAMES.get(path.removeprefix("criteria."), path) + "审核意见"
    return path


def _is_declaration(*states: Any) -> bool:
    return any(isinstance(s, dict) and (s.get("kind") == "declaration" or "stage" in s) for s in states)


def _place(path: str, before: Any, after: Any) -> str:
    """The Chinese place of a path; an indicator is named by its own names in the data."""
    if _is_declaration(before, after):
        return _declaration_place(path, before, after)
    if path.startswith("indicators["):
        index = int(path[len("indicators[") : path.index("]")])
        for data in (after, before):
            rows = data.get("indicators") if isinstance(data, dict) else None
            if isinstance(rows, list) and index < len(rows) and isinstance(rows[index], dict):
                row = rows[index]
                name = " / ".join(str(row[k]) for k in ("level1", "level2", "name") if row.get(k))
                field = api.INDICATOR_FIELDS.get(path[path.index("]") + 1 :].lstrip(".").split(".")[0], "")
                return f"{name} {field}".strip() if name else api.place_of(path)
    return api.place_of(path) or path


def changes(before: Any, after: Any) -> tuple[list[Change], int]:
    """What changed between two recorded states, and how many more changes were left out."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        if before is None and isinstance(after, dict):
            items = [
                Change(_place(p, None, after), "", _text(v))
                for p, v in _leaves(after).items()
                if v not in (None, [])
            ]
            return items[:MAX_CHANGES], max(0, len(items) - MAX_CHANGES)
        return [], 0
    old, new = _leaves(before), _leaves(after)
    paths = [p for p in dict.fromkeys([*old, *new]) if old.get(p) != new.get(p)]
    items = [Change(_place(p, before, after), _text(old.get(p)), _text(new.get(p))) for p in paths]
    return items[:MAX_CHANGES], max(0, len(items) - MAX_CHANGES)


def short_json(data: object, limit: int = 300) -> str:
    """Data that is no mapping, as short text."""
    text = json.dumps(data, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"
