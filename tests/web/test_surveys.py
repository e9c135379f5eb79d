"""Satisfaction survey: questionnaire, public answers, applying the result — and stuffing refused.

Public answers: one per device (cookie), at most N per network address within the survey's window
(counted in the database), one-time codes for closed populations; suspected duplicates are shown
to the evaluator.  Surveys are built as finance (``caizheng``, who sees every evaluation) unless a
test is about the evaluator's visibility.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jixiao.store.models import (
    AuditEntry,
    EvaluationRecord,
    FindingRecord,
    Status,
    SurveyCode,
    SurveyResponse,
)
from jixiao.store.survey_guard import CODE_ALPHABET, network, normalise_code
from jixiao.store.surveys import statistics
from tests.web.conftest import csrf_of, login
from tests.web.test_flow import _new_evaluation


def _answer(app: object, link: str, option: str) -> tuple[TestClient, str]:
    beneficiary = TestClient(app)  # type: ignore[arg-type]
    page = beneficiary.get(link)
    assert page.status_code == 200
    token = csrf_of(beneficiary, link)
    r = beneficiary.post(link, data={"csrf_token": token, "q-0": option, "q-1": option})
    assert r.status_code == 200
    assert "提交成功" in r.text
    return beneficiary, token


def test_survey_answers_change_the_satisfaction_indicator(app: object, db: object) -> None:
    evaluation_id = _new_evaluation(app)
    evaluator = login(app, "caizheng")  # the new task's evaluation: no evaluation firm is assigned
    token = csrf_of(evaluator, "/surveys")
    r = evaluator.post(
        "/surveys",
        data={
            "csrf_token": token,
            "evaluation_id": str(evaluation_id),
            "title": "养老保险满意度",
            "questions": "总体满意度\n服务态度",
            "population": "1000",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    survey_url = r.headers["location"]
    page = evaluator.get(survey_url).text
    link = re.search(r'id="public-link" href="http://testserver(/s/[^"]+)"', page).group(1)  # type: ignore[union-attr]
    qr = evaluator.get(survey_url + "/qr.png")
    assert qr.headers["content-type"] == "image/png" and qr.content[:4] == b"\x89PNG"
    first, first_token = _answer(app, link, "很满意")
    for option in ("满意", "一般"):
        _answer(app, link, option)
    # the same device cannot answer twice
    again = first.post(link, data={"csrf_token": first_token, "q-0": "很不满意", "q-1": "很不满意"})
    assert "已经提交过" in again.text
    page = evaluator.get(survey_url).text
    assert 'id="sample-size">3<' in page
    assert "66.67%" in page  # (很满意 + 满意) / 答案数 = 4 / 6
    r = evaluator.post(survey_url + "/apply", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    # the rate, its margin of error and the score it now earns, said at once
    told = evaluator.get(survey_url).text
    assert re.search(
        r"已将满意率 66\.67%（样本 3 份，误差范围 ±[\d.]+ 个百分点）应用到满意度指标：“[^”]+”按规则得 [\d.]+ 分",
        told,
    )
    with db.session() as session:  # type: ignore[attr-defined]
        data = session.get(EvaluationRecord, evaluation_id).data
    satisfaction = next(i for i in data["indicators"] if i["level1"] == "满意度指标")
    assert satisfaction["actual"]["text"] == "66.67%"
    assert data["survey"]["sample_size"] == 3
    # 3 respondents × 2 questions = 6 answers: the audit must not call that a contradiction, which
    # would be an error the unit cannot clear and would block the submission
    assert data["survey"]["questions"] == 2 and sum(data["survey"]["answers"].values()) == 6
    with db.session() as session:  # type: ignore[attr-defined]
        codes = session.scalars(
            select(FindingRecord.code).where(FindingRecord.evaluation_id == evaluation_id)
        ).all()
    assert "survey.answers-sum" not in codes and "survey.rate" not in codes


def test_public_answers_are_rate_limited(app: object, db: object) -> None:
    app.state.jixiao.survey_throttle.limit = 2  # type: ignore[attr-defined]
    with db.session() as session:  # type: ignore[attr-defined]
        evaluation_id = session.scalars(select(EvaluationRecord.id)).first()
    evaluator = login(app, "pingjia")
    token = csrf_of(evaluator, "/surveys")
    r = evaluator.post(
        "/surveys",
        data={"csrf_token": token, "evaluation_id": str(evaluation_id), "questions": "总体"},
        follow_redirects=False,
    )
    page = evaluator.get(r.headers["location"]).text
    link = re.search(r'href="http://testserver(/s/[^"]+)"', page).group(1)  # type: ignore[union-attr]
    codes = []
    for _ in range(3):
        client = TestClient(app)  # type: ignore[arg-type]
        t = csrf_of(client, link)
        codes.append(client.post(link, data={"csrf_token": t, "q-0": "满意"}).status_code)
    assert codes == [200, 200, 429]


def test_statistics_margin_of_error() -> None:
    stats = statistics([["满意"]] * 385, {"满意": 80}, None)
    assert stats.sample_size == 385
    assert stats.satisfaction_rate == 100
    assert abs(float(stats.margin_of_error or 0) - 4.99) < 0.02  # n ≈ 385 gives ±5 points
    small = statistics([["满意"]] * 20, {}, 61722)
    assert float(small.margin_of_error or 0) > 21  # seed 003: ±22 points with 20 questionnaires


# ---------------------------------------------------------------- helpers

CODE = re.compile(rf"[{CODE_ALPHABET}]{{8}}")


def _create(client: TestClient, evaluation_id: int, **fields: str) -> tuple[str, str]:
    """Create a survey with two questions; its page URL and public path ``/s/TOKEN``."""
    token = csrf_of(client, "/surveys")
    data = {"csrf_token": token, "evaluation_id": str(evaluation_id), "questions": "总体满意度\n服务态度"}
    r = client.post("/surveys", data={**data, **fields}, follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    page = client.get(url).text
    link = re.search(r'id="public-link" href="http://testserver(/s/[^"]+)"', page)
    assert link
    return url, link.group(1)


def _seeded_evaluation(db: Any) -> int:
    """An evaluation of the seeded demo task (assigned to the evaluator's firm, status submitted)."""
    with db.session() as session:
        evaluation_id = session.scalars(select(EvaluationRecord.id).order_by(EvaluationRecord.id)).first()
    assert evaluation_id
    return int(evaluation_id)


def _respondent(
    app: object,
    link: str,
    address: str = "203.0.113.7",
    agent: str = "Mozilla/5.0 (Linux; Android 13) Mobile",
) -> tuple[TestClient, str]:
    """A fresh device (new cookies) at ``address`` that has opened the public link; its CSRF token."""
    client = TestClient(app, client=(address, 40000), headers={"user-agent": agent})  # type: ignore[arg-type]
    return client, csrf_of(client, link)


def _post(client: TestClient, token: str, link: str, option: str = "满意", code: str | None = None) -> Any:
    data = {"csrf_token": token, "q-0": option, "q-1": option}
    if code is not None:
        data["code"] = code
    return client.post(link, data=data)


def _fresh_answer(app: object, link: str, address: str = "203.0.113.7", **kw: str) -> Any:
    client, token = _respondent(app, link, address)
    return _post(client, token, link, **kw)


def _responses(db: Any) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(SurveyResponse)) or 0)


