"""Reader for .html / .htm, and for text files carrying whole HTML tables.

Text outside tables is split at block tags (``<p>``, ``<li>``, ``<br>``…); tables become cell
grids with ``rowspan``/``colspan`` expanded (the covered cells are empty).  Government sites put
metadata (索引号, 发文机构, 成文日期) in header tables: they are kept as ordinary cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Block, Document, Paragraph, Table
from jixiao.ingest.readers.common import decode_text, problem
from jixiao.ingest.readers.textlayout import text_to_blocks

_DROP = re.compile(r"<(script|style|head|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def read_html(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read an HTML page or fragment."""
    size = path.stat().st_size
    if size > limits.MAX_TEXT_BYTES:
        return None, [
            problem("ingest.too-large", "error", f"网页文件过大（{size // 1024 // 1024} MB），拒绝读取", path)
        ]
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    text: str | None = None
    findings: list[Finding] = []
    if declared:
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, findings = decode_text(data, path)
    if text is None:
        return None, findings
    return html_document(text, str(path), findings, fmt="html")


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")  # keep line numbers


def html_document(
    text: str, file: str, findings: list[Finding] | None = None, fmt: str = "html"
) -> tuple[Document | None, list[Finding]]:
    """Blocks of an HTML text: paragraphs split at block tags, tables as grids."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DROP.sub(_blank, text)
    blocks: list[Block] = []
    pos = 0
    table_no = 1
    for m in _TABLE.finditer(text):
        blocks.extend(_segment(text, pos, m.start(), table_no))
        table_no = 1 + max((b.index for b in blocks if isinstance(b, Table)), default=0)
        line = text.count("\n", 0, m.start()) + 1
        table = _table(m.group(0), line, table_no)
        if table.rows:
            blocks.append(table)
            table_no += 1
        pos = m.end()
    blocks.extend(_segment(text, pos, len(text), table_no))
    return Document(file=file, blocks=blocks, format=fmt), list(findings or [])


def _segment(text: str, start: int, end: int, table_no: int) -> list[Block]:
    first_line = text.count("\n", 0, start)
    chunk = text[start:end]
    # a block tag that opens a new line in HTML should also open a new paragraph here
    blocks, _ = text_to_blocks(chunk, start_table=table_no)
    for b in blocks:
        if isinstance(b, Paragraph) and b.line is not None:
            b.line += first_line
        elif isinstance(b, Table):
            b.row_lines = [(n + first_line) if n is not None else None for n in b.row_lines]
    return blocks


def _table(html: str, line: int, index: int) -> Table:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    grid: dict[tuple[int, int], str] = {}
    lines: list[int | None] = []
    outer = soup.find("table")
    rows = [tr for tr in soup.find_all("tr") if tr.find_parent("table") is outer]
    for r, tr in enumerate(rows):
        source_line = getattr(tr, "sourceline", None)
        lines.append(line + (source_line - 1 if isinstance(source_line, int) else 0))
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = " ".join(cell.get_text(" ").split())[: limits.MAX_CELL_CHARS]
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text if dr == 0 and dc == 0 else ""
            c += colspan
    height = len(rows)
    width = max((c for _, c in grid), default=-1) + 1
    cells = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
    return Table(rows=cells, index=index, row_lines=lines)


def _span(value: object) -> int:
    try:
        return max(1, min(int(str(value)), 50))
    except (TypeError, ValueError):
        return 1
