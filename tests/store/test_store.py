"""The store on SQLite and PostgreSQL: migrations, authorisation, optimistic locking, audit log, backup."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from jixiao.store import service
from jixiao.store.backup import backup, restore
from jixiao.store.db import AppendOnlyError, Database
from jixiao.store.models import AuditEntry, EvaluationRecord, User
from jixiao.store.queries import Actor, Conflict, NotFound, for_user, get_editable, get_visible
from jixiao.store.seed import UNIT_A, UNIT_B, organisations, seed_demo


def _actors(db: Database) -> dict[str, Actor]:
    with db.session() as session:
        seed_demo(session, {})
        return {u.username: Actor.of(u) for u in session.scalars(select(User))}


def _new(db: Database, actors: dict[str, Actor], unit: str = UNIT_A) -> int:
    with db.session() as session:
        orgs = organisations(session)
        task = service.create_task(
            session,
            actors["caizheng"],
            name="2024年度自评",
            year=2024,
            framework="self-2020",
            policy="national-2020",
            deadline=None,
        )
        return service.assign_project(session, actors["caizheng"], task, orgs[unit], "测试项目").id


def test_migrations_create_every_table(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert {
        "organisations",
        "users",
        "tasks",
        "evaluations",
        "findings",
        "surveys",
        "survey_responses",
        "uploads",
        "audit_log",
    } <= tables
    database.migrate()  # idempotent


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_units_see_only_their_own(database: Database) -> None:
    actors = _actors(database)
    own, other = _new(database, actors, UNIT_A), _new(database, actors, UNIT_B)
    with database.session() as session:
        visible = {r.id for r in session.scalars(for_user(actors["danwei"]))}
        assert own in visible and other not in visible
        with pytest.raises(NotFound):
            get_visible(session, actors["danwei"], other)
        with pytest.raises(NotFound):
            get_editable(session, actors["danwei"], other)
        assert other in {r.id for r in session.scalars(for_user(actors["caizheng"]))}


def test_stale_version_is_a_conflict_and_nothing_is_saved(database: Database) -> None:
    actors = _actors(database)
    evaluation_id = _new(database, actors)
    with database.session() as session:
        record = session.get(EvaluationRecord, evaluation_id)
        version = record.version
        evaluation = service.load_evaluation(record)
    evaluation.goals.achieved = "第一次"
    with database.session() as session:
        service.save_evaluation(session, actors["danwei"], evaluation_id, version, evaluation)
    evaluation.goals.achieved = "基于旧版本"
    with pytest.raises(Conflict), database.session() as session:
        service.save_evaluation(session, actors["danwei"], evaluation_id, version, evaluation)
    with database.session() as session:
        assert session.get(EvaluationRecord, evaluation_id).data["goals"]["achieved"] == "第一次"


def test_concurrent_saves_never_lose_an_update(database: Database) -> None:
    actors = _actors(database)
    evaluation_id = _new(database, actors)
    with database.session() as session:
        record = session.get(EvaluationRecord, evaluation_id)
        version, evaluation = record.version, service.load_evaluation(record)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def edit(n: int) -> None:
        mine = evaluation.model_copy(deep=True)
        mine.goals.achieved = f"写入者{n}"
        barrier.wait()
        try:
            with database.session() as session:
                service.save_evaluation(session, actors["danwei"], evaluation_id, version, mine)
            outcomes.append(f"写入者{n}")
        except Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # SQLite may refuse a concurrent writer outright: that is not a lost update
            outcomes.append(f"refused:{type(exc).__name__}")

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o.startswith("写入者")]
    assert len(winners) == 1, outcomes
    with database.session() as session:
        record = session.get(EvaluationRecord, evaluation_id)
        assert record.data["goals"]["achieved"] == winners[0]
        assert record.version == version + 1


def test_review_scores_and_reviewed_total(database: Database) -> None:
    actors = _actors(database)
    with database.session() as session:
        records = session.scalars(
            select(EvaluationRecord)
            .where(EvaluationRecord.computed_total.is_not(None))
            .order_by(EvaluationRecord.id)
        ).all()
        record = next(r for r in records if any(i.get("weight") for i in r.data["indicators"]))
        index = next(i for i, ind in enumerate(record.data["indicators"]) if ind.get("weight"))
        evaluation_id, version, computed = record.id, record.version, record.computed_total
    with database.session() as session:
        record = service.set_review_scores(
            session, actors["caizheng"], evaluation_id, version, {index: (Decimal("0"), "佐证材料不足")}
        )
        assert record.data["indicators"][index]["reviewed"] == "0"
        assert record.reviewed_total is not None and record.reviewed_total < computed


def test_audit_log_is_append_only(database: Database) -> None:
    actors = _actors(database)
    _new(database, actors)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) >= 2
    with pytest.raises(AppendOnlyError), database.session() as session:
        entry = session.scalars(select(AuditEntry)).first()
        assert entry is not None
        entry.action = "changed"


def test_backup_and_restore(database: Database, tmp_path: Path) -> None:
    actors = _actors(database)
    evaluation_id = _new(database, actors)
    target = tmp_path / ("backup.db" if database.is_sqlite else "backup.json")
    backup(database.engine, target)
    with database.session() as session:
        session.get(EvaluationRecord, evaluation_id).project_name = "备份之后改的"
    restore(database.engine, target)
    with database.session() as session:
        assert session.get(EvaluationRecord, evaluation_id).project_name == "测试项目"
    json_target = tmp_path / "backup.json"
    backup(database.engine, json_target)
    restore(database.engine, json_target)
    with database.session() as session:
        assert session.get(EvaluationRecord, evaluation_id).project_name == "测试项目"
    _new(database, actors)  # sequences still work after a restore (a transaction of its own)


def test_migrations_match_the_models(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from jixiao.store.models import Base

    with database.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_an_unknown_framework_is_a_clear_error_not_a_silent_skeleton() -> None:
    from jixiao.store.queries import StoreError

    with pytest.raises(StoreError, match="找不到指标体系“no-such-framework”"):
        service.blank_evaluation("no-such-framework", 2024, "测试项目")
    evaluation = service.blank_evaluation("self-2020", 2024, "测试项目")
    assert evaluation.framework == "self-2020" and evaluation.indicators
