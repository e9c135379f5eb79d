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


def test_yearly_flow_in_the_browser(server: str, browser: object) -> None:
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

    # finance creates the task and assigns a project to a unit
    finance = _login(browser, server, "caizheng")
    finance.goto(server + "/tasks")
    finance.fill("#name", "2024年度项目支出绩效自评")
    finance.fill("#year", "2024")
    finance.fill("#deadline", "2025-03-31")
    finance.click("#create-task")
    finance.fill("#projects", "城乡居民养老保险缴费补贴（浏览器）")
    finance.check("label.inline:has-text('示范市社会保险事业管理中心') input")
    finance.click("#assign")
    finance.wait_for_selector("text=已将项目")
    _shot(finance, "task")
    evaluation_href = finance.get_attribute("a:has-text('城乡居民养老保险缴费补贴（浏览器）')", "href")
    assert evaluation_href
    evaluation_id = int(evaluation_href.rsplit("/", 1)[1])

    # the unit fills the form, sees a live warning, saves and submits
    unit = _login(browser, server, "danwei", viewport={"width": 1400, "height": 900})
    unit.goto(server + evaluation_href)
    fields = {
        "#funds_budget": "100",
        "#funds_budget_adjusted": "100",
        "#funds_spent": "95",
        "#funds_execution_claimed": "9.5",
        "#goals_annual": "按时足额发放缴费补贴",
        "#goals_achieved": "基本完成年度目标",
    }
    rows = [
        ("≥100万人", "80万人", "20", "部分人员尚未参保"),
        ("≥95%", "98%", "10", ""),
        ("达成", "达成年度指标", "10", ""),
        ("≤100万元", "95万元", "10", ""),
        ("达成", "达成年度指标", "20", ""),
        ("达成", "达成年度指标", "10", ""),
        ("≥90%", "92%", "10", ""),
    ]
    for selector, value in fields.items():
        unit.fill(selector, value)
    for i, (target, actual, claimed, reason) in enumerate(rows):
        unit.fill(f"#ind-{i}-target", target)
        if actual.startswith("达成"):
            unit.select_option(f"#ind-{i}-actual", actual)
        else:
            unit.fill(f"#ind-{i}-actual", actual)
        unit.fill(f"#ind-{i}-claimed", claimed)
        if reason:
            unit.fill(f"#ind-{i}-deviation_reason", reason)
    unit.locator("#findings .finding.warning").first.wait_for(timeout=10_000)  # the live warning (HTMX)
    assert unit.locator("#computed-total").inner_text() != "—"
    unit.wait_for_function("document.querySelector('#computed-0').textContent.trim() === '16.00'")
    _shot(unit, "evaluation-form")
    unit.click("#save")
    unit.wait_for_selector("text=草稿已保存")
    unit.click("#submit")
    unit.wait_for_selector("text=已提交，等待财政复核")

    # the reviewer sees the finding, adjusts a score and approves
    finance.goto(server + "/review")
    _shot(finance, "review-queue")
    finance.click(f"a[href='/review/{evaluation_id}']")
    assert finance.locator("#findings .finding").count() >= 1
    finance.fill("#reviewed-0", "15.5")
    finance.fill("#reason-0", "参保人数完成 80%，按比例调减")
    finance.click("#save-review")
    finance.wait_for_selector("text=复核得分已保存")
    _shot(finance, "review")
    finance.fill("#comment", "同意，数量指标已按比例调减")
    finance.click("#approve")
    finance.wait_for_selector("text=已复核通过")

    finance.goto(server + "/dashboard")
    _shot(finance, "dashboard")

    # the Word report downloads and carries the reviewed score
    finance.goto(server + f"/evaluations/{evaluation_id}")
    response = finance.request.get(server + f"/evaluations/{evaluation_id}/download/report.docx?findings=1")
    assert response.status == 200, response.text()
    assert "attachment" in response.headers["content-disposition"]
    content = response.body()
    from docx import Document

    document = Document(io.BytesIO(content))
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
