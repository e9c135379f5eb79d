"""Reader for .xlsx / .xlsm (openpyxl): one table per sheet; merged cells keep their first cell."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Block, Document, Table
from jixiao.ingest.readers.common import check_zip, problem


def cell_text(value: object) -> str:
    """Text of a spreadsheet value: floats without binary noise, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()[: limits.MAX_CELL_CHARS]


def read_xlsx(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read every sheet of a workbook (capped rows and columns)."""
    bad = check_zip(path)
    if bad is not None:
        return None, [bad]
    import openpyxl

    findings: list[Finding] = []
    try:
        wb = openpyxl.load_workbook(str(path), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed packages
        return None, [
            problem("ingest.corrupt", "error", f"无法打开 Excel 文件：{type(exc).__name__}: {exc}", path)
        ]
    blocks: list[Block] = []
    for index, ws in enumerate(wb.worksheets, start=1):
        max_row = min(ws.max_row or 0, limits.MAX_SHEET_ROWS)
        max_col = min(ws.max_column or 0, limits.MAX_SHEET_COLUMNS)
        if (ws.max_row or 0) > limits.MAX_SHEET_ROWS:
            findings.append(
                problem(
                    "ingest.truncated", "warning", f"工作表“{ws.title}”行数过多，只读取前 {max_row} 行", path
                )
            )
        rows = [
            [cell_text(c.value) for c in row]
            for row in ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col)
        ]
        while rows and not any(rows[-1]):
            rows.pop()
        if rows:
            blocks.append(
                Table(
                    rows=rows, index=index, page=index, row_lines=list(range(1, len(rows) + 1)), name=ws.title
                )
            )
    wb.close()
    return Document(file=str(path), blocks=blocks, format="xlsx", pages=len(wb.worksheets)), findings
