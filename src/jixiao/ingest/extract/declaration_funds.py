"""The funds block of a target declaration (项目资金), its 支出明细 and the 万元/元 slip.

Forms print the block in three ways, all read here by the labels of the layout files:

- label and amount side by side, the 中期 block left of the 年度 one (88号: ``中期资金总额： | 900 |
  年度资金总额： | 300`` then ``其中：财政拨款 | 800 | 其中：财政拨款 | 260``): a line's span is that
  of the total printed above it in its column;
- one column (``年度资金总额 | 100`` / ``其中：财政拨款 | 60`` / ``其他资金 | 30``): the lines are
  the span of the total above them;
- a head row naming spans over columns (``| 上年度预算安排 | 上年度实际执行 | 本年度申请``).

An amount printed twice with different values stays unknown (an info finding says so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.declaration import DeclarationFunds, SpendingItem
from jixiao.ingest.document import Table
from jixiao.ingest.extract.context import Context, cell_number, clean
from jixiao.ingest.extract.declaration_layout import (
    detail_role,
    fund_column_of,
    fund_label_of,
    fund_line_of,
    reduce_label,
)
from jixiao.model import Source

# (span, line) → the DeclarationFunds field
_FIELD = {
    ("medium", "total"): "medium_total",
    ("medium", "appropriation"): "medium_appropriation",
    ("medium", "other"): "medium_other",
    ("medium", "carryover"): "medium_carryover",
    ("annual", "total"): "annual_total",
    ("annual", "appropriation"): "appropriation",
    ("annual", "other"): "other",
    ("annual", "carryover"): "carryover",
    ("last_budget", "total"): "last_budget",
    ("last_spent", "total"): "last_spent",
}
_SPAN_OF_LABEL = {
    "medium_total": "medium",
    "annual_total": "annual",
    "last_budget": "last_budget",
    "last_spent": "last_spent",
}


@dataclass
class _Read:
    values: dict[str, tuple[Decimal, Source]] = field(default_factory=dict)
    conflicts: set[str] = field(default_factory=set)
    unit: str | None = None
    unit_label: Source | None = None

    def put(self, name: str, value: Decimal, source: Source) -> None:
        old = self.values.get(name)
        if old is None:
            self.values[name] = (value, source)
        elif old[0] != value:
            self.conflicts.add(name)


def _amount(cells: list[str], start: int, stop: int | None = None) -> tuple[int, Decimal] | None:
    """The first amount right of ``start`` (before ``stop``), skipping repeats of the label."""
    label = cells[start] if start < len(cells) else ""
    for c in range(start + 1, len(cells) if stop is None else min(stop, len(cells))):
        text = cells[c]
        if not text or text == label:
            continue
        value = cell_number(text)
        if value is not None:
            return c, value
        if fund_label_of(text) or fund_line_of(text):
            return None
        if re.fullmatch(r"[-—–/／]+|无", text):
            return None
    return None


def _note_unit(read: _Read, text: str, source: Source) -> None:
    _, unit = reduce_label(text)
    if unit is None:
        m = re.search(r"单位[:：]\s*(万元|元)(?!/)", text)
        unit = m.group(1) if m else None
    if unit is not None and read.unit is None:
        read.unit, read.unit_label = unit, source


def _heads_column(below: list[list[str]], column: int) -> bool:
    """True when the row below a lone head (``| 本年度申请``) prints a funds line with an amount
    under it (``资金总额 | 100``): the head names that column's span."""
    row = next((cells for cells in below if any(cells)), [])
    return (
        column < len(row)
        and cell_number(row[column]) is not None
        and any(fund_line_of(t) for t in row[:column] if t)
    )


