"""The front door's 整改 and 结果应用 names: the same results as the core, the policy's defaults applied."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
import pytest

from jixiao import api
from tests.results.helpers import evaluation, item


def test_ledger_items_audit_and_take_the_policy_deadline() -> None:
    e = api.load(api.example_files()[0]).evaluation
    assert e is not None
    items = api.ledger_items(e, on=date(2025, 1, 1))
    audit = api.check(e)
    assert items == api.items_from_audit(e, audit, api.Origin.review, on=date(2025, 1, 1), deadline_days=90)
    assert {i.deadline for i in items} == {date(2025, 1, 1) + timedelta(days=90)}
    assert any(i.finding_code and i.finding_code.startswith("funds.") for i in items)


def test_budget_suggestions_by_the_scored_grade() -> None:
    e = api.load(api.example_files()[0]).evaluation
    assert e is not None
    (s,) = api.budget_suggestions([e])
    assert s.grade == api.score(e).computed_grade
    assert s.action in {"优先保障", "据实保障", "核减", "暂停或取消"}


def test_render_rectification_formats() -> None:
    items = [item(deadline=date(2025, 1, 1))]
    text = "\n".join(
        c.text
        for t in docx.Document(
            io.BytesIO(api.render_rectification(items, "docx", unit="示范单位", today=date(2025, 2, 1)))
        ).tables
        for r in t.rows
        for c in r.cells
    )
    assert "待整改（逾期）" in text
    assert api.render_rectification(items, "xlsx").startswith(b"PK")
    with pytest.raises(api.RenderError, match="未知的输出格式"):
        api.render_rectification(items, "odt")  # type: ignore[arg-type]
    with pytest.raises(api.RenderError, match="xlsx、csv"):
        api.suggestions_table([], "pdf")


def test_names_users_read() -> None:
    assert api.ORIGIN_NAMES["audit"] == "审计" and api.ITEM_STATUS_NAMES["declined"] == "不整改"
    assert api.status_label(item(deadline=date(2025, 1, 1)), date(2025, 2, 1)) == "逾期"
    assert api.builtin_results_policy_names() == ["national"]
    assert evaluation().project.name == "示范项目"


def test_suggestions_from_scores_already_kept() -> None:
    e = evaluation(budget="200")
    kept = api.score(e)  # a store keeps the audit's score: no need to score again
    result = api.project_result(e, kept)
    (s,) = api.suggest([result], api.load_results_policy())
    assert s == api.budget_suggestions([e])[0]
