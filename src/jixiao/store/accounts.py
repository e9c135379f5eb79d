"""Users and passwords (argon2id hashes)."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.orm import Session

from jixiao.store.models import LoginFailure, Notification, Organisation, Role, User, UserSession

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


def set_password(session: Session, user: User, password: str) -> None:
    """Replace a user's password hash and end every session of the account."""
    user.password_hash = _checked_hash(password)
    end_sessions(session, user.id)


COMMON_PASSWORDS = frozenset(
    {
        "12345678",
        "123456789",
        "password",
        "password1",
        "qwertyui",
        "11111111",
        "88888888",
        "abc12345",
        "admin123",
        "a1234567",
    }
)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def password_problems(password: str, username: str) -> list[str]:
    """What a chosen password lacks under the policy (Chinese); empty when it is acceptable.

    At least ``MIN_PASSWORD`` characters, two kinds of character (letters, digits, symbols), not the
    login name, not a well-known password.
    """
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"至少 {MIN_PASSWORD} 位")
    kinds = sum(
        (
            any(c.isalpha() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if kinds < 2:
        problems.append("至少含字母、数字、符号中的两种")
    if username and username.lower() in password.lower():
        problems.append("不能包含登录名")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("不能使用常见密码")
    return problems


def change_password(
    session: Session, user: User, current: str, new: str, confirm: str, keep_token: object = None
) -> dict[str, str]:
    """The user changes their own password; field errors (Chinese) when refused, else {}.

    Every other session of the account ends; the one changing it (``keep_token``) stays logged in.
    """
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current):
        errors["current"] = "当前密码不正确"
    problems = password_problems(new, user.username)
    if problems:
        errors["new"] = "新密码" + "，".join(problems)
    elif new == current:
        errors["new"] = "新密码不能与当前密码相同"
    if new != confirm:
        errors["confirm"] = "两次输入的新密码不一致"
    if errors:
        return errors
    user.password_hash = hash_password(new)
    keep = _token_id(keep_token) if isinstance(keep_token, str) and keep_token else ""
    session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.id != keep))
    return {}


def email_error(email: str) -> str | None:
    """Why an e-mail address is refused (Chinese), or None; an empty address clears it."""
    if email and (len(email) > 200 or not EMAIL.match(email)):
        return "邮箱地址格式不正确（如 name@example.gov.cn）"
    return None


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    """A new server-side session for ``user``; returns the random token the cookie carries."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    session.add(UserSession(id=_token_id(token), user_id=user.id, created_at=now, last_seen=now))
    session.flush()
    return token


@dataclass(frozen=True)
class SessionCheck:
    """The user behind a session token, whether its last-seen time is due for a refresh, and how
    many notifications the user has not read (counted when asked)."""

    user: User
    stale: bool
    unread: int = 0


def resolve_session(
    session: Session, token: object, *, idle_seconds: float, max_seconds: float, count_unread: bool = False
) -> SessionCheck | None:
    """The active user of a live session (None when unknown, ended, idle too long or too old).

    One query: the session, its user and (with ``count_unread``) the user's unread notifications.
    """
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    unread = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
        if count_unread
        else literal(0)
    )
    row = session.execute(
        select(User, UserSession.created_at, UserSession.last_seen, unread)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.id == _token_id(token))
    ).first()
    if row is None:
        return None
    user, created_at, last_seen, count = row
    now = time.time()
    if now - last_seen > idle_seconds or now - created_at > max_seconds or not user.active:
        return None
    return SessionCheck(user, stale=now - last_seen > SESSION_TOUCH_SECONDS, unread=int(count or 0))


# last_seen is written at most once a minute per session: reads stay reads
SESSION_TOUCH_SECONDS = 60.0


def touch_session(session: Session, token: str) -> None:
    """Record activity on a session (for the idle timeout)."""
    session.execute(
        update(UserSession).where(UserSession.id == _token_id(token)).values(last_seen=time.time())
    )


def end_session(session: Session, token: object) -> None:
    """End one session (logout)."""
    if isinstance(token, str) and token:
        session.execute(delete(UserSession).where(UserSession.id == _token_id(token)))


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of an account (password change or reset, disabling)."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))


class LoginThrottle:
    """Failed logins counted in the database, so every app process shares the count.

    Three keys, so that guessing is slow and a stranger cannot lock the owner out:

    - address + account: ``limit`` failures in ``window`` seconds block that address for that
      account until the window has passed (a guesser locks out only itself);
    - address: ``4 × limit`` failures on any accounts block the address (password spraying);
    - account, from anywhere: past ``limit`` failures each further attempt waits a delay that
      doubles with every failure, capped at ``max_delay`` seconds — guessing from many addresses
      stays slow, while the owner can still log in after at most ``max_delay`` seconds.
    """

    def __init__(self, limit: int, window: float, max_delay: float = 30.0) -> None:
        self.limit = limit
        self.window = window
        self.max_delay = max_delay

    @staticmethod
    def _keys(username: str, address: str) -> tuple[str, str, str]:
        """The account's, the address-and-account's and the address's keys."""
        return f"user:{username}"[:200], f"addr:{address}:{username}"[:200], f"addr:{address}"[:200]

    def _recent(self, session: Session, key: str, now: float) -> list[float]:
        return list(
            session.scalars(
                select(LoginFailure.at)
                .where(LoginFailure.key == key, LoginFailure.at > now - self.window)
                .order_by(LoginFailure.at)
            ).all()
        )

    def _hard(self, session: Session, key: str, limit: int, now: float) -> float:
        recent = self._recent(session, key, now)
        if len(recent) < limit:
            return 0.0
        return max(0.0, recent[-limit] + self.window - now)

    def wait(self, session: Session, username: str, address: str) -> float:
        """Seconds before this address may try this account again (0 when allowed)."""
        now = time.time()
        account, pair, anywhere = self._keys(username, address)
        hard = max(
            self._hard(session, pair, self.limit, now),
            self._hard(session, anywhere, 4 * self.limit, now),
        )
        recent = self._recent(session, account, now)
        soft = 0.0
        if len(recent) >= self.limit:
            delay = min(self.max_delay, 2.0 ** (len(recent) - self.limit))
            soft = max(0.0, recent[-1] + delay - now)
        return max(hard, soft)

    def failed(self, session: Session, username: str, address: str) -> None:
        """Record one failed login (and forget failures older than the window)."""
        now = time.time()
        session.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window))
        for key in self._keys(username, address):
            session.add(LoginFailure(key=key, at=now))
        session.flush()

    def succeeded(self, session: Session, username: str, address: str) -> None:
        """Forget this account's failures after a successful login."""
        account, pair, _anywhere = self._keys(username, address)
        session.execute(delete(LoginFailure).where(LoginFailure.key.in_((account, pair))))