def _table(ctx: Context, table: Table, read: _Read) -> None:
    blocks: list[tuple[int, str]] = []  # (column, span) of the totals printed so far
    columns: dict[int, str] = {}  # column → span named by a head row
    rows = [[clean(c) for c in raw] for raw in table.rows]
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            if text and "元" in text and len(text) <= 40 and re.search(r"资金|金额|单位|总额|预算", text):
                _note_unit(read, text, ctx.cell(table, r, c))
        heads = {c: span for c, t in enumerate(cells) if t and (span := fund_column_of(t)) is not None}
        numbers = [c for c, t in enumerate(cells) if t and cell_number(t) is not None]
        labelled = [c for c, t in enumerate(cells) if t and (fund_label_of(t) or fund_line_of(t))]
        head_row = heads and not numbers and not any(fund_line_of(cells[c]) for c in labelled)
        if head_row and (len(heads) >= 2 or _heads_column(rows[r + 1 :], next(iter(heads)))):
            columns = heads
            continue
        for c, text in enumerate(cells):
            if not text or (c and text == cells[c - 1]):
                continue  # a merged cell repeated over its columns
            label = fund_label_of(text)
            line = fund_line_of(text) if label is None else None
            if label is None and line is None:
                continue
            if label is not None and not columns:
                found = _amount(cells, c)
                blocks = [b for b in blocks if b[0] != c] + [(c, _SPAN_OF_LABEL[label])]
                if found is not None:
                    read.put(label, found[1], ctx.cell(table, r, found[0]))
                continue
            if columns:  # a line across the columns the head row named
                line = line or ("total" if label in ("medium_total", "annual_total") else None)
                for col, span in columns.items():
                    value = cell_number(cells[col]) if col < len(cells) and col > c else None
                    name = _FIELD.get((span, line or ""))
                    if value is not None and name is not None:
                        read.put(name, value, ctx.cell(table, r, col))
                continue
            if not blocks:
                continue  # 合计 / 其他 outside a funds block: a list table's row, not ours
            span = next((s for col, s in sorted(blocks, reverse=True) if col <= c), blocks[0][1])
            name = _FIELD.get((span, line or ""))
            later = [col for col, _ in blocks if col > c]
            found = _amount(cells, c, min(later) if later else None)
            if name is not None and found is not None:
                read.put(name, found[1], ctx.cell(table, r, found[0]))
        if not any(cells):
            blocks, columns = [], {}


_PROSE = re.compile(
    r"(?P<label>[\u4e00-\u9fff（）()]{2,16})\s*[:：为]?\s*(?P<value>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
)


def _prose(ctx: Context, read: _Read) -> None:
    """``年度资金总额：300万元，其中：财政拨款260万元、其他资金40万元`` in paragraphs."""
    span = "annual"
    for para in ctx.doc.paragraphs:
        text = clean(para.text)
        for m in _PROSE.finditer(text):
            key = m.group("label")
            key = re.sub(r"^(?:其中|项目资金)", "", key)
            label, line = fund_label_of(key), fund_line_of(key)
            value = Decimal(m.group("value").replace(",", ""))
            source = ctx.para(para, m.group(0))
            if label is not None:
                span = _SPAN_OF_LABEL[label]
                read.put(label, value, source)
            elif line is not None and (name := _FIELD.get((span, line))) is not None:
                read.put(name, value, source)
            else:
                continue
            if read.unit is None:
                read.unit, read.unit_label = m.group("unit"), source


def extract_declaration_funds(ctx: Context) -> DeclarationFunds:
    """The funds block as printed (amounts in the unit the form labels; see the module doc)."""
    read = _Read()
    for table in ctx.doc.tables:
        _table(ctx, table, read)
    if not read.values:
        _prose(ctx, read)
    funds = DeclarationFunds()
    if read.unit == "元":
        funds.unit = "元"
    for name in sorted(read.conflicts):
        ctx.info(
            "ingest.ambiguous-funds", f"{_NAMES.get(name, name)}印有不同的金额，未取值", read.values[name][1]
        )
        del read.values[name]
    for name, (value, source) in read.values.items():
        setattr(funds, name, value)
        funds.sources[name] = source
    if read.unit_label is not None:
        funds.sources["unit"] = read.unit_label
    funds.details = spending_items(ctx)
    return funds


