"""Loading evaluation files: bad input gives clear Chinese findings naming file, line and field."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

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


# ---------------------------------------------------------------- broken files in words of the file

# What ruamel and json say in English; none of it may reach a user.
ENGLISH = re.compile(
    r"while (scanning|parsing|constructing)|found (character|unexpected|duplicate|undefined)|"
    r"expected|cannot start|not allowed|token|stream|block (end|mapping)|Expecting|delimiter|"
    r"Unterminated|Invalid|Extra data|special characters|position|unicode string"
)
# Latin words a Chinese message may hold: format names and the key the user wrote.
LATIN_OK = {"YAML", "JSON", "Tab", "UTF", "Windows", "kind", "name", "project", "unit", "title", "levels"}


def _chinese_only(message: str) -> None:
    assert not ENGLISH.search(message), message
    assert set(re.findall(r"[A-Za-z]{3,}", message)) <= LATIN_OK, message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param("kind: self\nproject:\n\tname: x\n", 3, "制表符（Tab）", id="tab-indent"),
        pytest.param("kind: self\nproject:\n  name: x\n\tunit: y\n", 4, "制表符（Tab）", id="tab-later"),
        pytest.param(
            'kind: self\nproject:\n  name: "x\nyear: 2020\n', 3, "引号没有闭合", id="open-double-quote"
        ),
        pytest.param(
            "kind: self\nproject:\n  name: 'x\nyear: 2020\n", 3, "引号没有闭合", id="open-single-quote"
        ),
        pytest.param(
            "kind: self\nyear: 2020\nproject:\n  name: x\nkind: finance\n",
            5,
            "字段“kind”重复：第1行已有“kind”",
            id="duplicate-key",
        ),
        pytest.param(
            "kind: self\nproject:\n  name: x\n  unit: y\n  name: z\n",
            5,
            "字段“name”重复：第3行已有“name”",
            id="duplicate-nested-key",
        ),
        pytest.param("kind: self\nproject:\n    name: x\n  unit: y\n", 4, "缩进与上文不一致", id="dedent"),
        pytest.param(
            "kind: self\nproject:\n  name: x\n   unit: y\n", 4, "冒号（:）不能出现在这里", id="indent"
        ),
        pytest.param("kind: self\n- x\n", 2, "缩进与上文不一致", id="stray-list-item"),
        pytest.param("kind: self\nproject\nyear: 2020\n", 2, "少了冒号", id="missing-colon"),
        pytest.param("kind: self\nproject: name: x\n", 2, "值里含有“: ”", id="colon-in-value"),
        pytest.param("kind: self\nproject: {name: x\n", 2, "花括号“{”没有闭合", id="open-brace"),
        pytest.param("kind: self\nunit: @财政局\n", 2, "“@”不能作为值的开头", id="at-sign"),
        pytest.param("kind: self\nunit: *财政局\n", 2, "以 * 开头", id="alias"),
        pytest.param('kind: self\nunit: "C:\\data"\n', 2, "反斜杠", id="backslash"),
        pytest.param("kind: self\n---\nkind: self\n", 2, "多份文档", id="two-documents"),
        pytest.param(
            "kind: self\nproject:\n  name: x\x07\n", 3, "控制字符（U+0007）", id="control-character"
        ),
        pytest.param(
            "kind: self\nperiod:\n  end: 2020-02-30\n", 3, "日期“2020-02-30”不存在", id="no-such-date"
        ),
    ],
)
def test_yaml_syntax_errors_in_chinese_with_the_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = _write(tmp_path, text)
    loaded = load_file(path)
    assert loaded.evaluation is None
    f = _only(loaded.findings)
    assert f.code == "file.syntax" and f.severity.value == "error"
    assert f.location.source is not None and (f.location.source.file, f.location.source.line) == (
        str(path),
        line,
    )
    assert f.message.startswith("YAML 格式错误：") and f.message.endswith(f"（第{line}行）")
    assert words in f.message
    _chinese_only(f.message)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{"kind": "self",\n "project": }', 2, "缺少值"),
        ('{"kind": "self"\n "year": 2020}', 2, "缺少逗号"),
        ('{"kind": "self",\n kind: 1}', 2, "字段名应加双引号"),
        ('{"kind": "self",\n "unit": "C:\\data"}', 2, "反斜杠"),
        ('{"kind": "self"}\n{}', 2, "多余的内容"),
    ],
)
def test_json_syntax_errors_in_chinese(tmp_path: Path, text: str, line: int, words: str) -> None:
    f = _only(load_file(_write(tmp_path, text, "ev.json")).findings)
    assert f.code == "file.syntax" and f.message.startswith("JSON 格式错误：") and words in f.message
    assert f.location.source is not None and f.location.source.line == line and f"第{line}行" in f.message
    _chinese_only(f.message)


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("ev.yaml", "", "文件是空的"),
        ("ev.yaml", "# 只有注释\n\n", "文件是空的"),
        ("ev.json", "  \n", "文件是空的"),
        ("ev.yaml", "- 1\n- 2\n", "实际是列表"),
        ("ev.json", "[1, 2]", "实际是列表"),
        ("ev.yaml", "自评表\n", "实际只有一个值“自评表”"),
    ],
)
def test_empty_or_no_mapping_says_what_it_is(tmp_path: Path, name: str, text: str, words: str) -> None:
    f = _only(load_file(_write(tmp_path, text, name)).findings)
    assert f.code == "file.invalid" and "应为键值对" in f.message and words in f.message
    assert f.location.source is not None and f.location.source.line == 1
    _chinese_only(f.message)


def test_a_list_where_a_mapping_belongs_names_the_field(tmp_path: Path) -> None:
    f = _only(
        load_file(
            _write(tmp_path, GOOD.replace("project:\n  name: 城乡居民养老金缴费补助", "project: [a, b]"))
        ).findings
    )
    assert f.location.path == "project" and f.message == "字段 project：应为键值对"
    assert f.location.source is not None and f.location.source.line == 3


def test_a_file_in_neither_utf8_nor_gb18030_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ev.yaml"
    path.write_bytes(GOOD.replace("补助人数", "补助人数\x00").encode("utf-8").replace(b"\x00", b"\x80\x80"))
    f = _only(load_file(path).findings)
    assert f.code == "file.encoding" and "UTF-8" in f.message and "第8行" in f.message
    assert f.location.source is not None and (f.location.source.file, f.location.source.line) == (
        str(path),
        8,
    )


def test_utf16_file_with_its_bom_is_read(tmp_path: Path) -> None:
    """Notepad's “Unicode” encoding: UTF-16 with a byte-order mark."""
    path = tmp_path / "ev.yaml"
    path.write_bytes(GOOD.encode("utf-16"))
    loaded = load_file(path)
    assert loaded.ok and loaded.evaluation is not None
    assert loaded.evaluation.project.name == "城乡居民养老金缴费补助"


