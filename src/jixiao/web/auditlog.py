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


def _place(path: str, before: Any, after: Any) -> str:
    """The Chinese place of a path; an indicator is named by its own names in the data."""
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
