"""Many projects assigned to a task at once: typed as a list, picked for several units, or read
from a project list (Excel); every line checked before any is assigned, all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.store.models import EvaluationRecord, Organisation, OrgKind, Role, Task
from jixiao.store.queries import Actor, StoreError, require_role
from jixiao.store.service import assign_project

MAX_LINES = 500  # projects per assignment
_SEPARATOR = re.compile(r"\t|，|,|;|；")


@dataclass(frozen=True)
class ProjectLine:
    """One line of a project list: its number (from 1), the project, and the unit when named."""

    number: int
    project: str
    unit: str | None = None


class ListError(StoreError):
    """Lines of a project list that cannot be assigned; nothing was assigned."""

    status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__("项目清单有误，未分配任何项目：" + "；".join(problems[:10]))
        self.problems = problems


def parse_lines(text: str) -> list[ProjectLine]:
    """``项目名称`` or ``项目名称，实施单位`` per line (tab, comma or semicolon between); blank lines skipped."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        cells = [c.strip() for c in _SEPARATOR.split(raw.strip(), maxsplit=1)]
        if cells and cells[0]:
            out.append(ProjectLine(number, cells[0], cells[1] if len(cells) > 1 and cells[1] else None))
    return out


def _plan(
    session: Session, lines: list[ProjectLine], units: list[Organisation]
) -> tuple[list[tuple[str, Organisation]], list[str]]:
    """The (project, unit) pairs a list asks for, and the problems of its lines."""
    known = {
        o.name: o for o in session.scalars(select(Organisation).where(Organisation.kind == OrgKind.unit))
    }
    pairs: list[tuple[str, Organisation]] = []
    problems: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    for line in lines:
        if len(line.project) > 500:
            problems.append(f"第{line.number}行：项目名称超过 500 字")
            continue
        if line.unit is not None:
            unit = known.get(line.unit)
            if unit is None:
                problems.append(f"第{line.number}行：没有名为“{line.unit}”的实施单位")
                continue
            targets = [unit]
        elif units:
            targets = units
        else:
            problems.append(f"第{line.number}行：未写实施单位，也未勾选实施单位")
            continue
        for unit in targets:
            first = seen.setdefault((line.project, unit.id), line.number)
            if first != line.number:
                problems.append(f"第{line.number}行与第{first}行重复（{line.project}，{unit.name}）")
            else:
                pairs.append((line.project, unit))
    return pairs, problems


def assign_projects(
    session: Session, actor: Actor, task: Task, lines: list[ProjectLine], units: list[Organisation]
) -> list[EvaluationRecord]:
    """Assign every line (to its named unit, else to each of ``units``); raise ``ListError`` first if any is bad."""
    require_role(actor, Role.finance, Role.admin)
    if not lines:
        raise ListError(["请至少填写一个项目名称"])
    if len(lines) > MAX_LINES:
        raise ListError([f"一次最多分配 {MAX_LINES} 个项目，本次 {len(lines)} 个"])
    if any(u.kind != OrgKind.unit for u in units):
        raise ListError(["只能分配给实施单位"])
    pairs, problems = _plan(session, lines, units)
    if problems:
        raise ListError(problems)
    return [assign_project(session, actor, task, unit, project) for project, unit in pairs]
