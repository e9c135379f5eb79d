"""The ledger as a table: its columns (the export writes them, the import reads them back) and the
reading of problem lists — an Excel sheet (a ledger jixiao wrote, or an audit report's problem
table) or a plain-text 审计报告 with numbered problems.

Headers are matched through :data:`HEADER_WORDS` (问题 / 存在问题 / 审计发现的问题 …), so a sheet made
by hand reads too. A value that cannot be read is an error naming its cell (``第3行 时限（I3）``);
:class:`LedgerImportError` carries every one of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from jixiao.rectification import ItemStatus, Origin, RectificationItem
from jixiao.results.ledger import DEFAULT_DEADLINE_DAYS, category_of, item_id
from jixiao.vocabulary import ITEM_STATUS_NAMES, ORIGIN_NAMES, SEVERITY_NAMES

SHEET_TITLE = "整改台账"
OVERDUE_MARK = "逾期"

# The ledger's columns in order: (role, header). ``overdue`` is written, never read.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "编号"),
    ("project", "项目"),
    ("year", "年度"),
    ("problem", "问题"),
    ("origin", "来源"),
    ("category", "类别"),
    ("severity", "严重程度"),
    ("finding_code", "复核代码"),
    ("evidence", "问题出处"),
    ("requirement", "整改要求"),
    ("measures", "整改措施"),
    ("unit", "责任单位"),
    ("person", "责任人"),
    ("deadline", "时限"),
    ("status", "状态"),
    ("overdue", "是否逾期"),
    ("progress", "完成情况"),
    ("progress_evidence", "佐证材料"),
    ("confirmed_by", "确认人"),
    ("confirmed_on", "确认日期"),
)
HEADERS = dict(COLUMNS)

# Header words per role (the ledger's own header first); matched after spaces and brackets go.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "问题编号"),
    "project": ("项目", "项目名称", "涉及项目", "被审计项目", "资金名称"),
    "year": ("年度", "所属年度"),
    "problem": (
        "问题",
        "存在问题",
        "问题描述",
        "问题表述",
        "审计发现问题",
        "审计发现的问题",
        "问题事项",
        "主要问题",
    ),
    "origin": ("来源", "问题来源"),
    "category": ("类别", "问题类别", "问题类型", "问题分类"),
    "severity": ("严重程度", "问题等级", "问题性质", "等级"),
    "finding_code": ("复核代码",),
    "evidence": ("问题出处", "出处", "问题依据", "证据"),
    "requirement": ("整改要求", "审计建议", "整改建议", "处理意见"),
    "measures": ("整改措施",),
    "unit": ("责任单位", "整改责任单位", "被审计单位", "整改单位"),
    "person": ("责任人", "整改责任人"),
    "deadline": ("时限", "整改时限", "整改期限", "完成时限", "整改完成时限"),
    "status": ("状态", "整改状态", "整改进度"),
    "overdue": ("是否逾期", "逾期"),
    "progress": ("完成情况", "整改情况", "整改完成情况", "整改结果"),
    "progress_evidence": ("佐证材料", "整改佐证", "佐证"),
    "confirmed_by": ("确认人",),
    "confirmed_on": ("确认日期", "确认时间"),
}
SEVERITY_WORDS = {
    **{name: key for key, name in SEVERITY_NAMES.items()},
    **{key: key for key in SEVERITY_NAMES},
    "重大": "error",
    "严重": "error",
    "较重": "warning",
    "一般": "warning",
    "轻微": "info",
}
ORIGIN_WORDS = {
    **{name: key for key, name in ORIGIN_NAMES.items()},
    **{key: key for key in ORIGIN_NAMES},
    "自评": "self",
    "审计报告": "audit",
    "审计发现": "audit",
    "监控": "monitoring",
}
STATUS_WORDS = {
    **{name: key for key, name in ITEM_STATUS_NAMES.items()},
    **{key: key for key in ITEM_STATUS_NAMES},
    OVERDUE_MARK: "pending",  # 逾期 is derived: an open item
    "未整改": "pending",
    "正在整改": "in_progress",
    "已整改": "done",
    "整改完成": "done",
}
LIST_SEPARATORS = re.compile(r"[；;\n]+")


class LedgerImportError(Exception):
    """A ledger or problem list that cannot be read; ``messages`` are Chinese, each naming its cell."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def _normal(header: object) -> str:
    text = re.sub(r"[（(][^）)]*[）)]", "", str(header or ""))
    return re.sub(r"[\s:：*＊]", "", text)


