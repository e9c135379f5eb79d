"""Indicator tables: self-evaluation target tables and score tables of every framework.

A header row names the columns (一级/二级/三级指标, 分值, 得分, 年度指标值, 实际完成值 …); rows below
are read by those roles, with merged cells carried down.  Rows naming a 一级 alone are printed
level subtotals; a 总分/合计 row gives the claimed total.  Misaligned rows (PDF text moves cells)
fall back to the order of their numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from jixiao.ingest.document import Table
from jixiao.ingest.extract.context import Context, cell_number, label_key
from jixiao.ingest.extract.context import clean as ctx_clean
from jixiao.ingest.extract.lexicon import LEVEL1, TOTAL_ROW, column_role, level_family
from jixiao.model import Claims, Figure, Group, Indicator, Level, Source
from jixiao.numbers import normalise

_SLOT = re.compile(r"^指标\s*\d+\s*[:：]\s*")
_STOP = re.compile(
    r"^(?:评价人员|评价结果等次|评价等级|负责人|经办人|填报日期|联系电话|项目名称|主管部门|项目资金|资金情况|审核意见|单位负责人)"
)


@dataclass
class Header:
    roles: dict[str, int]
    level1_weight: int | None = None
    level2_weight: int | None = None
    is_target_table: bool = False


@dataclass
class Found:
    """What the indicator tables gave."""

    indicators: list[Indicator] = field(default_factory=list)
    levels: list[Level] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    claims: Claims = field(default_factory=Claims)


# a header that prints its column's full marks: 分值（90）, 得分（100分）
_FULL_MARKS = re.compile(r"[（(]\d+(?:\.\d+)?分?[)）]$")


@lru_cache(maxsize=4096)
def cell_role(cell: str) -> str | None:
    """The column role a (cleaned) header cell names, or None (memoised: each row is looked at as a
    header and as the lower half of a two-row header)."""
    return column_role(_FULL_MARKS.sub("", label_key(cell).replace(" ", "")))


def header_of(cells: list[str]) -> Header | None:
    """Column roles when ``cells`` is a header row of an indicator table."""
    roles: dict[str, int] = {}
    weights: list[int] = []
    last_level: str | None = None
    level_weights: dict[str, int] = {}
    for c, cell in enumerate(cells):
        role = cell_role(cell)
        if role is None:
            continue
        if role == "weight":
            weights.append(c)
            if (
                last_level is not None
                and last_level not in level_weights
                and c == _prev_filled(cells, c, roles[last_level])
            ):
                level_weights[last_level] = c
            continue
        if role in ("level1", "level2", "name"):
            last_level = role
        roles.setdefault(role, c)
    generic = roles.pop("name_generic", None)
    levels_after = [roles[k] for k in ("level1", "level2") if roles.get(k, -1) > (generic or 0)]
    if generic is not None and "name" not in roles and not levels_after:
        roles["name"] = generic  # 绩效指标 heads the names only when it is not the label left of them
    names = {"level1", "level2", "name"} & roles.keys()
    measures = {"score", "target", "actual"} & roles.keys()
    if not names or not (measures or weights) or len(roles) + len(weights) < 3:
        return None
    level_cols = (level_weights.get("level1"), level_weights.get("level2"))
    indicator_weight = [w for w in weights if w not in level_cols]
    if indicator_weight:
        roles["weight"] = indicator_weight[-1]
    elif weights:
        roles["weight"] = weights[-1]
    if "level1" not in roles and "level2" in roles and roles["level2"] > 0:
        roles["level1"] = roles["level2"] - 1
    header = Header(roles, level_weights.get("level1"), level_weights.get("level2"))
    header.is_target_table = "target" in roles and "weight" not in roles
    return header


def _two_row_header(cells: list[str], lower: list[str] | None) -> Header | None:
    """A header printed over two rows (指标 spanning 一级 | 二级 | 三级 above them), joined;
    ``lower``: the cleaned row below."""
    if lower is None:
        return None
    named = [c for c, v in enumerate(lower) if v and cell_role(v) is not None]
    if len(named) < 2 or any(v and cell_number(v) is not None for v in lower):
        return None
    joined = [
        lower[c] if c in named else (cells[c] if c < len(cells) else "")
        for c in range(max(len(cells), len(lower)))
    ]
    return header_of(joined)


def _prev_filled(cells: list[str], c: int, level_col: int) -> int:
    return c if all(not cells[j] for j in range(level_col + 1, c)) else -1


def _get(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def extract_indicators(ctx: Context) -> Found:
    """Read every indicator table of the document."""
    found = Found()
    carried: tuple[Header, Table] | None = None  # the header in force and its table
    for table in ctx.doc.tables:
        width = max((len(r) for r in table.rows), default=0)
        if width <= 1:  # a one-column box (执行率 / 分值 / （10）) drawn beside a form: no indicators,
            continue  # and no break in the form's indicator table continued on the next page
        header = None
        if carried is not None:  # a table continued after a page break prints no header of its own
            head, previous = carried
            if max((len(r) for r in previous.rows), default=0) == width:
                header = head
            elif previous.columns and table.columns:  # other columns: line them up by position
                header = _lined_up(head, previous.columns, table.columns)
        before = len(found.indicators)
        last = _table(ctx, table, found, header)
        carried = (last, table) if last is not None else None
        if len(found.indicators) == before and last is None:
            _not_understood(ctx, table)
    # a document may print the same indicators twice (the form and an annex of computed scores)
    seen: dict[tuple[object, ...], int | None] = {}
    unique: list[Indicator] = []
    for ind in found.indicators:
        key = (ind.level1, ind.level2, ind.name, ind.weight, ind.claimed)
        table_no = ind.source.table if ind.source else None
        if key in seen and seen[key] != table_no:
            continue
        seen.setdefault(key, table_no)
        unique.append(ind)
    found.indicators = unique
    levels: dict[str, Level] = {}
    for level in found.levels:
        levels.setdefault(level.name, level)
    found.levels = list(levels.values())
    return found


def _lined_up(
    header: Header, before: list[tuple[float, float]], after: list[tuple[float, float]]
) -> Header | None:
    """The header of a table whose next page prints other columns (an empty spacer column gone,
    the vertical 绩效指标 label not repeated): each role's column is the continuation's column that
    covers most of it on the page; None unless every role finds its own."""

    def match(c: int) -> int | None:
        left, right = before[c]
        overlaps = [(min(right, r) - max(left, x), k) for k, (x, r) in enumerate(after)]
        best, k = max(overlaps)
        narrower = min(right - left, after[k][1] - after[k][0])
        return k if narrower > 0 and best >= narrower / 2 else None

    moved = {role: match(c) for role, c in header.roles.items() if c < len(before)}
    if len(moved) < len(header.roles) or None in moved.values() or len(set(moved.values())) < len(moved):
        return None
    roles = {role: c for role, c in moved.items() if c is not None}
    level1 = (
        match(header.level1_weight)
        if header.level1_weight is not None and header.level1_weight < len(before)
        else None
    )
    level2 = (
        match(header.level2_weight)
        if header.level2_weight is not None and header.level2_weight < len(before)
        else None
    )
    return Header(roles, level1, level2, header.is_target_table)


def _not_understood(ctx: Context, table: Table) -> None:
    """An info finding for a table that looks like an indicator table but gave no indicator."""
    for r, raw in enumerate(table.rows[:12]):
        headings = [(text, role) for c in raw if (role := cell_role(text := ctx_clean(c))) is not None]
        roles = {role for _, role in headings}
        if len(roles & {"level1", "level2", "name", "name_generic"}) >= 1 and len(roles) >= 2:
            have = "、".join(sorted(text for text, _ in headings)[:6])
            lacking = [
                w
                for role, w in (("name", "指标名称"), ("weight", "分值"), ("target", "指标值"))
                if role not in roles
            ]
            ctx.info(
                "ingest.table-not-understood",
                f"第{table.index}个表格像是指标表（表头含{have}），但未能读出指标"
                + (f"（未找到{'、'.join(lacking)}列）" if lacking else ""),
                ctx.cell(table, r, 0),
            )
            return


def _table(ctx: Context, table: Table, found: Found, header: Header | None = None) -> Header | None:
    """Read one table's indicator rows; returns the header in force at its end."""
    level1 = level2 = None
    if header is not None:  # continued: the level cells merged across the break are carried too
        level1 = next((i.level1 for i in reversed(found.indicators)), None)
        level2 = next((i.level2 for i in reversed(found.indicators)), None)
    seen_levels: set[str] = set()
    rows = _slipped(table.rows)
    cleaned = [[ctx_clean(c) for c in raw] for raw in rows]
    skip = -1
    for r, cells in enumerate(cleaned):
        if r == skip:
            continue
        h = header_of(cells)
        two = _two_row_header(cells, cleaned[r + 1] if r + 1 < len(rows) else None)
        if two is not None and (h is None or len(two.roles) > len(h.roles)):
            h, skip = two, r + 1
            ctx.consumed.add((table.index, r + 1))
        if h is not None:
            header, level1, level2 = h, None, None
            ctx.consumed.add((table.index, r))
            continue
        if header is None or not any(cells):
            continue
        roles = header.roles
        first_text = next((c for c in cells if c), "")
        if _STOP.match(label_key(first_text)) or any(len(c) > 80 for c in cells):
            header = None
            continue
        texts = [(c, v) for c, v in enumerate(cells) if v and cell_number(v) is None and "%" not in v]
        numbers = [
            (c, cell_number(v))
            for c, v in enumerate(cells)
            if v and cell_number(v) is not None and c != roles.get("seq")
        ]
        src = ctx.cell(table, r, texts[0][0] if texts else 0)
        # total row
        if texts and TOTAL_ROW.fullmatch(label_key(texts[0][1])) and len(texts) == 1:
            weight, score = _weight_score(cells, numbers, header)
            found.claims = Claims(total=score, total_weight=weight, source=src)
            ctx.consumed.add((table.index, r))
            continue
        # level subtotal row: the only text is a 一级 name
        if len(texts) == 1 and _is_subtotal(texts[0][1]) and numbers and not header.is_target_table:
            name = label_key(texts[0][1])
            weight, score = _weight_score(cells, numbers, header)
            found.levels.append(Level(name=name, weight=weight, claimed=score, source=src))
            seen_levels.add(name)
            level1, level2 = name, None
            ctx.consumed.add((table.index, r))
            continue
        l1, l1_weight = level_label(_get(cells, roles.get("level1")))
        l2, _ = level_label(_get(cells, roles.get("level2")))
        name = _get(cells, roles.get("name"))
        if l1 and cell_number(l1) is None:
            level1, level2 = l1, None
            if l1 not in seen_levels and (header.level1_weight is not None or l1_weight is not None):
                w = (
                    cell_number(_get(cells, header.level1_weight))
                    if header.level1_weight is not None
                    else None
                )
                found.levels.append(
                    Level(
                        name=l1,
                        weight=w if w is not None else l1_weight,
                        source=ctx.cell(table, r, roles["level1"]),
                    )
                )
                seen_levels.add(l1)
        if l2 and cell_number(l2) is None:
            level2 = l2
            if header.level2_weight is not None and level1 is not None:
                found.groups.append(
                    Group(
                        level1=level1,
                        name=l2,
                        weight=cell_number(_get(cells, header.level2_weight)),
                        source=ctx.cell(table, r, roles["level2"]),
                    )
                )
            if header.is_target_table and not l1 and (family := level_family(l2)) is not None:
                level1 = family  # the merged 一级 cell is printed on another row of a fixed form
        slot = bool(_SLOT.match(name))
        measured = any(
            _get(cells, roles.get(k)) for k in ("weight", "score", "target", "actual", "completion")
        ) or (numbers and not header.is_target_table)
        if not (name or l2) or not (measured or slot) or level1 is None:
            continue
        if _not_applicable(cells, roles, name) and not numbers:
            ctx.consumed.add((table.index, r))  # 不适用: the form's slot is deliberately left out
            continue
        ind = _indicator(ctx, table, r, cells, numbers, header, level1, level2, name)
        found.indicators.append(ind)
        ctx.consumed.add((table.index, r))
    return header


