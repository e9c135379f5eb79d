"""Year-on-year changes in prose (与上年相比): read with their label, audited by text.change-rate."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao import api
from jixiao.ingest import ingest_file

TEXT = (
    "某某厅2017年部门预算\n"
    "五、财政拨款支出预算表情况说明\n"
    "某某厅2017年财政拨款预算支出 20702.25 万元，占本年支出合计 99.29%。与上年相比，财政拨款支出增加2043.58 万元，增长 10.95%。\n"
    "1.党委办公厅（室）及相关机构事务（款）行政运行\n"
    "（项）支出 6106.99 万元，与上年相比增加 101.48 万元，增长 1.66%。主要原因是政策性调资。\n"
    "2.一般行政事务管理（项）支出 6049.97 万元，与上年相比减少 392.92 万元，下降 6.09%。\n"
    "3.机关运行经费预算支出\n6032.55 万元，比   2016   年增加    3401.59 万元，增长\n\n129.29 %。\n"
    "4. “住房保障支出（类）住房改革支出（款）住房公积金（项）”352.67万元，主要用于缴存住房公积金。2023年当年预算执行\n"
    "数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加0.53%。\n"
    "5. 办公费 25.77万元，比上年执行数60.13万元减少57.14%。\n"
)


def _ingest(tmp_path: Path) -> api.Loaded:
    path = tmp_path / "budget.txt"
    path.write_text(TEXT, encoding="utf-8")
    return ingest_file(path)


def test_changes_are_read_with_their_label(tmp_path: Path) -> None:
    loaded = _ingest(tmp_path)
    assert loaded.evaluation is not None
    changes = [(c.label, c.amount, c.delta, c.rate) for c in loaded.evaluation.funds.changes if c.delta]
    assert changes == [
        (
            "党委办公厅（室）及相关机构事务（款）行政运行（项）支出",
            Decimal("6106.99"),
            Decimal("101.48"),
            Decimal("1.66"),
        ),
        ("一般行政事务管理（项）支出", Decimal("6049.97"), Decimal("-392.92"), Decimal("-6.09")),
        ("机关运行经费预算支出", Decimal("6032.55"), Decimal("3401.59"), Decimal("129.29")),
    ]  # the first sentence names no amount between 与上年相比 and its change: not read
    befores = [(c.label, c.amount, c.before, c.rate) for c in loaded.evaluation.funds.changes if c.before]
    assert befores == [
        (
            "住房保障支出（类）住房改革支出（款）住房公积金（项）",
            Decimal("352.67"),
            Decimal("348.52"),
            Decimal("0.53"),
        ),
        ("办公费", Decimal("25.77"), Decimal("60.13"), Decimal("-57.14")),
    ]


def test_a_rate_its_amounts_do_not_give_is_an_error(tmp_path: Path) -> None:
    loaded = _ingest(tmp_path)
    assert loaded.evaluation is not None
    found = [f for f in api.check(loaded.evaluation).findings if f.code == "text.change-rate"]
    # 1.66% (1.69%) and 0.53% (1.19%) are wrong; 6.09% is 6.10% cut; 129.29% and 57.14% hold
    assert [f.severity.value for f in found] == ["error", "error"]
    messages = " ".join(f.message for f in found)
    assert "101.48 / 6005.51 = 1.69%，文中印为增长1.66%" in messages
    assert "4.15 / 348.52 = 1.19%，文中印为增长0.53%" in messages
    assert found[0].location.describe().startswith("与上年对比的说明")
