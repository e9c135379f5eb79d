"""绩效目标审核意见表 as Word: the reviewer's opinion on one declaration, A4 portrait.

One bordered table on a six-column grid: the project (名称, 主管部门及代码, 实施单位, 项目属性,
项目期, 资金), the opinions (总体目标 / 产出 / 效益 / 满意度, 需补充完善事项), the automatic review's
points per criterion (分值, 扣分, 得分, the reviewer's opinion on the criterion), the result (the
rubric's and the reviewer's settled one) with its consequence, and the 审核单位 / 审核人 / 日期
lines.  The findings of the automatic review, when given, follow as an annex.  Nothing is
computed here: the review (``ReviewResult``) and the opinion (``ReviewOpinion``) print as they are;
without them the table prints blank, to be filled in by hand.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.shared import Pt

from jixiao.declaration import Criterion, Declaration, ReviewOpinion, ReviewResult
from jixiao.findings import Finding
from jixiao.render.declaration_docx import add_review_findings, heading
from jixiao.render.declaration_view import department_text, period_text, year_line
from jixiao.render.docx_tables import Cell, append_table
from jixiao.render.template import new_document
from jixiao.render.text import plain, score_text
from jixiao.render.typography import add_page_numbers, add_paragraph, setup_page
from jixiao.vocabulary import CRITERION_NAMES, DECLARATION_DOCUMENT_NAMES, NOVELTY_NAMES

TITLE = DECLARATION_DOCUMENT_NAMES["review-opinion"]
# Six grid columns, 15.6 cm: A4 portrait less the 公文 margins.  A label | value pair is 3.0 | 4.8.
WIDTHS_CM = (3.0, 1.6, 1.6, 1.6, 3.0, 4.8)
SCORE_COLUMNS = ("审核要点", "分值", "扣分", "得分", "审核意见")
DATE_BLANK = "    年    月    日"
BLANK = "\n\n"  # an opinion not yet written: three lines of room to write it by hand


def _pair(a: str, a_value: object, b: str, b_value: object) -> list[Cell]:
    return [
        Cell(a, head=True),
        Cell(a_value, span=3, align="left"),
        Cell(b, head=True),
        Cell(b_value, align="left"),
    ]


def _wide(label: str, text: object) -> list[Cell]:
    return [Cell(label, head=True), Cell(text, span=5, align="left")]


def _numbered(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


def review_rows(
    declaration: Declaration, review: ReviewResult | None, opinion: ReviewOpinion | None
) -> list[list[Cell]]:
    """The rows of the 审核意见表 on its six-column grid (shared by the Word and Excel forms)."""
    d = declaration
    o = opinion or ReviewOpinion()
    unit = d.funds.unit
    rows: list[list[Cell]] = [
        _wide("项目名称", d.project.name),
        _pair("主管部门及代码", department_text(d), "实施单位", d.project.unit or ""),
        _pair("项目属性", NOVELTY_NAMES[d.novelty] if d.novelty else "", "项目期", period_text(d)),
        _pair(
            f"年度资金总额\n（{unit}）",
            plain(d.funds.annual_total),
            "其中：财政拨款",
            plain(d.funds.appropriation),
        ),
        _pair(f"中期资金总额\n（{unit}）", plain(d.funds.medium_total), "其他资金", plain(d.funds.other)),
        [Cell("审核意见", head=True, span=6)],
        _wide("总体目标", o.overall or BLANK),
        _wide("产出指标", o.outputs or BLANK),
        _wide("效益指标", o.outcomes or BLANK),
        _wide("满意度指标", o.satisfaction or BLANK),
        _wide("需补充完善事项", _numbered(o.to_complete) or BLANK),
        [
            Cell(
                "自动审核评分" + (f"（{review.rubric_title or review.rubric}）" if review else ""),
                head=True,
                span=6,
            )
        ],
        [Cell(title, head=True, span=2 if n == 4 else 1) for n, title in enumerate(SCORE_COLUMNS)],
    ]
    results = {c.criterion: c for c in review.criteria} if review else {}
    criteria = [c.criterion for c in review.criteria] if review else list(Criterion)
    criteria += [c for c in o.criteria if c not in criteria]
    for criterion in criteria:
        result = results.get(criterion)
        rows.append(
            [
                Cell(CRITERION_NAMES[criterion], head=True),
                Cell(plain(result.weight) if result else ""),
                Cell(score_text(result.deducted) if result else ""),
                Cell(score_text(result.score) if result else ""),
                Cell(o.criteria.get(criterion, ""), span=2, align="left"),
            ]
        )
    rows.append(
        [
            Cell("合计", head=True, span=3),
            Cell(score_text(review.total) if review else ""),
            Cell("", span=2),
        ]
    )
    settled = o.grade.value if o.grade else ""
    rows.append(
        _pair("审核结果", settled or (review.grade.value if review else ""), "自动审核结果", _result(review))
    )
    rows.append(_wide("处理意见", consequence_text(review, opinion) or BLANK))
    rows.append(_pair("审核单位\n（盖章）", o.reviewer or "", "审核日期", DATE_BLANK))
    rows.append(_pair("审核人", "", "复核人", ""))
    return rows


def _result(review: ReviewResult | None) -> str:
    return f"{review.grade.value}（{score_text(review.total)}分）" if review else ""


def consequence_text(review: ReviewResult | None, opinion: ReviewOpinion | None) -> str:
    """The consequence printed: the review's, unless the reviewer settled on another result."""
    if review is None:
        return ""
    if opinion is not None and opinion.grade is not None and opinion.grade is not review.grade:
        return f"按审核确定的结果“{opinion.grade.value}”处理（自动审核结果“{review.grade.value}”：{review.consequence}）"
    return review.consequence


def build(
    declaration: Declaration,
    review: ReviewResult | None = None,
    findings: list[Finding] | None = None,
    opinion: ReviewOpinion | None = None,
) -> DocumentObject:
    """The 审核意见表 as a python-docx document (findings, when given, as an annex)."""
    document = new_document(None)
    section = document.sections[0]
    setup_page(section, landscape=False)
    add_page_numbers(section)
    heading(document, TITLE, year_line(declaration))
    append_table(document, WIDTHS_CM, review_rows(declaration, review, opinion))
    if findings is not None:
        spacer = add_paragraph(document)
        spacer.paragraph_format.space_before = Pt(6)
        add_review_findings(document, findings, sum(WIDTHS_CM))
    return document
