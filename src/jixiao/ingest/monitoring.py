"""项目支出绩效目标执行监控表 read into a :class:`~jixiao.monitoring.Monitoring`, by header roles.

A sheet (Excel ``.xls``/``.xlsx``) or a Word table holding the 136号 monitoring table is found by
its headings, not by cell addresses: 项目名称 / 主管部门 / 实施单位 are read from the cell after their
label; the funds block from the row holding 年初预算数 and 1—N月执行数 (N is the cut-off); the
indicator block from the row holding 一级指标 and 年度指标值, with its second heading row
(经费保障 … 其他 / 原因说明, 确定能 / 有可能 / 完全不可能) when the form prints one. A mark (✔ √ ✓
● 是 …) under a category or a likelihood column picks it. jixiao's own monitoring form
(``render.monitoring_xlsx``) is read back the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.findings import Finding, Severity, finding
from jixiao.ingest.document import Document, Table
from jixiao.ingest.readers import read_document
from jixiao.loader import LoadedMonitoring
from jixiao.model import Figure, FundSource, Project, Source
from jixiao.monitoring import (
    Cause,
    CauseCategory,
    Likelihood,
    MonitoredFunds,
    MonitoredIndicator,
    Monitoring,
)
from jixiao.numbers import parse_decimal
from jixiao.vocabulary import CAUSE_NAMES, FUND_SOURCE_NAMES, LIKELIHOOD_NAMES

MARKS = {"✔", "√", "✓", "●", "☑", "是", "v", "V", "1", "yes", "Y", "y", "★", "■"}
CUTOFF = re.compile(r"1\s*[-—–~～至到]\s*(\d{1,2})\s*月")
FUND_ROWS = (
    ("上年结转", FundSource.carryover),
    ("财政拨款", FundSource.appropriation),
    ("其他资金", FundSource.other),
    ("资金总额", FundSource.total),
    ("合计", FundSource.total),
    ("中央", FundSource.central),
    ("省级", FundSource.provincial),
    ("市级", FundSource.municipal),
    ("县级", FundSource.county),
    ("区级", FundSource.county),
    ("上级", FundSource.superior),
)
CAUSE_BY_NAME = {name: CauseCategory(key) for key, name in CAUSE_NAMES.items()}
LIKELIHOOD_BY_NAME = {name: Likelihood(key) for key, name in LIKELIHOOD_NAMES.items()}


def _key(text: str) -> str:
    return re.sub(r"[\s:：（）()\[\]]", "", text)


def _marked(text: str) -> bool:
    return _key(text) in MARKS


@dataclass
class _Reading:
    doc: Document
    table: Table
    findings: list[Finding] = field(default_factory=list)

    def source(self, row: int, col: int) -> Source:
        return self.doc.cell_source(self.table, row, col)


def _after(rows: list[list[str]], label: str) -> tuple[int, int, str] | None:
    """The first non-empty cell after a cell whose text starts with ``label``."""
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if _key(text).startswith(label):
                for d in range(c + 1, len(row)):
                    if row[d].strip():
                        return r, d, row[d].strip()
    return None


def _is_monitoring(table: Table) -> bool:
    """A table with the indicator heading row (一级指标 … 年度指标值) and a 全年预计 column."""
    for row in table.rows[:80]:
        keys = [_key(c) for c in row]
        if "一级指标" in keys and "年度指标值" in keys and any("全年预计" in k for k in keys):
            return True
    return False


def _project(rows: list[list[str]]) -> Project | None:
    name = _after(rows, "项目名称")
    if name is None:
        return None
    department = _after(rows, "主管部门")
    unit = _after(rows, "实施单位")
    dept, code = (department[2] if department else None), None
    if dept:
        m = re.match(r"^\s*[\[［【(（]?\s*(\d+)\s*[\]］】)）]\s*(.+)$", dept)
        if m:
            code, dept = m.group(1), m.group(2).strip()
    number = _after(rows, "项目编码")
    return Project(
        name=name[2],
        code=number[2] if (number and number[0] == name[0]) or (number and number[2] != name[2]) else None,
        department=dept,
        department_code=code,
        unit=unit[2] if unit else None,
    )


def _year(rows: list[list[str]]) -> int | None:
    for row in rows[:8]:
        for text in row:
            m = re.search(r"((?:19|20)\d{2})\s*年", text)
            if m:
                return int(m.group(1))
    return None


def _fund_source(label: str) -> FundSource | None:
    key = _key(label)
    for word, source in FUND_ROWS:
        if word in key:
            return source
    return None


def _fund_label(label: str, source: FundSource) -> str | None:
    """The printed label, None when it is the standard name of its source."""
    text = re.sub(r"^其中[:：]", "", label.strip().rstrip(":：")).strip()
    return None if not text or text == FUND_SOURCE_NAMES.get(source.value) else text


def _funds(reading: _Reading) -> tuple[list[MonitoredFunds], int | None]:
    rows = reading.table.rows
    for r, row in enumerate(rows):
        keys = [_key(c) for c in row]
        budget = next((c for c, k in enumerate(keys) if k.endswith("预算数")), None)
        spent = next((c for c, k in enumerate(keys) if CUTOFF.search(k) and k.endswith("执行数")), None)
        if budget is None or spent is None:
            continue
        month_match = CUTOFF.search(keys[spent])
        month = int(month_match.group(1)) if month_match else None
        rate = next((c for c, k in enumerate(keys) if k.endswith("执行率")), None)
        forecast = next((c for c, k in enumerate(keys) if "全年预计" in k), None)
        available = next((c for c, k in enumerate(keys) if "到位" in k), None)
        out: list[MonitoredFunds] = []
        for q in range(r + 1, len(rows)):
            line = rows[q]
            label = next(
                (t.strip() for t in line[:budget] if t.strip() and not _key(t).startswith("项目资金")), ""
            )
            amount = parse_decimal(line[budget]) if budget < len(line) else None
            source = _fund_source(label) or (FundSource.other if amount is not None and label else None)
            if source is None:
                break
            sources = {"budget": reading.source(q, budget)}

            def cell(
                col: int | None,
                name: str,
                q: int = q,
                line: list[str] = line,
                sources: dict[str, Source] = sources,
            ) -> str | None:
                if col is None or col >= len(line) or not line[col].strip():
                    return None
                sources[name] = reading.source(q, col)
                return line[col].strip()

            spent_text = cell(spent, "spent")
            rate_text = cell(rate, "rate")
            forecast_text = cell(forecast, "forecast")
            available_text = cell(available, "available")
            out.append(
                MonitoredFunds(
                    source=source,
                    label=_fund_label(label, source),
                    budget=amount,
                    available=parse_decimal(available_text) if available_text else None,
                    spent=parse_decimal(spent_text) if spent_text else None,
                    rate=Figure.model_validate(rate_text) if rate_text else None,
                    forecast=parse_decimal(forecast_text) if forecast_text else None,
                    sources=sources,
                )
            )
        return out, month
    return [], None


@dataclass
class _Columns:
    level1: int | None = None
    level2: int | None = None
    name: int | None = None
    target: int | None = None
    to_date: int | None = None
    forecast: int | None = None
    cause_text: int | None = None
    measures: int | None = None
    remark: int | None = None
    likelihood: int | None = None  # one column holding the likelihood as text
    categories: dict[int, CauseCategory] = field(default_factory=dict)
    likelihoods: dict[int, Likelihood] = field(default_factory=dict)
    month: int | None = None


def _columns(head: list[str], sub: list[str] | None) -> _Columns:
    cols = _Columns()
    width = max(len(head), len(sub or []))
    for c in range(width):
        top = _key(head[c]) if c < len(head) else ""
        low = _key(sub[c]) if sub is not None and c < len(sub) else ""
        text = low or top
        if text in CAUSE_BY_NAME:
            cols.categories[c] = CAUSE_BY_NAME[text]
        elif text in LIKELIHOOD_BY_NAME:
            cols.likelihoods[c] = LIKELIHOOD_BY_NAME[text]
        elif text == "一级指标":
            cols.level1 = c
        elif text == "二级指标":
            cols.level2 = c
        elif text == "三级指标":
            cols.name = c
        elif "年度指标值" in text or text == "指标值":
            cols.target = c
        elif "全年预计" in text:
            cols.forecast = c
        elif CUTOFF.search(text):
            cols.to_date = c
            m = CUTOFF.search(text)
            cols.month = int(m.group(1)) if m else None
        elif "原因说明" in text or ("偏差原因" in text and not low):
            cols.cause_text = c
        elif "纠偏措施" in text or "保障措施" in text:
            cols.measures = c
        elif "完成目标可能性" in text:
            cols.likelihood = c
        elif text == "备注":
            cols.remark = c
    return cols


def _indicators(reading: _Reading, notes: list[str]) -> tuple[list[MonitoredIndicator], int | None]:
    rows = reading.table.rows
    for r, row in enumerate(rows):
        keys = [_key(c) for c in row]
        if "一级指标" not in keys or not any("年度指标值" in k or k == "指标值" for k in keys):
            continue
        sub = rows[r + 1] if r + 1 < len(rows) else None
        has_sub = sub is not None and any(
            _key(c) in CAUSE_BY_NAME or _key(c) in LIKELIHOOD_BY_NAME for c in sub
        )
        cols = _columns(row, sub if has_sub else None)
        start = r + (2 if has_sub else 1)
        out: list[MonitoredIndicator] = []
        level1 = level2 = ""
        for q in range(start, len(rows)):
            line = rows[q]

            def at(col: int | None, line: list[str] = line) -> str:
                return line[col].strip() if col is not None and col < len(line) else ""

            if at(cols.level1):
                level1 = at(cols.level1)
                level2 = ""
            if at(cols.level2):
                level2 = at(cols.level2)
            name, target = at(cols.name), at(cols.target)
            if not (name or target) or not level1:
                if not any(c.strip() for c in line):
                    continue
                if out and not name and not target:
                    break  # the block ended (a signature line, a note)
                continue
            categories = [cat for c, cat in cols.categories.items() if _marked(at(c))]
            why = at(cols.cause_text)
            parts = [p.strip() for p in re.split(r"[；;]", why)] if why else []
            if len(categories) > 1 and len(parts) == len(categories):
                causes = [
                    Cause(category=cat, text=p or None) for cat, p in zip(categories, parts, strict=True)
                ]
            else:
                causes = [Cause(category=cat, text=why or None) for cat in categories]
            if why and not causes:
                causes = [Cause(category=CauseCategory.other, text=why)]
            likely = [lk for c, lk in cols.likelihoods.items() if _marked(at(c))]
            if not likely and at(cols.likelihood):
                likely = [
                    lk for label, lk in LIKELIHOOD_BY_NAME.items() if label == _key(at(cols.likelihood))
                ]
            remark = at(cols.remark)
            if remark:
                notes.append(f"“{name or level2}”备注：{remark}")
            out.append(
                MonitoredIndicator(
                    level1=level1,
                    level2=level2 or None,
                    name=name or None,
                    target=Figure.model_validate(target) if target else None,
                    to_date=Figure.model_validate(at(cols.to_date)) if at(cols.to_date) else None,
                    forecast=Figure.model_validate(at(cols.forecast)) if at(cols.forecast) else None,
                    likelihood=likely[0] if len(likely) == 1 else None,
                    causes=causes,
                    measures=at(cols.measures) or None,
                    source=reading.source(q, cols.name if cols.name is not None else 0),
                )
            )
            if len(likely) > 1:
                reading.findings.append(
                    finding(
                        "ingest.ambiguous",
                        Severity.warning,
                        f"“{name}”的完成目标可能性勾选了不止一项，未读取",
                        source=reading.source(q, 0),
                    )
                )
        return out, cols.month
    return [], None


def _goal(rows: list[list[str]]) -> str | None:
    found = _after(rows, "年度总体目标")
    return found[2] if found else None


def _overall(rows: list[list[str]]) -> tuple[list[Cause], str | None, Likelihood | None]:
    """The report's overall 偏差原因 (``经费保障：…；其他：…``), 纠偏措施 and 完成目标可能性."""
    causes: list[Cause] = []
    found = _after(rows, "总体偏差原因")
    if found:
        for part in re.split(r"[；;]", found[2]):
            name, sep, text = part.partition("：")
            category = CAUSE_BY_NAME.get(_key(name)) if sep else None
            if category is None:
                category, text = CauseCategory.other, part
            if text.strip() or sep:
                causes.append(Cause(category=category, text=text.strip() or None))
    measures = _after(rows, "总体纠偏措施")
    likely = _after(rows, "总体完成目标可能性")
    likelihood = LIKELIHOOD_BY_NAME.get(_key(likely[2])) if likely else None
    return causes, measures[2] if measures else None, likelihood


