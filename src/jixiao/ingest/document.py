"""The normalised document every reader produces: ordered blocks with their positions.

A block is a :class:`Paragraph` (one line or paragraph of text) or a :class:`Table` (a grid of
cell texts; a merged cell keeps its text in its first cell, the cells it covers are empty).
Positions follow :class:`jixiao.model.Source`: 1-based page, line, table, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.model import Source


@dataclass
class Paragraph:
    """One paragraph (or line) of text with its page and line."""

    text: str
    line: int | None = None
    page: int | None = None
    heading: bool = False  # looked like a heading to the reader (Word style, HTML <h1>…)


@dataclass
class Table:
    """A grid of cell texts; ``row_lines`` gives the source line of each row when known."""

    rows: list[list[str]]
    index: int = 0  # 1-based table number in the document
    page: int | None = None
    row_lines: list[int | None] = field(default_factory=list)
    row_pages: list[int | None] = field(default_factory=list)
    name: str | None = None  # sheet name for spreadsheets
    # each column's (left, right) on the page, where the reader knows it (PDF): a table continued
    # on the next page with other columns is lined up with its header by position
    columns: list[tuple[float, float]] | None = None

    def line_of(self, row: int) -> int | None:
        """Source line of a 0-based row, when the reader knew it."""
        return self.row_lines[row] if row < len(self.row_lines) else None

    def page_of(self, row: int) -> int | None:
        """Page of a 0-based row (falls back to the table's page)."""
        if row < len(self.row_pages) and self.row_pages[row] is not None:
            return self.row_pages[row]
        return self.page


Block = Paragraph | Table


@dataclass
class Document:
    """An ordered list of blocks read from one file, with reader metadata."""

    file: str
    blocks: list[Block] = field(default_factory=list)
    format: str = "text"
    pages: int | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        """The tables, in document order."""
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The paragraphs, in document order."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def cell_source(self, table: Table, row: int, column: int, text: str | None = None) -> Source:
        """The Source of a table cell (0-based row and column in, 1-based out)."""
        cell = table.rows[row][column] if text is None else text
        return Source(
            file=self.file,
            page=table.page_of(row),
            line=table.line_of(row),
            table=table.index,
            row=row + 1,
            column=column + 1,
            text=cell,
        )

    def paragraph_source(self, para: Paragraph, text: str | None = None) -> Source:
        """The Source of a paragraph (or of a part of it)."""
        return Source(
            file=self.file, page=para.page, line=para.line, text=para.text if text is None else text
        )

    def plain_text(self) -> str:
        """All text, tables as tab-separated rows: the floor for benchmarks and debugging."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                out.extend("\t".join(r) for r in block.rows)
        return "\n".join(out)
