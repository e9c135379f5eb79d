"""Workbooks that hold one project per sheet (系统导出的申报表、自评表): one document per project.

A workbook is split only when at least two of its sheets name *different* projects (项目名称).
A sheet naming no project belongs to the project of the sheet before it; sheets before the
first named one (a cover or an instruction sheet) are shared by every project, since they
usually carry the unit and the year.  A workbook whose sheets all describe one project (a
project-library export: 基本信息, 支出计划, 自评表…) stays whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.ingest.document import Block, Document, Table

WORKBOOK_FORMATS = ("xlsx", "xls")


@dataclass
class Part:
    """One project of a document: its label (the first sheet's name) and its blocks."""

    label: str | None
    document: Document


def _project_name(doc: Document, table: Table) -> str | None:
    from jixiao.ingest.extract.context import Context
    from jixiao.ingest.extract.labels import collect, first

    single = Document(file=doc.file, blocks=[table], format=doc.format)
    value = first(collect(Context(single)), "project")
    return value.text if value is not None else None


def split_projects(doc: Document) -> list[Part]:
    """The document's projects: several for a one-project-per-sheet workbook, else the whole document."""
    whole = [Part(None, doc)]
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    if doc.format not in WORKBOOK_FORMATS or len(tables) < 2:
        return whole
    names = [_project_name(doc, t) for t in tables]
    if len({n for n in names if n}) < 2:
        return whole
    shared: list[Block] = []
    groups: dict[str, tuple[str | None, list[Block]]] = {}
    current: str | None = None
    for table, name in zip(tables, names, strict=True):
        if name:
            current = name
            if name not in groups:
                groups[name] = (table.name, [])
        if current is None:
            shared.append(table)
        else:
            groups[current][1].append(table)
    return [
        Part(
            label,
            Document(
                file=doc.file,
                blocks=[*shared, *blocks],
                format=doc.format,
                pages=doc.pages,
                meta=dict(doc.meta),
            ),
        )
        for label, blocks in groups.values()
    ]
