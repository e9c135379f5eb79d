"""Login sessions end for real: a copied cookie is dead after logout, a password reset or disabling.

The cookie must carry only a reference to a server-side session (``user_sessions``), so ending the
session on the server also ends every copy of the cookie.  Sessions also expire after
``Settings.session_idle_minutes`` without use and ``Settings.session_max_hours`` after login.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.store.db import Database
from jixiao.store.models import User
from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo
from jixiao.web import Settings, create_app
from tests.web.conftest import PASSWORD, csrf_of, login, try_login

PAGE = "/evaluations"  # a page every logged-in role may open


def _copy(app: object, client: TestClient) -> TestClient:
    """A second client holding a copy of ``client``'s cookies (a stolen or shared cookie)."""
    thief = TestClient(app)  # type: ignore[arg-type]
    for cookie in client.cookies.jar:
        thief.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def _logged_in(client: TestClient) -> bool:
    """True when the client's cookie opens a page; asserts the refusal is the login redirect."""
    r = client.get(PAGE, follow_redirects=False)
    if r.status_code == 200:
        return True
    assert r.status_code == 303, (r.status_code, r.text[:300])
    assert r.headers["location"].startswith("/login"), r.headers["location"]
    htmx = client.get(PAGE, headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 401, htmx.status_code
    assert htmx.headers.get("hx-redirect", "").startswith("/login")
    return False


def _logout(client: TestClient) -> None:
    token = csrf_of(client, PAGE)
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def _user_id(db: Any, username: str) -> int:
    with db.session() as session:
        return int(session.scalars(select(User.id).where(User.username == username)).one())


def test_copied_cookie_is_refused_after_logout(app: object) -> None:
    unit = login(app, "danwei")
    thief = _copy(app, unit)
    assert _logged_in(thief)  # the copy works while the session lives
    _logout(unit)
    assert not _logged_in(unit)
    assert not _logged_in(thief), "a copy of the cookie still works after logout"


def test_login_after_logout_works(app: object) -> None:
    unit = login(app, "danwei")
    _logout(unit)
    token = csrf_of(unit)
    r = unit.post(
        "/login",
        data={"username": "danwei", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _logged_in(unit)


def test_cookie_from_before_login_is_not_logged_in(app: object) -> None:
    """Session fixation: the anonymous cookie a visitor had before logging in is not the new session."""
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client)
    before = _copy(app, client)
    r = client.post(
        "/login",
        data={"username": "danwei", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _logged_in(client)
    assert not _logged_in(before)


def test_copied_cookie_is_refused_after_a_password_reset(app: object, db: Any) -> None:
    unit = login(app, "danwei")
    thief = _copy(app, unit)
    assert _logged_in(thief)
    admin = login(app, "admin")
    r = admin.post(
        f"/admin/users/{_user_id(db, 'danwei')}/password", data={"csrf_token": csrf_of(admin, "/admin")}
    )
    assert r.status_code == 200 and "新密码" in r.text
    assert not _logged_in(thief), "a copy of the cookie still works after the password was reset"
    assert not _logged_in(unit), "the session survives a password reset"
    assert _logged_in(admin)  # the administrator's own session is untouched


def test_copied_cookie_stays_dead_after_disabling_and_re_enabling(app: object, db: Any) -> None:
    unit = login(app, "danwei")
    thief = _copy(app, unit)
    assert _logged_in(thief)
    admin = login(app, "admin")
    token = csrf_of(admin, "/admin")
    url = f"/admin/users/{_user_id(db, 'danwei')}/active"
    assert "已停用" in admin.post(url, data={"csrf_token": token, "active": "0"}).text
    assert not _logged_in(thief)
    assert try_login(app, "danwei")[1] != 303
    assert "已启用" in admin.post(url, data={"csrf_token": token, "active": "1"}).text
    assert not _logged_in(thief), "re-enabling the account revived a session from before it was disabled"
    assert not _logged_in(unit), "re-enabling the account revived a session from before it was disabled"
    fresh = login(app, "danwei")
    assert _logged_in(fresh)


def test_parallel_logins_are_separate_sessions(app: object) -> None:
    """Two logins of one user are two sessions; logging out ends (at least) the one it is called from.

    Whether logout also ends the user's other sessions is a policy choice not asserted here.
    """
    first, second = login(app, "danwei"), login(app, "danwei")
    assert dict(first.cookies) != dict(second.cookies)
    assert _logged_in(first) and _logged_in(second)
    first_copy = _copy(app, first)
    _logout(first)
    assert not _logged_in(first_copy), "logout did not end the session it was called from"
    second_copy = _copy(app, second)
    if _logged_in(second):  # logout of one session left the other: it still ends on its own logout
        _logout(second)
        assert not _logged_in(second_copy)


def test_session_timeouts_are_settings() -> None:
    settings = Settings(data_dir=Path("/nonexistent"), session_idle_minutes=5, session_max_hours=1)
    assert settings.session_idle_minutes == 5
    assert settings.session_max_hours == 1
    defaults = Settings(data_dir=Path("/nonexistent"))
    assert 0 < defaults.session_idle_minutes <= 24 * 60
    assert 0 < defaults.session_max_hours <= 24


class Clock:
    """``time.time`` moved forward at will (everything else about time is untouched)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + self.offset)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def short_sessions(tmp_path: Path) -> Any:
    """An app whose sessions end after 10 idle minutes and 1 hour in all."""
    settings = Settings(
        data_dir=tmp_path, secret_key="test-secret", session_idle_minutes=10, session_max_hours=1
    )
    db = Database(f"sqlite:///{tmp_path / 'sessions.db'}")
    app = create_app(settings, db)
    with db.session() as session:
        seed_demo(session, {username: PASSWORD for username, *_ in DEMO_ACCOUNTS})
    yield app
    db.dispose()


def test_idle_session_expires(short_sessions: object, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    unit = login(short_sessions, "danwei")
    for _ in range(5):  # in use every 3 minutes for 15 minutes: longer than the idle limit, still alive
        clock.advance(3 * 60)
        assert _logged_in(unit), f"session ended after {clock.offset / 60:.0f} minutes of steady use"
    clock.advance(11 * 60)
    assert not _logged_in(unit), "the session survived 11 idle minutes (limit 10)"
    fresh = login(short_sessions, "danwei")
    assert _logged_in(fresh)


def test_session_ends_after_the_absolute_limit(
    short_sessions: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    unit = login(short_sessions, "danwei")
    alive_until = 0.0
    while clock.offset < 2 * 3600 and _logged_in(unit):
        alive_until = clock.offset
        clock.advance(5 * 60)  # used every 5 minutes, never idle
    assert 55 * 60 <= alive_until < 65 * 60, f"a session used steadily lasted {alive_until / 60:.0f} minutes"
