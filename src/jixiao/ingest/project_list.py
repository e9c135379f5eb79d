"""A project list (项目清单) a finance bureau keeps in Excel: one project per row, with a 项目名称
column and, when projects go to different units, a 实施单位 column."""

from __future__ import annotations

from pathlib import Path

from jixiao.ingest.document import Table
from jixiao.ingest.readers import read_document

ListRow = tuple[int, str, str | None]  # the row number as the user sees it, the project, the unit


def _columns(row: list[str]) -> tuple[int, int | None] | None:
    """The 项目名称 column and the unit column of a header row (None when it is no header)."""
    names = [c.replace(" ", "").replace("\n", "") for c in row]
    project = next((i for i, c in enumerate(names) if "项目名称" in c or c == "项目"), None)
    if project is None:
        return None
    unit = next((i for i, c in enumerate(names) if i != project and "单位" in c), None)
    return project, unit


def read_project_list(path: str | Path) -> tuple[list[ListRow], list[str]]:
    """The rows of the first table with a 项目名称 header, and problems in Chinese (file unreadable,
    no such column). Rows without a project name are skipped."""
    doc, findings = read_document(path)
    if doc is None:
        return [], [f.message for f in findings] or ["无法读取项目清单文件"]
    for table in (b for b in doc.blocks if isinstance(b, Table)):
        for at, row in enumerate(table.rows):
            columns = _columns(row)
            if columns is None:
                continue
            project, unit = columns
            out: list[ListRow] = []
            for number, cells in enumerate(table.rows[at + 1 :], start=at + 2):
                name = cells[project].strip() if project < len(cells) else ""
                if name:
                    owner = cells[unit].strip() if unit is not None and unit < len(cells) else ""
                    out.append((number, name, owner or None))
            return out, [] if out else ["项目清单中“项目名称”列下没有项目"]
    return [], ["项目清单中没有找到“项目名称”列（第一行应为表头：项目名称、实施单位）"]