def monitoring_from_table(doc: Document, table: Table) -> tuple[Monitoring | None, list[Finding]]:
    """One monitoring table of a document as a Monitoring (None, with a finding, when it is not one)."""
    reading = _Reading(doc, table)
    project = _project(table.rows)
    if project is None:
        return None, [
            finding(
                "ingest.no-monitoring",
                Severity.error,
                f"{doc.file} 的表格“{table.name or table.index}”没有“项目名称”，不是绩效目标执行监控表",
                source=Source(file=doc.file, table=table.index),
            )
        ]
    funds, month = _funds(reading)
    notes: list[str] = []
    indicators, indicator_month = _indicators(reading, notes)
    month = month or indicator_month
    if month is None or not 1 <= month <= 12:
        return None, [
            finding(
                "ingest.no-monitoring",
                Severity.error,
                f"{doc.file} 的监控表没有写明截止月份（“1—N月执行数”）",
                source=Source(file=doc.file, table=table.index),
            )
        ]
    goal = _goal(table.rows)
    if goal:
        notes.insert(0, f"年度总体目标：{goal}")
    causes, measures, likelihood = _overall(table.rows)
    monitoring = Monitoring(
        year=_year(table.rows) or _year([[p.text] for p in doc.paragraphs[:8]]),
        cutoff_month=month,
        project=project,
        funds=funds,
        indicators=indicators,
        likelihood=likelihood,
        causes=causes,
        measures=measures,
        notes=notes,
        source=Source(file=doc.file, table=table.index),
    )
    return monitoring, reading.findings


