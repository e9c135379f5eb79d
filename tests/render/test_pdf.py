"""PDF through LibreOffice: one batch conversion for the whole suite (slow), fonts, the missing-binary error."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pdfplumber
import pytest

from jixiao import api
from jixiao.model import Evaluation, Project
from jixiao.render import RenderError, listener, pdf
from tests.render.conftest import SEEDS, computed_figures, load_seed, missing, printed_figures


def _numbers_only(figures: list[str]) -> list[str]:
    """Figures that are numbers (wrapped Chinese text in narrow cells may break across lines)."""
    return [f for f in figures if f.replace(".", "").replace("%", "").isdigit()]


def _embedded(path: Path) -> dict[str, bool]:
    """``pdffonts``: each font of the PDF (subset tag removed) and whether it is embedded."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts: dict[str, bool] = {}
    for line in out.splitlines()[2:]:
        m = re.match(r"(?:[A-Z]{6}\+)?(\S+)\s.*\s(yes|no)\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+$", line)
        assert m, line
        fonts[m.group(1)] = fonts.get(m.group(1), True) and m.group(2) == "yes"
    return fonts


def _postscript_prefix(family: str) -> str:
    """``Noto Serif CJK SC`` → ``NotoSerifCJK``: the PostScript name a PDF shows, without region and style."""
    names = subprocess.run(
        ["fc-list", "--format", "%{postscriptname}\n", family], capture_output=True, text=True, check=True
    ).stdout.split()
    assert names, family
    return re.sub(r"(?:sc|tc|jp|kr|hk)?-.*$", "", names[0])


def _font_at(path: Path, text: str) -> str:
    """The font (subset tag removed) of the first character of ``text`` where it first appears."""
    with pdfplumber.open(path) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            joined = "".join(c["text"] for c in chars)
            if text in joined:
                return str(chars[joined.index(text)]["fontname"]).split("+")[-1]
    raise AssertionError(f"{text} not in {path.name}")


def _pages_with(path: Path, text: str) -> int:
    with pdfplumber.open(path) as document:
        return sum(text in "".join(c["text"] for c in page.chars) for page in document.pages)


@pytest.mark.slow
def test_pdfs_of_every_seed_hold_every_figure_in_embedded_official_faces(tmp_path: Path) -> None:
    sources: list[Path] = []
    expected: dict[str, list[str]] = {}
    for name in SEEDS:
        ev = load_seed(name)
        figures = _numbers_only(computed_figures(api.score(ev)))
        for kind in ("self-table", "report"):
            path = tmp_path / f"{name}-{kind}.docx"
            path.write_bytes(api.render(ev, kind, "docx"))  # type: ignore[arg-type]
            sources.append(path)
            expected[path.stem] = figures + _numbers_only(printed_figures(ev, all_stages=kind == "report"))
    pdfs = pdf.docx_to_pdf_batch(sources, tmp_path / "pdf")
    for path in pdfs:
        with pdfplumber.open(path) as document:
            text = "".join(page.extract_text() or "" for page in document.pages)
        assert "□" not in text
        assert missing(text, expected[path.stem]) == [], path.name
        fonts = _embedded(path)
        assert fonts and all(fonts.values()), (path.name, fonts)  # every font embedded

    # Each role prints in the face the font plan chose for it, and that face is embedded.
    plan = {c.requested: c for c in pdf.font_plan()}
    report = tmp_path / "pdf" / "002-jinzhong-2020-report.pdf"
    roles = {
        "方正小标宋简体": "城乡居民养老金缴费补助",  # the title
        "黑体": "一、基本情况",
        "楷体_GB2312": "（一）项目概况",
        "仿宋_GB2312": "项目名称：",  # body text
    }
    embedded = _embedded(report)
    for requested, sample in roles.items():
        choice = plan[requested]
        assert choice.family is not None, requested
        font = _font_at(report, sample)
        assert font.startswith(_postscript_prefix(choice.family)), (requested, choice.family, font)
        assert embedded[font], font
        if choice.bold:
            assert "Bold" in font, (requested, font)  # 小标宋's substitute is set heavy

    # Heading rows repeat: the 自评表's indicators and the report's score table run over pages.
    assert _pages_with(tmp_path / "pdf" / "002-jinzhong-2020-self-table.pdf", "偏差原因分析及改进措施") >= 2
    assert _pages_with(report, "序号一级指标二级指标三级指标") >= 2


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="LibreOffice"):
        api.render(Evaluation(kind="self", project=Project(name="x")), "self-table", "pdf")


