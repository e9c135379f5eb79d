"""Lists a page at a time: totals, page links that keep the filters, name search, authorisation kept."""

from __future__ import annotations

import re

from sqlalchemy import select

from jixiao.store.models import EvaluationRecord, Organisation
from jixiao.store.seed import UNIT_A, UNIT_B
from tests.web.conftest import login


def _copies(db: object, unit: str, n: int, status: str = "submitted") -> None:
    """``n`` copies of the unit's first evaluation, named 项目-001…"""
    with db.session() as session:  # type: ignore[attr-defined]
        org = session.scalars(select(Organisation.id).where(Organisation.name == unit)).one()
        model = session.scalars(select(EvaluationRecord).where(EvaluationRecord.unit_id == org)).first()
        for i in range(1, n + 1):
            session.add(
                EvaluationRecord(
                    unit_id=org,
                    department_id=model.department_id,
                    year=model.year,
                    kind=model.kind,
                    project_name=f"{unit}项目-{i:03d}",
                    unit_name=unit,
                    status=status,
                    data=dict(model.data),
                )
            )


def _total(page: str) -> int:
    match = re.search(r"共 (\d+) 条", page)
    assert match, "no total on the page"
    return int(match.group(1))


def _ids(page: str, prefix: str) -> list[str]:
    return re.findall(rf'href="/{prefix}/(\d+)"', page)


def test_evaluation_list_pages(app: object, db: object) -> None:
    _copies(db, UNIT_A, 120)
    _copies(db, UNIT_B, 7)
    finance = login(app, "caizheng")
    first = finance.get("/evaluations").text
    total = _total(first)
    assert total >= 127 and len(_ids(first, "evaluations")) == 50
    assert f"第 1 / {(total + 49) // 50} 页" in first and 'rel="next"' in first
    last = finance.get(f"/evaluations?page={(total + 49) // 50}").text
    assert len(_ids(last, "evaluations")) == total - 50 * ((total - 1) // 50) and 'rel="next"' not in last
    seen = set()
    for number in range(1, (total + 49) // 50 + 1):
        seen |= set(_ids(finance.get(f"/evaluations?page={number}").text, "evaluations"))
    assert len(seen) == total  # every evaluation on exactly one page
    assert _ids(finance.get("/evaluations?page=999").text, "evaluations") == _ids(last, "evaluations")
    assert _ids(finance.get("/evaluations?page=abc").text, "evaluations") == _ids(first, "evaluations")

    found = finance.get("/evaluations", params={"q": "项目-11"}).text
    assert "共 10 条" in found  # 项目-110 … 项目-119
    page_two = finance.get("/evaluations", params={"q": "项目-0", "status": "submitted"}).text
    assert "q=%E9%A1%B9%E7%9B%AE-0" in page_two and "status=submitted" in page_two  # links keep filters
    assert "共 0 条" in finance.get("/evaluations", params={"q": "100%_"}).text  # wildcards are text


def test_units_page_through_their_own_evaluations_only(app: object, db: object) -> None:
    _copies(db, UNIT_A, 60)
    _copies(db, UNIT_B, 60)
    unit_b = login(app, "danwei2")
    assert 60 <= _total(unit_b.get("/evaluations").text) < 120
    assert UNIT_A + "项目" not in unit_b.get("/evaluations", params={"q": UNIT_A}).text
    assert "共 0 条" in unit_b.get("/evaluations", params={"q": UNIT_A + "项目"}).text


def test_review_queue_pages_in_severity_order(app: object, db: object) -> None:
    _copies(db, UNIT_A, 70)
    finance = login(app, "caizheng")
    first = finance.get("/review").text
    assert len(_ids(first, "review")) == 50 and 'rel="next"' in first
    second = finance.get("/review?status=submitted&page=2").text
    assert not set(_ids(first, "review")) & set(_ids(second, "review"))
