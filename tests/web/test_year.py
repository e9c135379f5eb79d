"""What a finance bureau needs through the year: a readable audit log, deadlines, bulk assignment,
a task's documents in one download, notifications, password change."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.web.conftest import csrf_of, login, version_of
from tests.web.test_flow import _new_evaluation, filled_form


def test_audit_log_reads_in_chinese_local_time_and_names_what_changed(app: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    form = {**filled_form(csrf_of(unit, url), int(version_of(unit.get(url).text))), "action": "save"}
    assert unit.post(url, data=form, follow_redirects=False).status_code == 303
    page = login(app, "caizheng").get(f"/audit?evaluation={evaluation_id}").text
    assert "时间（Asia/Shanghai）" in page
    assert "保存评价" in page and "新建评价" in page and "评价 " + str(evaluation_id) in page
    # a change is named by the indicator's own names, with before → after
    assert "产出指标 / 数量指标" in page and "（空） → 20" in page
    table = page[page.index('<table id="audit"') :]
    assert "evaluation.save" not in table and '{"' not in table
    shown = re.findall(r"<td>(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d</td>", page)
    local = datetime.now(UTC) + timedelta(hours=8)
    assert any(
        abs(datetime.strptime(s, "%Y-%m-%d %H:%M") - local.replace(tzinfo=None)) < timedelta(minutes=5)
        for s in shown
    )


def _task(finance: object, deadline: str) -> str:
    token = csrf_of(finance, "/tasks")  # type: ignore[arg-type]
    r = finance.post(  # type: ignore[attr-defined]
        "/tasks",
        data={
            "csrf_token": token,
            "name": "批量任务",
            "year": "2024",
            "framework": "self-2020",
            "deadline": deadline,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def _units(page: str) -> dict[str, str]:
    return {
        name: value for value, name in re.findall(r'name="unit_id" value="(\d+)"[^>]*> ([^<]+)</label>', page)
    }


def test_many_projects_at_once_then_one_zip_of_their_documents(app: object) -> None:
    finance = login(app, "caizheng")
    url = _task(finance, "2099-12-31")
    units = _units(finance.get(url).text)
    assert len(units) >= 2
    first, second = sorted(units)[:2]
    token = csrf_of(finance, url)
    # two projects for each of two units picked, one line naming its own unit
    r = finance.post(
        url + "/assign",
        data={
            "csrf_token": token,
            "projects": f"养老保险缴费补贴\n困难群体代缴\n被征地农民补贴，{first}",
            "unit_id": [units[first], units[second]],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    table = finance.get(url).text.split("<table", 1)[1]
    assert table.count("养老保险缴费补贴") == 2 and table.count("被征地农民补贴") == 1
    # a bad line: nothing assigned, the input back on the form with the line named
    r = finance.post(
        url + "/assign",
        data={"csrf_token": token, "projects": "新项目甲\n新项目乙，不存在的单位", "unit_id": [units[first]]},
    )
    assert r.status_code == 422
    assert (
        "第2行：没有名为“不存在的单位”的实施单位" in r.text and "新项目甲\n新项目乙，不存在的单位" in r.text
    )
    assert f'value="{units[first]}" checked' in r.text
    assert "新项目甲" not in finance.get(url).text.split("<table", 1)[1]
    # the task's documents in one download
    z = finance.get(url + "/documents.zip?kind=self-table&fmt=docx")
    assert z.status_code == 200 and z.headers["content-type"] == "application/zip"
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert len(names) == 5 and all(n.endswith("-自评表.docx") for n in names)
    assert any("被征地农民补贴" in n and first in n for n in names)
    assert finance.get(url + "/documents.zip?kind=report&fmt=xlsx").status_code == 400


def test_project_list_from_excel(app: object, tmp_path: object) -> None:
    from openpyxl import Workbook

    finance = login(app, "caizheng")
    url = _task(finance, "2099-12-31")
    unit = sorted(_units(finance.get(url).text))[0]
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "项目名称", "实施单位"])
    sheet.append([1, "清单项目一", unit])
    sheet.append([2, "清单项目二", unit])
    import io

    data = io.BytesIO()
    book.save(data)
    token = csrf_of(finance, url)
    files = {"project_list": ("项目清单.xlsx", data.getvalue(), "application/octet-stream")}
    r = finance.post(url + "/assign", data={"csrf_token": token}, files=files, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = finance.get(url).text
    assert "清单项目一" in page and "清单项目二" in page
    # a list without the 项目名称 header comes back with the reason
    bad = Workbook()
    bad.active.append(["名称", "单位"])
    bad.active.append(["某项目", unit])
    data = io.BytesIO()
    bad.save(data)
    files = {"project_list": ("清单.xlsx", data.getvalue(), "application/octet-stream")}
    r = finance.post(url + "/assign", data={"csrf_token": token}, files=files)
    assert r.status_code == 422 and "没有找到“项目名称”列" in r.text


def test_overdue_and_due_soon_marks(app: object) -> None:
    from datetime import date

    finance = login(app, "caizheng")
    today = date.today()
    for deadline, mark in ((today - timedelta(days=3), "已逾期"), (today + timedelta(days=3), "即将截止")):
        url = _task(finance, deadline.isoformat())
        unit = sorted(_units(finance.get(url).text))[0]
        finance.post(
            url + "/assign",
            data={
                "csrf_token": csrf_of(finance, url),
                "projects": "逾期项目",
                "unit_id": _units(finance.get(url).text)[unit],
            },
        )
        page = finance.get(url).text
        assert f'<span class="badge {"overdue" if mark == "已逾期" else "soon"}">{mark}</span>' in page
    far = _task(finance, (today + timedelta(days=60)).isoformat())
    assert "已逾期" not in finance.get(far).text and "即将截止" not in finance.get(far).text


def _submit(app: object, evaluation_id: int) -> None:
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    form = {**filled_form(csrf_of(unit, url), int(version_of(unit.get(url).text))), "action": "submit"}
    r = unit.post(url, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]


def test_notifications_at_each_step(app: object) -> None:
    evaluation_id = _new_evaluation(app)  # finance assigns a project to 示范市社会保险事业管理中心
    unit = login(app, "danwei")
    page = unit.get("/notifications").text
    assert "新任务“2024年度项目支出绩效自评”：项目“城乡居民养老保险缴费补贴”待填报，截止 2025-03-31" in page
    assert f'href="/evaluations/{evaluation_id}"' in page
    assert re.search(
        r'id="notices"[^>]*>通知<span class="badge count">1</span>', unit.get("/evaluations").text
    )
    # the task's deadline (2025-03-31) is past: the reminder says so
    assert "已逾期" in page.split('id="reminders"', 1)[1].split("</div>", 1)[0]
    unit.post("/notifications/read", data={"csrf_token": csrf_of(unit, "/notifications")})
    assert 'class="badge count"' not in unit.get("/evaluations").text.split("</header>", 1)[0]

    _submit(app, evaluation_id)
    finance = login(app, "caizheng")
    assert "已提交" in finance.get("/notifications").text
    assert login(app, "danwei2").get("/notifications").text.count("待复核") == 0  # another unit hears nothing
    review = f"/review/{evaluation_id}"
    version = version_of(finance.get(review).text)
    r = finance.post(
        review + "/decision",
        data={
            "csrf_token": csrf_of(finance, review),
            "version": version,
            "action": "return",
            "comment": "请补充偏差原因",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:1000]
    assert (
        "已退回：“城乡居民养老保险缴费补贴”需要修改，退回意见：请补充偏差原因"
        in unit.get("/notifications").text
    )


def test_password_change_under_the_policy(app: object) -> None:
    from tests.web.conftest import PASSWORD, try_login

    unit = login(app, "danwei")
    other = login(app, "danwei")  # the same account on another device
    token = csrf_of(unit, "/account")
    weak = {"csrf_token": token, "current": PASSWORD, "new": "danwei123", "confirm": "danwei123"}
    r = unit.post("/account/password", data=weak)
    assert r.status_code == 422 and "不能包含登录名" in r.text
    r = unit.post("/account/password", data={**weak, "new": "abcdefgh", "confirm": "abcdefgh"})
    assert r.status_code == 422 and "至少含字母、数字、符号中的两种" in r.text
    r = unit.post(
        "/account/password",
        data={**weak, "current": "wrong", "new": "Xin-mima-2025", "confirm": "Xin-mima-2026"},
    )
    assert r.status_code == 422 and "当前密码不正确" in r.text and "两次输入的新密码不一致" in r.text
    good = {**weak, "new": "Xin-mima-2025", "confirm": "Xin-mima-2025"}
    assert unit.post("/account/password", data=good, follow_redirects=False).status_code == 303
    assert unit.get("/account").status_code == 200  # still logged in here
    assert other.get("/account", follow_redirects=False).status_code in (303, 307)  # the other device is out
    assert try_login(app, "danwei")[1] != 303
    assert try_login(app, "danwei", "Xin-mima-2025")[1] == 303
    page = login(app, "caizheng").get("/audit").text
    assert "修改密码" in page


def test_notifications_are_mailed_through_the_configured_server(tmp_path: object) -> None:
    from pathlib import Path

    from aiosmtpd.controller import Controller

    from jixiao.store.db import Database
    from jixiao.store.mail import SmtpSettings
    from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo
    from jixiao.web import Settings, create_app
    from tests.web.conftest import PASSWORD

    received: list[tuple[str, str]] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            import email

            message = email.message_from_bytes(envelope.content)  # type: ignore[attr-defined]
            body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
            received.append((",".join(envelope.rcpt_tos), body))  # type: ignore[attr-defined]
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port for the local mail server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        folder = Path(str(tmp_path))
        settings = Settings(
            data_dir=folder, secret_key="k", smtp=SmtpSettings(host="127.0.0.1", port=port, timeout=5)
        )
        db = Database(f"sqlite:///{folder / 'mail.db'}")
        app = create_app(settings, db)
        with db.session() as session:
            seed_demo(session, {username: PASSWORD for username, *_ in DEMO_ACCOUNTS})
        unit = login(app, "danwei")
        r = unit.post(
            "/account/email", data={"csrf_token": csrf_of(unit, "/account"), "email": "not-an-address"}
        )
        assert r.status_code == 422 and "邮箱地址格式不正确" in r.text
        r = unit.post(
            "/account/email",
            data={"csrf_token": csrf_of(unit, "/account"), "email": "danwei@example.gov.cn"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        _new_evaluation(app)
        import time

        deadline = time.monotonic() + 10
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert received and received[0][0] == "danwei@example.gov.cn"
        assert "项目“城乡居民养老保险缴费补贴”待填报" in received[0][1]
        db.dispose()
    finally:
        controller.stop()


def test_dashboard_charts_are_legible_and_names_whole(app: object) -> None:
    """Text at 13 px drawn at the chart's own size (not scaled into a narrow card); long names wrap."""
    from jixiao.web.charts import bar_chart, wrap

    page = login(app, "caizheng").get("/dashboard").text
    svgs = re.findall(r"<svg class=\"chart\"[^>]*>", page)
    assert svgs and all('width="100%"' not in s and re.search(r'width="\d+"', s) for s in svgs)
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', page)]
    assert sizes and min(sizes) >= 12
    # two charts side by side fit a 1366-pixel screen (content 1326 px, cards of 560 px or more)
    widths = [int(w) for w in re.findall(r'<svg class="chart"[^>]*width="(\d+)"', page)]
    assert max(widths) <= (1326 - 14) / 2 - 30
    name = "示范市人力资源和社会保障局城乡居民养老保险经办服务中心"
    chart = str(bar_chart([(name, 80.0), ("短名", 60.0)], unit="分"))
    shown = "".join(re.findall(r">([^<>]+)</text>", chart))
    assert name in shown and "…" not in shown
    assert len(wrap(name)) >= 2
    assert "@media print" in login(app, "caizheng").get("/static/app.css").text


def test_pdf_font_substitutes_are_said_beside_the_downloads(app: object) -> None:
    from jixiao import api

    evaluation_id = _new_evaluation(app)
    page = login(app, "danwei").get(f"/evaluations/{evaluation_id}").text
    warnings = api.pdf_font_warnings()
    if warnings:  # this machine lacks an official face: the page says which substitute prints
        assert 'id="font-warnings"' in page and warnings[0] in page
    else:
        assert 'id="font-warnings"' not in page
