"""Users and passwords (argon2id hashes)."""

from __future__ import annotations

import re
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jixiao.store.models import LoginFailure, Organisation, Role, User

_hasher = PasswordHasher()
# verifying against this keeps the time of a login for an unknown user like a known one
_DUMMY_HASH = _hasher.hash("jixiao-dummy-password")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    """A fresh random password (printed once, never stored in clear)."""
    return secrets.token_urlsafe(12)


MIN_PASSWORD = 8


def _checked_hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 位")
    return hash_password(password)


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    *,
    display_name: str | None = None,
    org: Organisation | None = None,
) -> User:
    """Add a user with a hashed password."""
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_checked_hash(password),
        role=role.value,
        org_id=org.id if org else None,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, else None."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,80}$")


def account_errors(
    session: Session, username: str, display_name: str, role: str, password: str
) -> dict[str, str]:
    """Field errors (Chinese) of a new account; empty when it can be created."""
    errors: dict[str, str] = {}
    if not USERNAME.match(username):
        errors["username"] = "登录名为 2–80 位字母、数字、下划线、点或连字符"
    elif session.scalars(select(User.id).where(User.username == username)).first() is not None:
        errors["username"] = f"登录名“{username}”已被使用"
    if len(display_name) > 200:
        errors["display_name"] = "显示名称不超过 200 字"
    if role not in {r.value for r in Role}:
        errors["role"] = "请选择角色"
    if password and len(password) < MIN_PASSWORD:
        errors["password"] = f"密码至少 {MIN_PASSWORD} 位（留空则自动生成）"
    return errors


def set_password(user: User, password: str) -> None:
    """Replace a user's password hash."""
    user.password_hash = _checked_hash(password)


class LoginThrottle:
    """At most ``limit`` failed logins per key within ``window`` seconds, counted in the database.

    Kept in the database (not in memory) so that several app processes behind a proxy share
    the count and a password cannot be guessed N times faster with N processes.
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window

    def blocked(self, session: Session, key: str) -> float:
        """Seconds to wait before ``key`` may try again (0 when allowed)."""
        now = time.time()
        recent = session.scalars(
            select(LoginFailure.at)
            .where(LoginFailure.key == key, LoginFailure.at > now - self.window)
            .order_by(LoginFailure.at)
        ).all()
        if len(recent) < self.limit:
            return 0.0
        return max(0.0, recent[-self.limit] + self.window - now)

    def hit(self, session: Session, key: str) -> None:
        """Record one failure for ``key`` (and forget failures older than the window)."""
        now = time.time()
        session.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window))
        session.add(LoginFailure(key=key[:200], at=now))
        session.flush()

    def reset(self, session: Session, key: str) -> None:
        """Forget ``key``'s failures (after a successful login)."""
        session.execute(delete(LoginFailure).where(LoginFailure.key == key[:200]))
