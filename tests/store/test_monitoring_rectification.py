"""Monitoring rounds, the warning board, 纠偏 and the rectification ledger in the store, on SQLite and
PostgreSQL: prefilled from the frozen targets, who sees what, a red light opening an item, two
finance users deciding or confirming at once (one wins, the other is told), overdue items told once,
and the project's thread with its contradiction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from jixiao import api
from jixiao.model import Figure, Indicator
from jixiao.monitoring import Likelihood, Monitoring
from jixiao.store import declarations, monitoring, rectification, thread
from jixiao.store.db import Database
from jixiao.store.models import MonitoringRecord, Notification, RectificationRecord
from jixiao.store.queries import Actor, Conflict, Forbidden, NotFound, StoreError
from tests.store.test_declarations import PROJECT, _actors, _submitted, _version


def _approved(db: Database, actors: dict[str, Actor]) -> int:
    _round_id, declaration_id = _submitted(db, actors)
    opinion = api.ReviewOpinion(grade=api.ReviewGrade.good, overall="目标明确")
    with db.session() as session:
        declarations.decide(
            session, actors["bumen"], declaration_id, _version(db, declaration_id), "forward", opinion
        )
    with db.session() as session:
        declarations.decide(
            session, actors["caizheng"], declaration_id, _version(db, declaration_id), "approve", opinion
        )
    return declaration_id


def _round(db: Database, actors: dict[str, Actor]) -> tuple[int, int]:
    _approved(db, actors)
    with db.session() as session:
        round_ = monitoring.create_round(
            session, actors["caizheng"], name="2026年1—6月运行监控", year=2026, cutoff_month=6
        )
        report = session.scalars(select(MonitoringRecord).where(MonitoringRecord.round_id == round_.id)).one()
        return round_.id, report.id


def _lagging(db: Database, actor: Actor, report_id: int) -> None:
    with db.session() as session:
        record = monitoring.get_visible(session, actor, report_id)
        report = monitoring.load(record)
        report.funds[0].spent = (report.funds[0].budget or Decimal(100)) / 10
        report.indicators[0].to_date = Figure(text="50人", value=Decimal(50))
        report.indicators[0].likelihood = Likelihood.impossible
        monitoring.save_report(session, actor, report_id, record.version, report)
    with db.session() as session:
        version = session.get(MonitoringRecord, report_id).version
        monitoring.submit(session, actor, report_id, version)


def test_a_round_prefills_lights_and_decides_once(database: Database) -> None:
    actors = _actors(database)
    round_id, report_id = _round(database, actors)
    with database.session() as session:
        record = session.get(MonitoringRecord, report_id)
        report = Monitoring.model_validate(record.data)
        assert report.project.name == PROJECT
        assert [i.name for i in report.indicators][:1] == ["见习人数"]
        with pytest.raises(NotFound):
            monitoring.get_visible(session, actors["danwei2"], report_id)
        monitoring.get_visible(session, actors["bumen"], report_id)
        with pytest.raises(Forbidden):
            monitoring.save_report(session, actors["caizheng"], report_id, record.version, report)
    _lagging(database, actors["danwei"], report_id)
    with database.session() as session:
        record = session.get(MonitoringRecord, report_id)
        assert record.light == "red"
        assert record.execution_rate is not None and record.execution_rate < 20
        items = session.scalars(
            select(RectificationRecord).where(RectificationRecord.monitoring_id == report_id)
        ).all()
        assert items and items[0].origin == "monitoring"
        rows = monitoring.board(session, actors["caizheng"], round_id, "execution")
        assert [r.id for r in rows] == [report_id]
        assert monitoring.board_export(rows, "xlsx", "看板")[:2] == b"PK"
        assert "红灯" in monitoring.board_export(rows, "csv", "看板").decode("utf-8-sig")
        stale = record.version
    with database.session() as session, pytest.raises(StoreError, match="纠偏说明"):
        monitoring.decide(session, actors["caizheng"], report_id, stale, "suspend", "")
    with database.session() as session:
        monitoring.decide(session, actors["caizheng"], report_id, stale, "suspend", "暂缓拨付第三季度资金")
    with database.session() as session, pytest.raises(Conflict, match=r"操作冲突.*暂缓拨款"):
        monitoring.decide(session, actors["admin"], report_id, stale, "proceed", "")
    with database.session() as session:
        record = monitoring.get_visible(session, actors["danwei"], report_id)
        assert record.decision == "suspend"
        assert monitoring.load(record).corrections[0].note == "暂缓拨付第三季度资金"
        told = session.scalars(select(Notification.text)).all()
        assert any("纠偏决定：暂缓拨款" in t for t in told)


def test_the_ledger_moves_confirms_once_and_marks_overdue(database: Database) -> None:
    actors = _actors(database)
    _round_id, report_id = _round(database, actors)
    _lagging(database, actors["danwei"], report_id)
    with database.session() as session:
        (item,) = session.scalars(select(RectificationRecord)).all()
        item_id, version = item.id, item.version
        with pytest.raises(NotFound):
            rectification.update(
                session, actors["danwei2"], item_id, version, measures="x", progress="", evidence=[]
            )
    with database.session() as session:
        rectification.update(
            session,
            actors["danwei"],
            item_id,
            version,
            measures="加快拨付进度",
            progress="已完成拨付",
            evidence=["拨付凭证.pdf"],
            to="done",
        )
    with database.session() as session:
        stale = session.get(RectificationRecord, item_id).version
        rectification.confirm(session, actors["caizheng"], item_id, stale, True)
    with database.session() as session, pytest.raises(Conflict, match=r"操作冲突.*已确认"):
        rectification.confirm(session, actors["admin"], item_id, stale, False, "不够")
    with database.session() as session:
        late = api.RectificationItem(
            project=PROJECT,
            year=2026,
            problem="资金拨付滞后",
            origin="audit",
            deadline=date.today() - timedelta(days=3),
        )
        unit = session.get(MonitoringRecord, report_id)
        rectification.add_items(
            session,
            actors["caizheng"],
            [late],
            unit_id=unit.unit_id,
            department_id=unit.department_id,
            unit_name=unit.unit_name,
        )
    with database.session() as session:
        assert rectification.notify_overdue(session, date.today()) == 1
    with database.session() as session:
        assert rectification.notify_overdue(session, date.today()) == 0
        rows = rectification.ledger(session, actors["danwei"], status="overdue", today=date.today())
        assert [rectification.status_label(r, date.today()) for r in rows] == ["逾期"]
        assert rectification.ledger(session, actors["danwei2"], today=date.today()) == []
        assert rectification.export(rows, "xlsx", date.today(), "台账")[:2] == b"PK"


def test_the_thread_shows_every_stage_and_the_contradiction(database: Database) -> None:
    actors = _actors(database)
    _round_id, report_id = _round(database, actors)
    _lagging(database, actors["danwei"], report_id)
    with database.session() as session:
        record = session.get(MonitoringRecord, report_id)
        made = thread.build(session, actors["caizheng"], record.unit_id, 2026, PROJECT, date.today())
        names = [s.name for s in made.steps]
        assert names[:3] == ["绩效目标申报", "目标审定", "运行监控"]
        assert made.steps[2].light == "red"
        evaluation = api.new_evaluation(api.load_framework("self-2020"), year=2026, project_name=PROJECT)
        evaluation.indicators.append(
            Indicator(level1="产出指标", level2="数量指标", name="见习人数", completion=Figure(text="100%"))
        )
        found = thread.contradictions([monitoring.load(record)], evaluation)
        assert found and "完全不可能" in found[0]
        evaluation.indicators[-1].deviation_reason = "下半年集中招募"
        assert thread.contradictions([monitoring.load(record)], evaluation) == []
        with pytest.raises(NotFound):
            thread.build(session, actors["danwei2"], record.unit_id, 2026, PROJECT, date.today())


def test_a_declaration_review_and_an_audit_list_feed_the_ledger(database: Database) -> None:
    actors = _actors(database)
    declaration_id = _approved(database, actors)
    with database.session() as session, pytest.raises(Forbidden):
        rectification.from_declaration(session, actors["danwei"], declaration_id)
    with database.session() as session:
        found = rectification.from_declaration(session, actors["caizheng"], declaration_id)
        assert found and {r.origin for r in found} <= {"review"}
        count = len(found)
    with database.session() as session:  # the same review again adds nothing
        assert rectification.from_declaration(session, actors["caizheng"], declaration_id) == []
        unit_id = found[0].unit_id
        rows = [{"project": PROJECT, "problem": "资金结余未收回", "origin": "audit", "status": "confirmed"}]
        (imported,) = rectification.import_audit(
            session, actors["caizheng"], rows, unit_id=unit_id, file="审计.xlsx", year=2026
        )
        assert imported.status == "pending" and imported.year == 2026
        with pytest.raises(StoreError, match="没有找到"):
            rectification.import_audit(session, actors["caizheng"], [], unit_id=unit_id, file="x.xlsx")
    with database.session() as session:
        assert len(rectification.ledger(session, actors["bumen"], today=date.today())) == count + 1
