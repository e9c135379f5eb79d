"""A form's indicator table continued on the next page with other columns is lined up by position."""

from __future__ import annotations

from jixiao.ingest.document import Document, Paragraph, Table
from jixiao.ingest.extract import extract

# (left, right) of each column on the page, as the PDF reader records them
HEAD_COLUMNS = [
    (90.0, 115.0),
    (115.0, 173.0),
    (173.0, 274.0),
    (274.0, 321.0),
    (321.0, 422.0),
    (422.0, 523.0),
    (523.0, 560.0),
]
# next page: no 绩效指标 label column, no empty spacer column
NEXT_COLUMNS = [(115.0, 173.0), (173.0, 274.0), (274.0, 422.0), (422.0, 523.0), (523.0, 560.0)]


def _form(next_columns: list[tuple[float, float]] | None) -> Document:
    head = Table(
        rows=[
            ["项目名称", "", "教育教学改革专项", "", "", "", ""],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值", "分值（90）"],
            ["", "产出指标", "数量指标", "建设一流本科课程数", "", "20门", "30"],
            ["", "", "", "新增在线课程建设数量", "", "20门", "20"],
        ],
        index=1,
        page=1,
        columns=HEAD_COLUMNS,
    )
    box = Table(rows=[["执行率"], ["分值"], ["（10）"]], index=2, page=1, columns=[(528.0, 560.0)])
    rest = Table(
        rows=[
            ["", "质量指标", "学生竞赛获奖数量", "20人次", "20"],
            ["满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "20"],
        ],
        index=3,
        page=2,
        columns=next_columns,
    )
    return Document(file="form.pdf", blocks=[Paragraph(text="绩效目标表"), head, box, rest], format="pdf")


def test_continuation_lined_up_by_position() -> None:
    evaluation, _ = extract(_form(NEXT_COLUMNS))
    got = [(i.level1, i.level2, i.name, int(i.weight or 0)) for i in evaluation.indicators]
    assert got == [
        ("产出指标", "数量指标", "建设一流本科课程数", 30),
        ("产出指标", "数量指标", "新增在线课程建设数量", 20),
        ("产出指标", "质量指标", "学生竞赛获奖数量", 20),
        ("满意度指标", "服务对象满意度指标", "学生满意度", 20),
    ]


def test_without_positions_a_narrower_continuation_is_not_guessed() -> None:
    evaluation, _ = extract(_form(None))
    assert [i.name for i in evaluation.indicators] == ["建设一流本科课程数", "新增在线课程建设数量"]
