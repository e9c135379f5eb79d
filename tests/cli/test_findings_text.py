"""Every command prints a finding as ``file:line: 错误 code message``: the severity in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

BROKEN = "kind: self\nproject:\n  name: x\n\tunit: y\n"  # a tab on line 4


@pytest.mark.parametrize(
    "command",
    [["score"], ["check"], ["report"], ["pension", "estimate"], ["check", "--format", "json"]],
    ids=lambda c: " ".join(c),
)
def test_load_findings_name_file_line_and_severity_in_chinese(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    out = CliRunner().invoke(main, [*command, str(path)])
    assert out.exit_code == 2, out.output
    (line,) = [text for text in out.output.splitlines() if "file.syntax" in text]
    assert line.startswith(f"{path}:4: 错误 file.syntax YAML 格式错误：这一行有制表符（Tab）")
    assert not re.search(r"\b(error|warning|info)\b", out.output)
    assert "found character" not in out.output and "Traceback" not in out.output


def test_ingest_prints_reader_findings_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"nope")
    out = CliRunner().invoke(main, ["ingest", str(bad)])
    assert out.exit_code == 1
    (line,) = [text for text in out.output.splitlines() if "ingest.not-pdf" in text]
    assert re.match(rf"{re.escape(str(bad))}(:\d+)?: (错误|警告|提示) ingest\.not-pdf ", line), line


def test_a_broken_policy_file_is_reported_in_chinese(tmp_path: Path) -> None:
    evaluation = tmp_path / "ev.yaml"
    evaluation.write_text("kind: self\nproject: {name: x}\n", encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text("extends: national-2020\nname: p\nname: q\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["check", str(evaluation), "--policy", str(policy)])
    assert out.exit_code == 2
    (line,) = [text for text in out.output.splitlines() if "重复" in text]
    assert line.startswith(f"{policy}:3: 错误 ")
    assert "字段“name”重复：第2行已有“name”" in line and "duplicate" not in out.output
