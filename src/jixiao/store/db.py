"""Engine and sessions: ``JIXIAO_DATABASE_URL`` or an SQLite file in the data dir (WAL mode)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from jixiao.store import revisions  # noqa: F401  (its session hooks stamp every write of the data)
from jixiao.store.mail import Mailer, take_outbox
from jixiao.store.models import AuditEntry

ENV_URL = "JIXIAO_DATABASE_URL"
ENV_DATA_DIR = "JIXIAO_DATA_DIR"


def default_data_dir() -> Path:
    """``$JIXIAO_DATA_DIR`` or ``~/.local/share/jixiao``."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jixiao"


def database_url(data_dir: Path | None = None, url: str | None = None) -> str:
    """The URL to use: explicit, else ``$JIXIAO_DATABASE_URL``, else ``sqlite:///DATA_DIR/jixiao.db``."""
    if url:
        return url
    env = os.environ.get(ENV_URL)
    if env:
        return env
    folder = data_dir or default_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'jixiao.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is switched off: ``_sqlite_begin`` emits the right one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """``BEGIN IMMEDIATE`` for a write transaction, plain ``BEGIN`` for reads.

    A deferred transaction that reads and then writes cannot wait for the lock once another writer
    has committed (SQLite answers "database is locked" at once); taking the write lock first makes
    writers queue on the busy timeout instead.
    """
    immediate = connection.get_execution_options().get("jixiao_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


SQLITE_BUSY_MS = 30_000
# PostgreSQL: no statement, lock wait or idle transaction may hold a connection for long.
PG_OPTIONS = {
    "statement_timeout": int(os.environ.get("JIXIAO_PG_STATEMENT_TIMEOUT_MS", "30000")),
    "lock_timeout": int(os.environ.get("JIXIAO_PG_LOCK_TIMEOUT_MS", "15000")),
    "idle_in_transaction_session_timeout": int(os.environ.get("JIXIAO_PG_IDLE_TX_TIMEOUT_MS", "60000")),
}


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        # The pool must be larger than the web server's thread pool (40): a request holding a
        # thread must never wait for a connection held by a request waiting for a thread.  The
        # connections are kept (opening one costs a file open and four pragmas): under load every
        # request would otherwise open and close one.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000},
            pool_size=48,
            max_overflow=16,
            pool_timeout=30,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options = " ".join(f"-c {name}={value}" for name, value in PG_OPTIONS.items())
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=int(os.environ.get("JIXIAO_PG_POOL_SIZE", "10")),
        max_overflow=int(os.environ.get("JIXIAO_PG_MAX_OVERFLOW", "44")),
        pool_timeout=30,
        pool_recycle=1800,
        connect_args={"options": options, "connect_timeout": 10},
    )


class AppendOnlyError(RuntimeError):
    """The audit log is append-only."""


def _refuse_change(*_args: Any) -> None:
    raise AppendOnlyError("审计日志只能追加，不能修改或删除")


event.listen(AuditEntry, "before_update", _refuse_change)
event.listen(AuditEntry, "before_delete", _refuse_change)


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str, mailer: Mailer | None = None) -> None:
        self.url = url
        self.mailer = mailer  # sends the mail a committed transaction queued (see ``jixiao.store.mail``)
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(
            self.engine.execution_options(jixiao_write=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        ``write=False`` marks a read-only request: on SQLite it does not take the write lock.
        """
        factory = self.write_sessions if write else self.sessions
        with factory() as session:
            with session.begin():
                yield session
            outbox = take_outbox(session)  # reached only when the transaction committed
        if outbox and self.mailer is not None:
            self.mailer.send(outbox)

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic ``upgrade head``)."""
        from jixiao.store.migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
