"""Read a 绩效目标申报表 jixiao wrote (Excel or Word) back into its Declaration, with the unit's edits.

The form carries the declaration as written and the text written into each row's cells (Excel:
the hidden ``_jixiao`` sheet; Word: a custom XML part), and each row its key (Excel: hidden
column K; Word: a hidden bookmark).  A cell the unit left alone keeps the original value exactly
(sources, precision, fields the form does not print); a changed cell is parsed.  Rows the unit
inserted in an indicator table or the 支出明细 become new indicators or items, deleted rows are
dropped.  Bad cells become findings that name the cell — never a traceback.

Both writers and this reader lay the rows out by ``jixiao.office.DECLARATION_SHAPES``.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from defusedxml import ElementTree as DefusedElementTree
from pydantic import ValidationError

from jixiao.declaration import (
    BasisKind,
    Declaration,
    Novelty,
    Period,
    SpendingItem,
    TargetIndicator,
    TargetSet,
)
from jixiao.findings import Finding, Severity, finding
from jixiao.loader import LoadedDeclaration
from jixiao.model import Comparison, Figure, IndicatorType, Source
from jixiao.numbers import parse_decimal
from jixiao.office import (
    DECLARATION_BOOKMARK,
    DECLARATION_KEY_COLUMN,
    DECLARATION_MARKER,
    DECLARATION_SHEET,
    DECLARATION_XML_NAMESPACE,
    META_SHEET,
    QUALITATIVE_MARK,
    Shape,
    bookmark_name,
    declaration_shape,
    value_columns,
    written_text,
)
from jixiao.vocabulary import ATTRIBUTE_NAMES, BASIS_KIND_NAMES, NOVELTY_NAMES

SUFFIXES = (".xlsx", ".xlsm", ".docx")
_SIGNS = {
    "≥": Comparison.ge,
    ">=": Comparison.ge,
    "＞=": Comparison.ge,
    "≤": Comparison.le,
    "<=": Comparison.le,
    "=": Comparison.eq,
    "＝": Comparison.eq,
    ">": Comparison.gt,
    "＞": Comparison.gt,
    "<": Comparison.lt,
    "＜": Comparison.lt,
    "区间": Comparison.range,
}
_NUMBERED = re.compile(r"^\s*(?:[（(]\d+[)）]|\d+\s*[.．、:：)）]|目标\d+\s*[:：])\s*")
_FUND_FIELDS = {
    "fund:total": (("medium_total", "中期资金总额"), ("annual_total", "年度资金总额")),
    "fund:appropriation": (("medium_appropriation", "中期财政拨款"), ("appropriation", "年度财政拨款")),
    "fund:other": (("medium_other", "中期其他资金"), ("other", "年度其他资金")),
    "fund:carryover": (("medium_carryover", "中期上年结转资金"), ("carryover", "年度上年结转资金")),
    "fund:last": (("last_budget", "上年度预算安排"), ("last_spent", "上年度实际执行")),
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PERIODS = "|".join(p.value for p in Period)
# The keys a row may carry; any other text in the key column (or a bookmark) is an inserted row's.
_KEY = re.compile(
    rf"(?:year|project\.(?:name|department|novelty|category)|basis|estimate|goals(?:\.head)?|note"
    rf"|fund:(?:total|appropriation|other|carryover|last)|details\.head|detail:(?:\d+|new)"
    rf"|ind\.(?:head|cols):(?:{_PERIODS})|ind:(?:{_PERIODS}):(?:\d+|new))"
)


def _key(text: object) -> str:
    """A row key as written by jixiao, or "" for anything else."""
    key = str(text or "").strip()
    return key if _KEY.fullmatch(key) else ""


def is_declaration_form(path: str | Path) -> bool:
    """True when ``path`` is a 申报表 jixiao wrote (.xlsx with the marked hidden sheet, .docx with its part)."""
    p = Path(path)
    try:
        with zipfile.ZipFile(p) as archive:
            names = archive.namelist()
            if "word/document.xml" in names:
                marker = DECLARATION_XML_NAMESPACE.encode()
                return any(
                    n.startswith("customXml/item") and marker in archive.read(n)
                    for n in names
                    if n.endswith(".xml") and "/_rels/" not in n
                )
            if "xl/workbook.xml" not in names or META_SHEET.encode() not in archive.read("xl/workbook.xml"):
                return False
        from openpyxl import load_workbook

        workbook = load_workbook(p, read_only=True)
        try:
            return (
                META_SHEET in workbook.sheetnames and workbook[META_SHEET]["A1"].value == DECLARATION_MARKER
            )
        finally:
            workbook.close()
    except Exception:  # not a zip, not a workbook or a document: simply not our form
        return False


@dataclass
class _Row:
    """One row of the form as read: its key ("" for a row the unit inserted) and its value cells."""

    key: str
    number: int  # the sheet row (Excel) or the row in the form's tables (Word), for messages
    values: list[Any]  # one per value cell of the shape
    formats: list[str] = field(default_factory=list)  # Excel number formats (a percent typed as 0.95)
    columns: list[int] = field(default_factory=list)  # Excel: the column of each value cell


@dataclass
class _Form:
    """What a form holds: the rows in order, the year line, and the read-back data."""

    base: Declaration
    written: dict[str, list[str]]
    rows: list[_Row]
    year: str | None  # the year line (Word: a paragraph, not a table row)


def read_declaration_form(path: str | Path) -> LoadedDeclaration:
    """The declaration held by a jixiao 申报表 (.xlsx or .docx), with the unit's edits; problems as findings."""
    name = str(path)
    p = Path(path)
    if not p.exists() or not p.is_file():
        return LoadedDeclaration(name, None, [_error("file.unreadable", f"文件 {name} 不存在", name)])
    word = p.suffix.lower() == ".docx"
    try:
        form = _read_docx(p) if word else _read_xlsx(p)
    except _NotOurs as exc:
        return LoadedDeclaration(name, None, [_error("form.not-jixiao", exc.message, name)])
    except (KeyError, ValueError, ValidationError, ElementTree.ParseError) as exc:
        message = f"{p.name} 的隐藏数据已损坏：{str(exc)[:200]}"
        return LoadedDeclaration(name, None, [_error("form.invalid", message, name)])
    except Exception as exc:
        del exc  # the library's own text is not for the user
        kind = "Word 文档（.docx）" if word else "Excel 工作簿（.xlsx）"
        message = f"无法读取“{p.name}”：文件已损坏，或不是 {kind}"
        return LoadedDeclaration(name, None, [_error("form.unreadable", message, name)])
    reader = _Apply(name, form, word)
    try:
        declaration = reader.apply()
    except ValidationError as exc:
        reader.findings.append(_error("form.invalid", f"{p.name} 中填写的内容无效：{str(exc)[:300]}", name))
        return LoadedDeclaration(name, None, reader.findings)
    except Exception as exc:  # the module edge: a form altered beyond reading becomes a finding
        message = f"{p.name} 的表格结构已被改动，无法读回：{type(exc).__name__}"
        reader.findings.append(_error("form.invalid", message, name))
        return LoadedDeclaration(name, None, reader.findings)
    return LoadedDeclaration(name, declaration, reader.findings)


