"""The four seeds: the EXPECTED.md fields extracted exactly, and the same must-findings as the examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao import api
from jixiao.ingest import ingest_file, summarize
from tests.ingest.conftest import ROOT, seed

D = Decimal


def test_seed_000_finance_report() -> None:
    ev = ingest_file(seed("000")).evaluation
    assert ev is not None
    assert ev.kind == "finance" and ev.year == 2022
    assert ev.project.name == "2022 年嘉峪关市人力资源和社会保障局居民养老保险"
    assert ev.project.unit == "嘉峪关市人力资源和社会保障局"
    assert ev.commissioner == "嘉峪关市财政局"
    assert ev.evaluator == "甘肃金益通绩效评价咨询服务有限公司"
    t = ev.funds.total
    assert (t.budget, t.available, t.spent, t.surplus) == (D("5838"), D("5838"), D("4321.24"), D("1061.76"))
    lines = {ln.source.value: (ln.budget, ln.available) for ln in ev.funds.lines}
    assert lines == {
        "central": (D("578"), D("578")),
        "provincial": (D("281"), D("281")),
        "municipal": (D("1937.09"), D("1937.09")),
        "other": (D("3041.91"), D("3041.91")),
    }
    assert ev.funds.execution_rate is not None and ev.funds.execution_rate.value == D("80.28")
    assert ev.indicator_counts is not None
    assert (ev.indicator_counts.level1, ev.indicator_counts.level2, ev.indicator_counts.level3) == (4, 11, 26)
    assert [(lv.name, lv.weight, lv.claimed, lv.rate) for lv in ev.levels] == [
        ("决策", D("9"), D("6.6"), D("73.33")),
        ("过程", D("29"), D("27.89"), D("96.17")),
        ("产出", D("33"), D("31.5"), D("95.45")),
        ("效益", D("29"), D("22.59"), D("77.9")),
    ]
    assert (ev.claims.total, ev.claims.grade, ev.claims.rate) == (D("88.58"), "良", D("88.58"))
    assert ev.methods == ["比较法", "因素分析法", "公众评判法"]
    assert len(ev.basis) == 19 and len(ev.problems) == 3 and len(ev.suggestions) == 3
    assert (str(ev.dates.work_start), str(ev.dates.work_end)) == ("2023-07-01", "2023-08-10")
    # provenance: the printed rate points at its line and cell
    src = ev.funds.execution_rate.source
    assert src is not None and src.line == 17 and src.text == "80.28%"


def test_seed_002_self_form() -> None:
    ev = ingest_file(seed("002")).evaluation
    assert ev is not None
    assert ev.kind == "self" and ev.year == 2020 and ev.framework == "common-2013"
    p = ev.project
    assert (p.name, p.department_code, p.unit, p.attribute) == (
        "城乡居民养老金缴费补助（入口补）",
        "077",
        "晋中市养老保险中心",
        "recurring",
    )
    assert (str(p.period_start), str(p.period_end)) == ("2020-01-01", "2020-12-31")
    t = ev.funds.total
    assert (t.budget, t.available, t.spent) == (D("2536.08"), D("2364.01"), D("2364.01"))
    by = {i.level2: i for i in ev.indicators if i.weight is None and i.target is not None}
    q = by["数量指标"]
    assert (q.target and q.target.text, q.actual and q.actual.text) == (
        "入口补每年116.11万人",
        "入口补每年108.13万人",
    )
    scores = {(i.level1, i.name): (i.weight, i.claimed) for i in ev.indicators if i.weight is not None}
    assert scores[("投入", "资金到位率")] == (D("3"), D("2.80"))
    assert scores[("产出", "实际完成率")] == (D("8"), D("8.00"))
    assert scores[("效果", "社会效益")] == (D("20"), D("20.00"))
    assert scores[("效果", "社会公众或服务对象满意度")] == (D("10"), D("10.00"))
    assert [(lv.name, lv.weight, lv.claimed) for lv in ev.levels] == [
        ("投入", D("20"), D("19.80")),
        ("过程", D("20"), D("20.00")),
        ("产出", D("30"), D("30.00")),
        ("效果", D("30"), D("30.00")),
    ]
    assert (ev.claims.total, ev.claims.grade) == (D("99.80"), "优")
    assert [(e.name, e.role) for e in ev.evaluators][:3] == [
        ("杨宝金", "评价人员"),
        ("胡建华", "评价人员"),
        ("闫小全", "评价人员"),
    ]
    assert {(e.name, e.role) for e in ev.evaluators} >= {("闫小全", "负责人"), ("于蕾", "经办人")}
    assert str(ev.dates.filled) == "2021-07-05"
    assert api.score(ev).computed_total == D("99.25")


def test_seed_003_prose_report() -> None:
    ev = ingest_file(seed("003")).evaluation
    assert ev is not None
    assert ev.kind == "self" and ev.year == 2019
    assert ev.project.name == "建档立卡贫困人员参加城乡居民社会养老保险区级配套项目"
    assert ev.project.unit == "东川区城乡居民社会养老保险局"
    t = ev.funds.total
    assert (t.available, t.spent, t.surplus) == (D("671.214"), D("617.22"), D("53.994"))
    lines = {ln.source.value: (ln.available, ln.spent) for ln in ev.funds.lines}
    assert lines == {"municipal": (D("523.544"), D("493.776")), "county": (D("147.67"), D("123.444"))}
    assert sorted(i.amount for i in ev.funds.items) == [D("16.784"), D("37.21")]
    assert ev.funds.planned_spending == D("654.43")
    assert ev.claims.total == D("97") and ev.claims.grade is None
    assert ev.survey is not None and ev.survey.distributed == 20 and ev.survey.population == 61722
    persons = next(i for i in ev.indicators if i.target and i.target.unit == "人")
    assert (persons.target and persons.target.value, persons.actual and persons.actual.value) == (
        D("65443"),
        D("61722"),
    )
    assert len(ev.problems) == 2 and len(ev.suggestions) == 3


def test_seed_004_department_report() -> None:
    ev = ingest_file(seed("004")).evaluation
    assert ev is not None
    assert ev.kind == "self" and ev.year == 2022  # not printed: by the report date
    assert ev.project.name == "社保专项工作经费" and ev.project.unit == "信丰县人力资源和社会保障局"
    assert ev.funds.total.budget == D("57")
    targets = [
        (i.target and i.target.text, i.actual and i.actual.text, i.completion and i.completion.text)
        for i in ev.indicators
        if i.weight is None
    ]
    assert targets == [
        ("6.42万人", "5.68万人", "88.47%"),
        ("1.7238万人", "1.92万人", "111.38%"),
        ("39万人", "39.05万人", "100.1%"),
    ]
    scored = [i for i in ev.indicators if i.weight is not None]
    assert len(scored) == 20 and sum(i.weight or 0 for i in scored) == 100
    assert (scored[0].level1, scored[0].level2, scored[0].name, scored[0].claimed) == (
        "决策",
        "项目立项",
        "立项依据充分性",
        D("2"),
    )
    assert [(lv.name, lv.weight) for lv in ev.levels] == [("决策", D("40")), ("产出", D("60"))]
    groups = [(g.level1, g.name, g.weight) for g in ev.groups]
    assert groups.count(("决策", "资金管理", D("5"))) == 2 and len(groups) == 15
    assert (ev.claims.total, ev.claims.total_weight, ev.claims.grade) == (D("100"), D("100"), "优秀")
    assert ev.problems == ["无"] and ev.suggestions == ["无"]
    assert str(ev.dates.report) == "2023-02-28"


MUST = {
    "000": {"funds.execution-rate", "funds.surplus"},
    "002": {"inflation.full-marks"},  # which names the recomputed total 99.25 (one problem, one finding)
    "003": {"arithmetic.unverifiable", "survey.sample-size"},
    "004": {"inflation.full-marks", "text.no-problems"},  # which also says “有关建议：无” (one finding)
}
EXAMPLES = {
    "000": "000-jiayuguan-2022",
    "002": "002-jinzhong-2020",
    "003": "003-dongchuan-2019",
    "004": "004-xinfeng-2022",
}


@pytest.mark.parametrize("prefix", sorted(MUST))
def test_check_on_seed_text_matches_the_hand_written_file(prefix: str) -> None:
    example = ROOT / "examples" / f"{EXAMPLES[prefix]}.yaml"
    if not example.exists():
        pytest.skip("example file not available")
    ingested = api.load(seed(prefix))
    assert ingested.evaluation is not None
    audit = api.check(ingested.evaluation)
    codes = {f.code for f in audit.findings}
    assert codes >= MUST[prefix]
    hand = api.load(example)
    assert hand.evaluation is not None
    hand_codes = {f.code for f in api.check(hand.evaluation).findings if f.severity != "info"}
    assert {c for c in hand_codes if c in MUST[prefix]} <= codes
    assert audit.score.computed_total == api.check(hand.evaluation).score.computed_total
    if prefix == "002":
        [line] = [f.message for f in audit.findings if f.code == "inflation.full-marks"]
        assert "7.45" in line and "总分因此应为99.25分" in line


def test_findings_point_at_document_lines() -> None:
    ingested = api.load(seed("000"))
    assert ingested.evaluation is not None
    f = next(f for f in api.check(ingested.evaluation).findings if f.code == "funds.execution-rate")
    assert f.location.source is not None and f.location.source.line is not None


def test_summary_shape() -> None:
    s = summarize(ingest_file(seed("002")))
    assert list(s) == [
        "file",
        "kind",
        "doc_kind",
        "project",
        "year",
        "unit",
        "budget",
        "available",
        "spent",
        "execution_rate",
        "total",
        "grade",
        "levels",
        "indicators",
    ]
    assert s["budget"] == 2536.08 and s["execution_rate"] is None and s["total"] == 99.8
    assert s["levels"][0] == {"name": "投入", "weight": 20, "score": 19.8}
    assert set(s["indicators"][0]) == {"level1", "level2", "name", "target", "actual", "weight", "score"}
