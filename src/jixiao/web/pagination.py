"""Pages of a list query: 50 rows a page, the total counted by the database, filters kept in links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from jixiao.store.models import EvaluationRecord
from jixiao.web.params import page_number

PAGE_SIZE = 50


@dataclass
class Page:
    """One page of records, where it is among all pages, and the filters to keep in its links."""

    records: list[Any]
    number: int
    size: int
    total: int
    filters: dict[str, str]

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return page_count(self.total, self.size)

    @property
    def first_row(self) -> int:
        """1-based position of the first row shown (0 when there is none)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        """1-based position of the last row shown."""
        return (self.number - 1) * self.size + len(self.records)

    def link(self, number: int) -> str:
        """The query string of page ``number`` with the same filters."""
        return "?" + urlencode({**{k: v for k, v in self.filters.items() if v}, "page": number})


def page_count(total: int, size: int) -> int:
    """Pages needed for ``total`` rows (at least one, so an empty list still has page 1)."""
    return max(1, ceil(total / size))


def paginate(
    session: Session,
    query: Select[Any],
    page: str,
    filters: dict[str, str],
    size: int = PAGE_SIZE,
    *,
    rows: Callable[..., Any] | None = None,
) -> Page:
    """The requested page of ``query`` (out-of-range or malformed page numbers are clamped).

    Records are the query's first column (an ORM entity), or with ``rows`` each row's columns
    passed to ``rows`` (a ``NamedTuple``, say).
    """
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    # a malformed or out-of-range page number shows the nearest page (a stale link still works)
    number = min(page_number(page), page_count(total, size))
    window = query.limit(size).offset((number - 1) * size)
    if rows is None:
        records = list(session.scalars(window))
    else:
        records = [rows(*row) for row in session.execute(window)]
    return Page(records, number, size, total, filters)


def search(query: Select[Any], text: str) -> Select[Any]:
    """Evaluations whose project or unit name contains ``text`` (a LIKE with escaped wildcards)."""
    text = text.strip()[:100]
    if not text:
        return query
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query.where(
        or_(
            EvaluationRecord.project_name.like(pattern, escape="\\"),
            EvaluationRecord.unit_name.like(pattern, escape="\\"),
        )
    )
