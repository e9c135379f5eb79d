"""What the sandbox runs on an uploaded file, in the child process (see :mod:`jixiao.batch.sandbox`).

:func:`parse_upload` reads an import (``api.load_all``) into plain, picklable data;
:func:`inspect_evidence` / :func:`check_evidence` say whether an evidence file opens as what it
claims to be. Both never raise on bad input: problems are Chinese findings or messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.findings import Finding
    from jixiao.loader import Loaded

__all__ = [
    "EVIDENCE_SUFFIXES",
    "EVIDENCE_TYPES",
    "EvidenceCheck",
    "ParsedPart",
    "check_evidence",
    "inspect_evidence",
    "parse_upload",
]


# ---------------------------------------------------------------- imports (run in the child)


@dataclass(frozen=True)
class ParsedPart:
    """One evaluation a file holds, as plain picklable data (what ``api.load_all`` gives, flattened).

    ``evaluation`` is ``serialize.evaluation_data`` (None when the file
    gave none); each finding is ``Finding.model_dump(mode="json", exclude_none=True)`` — at least
    ``code``, ``severity`` and ``message``.
    """

    file: str
    part: str | None
    evaluation: dict[str, Any] | None
    findings: list[dict[str, Any]] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)

    @property
    def messages(self) -> list[str]:
        """The findings' messages (Chinese), most severe first as loaded."""
        return [str(f.get("message", "")) for f in self.findings]

    @property
    def codes(self) -> list[str]:
        """The findings' codes."""
        return [str(f.get("code", "")) for f in self.findings]

    def to_loaded(self) -> Loaded:
        """Back to an :class:`api.Loaded` (validates the data again, in the calling process).

        The evaluation equals the one parsed except in its free-form blocks (``pension``), where
        decimals come back as text; ``jixiao.pension`` validates them again, so scores and audits
        are the same.
        """
        from jixiao.findings import Finding
        from jixiao.loader import Loaded
        from jixiao.model import Evaluation

        evaluation = None if self.evaluation is None else Evaluation.model_validate(self.evaluation)
        findings = [Finding.model_validate(f) for f in self.findings]
        return Loaded(self.file, evaluation, findings, dict(self.line_of), self.part)


def _precheck(path: Path) -> Finding | None:
    """The cheap refusals before ``load_all``: it may open a workbook outside the ingest readers.

    (A jixiao 自评表 is read by ``ingest.readers.form`` with a full openpyxl load, so the zip and
    sheet-dimension caps are applied here too.)
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from jixiao.ingest.readers.xlsx import bounded_sizing, check_xlsx

        bounded_sizing()
        return check_xlsx(path)
    if suffix == ".docx":
        from jixiao.ingest.readers.common import check_zip

        return check_zip(path)
    return None


def parse_upload(path: Path) -> list[ParsedPart]:
    """Every evaluation an uploaded import holds (``api.load_all``), as plain data; never raises on bad input.

    Runs in the sandbox child (``run_isolated(parse_upload, path, ...)`` or
    ``ParsePool.parse_upload``); also callable in-process.
    """
    from jixiao import api
    from jixiao.serialize import evaluation_data, finding_data

    p = Path(path)
    refused = _precheck(p) if p.is_file() else None
    if refused is not None:
        return [ParsedPart(str(p), None, None, [finding_data(refused)])]
    return [
        ParsedPart(
            file=loaded.file,
            part=loaded.part,
            evaluation=None
            if loaded.evaluation is None
            else evaluation_data(loaded.evaluation, keep_empty=True),
            findings=[finding_data(f) for f in loaded.findings],
            line_of=dict(loaded.line_of),
        )
        for loaded in api.load_all(p)
    ]


# ---------------------------------------------------------------- evidence (run in the child)

EVIDENCE_TYPES = {  # the evidence files accepted, with the media type they are served as
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
}
EVIDENCE_SUFFIXES = tuple(EVIDENCE_TYPES)
MAX_EVIDENCE_SHEETS = 100  # sheets of an evidence workbook whose first row is read


@dataclass(frozen=True)
class EvidenceCheck:
    """What opening an evidence file showed: a ``problem`` (refuse it), else an optional ``note``."""

    problem: str | None = None
    note: str | None = None  # e.g. an encrypted PDF: accepted, but it cannot be previewed
    pages: int | None = None  # PDF pages, workbook sheets


def check_evidence(path: Path) -> EvidenceCheck:
    """Open an evidence file (佐证材料) just enough to prove it is what its suffix says.

    .docx/.xlsx: zip caps, then the package opens (python-docx; openpyxl read-only, reading only
    the first row of each sheet); .pdf: pypdfium2 opens it and counts pages (an encrypted PDF is accepted with a
    note); .jpg/.png: Pillow identifies and verifies it; .txt: it decodes as text.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        size = p.stat().st_size
    except OSError:
        return EvidenceCheck(problem="文件不存在或无法读取")
    if size == 0:
        return EvidenceCheck(problem="文件是空的")
    if suffix == ".docx":
        return _check_docx(p)
    if suffix == ".xlsx":
        return _check_xlsx(p)
    if suffix == ".pdf":
        return _check_pdf(p)
    if suffix in (".jpg", ".jpeg", ".png"):
        return _check_image(p, "PNG" if suffix == ".png" else "JPEG")
    if suffix == ".txt":
        return _check_text(p)
    return EvidenceCheck(problem=f"不支持的文件类型“{suffix[:20]}”")


