"""Typography of official documents (党政机关公文格式 GB/T 9704 practice) for python-docx.

Fonts are set through ``w:rFonts/@w:eastAsia`` — Word picks the Chinese font from that attribute,
not from ``w:ascii`` — and theme font attributes are removed, since they would override it.
The font table lists a fallback (``w:altName``) for each official font, so a machine without
方正小标宋 or 仿宋_GB2312 shows 宋体 / 仿宋.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from weakref import WeakKeyDictionary

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

LATIN_FONT = "Times New Roman"


@dataclass(frozen=True)
class Face:
    """An East-Asian font with its fallback, a size in points and weight, and the font for Latin text."""

    east_asia: str
    fallback: str
    size: float
    bold: bool = False
    latin: str = LATIN_FONT


# 字号: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt.
# The title's figures (“2022年度”) are set in 小标宋 too, as 公文 titles are: Times New Roman
# beside a heavy 宋 looks thin.
TITLE = Face("方正小标宋简体", "宋体", 22, latin="方正小标宋简体")
BODY = Face("仿宋_GB2312", "仿宋", 16)
HEADING_1 = Face("黑体", "黑体", 16)
HEADING_2 = Face("楷体_GB2312", "楷体", 16)
HEADING_3 = Face("仿宋_GB2312", "仿宋", 16, bold=True)
TABLE = Face("仿宋_GB2312", "仿宋", 10.5)
TABLE_HEAD = Face("黑体", "黑体", 10.5)
FOOTER = Face("宋体", "宋体", 14)

# style name → face; the names are python-docx's built-in ones so templates can restyle them.
STYLE_FACES: dict[str, Face] = {
    "Normal": BODY,
    "Title": TITLE,
    "Heading 1": HEADING_1,
    "Heading 2": HEADING_2,
    "Heading 3": HEADING_3,
    "Table Text": TABLE,
    "Table Heading": TABLE_HEAD,
    "Caption": Face("仿宋_GB2312", "仿宋", 12),
}
_PARAGRAPH_STYLES_TO_ADD = ("Table Text", "Table Heading")
_STYLE_IDS: WeakKeyDictionary[object, dict[str, str | None]] = WeakKeyDictionary()  # by document part


def add_paragraph(document: DocumentObject, text: str = "", style: str | None = None) -> Paragraph:
    """``document.add_paragraph`` with the style id looked up once per document.

    python-docx resolves a style name by scanning every style twice per paragraph, which made
    style lookups the largest cost of a report; the id of each name is cached here instead (a
    document made from the built-in template starts with the template's ids, see ``share_style_ids``).
    """
    paragraph = document.add_paragraph(text)
    if style is not None:
        known = _STYLE_IDS.setdefault(document.part, {})
        if style not in known:
            known[style] = _style_id(document, style, known)
        paragraph._p.style = known[style]
    return paragraph


_DEFAULT = "\0default"  # the key of the default paragraph style's id in a document's cached ids


def _style_id(document: DocumentObject, style: str, known: dict[str, str | None]) -> str | None:
    """The id to set for ``style``: None for the default paragraph style (Word's own convention)."""
    if _DEFAULT not in known:
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        known[_DEFAULT] = default.style_id if default is not None else None
    found = document.styles[style].style_id
    return None if found == known[_DEFAULT] else found


def style_ids(document: DocumentObject, names: Iterable[str]) -> dict[str, str | None]:
    """The ids ``add_paragraph`` sets for these style names in ``document`` (looked up now)."""
    known = _STYLE_IDS.setdefault(document.part, {})
    for name in names:
        if name not in known:
            known[name] = _style_id(document, name, known)
    return dict(known)


def share_style_ids(document: DocumentObject, ids: dict[str, str | None]) -> None:
    """Start ``document``'s cache with ids found in an identical template (``style_ids``)."""
    _STYLE_IDS.setdefault(document.part, {}).update(ids)


def set_east_asian_font(rpr_parent: object, face: Face) -> None:
    """Set fonts (Latin + ``w:eastAsia``), size and bold on a run or a style."""
    font = rpr_parent.font  # type: ignore[attr-defined]
    font.name = face.latin
    font.size = Pt(face.size)
    font.bold = face.bold
    element = rpr_parent.element if isinstance(rpr_parent, BaseStyle) else rpr_parent._r  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), face.latin)
    rfonts.set(qn("w:hAnsi"), face.latin)
    rfonts.set(qn("w:eastAsia"), face.east_asia)
    rfonts.set(qn("w:cs"), face.latin)


