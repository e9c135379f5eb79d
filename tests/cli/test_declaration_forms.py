"""``jixiao new --kind declaration`` and ``jixiao report --kind declaration|review-opinion``: files and
forms written, forms read back, Chinese errors with exit status 2 and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from jixiao import api
from jixiao.cli import main
from tests.render.declaration_cases import declaration


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx", "docx"])
def test_new_declaration_in_every_format_reads_back(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"申报.{fmt}"
    code, output = _run(
        "new",
        "--kind",
        "declaration",
        "--format",
        fmt,
        "--year",
        "2026",
        "--name",
        "河道保洁",
        "-o",
        str(out),
    )
    assert code == 0, output
    loaded = api.load_declaration(out)
    assert loaded.findings == [], loaded.findings
    assert loaded.declaration is not None
    assert loaded.declaration.model_copy(update={"source": None}) == api.new_declaration(
        year=2026, project_name="河道保洁"
    )


def test_new_declaration_to_the_terminal_and_by_suffix(tmp_path: Path) -> None:
    code, output = _run("new", "--kind", "declaration", "--annual-only")
    assert code == 0 and "kind: declaration" in output and "medium:" not in output
    assert "服务对象满意度指标" in output and output.startswith("# 绩效目标申报文件")
    out = tmp_path / "form.xlsx"
    code, _ = _run("new", "--kind", "declaration", "-o", str(out))
    assert code == 0 and "申报表" in openpyxl.load_workbook(out).sheetnames
    out = tmp_path / "data.json"
    code, _ = _run("new", "--kind", "declaration", "-o", str(out))
    assert code == 0 and json.loads(out.read_text(encoding="utf-8"))["kind"] == "declaration"


def test_new_without_a_framework_or_output_says_what_is_missing(tmp_path: Path) -> None:
    code, output = _run("new")
    assert code == 2 and "--framework" in output
    code, output = _run("new", "--kind", "declaration", "--to", "xlsx")
    assert code == 2 and "-o" in output
    code, output = _run("new", "-f", "self-2020", "--to", "docx", "-o", str(tmp_path / "x.docx"))
    assert code == 2 and "Word" in output
    code, output = _run("new", "--kind", "declaration", "--year", "1800")
    assert code == 2 and "预算年度" in output


@pytest.mark.parametrize("kind", ["declaration", "review-opinion"])
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_report_writes_the_declaration_documents(kind: str, fmt: str, tmp_path: Path) -> None:
    source = tmp_path / "申报.json"
    source.write_text(declaration().model_dump_json(), encoding="utf-8")
    code, output = _run("report", str(source), "--kind", kind, "--to", fmt)
    assert code == 0, output
    name = "申报表" if kind == "declaration" else "审核意见表"
    written = tmp_path / f"申报-{name}.{fmt}"
    assert output.strip().endswith(str(written)) and written.read_bytes()[:2] == b"PK"


def test_report_on_a_filled_in_form(tmp_path: Path) -> None:
    form = tmp_path / "form.docx"
    assert _run("new", "--kind", "declaration", "--year", "2025", "-o", str(form))[0] == 0
    document = docx.Document(str(form))
    cell = document.tables[0].rows[0].cells[2]
    cell.paragraphs[0].runs[0].text = "乡村道路养护"
    document.save(str(form))
    out = tmp_path / "out.xlsx"
    code, output = _run("report", str(form), "--kind", "declaration", "--to", "xlsx", "-o", str(out))
    assert code == 0, output
    assert api.load_declaration(out).declaration is not None
    assert api.load_declaration(out).declaration.project.name == "乡村道路养护"  # type: ignore[union-attr]


def test_report_errors_are_chinese_and_exit_2(tmp_path: Path) -> None:
    code, output = _run("report", str(tmp_path / "missing.yaml"), "--kind", "declaration")
    assert code == 2 and "不能读取为绩效目标申报数据" in output
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: declaration\nproject: {name: 1}\nyear: abc\n", encoding="utf-8")
    code, output = _run("report", str(bad), "--kind", "review-opinion")
    assert code == 2 and "无法生成文书" in output
    source = tmp_path / "d.json"
    source.write_text(declaration().model_dump_json(), encoding="utf-8")
    code, output = _run("report", str(source))  # an evaluation document of a declaration
    assert code == 2 and "--kind declaration" in output and "file.invalid" not in output
    form = tmp_path / "form.xlsx"
    assert _run("new", "--kind", "declaration", "-o", str(form))[0] == 0
    code, output = _run("report", str(form), "--kind", "self-table", "--to", "xlsx")
    assert code == 2 and "是绩效目标申报表" in output
    code, output = _run("report", str(source), "--kind", "declaration", "--template", str(source))
    assert code == 2 and "不支持自定义模板" in output
    code, output = _run("report", str(source), "--kind", "declaration", "-o", str(tmp_path))
    assert code == 2 and "无法写入" in output
