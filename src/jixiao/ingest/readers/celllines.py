"""Tables flattened one cell per line (``项目名称 |`` then ``工资性支出 |``), put back in rows.

Web pages copied as text (and some site exports) print every table cell on its own line ending
in ``|``, empty cells as a lone ``|``.  Row boundaries are lost, but cells are not: a run of
column headings (一级指标 | 二级指标 | 三级指标 | 指标值 …, or 年初预算 | 全年预算数 | 执行数 …)
fixes the width, and the cells after it are read back in rows of that width.  A row that lost a
cell merged across rows (产出指标 printed once over two rows) gets an empty cell where its level
heading would be.  Cells outside such tables stay lines of text (label then value), which the
label reader already pairs.
"""

from __future__ import annotations

import re

from jixiao.ingest.document import Block, Paragraph, Table

_CELL_LINE = re.compile(r"^(.*?)\s*\|\s*$")
_STOP = re.compile(
    r"^(?:评价结论|存在问题|改进措施|项目负责人|财务负责人|填表人|联系电话|备注|说明|年度总体目标|项目名称|主管部门)"
)


def is_cell_lines(lines: list[str]) -> bool:
    """True when most lines are one cell each (``text |``)."""
    filled = [ln for ln in lines if ln.strip()]
    cells = [ln for ln in filled if ln.count("|") == 1 and _CELL_LINE.match(ln)]
    return len(filled) >= 8 and len(cells) >= 0.7 * len(filled)


def _heading(cell: str) -> bool:
    from jixiao.ingest.extract.context import label_key
    from jixiao.ingest.extract.lexicon import column_role, stage_of

    key = label_key(cell)
    return bool(key) and (
        column_role(key) is not None
        or stage_of(key) is not None
        or key in ("执行率", "预算执行率", "原因", "年度预算数")
    )


def _level_shift(row: list[str], roles: dict[str, int]) -> list[str]:
    """Empty cells put back where a level cell merged across rows was printed only once."""
    from jixiao.ingest.extract.lexicon import LEVEL1, level_family

    l1 = roles.get("level1")
    if l1 is None or l1 >= len(row):
        return row
    first = row[l1].replace(" ", "")
    if LEVEL1.fullmatch(first) or not first:
        return row
    if "level2" in roles and level_family(first) is not None:
        return [*row[:l1], "", *row[l1:]]  # the 一级 was printed on a row above
    if "level2" in roles:
        return [*row[:l1], "", "", *row[l1:]]  # both level cells printed above
    return row


def _run(cells: list[tuple[str, int]], start: int) -> int:
    """How many column headings follow one another from ``start``."""
    k = start
    while k < len(cells) and cells[k][0] and _heading(cells[k][0]):
        k += 1
    return k - start


def cell_lines_to_blocks(lines: list[str], first_line: int = 1, start_table: int = 1) -> list[Block]:
    """Blocks of a one-cell-per-line text: tables rebuilt under runs of column headings."""
    from jixiao.ingest.extract.context import cell_number, label_key
    from jixiao.ingest.extract.lexicon import TOTAL_ROW, column_role

    cells: list[tuple[str, int]] = []
    for n, raw in enumerate(lines, start=first_line):
        m = _CELL_LINE.match(raw)
        if m:
            cells.append((m.group(1).strip(), n))
        elif raw.strip():
            cells.append((raw.strip(), n))
    blocks: list[Block] = []
    next_table = start_table
    i = 0
    while i < len(cells):
        k = i + _run(cells, i)
        if k - i < 3:
            if cells[i][0]:
                blocks.append(Paragraph(text=cells[i][0], line=cells[i][1]))
            i += 1
            continue
        header = [c for c, _ in cells[i:k]]
        width = len(header)
        roles = {r: c for c, h in enumerate(header) if (r := column_role(label_key(h))) is not None}
        table: Table | None = Table(rows=[header], index=next_table, row_lines=[cells[i][1]])
        next_table += 1
        j = k
        while j < len(cells):
            first = cells[j][0]
            if first and (_STOP.match(first) or _heading(first)):
                break
            ahead = next((p for p in range(j, min(j + width, len(cells))) if _run(cells, p) >= 3), None)
            if ahead is not None and table is not None:  # the next table's headings start in this row
                blocks.append(table)
                table = None
                blocks += [Paragraph(text=c, line=n) for c, n in cells[j:ahead] if c]
                j = ahead
                break
            if TOTAL_ROW.fullmatch(label_key(first)):  # 合计 | 100 | 99.9: a short row of its own
                n = 1
                while (
                    j + n < len(cells)
                    and n < width
                    and (not cells[j + n][0] or cell_number(cells[j + n][0]) is not None)
                ):
                    n += 1
                values = [c for c, _ in cells[j + 1 : j + n] if c]
                row = [first] + [""] * (width - 1)
                slots = [roles[r] for r in ("weight", "score") if r in roles]
                for col, value in zip(
                    slots[-len(values) :] if len(values) <= len(slots) else [], values, strict=False
                ):
                    row[col] = value
                assert table is not None
                table.rows.append(row)
                table.row_lines.append(cells[j][1])
                j += n
                continue
            chunk = [c for c, _ in cells[j : j + width]]
            row = _level_shift(chunk, roles)
            taken = width - (len(row) - len(chunk))
            row = row[:width]
            if not any(row):
                j += taken
                continue
            assert table is not None
            table.rows.append(row + [""] * (width - len(row)))
            table.row_lines.append(cells[j][1])
            j += taken
        if table is not None:
            blocks.append(table)
        i = j
    return blocks
