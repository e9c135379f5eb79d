"""Reader for .txt and .md: decoding, then tables from tab/pipe rows, HTML fragments stripped."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Document
from jixiao.ingest.readers.common import decode_text, problem
from jixiao.ingest.readers.textlayout import text_to_blocks


def read_text(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read a text file (UTF-8, GBK/GB18030 or a guessed encoding)."""
    size = path.stat().st_size
    if size > limits.MAX_TEXT_BYTES:
        return None, [
            problem("ingest.too-large", "error", f"文本文件过大（{size // 1024 // 1024} MB），拒绝读取", path)
        ]
    text, findings = decode_text(path.read_bytes(), path)
    if text is None:
        return None, findings
    return text_document(text, str(path), findings)


# What document converters (pandoc, MinerU…) add to the text they copy out of a PDF or Word file:
# Markdown headings and emphasis, and figures typeset as LaTeX (``$98.33\%$``, ``$\geq 95\%$``).
_LATEX = {
    r"\%": "%",
    r"\geq": "≥",
    r"\ge": "≥",
    r"\leq": "≤",
    r"\le": "≤",
    r"\times": "×",
    r"\div": "÷",
    r"\sim": "~",
    r"\cdot": "·",
    r"\mathrm": "",
    r"\text": "",
    "{": "",
    "}": "",
    "~": "",
}
_MATH = re.compile(r"\$\s*([^$\n]{1,60}?)\s*\$")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def _math(match: re.Match[str]) -> str:
    body = match.group(1)
    if not re.search(r"\d|\\(?:geq?|leq?)", body):
        return match.group(0)
    for latex, plain in _LATEX.items():
        body = body.replace(latex, plain)
    return body.replace(" ", "")


def unmark(text: str) -> str:
    """Text without the Markdown and LaTeX marks a converter added (figures kept as printed)."""
    if "$" in text:
        text = _MATH.sub(_math, text)
    if "#" in text:
        text = _HEADING_MARK.sub("", text)
    if "**" in text:
        text = _EMPHASIS.sub(r"\1", text)
    return text


def text_document(
    text: str, file: str, findings: list[Finding] | None = None
) -> tuple[Document | None, list[Finding]]:
    """A Document from already-decoded text; whole HTML tables inside the text go to the HTML reader."""
    findings = list(findings or [])
    text = unmark(text.replace("\r\n", "\n").replace("\r", "\n"))
    if re.search(r"<table\b", text, re.I):
        from jixiao.ingest.readers.html import html_document

        return html_document(text, file, findings, fmt="text")
    blocks, pages = text_to_blocks(text)
    return Document(file=file, blocks=blocks, format="text", pages=pages), findings
