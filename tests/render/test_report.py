"""绩效评价报告 in Word: outline, figures, empty sections, findings annex, templates, charts."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from jixiao import api
from jixiao.model import Evaluation, Project
from jixiao.render import RenderError, charts
from jixiao.render.text import NO_DATA
from tests.render.conftest import computed_figures, docx_text, load_seed, missing, printed_figures

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


def test_sections_without_data_say_so() -> None:
    ev = Evaluation(kind="finance", project=Project(name="空项目"))
    text = docx_text(api.render(ev, "report", "docx"))
    assert text.count(NO_DATA) >= 6
    assert "<" not in text


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
    assert "评价目的：" + NO_DATA in docx_text(api.render(bare, "report", "docx"))