def header_role(header: object) -> str | None:
    """The role a header names (整改时限 → ``deadline``), None when it names none."""
    text = _normal(header)
    if not text:
        return None
    for role, words in HEADER_WORDS.items():
        if text in words:
            return role
    best: tuple[int, str] | None = None
    for role, words in HEADER_WORDS.items():
        for word in words:
            if len(word) >= 2 and word in text and (best is None or len(word) > best[0]):
                best = (len(word), role)
    return best[1] if best else None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- values

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(底|末)?$")


def read_date(value: object) -> date | None:
    """A date cell (a date, 2026-03-31, 2026年3月31日, 2026/3/31, 2026年3月底 → the month's last day)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if match := _DATE.match(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        first_next = date(year + month // 12, month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    raise ValueError(f"无法识别的日期“{text}”（应写作 2026-03-31 或 2026年3月31日）")


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _choice(words: dict[str, str], value: str, what: str) -> str:
    key = words.get(value.strip()) or words.get(value.strip().lower())
    if key is None:
        choices = "、".join(dict.fromkeys(k for k in words if not k.isascii()))
        raise ValueError(f"无法识别的{what}“{value}”，可填：{choices}")
    return key


def _year(value: object) -> int | None:
    text = _text(value)
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4})\s*年?(度)?", text)
    if not match:
        raise ValueError(f"无法识别的年度“{text}”")
    return int(match[1])


READERS: dict[str, Callable[[object], object]] = {
    "year": _year,
    "deadline": read_date,
    "confirmed_on": read_date,
    "evidence": lambda v: [p.strip() for p in LIST_SEPARATORS.split(_text(v) or "") if p.strip()],
    "progress_evidence": lambda v: [p.strip() for p in LIST_SEPARATORS.split(_text(v) or "") if p.strip()],
    "severity": lambda v: _choice(SEVERITY_WORDS, t, "严重程度") if (t := _text(v)) else None,
    "origin": lambda v: _choice(ORIGIN_WORDS, t, "来源") if (t := _text(v)) else None,
    "status": lambda v: _choice(STATUS_WORDS, t, "整改状态") if (t := _text(v)) else None,
}


# ---------------------------------------------------------------- sheets


def _rows(path: Path) -> Iterator[tuple[str, list[list[object]]]]:
    """Each sheet of a workbook as (name, rows of cell values)."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        for sheet in book.sheets():
            rows: list[list[object]] = []
            for r in range(sheet.nrows):
                row: list[object] = []
                for c in range(sheet.ncols):
                    cell = sheet.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    else:
                        row.append(cell.value)
                rows.append(row)
            yield sheet.name, rows
        return
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            yield sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _header(rows: list[list[object]]) -> tuple[int, dict[int, str]] | None:
    """The header row (within the first ten) and its roles: the first with 问题 and one more role."""
    for n, row in enumerate(rows[:10]):
        roles: dict[int, str] = {}
        for column, value in enumerate(row):
            role = header_role(value)
            if role and role not in roles.values():
                roles[column] = role
        if "problem" in roles.values() and len(roles) >= 2:
            return n, roles
    return None


def read_ledger_rows(
    path: Path,
    *,
    origin: Origin = Origin.audit,
    project: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    on: date | None = None,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
) -> list[RectificationItem]:
    """Every item of the first sheet with a ledger header (问题 and at least one more known column).

    Blank cells take the defaults: ``origin``, ``project``, ``unit``, ``year``; a missing 时限 is
    ``deadline_days`` after ``on`` (default today); a missing 类别 comes from the problem's words.
    Raises ``LedgerImportError`` naming every cell that cannot be read.
    """
    try:
        sheets = list(_rows(path))
    except Exception as exc:  # a file openpyxl or xlrd cannot read: the user's to fix
        raise LedgerImportError(
            [f"{path.name}：无法读取为 Excel 工作簿（{type(exc).__name__}: {exc}）"]
        ) from exc
    for name, rows in sheets:
        found = _header(rows)
        if found is None:
            continue
        start, roles = found
        return _items(
            path.name,
            name,
            rows[start + 1 :],
            start,
            roles,
            defaults={"origin": origin.value, "project": project, "unit": unit, "year": year},
            deadline=(on or date.today()) + timedelta(days=deadline_days),
        )
    wanted = "、".join(
        HEADERS[r]
        for r in ("project", "origin", "category", "severity", "requirement", "unit", "person", "deadline")
    )
    raise LedgerImportError(
        [f"{path.name}：找不到问题清单的表头（应有“问题”列，以及{wanted}等列中的至少一列）"]
    )


