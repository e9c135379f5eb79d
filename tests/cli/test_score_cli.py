"""`jixiao score`: table and JSON output, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jixiao.cli import main

GOOD = """
kind: self
year: 2022
project: {name: 测试项目, unit: 测试单位}
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 参保人数, weight: 50, target: "≥100万人", actual: "90万人", claimed: 50}
  - {level1: 效益指标, level2: 社会效益指标, name: 待遇按时发放, weight: 40, claimed: 40}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, weight: 10, target: "≥90%", actual: "95%", claimed: 10}
claims: {total: 100, grade: 优}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_shape(tmp_path: Path) -> None:
    path = _write(tmp_path, "good.yaml", GOOD)
    out = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    record = json.loads(out.output)["files"][0]
    assert record["project"] == {"name": "测试项目", "year": 2022, "unit": "测试单位"}
    assert record["kind"] == "self"
    assert record["total"] == {"claimed": 100, "computed": 95.0}
    assert record["grade"] == {"claimed": "优", "computed": "优"}
    assert [lv["name"] for lv in record["levels"]] == ["产出指标", "效益指标", "满意度指标"]
    first = record["indicators"][0]
    assert first["computed"] == 45.0 and first["claimed"] == 50
    assert first["explanation"] == "90万人 / 100万人 = 90.00% × 50分 = 45.00分"
    assert set(first) >= {
        "level1",
        "level2",
        "name",
        "weight",
        "target",
        "actual",
        "claimed",
        "computed",
        "explanation",
    }


def test_text_table(tmp_path: Path) -> None:
    path = _write(tmp_path, "good.yaml", GOOD)
    out = CliRunner().invoke(main, ["score", str(path)])
    assert out.exit_code == 0
    assert "参保人数" in out.output and "45.00" in out.output and "合计" in out.output


def test_bad_files_exit_2_with_place(tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.yaml", "kind: self\nproject: {name: x\n")
    wrong = _write(
        tmp_path,
        "wrong.yaml",
        "kind: self\nproject: {name: x}\nindicators:\n  - {level1: 产出, weight: 十分}\n",
    )
    out = CliRunner().invoke(main, ["score", str(broken), str(wrong)])
    assert out.exit_code == 2
    assert "YAML 格式错误" in out.output
    assert f"{wrong}:4" in out.output and "indicators[0].weight" in out.output and "应为数字" in out.output


def test_missing_file_and_policy(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["score", str(tmp_path / "nope.yaml")])
    assert out.exit_code == 2 and "不存在" in out.output
    good = _write(tmp_path, "good.yaml", GOOD)
    out = CliRunner().invoke(main, ["score", str(good), "--policy", "no-such"])
    assert out.exit_code == 2 and "national-2020" in out.output
