"""绩效评价报告 in Word: outline, figures, empty sections, findings annex, templates, charts."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from jixiao import api
from jixiao.model import Evaluation, Indicator, Project
from jixiao.render import RenderError, charts
from jixiao.render.text import NO_DATA
from jixiao.render.view import INDICATOR_COLUMNS as FORM_INDICATOR_COLUMNS
from tests.render.conftest import SEEDS, computed_figures, docx_text, load_seed, missing, printed_figures

OUTLINE = (
    "一、基本情况",
    "二、绩效评价工作开展情况",
    "三、综合评价情况及评价结论",
    "四、绩效评价指标分析",
    "五、主要经验及做法、存在的问题及原因分析",
    "六、有关建议",
    "七、其他需要说明的问题",
)


def test_report_follows_the_outline_and_holds_every_figure(seed: Evaluation) -> None:
    data = api.render(seed, "report", "docx")
    text = docx_text(data)
    positions = [text.index(heading) for heading in OUTLINE]
    assert positions == sorted(positions)
    assert missing(text, printed_figures(seed)) == []
    assert missing(text, computed_figures(api.score(seed))) == []
    for item in [*seed.problems, *seed.suggestions, *seed.basis]:
        assert "".join(item.split()) in "".join(text.split())
    document = docx.Document(io.BytesIO(data))
    assert document.inline_shapes, "charts are embedded"


def paragraphs(data: bytes) -> list[str]:
    """The text of every paragraph of a Word file's body, table cells included, in order."""
    body = docx.Document(io.BytesIO(data)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def sections(data: bytes) -> dict[str, list[str]]:
    """The paragraphs under each first-level heading of a report (the outline's 一 to 七)."""
    out: dict[str, list[str]] = {}
    current: list[str] = []
    for text in paragraphs(data):
        if text in OUTLINE:
            current = out.setdefault(text, [])
        else:
            current.append(text)
    return out


def test_sections_without_data_say_so_once() -> None:
    ev = Evaluation(kind="finance", project=Project(name="空项目"))
    by_section = sections(api.render(ev, "report", "docx"))
    assert list(by_section) == list(OUTLINE)  # the outline stays whole
    for heading, texts in by_section.items():
        assert sum(t.count(NO_DATA) for t in texts) <= 1, heading
    work = by_section["二、绩效评价工作开展情况"]
    gap = next(t for t in work if t.endswith(NO_DATA))
    for name in ("评价目的", "评价指标体系", "评价方法", "评价依据", "评价工作过程"):
        assert name in gap  # what is missing is named, in one sentence
    assert not any(t.startswith("（") for t in work[1:]), "an empty subsection has no heading"
    assert all(texts for texts in by_section.values()), "no heading stands alone"
    assert "<" not in docx_text(api.render(ev, "report", "docx"))


def test_gaps_are_said_once_per_section(seed: Evaluation) -> None:
    for heading, texts in sections(api.render(seed, "report", "docx")).items():
        assert sum(t.count(NO_DATA) for t in texts) <= 1, heading
        # never the bare sentence: it names what is missing, and a wholly empty section says 无
        assert NO_DATA not in texts, heading


def test_findings_annex() -> None:
    ev = load_seed("000-jiayuguan-2022")
    text = docx_text(api.render(ev, "report", "docx", with_findings=True))
    assert "附件：复核意见" in text
    for finding in api.check(ev).findings:  # the reviewer's words and place, never a code or a path
        assert finding.message[:20] in text
        assert finding.code not in text and finding.location.path not in text


def test_user_template_keeps_header_and_styles(tmp_path: Path) -> None:
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "某某市财政局绩效评价专用"
    template.styles["Normal"].font.name = "Arial"
    template.add_paragraph("这段模板正文应被替换")
    path = tmp_path / "bureau.docx"
    template.save(path)
    data = api.render(load_seed("004-xinfeng-2022"), "report", "docx", template=path)
    document = docx.Document(io.BytesIO(data))
    assert "某某市财政局绩效评价专用" in document.sections[0].header.paragraphs[0].text
    assert document.styles["Normal"].font.name == "Arial"
    text = docx_text(data)
    assert "这段模板正文应被替换" not in text and "一、基本情况" in text
    assert document.styles["Table Text"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"just text") and p, "不是 zip"),
        (lambda p: _zip(p, {"hello.txt": b"x"}), "缺少 word/document.xml"),
        (
            lambda p: _zip(p, {"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * (2 << 20)}),
            "压缩炸弹",
        ),
        (
            lambda p: _zip(p, {"[Content_Types].xml": b"<broken", "word/document.xml": b"<w:document"}),
            "无法作为 Word 文档打开",
        ),
        (lambda p: p, "不存在"),
    ],
)
def test_hostile_templates_give_a_clear_error(tmp_path: Path, make: object, message: str) -> None:
    path = tmp_path / "t.docx"
    make(path)  # type: ignore[operator]
    with pytest.raises(RenderError, match=message):
        api.render(load_seed("003-dongchuan-2019"), "report", "docx", template=path)


