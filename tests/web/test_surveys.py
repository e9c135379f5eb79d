"""Satisfaction survey: questionnaire, public answers (one per device, rate-limited), applying the result."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.store.models import EvaluationRecord
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
    evaluator = login(app, "pingjia")
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
    with db.session() as session:  # type: ignore[attr-defined]
        data = session.get(EvaluationRecord, evaluation_id).data
    satisfaction = next(i for i in data["indicators"] if i["level1"] == "满意度指标")
    assert satisfaction["actual"]["text"] == "66.67%"
    assert data["survey"]["sample_size"] == 3


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
