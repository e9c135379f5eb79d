"""Monitoring, the rectification ledger, 结果应用 and the project's thread on the web: finance opens
a monitoring round over approved targets, the unit fills and submits (a red light), the warning
board sorts and exports, two finance users writing 纠偏 at once (one wins, the other is told in
Chinese), the unit sees the decision; the red light's item is rectified and confirmed (again one
of two confirmations wins); hostile uploads; the thread shows every stage."""

from __future__ import annotations

import io
import threading
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select

from jixiao.store.models import AuditEntry, MonitoringRecord, RectificationRecord
from tests.web.conftest import csrf_of, login, version_of
from tests.web.test_declarations import PROJECT, decide, open_round, submit_filled


def approved(app: object, year: int = 2026) -> int:
    """A declaration of unit A approved by the department and finance; its id."""
    declaration_id = submit_filled(app, open_round(app, year))
    assert decide(login(app, "bumen"), declaration_id, "forward", grade="良").status_code == 303
    r = decide(login(app, "caizheng"), declaration_id, "approve", grade="良", **{"op-overall": "目标明确"})
    assert r.status_code == 303, r.text[:500]
    return declaration_id


def open_monitoring(app: object, year: int = 2026, month: int = 6) -> int:
    """Finance opens a monitoring round; its id."""
    finance = login(app, "caizheng")
    r = finance.post(
        "/monitoring/rounds",
        data={
            "csrf_token": csrf_of(finance, "/monitoring"),
            "name": f"{year}年1—{month}月运行监控",
            "year": str(year),
            "cutoff_month": str(month),
            "policy": "national",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    return int(r.headers["location"].rsplit("/", 1)[1])


def report_of(db: Any) -> int:
    with db.session() as session:
        return session.scalars(
            select(MonitoringRecord.id).where(MonitoringRecord.project_name == PROJECT)
        ).one()


def submit_lagging(app: object, report_id: int) -> TestClient:
    """The unit reports 5% spent at June and an indicator 完全不可能; submits."""
    unit = login(app, "danwei")
    url = f"/monitoring/{report_id}"
    page = unit.get(url).text
    assert PROJECT in page and "ind-0-to_date" in page
    bad = unit.post(
        url, data={"csrf_token": csrf_of(unit, url), "version": version_of(page), "spent": "二十"}
    )
    assert bad.status_code == 422 and "应为数字" in bad.text
    r = unit.post(
        url,
        data={
            "csrf_token": csrf_of(unit, url),
            "version": version_of(page),
            "spent": "25",
            "forecast": "300",
            "ind-0-to_date": "10万人",
            "ind-0-likelihood": "impossible",
            "ind-0-cause": "funding",
            "ind-0-cause_text": "资金未到位",
            "action": "submit",
        },
    )
    assert r.status_code == 200 and "已提交执行监控表" in r.text, r.text[:800]
    assert "红灯" in r.text
    return unit


def post_decision(client: TestClient, report_id: int, version: str, decision: str, note: str) -> Any:
    url = f"/monitoring/{report_id}"
    data = {"csrf_token": csrf_of(client, url), "version": version, "decision": decision, "note": note}
    return client.post(url + "/decision", data=data, follow_redirects=False)


def test_a_monitoring_round_lights_decides_and_rectifies(app: object, db: Any) -> None:
    approved(app)
    round_id = open_monitoring(app)
    report_id = report_of(db)
    unit = submit_lagging(app, report_id)
    finance, admin = login(app, "caizheng"), login(app, "admin")
    board = finance.get(f"/monitoring/rounds/{round_id}?sort=execution")
    assert board.status_code == 200 and "红灯" in board.text and PROJECT in board.text
    assert "light-red" in finance.get(f"/monitoring/rounds/{round_id}?sort=bogus&light=red").text
    xlsx = finance.get(f"/monitoring/rounds/{round_id}/export?fmt=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    csv = finance.get(f"/monitoring/rounds/{round_id}/export?fmt=csv")
    assert "红灯" in csv.content.decode("utf-8-sig")
    assert finance.get(f"/monitoring/rounds/{round_id}/export?fmt=exe").status_code == 400
    # 纠偏: a note is needed to suspend; two finance users at once: one wins, the other is told
    url = f"/monitoring/{report_id}"
    version = version_of(finance.get(url).text)
    r = post_decision(finance, report_id, version, "suspend", "")
    assert r.status_code == 422 and "纠偏说明" in r.text
    results: list[int] = []
    texts: list[str] = []

    def post(client: TestClient, decision: str, note: str) -> None:
        r = post_decision(client, report_id, version, decision, note)
        results.append(r.status_code)
        texts.append(r.text)

    threads = [
        threading.Thread(target=post, args=(finance, "suspend", "暂缓拨付第三季度资金")),
        threading.Thread(target=post, args=(admin, "stop", "停止实施，收回资金")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [303, 409], results
    assert any("操作冲突" in t for t in texts)
    with db.session() as session:
        decided = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "monitoring", AuditEntry.entity_id == report_id
            )
        ).all()
        assert list(decided).count("monitoring.decide") == 1
    seen = unit.get(url).text
    assert "纠偏决定" in seen and ("暂缓拨款" in seen or "停止实施" in seen)
    assert "decision-form" not in seen
    assert login(app, "danwei2").get(url).status_code == 404
    assert login(app, "bumen").get(url).status_code == 200
    assert login(app, "pingjia").get(url).status_code == 403
    # the red light's item on the ledger: the unit rectifies, finance confirms once
    with db.session() as session:
        item_id = session.scalars(
            select(RectificationRecord.id).where(RectificationRecord.monitoring_id == report_id)
        ).one()
    ledger = unit.get("/rectification?origin=monitoring")
    assert ledger.status_code == 200 and f"/rectification/{item_id}" in ledger.text
    assert login(app, "danwei2").get(f"/rectification/{item_id}").status_code == 404
    item_url = f"/rectification/{item_id}"
    page = unit.get(item_url).text
    r = unit.post(
        item_url,
        data={
            "csrf_token": csrf_of(unit, item_url),
            "version": version_of(page),
            "measures": "加快资金拨付",
            "progress": "三季度资金已拨付到位",
            "evidence": "拨付凭证.pdf",
            "to": "done",
        },
    )
    assert r.status_code == 200 and "已整改待确认" in r.text, r.text[:800]
    version = version_of(finance.get(item_url).text)
    results.clear()
    texts.clear()

    def confirm(client: TestClient, decision: str) -> None:
        data = {
            "csrf_token": csrf_of(client, item_url),
            "version": version,
            "decision": decision,
            "note": "不够",
        }
        r = client.post(item_url + "/confirm", data=data, follow_redirects=False)
        results.append(r.status_code)
        texts.append(r.text)

    threads = [
        threading.Thread(target=confirm, args=(finance, "confirm")),
        threading.Thread(target=confirm, args=(admin, "return")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [303, 409], results
    assert any("操作冲突" in t for t in texts)
    assert unit.get("/rectification/export?fmt=xlsx").content[:2] == b"PK"
    assert "项目名称" in unit.get("/rectification/export?fmt=csv").content.decode("utf-8-sig")
    # the thread: declared → approved → monitoring (red, 纠偏) → … → rectification
    with db.session() as session:
        unit_id = session.get(MonitoringRecord, report_id).unit_id
    thread = finance.get("/thread", params={"unit_id": unit_id, "year": 2026, "project": PROJECT})
    assert thread.status_code == 200
    for stage in (
        "绩效目标申报",
        "目标审定",
        "运行监控",
        "红灯",
        "纠偏",
        "单位自评",
        "财政复核",
        "整改",
        "结果应用",
    ):
        assert stage in thread.text, stage
    stranger = login(app, "danwei2").get(
        "/thread", params={"unit_id": unit_id, "year": 2026, "project": PROJECT}
    )
    assert stranger.status_code == 404
    assert finance.get("/results?year=2026").status_code == 200
    assert unit.get("/results").status_code == 403


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_audit_problems_import_and_hostile_files_are_refused(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    token = csrf_of(finance, "/rectification")
    page = finance.get("/rectification").text
    unit_id = page.split('name="unit_id" aria-label="责任单位"><option value="', 1)[1].split('"', 1)[0]

    def post(name: str, content: bytes) -> Any:
        return finance.post(
            "/rectification/import",
            data={"csrf_token": token, "unit_id": unit_id},
            files={"file": (name, content)},
            follow_redirects=False,
        )

    for name, content in (
        ("审计.exe", b"MZ\x90\x00"),
        ("审计.xlsx", b"not a zip at all"),
        ("审计.xlsx", b""),
        ("审计.xlsx", b"PK\x03\x04" + b"\x00" * 200),
    ):
        r = post(name, content)
        assert r.status_code in (400, 413, 422), (name, r.status_code)
        assert "import-error" in r.text, r.text[:500]
    good = _xlsx(
        [
            ["项目名称", "问题", "整改要求", "时限"],
            [PROJECT, "专项资金被挤占挪用12万元", "归还原资金渠道", "2020-01-31"],
            [PROJECT, "政府采购程序不规范", "完善采购内控", "2099-12-31"],
        ]
    )
    r = post("审计报告问题清单.xlsx", good)
    assert r.status_code == 303, r.text[:800]
    ledger = finance.get("/rectification?origin=audit").text
    assert "专项资金被挤占挪用" in ledger and "逾期" in ledger
    overdue = finance.get("/rectification?status=overdue").text
    assert "专项资金被挤占挪用" in overdue and "政府采购程序不规范" not in overdue
    unit = login(app, "danwei")
    assert (
        unit.post("/rectification/import", data={"csrf_token": csrf_of(unit, "/rectification")}).status_code
        == 403
    )


def test_the_form_downloads_and_imports_back_and_hostile_files_are_refused(app: object, db: Any) -> None:
    approved(app, 2031)
    open_monitoring(app, 2031, 9)
    report_id = report_of(db)
    unit = login(app, "danwei")
    url = f"/monitoring/{report_id}"
    xlsx = unit.get(url + "/download/xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert unit.get(url + "/download/docx").content[:2] == b"PK"
    assert unit.get(url + "/download/exe").status_code == 400
    assert login(app, "danwei2").get(url + "/download/xlsx").status_code == 404

    def post(name: str, content: bytes) -> Any:
        page = unit.get(url).text
        return unit.post(
            url + "/import",
            data={"csrf_token": csrf_of(unit, url), "version": version_of(page)},
            files={"file": (name, content)},
            follow_redirects=False,
        )

    for name, content in (
        ("监控.exe", b"MZ\x90\x00"),
        ("监控.xlsx", b"not a zip"),
        ("监控.xlsx", b""),
        ("监控.docx", b"PK\x03\x04" + b"\x00" * 100),
        ("监控.yaml", b"kind: monitoring\ncutoff_month: ["),
    ):
        r = post(name, content)
        assert r.status_code in (400, 413, 422), (name, r.status_code, r.text[:300])
        assert "import-error" in r.text
    r = post("执行监控表.xlsx", xlsx.content)
    assert r.status_code == 303, r.text[:800]
    assert PROJECT in unit.get(url).text


def test_results_table_and_the_publication_pack(app: object, db: Any) -> None:
    from jixiao.store.models import EvaluationRecord

    with db.session() as session:
        record = session.scalars(select(EvaluationRecord).order_by(EvaluationRecord.id)).first()
        record.status = "approved"
        unit_id, year = record.unit_id, record.year
    finance = login(app, "caizheng")
    page = finance.get(f"/results?year={year}")
    assert page.status_code == 200 and record.project_name in page.text
    table = finance.get(f"/results?year={year}&fmt=xlsx")
    assert table.status_code == 200 and table.content[:2] == b"PK"
    assert record.project_name in finance.get(f"/results?year={year}&fmt=csv").content.decode("utf-8-sig")
    pack = finance.get("/results/publication", params={"unit_id": unit_id, "year": year, "fmt": "zip"})
    assert pack.status_code in (200, 400), pack.status_code
    if pack.status_code == 200:
        assert pack.content[:2] == b"PK"
    else:  # no LibreOffice here: a Chinese reason, not an error page
        assert "无法生成公开材料" in pack.text
    other = login(app, "danwei2").get("/results/publication", params={"unit_id": unit_id, "year": year})
    assert other.status_code == 404
    assert finance.get("/results/publication", params={"unit_id": unit_id, "year": 1999}).status_code == 400


def test_the_ledger_is_shown_fifty_items_a_page_with_its_filters_kept(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    token = csrf_of(finance, "/rectification")
    page = finance.get("/rectification").text
    unit_id = page.split('name="unit_id" aria-label="责任单位"><option value="', 1)[1].split('"', 1)[0]
    rows: list[list[object]] = [["项目名称", "问题", "整改要求", "时限"]]
    rows += [[PROJECT, f"审计发现问题第{k:02d}项", "按期整改", "2099-12-31"] for k in range(1, 61)]
    r = finance.post(
        "/rectification/import",
        data={"csrf_token": token, "unit_id": unit_id},
        files={"file": ("审计问题.xlsx", _xlsx(rows))},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:800]
    first = finance.get("/rectification?origin=audit").text
    assert "共 60 条，第 1–50 条；第 1 / 2 页" in first
    assert first.count('href="/rectification/') >= 50 and "审计发现问题第60项" not in first
    second = finance.get("/rectification?origin=audit&page=2").text
    assert "第 51–60 条；第 2 / 2 页" in second and "审计发现问题第60项" in second
    assert 'href="?origin=audit&amp;page=1"' in second  # the filter kept in the pager's links
