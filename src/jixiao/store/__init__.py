"""Storage of the workflow: SQLAlchemy models, migrations, the authorised query layer, backups.

Layers point one way: the store calls ``jixiao.api``; the web app and the CLI call the store.
"""

from jixiao.store.db import Database, database_url, default_data_dir
from jixiao.store.queries import Actor, Conflict, Forbidden, NotFound, StoreError, for_user

__all__ = [
    "Actor",
    "Conflict",
    "Database",
    "Forbidden",
    "NotFound",
    "StoreError",
    "database_url",
    "default_data_dir",
    "for_user",
]
