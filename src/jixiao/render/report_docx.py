"""绩效评价报告 as Word, in the 财预〔2020〕10号 附件3 outline, filled from the evaluation.

Every section prints what the evaluation holds and invents nothing.  What a section lacks is said
once, at its end (``评价目的、评价方法：报告未提供相关内容。``); a subsection with nothing behind it
is left out (the others are numbered on), and a section with nothing at all says only
“报告未提供相关内容。”.  A unit's own self-evaluation (``kind: self``) speaks as the unit: 绩效自评报告,
自评得分, the unit's name and the date at the foot; other kinds speak as the evaluator (评价得分).
Scores, rates and explanations come from the ``ScoreResult``.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from jixiao.findings import Finding
from jixiao.model import Evaluation, Kind
from jixiao.office import clean
from jixiao.render import charts
from jixiao.render.annex import add_findings_annex
from jixiao.render.docx_tables import simple_table
from jixiao.render.score_tables import add_indicator_table, add_level_table, grade_line
from jixiao.render.template import new_document
from jixiao.render.text import Voice, fund_label, missing_text, percent_text, plain, score_text, voice
from jixiao.render.typography import add_page_numbers, add_paragraph, has_page_field, setup_page
from jixiao.scoring.result import IndicatorScore, ScoreResult
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
    speaker = voice(evaluation)
    _title(document, evaluation, speaker)
    _basics(document, evaluation, score, speaker)
    _work(document, evaluation)
    _conclusion(document, evaluation, score, speaker)
    _analysis(document, evaluation, score, speaker)
    _lessons(document, evaluation)
    _suggestions(document, evaluation)
    _other(document, evaluation)
    _signature(document, evaluation, speaker)
    if findings is not None:
        add_findings_annex(document, findings, TEXT_WIDTH_CM)
    return document


def _paragraph(document: DocumentObject, text: str, style: str | None = None) -> Paragraph:
    paragraph = add_paragraph(document, clean(text), style)
    if text.endswith("：") or text.endswith("下表："):
        paragraph.paragraph_format.keep_with_next = True  # an introduction stays with its table
    return paragraph


EMPTY_SECTION = "无。"


class _Section:
    """A first-level section (一、…): subsections numbered as they are written, gaps said once at the end."""

    def __init__(self, document: DocumentObject, heading: str) -> None:
        self.document = document
        self.gaps: list[str] = []
        self.subsections = 0
        self.written = False
        _paragraph(document, heading, "Heading 1")

    def sub(self, title: str) -> None:
        """A subsection heading, （一）, （二）… in the order written."""
        _paragraph(self.document, f"（{CHINESE_NUMBERS[self.subsections % 10]}）{title}", "Heading 2")
        self.subsections += 1
        self.written = True

    def say(self, text: str) -> None:
        _paragraph(self.document, text)
        self.written = True

    def items(self, items: list[str]) -> None:
        for n, item in enumerate(items, start=1):
            self.say(f"{n}. {item}" if len(items) > 1 else item)

    def gap(self, name: str) -> None:
        """Something the evaluation does not hold: named in the section's one closing sentence."""
        self.gaps.append(name)

    def close(self) -> None:
        """Say what the section lacks, once; a section with nothing at all says 无 (the one sentence
        about missing content is kept for what a section partly lacks, so it is never repeated bare)."""
        if not self.written:
            _paragraph(self.document, EMPTY_SECTION)
        elif self.gaps:
            _paragraph(self.document, missing_text(self.gaps))


def _image(document: DocumentObject, png: bytes, caption: str) -> None:
    paragraph = add_paragraph(document, style="Caption")
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM * 0.9))
    paragraph.paragraph_format.keep_with_next = True
    _paragraph(document, caption, "Caption")


def _title(document: DocumentObject, evaluation: Evaluation, speaker: Voice) -> None:
    name = clean(evaluation.project.name)
    year = f"{evaluation.year}年度" if evaluation.year and str(evaluation.year) not in name else ""
    _paragraph(document, f"{year}{name}{speaker.title}", "Title")
    if evaluation.kind is not Kind.self and evaluation.evaluator:
        _paragraph(document, "评价单位：" + clean(evaluation.evaluator), "Caption")


def _basics(document: DocumentObject, evaluation: Evaluation, score: ScoreResult, speaker: Voice) -> None:
    section = _Section(document, "一、基本情况")
    section.sub("项目概况")
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
    section.say("；".join(f"{k}：{clean(v)}" for k, v in facts if v) + "。")
    if project.description:
        section.say(project.description)
    else:
        section.gap("项目主要内容")
    _funds(section, evaluation, score, speaker)
    goals = evaluation.goals
    texts = [t for t in (goals.overall, goals.annual) if t]
    targets = [s for s in score.indicators if s.target or s.actual]
    if not (texts or goals.achieved or targets):
        section.gap("项目绩效目标")
    else:
        section.sub("项目绩效目标")
        section.items(texts)
        if not texts:
            section.gap("总体目标和年度目标")
        if goals.achieved:
            section.say("实际完成情况：" + goals.achieved)
        _targets(document, targets)
    section.close()


