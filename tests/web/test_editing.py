"""Optimistic locking, validation errors beside the field, nothing half-saved, return and resubmit."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from jixiao.store.models import AuditEntry, EvaluationRecord
from tests.web.conftest import csrf_of, login, version_of
from tests.web.test_flow import _new_evaluation, filled_form


def test_two_sessions_editing_lose_no_update(app: object, db: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    first, second = login(app, "danwei"), login(app, "danwei")
    v1, v2 = version_of(first.get(url).text), version_of(second.get(url).text)
    assert v1 == v2
    t1, t2 = csrf_of(first, url), csrf_of(second, url)
    form1 = {**filled_form(t1, int(v1)), "goals_achieved": "第一人的修改", "action": "save"}
    assert first.post(url, data=form1, follow_redirects=False).status_code == 303
    form2 = {**filled_form(t2, int(v2)), "goals_achieved": "第二人的修改", "action": "save"}
    r = second.post(url, data=form2, follow_redirects=False)
    assert r.status_code == 409
    assert "保存冲突" in r.text
    assert "第二人的修改" in r.text  # the second user's input is still on the page
    with db.session() as session:  # type: ignore[attr-defined]
        assert session.get(EvaluationRecord, evaluation_id).data["goals"]["achieved"] == "第一人的修改"
    # after reloading, the second user saves on top of the first
    v = version_of(second.get(url).text)
    form2["version"] = v
    assert second.post(url, data=form2, follow_redirects=False).status_code == 303
    with db.session() as session:  # type: ignore[attr-defined]
        assert session.get(EvaluationRecord, evaluation_id).data["goals"]["achieved"] == "第二人的修改"


def test_validation_errors_are_shown_beside_the_field_and_nothing_is_saved(app: object, db: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    page = unit.get(url).text
    token = csrf_of(unit, url)
    with db.session() as session:  # type: ignore[attr-defined]
        before = session.get(EvaluationRecord, evaluation_id).data
        logged = session.scalar(select(func.count()).select_from(AuditEntry))
    form = {
        **filled_form(token, int(version_of(page))),
        "funds_spent": "九十五",
        "ind-0-weight": "-5",
        "action": "save",
    }
    r = unit.post(url, data=form)
    assert r.status_code == 422
    assert 'id="funds_spent-error">请输入数字' in r.text
    assert 'class="invalid"' in r.text or "invalid" in r.text
    assert 'value="九十五"' in r.text
    form["funds_spent"] = "95"
    r = unit.post(url, data=form)
    assert r.status_code == 422
    assert 'id="ind-0-weight-error"' in r.text
    assert "不能小于下限" in r.text
    with db.session() as session:  # type: ignore[attr-defined]
        assert session.get(EvaluationRecord, evaluation_id).data == before
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == logged


def test_returned_evaluation_can_be_fixed_and_resubmitted(app: object, db: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    token = csrf_of(unit, url)
    r = unit.post(url, data={**filled_form(token, int(version_of(unit.get(url).text))), "action": "submit"})
    assert r.status_code == 200
    with db.session() as session:  # type: ignore[attr-defined]
        version = session.get(EvaluationRecord, evaluation_id).version
    # submitted: the unit can no longer change it
    r = unit.post(url, data={**filled_form(token, version), "action": "save"})
    assert r.status_code == 403
    finance = login(app, "caizheng")
    ftoken = csrf_of(finance, f"/review/{evaluation_id}")
    fv = version_of(finance.get(f"/review/{evaluation_id}").text)
    r = finance.post(
        f"/review/{evaluation_id}/decision", data={"csrf_token": ftoken, "version": fv, "action": "return"}
    )
    assert r.status_code == 400 and "退回意见" in r.text
    r = finance.post(
        f"/review/{evaluation_id}/decision",
        data={"csrf_token": ftoken, "version": fv, "action": "return", "comment": "数量指标未达标却得满分"},
    )
    assert r.status_code == 200
    page = unit.get(url).text
    assert "数量指标未达标却得满分" in page
    form = {**filled_form(token, int(version_of(page)), claimed_quantity="16"), "action": "submit"}
    assert unit.post(url, data=form, follow_redirects=False).status_code == 303
    with db.session() as session:  # type: ignore[attr-defined]
        assert session.get(EvaluationRecord, evaluation_id).status == "submitted"


def test_review_queue_is_ordered_by_severity_then_inflation(app: object, db: object) -> None:
    with db.session() as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(EvaluationRecord.id, EvaluationRecord.max_severity, EvaluationRecord.inflation).where(
                EvaluationRecord.status == "submitted"
            )
        ).all()
    expected = [
        r.id
        for r in sorted(
            rows, key=lambda r: (r.max_severity, -(r.inflation if r.inflation is not None else -1e9), r.id)
        )
    ]
    page = login(app, "caizheng").get("/review").text
    shown = [int(x) for x in re.findall(r'href="/review/(\d+)"', page)]
    assert shown == expected


def test_uploaded_form_is_shown_prefilled_then_confirmed(app: object, db: object) -> None:
    from jixiao.examples import example_files

    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    token = csrf_of(unit, url)
    source = next(p for p in example_files() if "jinzhong" in p.name)
    r = unit.post(
        url + "/import",
        data={"csrf_token": token},
        files={"file": (source.name, source.read_bytes(), "text/yaml")},
    )
    assert r.status_code == 200, r.text
    assert "请核对后点击" in r.text
    assert "城乡居民养老金缴费补助" in r.text
    with db.session() as session:  # type: ignore[attr-defined]
        assert (
            session.get(EvaluationRecord, evaluation_id).project_name == "城乡居民养老保险缴费补贴"
        )  # not yet saved
    import_id = re.search(r'name="import_id" value="(\d+)"', r.text).group(1)  # type: ignore[union-attr]
    form = dict(re.findall(r'<input type="text" id="[^"]+" name="([^"]+)" value="([^"]*)"', r.text))
    form.update(csrf_token=token, version=version_of(r.text), import_id=import_id, action="save")
    form["indicator_count"] = re.search(r'name="indicator_count" value="(\d+)"', r.text).group(1)  # type: ignore[union-attr]
    import html

    form = {k: html.unescape(v) for k, v in form.items()}
    saved = unit.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    with db.session() as session:  # type: ignore[attr-defined]
        record = session.get(EvaluationRecord, evaluation_id)
        assert record.project_name.startswith("城乡居民养老金缴费补助")
        assert record.claimed_total is not None
