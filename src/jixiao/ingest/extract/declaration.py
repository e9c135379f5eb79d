"""Target declarations (绩效目标申报表) read from documents: recognised, then read into a
:class:`~jixiao.declaration.Declaration` with every value's provenance.

A document is a declaration when it is titled as one (the layouts' ``titles``: 绩效目标申报表,
项目支出绩效目标表, 绩效目标审核表 …) or holds targets but nothing evaluated (an indicator table with
target values and no score, weight-score or actual column, beside a declaration's own labels:
中期目标, 年度资金总额, 是否新增项目 …), and no table of it prints scores or actual values.
Labels, funds and column heads come from the layout files (``declaration_layouts/*.yaml``), so
the reader is keyed to no file; a value is filled only when the evidence is unambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jixiao.declaration import Declaration, Novelty, Period, TargetSet
from jixiao.findings import Finding
from jixiao.ingest.document import Document, Paragraph
from jixiao.ingest.extract.context import Context, clean
from jixiao.ingest.extract.declaration_funds import (
    amount_name,
    as_wan,
    extract_declaration_funds,
    shows_yuan,
    wan_printed,
)
from jixiao.ingest.extract.declaration_layout import (
    best_layout,
    field_of,
    fund_label_of,
    fund_line_of,
    lexicon,
    reduce_label,
)
from jixiao.ingest.extract.declaration_targets import Tables, extract_target_tables, split_goals
from jixiao.model import Form, Project, Source

__all__ = [
    "SLIP",
    "Recognition",
    "Value",
    "extract_declaration",
    "labelled_values",
    "note_unit_slip",
    "printed_wan",
    "recognise",
]

# documents of evaluation: never read as declarations, whatever indicator tables they hold
_EVALUATION_FORMS = {
    Form.self_table,
    Form.self_report,
    Form.evaluation_report,
    Form.dept_self_table,
    Form.dept_self_report,
    Form.transfer_self_table,
}
_NOT_A_DECLARATION_TITLE = re.compile(r"自评|评价|监控|执行情况|完成情况|运行监控|决算")
_OWN_LABELS = ("medium_goals", "annual_goals", "novelty", "period", "allocation")
_GOAL_FIELDS = ("medium_goals", "annual_goals", "overall_goals")


@dataclass
class Value:
    """A labelled value: the field it is for, its text as printed (raw, line breaks kept) and source."""

    field: str
    raw: str
    source: Source

    @property
    def text(self) -> str:
        """The value cleaned (whitespace collapsed)."""
        return clean(self.raw)


@dataclass
class Recognition:
    """Why a document is read as a declaration: the title that says so and what its tables show."""

    title: str | None
    layout: str
    message: str  # the info finding users read (按绩效目标申报表读取：……)
    labels: list[str] = field(default_factory=list)


_INLINE = re.compile(r"^\s*([^:：\s]{2,24})\s*[:：]\s*(.*)$", re.S)


_MACHINE_KEY = re.compile(r"[a-z][a-z0-9_]*(?:[.:][a-z0-9_]+)+")


def _right(cells: list[str], c: int) -> tuple[int, str] | None:
    """The value right of a label: the next filled cell that repeats no label (merged cells
    print their text in every column they span)."""
    label = cells[c]
    for j in range(c + 1, len(cells)):
        text = cells[j]
        if not text.strip() or clean(text) == clean(label) or _MACHINE_KEY.fullmatch(text.strip()):
            continue  # a merged label repeated, or the row key a jixiao form hides beside its rows
        if field_of(text) or fund_label_of(text):
            return None
        return j, text
    return None


def labelled_values(ctx: Context) -> dict[str, list[Value]]:
    """Every value the layouts' labels name, by field, in document order."""
    out: dict[str, list[Value]] = {}

    def add(name: str, raw: str, source: Source) -> None:
        if clean(raw) and not field_of(raw):
            out.setdefault(name, []).append(
                Value(name, raw.strip(), source.model_copy(update={"text": clean(raw)}))
            )

    for table in ctx.doc.tables:
        rows = table.rows
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                text = clean(cell)
                if not text or (c and text == clean(row[c - 1])):
                    continue  # a merged cell repeated over its columns
                name = field_of(text)
                if name is not None:
                    found = _right(row, c)
                    if found is not None:
                        add(name, found[1], ctx.cell(table, r, found[0]))
                    elif name in _GOAL_FIELDS and r + 1 < len(rows):
                        below = rows[r + 1]
                        stop = next(
                            (j for j in range(c + 1, len(row)) if clean(row[j]) and clean(row[j]) != text),
                            len(below),
                        )
                        cell_below = next(
                            ((j, below[j]) for j in range(c, min(stop, len(below))) if clean(below[j])), None
                        )
                        if cell_below is not None and not field_of(cell_below[1]):
                            add(name, cell_below[1], ctx.cell(table, r + 1, cell_below[0]))
                    continue
                m = _INLINE.match(cell)
                if m and (name := field_of(m.group(1))) is not None:
                    if m.group(2).strip():
                        add(name, m.group(2), ctx.cell(table, r, c))
                    elif (found := _right(row, c)) is not None:
                        add(name, found[1], ctx.cell(table, r, found[0]))
    paras = ctx.doc.paragraphs
    for i, para in enumerate(paras):
        m = _INLINE.match(para.text)
        if m and (name := field_of(m.group(1))) is not None and m.group(2).strip():
            add(name, m.group(2), ctx.para(para))
            continue
        name = field_of(para.text) if len(clean(para.text)) <= 24 else None
        if (m and name is None and field_of(m.group(1))) or name is not None:
            name = name or field_of(m.group(1) if m else "")
            if name is not None and i + 1 < len(paras) and not field_of(paras[i + 1].text):
                following = paras[i + 1]
                if not _INLINE.match(following.text) or name in _GOAL_FIELDS:
                    add(name, following.text, ctx.para(following))
    return out


