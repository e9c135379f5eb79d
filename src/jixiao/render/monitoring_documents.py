"""The documents of monitoring (运行监控): the 项目支出绩效目标执行监控表 (docx, xlsx, pdf) and a unit's
monitoring report (docx, pdf). They lay out what they are given and compute nothing:
``jixiao.api.render_monitoring`` reviews and lights first. PDF is the Word document converted by
LibreOffice (``render.pdf``).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from docx.document import Document as DocumentObject

from jixiao.findings import Finding
from jixiao.monitoring import Monitoring
from jixiao.render.errors import RenderError
from jixiao.render.monitoring_docx import ReportEntry
from jixiao.vocabulary import MONITORING_DOCUMENT_NAMES

MonitoringDocument = Literal["monitoring", "monitoring-report"]
MONITORING_KINDS: tuple[MonitoringDocument, ...] = ("monitoring", "monitoring-report")
MONITORING_FORMATS = ("docx", "xlsx", "pdf")


def check_combination(kind: str, fmt: str) -> None:
    """A ``RenderError`` in Chinese for a document kind or format that does not exist."""
    if kind not in MONITORING_KINDS:
        choices = "、".join(f"{k}（{name}）" for k, name in MONITORING_DOCUMENT_NAMES.items())
        raise RenderError(f"未知的监控文书种类“{kind}”，可选：{choices}")
    if fmt not in MONITORING_FORMATS:
        raise RenderError(f"未知的输出格式“{fmt}”，可选：{'、'.join(MONITORING_FORMATS)}")
    if kind == "monitoring-report" and fmt == "xlsx":
        raise RenderError("运行监控报告只能输出为 Word（docx）或 PDF，Excel 只用于执行监控表")


def _finish(document: DocumentObject, fmt: str) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    if fmt == "docx":
        return buffer.getvalue()
    from jixiao.render.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-render-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(buffer.getvalue())
        return docx_to_pdf(source, Path(tmp)).read_bytes()


def render_monitoring_bytes(
    monitoring: Monitoring,
    fmt: str,
    *,
    findings: list[Finding] | None = None,
    light: str | None = None,
    reasons: Sequence[str] = (),
) -> bytes:
    """The 执行监控表 as docx, xlsx or pdf bytes; the light, its reasons and the findings follow
    when given (a sheet of their own in Excel)."""
    check_combination("monitoring", fmt)
    if fmt == "xlsx":
        from jixiao.render import monitoring_xlsx
        from jixiao.vocabulary import LIGHT_NAMES

        lines = [f"预警：{LIGHT_NAMES[light]}", *reasons] if light is not None else list(reasons)
        buffer = io.BytesIO()
        monitoring_xlsx.build(monitoring, findings, lines).save(buffer)
        return buffer.getvalue()
    from jixiao.render import monitoring_docx

    return _finish(monitoring_docx.build(monitoring, findings, light, reasons), fmt)


def render_monitoring_report_bytes(unit: str, entries: Sequence[ReportEntry], fmt: str) -> bytes:
    """A unit's monitoring report (summary with lights, then each project's table) as docx or pdf."""
    check_combination("monitoring-report", fmt)
    if not entries:
        raise RenderError("运行监控报告至少需要一个项目的监控表")
    from jixiao.render import monitoring_docx

    return _finish(monitoring_docx.build_report(unit, entries), fmt)


__all__ = [
    "MONITORING_DOCUMENT_NAMES",
    "MONITORING_FORMATS",
    "MONITORING_KINDS",
    "MonitoringDocument",
    "ReportEntry",
    "check_combination",
    "render_monitoring_bytes",
    "render_monitoring_report_bytes",
]
