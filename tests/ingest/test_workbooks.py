"""Workbooks holding one project per sheet: one evaluation per project, everywhere a file is read."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from jixiao import api
from jixiao.batch import process_document, read_csv_rows
from jixiao.cli import main
from jixiao.ingest import ingest_file, ingest_parts

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def _project_sheet(ws: object, name: str, unit: str, rows: list[list[object]]) -> None:
    ws.append(["项目支出绩效自评表"])  # type: ignore[attr-defined]
    ws.append(["项目名称：", name, "实施单位：", unit])  # type: ignore[attr-defined]
    ws.append(["政策依据：", "《关于印发2012年度民生实事项目的通知》，2018年度5月完成建设"])  # type: ignore[attr-defined]
    ws.append(HEADER)  # type: ignore[attr-defined]
    for row in rows:
        ws.append(row)  # type: ignore[attr-defined]


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "填报说明"
    cover.append(["填报说明：2023年度项目支出绩效自评，每个工作表一个项目"])
    _project_sheet(
        wb.create_sheet("1.高龄老人津贴"),
        "高龄老人津贴",
        "某街道办事处",
        [
            ["产出指标", "数量指标", "发放人数", "≥1200人", "1250人", 50, 50],
            ["产出指标", "质量指标", "不适用", "不适用", "不适用", None, None],
            ["效益指标", "社会效益指标", "老人生活水平", "得到提升", "得到提升", 40, 40],
        ],
    )
    _project_sheet(
        wb.create_sheet("2.居家养老服务"),
        "居家养老服务经费",
        "某街道办事处",
        [["产出指标", "数量指标", "服务人次", "≥5000人次", "4000人次", 60, 60]],
    )
    extra = wb.create_sheet("2附.资金明细")  # no project name: belongs to the sheet before
    extra.append(["资金来源", "金额（万元）"])
    extra.append(["区级财政", 30])
    target = path / "book.xlsx"
    wb.save(target)
    return target


def test_one_evaluation_per_project_sheet(tmp_path: Path) -> None:
    parts = ingest_parts(_workbook(tmp_path))
    assert [p.part for p in parts] == ["1.高龄老人津贴", "2.居家养老服务"]
    first, second = (p.evaluation for p in parts)
    assert first is not None and second is not None
    assert (first.project.name, second.project.name) == ("高龄老人津贴", "居家养老服务经费")
    assert [i.name for i in first.indicators] == ["发放人数", "老人生活水平"]  # 不适用 row left out
    assert [i.name for i in second.indicators] == ["服务人次"]
    assert first.year == second.year == 2023  # from the shared cover sheet, not the cited 2012年度
    assert parts[1].label.endswith("book.xlsx#2.居家养老服务")


def test_single_reader_warns_about_the_other_projects(tmp_path: Path) -> None:
    loaded = ingest_file(_workbook(tmp_path))
    assert loaded.evaluation is not None and loaded.evaluation.project.name == "高龄老人津贴"
    (warning,) = [f for f in loaded.findings if f.code == "ingest.several-projects"]
    assert "2 个项目" in warning.message


def test_one_project_over_several_sheets_stays_whole(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    _project_sheet(
        wb.active, "校园足球扶持资金", "某大学", [["产出指标", "数量指标", "场次", "≥10场", "12场", 100, 100]]
    )
    plan = wb.create_sheet("支出计划")
    plan.append(["项目名称", "校园足球扶持资金"])
    plan.append(["支出计划（万元）", 190])
    path = tmp_path / "one.xlsx"
    wb.save(path)
    (loaded,) = ingest_parts(path)
    assert loaded.part is None and loaded.evaluation is not None
    assert loaded.evaluation.project.name == "校园足球扶持资金"


def test_check_ingest_and_batch_read_every_project(tmp_path: Path) -> None:
    book = _workbook(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(book), "--format", "json"])
    files = [f["file"] for f in json.loads(result.stdout)["files"]]
    assert [Path(f).name for f in files] == ["book.xlsx#1.高龄老人津贴", "book.xlsx#2.居家养老服务"]
    text = runner.invoke(main, ["check", str(book)]).stdout
    assert "共复核1个文件（含2个评价）" in text
    assert "book.xlsx#2.居家养老服务:5: " in text  # findings point at the sheet's row

    out = tmp_path / "out"
    result = runner.invoke(main, ["ingest", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["book-01.yaml", "book-02.yaml"]
    loaded = api.load(out / "book-02.yaml")
    assert loaded.ok and loaded.evaluation is not None
    assert loaded.evaluation.project.name == "居家养老服务经费"

    result = runner.invoke(main, ["ingest", str(book), "--summary", "--format", "json"])
    assert [(s["part"], s["project"]) for s in json.loads(result.stdout)][1] == (
        "2.居家养老服务",
        "居家养老服务经费",
    )
    rows = process_document(str(book))
    assert [r["part"] for r in rows] == ["1.高龄老人津贴", "2.居家养老服务"]
    summary = tmp_path / "summary.csv"
    findings = tmp_path / "findings.csv"
    runner.invoke(
        main, ["batch", str(book), "-o", str(summary), "--findings", str(findings), "--no-progress"]
    )
    table = list(read_csv_rows(summary))
    assert [(r["part"], r["project"]) for r in table] == [
        ("1.高龄老人津贴", "高龄老人津贴"),
        ("2.居家养老服务", "居家养老服务经费"),
    ]
    assert {r["part"] for r in read_csv_rows(findings)} <= {r["part"] for r in table}
    # resuming skips the workbook as a whole
    runner.invoke(main, ["batch", str(book), "-o", str(summary), "--no-progress"])
    assert len(list(read_csv_rows(summary))) == 2
