"""What every extractor shares: the document, cleaned cell text, label look-up and a text flow.

The *flow* is the document's prose joined back into sentences: PDFs break lines mid-phrase, so
a paragraph that does not end a sentence is joined to the next one.  Regex matches on the flow
map back to the paragraph (file, page, line) they start in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from jixiao.findings import Finding, Severity, finding
from jixiao.ingest.document import Document, Paragraph, Table
from jixiao.model import Source
from jixiao.numbers import normalise, parse_decimal

_CJK = r"\u3400-\u9fff\uff00-\uffef\u3000-\u303f"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_UNIT_PAREN = re.compile(
    r"[（(]\s*(?:单位[:：]?)?\s*(?:万元|元|亿元|%|分)\s*[)）]"
    r"|[（(]\s*[A-H](?:\s*[/÷]\s*[A-H](?:\s*[×*x]\s*100\s*%)?)?\s*[)）]$"  # 全年预算数(A), 执行率(B/A×100%)
)
_SENTENCE_END = re.compile(r"[。！？；;!?：:）)”\"」]$")
HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、．](?!\d))"
)


_SIGN_SPACE = re.compile(r"(?<=[＞＜><≥≤=＝])\s+(?=[=＝\d])")
_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")  # not tab/newline/CR


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Cell or paragraph text as printed, with full-width digits made ASCII, whitespace collapsed,
    PDF line-wrap spaces between Chinese characters removed (punctuation is kept) and the usual
    OCR misreads inside numbers mended (see :func:`mend_ocr`)."""
    text = _SPACES.sub(" ", _CONTROL.sub("", text.translate(_DIGITS)))
    text = _SIGN_SPACE.sub("", text)
    return mend_ocr(_CJK_SPACE.sub("", text).strip())


# OCR misreads that only make sense inside a number: 1O5 → 105, 2l3 → 213, 98。67% → 98.67%,
# 95°/o → 95%.  A letter counts only between digits, a stray mark only before decimals and a unit,
# so words, codes and sentence ends (人数为300。2023年…) are left alone.
_DIGIT = re.compile(r"\d")
_OCR_ZERO = re.compile(r"(?<=\d)[Oo〇]+(?=\d|[.。·•]\d|%)")
_OCR_ONE = re.compile(r"(?<=\d)[lI](?=\d)")
_OCR_POINT = re.compile(r"(?<=\d)[。·•](?=\d{1,2}(?:%|万|元|分|亿))")
_OCR_PERCENT = re.compile(r"(?<=\d)\s?[°º]\s?/\s?[o0O]")


def mend_ocr(text: str) -> str:
    """Mend OCR misreads inside numbers (O/〇 for 0, l/I for 1, 。/· for the decimal point, °/o for %)."""
    if not _DIGIT.search(text):
        return text
    text = _OCR_ZERO.sub(lambda m: "0" * len(m.group(0)), text)
    text = _OCR_ONE.sub("1", text)
    text = _OCR_POINT.sub(".", text)
    return _OCR_PERCENT.sub("%", text)


_LABEL_PREFIX = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十\d]+[、.．]|[（(][一二三四五六七八九十\d]+[)）])"
)


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """A label cell reduced for matching: no spaces, no trailing colon, no unit in brackets."""
    s = normalise(clean(text)).replace(" ", "")
    s = _UNIT_PAREN.sub("", s)
    s = _LABEL_PREFIX.sub("", s)
    return s.strip(":：*").strip()


@lru_cache(maxsize=65536)
def cell_number(text: str) -> Decimal | None:
    """A cell that is just a number (``2536.08``, ``88.58分``, ``5,838``); None otherwise."""
    s = clean(text).replace(" ", "")
    s = re.sub(r"(万元|元|分|万人|人|万)$", "", s)
    return parse_decimal(s) if s and "%" not in s else None


def is_heading(text: str) -> bool:
    """True for outline headings (一、 （二） 3.) and short title-like lines."""
    t = clean(text)
    return bool(HEADING.match(t)) and len(t) <= 40


@dataclass
class Segment:
    start: int
    source: Source


@dataclass
class Flow:
    """The prose of a document as one string with offsets back to sources."""

    text: str = ""
    segments: list[Segment] = field(default_factory=list)

    def source_at(self, offset: int, text: str | None = None) -> Source:
        """The Source of the paragraph holding ``offset`` (with ``text`` as printed)."""
        starts = [s.start for s in self.segments]
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        src = self.segments[i].source if self.segments else Source()
        return src.model_copy(update={"text": text}) if text is not None else src

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """All matches of a pattern on the flow."""
        return pattern.finditer(self.text)


@dataclass
class Context:
    """The document being extracted, findings so far and table rows already used."""

    doc: Document
    findings: list[Finding] = field(default_factory=list)
    consumed: set[tuple[int, int]] = field(default_factory=set)
    flow: Flow = field(default_factory=Flow)

    def __post_init__(self) -> None:
        self.flow = build_flow(self.doc)

    def info(self, code: str, message: str, source: Source | None = None, path: str = "") -> None:
        """Record an info finding (an ambiguity or an inference)."""
        self.findings.append(
            finding(code, Severity.info, message, path, source=source or Source(file=self.doc.file))
        )

    def rows(self, include_consumed: bool = False) -> Iterator[tuple[Table, int, list[str]]]:
        """Every table row with cleaned cells (rows used by an earlier extractor skipped)."""
        for table in self.doc.tables:
            for r, row in enumerate(table.rows):
                if include_consumed or (table.index, r) not in self.consumed:
                    yield table, r, [clean(c) for c in row]

    def cell(self, table: Table, row: int, column: int) -> Source:
        """Source of a cell."""
        return self.doc.cell_source(table, row, column)

    def para(self, para: Paragraph, text: str | None = None) -> Source:
        """Source of a paragraph."""
        return self.doc.paragraph_source(para, text)


def build_flow(doc: Document) -> Flow:
    """Join paragraphs (and long text cells) into sentences; keep where each piece came from."""
    flow = Flow()
    parts: list[str] = []
    length = 0
    prev_open = False
    pieces: list[tuple[str, Source, bool]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            pieces.append((clean(block.text), doc.paragraph_source(block), True))
        else:
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    if len(cell) >= 20:
                        pieces.append((clean(cell), doc.cell_source(block, r, c), False))
    for text, source, is_para in pieces:
        if not text:
            continue
        join = prev_open and is_para and not is_heading(text)
        sep = "" if join else "\n"
        if parts:
            parts.append(sep)
            length += len(sep)
        flow.segments.append(Segment(length, source))
        parts.append(text)
        length += len(text)
        prev_open = is_para and not _SENTENCE_END.search(text) and not is_heading(text) and len(text) > 15
    flow.text = "".join(parts)
    return flow
