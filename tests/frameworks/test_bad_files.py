"""A bad framework file gives findings with the file and the line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.frameworks import load_framework, load_framework_with_findings, new_evaluation
from jixiao.frameworks.loader import FrameworkError

GOOD = """\
name: local-x
title: 某省自评表
kind: self
levels:
  - name: 产出指标
    weight: 60
    groups:
      - name: 数量指标
        indicators:
          - name: 补助人数
            weight: 60
            rule: {kind: ratio}
  - name: 效益指标
    weight: 40
    groups:
      - name: 社会效益指标
        indicators:
          - name: 待遇按时发放
            weight: 40
            rule: {kind: qualitative}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "local.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _one(tmp_path: Path, text: str) -> tuple[str, int | None, str, str]:
    path = _write(tmp_path, text)
    framework, problems = load_framework_with_findings(path)
    assert framework is None
    assert len(problems) == 1, [p.message for p in problems]
    (p,) = problems
    assert p.location.source is not None and p.location.source.file == str(path)
    return p.code, p.location.source.line, p.location.path, p.message


def test_a_user_file_loads_by_path(tmp_path: Path) -> None:
    framework = load_framework(_write(tmp_path, GOOD))
    assert framework.name == "local-x"
    assert [i.name for i in new_evaluation(framework).indicators] == ["补助人数", "待遇按时发放"]


def test_malformed_yaml(tmp_path: Path) -> None:
    code, line, _, message = _one(tmp_path, GOOD.replace("    weight: 60\n", "    weight: [60\n", 1))
    assert code == "framework.syntax"
    assert line is not None and line >= 6
    assert "YAML 格式错误" in message


def test_unknown_field(tmp_path: Path) -> None:
    code, line, path, message = _one(
        tmp_path, GOOD.replace("            weight: 60\n", "            wieght: 60\n")
    )
    assert code == "framework.invalid"
    assert line == 11
    assert path == "levels[0].groups[0].indicators[0].wieght"
    assert "不认识的字段" in message


def test_negative_weight(tmp_path: Path) -> None:
    text = GOOD.replace("            weight: 40\n", "            weight: -40\n")
    code, line, path, message = _one(tmp_path, text)
    assert (code, line, path) == ("framework.invalid", 19, "levels[1].groups[0].indicators[0].weight")
    assert "不能小于下限" in message and "-40" in message


def test_unknown_rule_kind(tmp_path: Path) -> None:
    code, line, path, message = _one(tmp_path, GOOD.replace("{kind: qualitative}", "{kind: magic}"))
    assert (code, line) == ("framework.invalid", 20)
    assert path == "levels[1].groups[0].indicators[0].rule"
    assert "评分规则类型（kind）不认识" in message


def test_weights_that_do_not_add_up(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    weight: 60\n    groups:\n      - name: 数量指标\n",
        "    weight: 60\n    groups:\n      - name: 数量指标\n        weight: 50\n",
    )
    code, line, path, message = _one(tmp_path, text)
    assert (code, line, path) == ("framework.invalid", 8, "levels[0].groups[0]")
    assert "50" in message and "60" in message


def test_total_other_than_100_is_a_warning(tmp_path: Path) -> None:
    text = GOOD.replace("weight: 40", "weight: 30")
    framework, problems = load_framework_with_findings(_write(tmp_path, text))
    assert framework is not None
    assert [(p.code, p.severity.value) for p in problems] == [("framework.weights", "warning")]


def test_missing_file_raises_with_findings(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as info:
        load_framework(tmp_path / "nope.yaml")
    assert info.value.findings[0].code == "framework.unknown"