class _NotOurs(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _error(code: str, message: str, file: str) -> Finding:
    return finding(code, Severity.error, message, source=Source(file=file))


# ---------------------------------------------------------------- Excel


def _read_xlsx(path: Path) -> _Form:
    from openpyxl import load_workbook

    workbook = load_workbook(path, data_only=True)  # a formula the unit typed: its saved result
    if META_SHEET not in workbook.sheetnames or DECLARATION_SHEET not in workbook.sheetnames:
        raise _NotOurs(
            f"{path.name} 不是 jixiao 生成的申报表（缺少 {META_SHEET} 或 {DECLARATION_SHEET} 工作表）"
        )
    meta = workbook[META_SHEET]
    if meta["A1"].value != DECLARATION_MARKER:
        raise _NotOurs(f"{path.name} 不是 jixiao 生成的申报表（隐藏工作表的标记不符）")
    data = {
        str(row[0].value): "".join(str(c.value or "") for c in row[1:])
        for row in meta.iter_rows(min_row=2, max_row=3)
    }
    base = Declaration.model_validate_json(data["declaration"])
    written = _written(data["written"])
    ws = workbook[DECLARATION_SHEET]
    top: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                top[(r, c)] = (rng.min_row, rng.min_col)
    rows: list[_Row] = []
    year: str | None = None
    section: Shape | None = None
    for r in range(1, ws.max_row + 1):
        key = _key(ws.cell(r, DECLARATION_KEY_COLUMN).value)
        shape = declaration_shape(key) if key else None
        if key.startswith(("ind.head", "ind.cols", "ind:")):
            section = declaration_shape("ind:")
        elif key.startswith(("details.head", "detail:")):
            section = declaration_shape("detail:")
        elif key:
            section = None
        if shape is None:
            shape = section
        if shape is None:
            continue
        cells = [ws.cell(*top.get((r, c), (r, c))) for c in value_columns(shape)]
        values = [cell.value for cell in cells]
        if key == "year":
            year = written_text(values[0]) if values else None
            continue
        formats = [str(cell.number_format or "") for cell in cells]
        rows.append(_Row(key, r, values, formats, value_columns(shape)))
    return _Form(base, written, rows, year)


# ---------------------------------------------------------------- Word


def _written(text: str) -> dict[str, list[str]]:
    """The hidden record of what was written into each row (a ValueError when it is not one)."""
    data = json.loads(text)
    if not isinstance(data, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in data.values()
    ):
        raise ValueError("written: not a mapping of rows to texts")
    return data


def _cell_text(tc: Any) -> str:
    lines = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.iter(f"{_W}p")]
    return "\n".join(lines)