@cache
def _run_properties(face: Face, bold: bool | None) -> bytes:
    """The ``w:rPr`` of a face as XML (built once per face; copying is much faster than the API)."""
    rpr = OxmlElement("w:rPr")
    rfonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), face.latin)
    rfonts.set(qn("w:eastAsia"), face.east_asia)
    rpr.append(rfonts)
    if bold if bold is not None else face.bold:
        rpr.append(OxmlElement("w:b"))
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(round(face.size * 2)))  # half-points
        rpr.append(size)
    data: bytes = etree.tostring(rpr)
    return data


def run_properties_xml(face: Face) -> str:
    """The ``w:rPr`` of a face as XML text without namespace declarations (for tables written as XML)."""
    bold = "<w:b/>" if face.bold else ""
    size = round(face.size * 2)
    return (
        f'<w:rPr><w:rFonts w:ascii="{face.latin}" w:hAnsi="{face.latin}" w:cs="{face.latin}" '
        f'w:eastAsia="{face.east_asia}"/>{bold}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


def styled_run(paragraph: Paragraph, text: str, face: Face | None = None, *, bold: bool | None = None) -> Run:
    """Add a run; with a face, its fonts (Latin + ``w:eastAsia``), size and weight are set explicitly."""
    if face is None:
        run = paragraph.add_run(text)
        if bold is not None:
            run.font.bold = bold
        return run
    r = OxmlElement("w:r")
    r.append(parse_xml(_run_properties(face, bold)))
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    paragraph._p.append(r)
    return Run(r, paragraph)


def setup_styles(document: DocumentObject, *, keep_existing: bool = False) -> None:
    """Give the document the official styles; with ``keep_existing`` (a user template) only add missing ones."""
    styles = document.styles
    names = {s.name for s in styles}
    for name, face in STYLE_FACES.items():
        if name in names and keep_existing:
            continue
        if name not in names:
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style = styles[name]
        set_east_asian_font(style, face)
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        if name.startswith("Table"):
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == "Table Heading" else None
        elif name == "Caption":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.first_line_indent = Pt(0)
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(28)  # 公文: 每页 22 行, 固定值 28 磅
            if name == "Title":
                fmt.first_line_indent = Pt(0)
                fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
                fmt.line_spacing = Pt(36)
                fmt.space_after = Pt(16)
            elif name == "Normal":
                fmt.first_line_indent = Pt(32)  # 首行缩进两字
            else:
                fmt.first_line_indent = Pt(32)
                fmt.keep_with_next = True
        if name == "Title":
            _remove_borders(style)
    register_font_fallbacks(document)


def _remove_borders(style: BaseStyle) -> None:
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)


def register_font_fallbacks(document: DocumentObject) -> None:
    """List the official fonts in the font table with their fallbacks (``w:altName``) and GB2312 charset."""
    try:
        part = next(
            rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
        )
    except StopIteration:
        return
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    faces = {f.east_asia: f for f in (*STYLE_FACES.values(), FOOTER)}
    for name, face in faces.items():
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        if face.fallback != name:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), face.fallback)
            font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if name == "黑体" else "roman")
        font.append(family)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def setup_page(section: Section, *, landscape: bool) -> None:
    """A4, portrait with 公文 margins or landscape for forms."""
    width, height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
        section.top_margin = section.bottom_margin = Cm(2.0)
        section.left_margin = section.right_margin = Cm(2.0)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def add_page_numbers(section: Section) -> None:
    """Centre a ``— 1 —`` page number (a PAGE field) in the footer, 宋体 四号."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    styled_run(paragraph, "— ", FOOTER)
    run = styled_run(paragraph, "", FOOTER)
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {"xml:space": "preserve"}),
        ("w:fldChar", {"w:fldCharType": "separate"}),
        ("w:t", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if tag == "w:instrText":
            element.text = " PAGE "
        if tag == "w:t":
            element.text = "1"
        run._r.append(element)
    styled_run(paragraph, " —", FOOTER)


def has_page_field(section: Section) -> bool:
    """True when the section's footer already holds a PAGE field (a template's own numbering)."""
    xml = section.footer._element.xml if not section.footer.is_linked_to_previous else ""
    return "PAGE" in xml