_NA_THEN = re.compile(r"^(不适用|不涉及|无|/|—)\s+(\S.*)$")


def _slipped(rows: list[list[str]]) -> list[list[str]]:
    """Rows with text that slipped up into the row above put back (PDF tables of tall rows).

    A PDF table whose rows are taller than their text can give ``不适用 残疾人幸福感`` in one
    row and an empty cell below it: the second word belongs to the row below.
    """
    out = [list(row) for row in rows]
    for r in range(len(out) - 1):
        for c, cell in enumerate(out[r]):
            m = _NA_THEN.match(cell.strip())
            below = out[r + 1]
            if m and c < len(below) and not below[c].strip() and any(v.strip() for v in below):
                out[r][c], below[c] = m.group(1), m.group(2)
    return out


_SIGN = re.compile(r"^(?:=|＝|≥|≧|>=|＞=|≤|≦|<=|＜=|>|<|＞|＜)$")
_BARE = re.compile(r"^\d+(?:\.\d+)?$")


def _with_sign_and_unit(text: str, cells: list[str], roles: dict[str, int], sign: bool) -> str:
    """A value printed in split columns (指标性质 | 指标值 | 度量单位: ``≥ | 95 | %``) joined back."""
    if not _BARE.match(text):
        return text
    unit = _get(cells, roles.get("measure_unit")).strip()
    if unit and len(unit) <= 6 and not _BARE.match(unit):
        text += re.sub(r"[（(].*?[)）]", "", unit) if "%" in unit or "百分比" in unit else unit
        text = text.replace("百分比", "%")
    mark = _get(cells, roles.get("sign")).strip()
    if sign and _SIGN.match(mark):
        text = mark + text
    return text


