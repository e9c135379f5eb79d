"""Every layout of the generated corpus extracts to the expected summary fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.ingest import ingest_file, read_document, summarize
from jixiao.ingest.document import Table


def _compare(summary: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    wrong: dict[str, Any] = {}
    for key, value in expected.items():
        got = summary.get(key)
        if key == "indicators":
            got = [
                {k: i[k] for k in ("name", "target", "actual", "weight", "score")}
                for i in summary["indicators"]
            ]
        if got != value:
            wrong[key] = got
    return wrong


def test_every_layout(corpus: list[tuple[Path, dict[str, Any]]]) -> None:
    wrong = {p.name: w for p, e in corpus if (w := _compare(summarize(ingest_file(p)), e))}
    assert wrong == {}


def test_merged_cells_are_read_once(corpus: list[tuple[Path, dict[str, Any]]]) -> None:
    path = next(p for p, _ in corpus if p.name == "form-merged.docx")
    doc, findings = read_document(path)
    assert doc is not None and findings == []
    table = doc.tables[0]
    column = [row[0] for row in table.rows]
    assert column.count("产出指标") == 1
    assert table.rows[0][1] == "农村饮水安全巩固提升工程" and table.rows[0][2] == ""


def test_html_rowspan_and_metadata(corpus: list[tuple[Path, dict[str, Any]]]) -> None:
    path = next(p for p, _ in corpus if p.suffix == ".html")
    doc, _ = read_document(path)
    assert doc is not None
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables[0].rows[0][:2] == ["索引号：", "11530000/2024-0001"]
    form = tables[1]
    assert [r[0] for r in form.rows[7:10]] == ["产出指标", "", ""]


def test_gbk_text_gives_an_info_finding(corpus: list[tuple[Path, dict[str, Any]]]) -> None:
    path = next(p for p, _ in corpus if p.name == "form-gbk.txt")
    loaded = ingest_file(path)
    assert [f.code for f in loaded.findings if f.code.startswith("ingest.encoding")] == ["ingest.encoding"]


def test_provenance_of_table_cells(corpus: list[tuple[Path, dict[str, Any]]]) -> None:
    path = next(p for p, _ in corpus if p.name == "form-tabs.txt")
    ev = ingest_file(path).evaluation
    assert ev is not None
    ind = ev.indicators[0]
    assert ind.source is not None and ind.source.line == 10 and ind.source.table == 1
    assert ind.target is not None and ind.target.source is not None and ind.target.source.text == "≥12处"
    assert ev.funds.total.sources["spent"].column == 5


def test_page_markers_and_hard_breaks(tmp_path: Path) -> None:
    text = "一、基本情况\n项目年初预算安排资金1200万元，实际到\n位资金1200万元。\n\n—1—\n\n预算执行率为95.88%。\n"
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    loaded = ingest_file(path)
    assert loaded.evaluation is not None
    funds = loaded.evaluation.funds
    assert funds.total.available == 1200 and funds.execution_rate is not None
    assert funds.execution_rate.source is not None and funds.execution_rate.source.page == 2


def test_ambiguous_figures_stay_unknown(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("项目名称：测试项目\n预算执行率为95%。\n另一处预算执行率为97%。\n", encoding="utf-8")
    loaded = ingest_file(path)
    assert loaded.evaluation is not None and loaded.evaluation.funds.execution_rate is None
    assert "ingest.ambiguous-rate" in [f.code for f in loaded.findings]


@pytest.mark.slow
def test_libreoffice_pdfs(tmp_path: Path) -> None:
    from tests.ingest.make_corpus import build, build_pdfs

    build(tmp_path)
    pdfs = build_pdfs(tmp_path)
    if not pdfs:
        pytest.skip("LibreOffice not installed")
    wrong = {p.name: w for p, e in pdfs if (w := _compare(summarize(ingest_file(p)), e))}
    assert wrong == {}
