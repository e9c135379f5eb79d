"""Word tables like the official forms: full borders, fixed widths, merged cells, rows that never split.

Header rows (``header_rows``) carry ``w:tblHeader``, so Word and LibreOffice repeat them at the
top of every page a table continues on.  Only a table's first rows can repeat: a form whose
column headings sit in the middle (the 自评表's 绩效指标) is written as two tables held together
by ``joint`` — a hairline paragraph that Word needs between tables and print does not show.

Tables are written as WordprocessingML directly (one parse per table): going cell by cell
through python-docx's object API costs ~1 ms per cell, far too slow for batches of forms.
Text is escaped here, so ``<script>`` in a project name stays literal text.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape

from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from jixiao.office import clean
from jixiao.render.typography import TABLE, TABLE_HEAD, Face, run_properties_xml

TWIPS_PER_CM = 567
_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")


def _borders(open_bottom: bool) -> str:
    return "".join(
        f'<w:{edge} w:val="nil"/>'
        if edge == "bottom" and open_bottom
        else f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for edge in _EDGES
    )


@dataclass
class Cell:
    """One cell: text (newlines make paragraphs), header face, alignment, column span, vertical merge."""

    text: object = ""
    head: bool = False
    align: Literal["center", "left", "right"] = "center"
    span: int = 1
    vmerge: Literal["restart", "continue"] | None = None
    face: Face | None = None
    bookmark: str | None = None  # a (hidden) bookmark in the cell: how a form marks its rows


_BOOKMARK_IDS = itertools.count(1)


def _paragraphs(cell: Cell) -> str:
    face = cell.face or (TABLE_HEAD if cell.head else TABLE)
    style = "TableHeading" if cell.head else "TableText"
    rpr = run_properties_xml(face)
    out = []
    mark = ""
    if cell.bookmark:
        n = next(_BOOKMARK_IDS)
        mark = f'<w:bookmarkStart w:id="{n}" w:name="{escape(cell.bookmark)}"/><w:bookmarkEnd w:id="{n}"/>'
    for line in clean(cell.text).split("\n"):
        run = mark + (f'<w:r>{rpr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else "")
        mark = ""
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{cell.align}"/></w:pPr>{run}</w:p>')
    return "".join(out)


def table_xml(
    widths_cm: Sequence[float],
    rows: Sequence[Sequence[Cell]],
    header_rows: int = 0,
    *,
    open_bottom: bool = False,
) -> str:
    """The ``w:tbl`` element as XML text; every row must cover all columns (spans included).

    The first ``header_rows`` rows repeat on each page; ``open_bottom`` leaves the bottom edge to
    the table that follows (joined by ``joint``).
    """
    widths = [round(w * TWIPS_PER_CM) for w in widths_cm]
    parts = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{_borders(open_bottom)}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for r, row in enumerate(rows):
        covered = sum(c.span for c in row)
        if covered != len(widths):
            raise ValueError(f"row {r} covers {covered} columns, the table has {len(widths)}")
        header = "<w:tblHeader/>" if r < header_rows else ""
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        col = 0
        for cell in row:
            width = sum(widths[col : col + cell.span])
            span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
            vmerge = {"restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>", None: ""}[
                cell.vmerge
            ]
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{vmerge}<w:vAlign w:val="center"/></w:tcPr>'
                f"{_paragraphs(cell) if cell.vmerge != 'continue' else '<w:p/>'}</w:tc>"
            )
            col += cell.span
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _append(document: DocumentObject, xml: str) -> None:
    """Add an element at the end of the document body (before the final section properties)."""
    element = parse_xml(xml)
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(element)
    else:
        body.append(element)


def append_table(
    document: DocumentObject,
    widths_cm: Sequence[float],
    rows: Sequence[Sequence[Cell]],
    header_rows: int = 0,
    *,
    open_bottom: bool = False,
) -> None:
    """Add a table at the end of the document body; its first ``header_rows`` rows repeat on each page."""
    _append(document, table_xml(widths_cm, rows, header_rows, open_bottom=open_bottom))


def joint(document: DocumentObject) -> None:
    """A hairline paragraph between two tables that print as one (Word would merge adjacent tables)."""
    _append(
        document,
        f'<w:p {nsdecls("w")}><w:pPr><w:keepNext/><w:spacing w:before="0" w:after="0" w:line="20" '
        'w:lineRule="exact"/><w:ind w:firstLine="0"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
        "</w:pPr></w:p>",
    )


def simple_table(
    document: DocumentObject,
    widths_cm: Sequence[float],
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    left: Sequence[int] = (),
) -> None:
    """A header row (repeated on each page) and plain rows; columns in ``left`` are left-aligned."""
    body = [[Cell(v, align="left" if i in left else "center") for i, v in enumerate(row)] for row in rows]
    append_table(document, widths_cm, [[Cell(h, head=True) for h in header], *body], header_rows=1)


def vertical_runs(values: Sequence[str]) -> list[Literal["restart", "continue"] | None]:
    """Vertical-merge marks for a column: equal, non-empty neighbours merge into the first."""
    marks: list[Literal["restart", "continue"] | None] = [None] * len(values)
    for i, value in enumerate(values):
        if value and i > 0 and values[i - 1] == value:
            marks[i] = "continue"
            if marks[i - 1] is None:
                marks[i - 1] = "restart"
    return marks