_NOT_APPLICABLE = re.compile(r"^(?:不适用|不涉及|无|/|／|-|—|——)+$")  # 不适用不适用: a slot filled twice


_CODE = re.compile(r"^([A-Z]{1,2}\d{1,4}(?:[.\-]\d{1,3})?)[\s.、．:：\-]*(?=[\u4e00-\u9fff])")
_PRINTED_WEIGHT = re.compile(r"^(.+?)[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")


def split_code(text: str) -> tuple[str | None, str]:
    """An indicator code printed before a name (``B101资金到位率`` → ``B101``, ``资金到位率``)."""
    m = _CODE.match(text)
    return (m.group(1), text[m.end() :]) if m else (None, text)


def level_label(cell: str) -> tuple[str, Decimal | None]:
    """A level cell as its name and the weight printed with it (``决策（15分）`` → 决策, 15)."""
    key = label_key(cell)
    _, key = split_code(key)
    m = _PRINTED_WEIGHT.match(key)
    return (m.group(1), Decimal(m.group(2))) if m else (key, None)


def _not_applicable(cells: list[str], roles: dict[str, int], name: str) -> bool:
    """An indicator row whose name and every filled value say 不适用 / 无 / —."""
    values = [_get(cells, roles.get(k)) for k in ("target", "actual", "completion", "weight", "score")]
    said = [v for v in (name, *values) if v]
    return bool(said) and all(_NOT_APPLICABLE.match(v.replace(" ", "")) for v in said)


