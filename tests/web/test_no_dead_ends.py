"""No dead ends: every refused action comes back to its own form, the user's input kept and the
problem said in Chinese beside the field — never an error page with only a link home."""

from __future__ import annotations

import re

from tests.web.conftest import csrf_of, login, version_of
from tests.web.test_flow import _new_evaluation, filled_form


def _submitted(app: object) -> int:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    form = {**filled_form(csrf_of(unit, url), int(version_of(unit.get(url).text))), "action": "submit"}
    assert unit.post(url, data=form, follow_redirects=False).status_code == 303
    return evaluation_id


def _is_the_form(html: str, form_id: str) -> None:
    assert form_id in html and "返回首页" not in html.split("<main>", 1)[1][:400]


def test_bad_uploads_come_back_to_the_evaluation_page(app: object) -> None:
    evaluation_id = _new_evaluation(app)
    url = f"/evaluations/{evaluation_id}"
    unit = login(app, "danwei")
    token = csrf_of(unit, url)
    r = unit.post(
        url + "/evidence",
        data={"csrf_token": token},
        files={"file": ("病毒.exe", b"MZ\x90\x00", "application/octet-stream")},
    )
    assert r.status_code == 400
    _is_the_form(r.text, 'id="evaluation-form"')
    assert re.search(r'id="evidence-error"[^>]*>不允许的文件类型', r.text)
    r = unit.post(
        url + "/evidence",
        data={"csrf_token": token},
        files={"file": ("假的.pdf", b"not a pdf at all", "application/pdf")},
    )
    assert r.status_code == 400 and 'id="evidence-error"' in r.text
    r = unit.post(
        url + "/import", data={"csrf_token": token}, files={"file": ("空.json", b"", "application/json")}
    )
    assert r.status_code == 400 and re.search(r'id="import-error"[^>]*>文件是空的', r.text)
    _is_the_form(r.text, 'id="evaluation-form"')
    r = unit.post(
        url + "/import",
        data={"csrf_token": token},
        files={"file": ("坏.yaml", b"kind: [self\n", "text/yaml")},
    )
    assert r.status_code == 400 and 'id="import-error"' in r.text and "无法从文件中读出评价" in r.text


def test_review_without_a_reason_or_comment_comes_back_with_the_scores_typed(app: object) -> None:
    evaluation_id = _submitted(app)
    review = f"/review/{evaluation_id}"
    for who in (
        "caizheng",
        "pingjia",
    ):  # finance, and the task's third party (pingjia's firm is assigned below)
        if who == "pingjia":
            finance = login(app, "caizheng")
            task = re.search(r"任务“[^”]+”", finance.get(f"/evaluations/{evaluation_id}").text)
            assert task
            tasks = finance.get("/tasks").text
            task_url = re.findall(r'href="(/tasks/\d+)"', tasks)[0]
            firm = re.search(r'name="org_id" value="(\d+)"', finance.get(task_url).text)
            assert firm
            finance.post(
                task_url + "/evaluators",
                data={"csrf_token": csrf_of(finance, task_url), "org_id": firm.group(1)},
            )
        reviewer = login(app, who)
        page = reviewer.get(review).text
        r = reviewer.post(
            review + "/scores",
            data={
                "csrf_token": csrf_of(reviewer, review),
                "version": version_of(page),
                "reviewed-0": "12",
                "reason-0": "",
            },
        )
        assert r.status_code == 400, (who, r.status_code)
        _is_the_form(r.text, 'id="review-table"')
        assert "调整复核得分的理由" in r.text and 'id="reviewed-0" name="reviewed-0" value="12"' in r.text
    finance = login(app, "caizheng")
    page = finance.get(review).text
    r = finance.post(
        review + "/decision",
        data={
            "csrf_token": csrf_of(finance, review),
            "version": version_of(page),
            "action": "return",
            "comment": "  ",
        },
    )
    assert r.status_code == 400 and "退回时请填写退回意见" in r.text
    _is_the_form(r.text, 'id="review-table"')
    # a stale version: the conflict is said on the same page, the typed score kept
    r = finance.post(
        review + "/scores",
        data={"csrf_token": csrf_of(finance, review), "version": "1", "reviewed-0": "13", "reason-0": "核减"},
    )
    assert r.status_code == 409 and "保存冲突" in r.text and 'value="13"' in r.text


def test_a_refused_questionnaire_comes_back_with_what_was_typed(app: object) -> None:
    evaluator = login(app, "pingjia")
    token = csrf_of(evaluator, "/surveys")
    evaluation = re.search(r'<option value="(\d+)"', evaluator.get("/surveys").text)
    assert evaluation
    r = evaluator.post(
        "/surveys",
        data={
            "csrf_token": token,
            "evaluation_id": evaluation.group(1),
            "title": "本年度服务对象满意度",
            "questions": "对补贴发放及时性是否满意\n对经办服务是否满意",
            "population": "一千人",
        },
    )
    assert r.status_code == 400 and 'id="form-message"' in r.text and "受益对象总数" in r.text
    assert (
        "对补贴发放及时性是否满意\n对经办服务是否满意" in r.text and 'value="本年度服务对象满意度"' in r.text
    )
    assert 'value="一千人"' in r.text and f'value="{evaluation.group(1)}" selected' in r.text
