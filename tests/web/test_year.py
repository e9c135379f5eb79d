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