def test_policy_and_framework_files_get_the_same_chinese_messages(tmp_path: Path) -> None:
    from jixiao.frameworks import load_framework_with_findings
    from jixiao.policies.loader import load_policy_with_findings

    tab = _write(tmp_path, "extends: national-2020\nname: x\ngrades:\n\t- {name: 优, min: 90}\n", "p.yaml")
    policy, problems = load_policy_with_findings(tab)
    assert policy is None
    (f,) = problems
    assert "制表符" in f.message and f.location.source is not None and f.location.source.line == 4
    _chinese_only(f.message)
    dup = _write(tmp_path, "name: x\ntitle: 甲\nlevels: []\ntitle: 乙\n", "f.yaml")
    framework, problems = load_framework_with_findings(dup)
    assert framework is None
    (f,) = problems
    assert f.code == "framework.syntax" and "字段“title”重复：第2行已有" in f.message
    assert f.location.source is not None and f.location.source.line == 4
    _chinese_only(f.message)


def test_validation_messages_library_did_not_word_are_chinese(tmp_path: Path) -> None:
    """pydantic errors without a Chinese word of ours (an empty list of levels) stay Chinese."""
    from jixiao.frameworks import load_framework_with_findings

    framework, problems = load_framework_with_findings(_write(tmp_path, "name: x\nlevels: []\n", "f.yaml"))
    assert framework is None
    (f,) = problems
    assert f.location.path == "levels" and "至少应有1项" in f.message
    _chinese_only(f.message)


def test_a_declaration_given_as_an_evaluation_is_named_not_listed_field_by_field(tmp_path: Path) -> None:
    path = tmp_path / "申报.yaml"
    path.write_text("kind: declaration\nproject: {name: 某项目}\nannual: {period: annual}\n", "utf-8")
    loaded = load_file(path)
    assert loaded.evaluation is None
    only = _only(loaded.findings)
    assert only.code == "file.declaration" and "jixiao check" in only.message
