"""``jixiao db backup`` and ``jixiao db restore`` on an SQLite data dir."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from jixiao.cli import main
from jixiao.store.db import Database
from jixiao.store.models import EvaluationRecord
from jixiao.store.seed import seed_demo


def test_backup_then_restore(tmp_path: Path, monkeypatch: object) -> None:
    monkeypatch.delenv("JIXIAO_DATABASE_URL", raising=False)  # type: ignore[attr-defined]
    data_dir = tmp_path / "data"
    db = Database(f"sqlite:///{data_dir.mkdir() or data_dir / 'jixiao.db'}")
    db.migrate()
    with db.session() as session:
        seed_demo(session, {})
        first = session.scalars(select(EvaluationRecord).order_by(EvaluationRecord.id)).first()
        assert first is not None
        evaluation_id, name = first.id, first.project_name
    runner = CliRunner()
    for target in (tmp_path / "b.db", tmp_path / "b.json"):
        result = runner.invoke(main, ["db", "--data-dir", str(data_dir), "backup", str(target)])
        assert result.exit_code == 0, result.output
        with db.session() as session:
            session.get(EvaluationRecord, evaluation_id).project_name = "改动"
        result = runner.invoke(main, ["db", "--data-dir", str(data_dir), "restore", "--yes", str(target)])
        assert result.exit_code == 0, result.output
        db.dispose()
        with db.session() as session:
            assert session.get(EvaluationRecord, evaluation_id).project_name == name
    db.dispose()


def test_add_user(tmp_path: Path, monkeypatch: object) -> None:
    monkeypatch.delenv("JIXIAO_DATABASE_URL", raising=False)  # type: ignore[attr-defined]
    runner = CliRunner()
    args = ["db", "--data-dir", str(tmp_path), "add-user", "zhang", "--role", "unit", "--org", "某某中心"]
    result = runner.invoke(main, [*args, "--parent", "某某局", "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, [*args, "--password", "short"])
    assert result.exit_code != 0 and "8 位" in result.output
    from jixiao.store.accounts import authenticate

    db = Database(f"sqlite:///{tmp_path / 'jixiao.db'}")
    with db.session() as session:
        user = authenticate(session, "zhang", "long-enough-1")
        assert user is not None and user.role == "unit"
    db.dispose()