def _is_subtotal(text: str) -> bool:
    key = label_key(text)
    if normalise(text).rstrip().endswith(":"):
        return bool(LEVEL1.fullmatch(key))
    return bool(LEVEL1.fullmatch(key)) and not re.search(r"执行率|^管理|^绩效", key)


def _weight_score(
    cells: list[str], numbers: list[tuple[int, Decimal | None]], header: Header
) -> tuple[Decimal | None, Decimal | None]:
    roles = header.roles
    weight = cell_number(_get(cells, roles.get("weight")))
    score = cell_number(_get(cells, roles.get("score")))
    skip = {
        header.level1_weight,
        header.level2_weight,
        *(c for role, c in roles.items() if role not in ("weight", "score")),
    }
    values = [v for c, v in numbers if c not in skip]
    if (weight is None or score is None) and len(values) == 2:
        weight, score = values
    elif weight is None and score is None and len(values) == 1:
        score = values[0]
    return weight, score


def _indicator(
    ctx: Context,
    table: Table,
    r: int,
    cells: list[str],
    numbers: list[tuple[int, Decimal | None]],
    header: Header,
    level1: str,
    level2: str | None,
    name: str,
) -> Indicator:
    roles = header.roles
    name = label_key(name) if not _SLOT.fullmatch(name) else name.replace(" ", "")
    if _SLOT.match(name) and _SLOT.sub("", name):
        name = _SLOT.sub("", name)
    code, name = split_code(name)
    weight, score = (None, None)
    if "weight" in roles or "score" in roles:
        weight, score = _weight_score(cells, numbers, header)
    ind = Indicator(
        id=code,
        level1=level1,
        level2=level2 or None,
        name=name or None,
        weight=weight,
        claimed=score,
        source=Source(
            file=ctx.doc.file,
            page=table.page_of(r),
            line=table.line_of(r),
            table=table.index,
            row=r + 1,
            text="\t".join(table.rows[r]),
        ),
    )
    for role in ("target", "actual", "completion"):
        col = roles.get(role)
        text = _get(cells, col)
        if text and col is not None:
            if role != "completion":
                text = _with_sign_and_unit(text, cells, roles, sign=role == "target")
            setattr(ind, role, Figure(text=text, source=ctx.cell(table, r, col)))
    for role, attr in (
        ("deviation", "deviation_reason"),
        ("criteria", "criteria"),
        ("explanation", "explanation"),
    ):
        text = _get(cells, roles.get(role))
        if text:
            setattr(ind, attr, text)
    return ind
