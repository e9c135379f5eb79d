"""The data revision stamp (``jixiao.store.revisions``) and the audits kept beside evaluations
(``jixiao.store.audits``), on SQLite and PostgreSQL: every write of the data changes the stamp in
its own transaction, reads and rolled-back writes leave it; a kept audit is the audit of the
stored evaluation and is never used for other data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from jixiao.api import check
from jixiao.store import audits, revisions, service
from jixiao.store.backup import backup, restore
from jixiao.store.db import Database
from jixiao.store.models import (
    EvaluationAudit,
    EvaluationRecord,
    FindingRecord,
    Notification,
    Task,
    User,
)
from jixiao.store.queries import Actor
from jixiao.store.revisions import Memo
from jixiao.store.seed import seed_demo


def _seeded(db: Database) -> dict[str, Actor]:
    with db.session() as session:
        seed_demo(session, {})
        return {u.username: Actor.of(u) for u in session.scalars(select(User))}


def _stamp(db: Database) -> str | None:
    with db.session(write=False) as session:
        return revisions.current(session)


def _first_id(db: Database) -> int:
    with db.session(write=False) as session:
        found = session.scalar(select(EvaluationRecord.id).order_by(EvaluationRecord.id))
        assert found is not None
        return found


def test_a_migrated_database_has_a_stamp(database: Database) -> None:
    assert _stamp(database)


def test_every_write_of_the_data_changes_the_stamp(database: Database) -> None:
    actors = _seeded(database)
    evaluation_id = _first_id(database)
    seen = [_stamp(database)]

    def changed() -> None:
        now = _stamp(database)
        assert now not in seen, "the write left the stamp as it was"
        seen.append(now)

    with database.session() as session:  # an ORM change of an evaluation
        session.get(EvaluationRecord, evaluation_id).project_name = "改名的项目"  # type: ignore[union-attr]
    changed()
    with database.session() as session:  # a bulk statement on the findings, no object touched
        session.execute(delete(FindingRecord).where(FindingRecord.evaluation_id == evaluation_id))
    changed()
    with database.session() as session:  # a bulk statement on the evaluations
        session.execute(update(EvaluationRecord).values(review_comment="批量"))
    changed()
    with database.session() as session:  # a task (the dashboard lists them)
        service.create_task(
            session,
            actors["caizheng"],
            name="新任务",
            year=2025,
            framework="self-2020",
            policy="national-2020",
            deadline=None,
        )
    changed()
    with database.session() as session:  # a whole save through the workflow
        record = session.get(EvaluationRecord, evaluation_id)
        assert record is not None
        record.status = "draft"
    changed()
    with database.session() as session:
        record = session.get(EvaluationRecord, evaluation_id)
        assert record is not None
        evaluation = service.load_evaluation(record)
        evaluation.goals.achieved = "全部完成"
        service.save_evaluation(session, actors["danwei"], evaluation_id, record.version, evaluation)
    changed()


def test_reads_other_tables_and_rolled_back_writes_leave_the_stamp(database: Database) -> None:
    actors = _seeded(database)
    evaluation_id = _first_id(database)
    before = _stamp(database)
    with database.session(write=False) as session:
        session.scalars(select(EvaluationRecord)).all()
        session.get(Task, 1)
    with database.session() as session:  # another table: nothing the dashboard shows
        session.add(Notification(user_id=actors["danwei"].user_id, text="通知"))
    with pytest.raises(RuntimeError), database.session() as session:
        session.get(EvaluationRecord, evaluation_id).project_name = "不会保存"  # type: ignore[union-attr]
        session.flush()
        raise RuntimeError("rolled back")
    assert _stamp(database) == before
    with database.session(write=False) as session:
        assert session.get(EvaluationRecord, evaluation_id).project_name != "不会保存"  # type: ignore[union-attr]


def test_a_read_keyed_on_the_stamp_sees_the_write_made_elsewhere(database: Database, tmp_path: Path) -> None:
    """Two processes' worth of engines over one database: a figure memoised under the stamp in one
    is recomputed after a write through the other."""
    _seeded(database)
    other = Database(database.url)
    memo: Memo[object, int] = Memo(8)

    def count(session: object) -> int:
        return len(session.scalars(select(EvaluationRecord.id)).all())  # type: ignore[attr-defined]

    try:
        with database.session(write=False) as session:
            first = revisions.stamped(memo, session, "count", lambda: count(session))
        with database.session(write=False) as session:
            assert revisions.stamped(memo, session, "count", lambda: -1) == first  # kept
        with other.session() as session:
            session.execute(delete(FindingRecord))
            session.execute(delete(EvaluationAudit))
            session.delete(session.scalars(select(EvaluationRecord)).first())
        with database.session(write=False) as session:
            assert revisions.stamped(memo, session, "count", lambda: count(session)) == first - 1
    finally:
        other.dispose()


def test_a_restore_renews_the_stamp(database: Database, tmp_path: Path) -> None:
    _seeded(database)
    for target in [tmp_path / "backup.json"] + ([tmp_path / "backup.db"] if database.is_sqlite else []):
        backup(database.engine, target)
        before = _stamp(database)
        restore(database.engine, target)
        after = _stamp(database)
        assert after and after != before, target.name


def test_the_kept_audit_is_the_audit_of_the_stored_evaluation(database: Database) -> None:
    _seeded(database)
    with database.session(write=False) as session:
        records = session.scalars(select(EvaluationRecord)).all()
        assert records
        for record in records:
            kept = audits.kept(session, record)
            assert kept is not None, record.id
            fresh = check(service.load_evaluation(record))
            assert kept.model_dump(mode="json") == fresh.model_dump(mode="json")
            assert service.stored_audit(session, record, Memo(4)).model_dump(mode="json") == kept.model_dump(
                mode="json"
            )


def test_a_kept_audit_of_other_data_is_never_used(database: Database) -> None:
    _seeded(database)
    with database.session(write=False) as session:
        record = max(session.scalars(select(EvaluationRecord)), key=lambda r: len(r.data["indicators"]))
        evaluation_id, data = record.id, dict(record.data)
    assert len(data["indicators"]) > 1
    data["indicators"] = data["indicators"][:1]  # changed behind the store's back: no audit kept
    with database.engine.begin() as conn:
        conn.execute(update(EvaluationRecord).where(EvaluationRecord.id == evaluation_id).values(data=data))
    memo: Memo[tuple[int, str], object] = Memo(4)
    with database.session(write=False) as session:
        record = session.get(EvaluationRecord, evaluation_id)
        assert record is not None
        assert audits.kept(session, record) is None
        shown = service.stored_audit(session, record, memo)  # type: ignore[arg-type]
        assert shown.model_dump(mode="json") == check(service.load_evaluation(record)).model_dump(mode="json")
        assert len(shown.score.indicators) == 1
        assert service.stored_audit(session, record, memo) is shown  # memoised under the new key
    assert memo.hits == 1 and memo.misses == 1


def test_an_evaluation_naming_a_policy_file_keeps_no_audit(database: Database, tmp_path: Path) -> None:
    _seeded(database)
    evaluation_id = _first_id(database)
    with database.session(write=False) as session:
        record = session.get(EvaluationRecord, evaluation_id)
        assert record is not None
        assert not audits.keepable({**record.data, "policy": str(tmp_path / "local.yaml")})
        assert audits.keepable({**record.data, "policy": "national-2020"})
        assert audits.keepable({k: v for k, v in record.data.items() if k != "policy"})


def test_memo_keeps_the_latest_values() -> None:
    memo: Memo[int, int] = Memo(2)
    assert [memo.get(k, lambda k=k: k * 10) for k in (1, 2, 1, 3)] == [10, 20, 10, 30]
    assert len(memo) == 2 and memo.hits == 1 and memo.misses == 3
    assert memo.get(2, lambda: -1) == -1  # the least recently used value went first
    memo.clear()
    assert len(memo) == 0
