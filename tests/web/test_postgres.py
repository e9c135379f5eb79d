"""The main web tests again, on PostgreSQL (skipped with the reason when no server answers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from jixiao.store.db import Database
from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo
from jixiao.web import Settings, create_app
from tests.store.conftest import PG_ADMIN_URL, _pg_reachable
from tests.web.conftest import PASSWORD

# Imported tests run here once more, with the ``app_db`` fixture below (PostgreSQL).
from tests.web.test_editing import test_two_sessions_editing_lose_no_update  # noqa: F401
from tests.web.test_flow import test_unit_fills_submits_and_reviewer_approves  # noqa: F401
from tests.web.test_security import test_unit_cannot_read_or_change_another_units_evaluation  # noqa: F401
from tests.web.test_surveys import test_survey_answers_change_the_satisfaction_indicator  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_db(tmp_path: Path) -> Iterator[tuple[object, Database]]:
    """The app on a fresh, uniquely named PostgreSQL database, dropped afterwards."""
    reason = _pg_reachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    name = f"jixiao_web_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = Database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        app = create_app(Settings(data_dir=tmp_path, secret_key="pg-test"), db)
        with db.session() as session:
            seed_demo(session, {username: PASSWORD for username, *_ in DEMO_ACCOUNTS})
        yield app, db
    finally:
        db.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