def ingest_monitorings(path: Path) -> list[LoadedMonitoring]:
    """Every 执行监控表 of a workbook or Word file (a sheet or table each), read by its headings."""
    doc, problems = read_document(path)
    if doc is None:
        return [LoadedMonitoring(str(path), None, problems)]
    out: list[LoadedMonitoring] = []
    for table in doc.tables:
        if not _is_monitoring(table):
            continue
        monitoring, found = monitoring_from_table(doc, table)
        out.append(LoadedMonitoring(str(path), monitoring, [*problems, *found], part=table.name))
    if not out:
        out.append(
            LoadedMonitoring(
                str(path),
                None,
                [
                    *problems,
                    finding(
                        "ingest.no-monitoring",
                        Severity.error,
                        f"{path} 中没有找到绩效目标执行监控表（表头应有“年度指标值”和“全年预计”）",
                        source=Source(file=str(path)),
                    ),
                ],
            )
        )
    if len(out) == 1:
        out[0].part = None
    return out


def holds_monitoring(path: Path) -> bool:
    """True when a workbook's or Word file's first table is an 执行监控表 (a form to check or
    report on as monitoring, not as an evaluation)."""
    doc, _ = read_document(path)
    return doc is not None and bool(doc.tables) and _is_monitoring(doc.tables[0])


def ingest_monitoring(path: Path) -> LoadedMonitoring:
    """The first 执行监控表 of a file (see :func:`ingest_monitorings`)."""
    return ingest_monitorings(path)[0]


__all__ = ["holds_monitoring", "ingest_monitoring", "ingest_monitorings", "monitoring_from_table"]
