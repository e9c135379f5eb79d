"""Settings of the web app: data dir, database URL, cookie security, upload limits, the session secret."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.store.db import database_url, default_data_dir

EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
}
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
    survey_rate_per_minute: int = 30  # public survey submissions per address
    migrate: bool = True
    secret_key: str | None = None

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Settings:
        """Settings from ``JIXIAO_*`` environment variables."""
        return cls(
            data_dir=data_dir or default_data_dir(),
            database_url=os.environ.get("JIXIAO_DATABASE_URL"),
            secure_cookies=os.environ.get("JIXIAO_SECURE_COOKIES", "") in ("1", "true", "yes"),
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
