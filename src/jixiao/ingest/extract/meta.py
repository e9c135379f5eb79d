"""Kind of evaluation, project, year and the units involved (主管部门, 实施单位, evaluator)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

from jixiao.ingest.document import Paragraph
from jixiao.ingest.extract.context import Context, clean
from jixiao.ingest.extract.labels import Value, first
from jixiao.model import Form, Kind, Project, Source

_ORG = r"(?:局|中心|委员会|委|办公室|办|厅|院|所|站|部|处|科|队|馆|会|公司|政府|街道|乡|镇|大学|中学|小学|学校|幼儿园|本级)"
_CODE_PREFIX = re.compile(r"^\s*[\[【［(（]\s*\d{2,12}\s*[\]】］)）]\s*")
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{4,30}}{_ORG}$")
_TITLE = re.compile(r"绩效(?:自评|评价)?(?:报告|自评表|评价表|目标表)|自评表|自评报告|评价报告")
_TITLE_NAME = re.compile(
    rf"^(?:附件\s*\d*\s*[:：]?\s*)?(?:(?P<unit>[\u4e00-\u9fff]{{2,30}}?{_ORG})(?=(?:19|20)\d{{2}}\s*年)|[\u4e00-\u9fff]{{1,12}}?(?:省|市|县|区|州|盟|旗)(?=(?:19|20)\d{{2}}\s*年))?(?:关于)?\s*(?:(?P<year>(?:19|20)\d{{2}})\s*年(?:度)?)?\s*(?P<name>.+?)(?:支出)?(?:财政|部门)?(?:重点)?(?:绩效)?(?:自评|评价)?(?:报告|自评表|评价表)$"
)
_YEAR_DU = re.compile(r"((?:19|20)\d{2})\s*年度")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> date | None:
    """``2021-07-05`` / ``2023年2月28日`` → date; None when there is no valid date."""
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def kind_of(ctx: Context, labelled: dict[str, list[Value]]) -> tuple[Kind, bool]:
    """Kind of evaluation and whether it was read (False: defaulted to self)."""
    value = first(labelled, "kind")
    text = ctx.flow.text
    if value is not None:
        if "财政" in value.text:
            return Kind.finance, True
        if "部门" in value.text:
            return Kind.department, True
        if "自评" in value.text or "单位" in value.text:
            return Kind.self, True
    commissioner = first(labelled, "commissioner")
    if commissioner is not None:  # 委托单位：X财政局 — a finance evaluation by a hired firm
        return (Kind.finance if "财政" in commissioner.text else Kind.department), True
    if re.search(
        r"自评表|自评报告|自评得分|自评分|自评总分|单位自评|自评小组|自评结果|自评优秀|开展(?:项目)?自评",
        text,
    ):
        return Kind.self, True
    if re.search(
        r"财政(?:重点)?(?:绩效)?评价|财政局委托.{0,30}(?:评价|绩效)|委托.{0,20}第三方.{0,12}(?:评价|绩效)",
        text,
    ):
        return Kind.finance, True
    if re.search(r"部门评价|部门绩效评价", text):
        return Kind.department, True
    return Kind.self, False


# A document's kind by the words of its title, most specific first (a 决算 that annexes 自评表 is
# a 决算: only the first title-like line counts).
_FORMS: list[tuple[Form, re.Pattern[str]]] = [
    # a 部门预算项目支出绩效自评表 is a 自评表: 预算/决算 only when no form of evaluation is named
    (
        Form.final_accounts,
        re.compile(
            r"^(?!.*(?:自评|评价|绩效目标)).*(?:决算(?:公开|说明|报告|报表)?$|部门决算|单位决算|年度决算"
            r"|收入支出决算总表|收支决算总表)"
        ),
    ),
    (
        Form.budget,
        re.compile(
            r"^(?!.*(?:自评|评价|绩效目标)).*(?:部门预算|单位预算|预算公开|预算(?:情况)?说明$"
            r"|收支预算总表|收入预算总表|支出预算总表)"  # the first of the tables a 部门预算 publishes
        ),
    ),
    (Form.dept_self_table, re.compile(r"整体(?:支出)?绩效.{0,6}(?:表|评分|得分)")),
    (Form.dept_self_report, re.compile(r"整体(?:支出)?绩效.{0,8}报告")),
    (Form.transfer_self_table, re.compile(r"(?:转移支付|区域[）)]?).{0,12}自评表")),
    (Form.self_table, re.compile(r"自评(?:价)?表|绩效评价(?:评分|得分)?表$")),
    (Form.target, re.compile(r"绩效目标(?:申报|审核|批复)?表|绩效目标申报")),
    (Form.self_report, re.compile(r"自评(?:价)?(?:报告|情况)")),
    (Form.evaluation_report, re.compile(r"评价报告")),
]


def form_of(ctx: Context) -> Form | None:
    """Kind of published document (文书类型), from its first title-like line or cell."""
    seen = 0
    for block in ctx.doc.blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [c for row in block.rows[:3] for c in row]
        for raw in texts:
            text = clean(raw)
            if not text or len(text) > 60 or text.endswith(("。", "；", "，")):
                continue
            seen += 1
            for form, pattern in _FORMS:
                if pattern.search(text):
                    return form
        if seen > 40:
            break
    return None


_DEPT_TITLE = re.compile(
    rf"^(?:(?:19|20)\d{{2}}年度?)?(?P<unit>[\u4e00-\u9fff（）()]{{2,40}}?{_ORG})(?:[（(][^)）]*[)）])?"
    r"(?:(?:19|20)\d{2}年度?)?(?:[省市区县州]级)?(?:部门|单位)?(?:预算|决算)"
)


_DEPT_LABEL = re.compile(
    rf"(?:预算|决算|编制)?(?:部门|单位)(?:名称)?\s*[：:]\s*(?P<unit>[\u4e00-\u9fff（）()]{{2,40}}?{_ORG})(?=\s|单位|$)"
)
_TABLE_YEAR = re.compile(r"((?:19|20)\d{2})年度?[\u4e00-\u9fff“”\"]{0,16}?(?:预算|决算)(?:总)?表")
_DEPT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:[省市区县州]级)?(?:部门|单位)?(?:预算|决算)")


def _heads(ctx: Context, limit: int = 200) -> Iterator[str]:
    """Paragraph texts and the first row of every table (where table titles and 部门： print)."""
    for block in ctx.doc.blocks[:limit]:
        if isinstance(block, Paragraph):
            yield clean(block.text)
        elif block.rows:
            yield clean(" ".join(c for c in block.rows[0] if c))


def department_year(ctx: Context) -> int | None:
    """The year of a 部门预算 / 决算 as its title prints it (2024年区级部门预算), else as a table
    title prints it (2018年政府采购预算表) when the publication is its tables only."""
    for para in ctx.doc.paragraphs[:12]:
        m = _DEPT_YEAR.search(clean(para.text).replace(" ", ""))
        if m:
            return int(m.group(1))
    for text in _heads(ctx):
        m = _TABLE_YEAR.search(text.replace(" ", ""))
        if m:
            return int(m.group(1))
    return None


def department_of(ctx: Context) -> str | None:
    """The unit a 部门预算 or 部门决算 is of, from its title (which may wrap over two or three lines),
    else from the “部门：X” its tables print in their heads."""
    return _department_in_title(ctx) or _department_in_heads(ctx)


def _department_in_heads(ctx: Context) -> str | None:
    for text in _heads(ctx, 12):
        m = _DEPT_LABEL.search(text)
        if m:
            return m.group("unit")
    return None


def _department_in_title(ctx: Context) -> str | None:
    lines: list[str] = []
    for para in ctx.doc.paragraphs[:12]:
        t = clean(para.text).replace(" ", "")
        if not t or re.fullmatch(r"[\d\-—.]+|第\d+页", t):
            continue
        if len(t) > 40 or re.search(r"[，,。；;：:]", t):
            break
        lines.append(t)
        m = _DEPT_TITLE.match("".join(lines))
        if m:
            return m.group("unit")
        if len(lines) >= 3:
            lines.pop(0)
    return None


def titles(ctx: Context) -> list[Paragraph]:
    """Title-like paragraphs (a title broken over two short lines is joined back)."""
    out = []
    paras = ctx.doc.paragraphs[:80]
    for i, para in enumerate(paras):
        t = clean(para.text)
        if len(t) > 80 or not _TITLE.search(t) or t.endswith(("。", "；")):
            continue
        prev = clean(paras[i - 1].text) if i else ""
        if prev and len(prev) <= 40 and not re.search(r"[，,。；;：:]", prev) and not _TITLE.search(prev):
            out.append(Paragraph(text=prev + t, line=paras[i - 1].line, page=paras[i - 1].page))
        out.append(para)
    return out


def project_of(ctx: Context, labelled: dict[str, list[Value]]) -> tuple[Project, Source | None, int | None]:
    """Project facts, the source of the name and a year read from the title."""
    name: str | None = None
    source: Source | None = None
    unit: str | None = None
    title_year: int | None = None
    value = first(labelled, "project")
    if value is not None:
        name, source = value.text, value.source
    for para in titles(ctx):
        m = _TITLE_NAME.match(clean(para.text).replace(" ", ""))
        if not m:
            continue
        if m.group("year") and title_year is None:
            title_year = int(m.group("year"))
        if m.group("unit") and unit is None:
            unit = m.group("unit")
        candidate = m.group("name")
        if (
            name is None
            and candidate
            and len(candidate) >= 4
            and not re.search(r"(?:部门|单位|整体支出|财政)$", candidate)
            and not _ORG_LINE.match(candidate)
        ):
            name, source = candidate.strip("：: "), ctx.para(para)
    if name is None:
        m = re.search(r"项目(?:概况|名称)\s*[:：]\s*([^。；;\n]{2,40}?)(?:项目)?[。；;\n]", ctx.flow.text)
        if m:
            name, source = m.group(1), ctx.flow.source_at(m.start(1), m.group(1))
    if name is None:
        name = "（未能识别项目名称）"
        ctx.info("ingest.no-project", "未能识别项目名称")
    project = Project(name=name)
    for v in labelled.get("unit", []):
        text = _CODE_PREFIX.sub("", v.text)  # [105210]北京大学: the code the system prints first
        if re.search(rf"{_ORG}(?:[（(].*[)）])?$", text) and len(text) >= 4:
            project.unit = text
            break
    code_v = first(labelled, "project_code")
    if code_v is not None:
        project.code = code_v.text
    dep = first(labelled, "department")
    if dep is not None:
        code = re.fullmatch(r"(.*?)[（(]?\s*(\d{2,12})\s*[)）]?", dep.text)
        if code and code.group(2):
            project.department_code = code.group(2)
            if code.group(1).strip():
                project.department = code.group(1).strip()
        else:
            project.department = dep.text
    code_value = first(labelled, "department_code")
    if code_value is not None and project.department_code is None:
        project.department_code = code_value.text
    if project.unit is None:
        project.unit = unit or _org_line(ctx)
    attribute = first(labelled, "attribute")
    if attribute is not None:
        if "经常" in attribute.text or "延续" in attribute.text:
            project.attribute = "recurring"
        elif "一次" in attribute.text or "新增" in attribute.text:
            project.attribute = "one_off"
    period = first(labelled, "period")
    if period is not None:
        dates = [d for d in (parse_date(p) for p in re.split(r"至|到|~|—|－", period.text)) if d]
        if len(dates) == 2 and dates[0] <= dates[1]:
            project.period_start, project.period_end = dates
    return project, source, title_year


def _org_line(ctx: Context) -> str | None:
    paras = ctx.doc.paragraphs
    for para in [*paras[:6], *paras[-6:]]:
        t = clean(para.text).replace(" ", "")
        if _ORG_LINE.match(t) and not _TITLE.search(t) and not re.search(r"名称|单位|部门|机构", t[:-4]):
            return t
    return None


def _year_du(text: str) -> int | None:
    """The first ``XXXX年度`` that is not in a cited title (《…2012年度…》) nor a date (2018年度5月)."""
    for m in _YEAR_DU.finditer(text):
        before = text[: m.start()]
        if before.rfind("《") > before.rfind("》") or re.match(r"\s*\d{1,2}\s*月", text[m.end() :]):
            continue
        return int(m.group(1))
    return None


def year_of(
    ctx: Context, labelled: dict[str, list[Value]], title_year: int | None, report: date | None
) -> int | None:
    """The evaluation year: labelled, ``XXXX年度``, the title, the report date − 1, the common year."""
    value = first(labelled, "year")
    if value is not None:
        m = re.search(r"(?:19|20)\d{2}", value.text)
        if m:
            return int(m.group(0))
    du = _year_du(ctx.flow.text[:3000]) or _year_du(ctx.doc.plain_text()[:3000])
    if du is not None:
        return du
    estimate = first(labelled, "estimate")  # 测算依据：2023年度申报预算包括…
    m = (
        re.search(r"((?:19|20)\d{2})\s*年{1,2}度?\s*(?:申报|项目)?(?:预算|测算)", estimate.text)
        if estimate is not None
        else None
    )
    if m:
        return int(m.group(1))
    if title_year is not None:
        return title_year
    for para in titles(ctx):
        ym = _YEAR.search(clean(para.text))
        if ym:
            return int(ym.group(1))
    if report is not None:
        ctx.info(
            "ingest.year-inferred",
            f"评价年度未印，按报告日期 {report.isoformat()} 推定为 {report.year - 1} 年度",
        )
        return report.year - 1
    years = Counter(int(y) for y in _YEAR.findall(ctx.flow.text))
    if years:
        year, count = years.most_common(1)[0]
        if count >= 3:
            ctx.info("ingest.year-inferred", f"评价年度未印，按正文中最常出现的年份推定为 {year} 年度")
            return year
    return None


def report_date(ctx: Context, labelled: dict[str, list[Value]]) -> tuple[date | None, date | None]:
    """(filled date, report date): 填报日期 by label; a date standing alone at the end of the text."""
    filled = None
    v = first(labelled, "filled")
    if v is not None:
        filled = parse_date(v.text)
    report = None
    for para in reversed(ctx.doc.paragraphs[-8:]):
        t = clean(para.text).replace(" ", "")
        if len(t) <= 14 and (d := parse_date(t)) is not None:
            report = d
            break
    return filled, report