def _first(values: dict[str, list[Value]], name: str) -> Value | None:
    found = values.get(name)
    return found[0] if found else None


_CONTENTS_LINE = re.compile(r"[.．…·]{4,}|[.．…·]{2,}\s*\d{1,3}$")


def title_of(ctx: Context, project: str | None = None) -> str | None:
    """The document's declaration title (a first title-like line the layouts name; one naming
    ``project`` first, since a compilation prints the next form's title before its table), or None.
    A line of a table of contents (``五、项目绩效目标表 ……… 16``) is no title."""
    pattern = lexicon().titles
    if pattern is None:
        return None
    seen = 0
    found: list[str] = []
    for block in ctx.doc.blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [c for row in block.rows[:3] for c in row]
        for raw in texts:
            text = clean(raw)
            if not text or len(text) > 60 or text.endswith(("。", "；", "，")) or _CONTENTS_LINE.search(text):
                continue
            seen += 1
            if pattern.search(text.replace(" ", "")) and not _NOT_A_DECLARATION_TITLE.search(text):
                found.append(text)
        if seen > 40:
            break
    if project and found:
        key = project.replace(" ", "")
        named = [t for t in found if key in t.replace(" ", "") or _generic(t)]
        return named[0] if named else f"{found[0]}{_ANOTHER}"
    return found[0] if found else None


_ANOTHER = "（另一表的标题）"  # a compilation's next form's title, printed within this part


_FORM_WORDS = re.compile(r"(?:[一二三四五六七八九十\d]+[、.．])?(?:二级)?(?:部门)?(?:项目)?(?:支出)?")


def _generic(title: str) -> bool:
    """A title naming no project: the form's name with a year, a bracket or a number at most."""
    pattern = lexicon().titles
    rest = re.sub(r"(?:19|20)\d{2}\s*年度?|[（(][^)）]*[)）]|附件\s*\d*[:：]?|\s", "", title)
    return pattern is not None and bool(_FORM_WORDS.fullmatch(pattern.sub("", rest)))


def recognise(ctx: Context, tables: Tables | None = None, *, part: bool = False) -> Recognition | None:
    """Whether a document is a declaration, and why (None: it is read as an evaluation).

    ``part``: the document is one project's part of a larger one (a sheet, a form of a
    compilation), so a 预算 title it shares with the others does not make it the budget."""
    from jixiao.ingest.extract.meta import form_of

    form = form_of(ctx)
    if form in _EVALUATION_FORMS:  # cheap tests first: most documents read are evaluations
        return None
    values = labelled_values(ctx)
    project = _first(values, "project")
    title = title_of(ctx, project.text if project is not None else None)
    if title is None and form in (Form.budget, Form.final_accounts) and not part:
        return None
    tables = tables if tables is not None else extract_target_tables(Context(ctx.doc))
    if tables.evaluated:
        return None
    own: list[str] = []
    funds = False
    if title is None:
        own = [n for n in _OWN_LABELS if n in values]
        funds = any(fund_label_of(c) for _, _, cells in ctx.rows(include_consumed=True) for c in cells if c)
    labels = {
        reduce_label(c)[0]
        for _, _, cells in ctx.rows(include_consumed=True)
        for c in cells
        if c and field_of(c)
    }
    indicators = len(tables.medium) + len(tables.annual)
    table_said = f"指标表有目标值、无得分列（{indicators}项指标）" if tables.heads else "未见指标表"
    if title is not None and title.endswith(_ANOTHER):  # the part prints the next form's title only
        title = title.removesuffix(_ANOTHER)
        message = f"按绩效目标申报表读取：所在文件为绩效目标表汇编（印有“{title}”），{table_said}"
        title = None
    elif title is not None:
        message = f"按绩效目标申报表读取：标题“{title}”，{table_said}"
    elif part and form in (Form.budget, Form.final_accounts, Form.target) and indicators:
        message = f"按绩效目标申报表读取：为预算文件中各项目绩效目标表的一部分，{table_said}、无实际完成值列"
    elif tables.heads and (own or funds):
        named = (
            "、".join(
                {
                    "medium_goals": "中期目标",
                    "annual_goals": "年度目标",
                    "novelty": "是否新增项目",
                    "period": "项目期",
                    "allocation": "分配方式",
                }[n]
                for n in own
            )
            or "资金总额"
        )
        message = f"按绩效目标申报表读取：未见评价类标题，{table_said}、无实际完成值列，且印有{named}"
    else:
        return None
    return Recognition(title, best_layout(title, labels), message, sorted(labels))


