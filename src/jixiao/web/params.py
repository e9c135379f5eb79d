"""Validated request parameters: ids and whole numbers from paths, queries and forms.

Every number a user can type or edit in a URL goes through here, so malformed input ("²", "1e9",
"-1", a 64-bit overflow) is a 400 with a Chinese message, never a database or Python error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Path

from jixiao.store.queries import StoreError

MAX_ID = 2**31 - 1  # the databases' INTEGER range; a larger id cannot exist
_ASCII_INT = re.compile(r"[0-9]{1,10}")

# A record id in a path: FastAPI refuses anything else before the handler runs (a 400 page).
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


def parse_int(text: object, label: str, *, low: int = 0, high: int = MAX_ID) -> int:
    """``text`` as a whole number in ``[low, high]``; ``StoreError`` (Chinese, naming ``label``) otherwise."""
    raw = str(text if text is not None else "").strip()
    if not _ASCII_INT.fullmatch(raw):
        raise StoreError(f"“{label}”应为 {low} 到 {high} 之间的整数")
    value = int(raw)
    if not low <= value <= high:
        raise StoreError(f"“{label}”应为 {low} 到 {high} 之间的整数")
    return value


def optional_int(text: object, label: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """Like :func:`parse_int`, but blank (or missing) is ``None``."""
    if text is None or not str(text).strip():
        return None
    return parse_int(text, label, low=low, high=high)


def record_id(text: object) -> int | None:
    """``text`` as a record id (ASCII digits, 1 … ``MAX_ID``), else ``None`` (the caller says why)."""
    raw = str(text if text is not None else "").strip()
    if not _ASCII_INT.fullmatch(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def form_id(form: Mapping[str, Any], name: str) -> int | None:
    """The record id posted in ``form[name]`` (see :func:`record_id`)."""
    return record_id(form.get(name))


def page_number(text: str) -> int:
    """A list page number from the query string: 1 for anything that is not a sane page number."""
    raw = text.strip()
    return max(1, int(raw)) if _ASCII_INT.fullmatch(raw) else 1
