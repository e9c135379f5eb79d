"""Hostile upload files built in code, for the ingest sandbox tests and the web tests.

Each generator writes one file into the folder ``path`` and returns the file's path; the files are
small on disk (at most a few MB) but expensive to parse naively:

- :func:`high_ratio_docx` — about 1 MB holding about 190 MB of document XML, each member's
  compression ratio below ``limits.MAX_ZIP_RATIO`` so the ratio check alone lets it through;
- :func:`million_row_xlsx` — about 2.6 MB (30 MB of XML) holding one sheet of 1,000,000 rows, whose
  ``<dimension>`` says so; :func:`million_row_xlsx_no_dimension` — the same rows without it,
  :func:`lying_dimension_xlsx` — with one claiming ten rows;
- :func:`billion_laughs_docx`, :func:`billion_laughs_xlsx` — the classic nested-entity DTD;
- :func:`encrypted_pdf`, :func:`scanned_pdf` — a password-protected PDF and an image-only one;
- :func:`yaml_alias_bomb` — an evaluation file whose aliases expand to 9⁹ items when walked.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.ingest.encrypted import write_encrypted_pdf, write_image_pdf

__all__ = [
    "GENERATORS",
    "billion_laughs_docx",
    "billion_laughs_xlsx",
    "encrypted_pdf",
    "high_ratio_docx",
    "lying_dimension_xlsx",
    "million_row_xlsx",
    "million_row_xlsx_no_dimension",
    "scanned_pdf",
    "yaml_alias_bomb",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_DOC}" Target="word/document.xml"/>'
    "</Relationships>"
)
XLSX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_DOC}" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{S_NS}" xmlns:r="{R_NS}">'
    '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_RELS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
LAUGHS_DTD = (
    '<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{n} "{("&lol;" if n == 1 else f"&lol{n - 1};") * 10}">\n' for n in range(1, 10))
    + "]>\n"
)

HIGH_RATIO_XML_BYTES = 190 * 1024 * 1024
MILLION_ROWS = 1_000_000


def _docx(path: Path, document_xml: bytes | Iterator[bytes]) -> Path:
    """Write a minimal Word package whose ``word/document.xml`` is ``document_xml``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        zf.writestr("_rels/.rels", DOCX_RELS)
        if isinstance(document_xml, bytes):
            zf.writestr("word/document.xml", document_xml)
        else:
            with zf.open("word/document.xml", "w", force_zip64=True) as member:
                for chunk in document_xml:
                    member.write(chunk)
    return path


def _xlsx(path: Path, sheet_xml: bytes | Iterator[bytes]) -> Path:
    """Write a minimal one-sheet workbook package whose sheet XML is ``sheet_xml``."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", XLSX_CONTENT_TYPES)
        zf.writestr("_rels/.rels", XLSX_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        if isinstance(sheet_xml, bytes):
            zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        else:
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
                for chunk in sheet_xml:
                    member.write(chunk)
    return path


def _high_ratio_body() -> Iterator[bytes]:
    """About 190 MB of paragraphs: a repeated sentence, each paragraph numbered (ratio ~180)."""
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'.encode()
    filler = "本段为绩效评价报告正文内容。" * 40
    size = 0
    chunk: list[str] = []
    n = 0
    while size < HIGH_RATIO_XML_BYTES:
        n += 1
        para = f"<w:p><w:r><w:t>第{n}段：{filler}</w:t></w:r></w:p>"
        chunk.append(para)
        if len(chunk) == 2000:
            data = "".join(chunk).encode()
            size += len(data)
            chunk.clear()
            yield data
    yield b"</w:body></w:document>"


def high_ratio_docx(path: Path) -> Path:
    """``path/high-ratio.docx``: ~1 MB on disk, ~190 MB of XML, compression ratio below 200."""
    return _docx(path / "high-ratio.docx", _high_ratio_body())


def _million_rows(dimension: str | None) -> Iterator[bytes]:
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{S_NS}">'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'
    yield (head + "<sheetData>").encode()
    rows: list[str] = []
    for r in range(1, MILLION_ROWS + 1):
        rows.append(f"<row><c><v>{r}</v></c></row>")  # no r= attributes: ~30 MB of XML
        if len(rows) == 20_000:
            yield "".join(rows).encode()
            rows.clear()
    yield ("".join(rows) + "</sheetData></worksheet>").encode()


def million_row_xlsx(path: Path) -> Path:
    """``path/million-rows.xlsx``: one sheet of 1,000,000 numbered rows with its ``<dimension>``."""
    return _xlsx(path / "million-rows.xlsx", _million_rows(f"A1:A{MILLION_ROWS}"))


def million_row_xlsx_no_dimension(path: Path) -> Path:
    """``path/million-rows-nodim.xlsx``: the same rows, the sheet XML carrying no ``<dimension>``."""
    return _xlsx(path / "million-rows-nodim.xlsx", _million_rows(None))


def lying_dimension_xlsx(path: Path) -> Path:
    """``path/million-rows-lying.xlsx``: the same rows, the ``<dimension>`` claiming ``A1:A10``."""
    return _xlsx(path / "million-rows-lying.xlsx", _million_rows("A1:A10"))


def billion_laughs_docx(path: Path) -> Path:
    """``path/laughs.docx``: document.xml declares the nested-entity DTD and uses ``&lol9;``."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + LAUGHS_DTD
        + f'<w:document xmlns:w="{W_NS}"><w:body>'
        + "<w:p><w:r><w:t>项目名称：&lol9;</w:t></w:r></w:p>"
        + "</w:body></w:document>"
    )
    return _docx(path / "laughs.docx", xml.encode())


def billion_laughs_xlsx(path: Path) -> Path:
    """``path/laughs.xlsx``: the sheet XML declares the nested-entity DTD and uses ``&lol9;``."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + LAUGHS_DTD
        + f'<worksheet xmlns="{S_NS}"><dimension ref="A1"/><sheetData>'
        + '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        + "</sheetData></worksheet>"
    )
    return _xlsx(path / "laughs.xlsx", xml.encode())


def yaml_alias_bomb(path: Path) -> Path:
    """``path/laughs.yaml``: YAML aliases nested nine deep (9⁹ leaves once walked); 700 bytes."""
    lines = ["a0: &a0 [" + ", ".join(['"哈"'] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("project: *a9")
    target = path / "laughs.yaml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def encrypted_pdf(path: Path) -> Path:
    """``path/locked.pdf``: standard-security encryption with an unknown user password."""
    target = path / "locked.pdf"
    write_encrypted_pdf(target)
    return target


def scanned_pdf(path: Path) -> Path:
    """``path/scan.pdf``: one page holding only an image (no text layer)."""
    target = path / "scan.pdf"
    write_image_pdf(target)
    return target


GENERATORS: dict[str, Callable[[Path], Path]] = {
    "high_ratio_docx": high_ratio_docx,
    "million_row_xlsx": million_row_xlsx,
    "million_row_xlsx_no_dimension": million_row_xlsx_no_dimension,
    "lying_dimension_xlsx": lying_dimension_xlsx,
    "billion_laughs_docx": billion_laughs_docx,
    "billion_laughs_xlsx": billion_laughs_xlsx,
    "encrypted_pdf": encrypted_pdf,
    "scanned_pdf": scanned_pdf,
    "yaml_alias_bomb": yaml_alias_bomb,
}
"""Every generator by name."""
