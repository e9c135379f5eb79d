"""The 执行监控表 (docx, xlsx, pdf) written and read back; a unit's monitoring report; the real
执行监控 sheet of the shared corpus read by its headings."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from jixiao.checks.monitoring import review_monitoring
from jixiao.ingest.monitoring import ingest_monitoring
from jixiao.loader import load_monitoring_file
from jixiao.monitoring import Monitoring
from jixiao.render.errors import RenderError
from jixiao.render.monitoring_documents import (
    ReportEntry,
    render_monitoring_bytes,
    render_monitoring_report_bytes,
)

EXAMPLES = Path(__file__).parents[2] / "examples" / "monitoring"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/corpus")


def _example(name: str) -> Monitoring:
    monitoring = load_monitoring_file(EXAMPLES / f"{name}.yaml").monitoring
    assert monitoring is not None
    return monitoring


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items() if k not in {"source", "sources"}}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _content(monitoring: Monitoring) -> Any:
    data = monitoring.model_dump(mode="json", exclude_none=True, exclude={"source", "corrections", "notes"})
    return _plain(data)


@pytest.mark.parametrize("name", ["employment-2025-09-lagging", "pension-2025-06-on-track"])
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_the_form_reads_back_as_written(tmp_path: Path, name: str, fmt: str) -> None:
    monitoring = _example(name)
    path = tmp_path / f"form.{fmt}"
    path.write_bytes(render_monitoring_bytes(monitoring, fmt))
    loaded = ingest_monitoring(path)
    assert loaded.monitoring is not None, [f.message for f in loaded.findings]
    assert _content(loaded.monitoring) == _content(monitoring)


def test_a_unit_fills_in_the_form(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "form.xlsx"
    path.write_bytes(render_monitoring_bytes(_example("pension-2025-06-on-track"), "xlsx"))
    book = load_workbook(path)
    ws = book["执行监控表"]
    for row in ws.iter_rows():
        if row[2].value == "城乡居民养老保险参保率":
            row[5].value = "94%"
            row[12].value = None
            row[13].value = "✔"
    book.save(path)
    monitoring = ingest_monitoring(path).monitoring
    assert monitoring is not None
    changed = next(i for i in monitoring.indicators if i.name == "城乡居民养老保险参保率")
    assert changed.forecast is not None and changed.forecast.text == "94%"
    assert changed.likelihood is not None and changed.likelihood.value == "possible"
    codes = {f.code for f in review_monitoring(monitoring).findings}
    assert {"mon.no-cause", "mon.no-measures"} <= codes


def test_the_form_carries_the_light_and_findings() -> None:
    monitoring = _example("employment-2025-09-lagging")
    audit = review_monitoring(monitoring)
    data = render_monitoring_bytes(
        monitoring, "docx", findings=audit.findings, light=audit.light.value, reasons=audit.warning.reasons()
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "预警：红灯" in text and "序时进度" in text and "监控审核发现的问题" in text


def test_a_units_report_lists_its_projects_with_lights() -> None:
    entries = []
    for name in ("employment-2025-09-lagging", "pension-2025-06-on-track"):
        monitoring = _example(name)
        audit = review_monitoring(monitoring)
        entries.append(ReportEntry(monitoring, audit.light.value, audit.warning.reasons(), audit.findings))
    data = render_monitoring_report_bytes("某区人力资源和社会保障局", entries, "docx")
    document = Document(io.BytesIO(data))
    summary = document.tables[0]
    cells = [[c.text for c in row.cells] for row in summary.rows]
    assert cells[1][1] == "就业补助资金" and cells[1][4] == "红灯"
    assert cells[2][4] == "绿灯"
    assert "红灯1个、黄灯0个、绿灯1个" in "\n".join(p.text for p in document.paragraphs)
    assert len(document.tables) >= 3  # the summary, then each project's table


def test_kinds_and_formats_are_checked() -> None:
    monitoring = _example("pension-2025-06-on-track")
    with pytest.raises(RenderError):
        render_monitoring_bytes(monitoring, "odt")
    with pytest.raises(RenderError):
        render_monitoring_report_bytes("某单位", [ReportEntry(monitoring, "green")], "xlsx")
    with pytest.raises(RenderError):
        render_monitoring_report_bytes("某单位", [], "docx")


@pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="no LibreOffice"
)
def test_pdf() -> None:
    data = render_monitoring_bytes(_example("pension-2025-06-on-track"), "pdf")
    assert data.startswith(b"%PDF")


def test_the_real_monitoring_sheet() -> None:
    path = SHARED / "001.xls"
    if not path.exists():
        pytest.skip("001.xls not in the shared corpus")
    loaded = ingest_monitoring(path)
    monitoring = loaded.monitoring
    assert monitoring is not None, [f.message for f in loaded.findings]
    assert (
        monitoring.source is not None and monitoring.source.table == 7
    )  # the sheet 项目支出绩效目标执行监控
    assert (monitoring.year, monitoring.cutoff_month) == (2019, 7)
    assert monitoring.project.name == "2019年210青少年校园足球扶持资金"
    assert (monitoring.project.department, monitoring.project.department_code) == ("教育部", "105")
    assert monitoring.project.unit == "北京大学"
    assert [f.source.value for f in monitoring.funds] == ["total", "appropriation", "carryover", "other"]
    total = monitoring.funds[0]
    assert total.budget is not None and total.budget == 190 and total.spent == 0
    assert len(monitoring.indicators) == 14
    first, last = monitoring.indicators[0], monitoring.indicators[-1]
    assert (first.level1, first.level2, first.name) == ("产出指标", "成本指标", "成本节约率")
    assert first.target is not None and first.target.text == "≥0"
    assert first.to_date is not None and first.to_date.text == "一般"
    assert first.forecast is not None and first.forecast.text == "100%"
    assert first.likelihood is not None and first.likelihood.value == "certain"
    assert first.causes and first.causes[0].text == "制作5集样片，下半年会集中出版"
    assert (last.level1, last.name, last.target.text if last.target else None) == (
        "满意度指标",
        "校园用户满意度",
        "很满意",
    )
    assert first.source is not None and first.source.row is not None
    assert any(n.startswith("年度总体目标：") for n in monitoring.notes)
    review_monitoring(monitoring)  # a real report reviews without a crash


def test_a_file_without_a_monitoring_table(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from jixiao.ingest.monitoring import holds_monitoring

    path = tmp_path / "other.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["项目名称", "某项目"])
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"])
    book.save(path)
    loaded = ingest_monitoring(path)
    assert loaded.monitoring is None and loaded.findings[0].code == "ingest.no-monitoring"
    assert not holds_monitoring(path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    loaded = ingest_monitoring(broken)
    assert loaded.monitoring is None and loaded.findings


def test_a_form_without_its_cutoff_is_refused(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "form.xlsx"
    path.write_bytes(render_monitoring_bytes(_example("pension-2025-06-on-track"), "xlsx"))
    book = load_workbook(path)
    ws = book["执行监控表"]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("1—6月"):
                cell.value = cell.value.replace("1—6月", "")
    book.save(path)
    loaded = ingest_monitoring(path)
    assert loaded.monitoring is None and "截止月份" in loaded.findings[0].message


def test_the_real_workbook_is_not_taken_for_a_monitoring_form() -> None:
    from jixiao.ingest.monitoring import holds_monitoring

    path = SHARED / "001.xls"
    if not path.exists():
        pytest.skip("001.xls not in the shared corpus")
    assert not holds_monitoring(path)  # its first sheet is 项目基本信息: jixiao check reads it as before
