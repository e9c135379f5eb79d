"""Uploaded files: size and type checked on receipt, parsed or inspected in a bounded child process.

Nothing here parses a file in the server process: a hostile upload (a decompression bomb, a
million-row sheet, nested XML entities) costs one capped child process, never the server's
memory or its ability to answer other users.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.datastructures import FormData, UploadFile

from jixiao.api import ListRow, read_project_list
from jixiao.batch.sandbox import (
    EVIDENCE_TYPES,
    ParsedPart,
    ParsePool,
    SandboxError,
    inspect_evidence,
    parse_upload,
)
from jixiao.store.queries import StoreError
from jixiao.web.settings import Settings

if TYPE_CHECKING:
    from jixiao.web.deps import AppState

__all__ = [
    "EVIDENCE_REFUSED",
    "EVIDENCE_TYPES",
    "IMPORT_REFUSED",
    "ParsedPart",
    "check_evidence",
    "new_pool",
    "parse_import",
    "received",
    "run_sandboxed",
]

T = TypeVar("T")

MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
IMPORT_REFUSED = "只能导入 Excel 自评表（.xlsx）、Word（.docx）、PDF、网页、文本或评价文件（.yaml/.json）"
EVIDENCE_REFUSED = "不允许的文件类型：只能上传 PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG、TXT"


def received(
    settings: Settings,
    form: FormData,
    allowed: Mapping[str, Any] | tuple[str, ...],
    *,
    verb: str,
    refused: str,
) -> tuple[str, str, bytes]:
    """The posted ``file``: its safe name, lower-case suffix and bytes, or a Chinese ``StoreError``.

    ``verb`` names the action in the messages (导入 / 上传); ``refused`` says which types are accepted.
    """
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise StoreError(f"请选择要{verb}的文件")
    name = Path(upload.filename.replace("\\", "/")).name[:300] or "未命名文件"
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise StoreError(refused)
    limit = settings.max_upload_bytes
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        raise StoreError(f"文件过大：不能超过 {limit // (1024 * 1024)} MB")
    if not content:
        raise StoreError("文件是空的")
    if suffix in MAGIC and not content.startswith(MAGIC[suffix]):
        raise StoreError("文件内容与扩展名不符")
    return name, suffix, content


def new_pool(settings: Settings) -> ParsePool:
    """The app's pool of parsing slots (web uploads: the lowered decompression caps)."""
    return ParsePool(
        settings.parse_workers,
        timeout=settings.parse_timeout_seconds,
        memory_bytes=settings.parse_memory_mb * 1024 * 1024,
    )


def _isolated(app: AppState, func: Any, suffix: str, content: bytes) -> Any:
    with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            return app.parse_pool.run(func, path)
        except SandboxError as exc:
            raise StoreError(exc.message) from None


def run_sandboxed(app: AppState, func: Callable[[Path], T], suffix: str, content: bytes) -> T:
    """``func(path)`` of the uploaded ``content`` in a bounded child process (``func`` must be a
    module-level function returning plain data); a Chinese ``StoreError`` when the child is killed."""
    result: T = _isolated(app, func, suffix, content)
    return result


def parse_import(app: AppState, suffix: str, content: bytes) -> list[ParsedPart]:
    """Every evaluation an uploaded import holds, parsed in a bounded child process."""
    parts: list[ParsedPart] = _isolated(app, parse_upload, suffix, content)
    if not parts:
        raise StoreError("无法从文件中读出评价：文件中没有找到评价内容")
    return parts


PROJECT_LIST_TYPES = (".xlsx", ".xls")
PROJECT_LIST_REFUSED = "项目清单只能是 Excel 文件（.xlsx 或 .xls）"


def parse_project_list(app: AppState, suffix: str, content: bytes) -> tuple[list[ListRow], list[str]]:
    """The rows of an uploaded project list (项目名称, 实施单位), read in a bounded child process."""
    result: tuple[list[ListRow], list[str]] = _isolated(app, read_project_list, suffix, content)
    return result


def check_evidence(app: AppState, suffix: str, content: bytes) -> None:
    """Refuse an evidence file that is not a valid document of its type (checked in a child process)."""
    problem: str | None = _isolated(app, inspect_evidence, suffix, content)
    if problem:
        raise StoreError(problem)
