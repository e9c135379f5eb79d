"""Settings of the web app: data dir, database URL, cookie security, upload limits, the session secret."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jixiao.store.db import database_url, default_data_dir
from jixiao.store.mail import SmtpSettings

IMPORT_TYPES = (".xlsx", ".docx", ".pdf", ".yaml", ".yml", ".json", ".txt", ".html")


@dataclass
class Settings:
    """Everything ``create_app`` needs; ``Settings.load()`` reads the environment."""

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    secure_cookies: bool = False  # set when served over https
    max_upload_bytes: int = 10 * 1024 * 1024
    login_attempts: int = 5  # failures per user and address before throttling
    login_window_seconds: int = 300
    login_max_delay_seconds: float = 30.0  # the longest wait a stranger's failures can impose on an account
    session_idle_minutes: float = 120.0  # a session unused this long ends
    session_max_hours: float = 12.0  # a session ends this long after login, used or not
    parse_workers: int = 2  # uploads parsed at once, each in its own bounded process
    parse_timeout_seconds: float = 60.0
    parse_memory_mb: int = 1024  # address-space cap of a parsing process
    survey_rate_per_minute: int = 30  # public survey submissions per address
    migrate: bool = True
    secret_key: str | None = None
    timezone: str = "Asia/Shanghai"  # how times are shown (stored in UTC)
    smtp: SmtpSettings | None = None  # mail notifications too, when a server is configured

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Settings:
        """Settings from ``JIXIAO_*`` environment variables."""
        return cls(
            data_dir=data_dir or default_data_dir(),
            database_url=os.environ.get("JIXIAO_DATABASE_URL"),
            secure_cookies=os.environ.get("JIXIAO_SECURE_COOKIES", "") in ("1", "true", "yes"),
            session_idle_minutes=_env_number("JIXIAO_SESSION_IDLE_MINUTES", 120.0),
            session_max_hours=_env_number("JIXIAO_SESSION_MAX_HOURS", 12.0),
            parse_workers=int(_env_number("JIXIAO_PARSE_WORKERS", 2)),
            parse_timeout_seconds=_env_number("JIXIAO_PARSE_TIMEOUT_SECONDS", 60.0),
            parse_memory_mb=int(_env_number("JIXIAO_PARSE_MEMORY_MB", 1024)),
            timezone=_env_timezone("JIXIAO_TIMEZONE", "Asia/Shanghai"),
            smtp=_env_smtp(),
            migrate=os.environ.get("JIXIAO_MIGRATE", "1") not in ("0", "false", "no"),
        )

    def url(self) -> str:
        """The database URL (SQLite in the data dir unless one is set)."""
        return database_url(self.data_dir, self.database_url)

    def session_secret(self) -> str:
        """The session signing key: given, else read from (or generated into) ``DATA_DIR/secret_key``."""
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def _env_number(name: str, default: float) -> float:
    """A positive number from the environment; the default when unset, a clear error when malformed."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"环境变量 {name} 应为正数，现为“{raw}”") from None
    if not value > 0:
        raise SystemExit(f"环境变量 {name} 应为正数，现为“{raw}”")
    return value


def _env_timezone(name: str, default: str) -> str:
    """An IANA time zone from the environment (``Asia/Shanghai``); a clear error when unknown."""
    raw = os.environ.get(name, "").strip() or default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SystemExit(f"环境变量 {name} 应为时区名称（如 Asia/Shanghai），现为“{raw}”") from None
    return raw


def _env_smtp() -> SmtpSettings | None:
    """The mail server from ``JIXIAO_SMTP_HOST`` (and ``_PORT``, ``_USER``, ``_PASSWORD``, ``_FROM``,
    ``_STARTTLS``); None when no host is set."""
    host = os.environ.get("JIXIAO_SMTP_HOST", "").strip()
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(_env_number("JIXIAO_SMTP_PORT", 25)),
        sender=os.environ.get("JIXIAO_SMTP_FROM", "").strip() or f"jixiao@{host}",
        user=os.environ.get("JIXIAO_SMTP_USER") or None,
        password=os.environ.get("JIXIAO_SMTP_PASSWORD") or None,
        starttls=os.environ.get("JIXIAO_SMTP_STARTTLS", "") in ("1", "true", "yes"),
    )
