"""``jixiao db backup`` / ``restore``: SQLite through its online backup API, any database as JSON."""

from __future__ import annotations

import base64
import json
import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Integer, LargeBinary, delete, insert, select, text

from jixiao.store import revisions
from jixiao.store.models import Base


def _sqlite_path(engine: Engine) -> str | None:
    if engine.dialect.name != "sqlite":
        return None
    return engine.url.database


def backup(engine: Engine, path: Path) -> Path:
    """Write a consistent copy of the database to ``path`` (SQLite file, or JSON for other servers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    source = _sqlite_path(engine)
    if source and path.suffix != ".json":
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(path)) as dst:
            src.backup(dst)
        return path
    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
            tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    path.write_text(json.dumps({"format": "jixiao-backup-1", "tables": tables}, ensure_ascii=False))
    return path


def restore(engine: Engine, path: Path) -> None:
    """Replace the database's contents with a backup made by ``backup``."""
    if not path.is_file():
        raise FileNotFoundError(f"备份文件不存在：{path}")
    target = _sqlite_path(engine)
    if target and path.suffix != ".json":
        engine.dispose()
        with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
        with engine.begin() as conn:
            revisions.renew(conn)  # what any process cached is of the data before the restore
        return
    data = json.loads(path.read_text())
    if data.get("format") != "jixiao-backup-1":
        raise ValueError("不是 jixiao 的备份文件")
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))
        for table in Base.metadata.sorted_tables:
            rows = [_decode(table, row) for row in data["tables"].get(table.name, [])]
            if rows:
                conn.execute(insert(table), rows)
        if engine.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" not in table.c or not isinstance(table.c.id.type, Integer):
                    continue  # no serial to move on (a hashed-token key, a link table)
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
        revisions.renew(conn)  # what any process cached is of the data before the restore


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, datetime | date):
        return {"$date": value.isoformat()}
    return value


def _decode(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict) and "$bytes" in value:
            value = base64.b64decode(value["$bytes"])
        elif isinstance(value, dict) and "$date" in value:
            column_type = table.c[key].type
            text_value = value["$date"]
            value = (
                datetime.fromisoformat(text_value) if "T" in text_value else date.fromisoformat(text_value)
            )
            if isinstance(column_type, LargeBinary):
                value = base64.b64decode(text_value)
        out[key] = value
    return out
