"""Level scores printed in prose: read when unambiguous, left unknown (with a note) when not."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.ingest import ingest_file

HEAD = "某区2023年就业补助资金绩效评价报告\n项目名称：就业补助资金\n经评价，该项目综合得分88分，评价等级为“良”。\n"


def _levels(tmp_path: Path, text: str) -> tuple[dict[str, tuple[Decimal | None, Decimal | None]], list[str]]:
    path = tmp_path / "report.txt"
    path.write_text(HEAD + text, encoding="utf-8")
    loaded = ingest_file(path)
    assert loaded.evaluation is not None
    levels = {lv.name: (lv.weight, lv.claimed) for lv in loaded.evaluation.levels}
    return levels, [f.message for f in loaded.findings if f.code == "ingest.ambiguous-level"]


def test_scores_and_weights_in_one_sentence(tmp_path: Path) -> None:
    levels, notes = _levels(
        tmp_path,
        "其中项目决策得分为18分，过程指标（20分）得分17分，产出类指标满分40分，得分35分，效益指标得分18分。\n",
    )
    assert levels == {
        "决策": (None, Decimal(18)),
        "过程": (Decimal(20), Decimal(17)),
        "产出": (Decimal(40), Decimal(35)),
        "效益": (None, Decimal(18)),
    }
    assert notes == []


def test_sub_indicators_are_not_levels(tmp_path: Path) -> None:
    levels, _ = _levels(tmp_path, "社会效益指标得分9分，服务对象满意度指标得分9分，产出数量指标得分10分。\n")
    assert levels == {}


def test_contradicting_or_impossible_scores_stay_unknown(tmp_path: Path) -> None:
    levels, notes = _levels(
        tmp_path,
        "决策指标得分18分。\n经复核，决策指标得分16分。\n产出指标（30分）得分35分。过程指标得分19分。\n",
    )
    assert levels == {"过程": (None, Decimal(19))}
    assert any("不同得分" in n for n in notes) and any("高于分值" in n for n in notes)
