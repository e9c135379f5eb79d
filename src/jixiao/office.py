"""What jixiao's own Office files share between writing them and reading them back.

XML-safe text (python-docx and openpyxl refuse control characters) and the layout of the Excel
自评表 jixiao writes (``render.selftable_xlsx``) and reads back with the unit's edits
(``ingest.readers.form``): its sheets, the hidden marker and row keys, a cell's canonical text, and
which cells hold formulas (outputs jixiao recomputes on import, never read as the unit's input).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jixiao.model import FundSource

FORM_SHEET = "自评表"
SCORE_SHEET = "评分说明"
META_SHEET = "_jixiao"
MARKER = "jixiao-form"
FORM_VERSION = "2"  # 2: live formulas, listed in the hidden sheet's FORMULA_CELLS row
FORMULA_CELLS = "formulas"  # hidden sheet row: {row key: [columns jixiao wrote a formula into]}
KEY_COLUMN = 9  # I: hidden row keys
CHUNK = 30000  # characters per cell (Excel's limit is 32767)

# Characters XML 1.0 cannot hold; python-docx and openpyxl refuse them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """A value as text that any XML part can hold (control characters dropped, None → "")."""
    if text is None:
        return ""
    return _ILLEGAL_XML.sub("", str(text))


def written_text(value: Any) -> str:
    """The canonical text of a cell value, to tell later whether the unit changed it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value)).normalize()
        return f"{number:f}"
    return clean(value).strip()


def standard_source(key: str) -> FundSource | None:
    """The fund source of a ``fund:new:<source>`` row key (a row the blank form offers)."""
    if key.startswith("fund:new:"):
        return FundSource(key.removeprefix("fund:new:"))
    return None
