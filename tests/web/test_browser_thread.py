"""Browser test of a project's year after its targets are approved, with every role: the
declaration (unit → department → finance) → a monitoring round with a red light and finance's 纠偏
→ the red light's item rectified and confirmed, an audit report's problem overdue → the warning
board and ledger exported → the project's thread page (Playwright driving Debian's Chromium).

Bounded: every wait is at most ``WAIT_MS``; the whole walk takes about half a minute.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from openpyxl import Workbook

from tests.web import test_browser as shared
from tests.web.test_browser import _shot
from tests.web.test_browser_declarations import DECLARATION, PROJECT, _page

pytestmark = shared.pytestmark
server = shared.server
browser = shared.browser


def _audit_list() -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["项目名称", "问题", "整改要求", "时限"])
    sheet.append([PROJECT, "专项资金结余未按规定收回", "收回结余资金", "2020-06-30"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = Path(tempfile.mkdtemp()) / "审计发现问题清单.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def test_a_project_thread_in_the_browser(server: str, browser: object) -> None:
    """Declared and approved → monitored (red, 纠偏 暂缓拨款) → self-evaluated and reviewed with two
    problems → rectified (one confirmed on time, an audit problem overdue) → budget suggestion → the
    thread shows every stage and the contradiction."""
    finance = _page(browser, server, "caizheng")
    unit = _page(browser, server, "danwei")
    department = _page(browser, server, "bumen")
    # the declaration: imported and submitted by the unit, passed on by the department, approved
    finance.goto(server + "/declarations")  # type: ignore[attr-defined]
    finance.fill("#name", "2026年度绩效目标申报（全程）")  # type: ignore[attr-defined]
    finance.fill("#year", "2026")  # type: ignore[attr-defined]
    finance.click("#open-round")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=已开启申报批次")  # type: ignore[attr-defined]
    unit.goto(finance.url)  # type: ignore[attr-defined]
    upload = Path(tempfile.mkdtemp()) / "申报表.yaml"
    upload.write_text(DECLARATION, encoding="utf-8")
    unit.set_input_files("#import-file", str(upload))  # type: ignore[attr-defined]
    unit.click("#import-button")  # type: ignore[attr-defined]
    unit.wait_for_selector("text=导入 1 个项目")  # type: ignore[attr-defined]
    unit.click(f"#round-declarations a:has-text('{PROJECT}')")  # type: ignore[attr-defined]
    unit.click("#submit")  # type: ignore[attr-defined]
    unit.wait_for_selector("text=已提交，等待审核")  # type: ignore[attr-defined]
    declaration_url = unit.url  # type: ignore[attr-defined]
    department.goto(declaration_url)  # type: ignore[attr-defined]
    department.select_option("#grade", "良")  # type: ignore[attr-defined]
    department.click("#forward")  # type: ignore[attr-defined]
    department.wait_for_selector("text=已审核通过，报送财政审核")  # type: ignore[attr-defined]
    finance.goto(declaration_url)  # type: ignore[attr-defined]
    finance.fill("#op-overall", "目标明确")  # type: ignore[attr-defined]
    finance.select_option("#grade", "优")  # type: ignore[attr-defined]
    finance.click("#approve")  # type: ignore[attr-defined]
    finance.wait_for_selector("#frozen")  # type: ignore[attr-defined]

    # finance opens the June monitoring round; the unit reports 5% spent and a target out of reach
    finance.goto(server + "/monitoring")  # type: ignore[attr-defined]
    finance.fill("#name", "2026年1—6月运行监控（全程）")  # type: ignore[attr-defined]
    finance.fill("#year", "2026")  # type: ignore[attr-defined]
    finance.fill("#cutoff_month", "6")  # type: ignore[attr-defined]
    finance.click("#open-monitoring-round")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=已开启运行监控")  # type: ignore[attr-defined]
    board_url = finance.url  # type: ignore[attr-defined]
    unit.goto(board_url)  # type: ignore[attr-defined]
    unit.click(f"#warning-board a:has-text('{PROJECT}')")  # type: ignore[attr-defined]
    unit.fill("#spent", "25")  # type: ignore[attr-defined]
    unit.fill("#ind-0-to_date", "3000人")  # type: ignore[attr-defined]
    unit.select_option("#ind-2-likelihood", "impossible")  # type: ignore[attr-defined]
    unit.select_option("#ind-2-cause", "funding")  # type: ignore[attr-defined]
    unit.fill("#ind-2-cause_text", "服务窗口改造未完成")  # type: ignore[attr-defined]
    unit.click("#submit-monitoring")  # type: ignore[attr-defined]
    unit.wait_for_selector("#light >> text=红灯")  # type: ignore[attr-defined]
    report_url = unit.url  # type: ignore[attr-defined]

    # the board: red first; finance suspends the funds with a note; the unit sees it
    finance.goto(board_url)  # type: ignore[attr-defined]
    finance.wait_for_selector("#warning-board .light-red")  # type: ignore[attr-defined]
    _shot(finance, "warning-board")
    finance.goto(report_url)  # type: ignore[attr-defined]
    finance.select_option("#decision-choice", "suspend")  # type: ignore[attr-defined]
    finance.click("#decide")  # type: ignore[attr-defined]
    finance.wait_for_selector("#decision-error >> text=纠偏说明")  # type: ignore[attr-defined]
    finance.select_option("#decision-choice", "suspend")  # type: ignore[attr-defined]
    finance.fill("#note", "暂缓拨付第三季度资金，待执行进度恢复后拨付")  # type: ignore[attr-defined]
    finance.click("#decide")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=已记录纠偏决定")  # type: ignore[attr-defined]
    unit.goto(report_url)  # type: ignore[attr-defined]
    assert "暂缓拨款" in unit.inner_text("#decision")  # type: ignore[attr-defined]
    _shot(unit, "monitoring")

    # the self-evaluation of 2026 starts from the targets: two indicators short with no reason given,
    # and 满意度 reported as met where monitoring said 完全不可能; the unit submits, finance approves
    finance.goto(server + "/tasks")  # type: ignore[attr-defined]
    finance.fill("#name", "2026年度项目支出绩效自评（全程）")  # type: ignore[attr-defined]
    finance.fill("#year", "2026")  # type: ignore[attr-defined]
    finance.click("#create-task")  # type: ignore[attr-defined]
    finance.click("#assign-declared")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=已按审定的绩效目标分配")  # type: ignore[attr-defined]
    unit.goto(server + "/evaluations")  # type: ignore[attr-defined]
    unit.click(f"a:has-text('{PROJECT}')")  # type: ignore[attr-defined]
    unit.fill("#ind-0-actual", "10000人")  # type: ignore[attr-defined]
    unit.fill("#ind-1-actual", "95%")  # type: ignore[attr-defined]
    unit.fill("#ind-2-actual", "100%")  # type: ignore[attr-defined]
    unit.click("#submit")  # type: ignore[attr-defined]
    unit.wait_for_selector("text=已提交，等待财政复核")  # type: ignore[attr-defined]
    evaluation_url = unit.url  # type: ignore[attr-defined]
    evaluation_id = evaluation_url.rstrip("/").rsplit("/", 1)[1]
    finance.goto(server + f"/review/{evaluation_id}")  # type: ignore[attr-defined]
    finance.fill("#comment", "参保人数、发放率未达目标，未说明原因")  # type: ignore[attr-defined]
    finance.click("#approve")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=已复核通过")  # type: ignore[attr-defined]
    finance.goto(evaluation_url)  # type: ignore[attr-defined]
    finance.click("#to-ledger-button")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=/已生成 \\d+ 项整改事项/")  # type: ignore[attr-defined]

    # finance imports an audit report's problem (past its deadline); the unit rectifies the red light
    finance.goto(server + "/rectification")  # type: ignore[attr-defined]
    finance.select_option("#import-audit select[name=unit_id]", label="示范市社会保险事业管理中心")  # type: ignore[attr-defined]
    finance.set_input_files("#audit-file", str(_audit_list()))  # type: ignore[attr-defined]
    finance.click("#import-audit-button")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=导入 1 项审计发现的问题")  # type: ignore[attr-defined]
    unit.goto(server + "/rectification?origin=review")  # type: ignore[attr-defined]
    problems = unit.inner_text("#ledger")  # type: ignore[attr-defined]
    assert "参保人数" in problems and "养老金按时足额发放率" in problems, problems
    unit.click("#ledger tbody a[href^='/rectification/']")  # type: ignore[attr-defined]
    unit.fill("#measures", "协调上级资金，加快拨付")  # type: ignore[attr-defined]
    unit.fill("#progress", "三季度资金已到位并拨付")  # type: ignore[attr-defined]
    unit.fill("#evidence", "资金拨付凭证.pdf")  # type: ignore[attr-defined]
    unit.select_option("#to", "done")  # type: ignore[attr-defined]
    unit.click("#save-item")  # type: ignore[attr-defined]
    unit.wait_for_selector("#item-status >> text=已整改待确认")  # type: ignore[attr-defined]
    item_url = unit.url  # type: ignore[attr-defined]
    finance.goto(item_url)  # type: ignore[attr-defined]
    finance.click("#confirm-item")  # type: ignore[attr-defined]
    finance.wait_for_selector("#item-status >> text=已确认")  # type: ignore[attr-defined]
    unit.goto(server + "/rectification?status=overdue")  # type: ignore[attr-defined]
    assert "专项资金结余未按规定收回" in unit.inner_text("#ledger")  # type: ignore[attr-defined]
    _shot(unit, "ledger")

    # the project's thread: every stage, the red light with its 纠偏, the rectification
    unit.goto(report_url)  # type: ignore[attr-defined]
    unit.click("#thread-link")  # type: ignore[attr-defined]
    thread = unit.inner_text("#thread")  # type: ignore[attr-defined]
    for stage in (
        "绩效目标申报",
        "目标审定",
        "运行监控",
        "红灯",
        "暂缓拨款",
        "单位自评",
        "财政复核",
        "整改",
        "逾期 1 项",
        "复核通过",
        "结果应用",
    ):
        assert stage in thread, stage
    assert "完全不可能" in unit.inner_text("#contradictions")  # type: ignore[attr-defined]
    assert "复核通过后给出预算建议" not in thread
    _shot(unit, "thread")
    viewer = _page(browser, server, "chakan")
    viewer.goto(server + "/results?year=2026")  # type: ignore[attr-defined]
    assert PROJECT in viewer.inner_text("#suggestions")  # type: ignore[attr-defined]
    _shot(viewer, "results")
