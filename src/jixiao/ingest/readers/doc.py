"""Reader for Word 97-2003 .doc (OLE): converted to .docx by LibreOffice when it is installed.

Without LibreOffice the reader says so ("请另存为 .docx") instead of guessing at the binary format.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from jixiao.findings import Finding
from jixiao.ingest.document import Document
from jixiao.ingest.readers.common import problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONVERT_TIMEOUT = 90


def read_doc(path: Path) -> tuple[Document | None, list[Finding]]:
    """Convert an OLE .doc with LibreOffice (headless, private profile) and read the .docx."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK"):
        from jixiao.ingest.readers.docx import read_docx

        return read_docx(path)  # a .docx saved with the old extension
    if head != OLE_MAGIC:
        return None, [problem("ingest.corrupt", "error", "文件扩展名为 .doc，但内容不是 Word 文档", path)]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None, [
            problem(
                "ingest.doc-unsupported",
                "error",
                "旧版 Word（.doc）无法直接读取，请另存为 .docx 后再导入",
                path,
            )
        ]
    with tempfile.TemporaryDirectory(prefix="jixiao-doc-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(path.resolve()),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except (subprocess.TimeoutExpired, OSError) as exc:
            return None, [
                problem(
                    "ingest.doc-unsupported",
                    "error",
                    f"转换 .doc 失败（{type(exc).__name__}），请另存为 .docx 后再导入",
                    path,
                )
            ]
        out = Path(tmp) / (path.stem + ".docx")
        if not out.exists():
            return None, [
                problem("ingest.doc-unsupported", "error", "转换 .doc 失败，请另存为 .docx 后再导入", path)
            ]
        from jixiao.ingest.readers.docx import read_docx

        doc, findings = read_docx(out)
    if doc is not None:
        doc.file = str(path)
        doc.format = "doc"
    note = problem("ingest.converted", "info", "旧版 Word（.doc）已用 LibreOffice 转换为 .docx 后读取", path)
    return doc, [note, *findings]
