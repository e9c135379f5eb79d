"""A revision stamp of the data the dashboard aggregates, and caches keyed on it.

Every transaction that changes an evaluation, its findings or a task writes a fresh random stamp
into ``data_revisions`` just before it commits, in the same transaction (a SQLAlchemy session
hook: ORM flushes and ORM ``UPDATE``/``DELETE``/``INSERT`` statements on those tables are
noticed).  A reader that reads the stamp first and then the data sees data at least as new as the
stamp, so a figure computed from the data can be kept under the stamp by any number of processes:
a write in any of them changes the stamp, and the next reader computes afresh.  The stamp is
random rather than a counter, so a restored backup never brings back a stamp some process has
already cached other data under; it is taken last in the transaction, so the row is locked only
while the transaction commits (never while it waits for another lock: no deadlock).

Writes that bypass the ORM session (a bulk load on a bare connection) must call ``bump``; a
restore calls ``renew``.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from jixiao.store.models import DataRevision

DATA = "data"  # the one stamp: evaluations, findings and tasks
TRACKED = frozenset({"evaluations", "findings", "tasks"})
_CHANGED = "jixiao_data_changed"  # key in ``Session.info``: this transaction changed tracked rows


def new_stamp() -> str:
    """A fresh random stamp."""
    return secrets.token_hex(8)


def current(session: Session) -> str | None:
    """The stamp now (None when the table has no row: nothing may then be cached)."""
    return session.scalar(select(DataRevision.stamp).where(DataRevision.name == DATA))


def bump(connection: Connection | Session) -> None:
    """Write a fresh stamp (for writes made outside an ORM session)."""
    connection.execute(update(DataRevision).where(DataRevision.name == DATA).values(stamp=new_stamp()))


def renew(connection: Connection) -> None:
    """A fresh stamp, the row written when it is missing (after a restore, which replaced every row)."""
    if not inspect(connection).has_table(DataRevision.__tablename__):
        return  # a database from before the stamp: its migration writes one
    if not connection.execute(
        update(DataRevision).where(DataRevision.name == DATA).values(stamp=new_stamp())
    ).rowcount:
        connection.execute(insert(DataRevision).values(name=DATA, stamp=new_stamp()))


def _tracked(objects: Iterable[object]) -> bool:
    return any(getattr(getattr(o, "__table__", None), "name", None) in TRACKED for o in objects)


@event.listens_for(Session, "before_flush")
def _note_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    if _tracked(session.new) or _tracked(session.dirty) or _tracked(session.deleted):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in TRACKED:
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _stamp(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the stamp is written when the whole transaction commits
    session.flush()  # what is still pending is written (and noticed) first
    if session.info.pop(_CHANGED, False):
        bump(session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction ended (committed or rolled back)
        session.info.pop(_CHANGED, None)


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A small thread-safe least-recently-used cache (per process).

    Safe to share between processes only through its keys: a key must name the state of the data
    the value was computed from (a revision stamp, a digest of the content), never just a place.
    Values are shared between requests: treat them as read-only.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value kept under ``key``, else ``compute()`` kept under it."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]
            self.misses += 1
        value = compute()  # outside the lock: two threads may compute the same value once each
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def stamped(memo: Memo[Any, V], session: Session, key: Hashable, compute: Callable[[], V]) -> V:
    """``compute()`` kept in ``memo`` under the current stamp and ``key``; uncached without a stamp."""
    stamp = current(session)
    if stamp is None:
        return compute()
    return memo.get((stamp, key), compute)
