"""``jixiao report``: options, output file, errors as Chinese messages with exit status 2."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from jixiao.cli import main
from tests.render.conftest import EXAMPLES


def test_report_writes_each_kind(tmp_path: Path) -> None:
    source = EXAMPLES / "002-jinzhong-2020.yaml"
    runner = CliRunner()
    out = tmp_path / "t.xlsx"
    result = runner.invoke(
        main, ["report", str(source), "--kind", "self-table", "--to", "xlsx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "自评表" in openpyxl.load_workbook(out).sheetnames
    out = tmp_path / "r.docx"
    result = runner.invoke(main, ["report", str(source), "--to", "docx", "-o", str(out), "--with-findings"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_unusable_input_and_bad_template_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "无法生成文书" in result.output
    bad = tmp_path / "bad.docx"
    bad.write_text("hello")
    result = runner.invoke(
        main,
        [
            "report",
            str(EXAMPLES / "003-dongchuan-2019.yaml"),
            "--template",
            str(bad),
            "-o",
            str(tmp_path / "x.docx"),
        ],
    )
    assert result.exit_code == 2 and "不是 zip" in result.output
    assert "Traceback" not in result.output
