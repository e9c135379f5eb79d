"""Reader for .pdf with a text layer: text lines and ruled tables in reading order.

PDFium (pypdfium2) parses each page; pdfplumber's table finder and line clustering run on what it
gives (:mod:`jixiao.ingest.readers.pdfpage`).  A PDF with pages but no text is a scan: the reader
says so instead of returning nothing.  Encrypted PDFs, files that are not PDFs and files with too
many pages give clear findings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Block, Document, Paragraph, Table
from jixiao.ingest.readers.common import failure_reason, open_failure, problem

if TYPE_CHECKING:
    from jixiao.ingest.readers.pdfpage import PageObjects

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—\-－–―]{1,3}\s*\d{1,4}\s*[—\-－–―]{1,3}|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4})\s*$"
)


def read_pdf(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read the text layer and tables of a PDF (capped pages)."""
    from jixiao.ingest.readers.pdfpage import PDFIUM_LOCK

    with PDFIUM_LOCK:  # PDFium may not be called from two threads at once, whatever the documents
        return _read_pdf(path)


def _read_pdf(path: Path) -> tuple[Document | None, list[Finding]]:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        return None, [problem("ingest.not-pdf", "error", "文件扩展名为 .pdf，但内容不是 PDF", path)]
    from jixiao.ingest.readers.pdfpage import PASSWORD_ERROR, PdfiumError, open_document, read_page

    findings: list[Finding] = []
    try:
        pdf = open_document(str(path))
    except PdfiumError as exc:
        if getattr(exc, "err_code", None) == PASSWORD_ERROR or _declares_encryption(path):
            return None, [problem("ingest.encrypted", "error", "PDF 已加密（需要密码），无法读取", path)]
        return None, [problem("ingest.corrupt", "error", open_failure("PDF", exc), path)]
    blocks: list[Block] = []
    chars = 0
    images = 0
    table_no = 0
    try:
        total = len(pdf)
        if total > limits.MAX_PDF_PAGES:
            findings.append(
                problem(
                    "ingest.truncated",
                    "warning",
                    f"PDF 共 {total} 页，只读取前 {limits.MAX_PDF_PAGES} 页",
                    path,
                )
            )
        for number in range(1, min(total, limits.MAX_PDF_PAGES) + 1):
            try:
                page = read_page(pdf, number - 1)
                page_blocks, n_chars, table_no = _page(page, number, table_no)
            except Exception as exc:  # a broken content stream spoils one page, not the file
                findings.append(
                    problem(
                        "ingest.page-error", "warning", f"第{number}页无法解析：{failure_reason(exc)}", path
                    )
                )
                continue
            images += page.images
            chars += n_chars
            blocks.extend(page_blocks)
    finally:
        pdf.close()
    if chars == 0:
        why = "（扫描件）" if images else ""
        return None, [
            *findings,
            problem(
                "ingest.no-text",
                "error",
                f"PDF 没有文本层{why}，可能是扫描件；请提供可复制文字的 PDF 或先做 OCR（文字识别）",
                path,
            ),
        ]
    return Document(file=str(path), blocks=blocks, format="pdf", pages=total), findings


def _declares_encryption(path: Path) -> bool:
    """True when the file's trailer names an /Encrypt dictionary."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    return b"/Encrypt" in tail


def _page(page: PageObjects, number: int, table_no: int) -> tuple[list[Block], int, int]:
    found = page.find_tables()
    placed: list[tuple[float, Block]] = []
    boxes = []
    for t in found:
        rows = [[" ".join((c or "").split()) for c in row] for row in page.extract(t)]
        if not rows or sum(1 for row in rows for c in row if c) < 2:
            continue
        table_no += 1
        boxes.append(t.bbox)
        starts = sorted({cell[0] for cell in t.cells})  # pdfplumber's columns: the cells' left edges
        columns = [(x, starts[c + 1] if c + 1 < len(starts) else t.bbox[2]) for c, x in enumerate(starts)]
        table = Table(
            rows=rows,
            index=table_no,
            page=number,
            row_lines=[None] * len(rows),
            columns=columns if len(columns) == len(rows[0]) else None,
        )
        placed.append((float(t.bbox[1]), table))
    lines = page.text_lines()
    n_chars = sum(len(line["text"]) for line in lines)
    line_no = 0
    for line in lines:
        text = line["text"].strip()
        mid = (line["top"] + line["bottom"]) / 2
        if any(
            b[1] - 1 <= mid <= b[3] + 1 and b[0] - 1 <= (line["x0"] + line["x1"]) / 2 <= b[2] + 1
            for b in boxes
        ):
            continue
        line_no += 1
        if not text or _PAGE_NUMBER.match(text):
            continue
        placed.append((float(line["top"]), Paragraph(text=text, line=line_no, page=number)))
    placed.sort(key=lambda item: item[0])
    return [b for _, b in placed], n_chars, table_no