def _row_texts(tcs: list[Any], above: dict[int, str]) -> list[str]:
    """The text of each cell of a row; a cell continuing a vertical merge has the text above it."""
    texts: list[str] = []
    col = 0
    for tc in tcs:
        props = tc.find(f"{_W}tcPr")
        span_element = props.find(f"{_W}gridSpan") if props is not None else None
        merge = props.find(f"{_W}vMerge") if props is not None else None
        span = int(span_element.get(f"{_W}val") or 1) if span_element is not None else 1
        if merge is not None and merge.get(f"{_W}val") != "restart":
            text = above.get(col, "")
        else:
            text = _cell_text(tc)
            above[col] = text
        texts.append(text)
        col += span
    return texts


def _read_docx(path: Path) -> _Form:
    import docx

    document = docx.Document(str(path))
    data: ElementTree.Element | None = None
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/customXml") and not rel.is_external:
            blob = rel.target_part.blob
            if DECLARATION_XML_NAMESPACE.encode() in blob:
                data = DefusedElementTree.fromstring(blob)
    if data is None:
        raise _NotOurs(f"{path.name} 不是 jixiao 生成的申报表（缺少申报表数据）")
    ns = f"{{{DECLARATION_XML_NAMESPACE}}}"
    base = Declaration.model_validate_json(data.findtext(f"{ns}declaration") or "")
    written = _written(data.findtext(f"{ns}written") or "")
    keys = {bookmark_name(key): key for key in written if _key(key)}
    for period in Period:
        for head in ("ind.head", "ind.cols"):
            keys[bookmark_name(f"{head}:{period.value}")] = f"{head}:{period.value}"
    keys[bookmark_name("details.head")] = "details.head"
    body = document.element.body
    year: str | None = None
    for paragraph in body.iter(f"{_W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t"))
        if "年度" in text and re.search(r"[（(].*年度.*[)）]", text):
            year = written_text(text)
            break
    rows: list[_Row] = []
    section: Shape | None = None
    number = 0
    for table in body.iter(f"{_W}tbl"):
        section = None  # an inserted row belongs to the table it is in
        above: dict[int, str] = {}  # grid column → text of the cell a vertical merge continues
        for tr in table.iter(f"{_W}tr"):
            number += 1
            tcs = [tc for tc in tr if tc.tag == f"{_W}tc"]
            texts = _row_texts(tcs, above)
            key = ""
            for mark in tr.iter(f"{_W}bookmarkStart"):
                name = mark.get(f"{_W}name") or ""
                if name.startswith(DECLARATION_BOOKMARK) and name in keys:
                    key = keys[name]
                    break
            shape = declaration_shape(key) if key else None
            if key.startswith(("ind.head", "ind.cols", "ind:")):
                section = declaration_shape("ind:")
            elif key.startswith(("details.head", "detail:")):
                section = declaration_shape("detail:")
            elif key:
                section = None
            if shape is None:
                shape = section
            if shape is None:
                continue
            if len(texts) == len(shape):
                values = [text for text, (_, filled) in zip(texts, shape, strict=True) if filled]
            elif len(texts) == sum(1 for _, filled in shape if filled):
                values = texts
            else:
                continue  # a row whose cells were merged or split: not a row of the form
            rows.append(_Row(key, number, list(values)))
    return _Form(base, written, rows, year)


