"""Workflow integrity: a submitted or approved evaluation changes only through the review workflow.

Every role that could plausibly try (the unit that owns it, finance, the administrator, the
third-party evaluator) tries every state-changing route on it — form save and submit, import,
evidence upload, review scores, decision and reopening, applying a survey.  Each attempt must be
refused with a 4xx and a Chinese message, and the stored record (data, version, status, totals,
uploads, surveys) must be exactly as before.  A unit also cannot rename its 主管部门 / 实施单位.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao import api
from jixiao.examples import example_files
from jixiao.store.db import Database
from jixiao.store.models import (
    EvaluationRecord,
    Organisation,
    SurveyRecord,
    SurveyResponse,
    Task,
    TaskEvaluator,
    Upload,
)
from jixiao.store.seed import DEPARTMENT, EVALUATOR_ORG, UNIT_A
from jixiao.web import Settings, create_app
from tests.web.conftest import csrf_of, login
from tests.web.server import tiny_pdf
from tests.web.test_flow import _new_evaluation, filled_form

ROLES = ("danwei", "caizheng", "admin", "pingjia")
REVIEWERS = ("caizheng", "admin")  # for whom the review routes are the workflow's own actions
REVIEW_ATTEMPTS = ("review scores", "review approve", "review return")  # on a submitted evaluation
SCORERS = {"pingjia"}  # the evaluator of the firm assigned to the task
REOPEN_ATTEMPTS = ("review reopen",)  # on an approved one
CJK = re.compile(r"[\u4e00-\u9fff]")
# Every POST route about one evaluation that the attempts below cover (or that saves nothing).
COVERED_ROUTES = {
    "/evaluations/{evaluation_id}",
    "/evaluations/{evaluation_id}/preview",
    "/evaluations/{evaluation_id}/import",
    "/evaluations/{evaluation_id}/evidence",
    "/review/{evaluation_id}/scores",
    "/review/{evaluation_id}/decision",
    "/review/{evaluation_id}/reopen",
}
# Further workflow actions that legitimately act on a closed evaluation (none so far).
# the ledger's: an approved evaluation's problems put on the 整改台账; the evaluation itself unchanged
WORKFLOW_ROUTES: set[str] = {"/rectification/from-evaluation/{evaluation_id}"}


def _alert(text: str) -> str:
    match = re.search(r'role="alert"[^>]*>(.*?)</div>', text, re.S)
    return match.group(1) if match else ""


def _walk(routes: Any) -> Any:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from _walk(original.routes)


@dataclass
class Target:
    """The evaluation under attack and the ids the attempts need."""

    evaluation_id: int
    survey_id: int
    weight0: str


def _target(db: Any, status: str) -> Target:
    """A unit A evaluation with indicators, evidence and an answered survey, put into ``status``.

    It belongs to a task that pingjia's firm is assigned to, so the evaluator can see it and its
    attempts are refused for the status, not for visibility.
    """
    with db.session() as session:
        unit = session.scalars(select(Organisation).where(Organisation.name == UNIT_A)).one()
        firm = session.scalars(select(Organisation).where(Organisation.name == EVALUATOR_ORG)).one()
        records = session.scalars(
            select(EvaluationRecord).where(EvaluationRecord.unit_id == unit.id).order_by(EvaluationRecord.id)
        ).all()
        record = next(
            r
            for r in records
            if r.data.get("indicators")
            and any("满意" in str(i.get("level1", "")) + str(i.get("name", "")) for i in r.data["indicators"])
        )
        task = Task(
            name="完整性测试任务", year=record.year or 2020, framework="self-2020", policy="national-2020"
        )
        session.add(task)
        session.flush()
        record.task_id = task.id
        session.add(TaskEvaluator(task_id=task.id, org_id=firm.id))
        session.add(
            Upload(
                evaluation_id=record.id,
                filename="已有佐证.pdf",
                content_type="application/pdf",
                size=13,
                content=b"%PDF-1.4 test",
            )
        )
        survey = SurveyRecord(
            evaluation_id=record.id,
            title="满意度调查",
            token="integrity-survey",
            questions=["总体满意度"],
            weights={"很满意": 100, "满意": 80, "一般": 60, "不满意": 40, "很不满意": 0},
        )
        session.add(survey)
        session.flush()
        for i, option in enumerate(("很满意", "一般", "不满意")):
            session.add(SurveyResponse(survey_id=survey.id, device=f"device-{i}", answers=[option]))
        record.status = status
        weight = record.data["indicators"][0].get("weight") or 1
        return Target(record.id, survey.id, str(weight))


def _snapshot(db: Any, evaluation_id: int) -> dict[str, Any]:
    with db.session() as session:
        record = session.get(EvaluationRecord, evaluation_id)
        uploads = session.execute(
            select(Upload.id, Upload.filename, Upload.size, Upload.purpose).where(
                Upload.evaluation_id == evaluation_id
            )
        ).all()
        surveys = session.scalars(select(SurveyRecord.id).where(SurveyRecord.evaluation_id == evaluation_id))
        return {
            "data": json.dumps(record.data, sort_keys=True, ensure_ascii=False),
            "version": record.version,
            "status": record.status,
            "project_name": record.project_name,
            "claimed_total": record.claimed_total,
            "computed_total": record.computed_total,
            "reviewed_total": record.reviewed_total,
            "review_comment": record.review_comment,
            "uploads": sorted(tuple(u) for u in uploads),
            "surveys": sorted(surveys),
        }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two snapshots; for the data, the paths that changed."""
    out = []
    for key in before:
        if before[key] == after[key]:
            continue
        if key == "data":
            out.extend(f"data{p}" for p in _paths(json.loads(before[key]), json.loads(after[key]))[:8])
        else:
            out.append(f"{key}: {before[key]!r:.120} → {after[key]!r:.120}")
    return out


