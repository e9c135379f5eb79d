"""The whole official 自评表 on the web: indicator rows added and removed, fund sub-rows and 实际到位,
the survey's description, evidence per indicator."""

from __future__ import annotations

import re

from jixiao.store.models import EvaluationRecord
from tests.web.conftest import csrf_of, login, version_of
from tests.web.server import tiny_pdf
from tests.web.test_flow import _new_evaluation, filled_form


def _rows(html: str) -> list[str]:
    return re.findall(r'id="ind-(\d+)-name" name="ind-\d+-name" value="([^"]*)"', html)  # type: ignore[return-value]


def test_rows_added_and_removed_then_saved(app: object, db: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    form = filled_form(csrf_of(unit, url), int(version_of(unit.get(url).text)))
    form["ind-0-name"] = "参保人数"
    # a second 三级 under 数量指标: the form comes back with every input kept and a new row below row 0
    r = unit.post(url, data={**form, "action": "add-0"})
    assert r.status_code == 200 and "已在“数量指标”下添加一行" in r.text
    assert 'name="indicator_count" value="8"' in r.text
    assert 'id="ind-1-level2" name="ind-1-level2" value="数量指标"' in r.text
    assert 'id="ind-0-claimed" name="ind-0-claimed" value="20"' in r.text  # typed input kept
    with db.session() as session:  # type: ignore[attr-defined]
        assert len(session.get(EvaluationRecord, evaluation_id).data["indicators"]) == 7  # nothing saved
    # fill the new row and a new 二级 under 产出指标, then remove the 成本 row, and save
    page = r.text
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    fields.update({"csrf_token": form["csrf_token"], "ind-1-name": "新增参保人数", "ind-1-weight": "0"})
    r = unit.post(url, data={**fields, "action": "add-group-1"})
    assert r.status_code == 200 and "“产出指标”下新的二级指标" in r.text
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', r.text))
    fields["csrf_token"] = form["csrf_token"]
    names = dict(_rows(r.text))
    cost = next(i for i, n in names.items() if fields.get(f"ind-{i}-level2") == "成本指标")
    r = unit.post(url, data={**fields, "action": f"remove-{cost}"})
    assert r.status_code == 200 and "已删除" in r.text
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', r.text))
    fields.update({"csrf_token": form["csrf_token"], "action": "save"})
    assert unit.post(url, data=fields, follow_redirects=False).status_code == 303
    with db.session() as session:  # type: ignore[attr-defined]
        stored = session.get(EvaluationRecord, evaluation_id).data["indicators"]
    assert [r.get("name") for r in stored][:2] == ["参保人数", "新增参保人数"]
    assert not any(r.get("level2") == "成本指标" for r in stored)
    assert len(stored) == 8


def test_fund_rows_survey_and_evidence_per_indicator(app: object, db: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    form = filled_form(csrf_of(unit, url), int(version_of(unit.get(url).text)))
    form.update(
        {
            "action": "save",
            "funds_available": "100",
            "fund-appropriation-budget": "80",
            "fund-appropriation-available": "80",
            "fund-appropriation-spent": "76",
            "fund-carryover-budget": "20",
            "fund-carryover-spent": "19",
            "fund-other-budget": "",
            "survey_method": "问卷",
            "survey_population": "1200",
            "survey_sample_size": "300",
        }
    )
    assert unit.post(url, data=form, follow_redirects=False).status_code == 303
    with db.session() as session:  # type: ignore[attr-defined]
        data = session.get(EvaluationRecord, evaluation_id).data
    lines = {ln["source"]: ln for ln in data["funds"]["lines"]}
    assert lines["appropriation"]["spent"] == "76" and lines["carryover"]["budget"] == "20"
    assert "other" not in lines and data["funds"]["total"]["available"] == "100"
    survey = {k: v for k, v in data["survey"].items() if v not in ({}, [])}
    assert survey == {"method": "问卷", "population": 1200, "sample_size": 300}
    page = unit.get(url).text
    assert 'id="fund-appropriation-spent" name="fund-appropriation-spent" value="76"' in page
    # a bad number in a fund row comes back beside the field, nothing saved
    bad = {
        **form,
        "csrf_token": csrf_of(unit, url),
        "version": version_of(page),
        "fund-carryover-spent": "十九",
    }
    r = unit.post(url, data=bad)
    assert r.status_code == 422 and 'id="fund-carryover-spent-error"' in r.text and 'value="十九"' in r.text
    # evidence attached to the 数量指标 row is listed under it
    token = csrf_of(unit, url)
    files = {"file": ("参保名册.pdf", tiny_pdf(), "application/pdf")}
    r = unit.post(
        url + "/evidence", data={"csrf_token": token, "indicator": "0"}, files=files, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    page = unit.get(url).text
    under = page.split('id="explain-0"', 1)[1].split("</td>", 1)[0]
    assert "佐证材料：" in under and "参保名册.pdf" in under


def test_enter_in_a_field_saves_rather_than_adding_a_row(app: object) -> None:
    """The first submit button of the form (the one Enter presses) is 保存, not a row button."""
    evaluation_id = _new_evaluation(app)
    page = login(app, "danwei").get(f"/evaluations/{evaluation_id}").text
    form = page.split('id="evaluation-form"', 1)[1]
    first = re.search(r'<button type="submit" name="action" value="([^"]+)"', form)
    assert first and first.group(1) == "save"


def test_every_finding_on_a_web_form_points_at_a_field_the_unit_can_change(app: object, db: object) -> None:
    """A form filled with an honest self-score and a survey described raises nothing the unit can't fix."""
    from jixiao import api
    from jixiao.store.service import load_evaluation
    from jixiao.web.forms import _field_of

    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    form = filled_form(csrf_of(unit, url), int(version_of(unit.get(url).text)), claimed_quantity="16")
    form.update(
        {"action": "save", "survey_method": "问卷", "survey_sample_size": "300", "survey_population": "5000"}
    )
    form["survey_satisfaction_rate"] = "92"
    form.update({"claims_total": "95.5", "claims_grade": "优"})
    assert unit.post(url, data=form, follow_redirects=False).status_code == 303
    with db.session() as session:  # type: ignore[attr-defined]
        evaluation = load_evaluation(session.get(EvaluationRecord, evaluation_id))
    page = unit.get(url).text
    findings = api.check(evaluation).findings
    unfixable = [f for f in findings if f'name="{_field_of(f.location.path)}"' not in page]
    assert not unfixable, [(f.code, f.location.path, f.message) for f in unfixable]
