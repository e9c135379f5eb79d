"""PDF through LibreOffice: one batch conversion for the whole suite (slow), plus the missing-binary error."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from jixiao import api
from jixiao.model import Evaluation, Project
from jixiao.render import RenderError, pdf
from tests.render.conftest import SEEDS, computed_figures, load_seed, missing, printed_figures


def _numbers_only(figures: list[str]) -> list[str]:
    """Figures that are numbers (wrapped Chinese text in narrow cells may break across lines)."""
    return [f for f in figures if f.replace(".", "").replace("%", "").isdigit()]


@pytest.mark.slow
def test_pdfs_of_every_seed_hold_every_figure(tmp_path: Path) -> None:
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


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="LibreOffice"):
        api.render(Evaluation(kind="self", project=Project(name="x")), "self-table", "pdf")