# ---------------------------------------------------------------- the edits


class _Apply:
    """The base declaration with every changed cell of the form applied."""

    def __init__(self, file: str, form: _Form, word: bool) -> None:
        self.file = file
        self.form = form
        self.word = word
        self.findings: list[Finding] = []

    def _where(self, row: _Row, i: int) -> str:
        if self.word:
            return f"申报表第{row.number}行"
        columns = row.columns
        letter = "ABCDEFGHI"[columns[i] - 1] if i < len(columns) and columns[i] <= 9 else "?"
        return f"{DECLARATION_SHEET}!{letter}{row.number}"

    def _source(self, row: _Row) -> Source:
        return Source(file=self.file, table=1, row=row.number)

    def text(self, row: _Row, i: int) -> str:
        value = row.values[i] if i < len(row.values) else None
        fmt = row.formats[i] if i < len(row.formats) else ""
        if isinstance(value, int | float) and not isinstance(value, bool) and "%" in fmt:
            return f"{(Decimal(str(value)) * 100).normalize():f}%"
        return written_text(value)

    def changed(self, row: _Row, i: int) -> bool:
        """True when the unit put something new in the ``i``-th value cell (always, on an inserted row)."""
        before = self.form.written.get(row.key) if row.key else None
        if before is None or i >= len(before):
            return True
        return written_text(row.values[i] if i < len(row.values) else None) != before[i]

    def optional(self, row: _Row, i: int) -> str | None:
        return self.text(row, i) or None

    def number(self, row: _Row, i: int, what: str) -> Decimal | None:
        value = row.values[i] if i < len(row.values) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return Decimal(str(value))
        parsed = parse_decimal(str(value))
        if parsed is None:
            self.findings.append(
                finding(
                    "form.not-a-number",
                    Severity.error,
                    f"{self._where(row, i)}（{what}）应填数字，实际为“{value}”，已忽略该值",
                    source=Source(file=self.file, table=1, row=row.number, text=str(value)),
                    actual=str(value),
                )
            )
        return parsed

    def warn(self, row: _Row, i: int, message: str) -> None:
        self.findings.append(
            finding(
                "form.invalid-choice",
                Severity.warning,
                f"{self._where(row, i)}：{message}",
                source=self._source(row),
            )
        )

    # ---------------------------------------------------------- the rows

    def apply(self) -> Declaration:
        d = self.form.base.model_copy(deep=True)
        written = self.form.written
        if self.form.year is not None and self.form.year != (written.get("year") or [""])[0]:
            match = re.search(r"(\d{4})", self.form.year)
            year = int(match.group(1)) if match else None
            d.year = year if year is None or 1990 <= year <= 2100 else d.year
        seen: set[str] = set()
        details: list[SpendingItem] = []
        indicators: dict[Period, list[TargetIndicator]] = {p: [] for p in Period}
        section: Period | None = None
        for row in self.form.rows:
            key = row.key
            if key in seen:  # a copied row (Excel copies its hidden key too): a new row
                key = row.key = ""
            seen.add(key)
            if key.startswith(("ind.head:", "ind.cols:", "ind:")):
                section = Period(key.split(":")[1])
            elif key.startswith(("details.head", "detail:")):
                section = None
            if key.startswith(("ind.head", "ind.cols", "details.head")):
                continue
            if key.startswith("ind:") or (not key and section is not None):
                period = Period(key.split(":")[1]) if key else section
                assert period is not None
                indicator = self._indicator(d, row, period, indicators[period])
                if indicator is not None:
                    indicators[period].append(indicator)
            elif key.startswith("detail:") or not key:
                item = self._detail(d, row)
                if item is not None:
                    details.append(item)
            else:
                self._header(d, row)
        d.funds.details = details
        for period, found in indicators.items():
            target_set = d.medium if period is Period.medium else d.annual
            if target_set is None and found:
                target_set = d.medium = TargetSet(period=Period.medium)
            if target_set is not None:
                target_set.indicators = found
        return Declaration.model_validate(d.model_dump())

    def _header(self, d: Declaration, row: _Row) -> None:
        key = row.key
        c = self.changed
        if key == "project.name" and c(row, 0):
            d.project.name = self.text(row, 0)
        elif key == "project.department":
            if c(row, 0):
                match = re.fullmatch(r"(.*?)\s*[（(]\s*([\w-]+)\s*[)）]", self.text(row, 0), re.S)
                if match:
                    d.project.department = match.group(1) or None
                    d.project.department_code = match.group(2)
                else:
                    d.project.department, d.project.department_code = self.optional(row, 0), None
            if c(row, 1):
                d.project.unit = self.optional(row, 1)
        elif key == "project.novelty":
            if c(row, 0):
                d.novelty = self._novelty(row)
            if c(row, 1):
                d.period_years = self._years(row)
        elif key == "project.category":
            if c(row, 0):
                d.project.category = self.optional(row, 0)
            if c(row, 1):
                d.project.attribute = self._attribute(row)
        elif key == "basis" and c(row, 0):
            d.basis = self.optional(row, 0)
        elif key in _FUND_FIELDS:
            for i, (name, what) in enumerate(_FUND_FIELDS[key]):
                if c(row, i):
                    setattr(d.funds, name, self.number(row, i, what))
        elif key == "estimate" and c(row, 0):
            d.funds.estimate = self.optional(row, 0)
        elif key == "goals":
            if c(row, 0):
                goals = _goals(self.text(row, 0))
                if d.medium is not None:
                    d.medium.goals = goals
                elif goals:
                    d.medium = TargetSet(period=Period.medium, goals=goals)
            if c(row, 1):
                d.annual.goals = _goals(self.text(row, 1))

    def _novelty(self, row: _Row) -> Novelty | None:
        text = self.text(row, 0)
        if not text:
            return None
        for novelty, name in NOVELTY_NAMES.items():
            if text == name or text == name.removesuffix("项目"):
                return Novelty(novelty)
        self.warn(row, 0, f"项目属性应为“新增项目”或“延续项目”，实际为“{text}”，已忽略")
        return self.form.base.novelty

    def _years(self, row: _Row) -> int | None:
        text = self.text(row, 1)
        if not text:
            return None
        match = re.fullmatch(r"(\d{1,2})\s*(?:年|个年度)?", text)
        if match and 1 <= int(match.group(1)) <= 50:
            return int(match.group(1))
        self.warn(row, 1, f"项目期应填写年数（如“3年”），实际为“{text}”，已忽略")
        return self.form.base.period_years

    def _attribute(self, row: _Row) -> Any:
        text = self.text(row, 1)
        if not text:
            return None
        for attribute, name in ATTRIBUTE_NAMES.items():
            if text in (name, name.removesuffix("项目")):
                return attribute
        self.warn(row, 1, f"项目类型应为“经常性项目”或“一次性项目”，实际为“{text}”，已忽略")
        return self.form.base.project.attribute

    def _detail(self, d: Declaration, row: _Row) -> SpendingItem | None:
        index = int(row.key[7:]) if row.key[7:].isdigit() else None
        if index is not None and index < len(self.form.base.funds.details):
            item = self.form.base.funds.details[index].model_copy(deep=True)
        else:
            if not any(self.text(row, i) for i in range(3)):
                return None  # the blank row offered, or an inserted row left empty
            item = SpendingItem(label="")
            row.key = ""
        if self.changed(row, 0):
            item.label = self.text(row, 0)
        if self.changed(row, 1):
            item.amount = self.number(row, 1, "支出明细金额")
        if self.changed(row, 2):
            item.basis = self.optional(row, 2)
        return item

    def _indicator(
        self, d: Declaration, row: _Row, period: Period, before: list[TargetIndicator]
    ) -> TargetIndicator | None:
        base_set = self.form.base.medium if period is Period.medium else self.form.base.annual
        parts = row.key.split(":")
        index = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
        if base_set is not None and index is not None and index < len(base_set.indicators):
            ind = base_set.indicators[index].model_copy(deep=True)
        else:
            if not any(self.text(row, i) for i in range(9)):
                return None
            ind = TargetIndicator(level1="")
            row.key = ""
        c = self.changed
        for i, name in ((0, "level1"), (1, "level2"), (2, "name"), (5, "unit"), (8, "explanation")):
            if c(row, i):
                text = self.text(row, i)
                setattr(ind, name, text if name == "level1" else text or None)
        if not row.key and before and not ind.level1:  # an inserted row under merged 一级 / 二级 cells
            ind.level1 = before[-1].level1
            if not ind.level2:
                ind.level2 = before[-1].level2
        if c(row, 3):
            self._nature(ind, row)
        if c(row, 4):
            text = self.text(row, 4)
            ind.target = Figure(text=text) if text else None
        if c(row, 6):
            self._basis(ind, self.text(row, 6))
        if c(row, 7):
            text = self.text(row, 7)
            ind.last_actual = Figure(text=text) if text else None
        return ind

    def _nature(self, ind: TargetIndicator, row: _Row) -> None:
        text = self.text(row, 3).replace(" ", "")
        if not text:
            ind.comparison = None
        elif text == QUALITATIVE_MARK:
            ind.type, ind.comparison = IndicatorType.qualitative, None
        elif text == "定量":
            ind.type = IndicatorType.quantitative
        elif text in _SIGNS:
            ind.comparison = _SIGNS[text]
            if ind.type is IndicatorType.qualitative or not row.key:
                ind.type = IndicatorType.quantitative
        else:
            self.warn(row, 3, f"性质应为 ≥、≤、= 或“定性”，实际为“{text}”，已忽略")

    @staticmethod
    def _basis(ind: TargetIndicator, text: str) -> None:
        ind.basis_kind = None
        for kind, name in BASIS_KIND_NAMES.items():
            if text.startswith(name[:2]):
                ind.basis_kind = BasisKind(kind)
                break
        ind.basis = None if text in BASIS_KIND_NAMES.values() or not text else text


def _goals(text: str) -> list[str]:
    """Goal sentences, one a line, their printed numbers (1. 2、 （3）) removed."""
    return [_NUMBERED.sub("", line).strip() for line in text.splitlines() if _NUMBERED.sub("", line).strip()]
