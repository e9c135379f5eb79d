"""The four seed reports encoded as evaluation files load cleanly and keep every figure as printed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import api
from jixiao.examples import example_files
from jixiao.frameworks import builtin_framework_names
from jixiao.loader import load_file
from jixiao.model import Evaluation

SEEDS = ["000-jiayuguan-2022", "002-jinzhong-2020", "003-dongchuan-2019", "004-xinfeng-2022"]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _load(stem: str) -> Evaluation:
    loaded = load_file(EXAMPLES / f"{stem}.yaml")
    assert loaded.findings == [], [f.message for f in loaded.findings]
    assert loaded.evaluation is not None
    return loaded.evaluation


def test_every_seed_has_an_example() -> None:
    assert {p.stem for p in example_files()} >= set(SEEDS)


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_example_loads_without_findings(path: Path) -> None:
    loaded = load_file(path)
    assert loaded.findings == [], [f.message for f in loaded.findings]
    assert loaded.evaluation is not None
    assert loaded.evaluation.framework in builtin_framework_names()


@pytest.mark.parametrize("stem", SEEDS)
def test_sources_point_at_the_seed_lines(stem: str) -> None:
    """Every ``source.line`` names a line that exists in the seed text (checked when it is present)."""
    evaluation = _load(stem)
    assert evaluation.source is not None and evaluation.source.file is not None
    seed = Path(__file__).resolve().parents[1] / evaluation.source.file
    sources = [i.source for i in evaluation.indicators] + [lv.source for lv in evaluation.levels]
    sources.append(evaluation.claims.source)
    if not seed.exists():
        pytest.skip("seed texts not present")
    lines = seed.read_text(encoding="utf-8").splitlines()
    for source in sources:
        assert source is not None and source.line is not None
        assert source.file == evaluation.source.file
        assert 1 <= source.line <= len(lines) and lines[source.line - 1].strip()


def test_000_keeps_the_printed_errors() -> None:
    ev = _load("000-jiayuguan-2022")
    assert (ev.kind.value, ev.framework, ev.year) == ("finance", "eval-2020", 2022)
    total = ev.funds.total
    assert (total.budget, total.available, total.spent, total.surplus) == (
        Decimal(5838),
        Decimal(5838),
        Decimal("4321.24"),
        Decimal("1061.76"),  # printed; available − spent is 1516.76
    )
    assert sum((line.available or 0 for line in ev.funds.lines), Decimal(0)) == Decimal(5838)
    assert ev.funds.execution_rate is not None and ev.funds.execution_rate.value == Decimal("80.28")
    assert [(lv.name, lv.weight, lv.claimed) for lv in ev.levels] == [
        ("决策", 9, Decimal("6.6")),
        ("过程", 29, Decimal("27.89")),
        ("产出", 33, Decimal("31.5")),
        ("效益", 29, Decimal("22.59")),
    ]
    assert ev.indicator_counts is not None and ev.indicator_counts.level3 == 26
    assert (ev.claims.total, ev.claims.grade) == (Decimal("88.58"), "良")
    assert (len(ev.basis), len(ev.problems), len(ev.suggestions)) == (19, 3, 3)
    assert ev.indicators == []


def test_002_scores_show_the_inflated_completion_line() -> None:
    ev = _load("002-jinzhong-2020")
    assert ev.project.department_code == "077" and ev.project.attribute == "recurring"
    quantity = next(i for i in ev.indicators if i.id == "t-quantity")
    assert quantity.target is not None and quantity.target.text == "入口补每年116.11万人"
    assert quantity.target.value == Decimal("116.11") and quantity.target.unit == "万人"
    assert quantity.completion is not None and quantity.completion.text == "93.13%"
    assert sum(1 for i in ev.indicators if i.name == "指标2:" and i.target is None) == 8
    assert [i.amount for i in ev.funds.items] == [Decimal("1739.07"), Decimal("624.95")]
    result = api.score(ev)
    line = next(s for s in result.indicators if s.name == "实际完成率")
    assert (line.claimed, line.computed) == (Decimal("8.00"), Decimal("7.45"))
    assert result.claimed_total == Decimal("99.80")
    assert result.computed_total == Decimal("99.25")
    arrival = next(s for s in result.indicators if s.name == "资金到位率")
    assert arrival.computed == Decimal("2.80")


def test_003_funds_and_survey() -> None:
    ev = _load("003-dongchuan-2019")
    total = ev.funds.total
    assert (total.available, total.spent, total.surplus) == (
        Decimal("671.214"),
        Decimal("617.22"),
        Decimal("53.994"),
    )
    assert sum((i.amount for i in ev.funds.items if i.group == "结余"), Decimal(0)) == total.surplus
    assert ev.funds.planned_spending == Decimal("654.43")
    assert ev.survey is not None and (ev.survey.distributed, ev.survey.population) == (20, 61722)
    assert (ev.claims.total, ev.claims.grade) == (Decimal(97), None)
    assert (
        ev.pension is not None
        and ev.pension["program"] == "paid_on_behalf"
        and ev.pension["persons"]["actual"] == 61722
    )


def test_004_table_as_printed() -> None:
    ev = _load("004-xinfeng-2022")
    scored = [i for i in ev.indicators if i.weight is not None]
    assert sum((i.weight or 0 for i in scored), Decimal(0)) == Decimal(100)
    assert [i.level2 for i in scored].count("资金管理") == 3  # the 二级 is printed twice
    assert any(i.name == "可根据项目实际情况有选择地设置和细化" for i in scored)
    completions = [i.completion.text for i in ev.indicators if i.completion is not None]
    assert completions == ["88.47%", "111.38%", "100.1%"]
    assert (ev.problems, ev.suggestions) == (["无"], ["无"])
    assert ev.claims.grade == "自评优秀" and str(ev.dates.report) == "2023-02-28"
