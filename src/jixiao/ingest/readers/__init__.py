"""Readers by file suffix: each turns one file into a :class:`Document` plus findings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Document, Paragraph
from jixiao.ingest.readers.common import failure_reason, problem

Reader = Callable[[Path], tuple[Document | None, list[Finding]]]


def _lazy(module: str, name: str) -> Reader:
    def read(path: Path) -> tuple[Document | None, list[Finding]]:
        import importlib

        func: Reader = getattr(importlib.import_module(f"jixiao.ingest.readers.{module}"), name)
        return func(path)

    read.__name__ = name
    return read


READERS: dict[str, Reader] = {
    ".txt": _lazy("text", "read_text"),
    ".md": _lazy("text", "read_text"),
    ".text": _lazy("text", "read_text"),
    ".html": _lazy("html", "read_html"),
    ".htm": _lazy("html", "read_html"),
    ".docx": _lazy("docx", "read_docx"),
    ".doc": _lazy("doc", "read_doc"),
    ".xlsx": _lazy("xlsx", "read_xlsx"),
    ".xlsm": _lazy("xlsx", "read_xlsx"),
    ".xls": _lazy("xls", "read_xls"),
    ".pdf": _lazy("pdf", "read_pdf"),
}


def read_document(path: str | Path) -> tuple[Document | None, list[Finding]]:
    """Read any supported document; never raises on bad input (findings say what went wrong)."""
    p = Path(path)
    if not p.exists() or not p.is_file():
        return None, [problem("file.unreadable", "error", f"文件 {p} 不存在或不是普通文件", p)]
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        return None, [problem("ingest.unsupported", "error", f"不支持的文件类型“{p.suffix}”", p)]
    size = p.stat().st_size
    if size == 0:
        return None, [problem("ingest.empty", "error", "文件为空", p)]
    if size > limits.MAX_FILE_BYTES:
        return None, [
            problem("ingest.too-large", "error", f"文件过大（{size // 1024 // 1024} MB），拒绝读取", p)
        ]
    try:
        doc, findings = reader(p)
    except MemoryError:
        return None, [problem("ingest.too-large", "error", "文件解析所需内存过大，已放弃", p)]
    except RecursionError:
        return None, [problem("ingest.corrupt", "error", "文件结构嵌套过深，已放弃", p)]
    except Exception as exc:  # the module edge: a reader bug on hostile input becomes a finding
        return None, [problem("ingest.corrupt", "error", f"读取失败：{failure_reason(exc)}", p)]
    if doc is not None:
        kept = _within_text_cap(doc)
        if kept < len(doc.blocks):
            doc.blocks = doc.blocks[:kept]
            cap = limits.MAX_TEXT_CHARS
            findings.append(
                problem(
                    "ingest.truncated",
                    "warning",
                    f"文档正文超过 {cap // 10000} 万字，只读取前 {kept} 段（约 {cap // 10000} 万字），其余未读",
                    p,
                )
            )
    return doc, findings


def _within_text_cap(doc: Document) -> int:
    """How many of the document's blocks fit in :data:`limits.MAX_TEXT_CHARS` (all, usually):
    a report of a million paragraphs is cut, not read for minutes."""
    total = 0
    for i, block in enumerate(doc.blocks):
        total += (
            len(block.text)
            if isinstance(block, Paragraph)
            else sum(len(c) for row in block.rows for c in row)
        )
        if total > limits.MAX_TEXT_CHARS:
            return i
    return len(doc.blocks)