def _funds(section: _Section, evaluation: Evaluation, score: ScoreResult, speaker: Voice) -> None:
    document = section.document
    funds = evaluation.funds
    lines = [funds.total, *funds.lines]
    stages = [(s, label) for s, label in FUND_STAGES if any(getattr(line, s) is not None for line in lines)]
    if not stages:
        section.gap("项目资金")
        return
    section.say(f"项目资金情况如下表（单位：{funds.unit}）：")
    rows = [
        ["合计" if line is funds.total else fund_label(line.source, line.label)]
        + [plain(getattr(line, stage)) for stage, _ in stages]
        for line in lines
    ]
    widths = [4.0] + [11.6 / len(stages)] * len(stages)
    simple_table(document, widths, ["资金来源", *(label for _, label in stages)], rows)
    rates: list[str] = []
    if funds.execution_rate is not None and funds.execution_rate.text:
        rates.append(f"{speaker.printed}预算执行率 {clean(funds.execution_rate.text)}")
    if score.execution_rate is not None:
        rates.append(f"按资金数据计算预算执行率 {percent_text(score.execution_rate)}")
    if funds.arrival_rate is not None and funds.arrival_rate.text:
        rates.append(f"{speaker.printed}资金到位率 {clean(funds.arrival_rate.text)}")
    if score.arrival_rate is not None:
        rates.append(f"按资金数据计算资金到位率 {percent_text(score.arrival_rate)}")
    for item in funds.items:
        rates.append(f"{clean(item.label)} {plain(item.amount)}{funds.unit}")
    if rates:
        section.say("；".join(rates) + "。")
    if charts.has_funds(evaluation):
        _image(document, charts.funds_chart(evaluation), "图1 项目资金情况")


def _targets(document: DocumentObject, rows: list[IndicatorScore]) -> None:
    if not rows:
        return
    _paragraph(document, "年度绩效指标及完成情况如下表：")
    header = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率")
    values = [[s.level1, s.level2, s.name, s.target, s.actual, percent_text(s.completion)] for s in rows]
    simple_table(document, [2.0, 2.4, 3.6, 2.6, 2.6, 2.4], header, values)


def _work(document: DocumentObject, evaluation: Evaluation) -> None:
    section = _Section(document, "二、绩效评价工作开展情况")
    section.sub("评价目的、对象和范围")
    scope = [f"评价对象：{clean(evaluation.project.name)}"]
    if evaluation.funds.total.budget is not None:
        scope.append(f"评价范围：项目资金 {plain(evaluation.funds.total.budget)}{evaluation.funds.unit}")
    if evaluation.purpose:
        scope.append("评价目的：" + clean(evaluation.purpose).rstrip("。"))
    else:
        section.gap("评价目的")
    section.say("；".join(scope) + "。")

    system = _indicator_system(evaluation)
    methods = "、".join(clean(m) for m in evaluation.methods)
    if system or methods or evaluation.basis:
        section.sub("评价原则、评价指标体系、评价方法、评价标准")
    for text, name in ((system, "评价指标体系"), (methods and f"评价方法：{methods}。", "评价方法")):
        if text:
            section.say(text)
        else:
            section.gap(name)
    if evaluation.basis:
        section.say("评价依据：")
        section.items(evaluation.basis)
    else:
        section.gap("评价依据")

    dates = evaluation.dates
    span = "至".join(str(d) for d in (dates.work_start, dates.work_end) if d)
    if span or dates.timeline:
        section.sub("评价工作过程")
        if span:
            section.say(f"评价工作时间：{span}。")
        section.items(dates.timeline)
    else:
        section.gap("评价工作过程")
    section.close()


def _indicator_system(evaluation: Evaluation) -> str:
    """``评价指标体系：共 4 个一级指标、…。`` from the printed counts or the listed indicators; "" when neither."""
    counts = evaluation.indicator_counts
    if counts is not None and any(x is not None for x in (counts.level1, counts.level2, counts.level3)):
        parts = [
            f"{n} 个{name}指标"
            for n, name in ((counts.level1, "一级"), (counts.level2, "二级"), (counts.level3, "三级"))
            if n
        ]
        if parts:
            return "评价指标体系：共 " + "、".join(parts) + "。"
    if evaluation.indicators:
        levels = list(dict.fromkeys(i.level1 for i in evaluation.indicators if i.level1))
        listed = f"一级指标 {'、'.join(levels)}，" if levels else ""
        return f"评价指标体系：{listed}共列示 {len(evaluation.indicators)} 项指标。"
    return ""


