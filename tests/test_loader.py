"""Loading evaluation files: bad input gives clear Chinese findings naming file, line and field."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from jixiao.findings import Finding
from jixiao.loader import load_data, load_file, load_text

GOOD = """\
kind: self
year: 2020
project:
  name: 城乡居民养老金缴费补助
indicators:
  - level1: 产出指标
    level2: 数量指标
    name: 补助人数
    weight: 8
    target: 入口补每年116.11万人
    actual: 入口补每年108.13万人
    claimed: 8.00
"""


def _write(tmp_path: Path, text: str, name: str = "ev.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]


def test_good_file_loads_with_lines_and_printed_precision(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    loaded = load_file(path)
    assert loaded.ok and loaded.findings == []
    assert loaded.evaluation is not None
    ind = loaded.evaluation.indicators[0]
    assert ind.claimed == Decimal("8.00") and str(ind.claimed) == "8.00"
    assert ind.target is not None and ind.target.value == Decimal("116.11")
    assert ind.source is not None and (ind.source.file, ind.source.line) == (str(path), 6)
    assert loaded.line_of["indicators[0].weight"] == 9


def test_malformed_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("    weight: 8\n", "    weight: [8\n"))
    loaded = load_file(path)
    assert loaded.evaluation is None
    f = _only(loaded.findings)
    assert f.code == "file.syntax" and f.severity.value == "error"
    assert f.location.source is not None and f.location.source.file == str(path)
    assert f.location.source.line is not None and f.location.source.line >= 9
    assert "YAML 格式错误" in f.message and f"第{f.location.source.line}行" in f.message


def test_malformed_json(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"kind": "self",\n "project": }', "ev.json")
    f = _only(load_file(path).findings)
    assert f.code == "file.syntax" and "JSON 格式错误" in f.message
    assert f.location.source is not None and f.location.source.line == 2


def test_text_where_a_number_belongs(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("weight: 8", "weight: 十分"))
    loaded = load_file(path)
    assert loaded.evaluation is None
    f = _only(loaded.findings)
    assert f.code == "file.invalid"
    assert f.location.path == "indicators[0].weight"
    assert f.location.source is not None and (f.location.source.file, f.location.source.line) == (
        str(path),
        9,
    )
    assert f.message == "字段 indicators[0].weight：应为数字，实际为“十分”"


def test_negative_weight(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("weight: 8", "weight: -8"))
    f = _only(load_file(path).findings)
    assert f.location.path == "indicators[0].weight"
    assert f.location.source is not None and f.location.source.line == 9
    assert "不能小于下限（0）" in f.message and "-8" in f.message


def test_unknown_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("    claimed: 8.00\n", "    claimed: 8.00\n    socre: 8\n"))
    f = _only(load_file(path).findings)
    assert f.location.path == "indicators[0].socre"
    assert f.location.source is not None and f.location.source.line == 13
    assert "不认识的字段" in f.message


def test_unknown_rule_kind(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "    rule: {kind: magic}\n")
    f = _only(load_file(path).findings)
    assert f.location.path == "indicators[0].rule"
    assert f.location.source is not None and f.location.source.line == 13
    assert "评分规则类型（kind）不认识" in f.message


def test_bad_figure_mapping_names_the_figure_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("target: 入口补每年116.11万人", "target: {text: 116.11, valu: 1}"))
    f = _only(load_file(path).findings)
    assert f.location.path == "indicators[0].target.valu"
    assert f.location.source is not None and f.location.source.line == 10


def test_missing_required_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("kind: self\n", ""))
    f = _only(load_file(path).findings)
    assert f.location.path == "kind" and "缺少必填字段" in f.message


def test_not_a_mapping(tmp_path: Path) -> None:
    f = _only(load_file(_write(tmp_path, "- 1\n- 2\n")).findings)
    assert "键值对" in f.message and f.location.source is not None and f.location.source.line == 1


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert _only(load_file(tmp_path / "nope.yaml").findings).code == "file.unreadable"
    assert "目录" in _only(load_file(tmp_path).findings).message


def test_gb18030_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(GOOD.encode("gb18030"))
    assert load_file(path).ok


def test_load_data_and_text_agree() -> None:
    from_text = load_text(GOOD)
    assert from_text.evaluation is not None
    data = json.loads(from_text.evaluation.model_dump_json(exclude_none=True))
    from_data = load_data(data)
    assert from_data.findings == []
    assert from_data.evaluation is not None
    assert from_data.evaluation.indicators[0].claimed == Decimal("8.00")


def test_json_findings_have_lines_and_json_keeps_printed_places(tmp_path: Path) -> None:
    bad = _write(
        tmp_path,
        '{"kind": "self",\n "project": {"name": "x"},\n "indicators": [{"level1": "a",\n   "weight": "十分"}]}',
        "ev.json",
    )
    f = _only(load_file(bad).findings)
    assert f.location.path == "indicators[0].weight"
    assert f.location.source is not None and f.location.source.line == 4
    good = _write(
        tmp_path, '{"kind": "self", "project": {"name": "x"}, "claims": {"total": 99.80}}', "ok.json"
    )
    loaded = load_file(good)
    assert loaded.evaluation is not None and str(loaded.evaluation.claims.total) == "99.80"


def test_missing_top_level_field_points_at_line_1(tmp_path: Path) -> None:
    f = _only(load_file(_write(tmp_path, "project:\n  name: x\n")).findings)
    assert f.location.path == "kind"
    assert f.location.source is not None and f.location.source.line == 1
