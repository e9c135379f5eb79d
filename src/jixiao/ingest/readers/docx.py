"""Reader for .docx (python-docx): paragraphs and tables in body order; merged cells once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Block, Document, Paragraph, Table
from jixiao.ingest.readers.common import check_zip, open_failure, problem


def read_docx(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read a Word document; a zip bomb or a corrupt file gives an error finding."""
    bad = check_zip(path)
    if bad is not None:
        return None, [bad]
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on malformed packages
        return None, [problem("ingest.corrupt", "error", open_failure("Word 文档", exc), path)]
    blocks: list[Block] = []
    number = 0
    table_no = 0
    headings = _heading_styles(doc)
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = DocxParagraph(child, doc)
            number += 1
            text = para.text.strip()
            if text:  # the style id read from the XML: python-docx's ``para.style`` scans every style
                blocks.append(Paragraph(text=text, line=number, heading=child.style in headings))
        elif tag == "tbl":
            table_no += 1
            number += 1
            blocks.append(_table(DocxTable(child, doc), table_no, number))
        if len(blocks) > limits.MAX_BLOCKS:
            break
    return Document(file=str(path), blocks=blocks, format="docx"), []


def _heading_styles(doc: Any) -> frozenset[str]:
    """The ids of the document's paragraph styles named Heading … or Title (looked up once)."""
    ids = []
    for style in doc.styles:
        name = (getattr(style, "name", "") or "").lower()
        if name.startswith(("heading", "title")) and getattr(style, "style_id", None):
            ids.append(style.style_id)
    return frozenset(ids)


def _table(table: Any, index: int, line: int) -> Table:
    rows: list[list[str]] = []
    seen: set[Any] = set()  # the cell elements themselves: holding them keeps identities stable
    for r, row in enumerate(table.rows):
        if r >= limits.MAX_SHEET_ROWS:
            break
        cells: list[str] = []
        for cell in row.cells:
            key = cell._tc
            if key in seen:
                cells.append("")  # the part of a merged cell already read
                continue
            seen.add(key)
            cells.append(
                " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())[: limits.MAX_CELL_CHARS]
            )
        rows.append(cells)
    width = max((len(cells) for cells in rows), default=0)
    for cells in rows:
        cells.extend([""] * (width - len(cells)))
    return Table(rows=rows, index=index, row_lines=[line] * len(rows))
