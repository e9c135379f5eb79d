"""`jixiao check`: text, JSON and CSV output, --min-severity, exit codes, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.batch import read_csv_rows
from jixiao.cli import main
from tests.checks.helpers import EVALUATIONS

WRONG_GRADE = """
kind: self
year: 2023
project: {name: 测试项目}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 参保人数, weight: 60, target: "≥100万人", actual: "90万人", claimed: 60}
  - {level1: 效益指标, level2: 社会效益指标, name: 待遇按时发放, weight: 30, claimed: 30}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, weight: 10, claimed: 10}
claims: {total: 100, grade: 良}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _clean(tmp_path: Path) -> Path:
    return Path(shutil.copy(EVALUATIONS / "self-form.yaml", tmp_path / "clean.yaml"))


def test_clean_file_exits_zero_with_a_summary(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["check", str(_clean(tmp_path))])
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert lines[-1] == "共复核1个文件：0个错误，0个警告，0个提示"
    assert "重算98.90" in lines[-2]


def test_text_lines_point_at_the_yaml_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    out = CliRunner().invoke(main, ["check", str(path)])
    assert out.exit_code == 1
    grade_line = next(line for line in out.output.splitlines() if "grade.mismatch" in line)
    assert grade_line.startswith(f"{path}:9: 错误 grade.mismatch 评价等级印为“良”")
    full = next(line for line in out.output.splitlines() if "inflation.full-marks" in line)
    assert full.startswith(f"{path}:6: 警告 ")
    assert not re.search(r": (error|warning|info) ", out.output)  # severities in Chinese, every line


