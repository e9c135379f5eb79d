"""Reader for .docx (python-docx): paragraphs and tables in body order; merged cells once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Block, Document, Paragraph, Table
from jixiao.ingest.readers.common import check_zip, open_failure, problem

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P = f"{{{_W}}}p"
# what python-docx's ``Paragraph.text`` joins, in document order: the text-bearing children of
# the paragraph's runs and of its hyperlinks' runs (compiled once: python-docx compiles per run)
_CONTENT = "*[self::w:br or self::w:cr or self::w:noBreakHyphen or self::w:ptab or self::w:t or self::w:tab]"
_TEXT_OF: dict[str, str] = {"cr": "\n", "noBreakHyphen": "-", "ptab": "\t", "tab": "\t"}
_BR_TYPE = f"{{{_W}}}type"


def read_docx(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read a Word document; a zip bomb or a corrupt file gives an error finding."""
    bad = check_zip(path)
    if bad is not None:
        return None, [bad]
    import docx
    from docx.table import Table as DocxTable
    from lxml import etree

    content = etree.XPath(f"w:r/{_CONTENT} | w:hyperlink/w:r/{_CONTENT}", namespaces={"w": _W})

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
            number += 1
            text = _text(child, content).strip()
            if text:  # the style id read from the XML: python-docx's ``para.style`` scans every style
                blocks.append(Paragraph(text=text, line=number, heading=child.style in headings))
        elif tag == "tbl":
            table_no += 1
            number += 1
            blocks.append(_table(DocxTable(child, doc), table_no, number, content))
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


def _text(paragraph: Any, content: Any) -> str:
    """A ``w:p`` element's text exactly as python-docx's ``Paragraph.text`` gives it."""
    out = []
    for e in content(paragraph):
        tag = e.tag.rsplit("}", 1)[-1]
        if tag == "t":
            out.append(e.text or "")
        elif tag == "br":
            out.append("\n" if e.get(_BR_TYPE, "textWrapping") == "textWrapping" else "")
        else:
            out.append(_TEXT_OF[tag])
    return "".join(out)


def _table(table: Any, index: int, line: int, content: Any) -> Table:
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
            texts = (_text(p, content).strip() for p in key.iterchildren(_P))
            cells.append(" ".join(t for t in texts if t)[: limits.MAX_CELL_CHARS])
        rows.append(cells)
    width = max((len(cells) for cells in rows), default=0)
    for cells in rows:
        cells.extend([""] * (width - len(cells)))
    return Table(rows=rows, index=index, row_lines=[line] * len(rows))
