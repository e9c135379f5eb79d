"""The yearly flow through HTTP: task → assignment → unit fills and submits → reviewer approves."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from jixiao.store.models import AuditEntry, EvaluationRecord
from tests.web.conftest import csrf_of, login


def _new_evaluation(app: object) -> int:
    finance = login(app, "caizheng")
    token = csrf_of(finance, "/tasks")
    r = finance.post(
        "/tasks",
        data={
            "csrf_token": token,
            "name": "2024年度项目支出绩效自评",
            "year": "2024",
            "framework": "self-2020",
            "policy": "national-2020",
            "deadline": "2025-03-31",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    task_url = r.headers["location"]
    page = finance.get(task_url)
    unit_id = re.search(r'name="unit_id" value="(\d+)"> 示范市社会保险事业管理中心</label>', page.text)
    assert unit_id
    r = finance.post(
        task_url + "/assign",
        data={"csrf_token": token, "unit_id": unit_id.group(1), "project_name": "城乡居民养老保险缴费补贴"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = finance.get(task_url)
    match = re.search(r'href="/evaluations/(\d+)">城乡居民养老保险缴费补贴', page.text)
    assert match
    return int(match.group(1))


def filled_form(token: str, version: int, *, claimed_quantity: str = "20") -> dict[str, str]:
    """A complete 自评表 whose quantity target is missed (80 of 100) yet claimed at full marks."""
    data = {
        "csrf_token": token,
        "version": str(version),
        "indicator_count": "7",
        "project_name": "城乡居民养老保险缴费补贴",
        "project_department": "示范市人力资源和社会保障局",
        "project_unit": "示范市社会保险事业管理中心",
        "funds_budget": "100",
        "funds_budget_adjusted": "100",
        "funds_spent": "95",
        "funds_execution_claimed": "9.5",
        "goals_annual": "按时足额发放补贴",
        "goals_achieved": "基本完成",
    }
    rows = [  # the self-2020 framework: 数量 20, 质量 10, 时效 10, 成本 10, 社会效益 20, 可持续 10, 满意度 10
        ("≥100万人", "80万人", claimed_quantity, "部分人员未参保"),
        ("≥95%", "98%", "10", ""),
        ("达成", "达成年度指标", "10", ""),
        ("≤100万元", "95万元", "10", ""),
        ("达成", "达成年度指标", "20", ""),
        ("达成", "达成年度指标", "10", ""),
        ("≥90%", "92%", "10", ""),
    ]
    for i, (target, actual, claimed, reason) in enumerate(rows):
        data[f"ind-{i}-target"] = target
        data[f"ind-{i}-actual"] = actual
        data[f"ind-{i}-claimed"] = claimed
        data[f"ind-{i}-deviation_reason"] = reason
    return data


def test_unit_fills_submits_and_reviewer_approves(app: object, db: object) -> None:
    evaluation_id = _new_evaluation(app)
    unit = login(app, "danwei")
    url = f"/evaluations/{evaluation_id}"
    page = unit.get(url)
    assert page.status_code == 200
    token = csrf_of(unit, url)
    version = int(re.search(r'name="version" value="(\d+)"', page.text).group(1))  # type: ignore[union-attr]
    form = filled_form(token, version)
    live = unit.post(url + "/preview", data=form, headers={"HX-Request": "true"})
    assert live.status_code == 200
    assert "警告" in live.text or "错误" in live.text
    r = unit.post(url, data={**form, "action": "save"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = unit.get(url)
    assert "草稿已保存" in page.text
    version = int(re.search(r'name="version" value="(\d+)"', page.text).group(1))  # type: ignore[union-attr]
    r = unit.post(url, data={**filled_form(token, version), "action": "submit"}, follow_redirects=False)
    assert r.status_code == 303, r.text

    finance = login(app, "caizheng")
    queue = finance.get("/review")
    assert "城乡居民养老保险缴费补贴" in queue.text
    review = finance.get(f"/review/{evaluation_id}")
    assert "警告" in review.text or "错误" in review.text
    token = csrf_of(finance, f"/review/{evaluation_id}")
    version = int(re.search(r'name="version" value="(\d+)"', review.text).group(1))  # type: ignore[union-attr]
    r = finance.post(
        f"/review/{evaluation_id}/scores",
        data={
            "csrf_token": token,
            "version": str(version),
            "reviewed-0": "15.5",
            "reason-0": "完成率 80%，按比例扣减",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    review = finance.get(f"/review/{evaluation_id}")
    assert 'value="15.5"' in review.text
    version = int(re.search(r'name="version" value="(\d+)"', review.text).group(1))  # type: ignore[union-attr]
    r = finance.post(
        f"/review/{evaluation_id}/decision",
        data={"csrf_token": token, "version": str(version), "action": "approve", "comment": "同意"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with db.session() as session:  # type: ignore[attr-defined]
        record = session.get(EvaluationRecord, evaluation_id)
        assert record.status == "approved"
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_id == evaluation_id)
        ).all()
    assert {
        "evaluation.save",
        "evaluation.submitted",
        "evaluation.review-scores",
        "evaluation.approved",
    } <= set(actions)

    docx = finance.get(f"/evaluations/{evaluation_id}/download/self-table.docx")
    assert docx.status_code == 200, docx.text
    assert docx.content[:2] == b"PK"


def test_pages_render_for_each_role(app: object) -> None:
    for username, pages in {
        "caizheng": ["/dashboard", "/tasks", "/review", "/evaluations", "/surveys"],
        "danwei": ["/evaluations"],
        "pingjia": ["/surveys", "/evaluations"],
        "chakan": ["/dashboard", "/evaluations"],
        "admin": ["/dashboard", "/review"],
    }.items():
        client = login(app, username)
        for page in pages:
            r = client.get(page)
            assert r.status_code == 200, (username, page, r.text[:500])


def test_dashboard_export_and_audit_log(app: object) -> None:
    finance = login(app, "caizheng")
    r = finance.get("/dashboard.xlsx?year=2020")
    assert r.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["编号", "年度", "项目名称"]
    assert all(row[1] == 2020 for row in sheet.iter_rows(min_row=2, values_only=True))
    page = finance.get("/dashboard?year=2022")
    assert page.status_code == 200 and "<svg" in page.text
    audit = finance.get("/audit")
    assert audit.status_code == 200 and "登录" in audit.text and "user.login" not in audit.text
    assert login(app, "danwei").get("/audit").status_code == 403
