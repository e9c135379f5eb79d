"""Authorisation by URL and form field, CSRF, escaping, login throttling, headers, uploads."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.store.models import EvaluationRecord, Organisation
from jixiao.store.seed import UNIT_A, UNIT_B
from tests.web.conftest import PASSWORD, csrf_of, login, try_login
from tests.web.server import tiny_pdf


def _ids_by_unit(db: object) -> tuple[int, int]:
    with db.session() as session:  # type: ignore[attr-defined]
        a = session.scalars(select(Organisation.id).where(Organisation.name == UNIT_A)).one()
        b = session.scalars(select(Organisation.id).where(Organisation.name == UNIT_B)).one()
        ev_a = session.scalars(select(EvaluationRecord.id).where(EvaluationRecord.unit_id == a)).first()
        ev_b = session.scalars(select(EvaluationRecord.id).where(EvaluationRecord.unit_id == b)).first()
        # make B's evaluation an editable draft so only authorisation can stop unit A
        record = session.get(EvaluationRecord, ev_b)
        record.status = "draft"
    return ev_a, ev_b


def test_unit_cannot_read_or_change_another_units_evaluation(app: object, db: object) -> None:
    ev_a, ev_b = _ids_by_unit(db)
    unit_a = login(app, "danwei")
    assert unit_a.get(f"/evaluations/{ev_a}").status_code == 200
    for url in (f"/evaluations/{ev_b}", f"/evaluations/{ev_b}/download/self-table.docx", f"/review/{ev_b}"):
        r = unit_a.get(url)
        assert r.status_code in (403, 404), url
    token = csrf_of(unit_a, "/evaluations")
    with db.session() as session:  # type: ignore[attr-defined]
        before = session.get(EvaluationRecord, ev_b).data
        version = session.get(EvaluationRecord, ev_b).version
    r = unit_a.post(
        f"/evaluations/{ev_b}",
        data={"csrf_token": token, "version": str(version), "project_name": "被篡改", "action": "save"},
    )
    assert r.status_code == 404
    r = unit_a.post(f"/evaluations/{ev_b}/preview", data={"csrf_token": token, "project_name": "x"})
    assert r.status_code == 404
    with db.session() as session:  # type: ignore[attr-defined]
        assert session.get(EvaluationRecord, ev_b).data == before
    assert "被篡改" not in unit_a.get("/evaluations").text
    # a unit may not approve anything, nor reach the review pages
    r = unit_a.post(
        f"/review/{ev_a}/decision", data={"csrf_token": token, "version": "1", "action": "approve"}
    )
    assert r.status_code == 403


def test_unit_list_shows_only_own_evaluations(app: object, db: object) -> None:
    ev_a, ev_b = _ids_by_unit(db)
    page = login(app, "danwei").get("/evaluations").text
    assert f'href="/evaluations/{ev_a}"' in page
    assert f'href="/evaluations/{ev_b}"' not in page


def test_form_cannot_set_review_scores(app: object, db: object) -> None:
    ev_a, _ = _ids_by_unit(db)
    with db.session() as session:  # type: ignore[attr-defined]
        session.get(EvaluationRecord, ev_a).status = "draft"
    unit = login(app, "danwei")
    page = unit.get(f"/evaluations/{ev_a}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    token = csrf_of(unit, f"/evaluations/{ev_a}")
    r = unit.post(
        f"/evaluations/{ev_a}",
        data={
            "csrf_token": token,
            "version": version,
            "ind-0-reviewed": "1",
            "unit_id": "999",
            "action": "save",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    with db.session() as session:  # type: ignore[attr-defined]
        record = session.get(EvaluationRecord, ev_a)
        assert all("reviewed" not in ind for ind in record.data["indicators"])


def test_post_without_csrf_token_is_refused(app: object, db: object) -> None:
    finance = login(app, "caizheng")
    r = finance.post("/tasks", data={"name": "无令牌", "year": "2024", "framework": "self-2020"})
    assert r.status_code == 403
    assert "CSRF" in r.text
    r = finance.post("/tasks", data={"name": "错令牌", "year": "2024", "csrf_token": "forged"})
    assert r.status_code == 403
    anonymous = TestClient(app)  # type: ignore[arg-type]
    r = anonymous.post("/login", data={"username": "caizheng", "password": PASSWORD})
    assert r.status_code == 403


def test_script_in_project_name_is_text(app: object, db: object) -> None:
    ev_a, _ = _ids_by_unit(db)
    with db.session() as session:  # type: ignore[attr-defined]
        session.get(EvaluationRecord, ev_a).status = "draft"
    unit = login(app, "danwei")
    page = unit.get(f"/evaluations/{ev_a}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    token = csrf_of(unit, f"/evaluations/{ev_a}")
    evil = '<script>alert("x")</script>'
    r = unit.post(
        f"/evaluations/{ev_a}",
        data={"csrf_token": token, "version": version, "project_name": evil, "action": "save"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    for url in (f"/evaluations/{ev_a}", "/evaluations"):
        html = unit.get(url).text
        assert evil not in html
        assert "&lt;script&gt;" in html
    docx = unit.get(f"/evaluations/{ev_a}/download/self-table.docx")
    assert docx.status_code == 200
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    tables = "\n".join(
        c.text for t in Document(BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    )
    assert evil in text + tables  # the name is printed as plain text, not markup


def test_wrong_passwords_are_throttled(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client)
    codes = [
        client.post(
            "/login", data={"username": "danwei", "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    # even the right password is refused while throttled
    r = client.post("/login", data={"username": "danwei", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.text


def test_throttling_holds_across_app_processes(app_db: tuple[object, object], tmp_path: object) -> None:
    """Two app instances on one database (two processes behind a proxy) share the failure count."""
    from jixiao.web import Settings, create_app

    app, db = app_db
    other = create_app(Settings(data_dir=tmp_path, secret_key="test-secret"), db)  # type: ignore[arg-type]
    clients = [TestClient(app), TestClient(other)]  # type: ignore[arg-type]
    codes = []
    for i in range(6):
        client = clients[i % 2]
        token = csrf_of(client)
        r = client.post("/login", data={"username": "danwei", "password": "wrong", "csrf_token": token})
        codes.append(r.status_code)
    assert codes == [401] * 5 + [429]
    # a successful login after the window clears the count (here: the other user is unaffected)
    assert try_login(other, "danwei2")[1] == 303


def test_security_headers_and_cookie_flags(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    r = client.get("/login")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_upload_type_and_size_checks(app: object, db: object) -> None:
    ev_a, _ = _ids_by_unit(db)
    with db.session() as session:  # type: ignore[attr-defined]
        session.get(EvaluationRecord, ev_a).status = "draft"
    unit = login(app, "danwei")
    token = csrf_of(unit, f"/evaluations/{ev_a}")
    url = f"/evaluations/{ev_a}/evidence"
    r = unit.post(
        url, data={"csrf_token": token}, files={"file": ("x.exe", b"MZ", "application/octet-stream")}
    )
    assert r.status_code == 400 and "不允许的文件类型" in r.text
    r = unit.post(url, data={"csrf_token": token}, files={"file": ("fake.pdf", b"<html>", "application/pdf")})
    assert r.status_code == 400 and "不符" in r.text
    big = b"%PDF" + b"0" * (11 * 1024 * 1024)
    r = unit.post(url, data={"csrf_token": token}, files={"file": ("big.pdf", big, "application/pdf")})
    assert r.status_code == 413
    r = unit.post(
        url,
        data={"csrf_token": token},
        files={"file": ("ok.pdf", tiny_pdf(), "application/pdf")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = unit.get(f"/evaluations/{ev_a}").text
    link = re.search(r'href="(/uploads/\d+)">ok.pdf', page)
    assert link
    other = login(app, "danwei2")
    assert other.get(link.group(1)).status_code == 404
    assert unit.get(link.group(1)).headers["content-disposition"].startswith("attachment")
