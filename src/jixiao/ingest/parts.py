"""Workbooks that hold one project per sheet (系统导出的申报表、自评表): one document per project.

A workbook is split only when at least two of its sheets name *different* projects (项目名称).
Each sheet naming a project starts a part, unless it names the project of the part before it
in a form that part does not have yet (a project's 申报表 then its 自评表); two sheets of one form
naming the same project are two projects (two units filed projects of one name).
A sheet naming no project belongs to the project of the sheet before it; sheets before the
first named one (a cover or an instruction sheet) are shared by every project, since they
usually carry the unit and the year.  A workbook whose sheets all describe one project (a
project-library export: 基本信息, 支出计划, 自评表…) stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.ingest.document import Block, Document, Paragraph, Table

WORKBOOK_FORMATS = ("xlsx", "xls")


@dataclass
class Part:
    """One project of a document: its label (the first sheet's name) and its blocks."""

    label: str | None
    document: Document


def _may_name_project(table: Table) -> bool:
    """A cheap test first: every label of a project's name (项目名称, 资金名称, 转移支付项目 …)
    holds 名 or 转移支付."""
    return any("名" in c or "转移支付" in c for row in table.rows for c in row)


def _project_name(doc: Document, table: Table) -> str | None:
    if not _may_name_project(table):
        return None
    from jixiao.ingest.extract.context import Context
    from jixiao.ingest.extract.labels import collect, first

    single = Document(file=doc.file, blocks=[table], format=doc.format)
    value = first(collect(Context(single)), "project")
    return value.text if value is not None else None


def _part(doc: Document, label: str | None, blocks: list[Block]) -> Part:
    """A part of ``doc`` holding ``blocks``, with the document's file, format and metadata."""
    return Part(
        label, Document(file=doc.file, blocks=blocks, format=doc.format, pages=doc.pages, meta=dict(doc.meta))
    )


def split_projects(doc: Document) -> list[Part]:
    """The document's projects: several for a one-project-per-sheet workbook or a compilation of
    project forms (a 预算 or 决算 whose annexes are 绩效目标表 / 自评表), else the whole document."""
    whole = [Part(None, doc)]
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    if doc.format not in WORKBOOK_FORMATS:
        return _split_compilation(doc, tables) or _split_reports(doc) or whole
    if len(tables) < 2:
        return whole
    names = [_project_name(doc, t) for t in tables]
    if len({n for n in names if n}) < 2:
        return whole
    shared: list[Block] = []
    groups: list[tuple[str | None, list[Block]]] = []
    current: str | None = None
    forms: set[str] = set()
    for table, name in zip(tables, names, strict=True):
        form = _title(table)
        if name and (name != current or form in forms):
            current, forms = name, set()
            groups.append((table.name, []))
        if current is None:
            shared.append(table)
        else:
            groups[-1][1].append(table)
            forms.add(form)
    return [_part(doc, label, [*shared, *blocks]) for label, blocks in groups]


def _split_compilation(doc: Document, tables: list[Table]) -> list[Part] | None:
    """Parts of a document that prints several projects' forms, one per form naming a project,
    after the publication's own part (label None) when it prints more than its title first.

    A form starts at a table naming a project (项目名称) and runs to the next such table,
    paragraphs and continuation tables included; it counts when its tables hold indicators (指标)
    — in its first table, or in a later one when a page break cut the form (the head on one
    page, the indicator rows on the next).  Every part keeps the document's title lines (the
    unit and the year) from before its first table, after its own blocks so that the part's own
    form comes first.
    """
    if sum(1 for t in tables if _may_name_project(t)) < 2:
        return None  # one form at most: nothing to split (and no table read twice)
    named = {id(t): name for t in tables if (name := _project_name(doc, t))}
    forms: dict[int, str] = {}
    start: Table | None = None
    for t in tables:
        if id(t) in named:
            start = t
        if start is not None and any("指标" in c for row in t.rows for c in row):
            forms[id(start)] = named[id(start)]
    if len(set(forms.values())) < 2:
        return None
    title: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Table) or len(title) >= 6:
            break
        title.append(block)
    groups: list[tuple[str, list[Block]]] = []
    preamble: list[Block] = []
    for block in doc.blocks:
        name = forms.get(id(block))
        if name is not None:
            groups.append((name, []))
        (groups[-1][1] if groups else preamble).append(block)
    parts = [_part(doc, name, [*blocks, *title]) for name, blocks in groups]
    if any(isinstance(b, Table) for b in preamble) or len(preamble) > len(title):
        # the publication's own text and tables before its forms (a 部门预算's 说明 and 收支总表):
        # a part of its own, read as the department's document and audited as such
        parts.insert(0, _part(doc, None, preamble))
    return parts


_REPORT_TITLE = re.compile(
    r"^(?:附件\s*\d*\s*[:：]?\s*)?(?P<name>.{4,50}?)(?:项目)?(?:支出)?(?:绩效)?(?:自评|评价)?(?:报告|自评表|评价表)$"
)


def _subject(title: str) -> str:
    """What a report title is about, without its year and its kind of report."""
    m = _REPORT_TITLE.match(title)
    name = m.group("name") if m else title
    return re.sub(r"(?:19|20)\d{2}\s*年度?|[（(][^)）]*[)）]|项目|支出|绩效|部门整体|自评|评价|\s", "", name)


def _same(a: str, b: str) -> bool:
    """Two subjects name one report when one holds the other (a title wrapped over two lines)."""
    return a in b or b in a


def _split_reports(doc: Document) -> list[Part] | None:
    """Parts of a text holding several reports one after another (a compilation of 自评报告).

    A report starts at a title-like paragraph (short, no sentence punctuation, ending in 报告 or
    自评表); the text is split only when at least two such titles are about different subjects,
    so a report's own annex (its 自评表) stays with it.
    """
    starts: list[tuple[int, str]] = []
    for i, block in enumerate(doc.blocks):
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        if len(text) > 60 or re.search(r"[，,。；;]", text) or not _REPORT_TITLE.match(text):
            continue
        subject = _subject(text)
        if subject and not any(_same(subject, _subject(t)) for _, t in starts):
            starts.append((i, text))
    if len(starts) < 2:
        return None
    bounds = [i for i, _ in starts] + [len(doc.blocks)]
    # a cover or a table of contents before the first report goes with it
    bounds[0] = 0
    parts = [
        _part(doc, title, doc.blocks[start:end])
        for (_, title), start, end in zip(starts, bounds, bounds[1:], strict=False)
    ]
    return parts


def _title(table: Table) -> str:
    """The first text of a sheet (its form's title), as the form's identity."""
    return next((c.strip() for row in table.rows[:3] for c in row if c.strip()), "")
