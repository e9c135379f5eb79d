"""绩效评价报告 as Word, in the 财预〔2020〕10号 附件3 outline, filled from the evaluation.

Every section prints what the evaluation holds; a section with nothing behind it says
“报告未提供相关内容” instead of inventing text.  Scores, rates and explanations come from the
``ScoreResult``.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.shared import Cm

from jixiao.findings import Finding
from jixiao.model import Evaluation, Kind
from jixiao.office import clean
from jixiao.render import charts
from jixiao.render.annex import add_findings_annex
from jixiao.render.docx_tables import simple_table
from jixiao.render.score_tables import add_indicator_table, add_level_table, grade_line
from jixiao.render.template import new_document
from jixiao.render.text import NO_DATA, fund_label, percent_text, plain, score_text
from jixiao.render.typography import add_page_numbers, add_paragraph, has_page_field, setup_page
from jixiao.scoring.result import ScoreResult
from jixiao.vocabulary import KIND_NAMES

TEXT_WIDTH_CM = 15.6  # A4 portrait less 公文 margins
CHINESE_NUMBERS = "一二三四五六七八九十"
FUND_STAGES = (
    ("budget", "年初预算"),
    ("budget_adjusted", "全年预算"),
    ("available", "实际到位"),
    ("spent", "实际支出"),
    ("surplus", "结余"),
)


def build(
    evaluation: Evaluation,
    score: ScoreResult,
    *,
    template: Path | None = None,
    findings: list[Finding] | None = None,
) -> DocumentObject:
    """The report document; with ``findings`` a 复核意见 annex is appended."""
    document = new_document(template)
    section = document.sections[0]
    if template is None:
        setup_page(section, landscape=False)
    if not has_page_field(section):
        add_page_numbers(section)
    _title(document, evaluation)
    _basics(document, evaluation, score)
    _work(document, evaluation)
    _conclusion(document, evaluation, score)
    _analysis(document, evaluation, score)
    _lessons(document, evaluation)
    _suggestions(document, evaluation)
    _other(document, evaluation)
    _signature(document, evaluation)
    if findings is not None:
        add_findings_annex(document, findings, TEXT_WIDTH_CM)
    return document


def _paragraph(document: DocumentObject, text: str, style: str | None = None) -> None:
    paragraph = add_paragraph(document, clean(text), style)
    if text.endswith("：") or text.endswith("下表："):
        paragraph.paragraph_format.keep_with_next = True  # an introduction stays with its table


def _items(document: DocumentObject, items: list[str]) -> None:
    if not items:
        _paragraph(document, NO_DATA)
    for n, item in enumerate(items, start=1):
        _paragraph(document, f"{n}. {item}" if len(items) > 1 else item)


def _image(document: DocumentObject, png: bytes, caption: str) -> None:
    paragraph = add_paragraph(document, style="Caption")
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM * 0.9))
    paragraph.paragraph_format.keep_with_next = True
    _paragraph(document, caption, "Caption")


def _title(document: DocumentObject, evaluation: Evaluation) -> None:
    name = clean(evaluation.project.name)
    year = f"{evaluation.year}年度" if evaluation.year and str(evaluation.year) not in name else ""
    _paragraph(document, f"{year}{name}绩效评价报告", "Title")
    by = [
        clean(x)
        for x in (evaluation.evaluator, evaluation.project.unit if evaluation.kind is Kind.self else None)
        if x
    ]
    if by:
        _paragraph(document, "评价单位：" + by[0], "Caption")


def _basics(document: DocumentObject, evaluation: Evaluation, score: ScoreResult) -> None:
    _paragraph(document, "一、基本情况", "Heading 1")
    _paragraph(document, "（一）项目概况", "Heading 2")
    project = evaluation.project
    facts = [
        ("项目名称", project.name),
        ("主管部门", " ".join(x for x in (project.department, project.department_code) if x)),
        ("实施单位", project.unit),
        ("项目属性", {"recurring": "经常性项目", "one_off": "一次性项目"}.get(project.attribute or "", "")),
        ("项目期", "至".join(str(d) for d in (project.period_start, project.period_end) if d)),
        ("评价类型", KIND_NAMES[evaluation.kind]),
        ("委托评价单位", evaluation.commissioner),
        ("评价机构", evaluation.evaluator),
    ]
    _paragraph(document, "；".join(f"{k}：{clean(v)}" for k, v in facts if v) + "。")
    _paragraph(document, project.description or "项目概况：" + NO_DATA)
    _funds(document, evaluation, score)
    _paragraph(document, "（二）项目绩效目标", "Heading 2")
    goals = evaluation.goals
    texts = [t for t in (goals.overall, goals.annual) if t]
    _items(document, texts)
    if goals.achieved:
        _paragraph(document, "实际完成情况：" + goals.achieved)
    _targets(document, score)


def _funds(document: DocumentObject, evaluation: Evaluation, score: ScoreResult) -> None:
    funds = evaluation.funds
    lines = [funds.total, *funds.lines]
    stages = [(s, label) for s, label in FUND_STAGES if any(getattr(line, s) is not None for line in lines)]
    if not stages:
        _paragraph(document, "项目资金：" + NO_DATA)
        return
    _paragraph(document, f"项目资金情况如下表（单位：{funds.unit}）：")
    rows = [
        ["合计" if line is funds.total else fund_label(line.source, line.label)]
        + [plain(getattr(line, stage)) for stage, _ in stages]
        for line in lines
    ]
    widths = [4.0] + [11.6 / len(stages)] * len(stages)
    simple_table(document, widths, ["资金来源", *(label for _, label in stages)], rows)
    rates: list[str] = []
    if funds.execution_rate is not None and funds.execution_rate.text:
        rates.append(f"报告列示预算执行率 {clean(funds.execution_rate.text)}")
    if score.execution_rate is not None:
        rates.append(f"按资金数据计算预算执行率 {percent_text(score.execution_rate)}")
    if funds.arrival_rate is not None and funds.arrival_rate.text:
        rates.append(f"报告列示资金到位率 {clean(funds.arrival_rate.text)}")
    if score.arrival_rate is not None:
        rates.append(f"按资金数据计算资金到位率 {percent_text(score.arrival_rate)}")
    for item in funds.items:
        rates.append(f"{clean(item.label)} {plain(item.amount)}{funds.unit}")
    if rates:
        _paragraph(document, "；".join(rates) + "。")
    if charts.has_funds(evaluation):
        _image(document, charts.funds_chart(evaluation), "图1 项目资金情况")


def _targets(document: DocumentObject, score: ScoreResult) -> None:
    rows = [s for s in score.indicators if s.target or s.actual]
    if not rows:
        return
    _paragraph(document, "年度绩效指标及完成情况如下表：")
    header = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率")
    values = [[s.level1, s.level2, s.name, s.target, s.actual, percent_text(s.completion)] for s in rows]
    simple_table(document, [2.0, 2.4, 3.6, 2.6, 2.6, 2.4], header, values)


def _work(document: DocumentObject, evaluation: Evaluation) -> None:
    _paragraph(document, "二、绩效评价工作开展情况", "Heading 1")
    _paragraph(document, "（一）评价目的、对象和范围", "Heading 2")
    scope = [f"评价对象：{clean(evaluation.project.name)}"]
    if evaluation.funds.total.budget is not None:
        scope.append(f"评价范围：项目资金 {plain(evaluation.funds.total.budget)}{evaluation.funds.unit}")
    _paragraph(
        document,
        "；".join(scope) + "。评价目的：" + (clean(evaluation.purpose) if evaluation.purpose else NO_DATA),
    )
    _paragraph(document, "（二）评价原则、评价指标体系、评价方法、评价标准", "Heading 2")
    counts = evaluation.indicator_counts
    if counts is not None and any(x is not None for x in (counts.level1, counts.level2, counts.level3)):
        parts = [
            f"{n} 个{name}指标"
            for n, name in ((counts.level1, "一级"), (counts.level2, "二级"), (counts.level3, "三级"))
            if n
        ]
        _paragraph(document, "评价指标体系：共 " + "、".join(parts) + "。")
    elif evaluation.indicators:
        levels = list(dict.fromkeys(i.level1 for i in evaluation.indicators))
        _paragraph(
            document,
            f"评价指标体系：一级指标 {'、'.join(levels)}，共列示 {len(evaluation.indicators)} 项指标。",
        )
    else:
        _paragraph(document, "评价指标体系：" + NO_DATA)
    _paragraph(
        document,
        "评价方法："
        + ("、".join(clean(m) for m in evaluation.methods) + "。" if evaluation.methods else NO_DATA),
    )
    _paragraph(document, "评价依据：" + ("" if evaluation.basis else NO_DATA))
    if evaluation.basis:
        _items(document, [f"{b}" for b in evaluation.basis])
    _paragraph(document, "（三）评价工作过程", "Heading 2")
    dates = evaluation.dates
    span = "至".join(str(d) for d in (dates.work_start, dates.work_end) if d)
    if span:
        _paragraph(document, f"评价工作时间：{span}。")
    if dates.timeline:
        _items(document, dates.timeline)
    elif not span:
        _paragraph(document, NO_DATA)


def _conclusion(document: DocumentObject, evaluation: Evaluation, score: ScoreResult) -> None:
    _paragraph(document, "三、综合评价情况及评价结论", "Heading 1")
    _paragraph(document, grade_line(score, evaluation.claims.grade))
    if score.levels:
        _paragraph(document, "一级指标得分及得分率见下表：")
        add_level_table(document, score, TEXT_WIDTH_CM)
        if charts.has_level_rates(score):
            _image(document, charts.level_rate_chart(score), "图2 一级指标得分率")
    if score.granularity != "indicator":
        _paragraph(
            document,
            "报告未列示三级指标得分，得分只能核对到"
            + ("一级指标。" if score.granularity == "level" else "总分。"),
        )


def _analysis(document: DocumentObject, evaluation: Evaluation, score: ScoreResult) -> None:
    _paragraph(document, "四、绩效评价指标分析", "Heading 1")
    if not score.levels:
        _paragraph(document, NO_DATA)
        return
    for n, level in enumerate(score.levels):
        _paragraph(document, f"（{CHINESE_NUMBERS[n % 10]}）{clean(level.name)}指标分析", "Heading 2")
        summary = f"该部分分值 {plain(level.weight)} 分"
        if level.claimed is not None:
            summary += f"，报告得分 {plain(level.claimed)} 分"
        if level.computed is not None:
            summary += f"，按规则计算得分 {score_text(level.computed)} 分"
        if level.rate is not None:
            summary += f"，得分率 {percent_text(level.rate)}"
        _paragraph(document, summary + "。")
        lines = [score.indicators[i] for i in level.indicators if i < len(score.indicators)]
        if not lines:
            _paragraph(document, "报告未列示该部分的三级指标，无法逐项分析。")
        for k, s in enumerate(lines, start=1):
            indicator = evaluation.indicators[s.index] if s.index < len(evaluation.indicators) else None
            head = f"{k}. {clean(s.name or s.level2 or s.level1)}（分值 {plain(s.weight)} 分"
            head += f"，报告得分 {plain(s.claimed)} 分" if s.claimed is not None else ""
            head += f"，计算得分 {score_text(s.computed)} 分）" if s.computed is not None else "）"
            _paragraph(document, head + "：" + (clean(s.explanation) or "无计算说明") + "。")
            if indicator is not None and indicator.explanation:
                _paragraph(document, "指标解释：" + indicator.explanation)
            if indicator is not None and indicator.deviation_reason:
                _paragraph(document, "偏差原因：" + indicator.deviation_reason)
    if any(s.weight is not None for s in score.indicators):
        _paragraph(document, "各项指标得分及计算过程：")
        add_indicator_table(document, score, TEXT_WIDTH_CM)
    if charts.has_completion(score):
        _image(document, charts.completion_chart(evaluation, score), "图3 绩效指标完成率")


def _lessons(document: DocumentObject, evaluation: Evaluation) -> None:
    _paragraph(document, "五、主要经验及做法、存在的问题及原因分析", "Heading 1")
    _paragraph(document, "（一）主要经验及做法", "Heading 2")
    _items(document, evaluation.experience)
    _paragraph(document, "（二）存在的问题及原因分析", "Heading 2")
    _items(document, evaluation.problems)


def _suggestions(document: DocumentObject, evaluation: Evaluation) -> None:
    _paragraph(document, "六、有关建议", "Heading 1")
    _items(document, evaluation.suggestions)


def _other(document: DocumentObject, evaluation: Evaluation) -> None:
    _paragraph(document, "七、其他需要说明的问题", "Heading 1")
    _paragraph(document, evaluation.other or NO_DATA)


def _signature(document: DocumentObject, evaluation: Evaluation) -> None:
    people = [p for p in evaluation.evaluators if p.name]
    if people:
        _paragraph(
            document,
            "评价人员：" + "、".join(clean(p.name + (f"（{p.title}）" if p.title else "")) for p in people),
        )
    when = evaluation.dates.report or evaluation.dates.filled
    if when:
        _paragraph(document, f"报告日期：{when.year}年{when.month}月{when.day}日")