def test_self_table_refuses_template_and_report_refuses_xlsx(tmp_path: Path) -> None:
    ev = load_seed("003-dongchuan-2019")
    with pytest.raises(RenderError, match="模板"):
        api.render(ev, "self-table", "docx", template=tmp_path / "x.docx")
    with pytest.raises(RenderError, match="Excel"):
        api.render(ev, "report", "xlsx")


def test_charts_are_png() -> None:
    ev = load_seed("002-jinzhong-2020")
    score = api.score(ev)
    for png in (charts.level_rate_chart(score), charts.completion_chart(ev, score), charts.funds_chart(ev)):
        assert png.startswith(b"\x89PNG")
    empty = Evaluation(kind="self", project=Project(name="x"))
    assert charts.funds_chart(empty).startswith(b"\x89PNG")


def test_entity_bomb_template_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    entities = "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10 if i else "lol"}">' for i in range(10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["word/document.xml"] = body.encode()
    path = _zip(tmp_path / "laughs.docx", parts)
    with pytest.raises(RenderError, match="无法作为 Word 文档打开"):
        api.render(load_seed("003-dongchuan-2019"), "report", "docx", template=path)


def test_reviewed_scores_appear_in_report_and_self_table() -> None:
    ev = load_seed("002-jinzhong-2020")
    target = next(i for i in ev.indicators if i.weight and i.claimed == i.weight)
    reviewed = target.weight - Decimal("1.5")  # type: ignore[operator]
    reviewed_ev = ev.model_copy(
        update={
            "indicators": [
                i.model_copy(update={"reviewed": reviewed, "review_reason": "佐证材料不全，扣1.5分"})
                if i is target
                else i
                for i in ev.indicators
            ]
        }
    )
    score = api.score(reviewed_ev)
    assert score.reviewed_total is not None and score.computed_total is not None
    assert score.reviewed_total == score.computed_total - Decimal("1.5")
    for kind in ("report", "self-table"):
        text = docx_text(api.render(reviewed_ev, kind, "docx"))
        assert "复核得分" in text and "佐证材料不全，扣1.5分" in text
        assert f"复核后总分{score.reviewed_total:f}" in "".join(text.split())
    plain_text = docx_text(api.render(ev, "report", "docx"))
    assert "复核得分" not in plain_text


def test_report_states_the_purpose_when_known() -> None:
    ev = load_seed("003-dongchuan-2019")
    assert ev.purpose
    text = "".join(docx_text(api.render(ev, "report", "docx")).split())
    assert "评价目的：" + "".join(ev.purpose.split()) in text
    bare = ev.model_copy(update={"purpose": None})
    work = sections(api.render(bare, "report", "docx"))["二、绩效评价工作开展情况"]
    assert any("评价目的" in t and t.endswith(NO_DATA) for t in work)


DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")


