"""The documents of a target declaration: the 绩效目标申报表 and the 绩效目标审核意见表.

``render_declaration_bytes(declaration, kind, fmt, review=…, findings=…, opinion=…)`` lays out
what it is given and computes nothing: ``jixiao.api.render_declaration`` reviews first.  Word and
Excel are written directly; PDF is the Word document converted by LibreOffice (``render.pdf``),
so the three print alike.  The Word and Excel 申报表 are also forms to fill in and read back
(``ingest.readers.declaration_form``).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Literal, cast

from jixiao.declaration import Declaration, ReviewOpinion, ReviewResult
from jixiao.findings import Finding
from jixiao.render.errors import RenderError
from jixiao.vocabulary import DECLARATION_DOCUMENT_NAMES, FORMAT_NAMES

DeclarationDocument = Literal["declaration", "review-opinion"]
DECLARATION_KINDS = cast(tuple[DeclarationDocument, ...], tuple(DECLARATION_DOCUMENT_NAMES))
DECLARATION_FORMATS = tuple(FORMAT_NAMES)  # docx, xlsx, pdf: every document in every format


def check_combination(kind: str, fmt: str) -> None:
    """A ``RenderError`` in Chinese for a document kind or format that does not exist."""
    if kind not in DECLARATION_KINDS:
        choices = "、".join(f"{k}（{name}）" for k, name in DECLARATION_DOCUMENT_NAMES.items())
        raise RenderError(f"未知的申报文书种类“{kind}”，可选：{choices}")
    if fmt not in DECLARATION_FORMATS:
        raise RenderError(f"未知的输出格式“{fmt}”，可选：{'、'.join(DECLARATION_FORMATS)}")


def render_declaration_bytes(
    declaration: Declaration,
    kind: DeclarationDocument,
    fmt: str,
    *,
    review: ReviewResult | None = None,
    findings: list[Finding] | None = None,
    opinion: ReviewOpinion | None = None,
) -> bytes:
    """The 申报表 (``declaration``) or the 审核意见表 (``review-opinion``) as docx, xlsx or pdf bytes.

    ``findings``, when given, follow as an annex (a sheet of their own in Excel); ``review`` and
    ``opinion`` print on the 审核意见表 (blank, to fill in by hand, when None).
    """
    check_combination(kind, fmt)
    buffer = io.BytesIO()
    if fmt == "xlsx":
        if kind == "declaration":
            from jixiao.render import declaration_xlsx

            declaration_xlsx.build(declaration, findings).save(buffer)
        else:
            from jixiao.render import review_xlsx

            review_xlsx.build(declaration, review, findings, opinion).save(buffer)
        return buffer.getvalue()
    if kind == "declaration":
        from jixiao.render import declaration_docx

        document = declaration_docx.build(declaration, findings)
    else:
        from jixiao.render import review_docx

        document = review_docx.build(declaration, review, findings, opinion)
    document.save(buffer)
    if fmt == "docx":
        return buffer.getvalue()
    from jixiao.render.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-render-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(buffer.getvalue())
        return docx_to_pdf(source, Path(tmp)).read_bytes()
