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


# ---------------------------------------------------------------- the 申报表 (target declaration form)
# Written by ``render.declaration_xlsx`` / ``render.declaration_docx`` and read back by
# ``ingest.readers.declaration_form``.  Each row of the form has a key (``project.name``,
# ``fund:total``, ``ind:annual:3`` …): on the Excel form in a hidden column, on the Word form as a
# hidden bookmark in the row's first cell.  A row's shape is its cells left to right, each a span
# of grid columns and whether it holds a value the unit fills in (else a printed label); the
# writers lay the cells out by it and the reader finds the values by it.

DECLARATION_SHEET = "申报表"
DECLARATION_MARKER = "jixiao-declaration-form"
DECLARATION_FORM_VERSION = "1"
DECLARATION_COLUMNS = 9  # the grid of the form: A–I on the Excel sheet
DECLARATION_KEY_COLUMN = 11  # K: hidden row keys (J stays empty, outside the print area)
DECLARATION_BOOKMARK = "_jx_"  # the prefix of the Word form's row bookmarks (hidden: leading "_")
DECLARATION_XML_NAMESPACE = "urn:jixiao:declaration-form"  # the Word form's custom XML part
# The columns of an indicator table (the newer one-table-per-period 申报表 layout).
TARGET_COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "性质",
    "指标值",
    "度量单位",
    "指标值设定依据",
    "上年实际值",
    "指标解释",
)
QUALITATIVE_MARK = "定性"  # what the 性质 column says for a 定性 indicator
NATURE_CHOICES = ("≥", "≤", "=", QUALITATIVE_MARK)  # the 性质 drop-down

Shape = tuple[tuple[int, bool], ...]  # (span, holds a value) per cell, left to right

_PAIR: Shape = ((2, False), (3, True), (2, False), (2, True))
_FUND: Shape = ((2, False), (2, False), (1, True), (2, False), (2, True))
DECLARATION_SHAPES: dict[str, Shape] = {
    "year": ((DECLARATION_COLUMNS, True),),
    "project.name": ((2, False), (7, True)),
    "project.department": _PAIR,  # 主管部门及代码 | 实施单位
    "project.novelty": _PAIR,  # 项目属性 | 项目期
    "project.category": _PAIR,  # 项目类别 | 项目类型 (经常性 / 一次性)
    "basis": ((2, False), (7, True)),  # 立项依据
    "fund:total": _FUND,  # 中期资金总额 | 年度资金总额
    "fund:appropriation": _FUND,
    "fund:other": _FUND,
    "fund:carryover": _FUND,  # 上年结转资金, printed when the declaration has it
    "fund:last": _FUND,  # 上年度预算安排 | 上年度实际执行
    "details.head": ((2, False), (2, False), (1, False), (4, False)),
    "detail": ((2, False), (2, True), (1, True), (4, True)),  # 支出内容 | 金额 | 测算依据
    "estimate": ((2, False), (2, False), (5, True)),  # 测算说明
    "goals.head": ((2, False), (3, False), (4, False)),
    "goals": ((2, False), (3, True), (4, True)),  # 中期目标 | 年度目标
    "ind.head": ((DECLARATION_COLUMNS, False),),
    "ind.cols": tuple((1, False) for _ in TARGET_COLUMNS),
    "ind": tuple((1, True) for _ in TARGET_COLUMNS),
    "note": ((DECLARATION_COLUMNS, False),),
}


def declaration_shape(key: str) -> Shape | None:
    """The shape of a 申报表 row by its key (``detail:2`` and ``detail:new`` are ``detail`` rows …)."""
    if key in DECLARATION_SHAPES:
        return DECLARATION_SHAPES[key]
    return DECLARATION_SHAPES.get(key.split(":", 1)[0]) if ":" in key else None


def value_columns(shape: Shape) -> list[int]:
    """The first grid column (1-based) of each value cell of a shape."""
    out: list[int] = []
    col = 1
    for span, value in shape:
        if value:
            out.append(col)
        col += span
    return out


def bookmark_name(key: str) -> str:
    """The Word form's bookmark of a row key (``ind:annual:3`` → ``_jx_ind_annual_3``)."""
    return DECLARATION_BOOKMARK + re.sub(r"[^0-9A-Za-z]", "_", key)
