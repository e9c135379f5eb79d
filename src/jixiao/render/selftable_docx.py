"""项目支出绩效自评表 as Word: one bordered table like 财预〔2020〕10号 附件1, A4 landscape."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.render.annex import add_findings_annex
from jixiao.render.docx_tables import add_table, merge, merge_runs, repeat_as_header, write_cell
from jixiao.render.score_tables import add_indicator_table, add_level_table, grade_line
from jixiao.render.template import new_document
from jixiao.render.text import plain
from jixiao.render.typography import BODY, TITLE, Face, add_page_numbers, setup_page, styled_run
from jixiao.render.view import FUND_COLUMNS, INDICATOR_COLUMNS, SelfTableView, build_view
from jixiao.scoring.result import ScoreResult

WIDTHS_CM = (2.2, 3.0, 3.8, 3.0, 3.0, 1.4, 2.4, 6.9)  # 25.7 cm: A4 landscape less 2 cm margins
FORM_TITLE = Face(TITLE.east_asia, TITLE.fallback, 18)


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
    title = document.add_paragraph(style="Title")
    title.paragraph_format.space_after = Pt(0)
    styled_run(title, view.title, FORM_TITLE)
    year = document.add_paragraph(style="Title")
    year.paragraph_format.space_after = Pt(6)
    styled_run(year, f"（{view.year}）", Face(BODY.east_asia, BODY.fallback, 14))


def _form_table(document: DocumentObject, view: SelfTableView) -> None:
    n_funds = len(view.funds)
    n_ind = max(len(view.indicators), 1)
    rows = 2 + (1 + n_funds) + 2 + (1 + n_ind) + 1
    table = add_table(document, rows, WIDTHS_CM)
    cells = [row.cells for row in table.rows]

    # header: 项目名称 / 主管部门 · 实施单位
    write_cell(merge(cells, 0, 0, 0, 1), "项目名称", head=True)
    write_cell(merge(cells, 0, 2, 0, 7), view.name)
    write_cell(merge(cells, 1, 0, 1, 1), "主管部门", head=True)
    write_cell(merge(cells, 1, 2, 1, 3), view.department)
    write_cell(merge(cells, 1, 4, 1, 5), "实施单位", head=True)
    write_cell(merge(cells, 1, 6, 1, 7), view.unit)

    # 项目资金（万元）
    r = 2
    write_cell(merge(cells, r, 0, r + n_funds, 0), "项目资金\n（万元）", head=True)
    write_cell(cells[r][1], "", head=True)
    for cell, title in zip(cells[r][2:], FUND_COLUMNS, strict=True):
        write_cell(cell, title, head=True)
    for i, fund in enumerate(view.funds, start=r + 1):
        values = [fund.label, plain(fund.budget), plain(fund.budget_adjusted), plain(fund.spent)]
        if fund.key == "fund:total":
            values += [plain(fund.weight), fund.rate, plain(fund.score)]
        else:
            values += ["—", "—", "—"]
        for j, value in enumerate(values, start=1):
            write_cell(cells[i][j], value, align="left" if j == 1 else "center")

    # 年度总体目标
    r = 3 + n_funds
    write_cell(merge(cells, r, 0, r + 1, 0), "年度\n总体目标", head=True)
    write_cell(merge(cells, r, 1, r, 4), "预期目标", head=True)
    write_cell(merge(cells, r, 5, r, 7), "实际完成情况", head=True)
    write_cell(merge(cells, r + 1, 1, r + 1, 4), view.goal_expected, align="left")
    write_cell(merge(cells, r + 1, 5, r + 1, 7), view.goal_achieved, align="left")

    # 绩效指标
    r += 2
    repeat_as_header(table.rows[r])
    for cell, title in zip(cells[r], INDICATOR_COLUMNS, strict=True):
        write_cell(cell, title, head=True)
    first = r + 1
    for i, ind in enumerate(view.indicators, start=first):
        values = [
            ind.level1,
            ind.level2,
            ind.name,
            ind.target,
            ind.actual,
            plain(ind.weight),
            plain(ind.score),
        ]
        for j, value in enumerate(values):
            write_cell(cells[i][j], value, align="left" if j == 2 else "center")
        write_cell(cells[i][7], ind.deviation, align="left")
    level1 = [ind.level1 for ind in view.indicators]
    level2 = [f"{ind.level1}\x00{ind.level2}" if ind.level2 else "" for ind in view.indicators]
    for column, values in ((0, level1), (1, level2)):
        for start, end in merge_runs(values):
            cell = merge(cells, first + start, column, first + end, column)
            write_cell(cell, values[start].split("\x00")[-1])

    # 总分
    r = rows - 1
    write_cell(merge(cells, r, 0, r, 4), "总分", head=True)
    write_cell(cells[r][5], plain(view.total_weight))
    write_cell(cells[r][6], plain(view.total_score))
    write_cell(cells[r][7], f"评价等级：{view.grade}" if view.grade else "")


def _annex(document: DocumentObject, evaluation: Evaluation, score: ScoreResult) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = document.add_paragraph(style="Title")
    styled_run(heading, "评分说明（按评分规则计算）", Face(TITLE.east_asia, TITLE.fallback, 16))
    document.add_paragraph(grade_line(score, evaluation.claims.grade))
    if score.levels:
        document.add_paragraph("一级指标得分及得分率：")
        add_level_table(document, score, sum(WIDTHS_CM) * 0.7)
    if score.indicators:
        document.add_paragraph("各项指标得分及计算过程：")
        add_indicator_table(document, score, sum(WIDTHS_CM))
    for finding in score.findings:
        document.add_paragraph(f"{finding.severity.chinese}：{finding.message}")
