"""``jixiao rectify``, ``jixiao suggest`` and ``jixiao publish``: files written, Chinese errors, no tracebacks."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao import api
from jixiao.cli import main

EXAMPLE = str(api.example_files()[0])


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_rectify_builds_a_ledger_from_evaluations_and_audit_reports(tmp_path: Path) -> None:
    report = tmp_path / "审计报告.txt"
    report.write_text("1. 专项资金结余未上缴\n2. 政府采购未公开\n", encoding="utf-8")
    out = tmp_path / "台账.xlsx"
    code, stdout, stderr = _run(
        "rectify", EXAMPLE, "--audit-report", str(report), "--project", "审计项目",
        "--on", "2025-01-01", "--today", "2025-06-01", "-o", str(out),
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.strip() == str(out)
    items = api.read_ledger(out)
    assert {"审计项目"} < {i.project for i in items}
    assert all(i.deadline == date(2025, 1, 1) + timedelta(days=90) for i in items)
    assert f"共{len(items)}个问题，其中逾期{len(items)}个" in stderr
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.cell(row=3, column=16).value == "逾期"
    # again with the ledger: nothing doubles, the statuses kept
    code, _, _ = _run("rectify", EXAMPLE, "--ledger", str(out), "--on", "2025-02-01", "-o", str(out))
    assert code == 0 and len(api.read_ledger(out)) == len(items)


def test_rectify_errors_are_chinese(tmp_path: Path) -> None:
    code, _, stderr = _run("rectify")
    assert code == 2 and "请给出评价文件" in stderr
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"x")
    code, _, stderr = _run("rectify", "--audit-report", str(bad), "-o", str(tmp_path / "o.xlsx"))
    assert code == 2 and "无法读取为 Excel 工作簿" in stderr and "无法导入审计问题" in stderr
    code, _, stderr = _run("rectify", str(tmp_path / "无.yaml"))
    assert code == 2 and "找不到文件" in stderr
    code, _, stderr = _run("rectify", "--ledger", str(bad))
    assert code == 2 and "无法读取整改台账" in stderr


def test_suggest_as_text_csv_and_xlsx(tmp_path: Path) -> None:
    code, stdout, _ = _run("suggest", EXAMPLE)
    assert code == 0 and ("据实保障" in stdout or "优先保障" in stdout)
    out = tmp_path / "建议.csv"
    code, _, _ = _run("suggest", EXAMPLE, "--to", "csv", "-o", str(out))
    assert code == 0 and out.read_bytes().startswith(b"\xef\xbb\xbf")
    code, _, _ = _run("suggest", EXAMPLE, "--to", "xlsx", "-o", str(tmp_path / "建议.xlsx"))
    assert code == 0 and (tmp_path / "建议.xlsx").is_file()


def test_suggest_with_an_unknown_policy(tmp_path: Path) -> None:
    code, _, stderr = _run("suggest", EXAMPLE, "--policy", "nope")
    assert code == 2 and "找不到结果应用政策“nope”" in stderr and "Traceback" not in stderr


@pytest.mark.slow
def test_publish_writes_the_pdf_and_the_zip(tmp_path: Path) -> None:
    code, stdout, stderr = _run(
        "publish", EXAMPLE, "--unit", "示范单位", "--year", "2022", "-o", str(tmp_path)
    )
    assert code == 0, stderr
    assert [Path(line).suffix for line in stdout.split()] == [".pdf", ".zip"]


def test_rectify_reviews_target_declarations(tmp_path: Path) -> None:
    declaration = Path(__file__).parents[2] / "examples/declarations/employment-2025-flawed.yaml"
    out = tmp_path / "台账.xlsx"
    code, _, stderr = _run("rectify", str(declaration), "--on", "2025-01-01", "-o", str(out))
    assert code == 0, stderr
    items = api.read_ledger(out)
    assert items and all(i.category == "绩效目标" for i in items)
    assert any(i.finding_code and i.finding_code.startswith("decl.") for i in items)