def _conclusion(document: DocumentObject, evaluation: Evaluation, score: ScoreResult, speaker: Voice) -> None:
    section = _Section(document, "三、综合评价情况及评价结论")
    section.say(grade_line(score, evaluation.claims.grade, speaker))
    if score.levels:
        section.say("一级指标得分及得分率见下表：")
        add_level_table(document, score, TEXT_WIDTH_CM, speaker)
        if charts.has_level_rates(score):
            _image(document, charts.level_rate_chart(score), "图2 一级指标得分率")
    if score.granularity != "indicator":
        section.say(
            "未列示三级指标得分，得分只能核对到"
            + ("一级指标。" if score.granularity == "level" else "总分。")
        )
    section.close()


def level_heading(name: str) -> str:
    """``产出指标分析`` for a level named 产出 or 产出指标 (never 产出指标指标分析)."""
    name = clean(name)
    return f"{name}分析" if name.endswith("指标") else f"{name}指标分析"


def _analysis(document: DocumentObject, evaluation: Evaluation, score: ScoreResult, speaker: Voice) -> None:
    section = _Section(document, "四、绩效评价指标分析")
    for level in score.levels:
        section.sub(level_heading(level.name))
        summary = f"该部分分值 {plain(level.weight)} 分"
        if level.claimed is not None:
            summary += f"，{speaker.score} {plain(level.claimed)} 分"
        if level.computed is not None:
            summary += f"，按规则计算得分 {score_text(level.computed)} 分"
        if level.rate is not None:
            summary += f"，得分率 {percent_text(level.rate)}"
        section.say(summary + "。")
        lines = [score.indicators[i] for i in level.indicators if i < len(score.indicators)]
        if not lines:
            section.say("该部分未列示三级指标，无法逐项分析。")
        for k, s in enumerate(lines, start=1):
            indicator = evaluation.indicators[s.index] if s.index < len(evaluation.indicators) else None
            head = f"{k}. {clean(s.name or s.level2 or s.level1)}（分值 {plain(s.weight)} 分"
            head += f"，{speaker.score} {plain(s.claimed)} 分" if s.claimed is not None else ""
            head += f"，计算得分 {score_text(s.computed)} 分）" if s.computed is not None else "）"
            section.say(head + "：" + (clean(s.explanation).rstrip("。") or "无计算说明") + "。")
            if indicator is not None and indicator.explanation:
                section.say("指标解释：" + indicator.explanation)
            if indicator is not None and indicator.deviation_reason:
                section.say("偏差原因：" + indicator.deviation_reason)
    if score.levels and any(s.weight is not None for s in score.indicators):
        section.say("各项指标得分及计算过程：")
        add_indicator_table(document, score, TEXT_WIDTH_CM, speaker)
    if score.levels and charts.has_completion(score):
        _image(document, charts.completion_chart(evaluation, score), "图3 绩效指标完成率")
    section.close()


def _lessons(document: DocumentObject, evaluation: Evaluation) -> None:
    section = _Section(document, "五、主要经验及做法、存在的问题及原因分析")
    for title, items in (
        ("主要经验及做法", evaluation.experience),
        ("存在的问题及原因分析", evaluation.problems),
    ):
        if items:
            section.sub(title)
            section.items(items)
        else:
            section.gap(title)
    section.close()


def _suggestions(document: DocumentObject, evaluation: Evaluation) -> None:
    section = _Section(document, "六、有关建议")
    section.items(evaluation.suggestions)
    section.close()


def _other(document: DocumentObject, evaluation: Evaluation) -> None:
    section = _Section(document, "七、其他需要说明的问题")
    if evaluation.other:
        section.say(evaluation.other)
    section.close()


def _signature(document: DocumentObject, evaluation: Evaluation, speaker: Voice) -> None:
    """Who did the work and when; a unit's own report ends with the unit's name and the date (落款)."""
    people = [p for p in evaluation.evaluators if p.name]
    if people:
        _paragraph(
            document,
            f"{speaker.people}："
            + "、".join(clean(p.name + (f"（{p.title}）" if p.title else "")) for p in people),
        )
    when = evaluation.dates.report or evaluation.dates.filled
    date = f"{when.year}年{when.month}月{when.day}日" if when else ""
    if evaluation.kind is not Kind.self:
        if date:
            _paragraph(document, f"报告日期：{date}")
        return
    for n, line in enumerate(x for x in (clean(evaluation.project.unit), date) if x):
        paragraph = _paragraph(document, line)
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = Pt(0)
        fmt.right_indent = Pt(64)  # 公文: 成文日期右空四字
        if n == 0:
            fmt.space_before = Pt(28)
