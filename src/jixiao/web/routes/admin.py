"""Accounts and organisations (用户与单位管理): the administrator adds units and logins.

Organisations form the tree 财政局 → 主管部门 → 实施单位 (and 第三方机构); every account
belongs to one, which is what limits a unit's user to its own evaluations. Passwords are
never shown except once, right after the administrator generated them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from jixiao.api import ORG_KIND_NAMES
from jixiao.store import service
from jixiao.store.accounts import account_errors, create_user, end_sessions, new_password, set_password
from jixiao.store.models import Organisation, OrgKind, Role, User
from jixiao.store.queries import Actor, StoreError
from jixiao.web.deps import db_session, posted_form, render, require
from jixiao.web.params import RecordId, form_id, record_id

router = APIRouter()

ACCOUNT_FIELDS = ("username", "display_name", "role", "org_id", "password")


def _page(
    request: Request,
    session: Session,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    org_errors: dict[str, str] | None = None,
    org_form: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    orgs = session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name)).all()
    users = session.scalars(select(User).order_by(User.role, User.username)).all()
    context: dict[str, Any] = {
        "orgs": orgs,
        "org_names": {o.id: o.name for o in orgs},
        "users": users,
        "kind_names": ORG_KIND_NAMES,
        "roles": [r.value for r in Role],
        "errors": errors or {},
        "form": form or {},
        "org_errors": org_errors or {},
        "org_form": org_form or {},
        "notice": notice,
    }
    return render(request, "admin.html", context, status_code=status_code)


@router.get("/admin")
def admin_page(
    request: Request, actor: Actor = require(Role.admin), session: Session = db_session
) -> Response:
    """Organisations and accounts, with the forms to add them."""
    return _page(request, session)


@router.post("/admin/orgs")
def add_org(
    request: Request,
    actor: Actor = require(Role.admin),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Add an organisation under its parent."""
    values = {k: str(form.get(k, "")).strip() for k in ("name", "kind", "parent_id")}
    errors: dict[str, str] = {}
    if not values["name"] or len(values["name"]) > 200:
        errors["name"] = "请填写单位名称（不超过 200 字）"
    elif session.scalars(select(Organisation.id).where(Organisation.name == values["name"])).first():
        errors["name"] = f"单位“{values['name']}”已存在"
    if values["kind"] not in ORG_KIND_NAMES:
        errors["kind"] = "请选择单位层级"
    parent = _parent(session, values["parent_id"], values["kind"], errors)
    if errors:
        return _page(request, session, org_errors=errors, org_form=values, status_code=422)
    org = Organisation(name=values["name"], kind=values["kind"], parent_id=parent.id if parent else None)
    session.add(org)
    session.flush()
    service.log(session, actor, "org.create", "organisation", org.id, None, values)
    return _page(request, session, notice=f"已新建单位“{org.name}”")


def _parent(session: Session, parent_id: str, kind: str, errors: dict[str, str]) -> Organisation | None:
    if not parent_id:
        if kind == OrgKind.unit.value:
            errors["parent_id"] = "实施单位须选择所属主管部门"
        return None
    parent_key = record_id(parent_id)
    parent = session.get(Organisation, parent_key) if parent_key else None
    if parent is None:
        errors["parent_id"] = "所属单位不存在"
    elif kind == OrgKind.unit.value and parent.kind != OrgKind.department.value:
        errors["parent_id"] = "实施单位的上级应为主管部门"
    return parent


@router.post("/admin/users")
def add_user(
    request: Request,
    actor: Actor = require(Role.admin),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Add an account; a blank password is generated and shown once."""
    values = {k: str(form.get(k, "")).strip() for k in ACCOUNT_FIELDS}
    errors = account_errors(
        session, values["username"], values["display_name"], values["role"], values["password"]
    )
    org_key = form_id(values, "org_id")
    org = session.get(Organisation, org_key) if org_key else None
    if org is None:
        errors["org_id"] = "请选择所属单位"
    elif values["role"] == Role.unit.value and org.kind != OrgKind.unit.value:
        errors["org_id"] = "单位填报账号须属于实施单位"
    elif values["role"] == Role.department.value and org.kind != OrgKind.department.value:
        errors["org_id"] = "主管部门审核账号须属于主管部门"
    if errors:
        values["password"] = ""
        return _page(request, session, errors=errors, form=values, status_code=422)
    password = values["password"] or new_password()
    user = create_user(
        session,
        values["username"],
        password,
        Role(values["role"]),
        display_name=values["display_name"] or None,
        org=org,
    )
    service.log(
        session,
        actor,
        "user.create",
        "user",
        user.id,
        None,
        {"username": user.username, "role": user.role, "org": org and org.name},
    )
    shown = f"，初始密码：{password}（只显示这一次，请转交本人并提醒修改）" if not values["password"] else ""
    return _page(request, session, notice=f"已新建账号“{user.username}”{shown}")


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise StoreError("账号不存在")
    return user


@router.post("/admin/users/{user_id}/password")
def reset_password(
    request: Request, user_id: RecordId, actor: Actor = require(Role.admin), session: Session = db_session
) -> Response:
    """Give the account a new random password, shown once; every session of the account ends."""
    user = _user(session, user_id)
    password = new_password()
    set_password(session, user, password)
    service.log(session, actor, "user.password-reset", "user", user.id, None, {"username": user.username})
    return _page(request, session, notice=f"账号“{user.username}”的新密码：{password}（只显示这一次）")


@router.post("/admin/users/{user_id}/active")
def set_active(
    request: Request,
    user_id: RecordId,
    actor: Actor = require(Role.admin),
    session: Session = db_session,
    form: FormData = posted_form,
) -> Response:
    """Disable or re-enable an account (a disabled account cannot log in; its sessions end)."""
    user = _user(session, user_id)
    active = str(form.get("active", "")) == "1"
    if user.id == actor.user_id and not active:
        raise StoreError("不能停用自己正在使用的账号")
    before = {"active": user.active}
    user.active = active
    if not active:
        end_sessions(session, user.id)
    service.log(session, actor, "user.active", "user", user.id, before, {"active": active})
    return _page(request, session, notice=f"账号“{user.username}”已{'启用' if active else '停用'}")