_NAMES = {
    "medium_total": "中期资金总额",
    "medium_appropriation": "中期财政拨款",
    "medium_other": "中期其他资金",
    "medium_carryover": "中期上年结转资金",
    "annual_total": "年度资金总额",
    "appropriation": "年度财政拨款",
    "other": "年度其他资金",
    "carryover": "年度上年结转资金",
    "last_budget": "上年度预算安排",
    "last_spent": "上年度实际执行",
}


def spending_items(ctx: Context) -> list[SpendingItem]:
    """The rows of a 支出明细与测算依据 table: what, how much, and how it was worked out
    (数量 × 单价, then the 测算依据 printed); the table ends at a row without an amount that
    heads another table (一级指标 …)."""
    out: list[SpendingItem] = []
    for table in ctx.doc.tables:
        roles: dict[str, int] = {}
        for r, raw in enumerate(table.rows):
            cells = [clean(c) for c in raw]
            found: dict[str, int] = {}
            for c, text in enumerate(cells):
                role = detail_role(text) if text else None
                if role is not None:
                    found.setdefault(role, c)
            if "label" in found and "amount" in found:
                roles = found
                continue
            if not roles:
                continue
            label = _cell(cells, roles["label"])
            amount = cell_number(_cell(cells, roles["amount"]) or "-")
            if amount is None:
                if _heads_another(cells):
                    roles = {}
                continue
            if not label or re.fullmatch(r"合计|总计|小计|剩余支出计划金额", reduce_label(label)[0]):
                continue
            parts = [p for p in (_cell(cells, roles.get("quantity")), _cell(cells, roles.get("price"))) if p]
            worked = " × ".join(parts)
            printed = _cell(cells, roles.get("basis"))
            basis = "；".join(p for p in (worked, printed) if p) or None
            out.append(
                SpendingItem(
                    label=label, amount=amount, basis=basis, source=ctx.cell(table, r, roles["label"])
                )
            )
    return out


def _cell(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def _heads_another(cells: list[str]) -> bool:
    from jixiao.ingest.extract.declaration_layout import column_role

    return sum(1 for t in cells if t and column_role(t)[0] is not None) >= 2


_WAN = re.compile(r"(\d+(?:\.\d+)?)\s*万(?!人|户|次|册|份|个|件|亩|平方|吨|公里|千米|台|套|株|只|头|元/)")
_TEN_THOUSAND = Decimal(10000)
AMOUNTS = tuple(_NAMES)


def plain(value: Decimal) -> Decimal:
    """A Decimal without trailing zeros or an exponent (``3E+1`` → ``30``)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def wan_printed(texts: list[str]) -> set[Decimal]:
    """Every amount printed with 万 (``≤6万元``, ``30万``) in the texts."""
    return {plain(Decimal(m.group(1))) for t in texts for m in _WAN.finditer(t)}


def shows_yuan(funds: DeclarationFunds, printed: set[Decimal]) -> bool:
    """True when an amount labelled 万元 is printed elsewhere ÷ 10 000 with 万 and none as printed."""
    if funds.unit != "万元" or not printed:
        return False
    amounts = [getattr(funds, n) for n in AMOUNTS if getattr(funds, n)]
    if any(plain(a) in printed for a in amounts):
        return False
    return any(plain(a / _TEN_THOUSAND) in printed for a in amounts)


def shows_wan(funds: DeclarationFunds, printed: set[Decimal]) -> bool:
    """True when an amount is printed elsewhere with 万 as it stands (the 万元 label is right)."""
    return any(getattr(funds, n) and plain(getattr(funds, n)) in printed for n in AMOUNTS)


def as_wan(funds: DeclarationFunds) -> list[tuple[str, Decimal, Decimal, Source | None]]:
    """Every amount of the funds block as printed and ÷ 10 000 (what it means when the 万元 label
    is a slip for 元): (field, as printed, in 万元, source).  The funds are left as printed."""
    out = []
    for name in AMOUNTS:
        value = getattr(funds, name)
        if value:
            out.append((name, value, plain(value / _TEN_THOUSAND), funds.sources.get(name)))
    return out


def amount_name(name: str) -> str:
    """The Chinese name of a funds field (``annual_total`` → 年度资金总额)."""
    return _NAMES.get(name, name)