def _items(
    file: str,
    sheet: str,
    rows: list[list[object]],
    start: int,
    roles: dict[int, str],
    *,
    defaults: dict[str, object],
    deadline: date,
) -> list[RectificationItem]:
    items: list[RectificationItem] = []
    errors: list[str] = []
    for offset, row in enumerate(rows):
        line = start + offset + 2  # 1-based, below the header
        if all(_text(v) is None for v in row):
            continue
        values: dict[str, object] = {}
        for column, role in roles.items():
            if role == "overdue":
                continue
            raw = row[column] if column < len(row) else None
            cell = f"第{line}行 {HEADERS.get(role, role)}（{_column_letter(column)}{line}）"
            try:
                value = READERS.get(role, _text)(raw)
            except ValueError as exc:
                errors.append(f"{file} {sheet} {cell}：{exc}")
                continue
            if value not in (None, []):
                values[role] = value
        problem = values.get("problem")
        if not problem:
            column = next(c for c, r in roles.items() if r == "problem")
            errors.append(
                f"{file} {sheet} 第{line}行（{_column_letter(column)}{line}）：问题为空，每行应写一个问题"
            )
            continue
        for key, value in defaults.items():
            if values.get(key) is None and value is not None:
                values[key] = value
        if not values.get("project"):
            errors.append(f"{file} {sheet} 第{line}行：没有项目名称（填写“项目”列，或导入时指定项目）")
            continue
        values.setdefault("deadline", deadline)
        values.setdefault("category", category_of(None, str(problem)))
        values.setdefault(
            "id", item_id(values["project"], values.get("year"), values.get("origin"), "imported", problem)
        )
        if "status" in values:
            values["status"] = ItemStatus(str(values["status"]))
        try:
            items.append(RectificationItem.model_validate(values))
        except ValueError as exc:  # pragma: no cover - every value was read above
            errors.append(f"{file} {sheet} 第{line}行：{exc}")
    if errors:
        raise LedgerImportError(errors)
    return items


# ---------------------------------------------------------------- text reports

