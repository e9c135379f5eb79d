"""项目支出绩效自评表 as Word: one bordered table like 财预〔2020〕10号 附件1, A4 landscape.

The form prints as one table; it is written as two (the project and funds part, then the
indicators) so that the indicators' heading row repeats on every page the form runs onto.
"""

from __future__ import annotations

from dataclasses import replace

from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.render.annex import add_findings_annex
from jixiao.render.docx_tables import Cell, append_table, joint, vertical_runs
from jixiao.render.score_tables import add_indicator_table, add_level_table, grade_line
from jixiao.render.template import new_document
from jixiao.render.text import plain
from jixiao.render.typography import (
    BODY,
    TITLE,
    Face,
    add_page_numbers,
    add_paragraph,
    setup_page,
    styled_run,
)
from jixiao.render.view import FUND_COLUMNS, INDICATOR_COLUMNS, SelfTableView, build_view
from jixiao.scoring.result import ScoreResult

WIDTHS_CM = (2.2, 3.0, 3.8, 3.0, 3.0, 1.4, 2.4, 6.9)  # 25.7 cm: A4 landscape less 2 cm margins
FORM_TITLE = replace(TITLE, size=18)


def build(
    evaluation: Evaluation, score: ScoreResult, findings: list[Finding] | None = None
) -> DocumentObject:
    """The 自评表 as a python-docx document, a 评分说明 page of computed scores, and the findings if given."""
    document = new_document(None)
    section = document.sections[0]
    setup_page(section, landscape=True)
    add_page_numbers(section)
    view = build_view(evaluation, score)
    _heading(document, view)
    _form_table(document, view)
    _annex(document, evaluation, score)
    if findings is not None:
        add_findings_annex(document, findings, sum(WIDTHS_CM))
    return document


def _heading(document: DocumentObject, view: SelfTableView) -> None:
    title = add_paragraph(document, style="Title")
    title.paragraph_format.space_after = Pt(0)
    styled_run(title, view.title, FORM_TITLE)
    year = add_paragraph(document, style="Title")
    year.paragraph_format.space_after = Pt(6)
    styled_run(year, f"（{view.year}）", Face(BODY.east_asia, BODY.fallback, 14))


def _form_table(document: DocumentObject, view: SelfTableView) -> None:
    rows: list[list[Cell]] = [
        [Cell("项目名称", head=True, span=2), Cell(view.name, span=6)],
        [
            Cell("主管部门", head=True, span=2),
            Cell(view.department, span=2),
            Cell("实施单位", head=True, span=2),
            Cell(view.unit, span=2),
        ],
        [Cell("项目资金\n（万元）", head=True, vmerge="restart"), Cell("", head=True)]
        + [Cell(title, head=True) for title in FUND_COLUMNS],
    ]
    for fund in view.funds:
        values = [plain(fund.budget), plain(fund.budget_adjusted), plain(fund.spent)]
        if fund.key == "fund:total":
            values += [plain(fund.weight), fund.rate, plain(fund.score)]
        else:
            values += ["—", "—", "—"]
        rows.append([Cell(vmerge="continue"), Cell(fund.label, align="left"), *(Cell(v) for v in values)])
    rows.append(
        [
            Cell("年度\n总体目标", head=True, vmerge="restart"),
            Cell("预期目标", head=True, span=4),
            Cell("实际完成情况", head=True, span=3),
        ]
    )
    rows.append(
        [
            Cell(vmerge="continue"),
            Cell(view.goal_expected, align="left", span=4),
            Cell(view.goal_achieved, align="left", span=3),
        ]
    )
    # The indicator part is a table of its own whose heading row repeats on each page it runs onto.
    append_table(document, WIDTHS_CM, rows, open_bottom=True)
    joint(document)
    rows = [[Cell(title, head=True) for title in INDICATOR_COLUMNS]]
    level1 = vertical_runs([ind.level1 for ind in view.indicators])
    level2 = vertical_runs([f"{ind.level1}\x00{ind.level2}" if ind.level2 else "" for ind in view.indicators])
    for ind, mark1, mark2 in zip(view.indicators, level1, level2, strict=True):
        rows.append(
            [
                Cell(ind.level1, vmerge=mark1),
                Cell(ind.level2, vmerge=mark2),
                Cell(ind.name, align="left"),
                Cell(ind.target),
                Cell(ind.actual),
                Cell(plain(ind.weight)),
                Cell(plain(ind.score)),
                Cell(ind.deviation, align="left"),
            ]
        )
    if not view.indicators:
        rows.append([Cell() for _ in INDICATOR_COLUMNS])
    rows.append(
        [
            Cell("总分", head=True, span=5),
            Cell(plain(view.total_weight)),
            Cell(plain(view.total_score)),
            Cell(f"评价等级：{view.grade}" if view.grade else ""),
        ]
    )
    append_table(document, WIDTHS_CM, rows, header_rows=1)


def _annex(document: DocumentObject, evaluation: Evaluation, score: ScoreResult) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = add_paragraph(document, style="Title")
    styled_run(heading, "评分说明（按评分规则计算）", replace(TITLE, size=16))
    document.add_paragraph(grade_line(score, evaluation.claims.grade))
    if score.levels:
        document.add_paragraph("一级指标得分及得分率：")
        add_level_table(document, score, sum(WIDTHS_CM) * 0.7)
    if score.indicators:
        document.add_paragraph("各项指标得分及计算过程：")
        add_indicator_table(document, score, sum(WIDTHS_CM))
    for finding in score.findings:
        document.add_paragraph(f"{finding.severity.chinese}：{finding.message}")
