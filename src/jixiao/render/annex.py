"""The 复核意见 annex: the audit's findings as a numbered Word table (``--with-findings``)."""

from __future__ import annotations

from docx.document import Document as DocumentObject

from jixiao.findings import Finding
from jixiao.office import clean
from jixiao.render.docx_tables import simple_table
from jixiao.render.typography import add_paragraph

COLUMNS = ("序号", "级别", "复核意见", "位置")  # no finding codes, no paths: a bureau reads it


def finding_rows(findings: list[Finding]) -> list[list[str]]:
    """Findings, most severe first, as table rows."""
    ordered = sorted(findings, key=lambda f: f.severity.rank)
    return [
        [str(n), f.severity.chinese, clean(f.message), clean(f.location.describe(file=False))]
        for n, f in enumerate(ordered, start=1)
    ]


def add_findings_annex(document: DocumentObject, findings: list[Finding], width_cm: float) -> None:
    """Append a 复核意见 heading and table; an empty audit says so."""
    add_paragraph(document, "附件：复核意见", "Heading 1")
    if not findings:
        document.add_paragraph("经自动复核，未发现问题。")
        return
    document.add_paragraph(f"经自动复核，共有 {len(findings)} 条复核意见：")
    scale = width_cm / 16.0
    widths = [w * scale for w in (1.0, 1.2, 9.8, 4.0)]
    simple_table(document, widths, COLUMNS, finding_rows(findings), left=(2, 3))