FREE = frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC", "LXGW WenKai", "WenQuanYi Zen Hei"})
OFFICIAL = frozenset({"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"})


def test_official_faces_print_as_themselves_and_every_substitute_is_said() -> None:
    assert set(pdf.document_fonts()) == OFFICIAL
    exact = [pdf.choose(name, OFFICIAL | FREE) for name in OFFICIAL]
    assert all(c.family == c.requested and c.warning() is None for c in exact)

    free = {name: pdf.choose(name, FREE) for name in OFFICIAL}
    assert free["黑体"].family == "Noto Sans CJK SC" and free["黑体"].closeness == "same-style"
    assert free["楷体_GB2312"].family == "LXGW WenKai"
    assert free["方正小标宋简体"].family == "Noto Serif CJK SC" and free["方正小标宋简体"].bold
    fangsong = free["仿宋_GB2312"]  # no free 仿宋 for Simplified Chinese: a 宋 stands in, and says so
    assert (fangsong.family, fangsong.closeness) == ("Noto Serif CJK SC", "other-style")
    assert "仿宋" in str(fangsong.warning()) and "Noto Serif CJK SC" in str(fangsong.warning())
    assert all(c.warning() for c in free.values())

    bare = pdf.choose("黑体", frozenset(), ["Some Chinese Font"])
    assert bare.family == "Some Chinese Font" and "黑体" in str(bare.warning())
    none = pdf.choose("仿宋_GB2312", frozenset())
    assert none.family is None and "方框" in str(none.warning())


def _fake_installed(
    monkeypatch: pytest.MonkeyPatch, families: frozenset[str], chinese: Sequence[str] = ()
) -> None:
    monkeypatch.setattr(pdf, "installed_families", lambda: families)
    monkeypatch.setattr(pdf, "chinese_families", lambda: tuple(chinese))


def test_fontconfig_puts_an_installed_official_face_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_installed(monkeypatch, FREE | {"仿宋_GB2312"})
    conf = pdf.fontconfig_file(tmp_path).read_text(encoding="utf-8")
    alias = re.search(r"<alias[^>]*><family>仿宋_GB2312</family><prefer><family>([^<]+)</family>", conf)
    assert alias and alias.group(1) == "仿宋_GB2312"
    kai = re.search(r"<alias[^>]*><family>楷体_GB2312</family><prefer><family>([^<]+)</family>", conf)
    assert kai and kai.group(1) == "LXGW WenKai"
    assert re.search(r"<string>方正小标宋简体</string></test><edit name=\"weight\"", conf)  # set bold
    assert pdf.font_warnings() == [w for w in (c.warning() for c in pdf.font_plan()) if w]
    assert not any("仿宋_GB2312" in w for w in pdf.font_warnings())


def test_conversion_logs_each_substitution(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _fake_installed(monkeypatch, FREE)
    monkeypatch.setattr(pdf, "_logged", set())
    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setenv(listener.DISABLE_ENV, "0")  # the one-run path, faked below

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        out_dir = Path(command[command.index("--outdir") + 1])
        for source in command[command.index("--outdir") + 2 :]:
            (out_dir / (Path(source).stem + ".pdf")).write_bytes(b"%PDF-1.7")
        return subprocess.CompletedProcess(command, 0, b"", b"")

    monkeypatch.setattr(pdf.subprocess, "run", fake_run)
    source = tmp_path / "a.docx"
    source.write_bytes(b"PK")
    with caplog.at_level(logging.WARNING, logger="jixiao.render.pdf"):
        pdf.docx_to_pdf(source, tmp_path / "out")
    messages = [r.getMessage() for r in caplog.records if r.name == "jixiao.render.pdf"]
    assert messages == pdf.font_warnings() and len(messages) == len(OFFICIAL)
    assert any("仿宋" in m and "Noto Serif CJK SC" in m for m in messages)
