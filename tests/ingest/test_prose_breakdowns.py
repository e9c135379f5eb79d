"""Totals broken down in prose (其中): read with their parts and shares, audited by text.parts-sum."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao import api
from jixiao.ingest import ingest_file

TEXT = (
    "某某厅2023年部门预算\n"
    "二、收支预算总体情况说明\n"
    "某某厅2023年收入预算总计1200万元，其中：一般公共预算拨款收入1000万元，比上年增加100万元，增长11.11%；"
    "其他资金200万元，比上年减少10万元，下降4.76%。\n"
    "某某厅2023年支出预算总计1200万元，其中：基本支出800万元，占66.67%，其中：人员经费600万元，公用经费200万元；"
    "项目支出400万元，占33.33%。\n"
    "2023年政府采购预算总额300万元，其中：拟购买货物100万元、拟购买服务250万元。\n"
    "机关运行经费100万元，其中办公费。\n"
)


def _ingest(tmp_path: Path) -> api.Loaded:
    path = tmp_path / "budget.txt"
    path.write_text(TEXT, encoding="utf-8")
    return ingest_file(path)


def test_lists_are_read_with_their_parts(tmp_path: Path) -> None:
    loaded = _ingest(tmp_path)
    assert loaded.evaluation is not None
    got = [
        (b.label, b.total, [(p.label, p.amount, p.share) for p in b.parts])
        for b in loaded.evaluation.funds.breakdowns
    ]
    assert got == [
        (
            "收入预算",
            Decimal(1200),
            [("一般公共预算拨款收入", Decimal(1000), None), ("其他资金", Decimal(200), None)],
        ),
        # 基本支出's own list (人员经费, 公用经费) is neither the outer list's parts nor read as its own
        # total, and the outer list, ending there, has one part only
        (
            "政府采购预算总额",
            Decimal(300),
            [("拟购买货物", Decimal(100), None), ("拟购买服务", Decimal(250), None)],
        ),
    ]


def test_parts_over_the_total_are_found(tmp_path: Path) -> None:
    loaded = _ingest(tmp_path)
    assert loaded.evaluation is not None
    findings = [f for f in api.check(loaded.evaluation).findings if f.code == "text.parts-sum"]
    assert len(findings) == 1
    assert "政府采购预算总额" in findings[0].message and "350" in findings[0].message