# Numbered lines of a report, by level: 一、 (1), （一） (2), 1. 1、 (1) (3).
_LEVELS = (
    (1, re.compile(r"^\s*[一二三四五六七八九十]+\s*、\s*")),
    (2, re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*")),
    (3, re.compile(r"^\s*(?:[0-9]+\s*[.、．)）]|[（(]\s*[0-9]+\s*[）)])\s*")),
)
_REQUIREMENT = re.compile(r"^\s*(?:整改要求|审计建议|整改建议|处理意见)\s*[:：]\s*")


def _numbered(line: str) -> tuple[int, str] | None:
    for level, pattern in _LEVELS:
        if pattern.match(line):
            return level, pattern.sub("", line, count=1)
    return None


def read_text_problems(
    text: str,
    *,
    file: str,
    origin: Origin = Origin.audit,
    project: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    on: date | None = None,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
) -> list[RectificationItem]:
    """The numbered problems of a plain-text 审计报告, one item each.

    Lines numbered ``一、`` / ``（一）`` / ``1.`` ``1、`` ``(1)`` are entries; an entry with deeper
    entries under it is a heading (（一）预算执行方面 over 1. 2. …), the others are problems. When a
    ``一、`` heading names 问题 (二、审计发现的主要问题), only the entries under it count. Unnumbered
    lines continue the entry above; a line starting 整改要求： / 审计建议： is its requirement.
    """
    name = project or unit or Path(file).stem
    entries: list[tuple[int, list[str], list[str]]] = []  # level, words, requirement
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        numbered = _numbered(line)
        if numbered is not None:
            entries.append((numbered[0], [numbered[1]], []))
        elif entries:
            _, words, requirement = entries[-1]
            if _REQUIREMENT.match(line):
                requirement.append(_REQUIREMENT.sub("", line, count=1))
            elif requirement:
                requirement.append(line)
            else:
                words.append(line)
    sections = [n for n, (level, words, _) in enumerate(entries) if level == 1 and "问题" in words[0]]
    if sections:
        first = sections[0]
        last = next(
            (n for n in range(first + 1, len(entries)) if entries[n][0] == 1 and n not in sections),
            len(entries),
        )
        entries = [e for n, e in enumerate(entries[first:last], start=first) if n not in sections]
    problems = [
        (words, requirement)
        for n, (level, words, requirement) in enumerate(entries)
        if not (n + 1 < len(entries) and entries[n + 1][0] > level)
    ]
    if not problems:
        raise LedgerImportError(
            [f"{file}：没有找到编号的问题（每个问题应以“1.”“1、”或“（一）”开头另起一行）"]
        )
    deadline = (on or date.today()) + timedelta(days=deadline_days)
    items = []
    for n, (words, requirement) in enumerate(problems, start=1):
        problem = "".join(words).strip()
        items.append(
            RectificationItem(
                id=item_id(name, year, origin.value, "imported", problem),
                project=name,
                year=year,
                problem=problem,
                origin=origin,
                category=category_of(None, problem),
                evidence=[f"{Path(file).name} 第{n}个问题"],
                requirement="".join(requirement).strip() or None,
                unit=unit,
                deadline=deadline,
            )
        )
    return items


def read_audit_problems(
    path: str | Path,
    *,
    origin: Origin = Origin.audit,
    project: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    on: date | None = None,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
) -> list[RectificationItem]:
    """Problems imported from an audit report: an Excel sheet (xlsx, xls; columns 问题 / 项目 / 来源 /
    类别 / 严重程度 / 整改要求 / 责任单位 / 责任人 / 时限 …, or a whole ledger jixiao wrote) or a
    plain-text report (txt, md) with numbered problems. Raises ``LedgerImportError`` (Chinese, each
    message naming its cell or line)."""
    p = Path(path)
    if not p.is_file():
        raise LedgerImportError([f"找不到文件 {p}"])
    options = {
        "origin": origin,
        "project": project,
        "unit": unit,
        "year": year,
        "on": on,
        "deadline_days": deadline_days,
    }
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return read_ledger_rows(p, **options)  # type: ignore[arg-type]
    if suffix in (".txt", ".md", ""):
        raw = p.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise LedgerImportError([f"{p.name}：无法识别文字编码"])
        return read_text_problems(text, file=p.name, **options)  # type: ignore[arg-type]
    raise LedgerImportError(
        [f"{p.name}：不支持的文件类型“{suffix}”，问题清单应为 Excel（xlsx、xls）或文本（txt）"]
    )


def cell_values(item: RectificationItem, today: date) -> list[object]:
    """One ledger row in :data:`COLUMNS` order, as the export writes it (Chinese labels, dates as dates)."""
    values: dict[str, object] = {
        "id": item.id,
        "project": item.project,
        "year": item.year,
        "problem": item.problem,
        "origin": ORIGIN_NAMES.get(item.origin.value, item.origin.value),
        "category": item.category,
        "severity": SEVERITY_NAMES.get(item.severity or "", item.severity),
        "finding_code": item.finding_code,
        "evidence": "；".join(item.evidence),
        "requirement": item.requirement,
        "measures": item.measures,
        "unit": item.unit,
        "person": item.person,
        "deadline": item.deadline,
        "status": ITEM_STATUS_NAMES[item.status.value],
        "overdue": OVERDUE_MARK if item.overdue(today) else "",
        "progress": item.progress,
        "progress_evidence": "；".join(item.progress_evidence),
        "confirmed_by": item.confirmed_by,
        "confirmed_on": item.confirmed_on,
    }
    return [values[role] for role, _ in COLUMNS]


def header_names(roles: Sequence[str]) -> list[str]:
    """The ledger headers of the given roles."""
    return [HEADERS[r] for r in roles]
