"""Plain text → blocks: tab-, pipe- and space-separated rows become tables, HTML fragments are stripped.

Text taken from PDFs arrives with tables as tab-separated rows (merged cells as empty cells),
as ``|``-separated rows with runs of ``||||``, or as HTML fragments (``<p>…</p>``); page markers
such as ``—23—`` or a form feed start a new page.
"""

from __future__ import annotations

import re

from jixiao.ingest.document import Block, Paragraph, Table
from jixiao.ingest.readers.spaced import spaced_header, spaced_row

_PAGE_MARK = re.compile(
    r"^\s*(?:[—\-－–―]{1,3}\s*(\d{1,4})\s*[—\-－–―]{1,3}|第\s*(\d{1,4})\s*页(?:\s*共\s*\d+\s*页)?|(\d{1,4})\s*/\s*\d{1,4})\s*$"
)
_BLOCK_TAG = re.compile(r"</?(?:p|div|li|ol|ul|br|h[1-6]|tr|table|section|article)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^<>]{0,400}>")
_ENTITY = {"&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'"}


def strip_tags(text: str) -> list[str]:
    """Text of an HTML fragment, split where block tags were (``<p>``, ``<li>``, ``<br>``)."""
    if "<" not in text:
        return [text]
    parts = _BLOCK_TAG.split(text)
    out: list[str] = []
    for part in parts:
        part = _ANY_TAG.sub("", part)
        for k, v in _ENTITY.items():
            part = part.replace(k, v)
        if part.strip():
            out.append(part.strip())
    return out


def _cell_text(cell: str) -> str:
    return " ".join(strip_tags(cell)).strip()


def split_row(line: str) -> list[str] | None:
    """Cells of a table row written with tabs or pipes; None for an ordinary line."""
    if "\t" in line.strip("\n") and line.strip():
        return [_cell_text(c) for c in line.rstrip("\n").split("\t")]
    if line.count("|") >= 2 and not re.search(r"<[a-z]", line, re.I):
        body = line.strip()
        if body.startswith("|"):
            body = body[1:]
        if body.endswith("|"):
            body = body[:-1]
        cells = [c.strip() for c in body.split("|")]
        if sum(1 for c in cells if c) >= 2 and not re.fullmatch(r"[\s|:\-]*", line):
            return cells
        if re.fullmatch(r"[\s|:\-]+", line):  # Markdown separator row
            return []
    return None


def text_to_blocks(text: str, start_table: int = 1) -> tuple[list[Block], int | None]:
    """Blocks of a plain text with line numbers; returns (blocks, number of pages or None)."""
    from jixiao.ingest.readers.celllines import cell_lines_to_blocks, is_cell_lines

    all_lines = text.split("\n")
    if is_cell_lines(all_lines):  # a table flattened one cell per line (``cell |``)
        return cell_lines_to_blocks(all_lines, 1, start_table), None
    blocks: list[Block] = []
    table: Table | None = None
    spaced: list[str] | None = None  # the header of a space-separated table being read
    page: int | None = None
    pages_seen = 0
    next_table = start_table
    has_marks = (
        bool(re.search(r"^\s*[—\-－–―]{1,3}\s*\d{1,4}\s*[—\-－–―]{1,3}\s*$", text, re.M)) or "\f" in text
    )
    if has_marks:
        page = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            page = (page or 1) + raw.count("\f")
            pages_seen = max(pages_seen, page)
            raw = raw.replace("\f", "")
        mark = _PAGE_MARK.match(raw) if has_marks else None
        if mark:
            digits = next(g for g in mark.groups() if g)
            page = int(digits) + 1
            pages_seen = max(pages_seen, page)
            continue
        cells = split_row(raw)
        if cells is None and (header := spaced_header(raw)) is not None:
            spaced, table, cells = header, None, header
        elif cells is None and spaced is not None and table is not None:
            cells = spaced_row(raw, spaced) if raw.strip() else []
            if cells is None:
                spaced = None
        if cells is not None:
            if not cells:
                continue
            if table is None:
                table = Table(rows=[], index=next_table, page=page)
                next_table += 1
                blocks.append(table)
            table.rows.append(cells)
            table.row_lines.append(number)
            table.row_pages.append(page)
            continue
        if not raw.strip():
            continue  # blank lines do not end a table: PDFs break tables across pages
        table, spaced = None, None
        for piece in strip_tags(raw):
            piece = piece.strip()
            if piece:
                blocks.append(Paragraph(text=piece, line=number, page=page))
    for block in blocks:
        if isinstance(block, Table):
            width = max((len(r) for r in block.rows), default=0)
            for r in block.rows:
                r.extend([""] * (width - len(r)))
    return blocks, (pages_seen or None)
