"""The Word reader gives exactly the text python-docx gives, read from the XML with one compiled query."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement

from jixiao.ingest.document import Paragraph, Table
from jixiao.ingest.readers.docx import read_docx


def _hyperlink(paragraph: object, text: str) -> None:
    """A w:hyperlink holding one run, as Word writes a link."""
    link = OxmlElement("w:hyperlink")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)  # type: ignore[attr-defined]


def _mixed(path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("项目名称：")
    _hyperlink(p, "城乡居民基本养老保险")
    p.add_run("补助\t资金")
    r = p.add_run("第一行")
    r.add_break()  # a line break: "\n"
    r.add_text("第二行")
    r.add_break(WD_BREAK.PAGE)  # a page break: nothing
    hyphen = OxmlElement("w:noBreakHyphen")
    r._r.append(hyphen)
    d.add_paragraph("")
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(0, 2).text = "分值"
    cell = table.cell(1, 0)
    cell.text = "数量指标"
    cell.add_paragraph("  ")
    cell.add_paragraph("参保人数")
    _hyperlink(table.cell(1, 1).paragraphs[0], "≥50万人")
    d.save(str(path))


def test_text_as_python_docx_gives_it(tmp_path: Path) -> None:
    path = tmp_path / "mixed.docx"
    _mixed(path)
    reference = docx.Document(str(path))
    doc, findings = read_docx(path)
    assert doc is not None and not findings
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert [p.text for p in paragraphs] == [p.text.strip() for p in reference.paragraphs if p.text.strip()]
    assert "\n" in paragraphs[0].text and "-" in paragraphs[0].text and "\t" in paragraphs[0].text
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.rows == [["合并", "", "分值"], ["数量指标 参保人数", "≥50万人", ""]]


def test_heading_style_kept(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("一、项目基本情况", level=1)
    d.add_paragraph("正文")
    path = tmp_path / "h.docx"
    d.save(str(path))
    doc, _ = read_docx(path)
    assert doc is not None
    assert [(b.text, b.heading) for b in doc.blocks if isinstance(b, Paragraph)] == [
        ("一、项目基本情况", True),
        ("正文", False),
    ]
