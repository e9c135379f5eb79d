"""The 复核意见 annex: the audit's findings as a numbered Word table (``--with-findings``)."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from jixiao.findings import Finding
from jixiao.render.docx_tables import add_table, repeat_as_header, write_cell
from jixiao.render.text import clean

COLUMNS = ("序号", "级别", "代码", "复核意见", "位置")


def finding_rows(findings: list[Finding]) -> list[list[str]]:
    """Findings, most severe first, as table rows."""
    ordered = sorted(findings, key=lambda f: f.severity.rank)
    return [
        [str(n), f.severity.chinese, clean(f.code), clean(f.message), clean(f.location.describe())]
        for n, f in enumerate(ordered, start=1)
    ]


def add_findings_annex(document: DocumentObject, findings: list[Finding], width_cm: float) -> None:
    """Append a 复核意见 heading and table; an empty audit says so."""
    document.add_paragraph("附件：复核意见", style="Heading 1")
    if not findings:
        document.add_paragraph("经自动复核，未发现问题。")
        return
    document.add_paragraph(f"经自动复核，共有 {len(findings)} 条复核意见：")
    rows = finding_rows(findings)
    scale = width_cm / 16.0
    table = add_table(document, len(rows) + 1, [w * scale for w in (1.0, 1.2, 3.0, 8.0, 2.8)])
    repeat_as_header(table.rows[0])
    for cell, title in zip(table.rows[0].cells, COLUMNS, strict=True):
        write_cell(cell, title, head=True)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            write_cell(cell, value, align="left" if i in (2, 3, 4) else "center")
