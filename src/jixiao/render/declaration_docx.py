"""项目支出绩效目标申报表 as Word: the national form (财预〔2015〕88号 附件), A4 landscape.

The form prints as one table; it is written as one table for the project, funds and goals and one
per indicator table (中期, 年度), each with its title and column headings repeated on every page it
runs onto.  It is also the Word form a unit fills in: every row carries a hidden bookmark naming
its key, and a custom XML part holds the declaration as written and the text of each row, so
``ingest.readers.declaration_form`` reads back exactly what was written plus the unit's edits.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from xml.sax.saxutils import escape

from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.shared import Pt

from jixiao.declaration import Declaration
from jixiao.findings import Finding
from jixiao.office import (
    DECLARATION_FORM_VERSION,
    DECLARATION_MARKER,
    DECLARATION_XML_NAMESPACE,
    bookmark_name,
    clean,
    declaration_shape,
    written_text,
)
from jixiao.render.annex import finding_rows
from jixiao.render.declaration_view import (
    FORM_TITLE,
    FormRow,
    Value,
    form_tables,
    note_text,
    year_line,
)
from jixiao.render.docx_tables import Cell, append_table, joint, simple_table
from jixiao.render.template import new_document
from jixiao.render.text import plain
from jixiao.render.typography import (
    BODY,
    TABLE,
    TITLE,
    Face,
    add_page_numbers,
    add_paragraph,
    setup_page,
    styled_run,
)

# Nine grid columns, 25.7 cm: A4 landscape less 2 cm margins (the indicator table's columns).
WIDTHS_CM = (2.2, 2.6, 3.6, 1.4, 2.4, 1.6, 3.0, 2.2, 6.7)
FORM_TITLE_FACE = replace(TITLE, size=18)
NOTE_FACE = replace(TABLE, size=9)


def cell_text(text: Value) -> str:
    """A value as the Word form prints it (a Decimal exactly as held)."""
    if isinstance(text, Decimal):
        return plain(text)
    return text or ""


def heading(document: DocumentObject, title: str, year: str) -> None:
    """The form's title and year lines, centred (方正小标宋 18 pt, 仿宋 14 pt)."""
    paragraph = add_paragraph(document, style="Title")
    paragraph.paragraph_format.space_after = Pt(0)
    styled_run(paragraph, title, FORM_TITLE_FACE)
    line = add_paragraph(document, style="Title")
    line.paragraph_format.space_after = Pt(6)
    styled_run(line, year, Face(BODY.east_asia, BODY.fallback, 14))


def _cells(row: FormRow) -> list[Cell]:
    shape = declaration_shape(row.key)
    assert shape is not None
    out: list[Cell] = []
    for (span, _), cell in zip(shape, row.cells, strict=True):
        out.append(
            Cell(
                cell_text(cell.text),
                head=not cell.value,
                align="left"
                if cell.left or (cell.value and span > 1 and isinstance(cell.text, str))
                else "center",
                span=span,
                vmerge=cell.vmerge,
            )
        )
    out[-1] = replace(out[-1], bookmark=bookmark_name(row.key))  # the row's key, for reading back
    return out


def _written(row: FormRow) -> list[str]:
    return [written_text(cell_text(c.text)) for c in row.cells if c.value]


def build(declaration: Declaration, findings: list[Finding] | None = None) -> DocumentObject:
    """The 申报表 as a python-docx document, marked and carrying its read-back data.

    ``findings`` (an automatic review's), when given, follow on a page of their own.
    """
    document = new_document(None)
    section = document.sections[0]
    setup_page(section, landscape=True)
    add_page_numbers(section)
    year = year_line(declaration)
    heading(document, FORM_TITLE, year)
    written: dict[str, list[str]] = {"year": [written_text(year)]}
    tables = form_tables(declaration)
    for n, rows in enumerate(tables):
        if n:
            joint(document)
        header = sum(1 for row in rows if row.heading)
        append_table(
            document,
            WIDTHS_CM,
            [_cells(row) for row in rows],
            header_rows=header,
            open_bottom=n < len(tables) - 1,
        )
        for row in rows:
            if not row.heading:
                written[row.key] = _written(row)
    note = add_paragraph(document)
    note.paragraph_format.first_line_indent = Pt(0)
    note.paragraph_format.space_before = Pt(4)
    styled_run(note, note_text(declaration), NOTE_FACE)
    if findings is not None:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        add_review_findings(document, findings, sum(WIDTHS_CM))
    _mark(document, declaration, written)
    return document


def add_review_findings(document: DocumentObject, findings: list[Finding], width_cm: float) -> None:
    """The automatic review's findings as an annex table; an empty list says none were found."""
    add_paragraph(document, "附件：自动审核发现的问题", "Heading 1")
    if not findings:
        document.add_paragraph("经自动审核，未发现问题。")
        return
    document.add_paragraph(f"经自动审核，共发现 {len(findings)} 个问题：")
    scale = width_cm / 16.0
    widths = [w * scale for w in (1.0, 1.2, 9.8, 4.0)]
    simple_table(document, widths, ("序号", "级别", "问题", "位置"), finding_rows(findings), left=(2, 3))


def _mark(document: DocumentObject, declaration: Declaration, written: dict[str, list[str]]) -> None:
    """The custom XML part with the declaration and the written texts, and the marker in the properties."""
    data = declaration.model_dump_json(exclude_none=True)
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<jixiao xmlns="{DECLARATION_XML_NAMESPACE}" marker="{DECLARATION_MARKER}" '
        f'version="{DECLARATION_FORM_VERSION}"><declaration>{escape(data)}</declaration>'
        f"<written>{escape(json.dumps(written, ensure_ascii=False))}</written></jixiao>"
    )
    package = document.part.package
    assert package is not None
    name = package.next_partname("/customXml/item%d.xml")
    part = Part(name, "application/xml", xml.encode("utf-8"), package)
    document.part.relate_to(part, RT.CUSTOM_XML)
    properties = document.core_properties
    properties.title = FORM_TITLE
    properties.keywords = DECLARATION_MARKER
    properties.subject = clean(declaration.project.name)[:255]
