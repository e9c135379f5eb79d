"""项目支出绩效目标执行监控表 as Word (A4 landscape), and the monitoring report of one unit: a
summary table of its projects with their lights, then each project's table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from jixiao.findings import Finding
from jixiao.monitoring import Monitoring
from jixiao.render.annex import finding_rows
from jixiao.render.docx_tables import append_table, simple_table
from jixiao.render.monitoring_view import (
    FORM_TITLE,
    WIDTHS_CM,
    light_text,
    monitoring_rows,
    period_text,
    year_line,
)
from jixiao.render.template import new_document
from jixiao.render.typography import (
    BODY,
    TITLE,
    Face,
    add_page_numbers,
    add_paragraph,
    setup_page,
    styled_run,
)

FORM_TITLE_FACE = replace(TITLE, size=18)


@dataclass
class ReportEntry:
    """One project of a unit's monitoring report: its report, light, reasons and findings."""

    monitoring: Monitoring
    light: str  # green / yellow / red
    reasons: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _heading(document: DocumentObject, title: str, line: str) -> None:
    paragraph = add_paragraph(document, style="Title")
    paragraph.paragraph_format.space_after = Pt(0)
    styled_run(paragraph, title, FORM_TITLE_FACE)
    sub = add_paragraph(document, style="Title")
    sub.paragraph_format.space_after = Pt(6)
    styled_run(sub, line, Face(BODY.east_asia, BODY.fallback, 14))


def _table(document: DocumentObject, monitoring: Monitoring) -> None:
    rows, _ = monitoring_rows(monitoring)
    append_table(document, WIDTHS_CM, rows, header_rows=0)


def _annex(
    document: DocumentObject, reasons: Sequence[str], findings: list[Finding] | None, light: str | None
) -> None:
    if light is not None:
        add_paragraph(document, f"预警：{light_text(light)}", "Heading 2")
        for reason in reasons:
            document.add_paragraph(reason)
    if findings is not None:
        add_paragraph(document, "监控审核发现的问题", "Heading 2")
        if not findings:
            document.add_paragraph("经自动审核，未发现问题。")
            return
        scale = sum(WIDTHS_CM) / 16.0
        widths = [w * scale for w in (1.0, 1.2, 9.8, 4.0)]
        simple_table(document, widths, ("序号", "级别", "问题", "位置"), finding_rows(findings), left=(2, 3))


def build(
    monitoring: Monitoring,
    findings: list[Finding] | None = None,
    light: str | None = None,
    reasons: Sequence[str] = (),
) -> DocumentObject:
    """One project's 执行监控表; the light with its reasons and the findings follow when given."""
    document = new_document(None)
    section = document.sections[0]
    setup_page(section, landscape=True)
    add_page_numbers(section)
    _heading(document, FORM_TITLE, year_line(monitoring))
    _table(document, monitoring)
    if light is not None or findings is not None:
        _annex(document, reasons, findings, light)
    document.core_properties.title = FORM_TITLE
    return document


def build_report(unit: str, entries: Sequence[ReportEntry]) -> DocumentObject:
    """A unit's monitoring report: the summary of its projects with their lights, then each table."""
    document = new_document(None)
    section = document.sections[0]
    setup_page(section, landscape=True)
    add_page_numbers(section)
    first = entries[0].monitoring if entries else None
    year = f"{first.year}年" if first and first.year else ""
    period = period_text(first) if first else ""
    _heading(document, f"{unit}项目支出绩效运行监控报告", f"（{year}{period}）")
    counts = {k: sum(1 for e in entries if e.light == k) for k in ("red", "yellow", "green")}
    document.add_paragraph(
        f"本次监控项目{len(entries)}个，其中红灯{counts['red']}个、黄灯{counts['yellow']}个、绿灯{counts['green']}个。"
        "预警按运行监控预警规则判定，红灯、黄灯项目的原因列于各项目监控表之后。"
    )
    add_paragraph(document, "一、项目预警汇总", "Heading 1")
    rows = []
    for n, e in enumerate(entries, start=1):
        total = e.monitoring.total()
        rate = ""
        if total is not None and total.spent is not None and total.budget:
            rate = f"{total.spent * 100 / total.budget:.2f}%"
        rows.append(
            [
                str(n),
                e.monitoring.project.name,
                "" if total is None or total.budget is None else f"{total.budget:f}",
                rate,
                light_text(e.light),
                "；".join(e.reasons[:2]) + ("……" if len(e.reasons) > 2 else ""),
            ]
        )
    scale = sum(WIDTHS_CM) / 25.7
    widths = [w * scale for w in (1.2, 6.0, 2.6, 2.4, 1.8, 11.7)]
    simple_table(
        document,
        widths,
        ("序号", "项目名称", "年初预算数（万元）", "执行率", "预警", "主要原因"),
        rows,
        left=(1, 5),
    )
    add_paragraph(document, "二、各项目执行监控表", "Heading 1")
    for e in entries:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _heading(document, FORM_TITLE, f"{e.monitoring.project.name} {year_line(e.monitoring)}")
        _table(document, e.monitoring)
        _annex(document, e.reasons, e.findings, e.light)
    document.core_properties.title = f"{unit}项目支出绩效运行监控报告"
    return document