def _levels_named_like_the_2020_form() -> Evaluation:
    """A self-evaluation whose 一级指标 carry the word 指标 (产出指标, 效益指标), as the 自评表 names them."""
    return Evaluation(
        kind="self",
        year=2023,
        project=Project(name="职业技能培训补贴", unit="某县就业服务中心"),
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", name="培训人数", weight=50, claimed=45),
            Indicator(level1="效益指标", level2="社会效益指标", name="就业率", weight=40, claimed=40),
            Indicator(
                level1="满意度指标", level2="服务对象满意度指标", name="学员满意度", weight=10, claimed=9
            ),
        ],
    )


@pytest.mark.parametrize("name", [*SEEDS, "levels-named-指标"])
def test_no_doubled_words_from_templates(name: str) -> None:
    ev = _levels_named_like_the_2020_form() if name == "levels-named-指标" else load_seed(name)
    own = "".join(api.to_yaml(ev).split())  # a doubling the evaluation itself prints is not ours
    for kind in ("report", "self-table"):
        for text in paragraphs(api.render(ev, kind, "docx", with_findings=True)):  # type: ignore[arg-type]
            doubled = [m.group(0) for m in DOUBLED.finditer(text) if m.group(0) not in own]
            assert doubled == [], f"{kind}: {text}"


def test_self_evaluation_speaks_as_the_unit() -> None:
    ev = load_seed("004-xinfeng-2022")
    assert ev.kind == "self" and ev.project.unit and ev.dates.report
    texts = [t for t in paragraphs(api.render(ev, "report", "docx")) if t]
    assert texts[0].endswith("绩效自评报告")
    text = "".join(texts)
    assert "自评总分 100 分" in text and "自评得分 40 分" in text
    for reviewer in ("报告得分", "评价得分", "复核得分", "自评（报告）", "报告列示"):
        assert reviewer not in text, reviewer
    assert texts[-2:] == [
        ev.project.unit,
        f"{ev.dates.report.year}年{ev.dates.report.month}月{ev.dates.report.day}日",
    ]
    assert "评价单位：" not in text


def test_an_evaluators_report_speaks_as_the_evaluator() -> None:
    ev = load_seed("000-jiayuguan-2022")
    assert ev.kind == "finance" and ev.evaluator
    texts = [t for t in paragraphs(api.render(ev, "report", "docx")) if t]
    assert texts[0].endswith("绩效评价报告") and texts[1] == f"评价单位：{ev.evaluator}"
    text = "".join(texts)
    assert "评价总分" in text and "评价得分" in text
    assert "自评得分" not in text and "自评总分" not in text


def _repeats(row: object) -> bool:
    tr_pr = row._tr.trPr  # type: ignore[attr-defined]
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


@pytest.mark.parametrize("kind", ["report", "self-table"])
def test_table_heading_rows_repeat_on_each_page(seed: Evaluation, kind: str) -> None:
    document = docx.Document(io.BytesIO(api.render(seed, kind, "docx", with_findings=True)))  # type: ignore[arg-type]
    headed = 0
    for table in document.tables:
        rows = ["".join(c.text for c in row.cells) for row in table.rows]
        # a heading row further down a table could not repeat: the 自评表's indicators start their own
        assert "".join(FORM_INDICATOR_COLUMNS) not in rows[1:]
        marked = [i for i, row in enumerate(table.rows) if _repeats(row)]
        if rows[0].startswith("项目名称"):  # the 自评表's project and funds part: one page, no heading row
            assert marked == []
            continue
        assert marked == [0], rows[0]  # the heading row, and only it, repeats
        headed += 1
    assert headed >= 2


@pytest.mark.parametrize("kind", ["report", "self-table"])
def test_findings_annex_has_no_codes_or_paths(kind: str) -> None:
    ev = load_seed("002-jinzhong-2020")
    findings = api.check(ev).findings
    assert findings
    texts = paragraphs(api.render(ev, kind, "docx", with_findings=True))  # type: ignore[arg-type]
    annex = "".join(texts[texts.index("附件：复核意见") :])
    assert "复核意见" in annex and "位置" in annex
    for finding in findings:
        assert finding.code not in annex
        assert finding.location.path is None or finding.location.path not in annex
    assert ".yaml" not in annex and "examples/" not in annex
