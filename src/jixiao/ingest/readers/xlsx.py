"""Reader for .xlsx / .xlsm (openpyxl): one table per sheet; merged cells keep their first cell.

A workbook is bounded before and while it is read:

- :func:`check_xlsx` runs before openpyxl opens the file: the zip caps (:func:`check_zip`), then
  each worksheet's ``<dimension ref="A1:Z1000000"/>``, read from the first KB of the sheet XML,
  so a sheet claiming more than ``limits.MAX_SHEET_DIMENSION_ROWS`` rows is refused unread;
- rows are read lazily and at most ``limits.MAX_SHEET_ROWS`` of them (columns at most
  ``limits.MAX_SHEET_COLUMNS``), whatever the dimension says — it may be missing or false
  (``ws.max_row`` / ``ws.max_column`` are only the dimension's claim in read-only mode);
- openpyxl's read-only worksheet, when a sheet has no dimension, parses the whole sheet to look
  for one as it opens the workbook; :func:`bounded_sizing` replaces that probe by one reading
  only the head of the sheet XML (same result, no scan).
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.findings import Finding
from jixiao.ingest import limits
from jixiao.ingest.document import Block, Document, Table
from jixiao.ingest.readers.common import check_zip, failure_reason, open_failure, problem

HEAD_BYTES = 64 * 1024  # how much of a sheet's XML is read to find its <dimension>
_NAME = r"(?:[A-Za-z_][\w.-]*:)?"
_DIMENSION = re.compile(rf"<{_NAME}dimension\b[^>]*?\bref\s*=\s*([\"'])(.*?)\1", re.S)
_SHEET_DATA = re.compile(rf"<{_NAME}sheetData\b")
_LAST_ROW = re.compile(r"(\d+)\s*$")
_WORKSHEET_MEMBER = re.compile(r"(?:^|/)worksheets/[^/]+\.xml$", re.I)
_WORKSHEET_TYPE = "/worksheet"
_OFFICE_DOCUMENT_TYPE = "/officeDocument"
_SMALL_PART = 4 * 1024 * 1024  # workbook.xml and its rels are parsed only when smaller than this


def cell_text(value: object) -> str:
    """Text of a spreadsheet value: floats without binary noise, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()[: limits.MAX_CELL_CHARS]


def _head_text(zf: zipfile.ZipFile, member: str) -> str:
    """The first ``HEAD_BYTES`` of a member, decompressed as a stream and decoded leniently."""
    with zf.open(member) as fh:
        head = fh.read(HEAD_BYTES)
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    return head.decode(encoding, errors="ignore")


def dimension_ref(zf: zipfile.ZipFile, member: str) -> str | None:
    """The ``ref`` of a worksheet's ``<dimension>`` when it comes before ``<sheetData>``, else None.

    Only the head of the member is decompressed: a sheet of a million rows costs a few KB.
    """
    text = _head_text(zf, member)
    found = _DIMENSION.search(text)
    if found is None:
        return None
    data = _SHEET_DATA.search(text)
    if data is not None and data.start() < found.start():
        return None  # a "dimension" inside the data is not the sheet's
    return found.group(2).strip()


def _claimed_rows(ref: str | None) -> int | None:
    """The last row a dimension ref names (``A1:Z1000000`` → 1000000), None when it names none."""
    if not ref:
        return None
    found = _LAST_ROW.search(ref)
    return int(found.group(1)) if found else None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_small(zf: zipfile.ZipFile, member: str) -> Any:
    """A small XML part parsed with defusedxml (no entities), or None when absent, big or malformed."""
    from defusedxml.ElementTree import fromstring

    try:
        if zf.getinfo(member).file_size > _SMALL_PART:
            return None
        return fromstring(zf.read(member))
    except Exception:  # absent, malformed or forbidden: the titles fall back to member names
        return None


def _relationships(zf: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, member path resolved against ``base``) of a ``.rels`` part."""
    root = _parse_small(zf, rels)
    out: dict[str, tuple[str, str]] = {}
    if root is None:
        return out
    for el in root.iter():
        if _local(el.tag) == "Relationship" and el.get("Id") and el.get("Target"):
            target = str(el.get("Target"))
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            out[str(el.get("Id"))] = (str(el.get("Type") or ""), posixpath.normpath(resolved))
    return out


def worksheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, member) of every worksheet in the package, in workbook order.

    Titles come from ``workbook.xml`` through its relationships; a worksheet member the workbook
    does not name (or a workbook that cannot be read) is listed under its member name.
    """
    names = set(zf.namelist())
    office = [
        m for t, m in _relationships(zf, "_rels/.rels", "").values() if t.endswith(_OFFICE_DOCUMENT_TYPE)
    ]
    workbook = office[0] if office else "xl/workbook.xml"
    base = posixpath.dirname(workbook)
    rels = _relationships(zf, posixpath.join(base, "_rels", posixpath.basename(workbook) + ".rels"), base)
    out: list[tuple[str, str]] = []
    root = _parse_small(zf, workbook) if workbook in names else None
    if root is not None:
        for el in root.iter():
            if _local(el.tag) != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id" and k.startswith("{")), None)
            kind, member = rels.get(str(rid), ("", ""))
            if kind.endswith(_WORKSHEET_TYPE) and member in names:
                out.append((str(el.get("name") or member), member))
    listed = {member for _, member in out}
    out.extend(
        (posixpath.basename(m), m) for m in sorted(names) if _WORKSHEET_MEMBER.search(m) and m not in listed
    )
    return out


def check_xlsx(path: Path) -> Finding | None:
    """Refuse a workbook before openpyxl opens it: zip caps, then sheets claiming too many rows."""
    bad = check_zip(path)
    if bad is not None:
        return bad
    try:
        with zipfile.ZipFile(path) as zf:
            for title, member in worksheet_parts(zf):
                rows = _claimed_rows(dimension_ref(zf, member))
                if rows is not None and rows > limits.MAX_SHEET_DIMENSION_ROWS:
                    return problem(
                        "ingest.too-large",
                        "error",
                        f"工作表“{title[:100]}”有 {rows} 行，超过上限 {limits.MAX_SHEET_DIMENSION_ROWS} 行，"
                        "拒绝读取；请删去无关数据（只保留绩效自评表等需要的工作表）后重新保存",
                        path,
                    )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, RuntimeError) as exc:
        return problem("ingest.corrupt", "error", open_failure("Excel 文件", exc), path)
    return None


