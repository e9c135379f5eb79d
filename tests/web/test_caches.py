"""What the pages keep between requests is never stale: a write shows on the next page, whichever
app process made it.

Two apps over one database stand in for two workers (``jixiao serve --workers 2``): each has its
own engine, pool and caches, as a separate process would.  Run on SQLite, and on PostgreSQL when a
server answers.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from jixiao.api import check
from jixiao.store import service
from jixiao.store.db import Database
from jixiao.store.models import EvaluationRecord
from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo
from jixiao.web import Settings, create_app
from jixiao.web.routes.dashboard import dashboard_context, dashboard_data
from tests.store.conftest import PG_ADMIN_URL, _pg_reachable
from tests.web.conftest import PASSWORD, csrf_of, login, version_of
from tests.web.test_flow import _new_evaluation, filled_form


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_apps(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, Any, Database]]:
    """Two apps (two workers' worth) over one seeded database, and that database."""
    name = ""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        reason = _pg_reachable()
        if reason:
            pytest.skip(reason)
        import psycopg

        name = f"jixiao_cache_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    first, second = Database(url), Database(url)
    try:
        settings = Settings(data_dir=tmp_path, secret_key="cache-test")
        app_a = create_app(settings, first)
        app_b = create_app(settings, second)
        with first.session() as session:
            seed_demo(session, {username: PASSWORD for username, *_ in DEMO_ACCOUNTS})
        yield app_a, app_b, first
    finally:
        first.dispose()
        second.dispose()
        if name:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kpis(html: str) -> tuple[int, int]:
    """评价总数 and 已提交 as the dashboard shows them."""
    found = re.findall(r'<div class="big">(\d+)</div>', html)
    assert len(found) >= 2, html[:500]
    return int(found[0]), int(found[1])


def _status_chart(html: str) -> str:
    return html.split("<h2>填报进度</h2>", 1)[1].split("</div></div>", 1)[0]


def _submitted_ids(db: Database) -> list[int]:
    with db.session(write=False) as session:
        return list(
            session.scalars(select(EvaluationRecord.id).where(EvaluationRecord.status == "submitted"))
        )


def _approve(client: TestClient, evaluation_id: int) -> None:
    page = client.get(f"/review/{evaluation_id}").text
    r = client.post(
        f"/review/{evaluation_id}/decision",
        data={"csrf_token": csrf_of(client, "/review"), "version": version_of(page), "action": "approve"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]


def test_a_write_shows_on_the_next_dashboard(two_apps: tuple[Any, Any, Database]) -> None:
    app, _other, db = two_apps
    finance = login(app, "caizheng")
    memo = app.state.jixiao.dashboards
    first = finance.get("/dashboard").text
    assert finance.get("/dashboard").text.count("已通过") == first.count("已通过")
    assert memo.hits >= 1  # the second page came from the cache
    _approve(finance, _submitted_ids(db)[0])
    after = finance.get("/dashboard").text
    assert "已通过" in _status_chart(after) and "已通过" not in _status_chart(first)


def test_a_write_in_one_worker_shows_on_the_other_workers_dashboard(
    two_apps: tuple[Any, Any, Database],
) -> None:
    app_a, app_b, db = two_apps
    viewer_a, finance_b = login(app_a, "chakan"), login(app_b, "caizheng")
    total, submitted = _kpis(viewer_a.get("/dashboard").text)
    viewer_a.get("/dashboard")
    assert app_a.state.jixiao.dashboards.hits >= 1
    # a new project assigned through the other app: one more evaluation, a draft
    _new_evaluation(app_b)
    assert _kpis(viewer_a.get("/dashboard").text) == (total + 1, submitted)
    # an approval through the other app: the status chart moves
    _approve(finance_b, _submitted_ids(db)[0])
    assert "已通过" in _status_chart(viewer_a.get("/dashboard").text)
    # every filter agrees with figures computed afresh
    with db.session(write=False) as session:
        for filters in [("", "", ""), ("", "2022", ""), ("1", "", "")]:
            cached = dashboard_context(session, app_a.state.jixiao.dashboards, *filters)
            fresh = dashboard_data(session, *filters)
            assert {k: cached[k] for k in fresh if "chart" not in k} == {
                k: v for k, v in fresh.items() if "chart" not in k
            }
            assert [str(cached[k]) for k in fresh if "chart" in k] == [
                str(v) for k, v in fresh.items() if "chart" in k
            ]


def test_a_save_in_one_worker_shows_on_the_other_workers_evaluation_page(
    two_apps: tuple[Any, Any, Database],
) -> None:
    app_a, app_b, _db = two_apps
    evaluation_id = _new_evaluation(app_a)
    url = f"/evaluations/{evaluation_id}"
    unit_a, unit_b = login(app_a, "danwei"), login(app_b, "danwei")
    before = unit_a.get(url).text
    assert "部分人员未参保" not in before
    form = filled_form(csrf_of(unit_b, url), int(version_of(unit_b.get(url).text)))
    form["action"] = "save"
    r = unit_b.post(url, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    after_a, after_b = unit_a.get(url).text, unit_b.get(url).text
    assert "部分人员未参保" in after_a
    shown = re.compile(r'<span id="computed-\d+">[^<]*</span>|<div id="explain-\d+">[^<]*</div>')
    assert shown.findall(after_a) == shown.findall(after_b) != shown.findall(before)


def _findings_shown(html: str) -> int:
    found = re.search(r"<h2>复核提示（(\d+)）</h2>", html)
    assert found, html[:500]
    return int(found.group(1))


def test_an_evaluation_changed_behind_the_store_is_audited_afresh(app: Any, db: Database) -> None:
    finance = login(app, "caizheng")
    with db.session(write=False) as session:
        record = max(session.scalars(select(EvaluationRecord)), key=lambda r: len(r.data["indicators"]))
        evaluation_id, data = record.id, dict(record.data)
    url = f"/evaluations/{evaluation_id}"
    before = finance.get(url).text
    data["indicators"] = data["indicators"][:1]
    data["funds"] = {}
    with db.engine.begin() as conn:  # not through the store: the audit kept with it no longer fits
        conn.execute(update(EvaluationRecord).where(EvaluationRecord.id == evaluation_id).values(data=data))
    with db.session(write=False) as session:
        record = session.get(EvaluationRecord, evaluation_id)
        assert record is not None
        fresh = check(service.load_evaluation(record))
    page = finance.get(url).text
    assert _findings_shown(page) == len(fresh.findings) != _findings_shown(before)
    assert 'id="explain-0"' in page and 'id="explain-1"' not in page


def test_health_answers_without_login(app: Any) -> None:
    r = TestClient(app).get("/healthz")
    assert r.status_code == 200 and r.text == "正常"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_list_pages_are_read_off_an_index_never_sorted(app: Any, db: Database) -> None:
    """The review queue and a unit's list: SQLite walks an index in the pages' order (no sort of
    every matching row before the first 50 are shown)."""
    from jixiao.store.queries import Actor, listed
    from jixiao.web.pagination import search

    with db.session(write=False) as session:
        unit = session.scalar(select(EvaluationRecord.unit_id).where(EvaluationRecord.unit_id.is_not(None)))
    finance, danwei = Actor(1, "caizheng", "finance", None), Actor(2, "danwei", "unit", unit)
    from sqlalchemy import nulls_last

    E = EvaluationRecord
    queue = (
        search(listed(finance), "")
        .where(E.status == "submitted")
        .order_by(E.max_severity, nulls_last(E.inflation.desc()), E.id)
    )
    mine = listed(danwei).order_by(E.updated_at.desc(), E.id.desc())
    with db.engine.connect() as conn:
        for query in (queue, mine):
            sql = str(query.limit(50).compile(conn, compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "USING" in plan and "TEMP B-TREE" not in plan, plan
