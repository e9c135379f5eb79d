"""The layouts of target declarations (绩效目标申报表) as data: label lexicons in YAML files.

Each file of ``declaration_layouts/`` (and of every folder named in ``JIXIAO_DECLARATION_LAYOUTS``,
``:``-separated) describes one layout: the titles that announce it, the labels of its fields,
its funds block and the heads of its indicator table's columns (see ``national.yaml``).  The
reader merges them all, so a label of any layout is understood in any document; a province adds
its layout by adding a file, never by changing code.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.ingest.extract.context import clean
from jixiao.numbers import normalise

BUILTIN = Path(__file__).resolve().parent / "declaration_layouts"
ENV = "JIXIAO_DECLARATION_LAYOUTS"

# the fields a label may name (the keys of ``labels:``)
FIELDS = (
    "project",
    "project_code",
    "department",
    "department_code",
    "unit",
    "attribute",
    "novelty",
    "period",
    "start_year",
    "category",
    "basis",
    "allocation",
    "estimate",
    "medium_goals",
    "annual_goals",
    "overall_goals",
    "year",
)
FUND_LABELS = ("medium_total", "annual_total", "last_budget", "last_spent")
FUND_LINES = ("total", "appropriation", "carryover", "other")
FUND_COLUMNS = ("medium", "annual", "last_budget", "last_spent")
COLUMN_ROLES = (
    "level1",
    "level2",
    "name",
    "target",
    "sign",
    "direction",
    "measure_unit",
    "basis",
    "last_actual",
    "explanation",
    "type",
    "weight",
)
DETAIL_ROLES = ("label", "amount", "basis", "quantity", "price")


class LayoutError(ValueError):
    """A layout file that cannot be used (the message says which and why, in Chinese)."""


@dataclass(frozen=True)
class Layout:
    """One layout file: its name, title, title patterns and label lexicons (patterns as text)."""

    name: str
    title: str
    titles: tuple[str, ...]
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fund_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fund_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fund_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    details: dict[str, tuple[str, ...]] = field(default_factory=dict)
    file: str = ""


def _patterns(data: Any, allowed: tuple[str, ...], where: str, file: str) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LayoutError(f"版式文件 {file} 的 {where} 应为“字段: [模式, …]”的映射")
    out: dict[str, tuple[str, ...]] = {}
    for key, values in data.items():
        if key not in allowed:
            raise LayoutError(f"版式文件 {file} 的 {where} 含未知字段“{key}”（可用：{'、'.join(allowed)}）")
        items = [values] if isinstance(values, str) else list(values or [])
        for item in items:
            try:
                re.compile(str(item))
            except re.error as exc:
                raise LayoutError(
                    f"版式文件 {file} 的 {where}.{key} 含无效的正则表达式“{item}”：{exc}"
                ) from exc
        out[str(key)] = tuple(str(i) for i in items)
    return out


def parse_layout(data: Any, file: str = "<layout>") -> Layout:
    """A layout from the parsed data of its YAML file (raises :class:`LayoutError`)."""
    if not isinstance(data, dict) or not data.get("name"):
        raise LayoutError(f"版式文件 {file} 缺少 name")
    funds = data.get("funds") or {}
    if not isinstance(funds, dict):
        raise LayoutError(f"版式文件 {file} 的 funds 应为映射")
    titles = data.get("titles") or []
    return Layout(
        name=str(data["name"]),
        title=str(data.get("title") or data["name"]),
        titles=tuple(str(t) for t in ([titles] if isinstance(titles, str) else titles)),
        labels=_patterns(data.get("labels"), FIELDS, "labels", file),
        fund_labels=_patterns(funds.get("labels"), FUND_LABELS, "funds.labels", file),
        fund_lines=_patterns(funds.get("lines"), FUND_LINES, "funds.lines", file),
        fund_columns=_patterns(funds.get("columns"), FUND_COLUMNS, "funds.columns", file),
        columns=_patterns(data.get("columns"), COLUMN_ROLES, "columns", file),
        details=_patterns(data.get("details"), DETAIL_ROLES, "details", file),
        file=file,
    )


def layout_files() -> list[Path]:
    """The layout files: the built-in ones, then those of the folders in ``JIXIAO_DECLARATION_LAYOUTS``."""
    folders = [BUILTIN, *(Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p)]
    return [f for folder in folders if folder.is_dir() for f in sorted(folder.glob("*.yaml"))]


@lru_cache(maxsize=1)
def layouts() -> tuple[Layout, ...]:
    """Every layout, built-in first (read once; raises :class:`LayoutError` on a bad file)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    out = []
    for path in layout_files():
        try:
            data = yaml.load(path.read_text(encoding="utf-8"))
        except Exception as exc:
            raise LayoutError(f"版式文件 {path} 无法读取：{exc}") from exc
        out.append(parse_layout(data, str(path)))
    return tuple(out)


