"""The administrator's page: organisations, accounts, password resets, disabling — admin only."""

from __future__ import annotations

import re

from sqlalchemy import select

from jixiao.store.models import AuditEntry, Organisation, User
from tests.web.conftest import PASSWORD, csrf_of, login, try_login


def _org_id(db: object, name: str) -> int:
    with db.session() as session:  # type: ignore[attr-defined]
        return int(session.scalars(select(Organisation.id).where(Organisation.name == name)).one())


def _notice_password(page: str) -> str:
    match = re.search(r"(?:初始密码|新密码)：([A-Za-z0-9_\-]+)", page)
    assert match, page
    return match.group(1)


def test_admin_adds_a_department_a_unit_and_its_account(app: object, db: object) -> None:
    admin = login(app, "admin")
    token = csrf_of(admin, "/admin")
    r = admin.post("/admin/orgs", data={"csrf_token": token, "name": "示范县民政局", "kind": "department"})
    assert r.status_code == 200 and "已新建单位“示范县民政局”" in r.text
    department = _org_id(db, "示范县民政局")
    # a unit needs a department above it
    r = admin.post("/admin/orgs", data={"csrf_token": token, "name": "示范县养老院", "kind": "unit"})
    assert r.status_code == 422 and "实施单位须选择所属主管部门" in r.text
    r = admin.post(
        "/admin/orgs",
        data={"csrf_token": token, "name": "示范县养老院", "kind": "unit", "parent_id": str(department)},
    )
    assert r.status_code == 200
    unit = _org_id(db, "示范县养老院")

    r = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "yanglaoyuan",
            "display_name": "养老院填报员",
            "role": "unit",
            "org_id": str(unit),
        },
    )
    assert r.status_code == 200 and "已新建账号“yanglaoyuan”" in r.text
    password = _notice_password(r.text)
    assert "只显示这一次" in r.text and password not in admin.get("/admin").text

    user, status = try_login(app, "yanglaoyuan", password)
    assert status == 303
    page = user.get("/evaluations").text
    assert "我的自评表" in page and 'href="/evaluations/' not in page  # a new unit sees nothing else
    with db.session() as session:  # type: ignore[attr-defined]
        actions = set(session.scalars(select(AuditEntry.action)))
        stored = session.scalars(select(User).where(User.username == "yanglaoyuan")).one()
        assert stored.password_hash.startswith("$argon2") and password not in stored.password_hash
    assert {"org.create", "user.create"} <= actions


def test_account_form_errors_are_shown_beside_the_fields(app: object, db: object) -> None:
    admin = login(app, "admin")
    token = csrf_of(admin, "/admin")
    department = _org_id(db, next(iter(_departments(db))))
    r = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "username": "danwei",
            "role": "unit",
            "org_id": str(department),
            "password": "short",
        },
    )
    assert r.status_code == 422
    assert "登录名“danwei”已被使用" in r.text
    assert "单位填报账号须属于实施单位" in r.text
    assert "密码至少 8 位" in r.text
    r = admin.post(
        "/admin/users", data={"csrf_token": token, "username": "x y<", "role": "boss", "org_id": ""}
    )
    assert r.status_code == 422 and "请选择角色" in r.text and "请选择所属单位" in r.text
    r = admin.post(
        "/admin/orgs", data={"csrf_token": token, "name": "<script>alert(1)</script>", "kind": "evaluator"}
    )
    assert r.status_code == 200 and "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text


def _departments(db: object) -> list[str]:
    with db.session() as session:  # type: ignore[attr-defined]
        return list(session.scalars(select(Organisation.name).where(Organisation.kind == "department")))


def test_password_reset_and_disabling(app: object, db: object) -> None:
    admin = login(app, "admin")
    token = csrf_of(admin, "/admin")
    with db.session() as session:  # type: ignore[attr-defined]
        danwei = session.scalars(select(User.id).where(User.username == "danwei")).one()
        own = session.scalars(select(User.id).where(User.username == "admin")).one()
    unit = login(app, "danwei")
    r = admin.post(f"/admin/users/{danwei}/password", data={"csrf_token": token})
    new = _notice_password(r.text)
    assert try_login(app, "danwei", PASSWORD)[1] != 303
    assert try_login(app, "danwei", new)[1] == 303

    r = admin.post(f"/admin/users/{danwei}/active", data={"csrf_token": token, "active": "0"})
    assert "已停用" in r.text
    assert try_login(app, "danwei", new)[1] != 303
    assert unit.get("/evaluations", follow_redirects=False).status_code in (303, 401, 403)  # session ended
    r = admin.post(f"/admin/users/{danwei}/active", data={"csrf_token": token, "active": "1"})
    assert try_login(app, "danwei", new)[1] == 303
    r = admin.post(f"/admin/users/{own}/active", data={"csrf_token": token, "active": "0"})
    assert r.status_code == 400 and "不能停用自己" in r.text


def test_only_the_administrator_manages_accounts(app: object, db: object) -> None:
    for username in ("caizheng", "danwei", "pingjia", "chakan"):
        client = login(app, username)
        token = csrf_of(client, "/evaluations")
        assert client.get("/admin").status_code == 403
        r = client.post(
            "/admin/users", data={"csrf_token": token, "username": "intruder", "role": "admin", "org_id": "1"}
        )
        assert r.status_code == 403
        assert "用户与单位" not in client.get("/evaluations").text
    admin = login(app, "admin")
    r = admin.post("/admin/users", data={"username": "nocsrf", "role": "viewer", "org_id": "1"})
    assert r.status_code in (400, 403)
    with db.session() as session:  # type: ignore[attr-defined]
        assert not session.scalars(select(User).where(User.username.in_(["intruder", "nocsrf"]))).first()
