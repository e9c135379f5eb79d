"""Fixtures of the web tests: an app on a fresh SQLite database with demo data, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jixiao.store.db import Database
from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo
from jixiao.web import Settings, create_app

PASSWORD = "test-password-1"


@pytest.fixture
def app_db(tmp_path: Path) -> Iterator[tuple[object, Database]]:
    """The app and its database, seeded with the examples and one account per role."""
    settings = Settings(data_dir=tmp_path, secret_key="test-secret")
    db = Database(f"sqlite:///{tmp_path / 'test.db'}")
    app = create_app(settings, db)
    with db.session() as session:
        seed_demo(session, {username: PASSWORD for username, *_ in DEMO_ACCOUNTS})
    yield app, db
    db.dispose()


def csrf_of(client: TestClient, url: str = "/login") -> str:
    """The CSRF token printed in a page's forms."""
    page = client.get(url)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def version_of(html: str) -> str:
    """The evaluation version a page's form posts back (optimistic locking)."""
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "no version field on the page"
    return found.group(1)


def try_login(app: object, username: str, password: str = PASSWORD) -> tuple[TestClient, int]:
    """A client after posting the login form, and the response status (303 when logged in)."""
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return client, response.status_code


def login(app: object, username: str) -> TestClient:
    """A client logged in as ``username``."""
    client, status = try_login(app, username)
    assert status == 303, status
    return client


@pytest.fixture
def app(app_db: tuple[object, Database]) -> object:
    """The app alone."""
    return app_db[0]


@pytest.fixture
def db(app_db: tuple[object, Database]) -> Database:
    """The database alone."""
    return app_db[1]