def _join(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


@dataclass(frozen=True)
class Lexicon:
    """Every layout's patterns merged: one compiled pattern per field, role and title."""

    titles: re.Pattern[str] | None
    labels: dict[str, re.Pattern[str]]
    fund_labels: dict[str, re.Pattern[str]]
    fund_lines: dict[str, re.Pattern[str]]
    fund_columns: dict[str, re.Pattern[str]]
    columns: dict[str, re.Pattern[str]]
    details: dict[str, re.Pattern[str]]


def _merged(attr: str, keys: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    out = {}
    for key in keys:
        pattern = _join([p for lay in layouts() for p in getattr(lay, attr).get(key, ())])
        if pattern is not None:
            out[key] = pattern
    return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The merged lexicon of every layout (built once)."""
    return Lexicon(
        titles=_join([t for lay in layouts() for t in lay.titles]),
        labels=_merged("labels", FIELDS),
        fund_labels=_merged("fund_labels", FUND_LABELS),
        fund_lines=_merged("fund_lines", FUND_LINES),
        fund_columns=_merged("fund_columns", FUND_COLUMNS),
        columns=_merged("columns", COLUMN_ROLES),
        details=_merged("details", DETAIL_ROLES),
    )


_UNIT_IN_BRACKETS = re.compile(r"[(（]([^()（）]*?)[,，、;；]?\s*(?:单位[:：]?)?\s*(万元|元)\s*[)）]")
_PREFIX = re.compile(r"^(?:其中[:：]?|[一二三四五六七八九十\d]+[、.．]|[（(][一二三四五六七八九十\d]+[)）])")


@lru_cache(maxsize=16384)
def reduce_label(text: str) -> tuple[str, str | None]:
    """A label cell reduced for matching, and the money unit it prints in brackets.

    ``项目总金额（中期规划，万元）：`` → (``项目总金额(中期规划)``, ``万元``);
    ``其中：财政拨款`` → (``财政拨款``, None).
    """
    s = normalise(clean(text)).replace(" ", "").strip(":：*")
    unit = None
    m = _UNIT_IN_BRACKETS.search(s)
    if m:
        unit = m.group(2)
        rest = m.group(1).strip(",，、;；")
        s = s[: m.start()] + (f"({rest})" if rest else "") + s[m.end() :]
    s = _PREFIX.sub("", s).strip(":：*")
    return s, unit


def _which(table: dict[str, re.Pattern[str]], key: str) -> str | None:
    if not key or len(key) > 30:
        return None
    for name, pattern in table.items():
        if pattern.fullmatch(key):
            return name
    return None


def field_of(text: str) -> str | None:
    """The field a label cell names (``是否新增项目：`` → ``novelty``), or None."""
    return _which(lexicon().labels, reduce_label(text)[0])


def fund_label_of(text: str) -> str | None:
    """The funds field a label names on its own (``中期资金总额：`` → ``medium_total``)."""
    return _which(lexicon().fund_labels, reduce_label(text)[0])


def fund_line_of(text: str) -> str | None:
    """The line of the funds block a label names (``其中：财政拨款`` → ``appropriation``)."""
    return _which(lexicon().fund_lines, reduce_label(text)[0])


def fund_column_of(text: str) -> str | None:
    """The span a column head over amounts names (``上年度预算安排`` → ``last_budget``)."""
    return _which(lexicon().fund_columns, reduce_label(text)[0])


def detail_role(text: str) -> str | None:
    """The role of a head of the 支出明细 table (``支出计划（万元）`` → ``amount``)."""
    return _which(lexicon().details, reduce_label(text)[0])


_SPAN_PREFIX = re.compile(r"^(中期|长期|实施期|年度|本年度?)")


def column_role(text: str) -> tuple[str | None, str | None]:
    """The role of an indicator table's head cell and the span it names (``中期指标值`` →
    (``target``, ``medium``)); the layouts' own heads first, then the evaluation reader's."""
    from jixiao.ingest.extract.indicators import cell_role

    key, _ = reduce_label(text)
    span = None
    m = _SPAN_PREFIX.match(key)
    if m and len(key) > len(m.group(1)) + 1:
        span = "medium" if m.group(1) in ("中期", "长期", "实施期") else "annual"
        key = key[m.end() :]
    role = _which(lexicon().columns, key)
    if role is None:
        general = cell_role(key)
        role = {
            "previous": "last_actual",
            "criteria": "explanation",
            "sign": "sign",
            "weight": "weight",
        }.get(general or "", general)
        if role not in COLUMN_ROLES:
            role = None
    return role, span


def layout_named(name: str) -> Layout | None:
    """The layout of a name (None when no file has it)."""
    return next((lay for lay in layouts() if lay.name == name), None)


def best_layout(title: str | None, labels: set[str]) -> str:
    """The layout a document is read by: the one whose title patterns match its title, most
    specific (longest match) first, else the one naming most of the labels it prints."""
    best: tuple[int, int, str] | None = None
    for lay in layouts():
        title_hit = max(
            (len(m.group(0)) for t in lay.titles if title and (m := re.search(t, title))), default=0
        )
        label_hits = sum(
            1 for text in labels if any(re.fullmatch(p, text) for ps in lay.labels.values() for p in ps)
        )
        score = (title_hit, label_hits, lay.name)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best is not None else "national"
