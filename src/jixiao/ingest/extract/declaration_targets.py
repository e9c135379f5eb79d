"""The targets of a declaration: goal sentences and the 中期 / 年度 indicator tables.

An indicator table is found by its head row (一级 | 二级 | 三级 | 性质 | 指标值 | 度量单位 | 设定依据 |
上年实际值 | 指标解释, by the layouts' column lexicon and the evaluation reader's).  A head naming
the same roles twice (财预〔2015〕88号: 一级 | 二级 | 三级 | 指标值 | 二级 | 三级 | 指标值) holds two
tables side by side, 中期 then 年度; a head cell or the row above it may name the span (中期指标值,
年度绩效指标), and a table introduced by a 中期 label is medium-term.  Rows whose name and value
say 不适用 are no indicators: the 一级/二级 they stand for is recorded as left out on purpose.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from jixiao.declaration import BasisKind, TargetIndicator
from jixiao.ingest.document import Paragraph, Table
from jixiao.ingest.extract.context import Context, cell_number, clean
from jixiao.ingest.extract.declaration_layout import column_role, field_of, fund_label_of, reduce_label
from jixiao.ingest.extract.indicators import _slipped, level_label, split_code
from jixiao.ingest.extract.lexicon import level_family
from jixiao.model import Comparison, Direction, Figure, IndicatorType, Source
from jixiao.numbers import normalise

_NAME_ROLES = {"level1", "level2", "name"}
_STOP = re.compile(
    r"^(?:备注|说明|注[:：]|填报|填表|审核意见|联系人|联系电话|单位负责人|财务负责人|项目负责人|经办人|部门审核|财政审核)"
)
_NOT_APPLICABLE = re.compile(r"^(?:不适用|不涉及|无|/|／|-|—|——|\\)+$")
_SPAN_HEAD = re.compile(r"(?:中期|长期|实施期|年度|本年度)(?:(?:绩效)?指标值?(?:[（(].*[)）])?)?")
_EVALUATED = {"score", "actual", "completion", "deviation", "weighted", "rate"}


@dataclass
class Group:
    """One indicator table of a head row: its span and the columns of its roles."""

    span: str | None
    roles: dict[str, int] = field(default_factory=dict)


@dataclass
class Tables:
    """What the indicator tables gave: indicators by span, 不适用 slots, and whether any table
    printed scores or actual values (then the document is no declaration)."""

    medium: list[TargetIndicator] = field(default_factory=list)
    annual: list[TargetIndicator] = field(default_factory=list)
    exemptions: list[str] = field(default_factory=list)
    heads: int = 0  # head rows of indicator tables with a target column
    evaluated: list[str] = field(default_factory=list)  # head cells of an evaluation (得分, 实际值 …)


def _head(cells: list[str], above: list[str] | None) -> list[Group] | None:
    """The tables a head row names (None when the row is no head of an indicator table)."""
    groups: list[Group] = [Group(None)]
    spans_above: dict[int, str] = {}
    if above is not None:
        current = None
        heads = all(len(t) <= 16 for t in above if t)
        for c, text in enumerate(above if heads else []):
            if text:
                key = reduce_label(text)[0]
                if _SPAN_HEAD.fullmatch(key):
                    current = "medium" if re.match(r"中期|长期|实施期", key) else "annual"
                elif current is not None and c > 0:
                    current = None
            if current is not None:
                spans_above[c] = current
    for c, text in enumerate(cells):
        if not text or (c and text == cells[c - 1]):
            continue  # a merged head repeated over its columns
        role, span = column_role(text)
        if role is None:
            continue
        group = groups[-1]
        if role in group.roles and (role in _NAME_ROLES or role == "target"):
            group = Group(None)
            groups.append(group)
        if role not in group.roles:
            group.roles[role] = c
        span = span or spans_above.get(c)
        if span is not None and group.span is None:
            group.span = span
    groups = [g for g in groups if "target" in g.roles and (_NAME_ROLES & g.roles.keys())]
    if not groups:
        return None
    if len(groups) >= 2:
        first = groups[0]
        for g in groups[1:]:  # 一级 printed once, left of both tables
            for role in ("level1",):
                if role not in g.roles and role in first.roles:
                    g.roles[role] = first.roles[role]
        if all(g.span is None for g in groups):
            groups[0].span, groups[1].span = "medium", "annual"
    return groups


def _evaluated(cells: list[str]) -> list[str]:
    from jixiao.ingest.extract.indicators import cell_role

    out = []
    for text in cells:
        if text and cell_role(text) in _EVALUATED:
            out.append(text)
    return out


def _get(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def _span_before(ctx: Context, table: Table) -> str | None:
    """The span a table is introduced by: the last paragraph before it naming 中期 or 年度 indicators."""
    text = ""
    for block in ctx.doc.blocks:
        if block is table:
            break
        if isinstance(block, Paragraph):
            text = clean(block.text)
        elif isinstance(block, Table):
            text = ""
    if re.search(r"(?:中期|长期|实施期).{0,6}指标", text):
        return "medium"
    if re.search(r"年度.{0,6}指标", text):
        return "annual"
    return None


def extract_target_tables(ctx: Context) -> Tables:
    """Every indicator table of the document, read by its head row."""
    out = Tables()
    seen: set[tuple[object, ...]] = set()
    previous: tuple[list[Group], dict[int, tuple[str | None, str | None]], int] | None = None
    for table in ctx.doc.tables:
        groups: list[Group] | None = None
        carried: dict[int, tuple[str | None, str | None]] = {}
        intro = None
        rows = [[clean(c) for c in raw] for raw in _slipped(table.rows)]
        width = max((len(r) for r in rows), default=0)
        if previous is not None and previous[2] == width and width > 1:
            groups, carried = previous[0], dict(previous[1])  # continued after a page break, no head
        for r, cells in enumerate(rows):
            if not any(cells):
                continue
            head = _head(cells, rows[r - 1] if r else None)
            if head is not None:
                groups, carried = head, {}
                out.heads += 1
                out.evaluated += _evaluated(cells)
                if len(head) == 1 and head[0].span is None:
                    label_above = next((t for row in rows[max(0, r - 2) : r] for t in row if t), "")
                    if re.search(r"中期|长期|实施期", label_above) and "指标" in label_above:
                        head[0].span = "medium"
                    else:
                        intro = intro or _span_before(ctx, table)
                        head[0].span = intro
                ctx.consumed.add((table.index, r))
                continue
            if groups is None:
                continue
            first = next(t for t in cells if t)
            if _STOP.match(reduce_label(first)[0]) or field_of(first) or fund_label_of(first):
                groups = None
                continue
            filled = [t for t in cells if t]
            if len(set(filled)) == 1 and len(filled[0]) > 30:
                groups = None  # a note spanning the table (备注：作为导入模板……)
                continue
            for k, group in enumerate(groups):
                ind = _row(ctx, table, r, cells, group, carried.setdefault(k, (None, None)), out)
                if isinstance(ind, tuple):
                    carried[k] = ind
                    continue
                carried[k] = (ind.level1, ind.level2)
                key = (group.span, ind.level1, ind.level2, ind.name, ind.target.text if ind.target else None)
                if key in seen:
                    continue  # the same form printed twice (a PDF and its text layer)
                seen.add(key)
                (out.medium if group.span == "medium" else out.annual).append(ind)
            ctx.consumed.add((table.index, r))
        previous = (groups, carried, width) if groups is not None else None
    return out


def _bare(level: str) -> str:
    return level.removesuffix("指标")


def _level(text: str) -> str | None:
    if not text or cell_number(text) is not None:
        return None
    name, _ = level_label(text)
    return name or None


def _row(
    ctx: Context,
    table: Table,
    r: int,
    cells: list[str],
    group: Group,
    carried: tuple[str | None, str | None],
    out: Tables,
) -> TargetIndicator | tuple[str | None, str | None]:
    """One row of a table: an indicator, or the levels it carries down (a 不适用 or empty slot)."""
    roles = group.roles
    level1, level2 = carried
    l1 = _level(_get(cells, roles.get("level1")))
    if l1 is not None and l1 != level1:
        level1, level2 = l1, None
    l2 = _level(_get(cells, roles.get("level2")))
    if l2 is not None:
        level2 = l2
        family = level_family(l2)
        if l1 is None and family is not None and level1 is not None and _bare(family) != _bare(level1):
            # the merged 一级 cell printed on another row of its block (a PDF centres it): the
            # 二级 names its family (社会效益 → 效益), spelled as the form spells its 一级
            level1 = family if level1.endswith("指标") else _bare(family)
    name = _get(cells, roles.get("name"))
    target = _get(cells, roles.get("target"))
    if "name" not in roles:  # a table without 三级: the 二级 cell is the indicator's name
        name = l2 or ""
    if (
        name
        and name in (l1, l2)
        and "name" in roles
        and roles["name"] in (roles.get("level1"), roles.get("level2"))
    ):
        name = ""
    said = [v for v in (name, target) if v]
    if not said:
        return level1, level2
    if level1 is None:
        return level1, level2
    if all(_NOT_APPLICABLE.match(v.replace(" ", "")) for v in said):
        slot = f"{level1}/{level2}" if level2 else level1
        note = f"{slot}：{said[0]}"
        if note not in out.exemptions:
            out.exemptions.append(note)
        return level1, level2
    code, name = split_code(name)
    ind = TargetIndicator(
        id=code,
        level1=level1,
        level2=level2,
        name=name or None,
        source=Source(
            file=ctx.doc.file,
            page=table.page_of(r),
            line=table.line_of(r),
            table=table.index,
            row=r + 1,
            text="\t".join(table.rows[r]),
        ),
    )
    unit = _get(cells, roles.get("measure_unit"))
    sign = normalise(_get(cells, roles.get("sign"))).replace(" ", "")
    if unit:
        ind.unit = unit
    comparison = _comparison(sign)
    if comparison is not None:
        ind.comparison = comparison
        ind.type = IndicatorType.quantitative
    elif "定性" in sign:
        ind.type = IndicatorType.qualitative
    elif "定量" in sign:
        ind.type = IndicatorType.quantitative
    kind = _get(cells, roles.get("type"))
    if "定性" in kind:
        ind.type = IndicatorType.qualitative
    elif "定量" in kind:
        ind.type = IndicatorType.quantitative
    if target:  # as printed; the 性质 and 度量单位 printed apart complete the parsed figure
        ind.target = Figure(text=target, source=ctx.cell(table, r, roles["target"]))
        if ind.target.comparison is None and comparison is not None:
            ind.target.comparison = comparison
        if ind.target.unit is None and unit and len(unit) <= 8:
            ind.target.unit = unit
    direction = _get(cells, roles.get("direction"))
    if "正向" in direction:
        ind.direction = Direction.higher
    elif "反向" in direction:
        ind.direction = Direction.lower
    basis = _get(cells, roles.get("basis"))
    if basis:
        ind.basis = basis
        ind.basis_kind = basis_kind(basis)
    last = _get(cells, roles.get("last_actual"))
    if last and not _NOT_APPLICABLE.match(last):
        ind.last_actual = Figure(text=last, source=ctx.cell(table, r, roles["last_actual"]))
    explanation = _get(cells, roles.get("explanation"))
    if explanation:
        ind.explanation = explanation
    weight = cell_number(_get(cells, roles.get("weight")))
    if weight is not None:
        ind.weight = weight
    return ind


def _comparison(sign: str) -> Comparison | None:
    for marks, comparison in (
        (("≥", ">=", "≧", "大于等于", "不低于", "不少于"), Comparison.ge),
        (("≤", "<=", "≦", "小于等于", "不高于", "不超过", "不多于"), Comparison.le),
        (("=", "＝", "等于"), Comparison.eq),
        ((">", "＞", "大于", "高于"), Comparison.gt),
        (("<", "＜", "小于", "低于"), Comparison.lt),
    ):
        if sign in marks:
            return comparison
    return None


_BASIS = [
    (BasisKind.plan, re.compile(r"计划")),
    (BasisKind.history, re.compile(r"历史")),
    (BasisKind.industry, re.compile(r"行业")),
    (BasisKind.budget, re.compile(r"预算支出标准|支出标准|预算标准")),
    (BasisKind.other, re.compile(r"其他标准")),
]


def basis_kind(text: str) -> BasisKind | None:
    """The kind of standard a 指标值设定依据 names (计划标准 → plan), when it names one."""
    for kind, pattern in _BASIS:
        if pattern.search(text):
            return kind
    return None


# ---------------------------------------------------------------- goals

_NUMBERED = re.compile(
    r"(?:(?:^|(?<=[\s。；;，,：:]))(?=\d{1,2}\s*[、.．](?!\d)|[一二三四五六七八九十]是|[一二三四五六七八九十]、))"
    r"|(?=目标\s*\d{1,2}\s*[:：、.．]|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十][)）])"
)
_LINE_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]")


def split_goals(raw: str) -> list[str]:
    """Goal text as one item per numbered sentence (1.… 2.… / （1）… / 一是… / 目标1：…) or per
    labelled line (业务考核：… 财政考核：…); text without either is one goal."""
    text = raw.replace("\r", "\n").strip().strip('"“”')
    lines = [clean(x).strip().strip('"“”') for x in text.split("\n")]
    lines = [x for x in lines if x]
    if len(lines) >= 2 and all(_LINE_LABEL.match(x) or _starts_numbered(x) for x in lines):
        return [_unnumbered(x) for x in lines]
    flat = clean(" ".join(lines)).strip('"“”')
    if not flat:
        return []
    starts = [m.start() for m in _NUMBERED.finditer(flat)]
    if len(starts) >= 2:
        bounds = [*starts, len(flat)]
        head = flat[: starts[0]].strip()
        items = [flat[a:b].strip() for a, b in itertools.pairwise(bounds)]
        items = [_unnumbered(re.sub(r"[；;，,]$", "", i).strip()) for i in items if i.strip()]
        return ([head] if head and len(head) > 6 else []) + items
    return [_unnumbered(flat)]


_MARK = re.compile(
    r"^(?:目标\s*\d{1,2}\s*[:：、.．]|\d{1,2}\s*[、.．](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]是"
    r"|[（(][一二三四五六七八九十][)）]|[一二三四五六七八九十]、)\s*"
)


def _unnumbered(goal: str) -> str:
    """A goal without its number (``1.``, ``（1）``, ``一是``, ``目标1：``): the list is the numbering."""
    rest = _MARK.sub("", goal, count=1)
    return rest or goal


def _starts_numbered(text: str) -> bool:
    return (
        bool(_NUMBERED.match(text))
        and _NUMBERED.match(text) is not None
        and bool(
            re.match(
                r"(?:目标\s*\d|\d{1,2}\s*[、.．]|[（(]\d|[一二三四五六七八九十]是|[（(][一二三四五六七八九十]|[一二三四五六七八九十]、)",
                text,
            )
        )
    )
