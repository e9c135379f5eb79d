"""Helpers shared by the readers: findings with the file as source, zip inspection, decoding."""

from __future__ import annotations

import zipfile
from pathlib import Path

from jixiao.findings import Finding, Severity, finding
from jixiao.ingest import limits
from jixiao.model import Source


def problem(code: str, severity: Severity | str, message: str, path: Path | str) -> Finding:
    """A finding about the document file itself."""
    return finding(code, severity, message, source=Source(file=str(path)))


# a compound (OLE) file: a legacy .doc/.xls, or an Office file encrypted with a password
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def not_a_zip_message(path: Path) -> str:
    """Why a .docx / .xlsx is not a readable zip package, in Chinese (no library text)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(OLE_MAGIC))
    except OSError:
        head = b""
    if head == OLE_MAGIC:
        return (
            "文件不是有效的 Word/Excel 文档：它设置了打开密码（已加密），或是旧版 Word/Excel 97-2003 "
            "格式的文件改了扩展名；请解除密码或另存为新版格式后重试"
        )
    return "文件不是有效的 Word/Excel 文档：文件已损坏、不完整，或扩展名与内容不符"


def check_zip(path: Path) -> Finding | None:
    """Refuse zip bombs before opening a .docx / .xlsx: member count, total size, ratio.

    The caps are read from :mod:`jixiao.ingest.limits` at each call, so a caller (the upload
    sandbox) may lower them, e.g. ``limits.MAX_ZIP_UNCOMPRESSED`` for web uploads.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return problem("ingest.corrupt", "error", not_a_zip_message(path), path)
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        return problem(
            "ingest.zip-bomb",
            "error",
            f"压缩包成员过多（{len(infos)} 个，上限 {limits.MAX_ZIP_MEMBERS} 个），拒绝读取",
            path,
        )
    total = 0
    for info in infos:
        total += info.file_size
        if (
            info.file_size > 1024 * 1024
            and info.compress_size
            and info.file_size / info.compress_size > limits.MAX_ZIP_RATIO
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            return problem(
                "ingest.zip-bomb",
                "error",
                f"压缩比异常（其中一个部件解压后放大 {ratio} 倍），疑似压缩炸弹，拒绝读取",
                path,
            )
    if total > limits.MAX_ZIP_UNCOMPRESSED:
        return problem(
            "ingest.zip-bomb",
            "error",
            f"解压后总大小 {_mb(total)} 超过上限（{_mb(limits.MAX_ZIP_UNCOMPRESSED)}），拒绝读取",
            path,
        )
    return None


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and its causes / contexts (each once, at most 20)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def failure_reason(exc: BaseException) -> str:
    """Why a document library failed on a file, in Chinese, without the library's own text.

    The reason is inferred from the exception's kind (and its causes): forbidden XML entities,
    a broken zip, malformed XML, a missing package part — else "damaged or unrecognised".
    """
    chain = _causes(exc)
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain).lower()
    if names & {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"} or (
        "entit" in text and ("amplification" in text or "forbidden" in text or "loop" in text)
    ):
        reason = "文件内含 XML 实体声明（DTD，疑似“XML 实体炸弹”），出于安全原因拒绝读取"
    elif any(isinstance(e, zipfile.BadZipFile | zipfile.LargeZipFile | EOFError) for e in chain):
        reason = "压缩包结构损坏或不完整"
    elif names & {"XMLSyntaxError", "ParseError", "ExpatError"}:
        reason = "文件内部的 XML 格式错误，文件可能已损坏"
    elif names & {"PackageNotFoundError", "KeyError", "InvalidFileException"}:
        reason = "文件缺少必需的组成部分，可能不是办公软件保存的 Word/Excel 文档，或已损坏"
    elif any(isinstance(e, MemoryError) for e in chain):
        reason = "打开文件所需内存过大"
    else:
        reason = "文件已损坏或格式无法识别"
    return reason


def open_failure(what: str, exc: BaseException) -> str:
    """``无法打开{what}：{reason}`` — ``what`` names the document (``"Word 文档"``, ``"Excel 文件"``)."""
    space = " " if what[:1].isascii() else ""
    return f"无法打开{space}{what}：{failure_reason(exc)}"


def decode_text(data: bytes, path: Path) -> tuple[str | None, list[Finding]]:
    """Decode text bytes: UTF-8 (with or without BOM), else GB18030, else the best guess."""
    findings: list[Finding] = []
    sample = data[:65536]
    if (
        sample
        and (sample.count(b"\x00") > len(sample) // 20)
        and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        return None, [problem("ingest.binary", "error", "文件内容是二进制数据，不是文本", path)]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), findings
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), findings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        findings.append(problem("ingest.encoding", "info", "文本不是 UTF-8，已按 GB18030（GBK）解码", path))
        return text, findings
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 2 * 1024 * 1024]).best()
    if best is None:
        return None, [problem("ingest.encoding", "error", "无法识别文本编码", path)]
    findings.append(
        problem("ingest.encoding", "warning", f"文本编码不明，按 {best.encoding} 解码，可能有乱码", path)
    )
    return data.decode(best.encoding, errors="replace"), findings
