"""Space-separated table rows (text copied out of a PDF) put back under their header."""

from __future__ import annotations

import pytest

from jixiao.ingest.document import Paragraph, Table
from jixiao.ingest.readers.spaced import spaced_header, spaced_row
from jixiao.ingest.readers.textlayout import text_to_blocks

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"]


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        (
            "产出指标 数量指标 补贴人数 ≥6万人 6.2万人 20 20 无",
            ["产出指标", "数量指标", "补贴人数", "≥6万人", "6.2万人", "20", "20", "无"],
        ),
        ("质量指标 发放率 100% 100% 15 15", ["", "质量指标", "发放率", "100%", "100%", "15", "15", ""]),
        (
            "质量指标 按时足额 发放率 100% 100% 15 15",
            ["", "质量指标", "按时足额 发放率", "100%", "100%", "15", "15", ""],
        ),
        (
            "时效指标 拨付及时率 100% 95% 15 14 部分乡镇拨付延迟",
            ["", "时效指标", "拨付及时率", "100%", "95%", "15", "14", "部分乡镇拨付延迟"],
        ),
        (
            "10 9 满意度指标 满意度指标 群众满意度 ≥90% 88%",
            ["满意度指标", "满意度指标", "群众满意度", "≥90%", "88%", "10", "9", ""],
        ),
        ("总分 100 98", ["", "", "", "", "总分", "100", "98", ""]),
    ],
)
def test_rows_are_put_back_in_their_columns(line: str, cells: list[str]) -> None:
    assert spaced_row(line, HEADER) == cells


def test_target_table_rows_align_to_the_right() -> None:
    header = spaced_header("一级指标 二级指标 三级指标 指标值")
    assert header is not None
    assert spaced_row("质量指标 达标率 ≥95%", header) == ["", "质量指标", "达标率", "≥95%"]


@pytest.mark.parametrize(
    "line",
    [
        "本项目 一级指标 二级指标 已完成",  # a sentence that names columns
        "一级指标 二级指标",  # too short
        "项目 实施 单位 负责 组织",  # words, not column names
    ],
)
def test_ordinary_lines_are_not_headers(line: str) -> None:
    assert spaced_header(line) is None


def test_a_table_spans_a_page_marker_and_ends_at_prose() -> None:
    text = "\n".join(
        [
            "一级指标　二级指标　三级指标　年度指标值　实际完成值　分值　得分",
            "产出指标  数量指标  补贴人数  ≥6万人  6.2万人  20  20",
            "—3—",
            "质量指标  发放率  100%  100%  15  15",
            "存在的问题：部分乡镇经办人员业务不熟。",
        ]
    )
    blocks, _ = text_to_blocks(text)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1 and len(tables[0].rows) == 3
    assert tables[0].row_pages == [1, 1, 4]
    assert isinstance(blocks[-1], Paragraph) and blocks[-1].text.startswith("存在的问题")
