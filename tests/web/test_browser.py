"""Browser tests: Playwright driving Debian's Chromium through the whole yearly flow (slow)."""

from __future__ import annotations

import io
import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-pass-1"
DATABASES: list[object] = []  # the served database, for the steps a browser cannot take

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：先运行 scripts/install-system-deps.sh"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server with demo data on a free localhost port."""
    import uvicorn

    from jixiao.store.db import Database
    from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo
    from jixiao.web import Settings, create_app

    folder = tmp_path_factory.mktemp("browser")
    settings = Settings(data_dir=folder, secret_key="browser-test")
    db = Database(f"sqlite:///{folder / 'web.db'}")
    app = create_app(settings, db)
    with db.session() as session:
        seed_demo(session, {u: PASSWORD for u, *_ in DEMO_ACCOUNTS})
    DATABASES[0:] = [db]
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if uv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _login(browser: object, base: str, username: str, **context: object) -> object:
    page = browser.new_context(**context).new_page()  # type: ignore[attr-defined]
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():  # wait for the login POST and its redirect, not just the click
        page.click("button[type=submit]")
    assert "/login" not in page.url, f"{username} could not log in"
    return page


def _shot(page: object, name: str) -> None:
    """A full-page screenshot; into docs/images only with JIXIAO_SCREENSHOTS=1 (tests leave the repo alone)."""
    folder = (
        DOCS_IMAGES
        if os.environ.get("JIXIAO_SCREENSHOTS") == "1"
        else Path(tempfile.gettempdir()) / "jixiao-shots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"web-{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _answer_on_a_phone(browser: object, link: str, option: str, shot: str | None = None) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()  # type: ignore[attr-defined]
    phone.goto(link)
    for q in range(phone.locator("fieldset").count()):
        phone.check(f"input[name='q-{q}'][value='{option}']")
    if shot:
        _shot(phone, shot)
    phone.click("#send")
    phone.wait_for_selector("#thanks")
    phone.context.close()


def _notified(page: object, server: str, text: str) -> None:
    """The header shows unread notifications, and the list holds ``text``."""
    page.goto(server + "/evaluations")  # type: ignore[attr-defined]
    assert page.locator("#notices .badge.count").count() == 1, "no unread notification"  # type: ignore[attr-defined]
    page.click("#notices")  # type: ignore[attr-defined]
    page.wait_for_selector(f"#notifications >> text={text}")  # type: ignore[attr-defined]


def test_yearly_flow_in_the_browser(server: str, browser: object) -> None:
    """The whole year with every role: task to several units → the unit fills the whole form (rows,
    fund sub-rows, evidence) → a survey on the public link, applied → submitted → the third party
    adjusts a score (refused without a reason first) → finance returns, the unit fixes and
    resubmits → approved → the task's documents as one zip; notifications at each step."""
    anonymous = browser.new_context().new_page()  # type: ignore[attr-defined]
    anonymous.goto(server + "/login")
    _shot(anonymous, "login")

    # the administrator adds a login for a unit
    admin = _login(browser, server, "admin")
    admin.goto(server + "/admin")
    admin.fill("#username", "xinzhanghao")
    admin.fill("#display_name", "新单位填报员")
    admin.select_option("#role", "unit")
    admin.select_option("#org_id", label="示范市社会保险事业管理中心（实施单位）")
    admin.click("#create-user")
    admin.wait_for_selector("#notice")
    assert "已新建账号“xinzhanghao”" in admin.inner_text("#notice")
    _shot(admin, "admin")

    # finance issues the task to two units at once, with a deadline, and names the third party
    finance = _login(browser, server, "caizheng")
    finance.goto(server + "/tasks")
    finance.fill("#name", "2024年度项目支出绩效自评")
    finance.fill("#year", "2024")
    finance.fill("#deadline", "2099-03-31")
    finance.click("#create-task")
    finance.fill("#projects", "城乡居民养老保险缴费补贴（浏览器）")
    finance.check("label.inline:has-text('示范市社会保险事业管理中心') input")
    finance.check("label.inline:has-text('示范市养老保险经办中心') input")
    finance.click("#assign")
    finance.wait_for_selector("text=已分配 2 个项目")
    finance.check("input[name='org_id']")
    finance.click("#assign-evaluators")
    finance.wait_for_selector("text=已指定第三方机构")
    _shot(finance, "task")
    task_url = finance.url
    evaluation_href = finance.get_attribute("tr:has-text('示范市社会保险事业管理中心') a", "href")
    assert evaluation_href
    evaluation_id = int(evaluation_href.rsplit("/", 1)[1])

    # the unit is told, opens the form, adds a 三级 row and fills the whole form
    unit = _login(browser, server, "danwei", viewport={"width": 1400, "height": 900})
    _notified(unit, server, "待填报")
    _shot(unit, "notifications")
    unit.click(f"#notifications a[href='{evaluation_href}']")
    unit.click("#add-0")
    unit.wait_for_selector("text=已在“数量指标”下添加一行")
    fields = {
        "#funds_budget": "100",
        "#funds_budget_adjusted": "100",
        "#funds_available": "100",
        "#funds_spent": "95",
        "#fund-appropriation-budget": "80",
        "#fund-appropriation-spent": "76",
        "#fund-carryover-budget": "20",
        "#fund-carryover-spent": "19",
        "#funds_execution_claimed": "9.5",
        "#goals_annual": "按时足额发放缴费补贴",
        "#goals_achieved": "基本完成年度目标",
        "#survey_method": "问卷",
        "#survey_population": "5000",
        "#claims_total": "95.5",
        "#claims_grade": "优",
    }
    rows = [
        ("参保人数", "≥100万人", "80万人", "16", "部分人员尚未参保"),
        ("新增参保人数", "≥5万人", "5万人", "0", ""),
        (None, "≥95%", "98%", "10", ""),
        (None, "达成", "达成年度指标", "10", ""),
        (None, "≤100万元", "95万元", "10", ""),
        (None, "达成", "达成年度指标", "20", ""),
        (None, "达成", "达成年度指标", "10", ""),
        (None, "≥90%", "92%", "10", ""),
    ]
    for selector, value in fields.items():
        if selector == "#claims_grade":
            unit.select_option(selector, value)
        else:
            unit.fill(selector, value)
    for i, (name, target, actual, claimed, reason) in enumerate(rows):
        if name:
            unit.fill(f"#ind-{i}-name", name)
        if i == 1:
            unit.fill("#ind-1-weight", "0")
        unit.fill(f"#ind-{i}-target", target)
        if actual.startswith("达成"):
            unit.select_option(f"#ind-{i}-actual", actual)
        else:
            unit.fill(f"#ind-{i}-actual", actual)
        unit.fill(f"#ind-{i}-claimed", claimed)
        if reason:
            unit.fill(f"#ind-{i}-deviation_reason", reason)
    from playwright.sync_api import expect

    expect(unit.locator("#computed-0")).to_have_text("16.00", timeout=10_000)  # live scoring (HTMX)
    assert unit.locator("#computed-total").inner_text() != "—"
    _shot(unit, "evaluation-form")
    unit.click("#save")
    unit.wait_for_selector("text=草稿已保存")
    # evidence for the 参保人数 row
    pdf = Path(tempfile.gettempdir()) / "参保名册.pdf"
    from tests.web.server import tiny_pdf

    pdf.write_bytes(tiny_pdf("roster"))
    unit.set_input_files("#evidence-file", str(pdf))
    unit.select_option("#evidence-indicator", "0")
    unit.click("#evidence-file ~ button")
    unit.wait_for_selector("text=已上传佐证材料")
    assert "参保名册.pdf" in unit.inner_text("#explain-0 ~ .evidence")

    # the third party collects the survey on the public link (phones) and applies it
    evaluator = _login(browser, server, "pingjia")
    evaluator.goto(server + "/surveys")
    evaluator.select_option("#evaluation_id", str(evaluation_id))
    evaluator.fill("#population", "5000")
    evaluator.click("#create-survey")
    link = evaluator.get_attribute("#public-link", "href")
    assert link
    for n, option in enumerate(("很满意", "满意", "一般")):  # three phones (the limit per address)
        _answer_on_a_phone(browser, link, option, "public-survey" if n == 0 else None)
    evaluator.reload()
    assert evaluator.inner_text("#sample-size") == "3"
    evaluator.click("#apply-survey")
    evaluator.wait_for_selector("text=已将满意率")
    _shot(evaluator, "survey")

    # the unit submits (nothing left it cannot fix from the form)
    unit.goto(server + evaluation_href)
    unit.click("#submit")
    unit.wait_for_selector("text=已提交，等待财政复核")

    # the third party is told, adjusts a score: refused without a reason, then saved with one
    _notified(evaluator, server, "待复核")
    evaluator.goto(server + f"/review/{evaluation_id}")
    evaluator.fill("#reviewed-0", "15.5")
    evaluator.click("#save-review")
    evaluator.wait_for_selector("#form-message >> text=调整复核得分的理由")
    assert evaluator.input_value("#reviewed-0") == "15.5"
    evaluator.fill("#reason-0", "参保人数完成 80%，按比例调减")
    evaluator.click("#save-review")
    evaluator.wait_for_selector("text=复核得分已保存")
    _shot(evaluator, "review")

    # finance returns it; the unit is told, fixes and resubmits; finance approves
    finance.goto(server + "/review")
    _shot(finance, "review-queue")
    finance.click(f"a[href='/review/{evaluation_id}']")
    finance.fill("#comment", "请补充参保人数未完成的原因")
    finance.click("#return")
    finance.wait_for_selector("text=已退回单位修改")
    _notified(unit, server, "已退回")
    unit.goto(server + evaluation_href)
    unit.fill("#ind-0-deviation_reason", "部分灵活就业人员尚未参保，已开展入户宣传")
    unit.click("#submit")
    unit.wait_for_selector("text=已提交，等待财政复核")
    finance.goto(server + f"/review/{evaluation_id}")
    finance.fill("#comment", "同意")
    finance.click("#approve")
    finance.wait_for_selector("text=已复核通过")
    _notified(unit, server, "已通过")

    finance.goto(server + "/dashboard")
    _shot(finance, "dashboard")

    # the task's documents in one download, and the report carries the reviewed score
    zipped = finance.request.get(
        server + task_url.removeprefix(server) + "/documents.zip?kind=self-table&fmt=docx"
    )
    assert zipped.status == 200
    import zipfile

    assert len(zipfile.ZipFile(io.BytesIO(zipped.body())).namelist()) == 2
    response = finance.request.get(server + f"/evaluations/{evaluation_id}/download/report.docx?findings=1")
    assert response.status == 200, response.text()
    from docx import Document

    document = Document(io.BytesIO(response.body()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "城乡居民养老保险缴费补贴（浏览器）" in text
    assert "复核得分" in text and "15.5" in text


def test_survey_from_the_public_link_changes_the_satisfaction_indicator(server: str, browser: object) -> None:
    evaluator = _login(browser, server, "pingjia")
    evaluator.goto(server + "/surveys")
    evaluator.select_option("#evaluation_id", index=0)
    evaluation_id = evaluator.eval_on_selector("#evaluation_id", "e => e.value")
    evaluator.fill("#population", "5000")
    evaluator.click("#create-survey")
    link = evaluator.get_attribute("#public-link", "href")
    assert link
    _shot(evaluator, "survey")
    for option in ("很满意", "满意", "不满意"):
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()  # type: ignore[attr-defined]
        phone.goto(link)
        for q in range(phone.locator("fieldset").count()):
            phone.check(f"input[name='q-{q}'][value='{option}']")
        if option == "很满意":
            _shot(phone, "public-survey")
        phone.click("#send")
        phone.wait_for_selector("#thanks")
        phone.goto(link)
        phone.wait_for_selector("#already")  # one answer per device
        phone.context.close()
    evaluator.reload()
    assert evaluator.inner_text("#sample-size") == "3"
    assert evaluator.inner_text("#satisfaction-rate") == "66.67%"
    # A survey applies to an evaluation still being filled (a submitted one is locked): the
    # evaluation is one the unit has got back to revise.
    from jixiao.store.models import EvaluationRecord

    with DATABASES[0].session() as session:  # type: ignore[attr-defined]
        session.get(EvaluationRecord, int(evaluation_id)).status = "returned"
    evaluator.click("#apply-survey")
    evaluator.wait_for_selector("text=已将满意率")
    evaluator.goto(server + f"/evaluations/{evaluation_id}")
    html = evaluator.content()
    assert re.search(r"66\.67%", html)
