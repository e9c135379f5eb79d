"""Text sections: problems, suggestions, experience, basis, methods, work timeline, survey, people."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jixiao.ingest.document import Paragraph
from jixiao.ingest.extract.context import Context, clean, is_heading, label_key
from jixiao.ingest.extract.labels import Value, first
from jixiao.model import Dates, Person, Source, Survey

SECTIONS: dict[str, re.Pattern[str]] = {
    "problems": re.compile(
        r"(?:主要)?存在(?:的)?(?:主要)?问题(?:及原因分析|和原因分析|及原因|及整改情况)?|问题(?:及|和)原因分析|主要问题|发现的问题"
    ),
    "suggestions": re.compile(
        r"(?:相关|有关|改进|主要|对策)?建议(?:和改进措施|及改进措施|及措施)?|改进措施|整改建议|改进意见|意见建议"
    ),
    "experience": re.compile(r"(?:主要)?经验(?:及做法|和做法|做法)?|主要做法"),
}
_MAJOR = re.compile(
    r"^(?:第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])"
)
_SECTION_END = re.compile(
    r"(?:情况|分析|结论|措施|问题|建议|做法|说明|事项|目标|概况|附件|附表|评分表)[。.]?$"
)
_REPORT_TITLE = re.compile(r"绩效(?:自评|评价)?报告$|自评表$|评价报告$")
_ITEM_SPLIT = re.compile(
    r"(?:^|\s|[。；;])(?=(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]是[，,、]?))"
)


@dataclass
class Unit:
    text: str
    source: Source


def units(ctx: Context) -> list[Unit]:
    """The document as a list of text units: paragraphs, and table rows holding one text."""
    out: list[Unit] = []
    open_sentence = False
    for block in ctx.doc.blocks:
        if isinstance(block, Paragraph):
            text = clean(block.text)
            if open_sentence and out and not is_heading(text):
                out[-1].text += text  # a PDF line break inside a sentence
            else:
                out.append(Unit(text, ctx.para(block)))
            open_sentence = (
                len(text) > 15 and not re.search(r"[。！？；;!?:：）)”]$", text) and not is_heading(text)
            )
            continue
        open_sentence = False
        for r, row in enumerate(block.rows):
            filled = [(c, clean(v)) for c, v in enumerate(row) if v.strip()]
            if not filled:
                continue
            if len(filled) == 1:
                out.append(Unit(filled[0][1], ctx.cell(block, r, filled[0][0])))
            elif _section_of(filled[0][1]) and len(filled) == 2:
                out.append(Unit(filled[0][1], ctx.cell(block, r, filled[0][0])))
                out.append(Unit(filled[1][1], ctx.cell(block, r, filled[1][0])))
    return out


def _section_of(text: str) -> str | None:
    key = label_key(text).rstrip("。.").replace(" ", "")
    if len(key) > 24:
        return None
    for name, pattern in SECTIONS.items():
        if pattern.fullmatch(key):
            return name
    return None


def _ends_section(text: str) -> bool:
    t = text.replace(" ", "")
    if _MAJOR.match(t) and len(t) <= 40:
        return True
    if _section_of(t) is not None or (
        len(t) <= 80 and _REPORT_TITLE.search(t) and not re.search(r"[，,。；;]", t)
    ):
        return True
    if len(t) <= 20 and bool(_SECTION_END.search(t)) and not re.search(r"[，,；;]", t):
        return True
    return 4 <= len(t) <= 40 and not re.search(r"[，,。；;：:！？!?]", t)  # a title or a signature


def split_items(text: str) -> list[str]:
    """``1. a 2. b`` / ``一是…二是…`` → items, numbering removed."""
    parts = [p.strip() for p in _ITEM_SPLIT.split(text) if p and p.strip()]
    out = []
    for p in parts:
        p = re.sub(
            r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]是[，,、]?)\s*", "", p
        ).strip()
        p = p.rstrip("；;")
        if p:
            out.append(p)
    return out


def sections(ctx: Context) -> dict[str, tuple[list[str], Source | None]]:
    """Items of each named section; when a section is printed twice, the fuller one."""
    found: dict[str, list[tuple[list[str], Source]]] = {}
    all_units = units(ctx)
    i = 0
    while i < len(all_units):
        name = _section_of(all_units[i].text)
        if name is None:
            i += 1
            continue
        source = all_units[i].source
        items: list[str] = []
        j = i + 1
        while j < len(all_units) and not _ends_section(all_units[j].text):
            items.extend(split_items(all_units[j].text))
            j += 1
        items = [re.sub(r"[。.]$", "", x) if x in ("无。", "无.") else x for x in items]
        if items:
            found.setdefault(name, []).append((items, source))
        i = j
    out: dict[str, tuple[list[str], Source | None]] = {}
    for name, candidates in found.items():
        best = max(enumerate(candidates), key=lambda pair: (len(pair[1][0]), pair[0]))[1]
        out[name] = best
    return out


def basis_and_methods(labelled: dict[str, list[Value]]) -> tuple[list[str], list[str]]:
    """评价依据 split into documents; 评价方法 split into methods."""
    basis: list[str] = []
    v = first(labelled, "basis")
    if v is not None:
        basis = split_items(v.text)
    methods: list[str] = []
    m = first(labelled, "methods")
    if m is not None:
        methods = [x.strip("。. ") for x in re.split(r"[、，,；;和及]", m.text) if x.strip("。. ")]
        methods = [x for x in methods if len(x) <= 12]
    return basis, methods


_MONTH = re.compile(r"(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(上旬|中旬|下旬|初|中|底|末)?")


def timeline(labelled: dict[str, list[Value]]) -> Dates:
    """Work stages and their first and last dates from 评价工作过程."""
    dates = Dates()
    v = first(labelled, "process")
    if v is None:
        return dates
    stages = [s.strip() for s in re.split(r"[；;。]", v.text) if s.strip()]
    dates.timeline = [s for s in stages if _MONTH.search(s)]
    year: int | None = None
    marks: list[tuple[int, int, str]] = []
    for m in _MONTH.finditer(v.text):
        if m.group(1):
            year = int(m.group(1))
        month = int(m.group(2))
        if year is not None and 1 <= month <= 12:
            marks.append((year, month, m.group(3) or ""))
    if marks:
        y, mo, part = marks[0]
        dates.work_start = date(y, mo, {"中旬": 11, "中": 11, "下旬": 21, "底": 21, "末": 21}.get(part, 1))
        y, mo, part = marks[-1]
        last = calendar.monthrange(y, mo)[1]
        dates.work_end = date(y, mo, {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(part, last))
    return dates


_DISTRIBUTED = re.compile(
    r"(?:发放|发出|下发)?(?:社会)?(?:调查)?问卷(?:调查表|调查|表)?\s*(?:共)?\s*(\d{1,7})\s*份"
)
_VALID = re.compile(r"(?:回收|收回)(?:有效)?(?:问卷)?\s*(\d{1,7})\s*份|有效问卷\s*(\d{1,7})\s*份")
_RATE = re.compile(r"满意(?:率|度)\s*(?:为|达到|达|是)?\s*(\d{1,3}(?:\.\d+)?)\s*%(?!\s*(?:以上|及以上))")


def survey(ctx: Context) -> Survey | None:
    """A satisfaction survey described in prose (questionnaires sent, valid answers, rate)."""
    text = ctx.flow.text
    d = _DISTRIBUTED.search(text)
    s = _VALID.search(text)
    rates = {Decimal(m.group(1)) for m in _RATE.finditer(text)}
    if not d and not s:
        return None
    out = Survey(method="问卷", source=ctx.flow.source_at((d or s).start(), (d or s).group(0)))  # type: ignore[union-attr]
    if d:
        out.distributed = int(d.group(1))
    if s:
        out.sample_size = int(s.group(1) or s.group(2))
    if len(rates) == 1:
        out.satisfaction_rate = rates.pop()
    return out


def people(ctx: Context, labelled: dict[str, list[Value]]) -> list[Person]:
    """Evaluators from a table with a 姓名 column, then 负责人 / 经办人 labels."""
    out: list[Person] = []
    for table, r, cells in ctx.rows(include_consumed=True):
        keys = [label_key(c) for c in cells]
        if "姓名" not in keys:
            continue
        cols = {k: i for i, k in enumerate(keys) if k}
        name_col = cols["姓名"]
        role = next((k for k in keys[:name_col] if k), None) or "评价人员"
        title_col = next((i for k, i in cols.items() if re.search(r"职称|职务", k)), None)
        dept_col = next((i for k, i in cols.items() if re.search(r"科室|单位|部门", k)), None)
        phone_col = next((i for k, i in cols.items() if "电话" in k), None)
        for row in table.rows[r + 1 : r + 30]:
            values = [clean(c) for c in row]
            name = values[name_col] if name_col < len(values) else ""
            if not re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", name) or re.search(r"[:：]", "".join(values)):
                break
            out.append(
                Person(
                    name=name,
                    role=role,
                    title=(values[title_col] or None) if title_col is not None else None,
                    department=(values[dept_col] or None) if dept_col is not None else None,
                    phone=(values[phone_col] or None) if phone_col is not None else None,
                )
            )
        break
    phone = first(labelled, "handler")
    for key, role in (("responsible", "负责人"), ("handler", "经办人")):
        for v in labelled.get(key, []):
            if re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", v.text):
                out.append(Person(name=v.text, role=role))
                break
    del phone
    return out
