"""Browser test of the declaration round (绩效目标申报) with every role, then the next year's
self-evaluation starting from the approved targets (Playwright driving Debian's Chromium; slow).

Bounded: every wait is at most ``WAIT_MS``; the whole walk takes about half a minute.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.web import test_browser as shared
from tests.web.test_browser import _login, _shot

pytestmark = shared.pytestmark
# the fixtures of the yearly browser test: a served demo database and Chromium (one per module)
server = shared.server
browser = shared.browser

WAIT_MS = 15_000
PROJECT = "城乡居民基本养老保险经办服务（浏览器）"
DECLARATION = f"""kind: declaration
year: 2026
project:
  name: {PROJECT}
  attribute: recurring
novelty: continuing
period_years: 1
basis: 《国务院关于建立统一的城乡居民基本养老保险制度的意见》
funds:
  annual_total: 500
  appropriation: 450
  other: 50
annual:
  period: annual
  goals:
    - 扩大参保人数，按时足额发放养老金
    - 参保群众对经办服务满意
  indicators:
    - {{level1: 产出指标, level2: 数量指标, name: 参保人数, type: quantitative, comparison: ">=", target: "≥12000人", basis_kind: history, last_actual: 11800人}}
    - {{level1: 效益指标, level2: 社会效益指标, name: 养老金按时足额发放率, type: quantitative, comparison: ">=", target: "≥100%", basis_kind: plan}}
    - {{level1: 满意度指标, level2: 服务对象满意度指标, name: 参保群众满意度, type: quantitative, comparison: ">=", target: "≥90%", basis_kind: industry}}
"""


def _page(browser: object, server: str, username: str) -> object:
    page = _login(browser, server, username, viewport={"width": 1400, "height": 900})
    page.set_default_timeout(WAIT_MS)  # type: ignore[attr-defined]
    return page


def test_declaration_round_in_the_browser(server: str, browser: object) -> None:
    """Finance opens a round → the unit imports its 申报表, corrects a target and submits → the
    department reviews and passes it on → finance approves (frozen) → the task of that year gives
    the unit a self-evaluation that starts from the approved targets."""
    finance = _page(browser, server, "caizheng")
    finance.goto(server + "/declarations")  # type: ignore[attr-defined]
    finance.fill("#name", "2026年度项目支出绩效目标申报（浏览器）")  # type: ignore[attr-defined]
    finance.fill("#year", "2026")  # type: ignore[attr-defined]
    finance.fill("#deadline", "2099-10-31")  # type: ignore[attr-defined]
    finance.click("#open-round")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=已开启申报批次")  # type: ignore[attr-defined]
    round_url = finance.url  # type: ignore[attr-defined]

    # the unit imports its declaration, corrects a target on the form and submits
    unit = _page(browser, server, "danwei")
    unit.goto(round_url)  # type: ignore[attr-defined]
    upload = Path(tempfile.mkdtemp()) / "申报表.yaml"
    upload.write_text(DECLARATION, encoding="utf-8")
    unit.set_input_files("#import-file", str(upload))  # type: ignore[attr-defined]
    unit.click("#import-button")  # type: ignore[attr-defined]
    unit.wait_for_selector("text=导入 1 个项目")  # type: ignore[attr-defined]
    unit.click(f"#round-declarations a:has-text('{PROJECT}')")  # type: ignore[attr-defined]
    unit.wait_for_selector("#declaration-form")  # type: ignore[attr-defined]
    unit.fill("#ind-0-target", "12500")  # type: ignore[attr-defined]
    unit.fill("#ind-0-unit", "人")  # type: ignore[attr-defined]
    unit.click("#save")  # type: ignore[attr-defined]
    unit.wait_for_selector("text=草稿已保存")  # type: ignore[attr-defined]
    _shot(unit, "declaration-form")
    unit.click("#submit")  # type: ignore[attr-defined]
    unit.wait_for_selector("text=已提交，等待审核")  # type: ignore[attr-defined]
    declaration_url = unit.url  # type: ignore[attr-defined]

    # the department finds it in its queue, writes its opinion and passes it on
    department = _page(browser, server, "bumen")
    department.goto(server + "/declarations")  # type: ignore[attr-defined]
    department.click("#my-queue")  # type: ignore[attr-defined]
    department.click(f"#declarations a:has-text('{PROJECT}')")  # type: ignore[attr-defined]
    department.fill("#op-completeness", "申报要素齐全")  # type: ignore[attr-defined]
    department.fill("#op-feasibility", "参保人数目标高于上年实际，可实现")  # type: ignore[attr-defined]
    department.select_option("#grade", "良")  # type: ignore[attr-defined]
    department.click("#forward")  # type: ignore[attr-defined]
    department.wait_for_selector("text=已审核通过，报送财政审核")  # type: ignore[attr-defined]

    # finance approves: the targets are frozen
    finance.goto(declaration_url)  # type: ignore[attr-defined]
    assert "申报要素齐全" in finance.inner_text("#opinions")  # type: ignore[attr-defined]
    finance.fill("#op-overall", "目标明确，指标可衡量")  # type: ignore[attr-defined]
    finance.select_option("#grade", "优")  # type: ignore[attr-defined]
    finance.click("#approve")  # type: ignore[attr-defined]
    finance.wait_for_selector("#frozen")  # type: ignore[attr-defined]
    _shot(finance, "declaration")
    unit.goto(declaration_url)  # type: ignore[attr-defined]
    assert unit.locator("#declaration-form").count() == 0  # type: ignore[attr-defined]
    assert "已审定" in unit.inner_text("#status")  # type: ignore[attr-defined]

    # the task of 2026 assigns the project: the unit's self-evaluation starts from the targets
    finance.goto(server + "/tasks")  # type: ignore[attr-defined]
    finance.fill("#name", "2026年度项目支出绩效自评（浏览器）")  # type: ignore[attr-defined]
    finance.fill("#year", "2026")  # type: ignore[attr-defined]
    finance.click("#create-task")  # type: ignore[attr-defined]
    finance.fill("#projects", PROJECT)  # type: ignore[attr-defined]
    finance.check("label.inline:has-text('示范市社会保险事业管理中心') input")  # type: ignore[attr-defined]
    finance.click("#assign")  # type: ignore[attr-defined]
    finance.wait_for_selector("text=已将项目")  # type: ignore[attr-defined]
    unit.goto(server + "/evaluations")  # type: ignore[attr-defined]
    unit.click(f"a:has-text('{PROJECT}')")  # type: ignore[attr-defined]
    unit.wait_for_selector("#declared-targets #targets-match")  # type: ignore[attr-defined]
    assert unit.input_value("#ind-0-name") == "参保人数"  # type: ignore[attr-defined]
    assert "12500" in unit.input_value("#ind-0-target")  # type: ignore[attr-defined]
    _shot(unit, "evaluation-from-declaration")