# ---------------------------------------------------------------- per-address limits


def test_stuffing_from_one_address_with_fresh_cookies_is_refused(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    survey_url, link = _create(finance, _seeded_evaluation(db))  # the defaults: 3 per 60 minutes
    statuses = [_fresh_answer(app, link).status_code for _ in range(3)]
    refused = _fresh_answer(app, link)
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert "同一网络地址提交的答卷已达上限（1 小时内最多 3 份）" in refused.text
    assert 'name="q-0"' not in refused.text  # nothing to re-submit
    assert _responses(db) == 3  # the refused answer stored nothing
    # another address is not affected
    assert "提交成功" in _fresh_answer(app, link, "198.51.100.20").text
    with db.session() as session:
        hashes = session.scalars(select(SurveyResponse.address_hash)).all()
    assert len(hashes) == 4 and len(set(hashes)) == 2
    for value in hashes:  # a keyed hash, never the address nor its plain hash
        assert value and re.fullmatch(r"[0-9a-f]{64}", value)
        assert "203.0.113.7" not in value
        assert value != hashlib.sha256(b"203.0.113.7").hexdigest()
    page = finance.get(survey_url).text
    assert "同一网络地址 1 小时内最多 3 份" in page


def test_limit_and_window_are_per_survey(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    evaluation_id = _seeded_evaluation(db)
    _, strict = _create(finance, evaluation_id, address_limit="1", address_window="5")
    _, office = _create(finance, evaluation_id, address_limit="4", address_window="120")
    assert [_fresh_answer(app, strict).status_code for _ in range(2)] == [200, 429]
    # the strict survey's answers do not count for the other one (an office NAT: limit raised to 4)
    assert [_fresh_answer(app, office).status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    assert "（5 分钟内最多 1 份）" in _fresh_answer(app, strict).text
    assert "（2 小时内最多 4 份）" in _fresh_answer(app, office).text
    # six minutes later the strict survey's window has passed; the office survey's has not
    with db.session() as session:
        for response in session.scalars(select(SurveyResponse)):
            response.created_at -= timedelta(minutes=6)
    assert _fresh_answer(app, strict).status_code == 200
    assert _fresh_answer(app, office).status_code == 429
    assert _responses(db) == 6


def test_the_device_check_still_holds(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    _, link = _create(finance, _seeded_evaluation(db), address_limit="10")
    client, token = _respondent(app, link)
    assert "提交成功" in _post(client, token, link).text
    again = _post(client, token, link, "很不满意")
    assert again.status_code == 200 and "已经提交过" in again.text
    assert "已经提交过" in client.get(link).text
    assert _responses(db) == 1


@pytest.mark.parametrize("value", ["²", "-1", "99999999999999999999", "1e9", "abc", "3.5", "0"])
@pytest.mark.parametrize("field", ["address_limit", "address_window", "code_count", "population", "weight-0"])
def test_malformed_numbers_are_refused_in_chinese(app: object, db: Any, field: str, value: str) -> None:
    finance = login(app, "caizheng")
    token = csrf_of(finance, "/surveys")
    data = {"csrf_token": token, "evaluation_id": str(_seeded_evaluation(db)), "questions": "总体"}
    data.update({"codes_required": "1", field: value})
    r = finance.post("/surveys", data=data, follow_redirects=False)
    if value == "0" and field in ("code_count", "weight-0"):  # 0 codes (add later) and weight 0 are fine
        assert r.status_code == 303
        return
    assert r.status_code == 400, (field, value, r.status_code)
    assert "应为" in r.text and "之间的整数" in r.text
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SurveyCode)) == 0


@pytest.mark.parametrize("value", ["", "²", "-1", "99999999999999999999", "1e9"])
def test_malformed_evaluation_or_code_count_is_refused(app: object, db: Any, value: str) -> None:
    finance = login(app, "caizheng")
    token = csrf_of(finance, "/surveys")
    r = finance.post("/surveys", data={"csrf_token": token, "evaluation_id": value, "questions": "总体"})
    assert r.status_code == 400 and "请选择要调查的评价项目" in r.text
    survey_url, _ = _create(finance, _seeded_evaluation(db), codes_required="1", code_count="1")
    r = finance.post(survey_url + "/codes", data={"csrf_token": token, "count": value or "0"})
    assert r.status_code == 400 and "答卷码数量" in r.text


# ---------------------------------------------------------------- one-time codes


def _codes(client: TestClient, survey_url: str) -> list[dict[str, str]]:
    r = client.get(survey_url + "/codes.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel shows the Chinese
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and list(rows[0]) == ["序号", "答卷码", "状态", "问卷", "问卷链接"]
    return rows


def test_one_time_codes_answer_once(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    survey_url, link = _create(
        finance, _seeded_evaluation(db), title="某村参保人满意度", codes_required="1", code_count="5"
    )
    assert "已生成 5 个，已使用 0 个" in finance.get(survey_url).text
    rows = _codes(finance, survey_url)
    codes = [row["答卷码"] for row in rows]
    assert len(codes) == len(set(codes)) == 5
    assert all(CODE.fullmatch(c) for c in codes)  # 8 characters, no 0/O/1/I
    assert {row["状态"] for row in rows} == {"未使用"} and rows[0]["问卷"] == "某村参保人满意度"

    client, token = _respondent(app, link)
    assert 'name="code"' in client.get(link).text
    missing = _post(client, token, link, "一般")
    assert missing.status_code == 400 and "请填写发给您的答卷码" in missing.text
    wrong = _post(client, token, link, "一般", code="ZZZZ2222" if "ZZZZ2222" not in codes else "YYYY3333")
    assert wrong.status_code == 400 and "答卷码不正确" in wrong.text
    assert 'value="一般" required checked' in wrong.text  # the typed answers are kept
    assert 'value="ZZZZ2222"' in wrong.text or 'value="YYYY3333"' in wrong.text
    assert "答卷码不正确" in _post(client, token, link, code="O0I1-ABCD").text  # malformed
    typed = codes[0][:4].lower() + "-" + codes[0][4:].lower()  # lower case and a dash are accepted
    ok = _post(client, token, link, "很满意", code=typed)
    assert ok.status_code == 200 and "提交成功" in ok.text

    other, other_token = _respondent(app, link, "198.51.100.30")
    used = _post(other, other_token, link, "不满意", code=codes[0])
    assert used.status_code == 400 and "该答卷码已经使用过" in used.text
    assert 'value="不满意" required checked' in used.text
    assert "提交成功" in _post(other, other_token, link, "满意", code=codes[1]).text
    assert _responses(db) == 2
    rows = _codes(finance, survey_url)
    assert [row["状态"] for row in rows[:3]] == ["已使用", "已使用", "未使用"]
    page = finance.get(survey_url).text
    assert "已生成 5 个，已使用 2 个" in page

    token = csrf_of(finance, survey_url)
    r = finance.post(survey_url + "/codes", data={"csrf_token": token, "count": "3"}, follow_redirects=False)
    assert r.status_code == 303
    assert "已生成 8 个，已使用 2 个" in finance.get(survey_url).text
    assert len(_codes(finance, survey_url)) == 8
    with db.session() as session:
        logged = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("survey.%"))).all()
    assert logged.count("survey.codes") == 2 and "survey.create" in logged


def test_codes_are_refused_for_a_survey_without_them(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    survey_url, _ = _create(finance, _seeded_evaluation(db))
    token = csrf_of(finance, survey_url)
    r = finance.post(survey_url + "/codes", data={"csrf_token": token, "count": "3"})
    assert r.status_code == 400 and "未启用一次性答卷码" in r.text


def _at_once(link: str, clients: list[tuple[TestClient, str]], code: str) -> list[Any]:
    """Each client posts ``code`` from its own thread, all released at the same instant."""
    barrier = threading.Barrier(len(clients))
    results: list[Any] = [None] * len(clients)

    def post(i: int) -> None:
        client, token = clients[i]
        barrier.wait()
        results[i] = _post(client, token, link, code=code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(r is not None for r in results), "a post did not finish"
    return results


def test_the_same_code_posted_twice_at_once_succeeds_once(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    rounds = 4
    survey_url, link = _create(
        finance, _seeded_evaluation(db), codes_required="1", code_count=str(rounds), address_limit="100"
    )
    codes = [row["答卷码"] for row in _codes(finance, survey_url)]
    for k, code in enumerate(codes):
        pair = [_respondent(app, link, f"192.0.2.{2 * k + i + 1}") for i in range(2)]
        results = _at_once(link, pair, code)
        assert sorted(r.status_code for r in results) == [200, 400]
        assert sum("提交成功" in r.text for r in results) == 1
        assert sum("该答卷码已经使用过" in r.text for r in results) == 1
    assert _responses(db) == rounds
    with db.session() as session:
        assert session.scalar(select(func.count(SurveyCode.used_at))) == rounds


def test_code_normalisation_and_address_networks() -> None:
    assert normalise_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalise_code("ABCD EFG2") == "ABCDEFG2"
    for bad in ("ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGO", "ABCDEFG1", "ABCDEFGI", "ＡＢＣＤＥＦＧＨ"):
        assert normalise_code(bad) is None, bad
    # one IPv6 subscriber picks any address of its /64: they all count as one
    assert network("2001:db8:1:2:aaaa::1") == network("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert network("2001:db8:1:3::1") != network("2001:db8:1:2::1")
    assert network("::ffff:203.0.113.7") == network("203.0.113.7") == "203.0.113.7"


# ---------------------------------------------------------------- suspected duplicates


def test_suspected_duplicates_are_shown(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    survey_url, link = _create(finance, _seeded_evaluation(db), address_limit="10")
    assert "未发现疑似重复答卷" in finance.get(survey_url).text
    for _ in range(4):  # one phone, cookies cleared between answers
        assert _fresh_answer(app, link, "203.0.113.50").status_code == 200
    for address in ("198.51.100.1", "198.51.100.2"):
        assert _fresh_answer(app, link, address).status_code == 200
    client, token = _respondent(app, link, "198.51.100.1", agent="Other browser")
    assert _post(client, token, link).status_code == 200  # same address, another browser
    page = finance.get(survey_url).text
    assert 'id="sample-size">7<' in page
    assert '疑似重复答卷 <span id="duplicate-count">4</span> 份（同一网络地址多次提交）' in page
    assert "涉及 2 个网络地址，单个地址最多 4 份" in page
    assert "其中 3 份来自同一地址的同一浏览器且间隔不足 10 分钟" in page


# ---------------------------------------------------------------- visibility and locked evaluations


def test_survey_list_shows_only_surveys_of_visible_evaluations(app: object, db: Any) -> None:
    finance = login(app, "caizheng")
    _create(finance, _seeded_evaluation(db), title="演示任务的问卷")
    hidden_url, _ = _create(finance, _new_evaluation(app), title="另一任务的问卷")
    assert "演示任务的问卷" in finance.get("/surveys").text
    assert "另一任务的问卷" in finance.get("/surveys").text
    # the evaluator's firm is assigned to the demo task only
    evaluator = login(app, "pingjia")
    listed = evaluator.get("/surveys").text
    assert "演示任务的问卷" in listed
    assert "另一任务的问卷" not in listed
    assert evaluator.get(hidden_url).status_code == 404
    assert evaluator.get(hidden_url + "/codes.csv").status_code == 404
    assert evaluator.get(hidden_url + "/qr.png").status_code == 404


@pytest.mark.parametrize("status", [Status.submitted, Status.approved])
def test_applying_to_a_submitted_or_approved_evaluation_is_refused(
    app: object, db: Any, status: Status
) -> None:
    evaluation_id = _new_evaluation(app)
    finance = login(app, "caizheng")
    survey_url, link = _create(finance, evaluation_id)
    assert _fresh_answer(app, link, option="很满意").status_code == 200
    with db.session() as session:
        record = session.get(EvaluationRecord, evaluation_id)
        record.status = status.value
    with db.session() as session:
        before = session.get(EvaluationRecord, evaluation_id)
        data, version, updated = before.data, before.version, before.updated_at
    token = csrf_of(finance, survey_url)
    r = finance.post(survey_url + "/apply", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 403
    assert "该评价已提交或已复核通过，不能再修改" in r.text
    with db.session() as session:
        after = session.get(EvaluationRecord, evaluation_id)
        assert (after.data, after.version, after.updated_at) == (data, version, updated)
        assert "survey" not in after.data
        applied = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "survey.apply")
        )
    assert applied == 0
