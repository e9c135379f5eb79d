"""`jixiao pension estimate` and `jixiao pension params`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jixiao.cli import main

FILE = """
kind: self
year: 2019
project: {name: 代缴测试}
funds:
  total: {source: total, available: 671.214, spent: 617.22}
  lines:
    - {source: municipal, available: 523.544, spent: 493.776}
    - {source: county, available: 147.67, spent: 123.444}
  planned_spending: 654.43
pension:
  program: paid_on_behalf
  region: kunming
  persons: {planned: 65443, actual: 61722}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "e.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_estimate_text(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pension", "estimate", str(_write(tmp_path, FILE))])
    assert result.exit_code == 0, result.output
    assert "61722人 × 100元 = 617.22万元" in result.output
    assert "市级 65443人 × 80元 = 523.544万元" in result.output
    assert "pension.budget-estimate" in result.output


def test_estimate_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["pension", "estimate", str(_write(tmp_path, FILE)), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["actual"]["value"] == 617.22
    assert data["planned_by_level"]["county"]["value"] == 130.886
    assert {f["code"] for f in data["findings"]} >= {"pension.budget-estimate"}


def test_estimate_region_option(tmp_path: Path) -> None:
    args = ["pension", "estimate", str(_write(tmp_path, FILE)), "--region", "national"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "全国" in result.output


def test_estimate_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    no_block = _write(tmp_path, "kind: self\nproject: {name: x}\n")
    result = runner.invoke(main, ["pension", "estimate", str(no_block)])
    assert result.exit_code == 2 and "没有养老保险信息块" in result.output
    result = runner.invoke(main, ["pension", "estimate", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    bad = _write(tmp_path, FILE.replace("region: kunming", "region: atlantis"))
    result = runner.invoke(main, ["pension", "estimate", str(bad)])
    assert result.exit_code == 2 and "找不到养老保险参数" in result.output


def test_params_command() -> None:
    result = CliRunner().invoke(main, ["pension", "params", "--region", "jinzhong"])
    assert result.exit_code == 0
    assert "1000—2000元档次：40元/人/年" in result.output
    assert "（待核实）" in result.output
