"""What a finance bureau needs through the year: a readable audit log, deadlines, bulk assignment,
a task's documents in one download, notifications, password change."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.web.conftest import csrf_of, login
from tests.web.test_flow import _new_evaluation, filled_form


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)  # type: ignore[union-attr]


def test_audit_log_reads_in_chinese_local_time_and_names_what_changed(app: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    form = {**filled_form(csrf_of(unit, url), int(_version(unit.get(url).text))), "action": "save"}
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
