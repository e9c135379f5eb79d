"""绩效公开: the publication pack of a unit's year, as one PDF and as a zip of its parts.

Parts, in the order 部门决算公开 attaches them: the 项目支出绩效自评表 of every project (the same
document ``jixiao.api.render`` writes), then the 评价报告摘要 (one section per evaluation: funds,
score and grade, achievements, problems, suggestions), then the 整改情况表. Each part is a Word
document converted to PDF by LibreOffice in one batch (``render.pdf``); the PDFs are joined with
pypdfium2. Nothing is scored here: each evaluation comes with its score.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
from docx.document import Document as DocumentObject
from docx.shared import Pt

from jixiao.model import Evaluation
from jixiao.rectification import RectificationItem
from jixiao.render import rectification_docx, selftable_docx
from jixiao.render.errors import RenderError
from jixiao.render.template import new_document
from jixiao.render.text import percent_text, plain, score_text, voice, year_text
from jixiao.render.typography import (
    BODY,
    TITLE,
    Face,
    add_page_numbers,
    add_paragraph,
    setup_page,
    styled_run,
)
from jixiao.scoring.result import ScoreResult
from jixiao.vocabulary import KIND_NAMES

SELF_TABLES = "项目支出绩效自评表"
SUMMARIES = "绩效评价报告摘要"
RECTIFICATION = "整改情况表"
PART_ORDER = (SELF_TABLES, SUMMARIES, RECTIFICATION)  # the order 决算公开 attaches them
Converter = Callable[[Sequence[Path], Path], list[Path]]
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(text: str) -> str:
    """A name safe in a zip on every system (no path separators, no characters Windows refuses)."""
    return _UNSAFE.sub("_", text).strip("_.") or "未命名"


def _grade(score: ScoreResult, evaluation: Evaluation) -> tuple[str, str]:
    if score.reviewed_total is not None:
        return score_text(score.reviewed_total), score.reviewed_grade or ""
    if score.computed_total is not None:
        return score_text(score.computed_total), score.computed_grade or ""
    return score_text(score.claimed_total), score.claimed_grade or evaluation.claims.grade or ""


def _lines(document: DocumentObject, label: str, items: Sequence[str]) -> None:
    add_paragraph(document, label, style="Heading 3")
    texts = [t.strip() for t in items if t and t.strip()]
    if not texts:
        add_paragraph(document, "无。")
    for n, text in enumerate(texts, start=1):
        add_paragraph(document, f"{n}. {text}" if len(texts) > 1 else text)


def summary_document(
    entries: Sequence[tuple[Evaluation, ScoreResult]], *, unit: str, year: int | None
) -> DocumentObject:
    """The 评价报告摘要: a heading, then per evaluation its kind, funds, score and grade, what it
    achieved, the problems and the suggestions as the evaluation prints them."""
    document = new_document(None)
    section = document.sections[0]
    setup_page(section, landscape=False)
    add_page_numbers(section)
    title = add_paragraph(document, style="Title")
    title.paragraph_format.space_after = Pt(0)
    styled_run(title, SUMMARIES, Face(TITLE.east_asia, TITLE.fallback, 18, latin=TITLE.latin))
    sub = add_paragraph(document, style="Title")
    sub.paragraph_format.space_after = Pt(6)
    styled_run(
        sub,
        f"（{'  '.join(p for p in (unit, f'{year}年度' if year else '') if p)}）",
        Face(BODY.east_asia, BODY.fallback, 14),
    )
    numerals = "一二三四五六七八九十"
    for n, (evaluation, score) in enumerate(entries):
        mark = numerals[n] if n < len(numerals) else str(n + 1)
        add_paragraph(document, f"{mark}、{evaluation.project.name}", style="Heading 1")
        total = evaluation.funds.total
        amount_unit = evaluation.funds.unit
        budget = total.budget_adjusted if total.budget_adjusted is not None else total.budget
        funds = []
        if budget is not None:
            funds.append(f"全年预算{plain(budget)}{amount_unit}")
        if total.spent is not None:
            funds.append(f"实际支出{plain(total.spent)}{amount_unit}")
        if score.execution_rate is not None:
            funds.append(f"预算执行率{percent_text(score.execution_rate)}")
        total_text, grade = _grade(score, evaluation)
        facts = [
            f"评价类型：{KIND_NAMES[evaluation.kind.value]}（{year_text(evaluation)}）",
            f"实施单位：{evaluation.project.unit or '未填写'}",
            f"资金情况：{'，'.join(funds) if funds else '未填写'}",
            f"{voice(evaluation).score}：{total_text or '无'}分，评价等级：{grade or '无'}",
        ]
        for fact in facts:
            add_paragraph(document, fact)
        _lines(document, "（一）主要绩效", [evaluation.goals.achieved or ""])
        _lines(document, "（二）存在问题", evaluation.problems)
        _lines(document, "（三）改进建议", evaluation.suggestions)
    if not entries:
        add_paragraph(document, "本年度没有绩效评价报告。")
    return document


def _docx_bytes(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pack_documents(
    unit: str,
    year: int | None,
    entries: Sequence[tuple[Evaluation, ScoreResult]],
    items: Sequence[RectificationItem],
    today: date,
) -> list[tuple[str, bytes]]:
    """The Word documents of the pack in order, each with its name in the zip (without suffix)."""
    out: list[tuple[str, bytes]] = []
    width = len(str(len(entries))) if entries else 1
    for n, (evaluation, score) in enumerate(entries, start=1):
        name = f"1-{SELF_TABLES}/{n:0{width}d}-{file_name(evaluation.project.name)}"
        out.append((name, _docx_bytes(selftable_docx.build(evaluation, score, None))))
    out.append((f"2-{SUMMARIES}", _docx_bytes(summary_document(entries, unit=unit, year=year))))
    status = rectification_docx.build(items, today, unit=unit, year=year)
    out.append((f"3-{RECTIFICATION}", _docx_bytes(status)))
    return out


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """One PDF of the given PDFs, pages in order."""
    merged = pdfium.PdfDocument.new()
    try:
        for data in parts:
            source = pdfium.PdfDocument(data)
            try:
                merged.import_pages(source)
            finally:
                source.close()
        buffer = io.BytesIO()
        merged.save(buffer)
        return buffer.getvalue()
    finally:
        merged.close()


def _default_converter(sources: Sequence[Path], out_dir: Path) -> list[Path]:
    from jixiao.render.pdf import docx_to_pdf_batch

    return docx_to_pdf_batch(sources, out_dir)


def publication_pack_bytes(
    unit: str,
    year: int | None,
    entries: Sequence[tuple[Evaluation, ScoreResult]],
    items: Sequence[RectificationItem],
    today: date,
    *,
    convert: Converter | None = None,
) -> tuple[bytes, bytes]:
    """The pack as (one PDF, a zip of the parts' PDFs named in order). ``convert`` turns Word files
    into PDFs (default: LibreOffice, ``render.pdf.docx_to_pdf_batch``). Raises ``RenderError``."""
    documents = pack_documents(unit, year, entries, items, today)
    with tempfile.TemporaryDirectory(prefix="jixiao-pack-") as tmp:
        folder = Path(tmp)
        sources = []
        for n, (_, data) in enumerate(documents):
            source = folder / f"part-{n:04d}.docx"
            source.write_bytes(data)
            sources.append(source)
        pdfs = (convert or _default_converter)(sources, folder / "pdf")
        if len(pdfs) != len(sources) or not all(p.is_file() for p in pdfs):
            raise RenderError("绩效公开材料转换为 PDF 失败：有文书未能转换")
        parts = [p.read_bytes() for p in pdfs]
    try:
        combined = merge_pdfs(parts)
    except pdfium.PdfiumError as exc:
        raise RenderError(f"绩效公开材料合并为一个 PDF 失败：{exc}") from exc
    label = file_name("-".join(p for p in (unit, f"{year}年度" if year else "", "绩效公开材料") if p))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for (name, _), data in zip(documents, parts, strict=True):
            archive.writestr(f"{label}/{name}.pdf", data)
        archive.writestr(f"{label}/{label}.pdf", combined)
    return combined, buffer.getvalue()