def inspect_evidence(path: Path) -> str | None:
    """None when an evidence file opens as what it claims to be, else the problem (Chinese).

    See :func:`check_evidence` (which also gives notes, such as "encrypted PDF").
    """
    return check_evidence(path).problem


def _check_docx(path: Path) -> EvidenceCheck:
    from jixiao.ingest.readers.common import check_zip, open_failure

    bad = check_zip(path)
    if bad is not None:
        return EvidenceCheck(problem=bad.message)
    import docx

    try:
        document = docx.Document(str(path))
        del document
    except MemoryError:
        raise
    except Exception as exc:  # python-docx raises many kinds on malformed packages
        return EvidenceCheck(problem=open_failure("Word 文档", exc))
    return EvidenceCheck()


def _check_xlsx(path: Path) -> EvidenceCheck:
    from jixiao.ingest.readers.common import check_zip, failure_reason, open_failure
    from jixiao.ingest.readers.xlsx import open_workbook

    bad = check_zip(path)
    if bad is not None:
        return EvidenceCheck(problem=bad.message)
    try:
        wb = open_workbook(path)
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed packages
        return EvidenceCheck(problem=open_failure("Excel 文件", exc))
    try:
        sheets = wb.worksheets
        for ws in sheets[:MAX_EVIDENCE_SHEETS]:  # the first row of each: the sheet XML parses (safely)
            next(iter(ws.iter_rows(min_row=1, max_row=1, max_col=1)), None)
    except MemoryError:
        raise
    except Exception as exc:  # a sheet whose XML is malformed or declares entities
        return EvidenceCheck(problem=f"无法读取 Excel 文件中的工作表：{failure_reason(exc)}")
    finally:
        wb.close()
    if not sheets:
        return EvidenceCheck(problem="Excel 文件中没有工作表")
    return EvidenceCheck(pages=len(sheets))


def _check_pdf(path: Path) -> EvidenceCheck:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        return EvidenceCheck(problem="文件扩展名为 .pdf，但内容不是 PDF")
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            return EvidenceCheck(note="PDF 已加密（需要密码才能打开），系统无法预览其内容")
        return EvidenceCheck(problem="无法打开 PDF：文件已损坏或格式无法识别")
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages == 0:
        return EvidenceCheck(problem="PDF 中没有页面")
    return EvidenceCheck(pages=pages)


def _check_image(path: Path, expected: str) -> EvidenceCheck:
    import warnings

    try:
        from PIL import Image
    except ImportError:  # no Pillow: the magic bytes the web app checked must do
        return EvidenceCheck()
    label = "PNG" if expected == "PNG" else "JPG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                found = img.format
                width, height = img.size
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return EvidenceCheck(problem="图片像素数过大，疑似异常文件，拒绝上传")
    except MemoryError:
        raise
    except Exception:  # UnidentifiedImageError, truncated or corrupt data
        return EvidenceCheck(problem=f"无法识别图片：文件不是有效的 {label} 图片，或已损坏")
    if found != expected:
        actual = f"{str(found).replace('JPEG', 'JPG')} 格式" if found else "未知格式"
        return EvidenceCheck(problem=f"图片格式与扩展名不符：扩展名是 {label}，内容是 {actual}")
    if width <= 0 or height <= 0:
        return EvidenceCheck(problem="图片尺寸无效")
    return EvidenceCheck()


def _check_text(path: Path) -> EvidenceCheck:
    from jixiao.ingest import limits
    from jixiao.ingest.readers.common import decode_text

    if path.stat().st_size > limits.MAX_TEXT_BYTES:
        return EvidenceCheck(problem=f"文本文件过大（超过 {limits.MAX_TEXT_BYTES // (1024 * 1024)} MB）")
    text, findings = decode_text(path.read_bytes(), path)
    if text is None:
        return EvidenceCheck(problem=findings[0].message if findings else "无法识别文本编码")
    return EvidenceCheck()