_CODE_FIRST = re.compile(r"^[\[【［(（]\s*(\d{2,20})\s*[\]】］)）]\s*(.+)$")
_CODE_LAST = re.compile(r"^(.+?)\s*[\[【［(（]\s*(\d{2,20})\s*[\]】］)）]$")
_CODE_SPACE = re.compile(r"^(\d{2,20})\s+(\S.*)$")


def split_org_code(text: str) -> tuple[str, str | None]:
    """An organisation printed with its code (``[105]教育部``, ``教育部（105）``, ``105 教育部``)."""
    for pattern, name_group, code_group in ((_CODE_FIRST, 2, 1), (_CODE_LAST, 1, 2), (_CODE_SPACE, 2, 1)):
        m = pattern.match(text)
        if m:
            return m.group(name_group).strip(), m.group(code_group)
    return text, None


_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:[-—–~～至到]+)\s*((?:19|20)\d{2})\s*年?")
_YEARS = re.compile(r"^\s*(\d{1,2})\s*(?:年|个年度|年度)?\s*$")
_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?")


def period_of(text: str) -> tuple[int | None, date | None, date | None]:
    """项目期 as printed: ``3`` / ``3年`` → 3 years; ``2023-2025年`` → 3 years, from 2023 to 2025."""
    m = _RANGE.search(text)
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if start <= end:
            return end - start + 1, date(start, 1, 1), date(end, 12, 31)
        return None, None, None
    m = _YEARS.match(text)
    if m and 1 <= int(m.group(1)) <= 50:
        return int(m.group(1)), None, None
    return None, None, None


def _year(ctx: Context, values: dict[str, list[Value]], title: str | None) -> int | None:
    labelled = _first(values, "year")
    if labelled is not None and (m := _YEAR_TITLE.search(labelled.text)):
        return int(m.group(1))
    lines: list[str] = [title] if title else []
    for block in ctx.doc.blocks[:6]:
        texts = [block.text] if isinstance(block, Paragraph) else [c for row in block.rows[:3] for c in row]
        lines += [clean(t) for t in texts if t and len(clean(t)) <= 40]
    for text in lines:
        m = re.fullmatch(r"[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?", text.replace(" ", ""))
        if m:
            return int(m.group(1))
    if title and (m := re.match(r"^((?:19|20)\d{2})\s*年度?", title)):
        return int(m.group(1))
    return _year_as_evaluations(ctx)


def _year_as_evaluations(ctx: Context) -> int | None:
    """The year as the evaluation reader finds it (XXXX年度 in the text, 测算依据：2023年度申报预算…),
    its inferences said of the budget year."""
    from jixiao.ingest.extract.labels import collect
    from jixiao.ingest.extract.meta import year_of

    other = Context(ctx.doc)
    year = year_of(other, collect(other), None, None)
    for f in other.findings:
        ctx.findings.append(f.model_copy(update={"message": f.message.replace("评价年度", "预算年度")}))
    return year


def _project(ctx: Context, values: dict[str, list[Value]]) -> Project:
    def text(name: str) -> str | None:
        v = _first(values, name)
        return v.text if v is not None else None

    name = text("project") or "（未能识别项目名称）"
    project = Project(name=name, code=text("project_code"))
    department = text("department")
    if department:
        project.department, project.department_code = split_org_code(department)
    code = text("department_code")
    if code and project.department_code is None:
        project.department_code = code
    unit = text("unit")
    if unit:
        project.unit = split_org_code(unit)[0]
    category = text("category")
    if category:
        project.category = category
    for v in values.get("attribute", []):
        if "经常" in v.text:
            project.attribute = "recurring"
        elif "一次" in v.text:
            project.attribute = "one_off"
    return project


def _novelty(values: dict[str, list[Value]]) -> Novelty | None:
    for v in values.get("novelty", []):
        if re.fullmatch(r"是|新增(?:项目)?|新增", v.text):
            return Novelty.new
        if re.fullmatch(r"否|延续(?:项目)?|非新增", v.text):
            return Novelty.continuing
    for v in values.get("attribute", []):
        if "新增" in v.text:
            return Novelty.new
        if "延续" in v.text or "续建" in v.text:
            return Novelty.continuing
    return None


