"""Official documents: 项目支出绩效自评表 (Word, Excel, PDF) and 绩效评价报告 (Word, PDF), with charts.

``render_bytes(evaluation, score, findings, kind, fmt)`` lays out what it is given and computes
nothing: ``jixiao.api.render`` scores or audits first, so a figure in a document is the same as on
screen.  ``RenderError`` carries a Chinese message for problems that are the user's (a bad
template, LibreOffice missing).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.render.errors import RenderError
from jixiao.scoring.result import ScoreResult
from jixiao.vocabulary import DOCUMENT_NAMES, FORMAT_NAMES

if TYPE_CHECKING:
    from jixiao.render.selftable_xlsx import FormPolicy

__all__ = ["FORMATS", "KINDS", "MEDIA_TYPES", "DocumentKind", "Format", "RenderError", "render_bytes"]

DocumentKind = Literal["self-table", "report"]
Format = Literal["docx", "xlsx", "pdf"]
KINDS = cast(tuple[DocumentKind, ...], tuple(DOCUMENT_NAMES))  # the one list: jixiao.vocabulary
FORMATS = cast(tuple[Format, ...], tuple(FORMAT_NAMES))
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _check_combination(kind: str, fmt: str) -> None:
    if kind not in KINDS:
        raise RenderError(f"未知的文书种类“{kind}”，可选：self-table（自评表）、report（评价报告）")
    if fmt not in FORMATS:
        raise RenderError(f"未知的输出格式“{fmt}”，可选：docx、xlsx、pdf")
    if kind == "report" and fmt == "xlsx":
        raise RenderError("评价报告只能输出为 Word（docx）或 PDF，Excel 只用于自评表")


def render_bytes(
    evaluation: Evaluation,
    score: ScoreResult,
    findings: list[Finding] | None,
    kind: DocumentKind,
    fmt: Format,
    *,
    template: Path | None = None,
    policy: FormPolicy | None = None,
) -> bytes:
    """The 自评表 (``self-table``: docx, xlsx, pdf) or 评价报告 (``report``: docx, pdf) as bytes.

    ``findings``, when given, are appended as a 复核意见 annex; ``policy`` (the one the score was
    computed by) gives the Excel form its live formulas.
    """
    _check_combination(kind, fmt)
    if fmt == "xlsx":
        from jixiao.render import selftable_xlsx

        buffer = io.BytesIO()
        selftable_xlsx.build(evaluation, score, findings, policy=policy).save(buffer)
        return buffer.getvalue()
    if kind == "self-table":
        if template is not None:
            raise RenderError("自评表使用固定的官方版式，不支持自定义模板（--template 只用于评价报告）")
        from jixiao.render import selftable_docx

        document = selftable_docx.build(evaluation, score, findings)
    else:
        from jixiao.render import report_docx

        document = report_docx.build(evaluation, score, template=template, findings=findings)
    buffer = io.BytesIO()
    document.save(buffer)
    if fmt == "docx":
        return buffer.getvalue()
    from jixiao.render.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-render-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(buffer.getvalue())
        return docx_to_pdf(source, Path(tmp)).read_bytes()