def _paths(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [p for k in sorted(set(a) | set(b)) for p in _paths(a.get(k), b.get(k), f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in _paths(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r:.60} → {b!r:.60}"]


def _version(db: Any, evaluation_id: int) -> str:
    with db.session() as session:
        return str(session.get(EvaluationRecord, evaluation_id).version)


def _import_file() -> tuple[str, bytes]:
    source = next(p for p in example_files() if "jinzhong" in p.name)
    return source.name, source.read_bytes()


def _requests(target: Target) -> dict[str, dict[str, Any]]:
    """Every state-changing request on the target, by label."""
    eid = target.evaluation_id
    url = f"/evaluations/{eid}"
    name, content = _import_file()
    return {
        "save": {"url": url, "data": {"project_name": "被篡改的项目名", "action": "save"}},
        "submit": {"url": url, "data": {"project_name": "被篡改的项目名", "action": "submit"}},
        "save full form": {"url": url, "data": {**filled_form("", 0), "action": "save"}},
        "import": {"url": url + "/import", "files": {"file": (name, content, "text/yaml")}},
        "evidence": {
            "url": url + "/evidence",
            "files": {"file": ("new.pdf", tiny_pdf(), "application/pdf")},
        },
        "review scores": {
            "url": f"/review/{eid}/scores",
            "data": {"reviewed-0": target.weight0, "reason-0": "复核调整"},
        },
        "review approve": {
            "url": f"/review/{eid}/decision",
            "data": {"action": "approve", "comment": "同意"},
        },
        "review return": {
            "url": f"/review/{eid}/decision",
            "data": {"action": "return", "comment": "退回修改"},
        },
        "review reopen": {"url": f"/review/{eid}/reopen", "data": {"comment": "重新打开修改"}},
        "survey apply": {"url": f"/surveys/{target.survey_id}/apply", "data": {}},
    }


def _post(client: TestClient, db: Any, target: Target, label: str, token: str) -> Any:
    """One of the requests, with the current version (so only the evaluation's status can stop it)."""
    request = _requests(target)[label]
    data = {**request.get("data", {}), "csrf_token": token, "version": _version(db, target.evaluation_id)}
    return client.post(request["url"], data=data, files=request.get("files"), follow_redirects=False)


def _attempts(client: TestClient, db: Any, target: Target, skip: tuple[str, ...]) -> dict[str, Any]:
    """Every state-changing request on the target but ``skip``."""
    token = csrf_of(client, "/evaluations")
    responses = {
        label: _post(client, db, target, label, token) for label in _requests(target) if label not in skip
    }
    # the live preview saves nothing, whoever asks
    url = f"/evaluations/{target.evaluation_id}/preview"
    preview = client.post(url, data={"csrf_token": token, "project_name": "预览"})
    assert preview.status_code < 500, preview.text[:300]
    return responses


def _refusals(app: object, db: Any, target: Target, reviewers_may: tuple[str, ...]) -> list[str]:
    """Every role's attempts that were not refused with a 4xx and a Chinese message."""
    wrong = []
    for username in ROLES:
        client = login(app, username)
        skip = reviewers_may if username in REVIEWERS else ()
        if username in SCORERS:  # the task's third party adjusts scores (and decides nothing)
            skip = tuple(a for a in reviewers_may if a == "review scores")
        for label, r in _attempts(client, db, target, skip).items():
            if not 400 <= r.status_code < 500:
                wrong.append(f"{username} / {label}: {r.status_code} {r.headers.get('location', '')}")
            elif not CJK.search(_alert(r.text)):
                wrong.append(
                    f"{username} / {label}: {r.status_code} without a Chinese message: {r.text[:200]!r}"
                )
    return wrong


def test_approved_evaluation_cannot_change_through_any_route(app: object, db: Any) -> None:
    target = _target(db, "approved")
    before = _snapshot(db, target.evaluation_id)
    wrong = _refusals(app, db, target, REOPEN_ATTEMPTS)
    changed = _changes(before, _snapshot(db, target.evaluation_id))
    assert not wrong and not changed, "\n".join(["attempts not refused:", *wrong, "changed:", *changed])
    # the workflow's own way back: finance reopens it, with a reason, for the unit to change
    finance = login(app, "caizheng")
    r = finance.post(
        f"/review/{target.evaluation_id}/reopen",
        data={
            "csrf_token": csrf_of(finance, "/review"),
            "version": _version(db, target.evaluation_id),
            "comment": "发现数据错误，重新打开",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    assert _snapshot(db, target.evaluation_id)["status"] == "returned"


def test_submitted_evaluation_changes_only_through_review(app: object, db: Any) -> None:
    target = _target(db, "submitted")
    before = _snapshot(db, target.evaluation_id)
    wrong = _refusals(app, db, target, REVIEW_ATTEMPTS)
    changed = _changes(before, _snapshot(db, target.evaluation_id))
    assert not wrong and not changed, "\n".join(["attempts not refused:", *wrong, "changed:", *changed])
    # the workflow's own action still works on it: finance returns it to the unit
    finance = login(app, "caizheng")
    r = finance.post(
        f"/review/{target.evaluation_id}/decision",
        data={
            "csrf_token": csrf_of(finance, "/review"),
            "version": _version(db, target.evaluation_id),
            "action": "return",
            "comment": "请补充佐证材料",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    assert _snapshot(db, target.evaluation_id)["status"] == "returned"


def test_the_same_requests_change_an_open_evaluation(app: object, db: Any) -> None:
    """Control: the refused requests are real ones — on a draft they go through."""
    target = _target(db, "draft")
    unit, evaluator = login(app, "danwei"), login(app, "pingjia")
    token = csrf_of(unit, "/evaluations")
    expected = {"save": 303, "import": 200, "evidence": 303}
    got = {label: _post(unit, db, target, label, token).status_code for label in expected}
    expected["survey apply"] = 303
    got["survey apply"] = _post(
        evaluator, db, target, "survey apply", csrf_of(evaluator, "/surveys")
    ).status_code
    assert got == expected
    after = _snapshot(db, target.evaluation_id)
    assert after["project_name"] == "被篡改的项目名" and len(after["uploads"]) == 3  # + evidence, + import


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_new_survey_leaves_a_closed_evaluation_unchanged(app: object, db: Any, status: str) -> None:
    """Building a questionnaire collects answers; it changes the evaluation only when applied (refused)."""
    target = _target(db, status)
    before = _snapshot(db, target.evaluation_id)
    for username in ("caizheng", "admin", "pingjia"):
        client = login(app, username)
        r = client.post(
            "/surveys",
            data={
                "csrf_token": csrf_of(client, "/surveys"),
                "evaluation_id": str(target.evaluation_id),
                "title": "新问卷",
                "questions": "总体满意度",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, (username, r.status_code)
    after = _snapshot(db, target.evaluation_id)
    assert {k: v for k, v in after.items() if k != "surveys"} == {
        k: v for k, v in before.items() if k != "surveys"
    }


def test_every_post_route_on_an_evaluation_is_covered(tmp_path: Path) -> None:
    """A new state-changing route on an evaluation must be added to the attempts above."""
    db = Database(f"sqlite:///{tmp_path / 'routes.db'}")  # never migrated: only the routes are needed
    app = create_app(Settings(data_dir=tmp_path, secret_key="x", migrate=False), db)
    routes = {
        route.path
        for route in _walk(app.routes)  # type: ignore[attr-defined]
        if "POST" in (route.methods or ()) and "{evaluation_id}" in route.path
    }
    assert routes - COVERED_ROUTES - WORKFLOW_ROUTES == set(), "add these routes to the attempts"


# ---- a unit cannot rename its 主管部门 / 实施单位


def _names(db: Any, evaluation_id: int) -> tuple[str | None, str | None, str | None, str | None]:
    with db.session() as session:
        record = session.get(EvaluationRecord, evaluation_id)
        project = record.data.get("project", {})
        return project.get("department"), project.get("unit"), record.department_name, record.unit_name


def _page_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)  # type: ignore[union-attr]


def test_unit_cannot_rename_its_department_or_itself_in_the_form(app: object, db: Any) -> None:
    evaluation_id = _new_evaluation(app)
    assert _names(db, evaluation_id)[2:] == (DEPARTMENT, UNIT_A)
    unit = login(app, "danwei")
    url = f"/evaluations/{evaluation_id}"
    token = csrf_of(unit, url)
    form = {
        **filled_form(token, int(_page_version(unit.get(url).text))),
        "project_department": "伪造的主管部门",
        "project_unit": "伪造的实施单位",
        "goals_achieved": "已全部完成",
        "action": "save",
    }
    r = unit.post(url, data=form, follow_redirects=False)
    assert r.status_code == 303, (r.status_code, _alert(r.text) or r.text[:300])
    assert _names(db, evaluation_id) == (DEPARTMENT, UNIT_A, DEPARTMENT, UNIT_A)
    with db.session() as session:  # the save went through: only the two names were ignored
        assert session.get(EvaluationRecord, evaluation_id).data["goals"]["achieved"] == "已全部完成"
    page = unit.get("/evaluations").text
    assert "伪造的主管部门" not in page and "伪造的实施单位" not in page


def _foreign_file() -> tuple[str, bytes]:
    """An evaluation file naming another department and unit."""
    source = next(p for p in example_files() if "jinzhong" in p.name)
    loaded = api.load(source)
    assert loaded.evaluation is not None
    data = api.to_data(loaded.evaluation, keep_empty=True)
    data.pop("source", None)
    data["project"]["department"] = "别的主管部门"
    data["project"]["unit"] = "别的实施单位"
    return "foreign.json", json.dumps(data, ensure_ascii=False).encode()


def test_unit_cannot_rename_them_through_an_imported_file(app: object, db: Any) -> None:
    import html

    evaluation_id = _new_evaluation(app)
    unit = login(app, "danwei")
    url = f"/evaluations/{evaluation_id}"
    token = csrf_of(unit, url)
    name, content = _foreign_file()
    r = unit.post(
        url + "/import", data={"csrf_token": token}, files={"file": (name, content, "application/json")}
    )
    assert r.status_code == 200, r.text[:500]
    # confirm the import the way the page does: post back every field it shows
    form = dict(re.findall(r'<input type="text" id="[^"]+" name="([^"]+)" value="([^"]*)"', r.text))
    form = {k: html.unescape(v) for k, v in form.items()}
    import_id = re.search(r'name="import_id" value="(\d+)"', r.text)
    count = re.search(r'name="indicator_count" value="(\d+)"', r.text)
    assert import_id and count
    form.update(
        csrf_token=token,
        version=_page_version(r.text),
        import_id=import_id.group(1),
        indicator_count=count.group(1),
        action="save",
    )
    saved = unit.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303, (saved.status_code, _alert(saved.text) or saved.text[:300])
    assert _names(db, evaluation_id) == (DEPARTMENT, UNIT_A, DEPARTMENT, UNIT_A)
    with db.session() as session:  # the imported content was saved, under the unit's own names
        assert session.get(EvaluationRecord, evaluation_id).project_name.startswith("城乡居民养老金缴费补助")
    page = unit.get("/evaluations").text
    assert "别的主管部门" not in page and "别的实施单位" not in page
