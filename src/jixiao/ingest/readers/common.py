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


def check_zip(path: Path) -> Finding | None:
    """Refuse zip bombs before opening a .docx / .xlsx: member count, total size, ratio."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return problem("ingest.corrupt", "error", f"文件不是有效的 Office Open XML（zip）文档：{exc}", path)
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        return problem("ingest.zip-bomb", "error", f"压缩包成员过多（{len(infos)} 个），拒绝读取", path)
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
                f"压缩比异常（{info.filename} 解压后放大 {ratio} 倍），疑似压缩炸弹，拒绝读取",
                path,
            )
    if total > limits.MAX_ZIP_UNCOMPRESSED:
        return problem(
            "ingest.zip-bomb", "error", f"解压后总大小 {total // 1024 // 1024} MB 超过上限，拒绝读取", path
        )
    return None


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