def _bounded_get_size(self: Any) -> None:
    """``ReadOnlyWorksheet._get_size`` reading only the head of the sheet XML.

    openpyxl's own probe parses with end events and stops at the *end* of ``<sheetData>``: on a
    sheet without a dimension it parses every row as the workbook opens. This one finds the same
    dimension (which must precede ``<sheetData>``) from the first KB.
    """
    from openpyxl.utils.cell import range_boundaries

    ref = dimension_ref(self.parent._archive, self._worksheet_path)
    if not ref:
        return
    with contextlib.suppress(ValueError, TypeError):  # an invalid ref: unsized, as if it had none
        self._min_column, self._min_row, self._max_column, self._max_row = range_boundaries(ref)


def bounded_sizing() -> bool:
    """Make openpyxl's read-only worksheets size themselves without scanning (idempotent).

    Returns False when this openpyxl has no such probe to replace (then a sheet without a
    dimension is scanned once as the workbook opens; the caps on reading still hold).
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    current = getattr(ReadOnlyWorksheet, "_get_size", None)
    if current is None:
        return False
    if current is not _bounded_get_size:
        ReadOnlyWorksheet._get_size = _bounded_get_size
    return True


def open_workbook(path: Path) -> Any:
    """``openpyxl.load_workbook`` read-only with cached values, sheets sized without scanning."""
    import openpyxl

    bounded_sizing()
    return openpyxl.load_workbook(str(path), data_only=True, read_only=True)


def _sheet_rows(ws: Any) -> tuple[list[list[str]], bool]:
    """The sheet's rows as text (at most MAX_SHEET_ROWS × MAX_SHEET_COLUMNS), and whether more rows exist.

    The dimension is not trusted to bound the read (it may be missing or false): up to the column
    cap is read, then trailing empty columns are dropped, but never below the claimed width.
    """
    claimed = ws.max_column  # from the dimension (never a scan): None when the sheet has none
    rows: list[list[str]] = []
    truncated = False
    for row in ws.iter_rows(min_row=1, max_row=limits.MAX_SHEET_ROWS + 1, max_col=limits.MAX_SHEET_COLUMNS):
        if len(rows) >= limits.MAX_SHEET_ROWS:
            truncated = True
            break
        rows.append([cell_text(c.value) for c in row])
    while rows and not any(rows[-1]):
        rows.pop()
    used = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in rows), default=0)
    keep = max(used, min(claimed or 0, limits.MAX_SHEET_COLUMNS))
    return [r[:keep] for r in rows], truncated


def read_xlsx(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read every sheet of a workbook (capped rows and columns)."""
    bad = check_xlsx(path)
    if bad is not None:
        return None, [bad]
    findings: list[Finding] = []
    try:
        wb = open_workbook(path)
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed packages
        return None, [problem("ingest.corrupt", "error", open_failure("Excel 文件", exc), path)]
    blocks: list[Block] = []
    try:
        sheets = wb.worksheets
        for index, ws in enumerate(sheets, start=1):
            try:
                rows, truncated = _sheet_rows(ws)
            except MemoryError:
                raise
            except Exception as exc:  # the sheet XML is parsed lazily, row by row: malformed or hostile
                message = f"无法读取工作表“{str(ws.title)[:100]}”：{failure_reason(exc)}"
                return None, [problem("ingest.corrupt", "error", message, path)]
            if truncated:
                findings.append(
                    problem(
                        "ingest.truncated",
                        "warning",
                        f"工作表“{ws.title}”行数过多，只读取前 {limits.MAX_SHEET_ROWS} 行",
                        path,
                    )
                )
            if rows:
                blocks.append(
                    Table(
                        rows=rows,
                        index=index,
                        page=index,
                        row_lines=list(range(1, len(rows) + 1)),
                        name=ws.title,
                    )
                )
    finally:
        wb.close()
    return Document(file=str(path), blocks=blocks, format="xlsx", pages=len(sheets)), findings
