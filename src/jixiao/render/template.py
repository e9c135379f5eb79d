"""Word templates: the built-in official one, or a bureau's own ``.docx`` checked before use.

A user template keeps its styles, page set-up, headers and footers; its body is replaced by the
generated content.  Styles the content needs but the template lacks are added with the official
typography.  Anything that is not a sound Word document gives a ``RenderError`` in Chinese.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from jixiao.render.errors import RenderError
from jixiao.render.typography import STYLE_FACES, setup_styles, share_style_ids, style_ids

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # the file on disk
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all parts once unzipped
MAX_RATIO = 200  # unzipped / zipped size of one part: beyond this it is a zip bomb
MAX_PARTS = 2000


@cache
def _builtin_bytes() -> bytes:
    document = docx.Document()
    setup_styles(document)
    _clear_body(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def _builtin_style_ids() -> dict[str, str | None]:
    """The style ids of the built-in template's styles (every document made from it has the same)."""
    return style_ids(docx.Document(io.BytesIO(_builtin_bytes())), STYLE_FACES)


def new_document(template: Path | None) -> DocumentObject:
    """A blank document with the official styles, from the built-in template or a checked user template."""
    if template is None:
        document = docx.Document(io.BytesIO(_builtin_bytes()))
        share_style_ids(document, _builtin_style_ids())
        return document
    data = read_template(template)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on malformed packages
        raise RenderError(f"模板文件 {template.name} 无法作为 Word 文档打开：{_reason(exc)}") from exc
    _clear_body(document)
    try:
        setup_styles(document, keep_existing=True)
    except Exception as exc:
        raise RenderError(f"模板文件 {template.name} 的样式无法使用：{_reason(exc)}") from exc
    return document


def read_template(template: Path) -> bytes:
    """The bytes of a user template after checking it is a reasonable ``.docx`` (size, zip, parts)."""
    name = template.name
    if not template.exists():
        raise RenderError(f"模板文件 {template} 不存在")
    if not template.is_file():
        raise RenderError(f"模板 {template} 不是文件")
    size = template.stat().st_size
    if size > MAX_TEMPLATE_BYTES:
        raise RenderError(f"模板文件 {name} 过大（{size // 1024 // 1024} MB），上限 20 MB")
    data = template.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RenderError(
            f"模板文件 {name} 不是 Word 文档（.docx）：文件不是 zip 格式；旧版 .doc 请先另存为 .docx"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_PARTS:
                raise RenderError(f"模板文件 {name} 含有过多部件（{len(infos)} 个），不像 Word 文档")
            total = sum(info.file_size for info in infos)
            if total > MAX_UNPACKED_BYTES:
                raise RenderError(
                    f"模板文件 {name} 解压后过大（{total // 1024 // 1024} MB），疑似压缩炸弹，已拒绝"
                )
            for info in infos:
                if (
                    info.compress_size
                    and info.file_size / info.compress_size > MAX_RATIO
                    and info.file_size > 1 << 20
                ):
                    raise RenderError(
                        f"模板文件 {name} 的部件 {info.filename} 压缩比异常，疑似压缩炸弹，已拒绝"
                    )
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise RenderError(f"模板文件 {name} 不是 Word 文档（.docx）：缺少 word/document.xml")
            if "word/vbaProject.bin" in names:
                raise RenderError(f"模板文件 {name} 含有宏（vbaProject.bin），请另存为不含宏的 .docx")
            bad = archive.testzip()
            if bad is not None:
                raise RenderError(f"模板文件 {name} 已损坏：部件 {bad} 校验失败")
    except zipfile.BadZipFile as exc:
        raise RenderError(f"模板文件 {name} 已损坏：{exc}") from exc
    return data


def _clear_body(document: DocumentObject) -> None:
    """Remove the body's content, keeping the final section properties (page set-up, headers, footers)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]