def _goals(values: dict[str, list[Value]], name: str) -> tuple[list[str], Source | None]:
    v = _first(values, name)
    if v is None:
        return [], None
    return split_goals(v.raw), v.source


def printed_wan(declaration: Declaration, ctx: Context | None = None) -> set[Decimal]:
    """Every amount the declaration (and the document's prose, with ``ctx``) prints with 万."""
    texts = [ctx.flow.text] if ctx is not None else []
    for ind in declaration.indicators():
        texts += [f.text for f in (ind.target, ind.last_actual) if f is not None and f.text]
        texts += [ind.explanation or ""]
    texts += [declaration.funds.estimate or "", *(g for s in declaration.target_sets() for g in s.goals)]
    return wan_printed(texts)


SLIP = "ingest.unit-slip"


def note_unit_slip(ctx: Context, declaration: Declaration) -> bool:
    """Amounts labelled 万元 that the document shows are 元 (an amount ÷ 10 000 printed with 万
    elsewhere, none as printed): kept as printed, so the 审核 (``decl.unit-slip``) reports the
    slip to the unit, each with an info finding giving the amount meant.  True when shown."""
    printed = printed_wan(declaration, ctx)
    if not shows_yuan(declaration.funds, printed):
        return False
    for name, value, meant, source in as_wan(declaration.funds):
        ctx.info(
            SLIP,
            f"{amount_name(name)}{value}标注为万元，但文中另印为{meant}万元：应是以元填报，"
            f"即{meant}万元（按印出的数字保留，待更正）",
            source,
        )
    return True


def extract_declaration(
    doc: Document, recognition: Recognition | None = None
) -> tuple[Declaration, list[Finding]]:
    """Read a Declaration out of a document; findings say how it was recognised, what was inferred
    and what was ambiguous."""
    ctx = Context(doc)
    tables = extract_target_tables(ctx)
    if recognition is None:
        recognition = recognise(Context(doc), tables)
    values = labelled_values(ctx)
    title = recognition.title if recognition else title_of(ctx)
    declaration = Declaration(
        project=_project(ctx, values),
        layout=recognition.layout if recognition else None,
        year=_year(ctx, values, title),
        source=Source(file=doc.file, text=title),
    )
    if recognition is not None:
        ctx.info("ingest.kind", recognition.message)
    declaration.novelty = _novelty(values)
    period = _first(values, "period")
    if period is not None:
        years, start, end = period_of(period.text)
        declaration.period_years = years
        declaration.project.period_start, declaration.project.period_end = start, end
        if years is None:
            ctx.info("ingest.period-unread", f"项目期“{period.text}”未能读为年数", period.source)
    start_year = _first(values, "start_year")
    if start_year is not None and declaration.project.period_start is None:
        m = re.search(r"(?:19|20)\d{2}", start_year.text)
        if m:
            declaration.project.period_start = date(int(m.group(0)), 1, 1)
            if declaration.period_years:
                declaration.project.period_end = date(int(m.group(0)) + declaration.period_years - 1, 12, 31)
    for name in ("basis", "allocation"):
        v = _first(values, name)
        if v is not None and not re.fullmatch(r"[-—/／无]*", v.text):
            setattr(declaration, name, v.text)
    declaration.funds = extract_declaration_funds(ctx)
    estimate = _first(values, "estimate")
    if estimate is not None and len(estimate.text) >= 4:
        declaration.funds.estimate = estimate.text
        declaration.funds.sources["estimate"] = estimate.source
    medium_goals, medium_source = _goals(values, "medium_goals")
    annual_goals, annual_source = _goals(values, "annual_goals")
    if not annual_goals and not medium_goals:
        annual_goals, annual_source = _goals(values, "overall_goals")
    declaration.annual = TargetSet(
        period=Period.annual, goals=annual_goals, goals_source=annual_source, indicators=tables.annual
    )
    if medium_goals or tables.medium:
        declaration.medium = TargetSet(
            period=Period.medium, goals=medium_goals, goals_source=medium_source, indicators=tables.medium
        )
    declaration.exemptions = tables.exemptions
    note_unit_slip(ctx, declaration)
    if declaration.project.name.startswith("（未能"):
        ctx.info("ingest.project-unread", "未能读到项目名称")
    return declaration, ctx.findings


def label_texts(ctx: Context) -> list[str]:
    """Reduced texts of every label cell the layouts name (for tests and diagnostics)."""
    return [
        reduce_label(c)[0]
        for _, _, cells in ctx.rows(include_consumed=True)
        for c in cells
        if c and (field_of(c) or fund_label_of(c) or fund_line_of(c))
    ]
