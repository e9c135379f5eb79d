"""Funds (项目资金) from fund tables and from prose.

Tables: a stage label (预算安排资金, 实际到位资金, 全年执行数 …) names the stage of the numbers to
its right or of the column below it; a source label (中央资金, 市级预算资金, 上年结转 …) names the
line.  Header rows with several stages (年初预算数 | 全年预算数 | 全年执行数) map columns to stages.
Prose: an amount with a unit takes the stage of the nearest stage word before it in its clause.
A stage printed twice with different amounts stays unknown (an info finding says so).
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.ingest.extract.context import Context, cell_number, clean, label_key
from jixiao.ingest.extract.lexicon import source_of, stage_of
from jixiao.model import Figure, FundItem, FundLine, Funds, FundSource, FundStage, Source
from jixiao.numbers import parse_decimal, to_wan
from jixiao.vocabulary import STAGE_NAMES

Key = tuple[FundSource, FundStage]
_RATE_POINTS = re.compile(r"(?:预算)?执行率(?:分值|权重|得分)?[（(](\d+(?:\.\d+)?)分?[)）]")
_EXTRA = {"分值": "weight", "权重": "weight", "执行率": "rate", "预算执行率": "rate", "得分": "score"}


class _Collector:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.values: dict[Key, tuple[Decimal, Source, str]] = {}
        self.conflicts: set[Key] = set()
        self.extra: dict[str, tuple[Decimal, Source]] = {}
        self.items: list[FundItem] = []
        self.planned: Decimal | None = None
        self.unstaged: dict[FundSource, tuple[Decimal, Source, str]] = {}

    def put(self, key: Key, value: Decimal, source: Source, label: str, *, weak: bool = False) -> None:
        old = self.values.get(key)
        if old is None:
            self.values[key] = (value, source, label)
        elif old[0] != value and not weak:
            self.conflicts.add(key)


def _unit_of_table(rows: list[list[str]]) -> str | None:
    for row in rows[:40]:
        for cell in row:
            if re.search(r"[（(]\s*(?:单位[:：]?)?\s*元\s*[)）]|单位[:：]\s*元(?!/)", cell):
                return "元"
            if "万元" in cell:
                return "万元"
    return None


def extract_funds(ctx: Context, unstaged: FundStage | None = None) -> tuple[Funds, list[str]]:
    """Funds read from tables first, prose second; returns (funds, notes).

    ``unstaged``: the stage of an amount printed beside a fund label with no stage word in its
    row or column (a 绩效目标表's 年度资金总额 | 1111.98 is the budget); None leaves such amounts out.
    """
    col = _Collector(ctx)
    for table in ctx.doc.tables:
        _table(ctx, table, col)
    if unstaged is not None:
        for source, (value, src, label) in col.unstaged.items():
            col.put((source, unstaged), value, src, label, weak=True)
    _one_per_line(ctx, col)
    _prose(ctx, col)
    _shares(ctx, col)
    funds = Funds()
    notes: list[str] = []
    for key in sorted(col.conflicts, key=str):
        src = col.values[key][1]
        ctx.info("ingest.ambiguous-funds", f"{key[0].value}/{key[1].value} 印有不同的金额，未取值", src)
        del col.values[key]
    lines: dict[FundSource, FundLine] = {}
    for (source, stage), (value, src, label) in col.values.items():
        line = (
            funds.total
            if source is FundSource.total
            else lines.setdefault(source, FundLine(source=source, label=label_key(label) or None))
        )
        setattr(line, stage.value, value)
        line.sources[stage.value] = src
    funds.lines = list(lines.values())
    for stage in FundStage:
        if getattr(funds.total, stage.value) is None:
            parts = [
                getattr(line, stage.value) for line in funds.lines if getattr(line, stage.value) is not None
            ]
            if parts and len(parts) == len(funds.lines) and len(parts) >= 1:
                setattr(funds.total, stage.value, sum(parts, Decimal(0)))
                notes.append(f"资金合计（{stage.value}）未印，按各来源相加")
    if "rate" in col.extra:
        value, src = col.extra["rate"]
        funds.execution_rate = Figure(text=src.text, source=src)
    if "weight" in col.extra:
        funds.execution_weight = col.extra["weight"][0]
    if "score" in col.extra:
        funds.execution_claimed = col.extra["score"][0]
    seen_items: set[tuple[str, Decimal, str]] = set()
    for item in col.items:  # a part printed twice (a table and its prose) is one part
        seen = (item.stage.value, item.amount, re.sub(r"(?:资金|经费|金额|数)$", "", label_key(item.label)))
        if seen not in seen_items:
            seen_items.add(seen)
            funds.items.append(item)
    if col.planned is not None:
        funds.planned_spending = col.planned
    return funds, notes


def _table(ctx: Context, table: object, col: _Collector) -> None:
    from jixiao.ingest.document import Table

    assert isinstance(table, Table)
    unit = _unit_of_table(table.rows)
    carried: dict[int, FundStage | None] = {}
    header: dict[int, FundStage] = {}
    header_extra: dict[int, str] = {}
    for r, raw in enumerate(table.rows):
        if (table.index, r) in ctx.consumed:
            continue
        cells = [clean(c) for c in raw]
        keys = [label_key(c) for c in cells]
        for c, k in enumerate(keys):  # 执行率分值（10）: the points of the execution rate, in its label
            if m := _RATE_POINTS.fullmatch(k):
                col.extra.setdefault("weight", (Decimal(m.group(1)), ctx.cell(table, r, c)))
        stages = {c: stage_of(k) for c, k in enumerate(keys) if k and stage_of(k) is not None}
        numbers = [c for c, v in enumerate(cells) if v and cell_number(v) is not None]
        if len(stages) >= 2 and not numbers:
            header = {c: s for c, s in stages.items() if s is not None}
            header_extra = {c: _EXTRA[k] for c, k in enumerate(keys) if k in _EXTRA}
            continue
        sources = {c: source_of(k) for c, k in enumerate(keys) if k and source_of(k) is not None}
        if not stages and not sources:
            carried = {}
            if not numbers:
                header = {}
            continue
        stage_here: FundStage | None = None
        stage_col: int | None = None
        source_here: FundSource | None = None
        source_col: int | None = None
        label = ""
        used = False
        for c, cell in enumerate(cells):
            if c in stages:
                stage_here, stage_col = stages[c], c
                carried[c] = stages[c]
                source_here = None
                label = cell
                continue
            if c in sources:
                source_here, source_col = sources[c], c
                label = cell
                continue
            if c not in numbers or "%" in cell:
                if (
                    "%" in cell
                    and c in header_extra
                    and header_extra[c] == "rate"
                    and source_here is FundSource.total
                ):
                    col.extra.setdefault("rate", (parse_decimal(cell) or Decimal(0), ctx.cell(table, r, c)))
                continue
            value = cell_number(cell)
            if value is None:
                continue
            if c in header_extra and header_extra[c] in ("weight", "score"):
                if source_here in (FundSource.total, None):
                    col.extra.setdefault(header_extra[c], (value, ctx.cell(table, r, c)))
                continue
            stage: FundStage | None
            if c in header:
                stage = header[c]
                source = source_here or FundSource.total
            else:
                stage = (
                    stage_here
                    if (stage_here is not None and (source_col is None or (stage_col or 0) > source_col))
                    else None
                )
                if stage is None and source_col is not None:
                    stage = stage_here or carried.get(source_col) or _carried_left(carried, source_col)
                source = (
                    source_here
                    if (source_here is not None and (stage_col is None or (source_col or 0) > stage_col))
                    else FundSource.total
                )
                if stage is None:
                    if source_here is not None and source_col is not None and stage_col is None:
                        col.unstaged.setdefault(
                            source_here, (_amount(value, cell, unit), ctx.cell(table, r, c), label)
                        )
                        source_here, source_col = None, None
                    continue
            amount = _amount(value, cell, unit)
            col.put((source, stage), amount, ctx.cell(table, r, c), label)
            used = True
            if c not in header:  # label/value pairs: the next number needs its own label
                source_here, source_col, stage_here, stage_col = None, None, None, None
        if used:  # a row that gave no amount (项目名称 | 中央就业补助资金) is left to the other readers
            ctx.consumed.add((table.index, r))


def _one_per_line(ctx: Context, col: _Collector) -> None:
    """A stage label alone on its line with the amount on the next line (one cell per line)."""
    paras = ctx.doc.paragraphs
    for i, para in enumerate(paras[:-1]):
        key = label_key(para.text)
        stage = stage_of(key) if key and len(key) <= 12 else None
        if stage is None:
            continue
        value = cell_number(paras[i + 1].text)
        if value is not None:
            unit = "元" if re.search(r"[（(]元[)）]", para.text) else None
            col.put(
                (FundSource.total, stage),
                _amount(value, clean(paras[i + 1].text), unit),
                ctx.para(paras[i + 1]),
                key,
            )


def _carried_left(carried: dict[int, FundStage | None], column: int) -> FundStage | None:
    left = [c for c in carried if c < column]
    if left:
        return carried[max(left)]
    return carried[max(carried)] if carried else None


def _amount(value: Decimal, cell: str, unit: str | None) -> Decimal:
    if cell.endswith("万元") or (unit != "元" and not re.search(r"\d\s*元", cell)):
        return value
    return to_wan(value, "元")


_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)(?!\s*[/／每])")  # not a rate (100元/人)
_PROSE_STAGES: list[tuple[str, re.Pattern[str]]] = [
    ("planned", re.compile(r"预算支出(?:资金)?|计划支出")),
    (FundStage.surplus.value, re.compile(r"结余(?:资金)?|结转结余")),
    (
        FundStage.spent.value,
        re.compile(
            r"实际支出|支出资金|使用(?:[^，,。；;]{0,8})?(?:资金|经费)|执行数|执行金额|执行总量|支出总额|累计支出|已支出|实际使用"
            r"|(?:年度)?总支出|支出合计"
        ),
    ),
    (
        FundStage.available.value,
        re.compile(r"到位(?:资金)?|下达|资金收入|预算收入|拨付(?:[^，,。；;]{0,6})?资金"),
    ),
    (FundStage.budget_adjusted.value, re.compile(r"全年预算(?:数|资金)?|调整后(?:的)?预算")),
    (
        FundStage.budget.value,
        re.compile(r"年初预算|预算安排|预算资金|总经费|总投资|预算总额|预算金额|批复预算|预算数|项目预算"),
    ),
]


def _prose(ctx: Context, col: _Collector) -> None:
    planned: set[Decimal] = set()
    text = ctx.flow.text
    found: dict[Key, set[Decimal]] = {}
    firsts: dict[Key, tuple[Decimal, Source, str]] = {}
    last_stage: tuple[str, int] | None = None
    for m in _AMOUNT.finditer(text):
        start = m.start()
        head = text[max(0, start - 60) : start]
        cut = max(head.rfind(ch) for ch in "。；;，,：:（(）)\n")
        clause = head[cut + 1 :]
        stage = None
        best = -1
        for name, pattern in _PROSE_STAGES:
            for sm in pattern.finditer(clause):
                if sm.end() > best:
                    best, stage = sm.end(), name
        amount = to_wan(Decimal(m.group(1).replace(",", "")), m.group(2))
        inside = _inside_parens(text, start)
        if last_stage is not None and not inside:  # 预算数12000万元，其中：中央补助资金4500万元，…
            between = text[last_stage[1] : start]
            inside = "其中" in between and not re.search(r"[。；;]", between) and len(between) < 40
        if inside and last_stage is not None and start - last_stage[1] < 60:
            label = clause.strip() or last_stage[0]
            col.items.append(
                FundItem(
                    label=label,
                    stage=FundStage(last_stage[0]) if last_stage[0] != "planned" else FundStage.budget,
                    amount=amount,
                    group=last_stage[0],
                    source=ctx.flow.source_at(start, m.group(0)),
                )
            )
            continue
        if stage is None:
            continue
        last_stage = (stage, m.end())
        if stage == "planned":
            planned.add(amount)
            continue
        source = FundSource.total
        for src_name, src_pattern in (
            (FundSource.central, r"中央"),
            (FundSource.provincial, r"省级|省财政"),
            (FundSource.municipal, r"市级|市财政"),
            (FundSource.county, r"区级|县级|区财政|县财政"),
        ):
            if re.search(src_pattern, clause):
                source = src_name
        key = (source, FundStage(stage))
        found.setdefault(key, set()).add(amount)
        firsts.setdefault(key, (amount, ctx.flow.source_at(start, m.group(0)), clause.strip()[-12:]))
    for key, values in found.items():
        if key in col.values:
            continue
        if len(values) == 1:
            col.put(key, *firsts[key])
        elif key[1] is not FundStage.budget or len({v.quantize(Decimal("0.01")) for v in values}) > 1:
            ctx.info(
                "ingest.ambiguous-funds",
                f"正文中{STAGE_NAMES[key[1].value]}印有多个不同金额（"
                f"{'、'.join(f'{v:f}' for v in sorted(values)[:8])}{'……' if len(values) > 8 else ''}），无法确定，未取值",
                firsts[key][1],
            )
        else:
            col.put(key, *firsts[key])
    if len(planned) == 1:
        col.planned = planned.pop()


_SHARE = re.compile(
    r"(?:按|占)\s*(\d{1,3}(?:\.\d+)?)\s*%\s*(?:测算|计算|比例|拨付|下达)?\s*(?:为|计|共)?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元)"
)


def _shares(ctx: Context, col: _Collector) -> None:
    """Tranches printed with their share (按70%测算为1739.07万元): kept as items when shares add to 100."""
    found = list(ctx.flow.finditer(_SHARE))
    if len(found) < 2 or sum(Decimal(m.group(1)) for m in found) != 100:
        return
    for m in found:
        head = ctx.flow.text[max(0, m.start() - 30) : m.start()]
        label = re.split(r"[。；;，,：:]", head)[-1].strip() or "按比例"
        stage = FundStage.spent if re.search(r"支出|使用", head) else FundStage.available
        col.items.append(
            FundItem(
                label=label + m.group(0)[: m.group(0).find(m.group(2))].strip(),
                stage=stage,
                amount=to_wan(Decimal(m.group(2).replace(",", "")), m.group(3)),
                share=Decimal(m.group(1)),
                group="按比例",
                source=ctx.flow.source_at(m.start(), m.group(0)),
            )
        )


def _inside_parens(text: str, pos: int) -> bool:
    head = text[max(0, pos - 60) : pos]
    return head.rfind("（") > max(head.rfind("）"), head.rfind("。")) or head.rfind("(") > max(
        head.rfind(")"), head.rfind("。")
    )
