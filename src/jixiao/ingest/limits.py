"""Caps that keep hostile or enormous input bounded in memory and time."""

from __future__ import annotations

MAX_FILE_BYTES = 60 * 1024 * 1024  # any document
MAX_TEXT_BYTES = 20 * 1024 * 1024  # .txt / .md / .html
MAX_ZIP_MEMBERS = 2000  # .docx / .xlsx
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024  # sum of member sizes (web uploads: lower, see batch.sandbox)
MAX_ZIP_RATIO = 200  # uncompressed / compressed for any large member
MAX_PDF_PAGES = 300
MAX_SHEET_ROWS = 5000  # rows read per sheet; the rest are not read (with a warning)
MAX_SHEET_DIMENSION_ROWS = 100_000  # a sheet whose <dimension> claims more rows is refused unread
MAX_SHEET_COLUMNS = 60
MAX_BLOCKS = 200_000
MAX_TEXT_CHARS = 2_000_000  # characters of text and cells read from one document (≈ 1,000 pages)
MAX_CELL_CHARS = 20_000
DEFAULT_TIMEOUT_SECONDS = 120.0  # per document in batch
