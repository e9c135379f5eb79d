"""The declaration round in the store, on SQLite and PostgreSQL: who sees which declaration, the
status flow under version checks, frozen baselines, all-or-nothing imports, the thread to the
next self-evaluation, and backups that keep it all."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from jixiao import api
from jixiao.store import declarations, service
from jixiao.store.backup import backup, restore
from jixiao.store.db import Database
from jixiao.store.declarations import BaselineFrozen
from jixiao.store.models import (
    DeclarationBaseline,
    DeclarationRecord,
    EvaluationRecord,
    Organisation,
    OrgKind,
    User,
)
from jixiao.store.queries import Actor, Conflict, Forbidden, NotFound, StoreError
from jixiao.store.seed import UNIT_A, UNIT_B, organisations, seed_demo

PROJECT = "就业见习补贴"


def _actors(db: Database) -> dict[str, Actor]:
    with db.session() as session:
        seed_demo(session, {})
        return {u.username: Actor.of(u) for u in session.scalars(select(User))}


def _declaration(name: str = PROJECT, year: int = 2026) -> api.Declaration:
    loaded = api.load_declaration_data(
        {
            "kind": "declaration",
            "year": year,
            "project": {"name": name},
            "novelty": "continuing",
            "funds": {"annual_total": "120", "appropriation": "120"},
            "annual": {
                "period": "annual",
                "goals": ["组织高校毕业生参加就业见习"],
                "indicators": [
                    {
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "name": "见习人数",
                        "type": "quantitative",
                        "comparison": ">=",
                        "target": {"text": "≥300人"},
                        "basis_kind": "history",
                    },
                    {
                        "level1": "效益指标",
                        "level2": "社会效益指标",
                        "name": "见习后就业率",
                        "type": "quantitative",
                        "comparison": ">=",
                        "target": {"text": "≥60%"},
                        "basis_kind": "history",
                    },
                    {
                        "level1": "满意度指标",
                        "level2": "服务对象满意度指标",
                        "name": "见习人员满意度",
                        "type": "quantitative",
                        "comparison": ">=",
                        "target": {"text": "≥90%"},
                        "basis_kind": "industry",
                    },
                ],
            },
        }
    )
    assert loaded.declaration is not None, loaded.findings
    return loaded.declaration


def _submitted(db: Database, actors: dict[str, Actor], year: int = 2026) -> tuple[int, int]:
    """A round and a declaration of unit A in it, submitted to the department."""
    with db.session() as session:
        round_ = declarations.create_round(
            session, actors["caizheng"], name=f"{year}年度申报", year=year, policy="national", deadline=None
        )
        (record,) = declarations.import_declarations(
            session, actors["danwei"], round_, [_declaration(year=year)], file="申报.yaml"
        )
        declarations.submit(session, actors["danwei"], record.id, record.version)
        return round_.id, record.id


def _version(db: Database, declaration_id: int) -> int:
    with db.session() as session:
        return session.get(DeclarationRecord, declaration_id).version


def test_each_sees_only_what_is_theirs(database: Database) -> None:
    actors = _actors(database)
    _round_id, declaration_id = _submitted(database, actors)
    with database.session() as session:
        other = Organisation(name="另一主管部门", kind=OrgKind.department.value)
        session.add(other)
        session.flush()
        stranger = Actor(0, "x", "department", other.id)
        for who, sees in {
            "danwei": True,
            "danwei2": False,
            "bumen": True,
            "caizheng": True,
            "chakan": True,
            "pingjia": False,
        }.items():
            if sees:
                declarations.get_visible(session, actors[who], declaration_id)
            else:
                with pytest.raises(NotFound):
                    declarations.get_visible(session, actors[who], declaration_id)
        with pytest.raises(NotFound):
            declarations.get_visible(session, stranger, declaration_id)
        record = session.get(DeclarationRecord, declaration_id)
        assert declarations.review_stage(actors["bumen"], record) == "department"
        assert declarations.review_stage(actors["caizheng"], record) is None
        assert declarations.review_stage(stranger, record) is None


def test_the_flow_freezes_the_approved_targets(database: Database) -> None:
    actors = _actors(database)
    _round_id, declaration_id = _submitted(database, actors)
    opinion = api.ReviewOpinion(grade=api.ReviewGrade.good, overall="目标明确")
    with database.session() as session, pytest.raises(Forbidden):  # finance waits for the department
        declarations.decide(
            session,
            actors["caizheng"],
            declaration_id,
            _version(database, declaration_id),
            "approve",
            opinion,
        )
    stale = _version(database, declaration_id)
    with database.session() as session:
        declarations.decide(session, actors["bumen"], declaration_id, stale, "forward", opinion)
    with database.session() as session, pytest.raises(Conflict, match="操作冲突"):
        declarations.decide(session, actors["bumen"], declaration_id, stale, "forward", opinion)
    with database.session() as session:
        record = declarations.decide(
            session,
            actors["caizheng"],
            declaration_id,
            _version(database, declaration_id),
            "approve",
            opinion,
        )
        assert record.status == "approved"
    with database.session() as session:
        frozen = session.scalars(
            select(DeclarationBaseline).where(DeclarationBaseline.declaration_id == declaration_id)
        ).one()
        assert frozen.data == session.get(DeclarationRecord, declaration_id).data
        frozen.data = {"changed": True}
        with pytest.raises(BaselineFrozen):
            session.flush()
        session.rollback()
    with database.session() as session, pytest.raises(Forbidden, match="已审定"):
        declarations.save_declaration(
            session, actors["danwei"], declaration_id, _version(database, declaration_id), _declaration()
        )


def test_an_import_stores_all_or_nothing(database: Database) -> None:
    actors = _actors(database)
    with database.session() as session:
        round_ = declarations.create_round(
            session, actors["caizheng"], name="申报", year=2026, policy="national", deadline=None
        )
        round_id = round_.id
    with database.session() as session, pytest.raises(StoreError, match="项目名称重复"):
        declarations.import_declarations(
            session,
            actors["danwei"],
            session.get(type(round_), round_id),
            [_declaration("甲"), _declaration("乙"), _declaration("甲")],
            file="x.xlsx",
        )
    with database.session() as session:
        assert not session.scalars(select(DeclarationRecord.id)).all()
        with pytest.raises(Forbidden):  # finance declares nothing
            declarations.import_declarations(
                session, actors["caizheng"], session.get(type(round_), round_id), [_declaration()], file="x"
            )


def test_a_task_of_the_year_starts_from_the_approved_targets_and_backups_keep_them(
    database: Database, tmp_path: Path
) -> None:
    actors = _actors(database)
    _round_id, declaration_id = _submitted(database, actors)
    opinion = api.ReviewOpinion(grade=api.ReviewGrade.excellent)
    for who, decision in (("bumen", "forward"), ("caizheng", "approve")):
        with database.session() as session:
            declarations.decide(
                session, actors[who], declaration_id, _version(database, declaration_id), decision, opinion
            )
    with database.session() as session:
        orgs = organisations(session)
        task = service.create_task(
            session,
            actors["caizheng"],
            name="2026年度自评",
            year=2026,
            framework="self-2020",
            policy="national-2020",
            deadline=None,
        )
        started = service.assign_project(session, actors["caizheng"], task, orgs[UNIT_A], PROJECT)
        blank = service.assign_project(session, actors["caizheng"], task, orgs[UNIT_B], PROJECT)
        assert started.declaration_id == declaration_id and blank.declaration_id is None
        assert [i.get("name") for i in started.data["indicators"]][:2] == ["见习人数", "见习后就业率"]
        evaluation = service.load_evaluation(started)
        assert (
            declarations.differences(session, declarations.declared_for(session, started), evaluation) == []
        )
        evaluation.indicators[0].target = api.Figure.model_validate("≥200人")
        changes = declarations.differences(session, declarations.declared_for(session, started), evaluation)
        assert changes and "见习人数" in changes[0].message
        started_id = started.id
    target = tmp_path / "backup.json"
    backup(database.engine, target)
    restore(database.engine, target)
    with database.session() as session:
        assert session.get(EvaluationRecord, started_id).declaration_id == declaration_id
        assert session.get(DeclarationRecord, declaration_id).status == "approved"
        assert session.scalars(select(DeclarationBaseline.id)).all()