def test_json_shape(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    out = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert out.exit_code == 1
    record = json.loads(out.output)["files"][0]
    assert record["file"] == str(path)
    assert record["total"] == {"claimed": 100, "computed": 94.0}
    assert record["grade"] == {"claimed": "良", "computed": "优"}
    first = record["findings"][0]
    assert set(first) >= {"code", "severity", "message", "location", "expected", "actual"}
    assert first["code"] == "grade.mismatch" and first["location"]["line"] == 9
    assert first["expected"] == "优" and first["actual"] == "良"
    full = next(f for f in record["findings"] if f["code"] == "inflation.full-marks")
    assert full["expected"] == 54.0 and full["actual"] == 60  # numbers stay JSON numbers


def test_csv_and_min_severity(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    out = CliRunner().invoke(main, ["check", str(path), "--format", "csv", "--min-severity", "error"])
    assert out.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["code"] for r in rows] == ["grade.mismatch"]
    assert rows[0]["line"] == "9" and rows[0]["severity"] == "error"


def test_min_severity_does_not_change_the_exit_code(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE.replace("grade: 良", "grade: 优"))
    out = CliRunner().invoke(main, ["check", str(path), "--min-severity", "error"])
    assert out.exit_code == 0
    assert out.output.strip().splitlines()[-1] == "共复核1个文件：0个错误，0个警告，0个提示"


def test_unusable_input_exits_two(tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.yaml", "kind: self\nproject: [\n")
    missing = tmp_path / "missing.yaml"
    out = CliRunner().invoke(main, ["check", str(broken), str(missing), str(_clean(tmp_path))])
    assert out.exit_code == 2
    assert "missing.yaml" in out.output and "broken.yaml" in out.output
    assert "Traceback" not in out.output


def test_unknown_policy_exits_two(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["check", str(_clean(tmp_path)), "--policy", "nowhere"])
    assert out.exit_code == 2
    assert "nowhere" in out.output


def test_a_document_that_cannot_be_read_exits_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_reader(path: Path) -> None:
        raise ModuleNotFoundError("No module named 'jixiao.ingest'", name="jixiao.ingest")

    monkeypatch.setattr("jixiao.api.load", no_reader)
    out = CliRunner().invoke(main, ["check", str(_write(tmp_path, "report.pdf", ""))])
    assert out.exit_code == 2
    assert "report.pdf" in out.output and "Traceback" not in out.output


def test_policy_file_changes_the_grade_bands(tmp_path: Path) -> None:
    policy = _write(
        tmp_path,
        "strict.yaml",
        "extends: national-2020\nname: strict\ngrades:\n  - {name: 优, min: 96}\n  - {name: 良, min: 80}\n"
        "  - {name: 中, min: 60}\n  - {name: 差, min: 0}\n",
    )
    finance = Path(shutil.copy(EVALUATIONS / "finance-eval.yaml", tmp_path / "finance.yaml"))
    plain = CliRunner().invoke(main, ["check", str(finance), "--format", "json"])
    strict = CliRunner().invoke(main, ["check", str(finance), "--format", "json", "--policy", str(policy)])
    assert plain.exit_code == 0 and strict.exit_code == 1, strict.output
    codes = [f["code"] for f in json.loads(strict.output)["files"][0]["findings"]]
    assert "grade.mismatch" in codes


def test_several_files_in_one_json_document(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    out = CliRunner().invoke(main, ["check", str(_clean(tmp_path)), str(bad), "--format", "json"])
    assert out.exit_code == 1
    files = json.loads(out.output)["files"]
    assert [len(f["findings"]) == 0 for f in files] == [True, False]


def test_min_severity_takes_the_chinese_word(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    chinese = CliRunner().invoke(main, ["check", str(path), "--min-severity", "错误"])
    english = CliRunner().invoke(main, ["check", str(path), "--min-severity", "error"])
    assert chinese.exit_code == english.exit_code == 1
    assert chinese.output == english.output
    assert "grade.mismatch" in chinese.output and "inflation.full-marks" not in chinese.output


def test_unusable_file_findings_are_in_chinese_and_name_file_and_line(tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.yaml", "kind: self\nproject:\n\tname: x\n")
    out = CliRunner().invoke(main, ["check", str(broken)])
    assert out.exit_code == 2
    (line,) = [text for text in out.output.splitlines() if "file.syntax" in text]
    assert line.startswith(f"{broken}:3: 错误 file.syntax YAML 格式错误：")
    assert "制表符" in line and "found character" not in line and "while scanning" not in line


def test_csv_on_stdout_has_no_bom_and_keeps_identifiers(tmp_path: Path) -> None:
    """stdout goes to programs and pipes: no byte-order mark; severities as identifiers."""
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    out = CliRunner().invoke(main, ["check", str(path), "--format", "csv"])
    assert not out.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert {"error", "warning"} <= {r["severity"] for r in rows} <= {"error", "warning", "info"}


def test_output_file_csv_has_the_bom_for_excel(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    target = tmp_path / "out" / "复核意见.csv"
    out = CliRunner().invoke(main, ["check", str(path), "-o", str(target)])  # the suffix says csv
    assert out.exit_code == 1, out.output
    assert "结果已写入" in out.output and str(target) in out.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    stdout = CliRunner().invoke(main, ["check", str(path), "--format", "csv"]).stdout_bytes
    # the same rows; the file has the mark and Chinese headers (people open it), stdout the identifiers
    assert data.decode("utf-8-sig").split("\n", 1)[1] == stdout.decode().split("\n", 1)[1]
    assert data.decode("utf-8-sig").startswith("文件,行,严重程度,代码,复核意见")
    rows = read_csv_rows(target)
    grade = next(r for r in rows if r["code"] == "grade.mismatch")
    assert grade["severity"] == "error" and grade["line"] == "9" and "评价等级" in grade["message"]


def test_output_file_json_is_plain_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", WRONG_GRADE)
    target = tmp_path / "audit.txt"
    out = CliRunner().invoke(main, ["check", str(path), "--format", "json", "-o", str(target)])
    assert out.exit_code == 1
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    stdout = CliRunner().invoke(main, ["check", str(path), "--format", "json"]).stdout_bytes
    assert data == stdout
    assert json.loads(data)["files"][0]["findings"][0]["severity"] == "error"


@pytest.mark.parametrize(
    ("fmt", "name", "words"),
    [(None, "out.txt", "无法从文件名"), ("text", "out.csv", "只用于 JSON 或 CSV")],
)
def test_output_file_needs_a_machine_format(tmp_path: Path, fmt: str | None, name: str, words: str) -> None:
    fmt_args = ["--format", fmt] if fmt else []
    out = CliRunner().invoke(main, ["check", str(_clean(tmp_path)), *fmt_args, "-o", str(tmp_path / name)])
    assert out.exit_code == 2 and words in out.output
    assert not (tmp_path / name).exists()
