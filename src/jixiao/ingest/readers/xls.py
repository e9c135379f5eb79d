"""Reader for Excel 97-2003 .xls (xlrd): one table per sheet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Block, Document, Table
from jixiao.ingest.readers.common import problem
from jixiao.ingest.readers.xlsx import cell_text


def read_xls(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read every sheet of a BIFF workbook (capped rows and columns)."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct errors …
        return None, [
            problem("ingest.corrupt", "error", f"无法打开 .xls 文件：{type(exc).__name__}: {exc}", path)
        ]
    blocks: list[Block] = []
    findings: list[Finding] = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        nrows = min(sheet.nrows, limits.MAX_SHEET_ROWS)
        ncols = min(sheet.ncols, limits.MAX_SHEET_COLUMNS)
        if sheet.nrows > nrows:
            findings.append(
                problem(
                    "ingest.truncated", "warning", f"工作表“{sheet.name}”行数过多，只读取前 {nrows} 行", path
                )
            )
        rows: list[list[str]] = []
        for r in range(nrows):
            row: list[str] = []
            for c in range(ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(cell_text(datetime(*xlrd.xldate_as_tuple(cell.value, book.datemode))))
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        row.append(cell_text(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append("")
                else:
                    row.append(cell_text(cell.value))
            rows.append(row)
        while rows and not any(rows[-1]):
            rows.pop()
        if rows:
            blocks.append(
                Table(
                    rows=rows,
                    index=index + 1,
                    page=index + 1,
                    row_lines=list(range(1, len(rows) + 1)),
                    name=sheet.name,
                )
            )
        book.unload_sheet(index)
    return Document(file=str(path), blocks=blocks, format="xls", pages=book.nsheets), findings
