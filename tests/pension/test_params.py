"""Parameter files: built-ins load, regions override national, bad files give findings with lines."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.pension.params import (
    PARAMS_DIR,
    ParamsError,
    builtin_region_names,
    load_params,
    load_params_with_findings,
)


def _write(tmp_path: Path, text: str, name: str = "region.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", builtin_region_names())
def test_builtin_files_load(name: str) -> None:
    params, problems = load_params_with_findings(name)
    assert problems == [] and params is not None
    assert params.account.divisor == 139
    assert params.eligibility.age == 60 and params.eligibility.contribution_years == 15


def test_every_row_has_a_source() -> None:
    for name in builtin_region_names():
        params = load_params(name)
        assert all(row.source for row in params.subsidy.rows)
        assert all(row.source for row in params.basic_pension.central_minimum)


def test_verified_minimums_are_the_ones_in_rules() -> None:
    rows = load_params().basic_pension.central_minimum
    assert [(r.amount, r.verified) for r in rows if r.verified] == [(55, True), (70, True), (88, True)]
    assert all(not r.verified for r in rows if r.amount > 88)


def test_region_overrides_national() -> None:
    national, kunming = load_params(), load_params("kunming")
    assert national.paid_on_behalf.split == {}
    assert kunming.paid_on_behalf.split == {"municipal": Decimal(80), "county": Decimal(20)}
    assert kunming.basic_pension == national.basic_pension  # inherited
    jinzhong = load_params("jinzhong")
    assert [r.amount for r in jinzhong.subsidy.rows] == [20, 40, 60]
    assert jinzhong.tiers.values[-1] == 5000


def test_user_region_file_extends_builtin(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "name: demo\nextends: kunming\npaid_on_behalf: {standard: 200, split: {municipal: 100, county: 100}}\n",
    )
    params = load_params(path)
    assert params.paid_on_behalf.standard == 200
    assert params.paid_on_behalf.groups == load_params("kunming").paid_on_behalf.groups


def test_negative_standard_is_a_clear_finding(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: bad\nextends: national\npaid_on_behalf:\n  standard: -100\n  split: {}\n")
    params, problems = load_params_with_findings(path)
    assert params is None
    assert [p.code for p in problems] == ["pension.params-invalid"]
    assert "paid_on_behalf.standard" in problems[0].message and "不能小于下限" in problems[0].message
    assert problems[0].location.source is not None
    assert problems[0].location.source.file == str(path) and problems[0].location.source.line == 4


def test_missing_year_is_a_clear_finding(tmp_path: Path) -> None:
    text = (
        "name: bad\nextends: national\nbasic_pension:\n  central_minimum:\n"
        "    - {from: 2009-10-01, amount: 55, verified: true}\n"
        "    - {amount: 70, verified: true}\n"
    )
    params, problems = load_params_with_findings(_write(tmp_path, text))
    assert params is None
    assert "basic_pension.central_minimum[1].from" in problems[0].message
    assert "缺少必填字段" in problems[0].message
    assert problems[0].location.source is not None and problems[0].location.source.line == 6


def test_split_must_add_up_to_standard(tmp_path: Path) -> None:
    text = (
        "name: bad\nextends: national\npaid_on_behalf: {standard: 100, split: {municipal: 80, county: 30}}\n"
    )
    _, problems = load_params_with_findings(_write(tmp_path, text))
    assert "各级承担金额之和 110元 与代缴标准 100元 不一致" in problems[0].message
    assert "Value error" not in problems[0].message


def test_overlapping_subsidy_rows(tmp_path: Path) -> None:
    text = (
        "name: bad\nextends: national\nsubsidy:\n  rows:\n"
        "    - {min_tier: 100, max_tier: 500, amount: 30}\n    - {min_tier: 500, amount: 60}\n"
    )
    _, problems = load_params_with_findings(_write(tmp_path, text))
    assert "不重叠" in problems[0].message


def test_unordered_minimum_dates(tmp_path: Path) -> None:
    text = (
        "name: bad\nextends: national\nbasic_pension:\n  central_minimum:\n"
        "    - {from: 2018-01-01, amount: 88, verified: true}\n"
        "    - {from: 2014-07-01, amount: 70, verified: true}\n"
    )
    _, problems = load_params_with_findings(_write(tmp_path, text))
    assert "从早到晚" in problems[0].message


def test_error_in_inherited_part_points_at_the_parent(tmp_path: Path) -> None:
    parent = _write(
        tmp_path,
        (PARAMS_DIR / "national.yaml").read_text(encoding="utf-8").replace("divisor: 139", "divisor: 0"),
        "parent.yaml",
    )
    child = _write(tmp_path, "name: child\nextends: parent.yaml\n")
    _, problems = load_params_with_findings(child)
    assert problems[0].location.source is not None
    assert problems[0].location.source.file == str(parent)


def test_unknown_region_and_parent(tmp_path: Path) -> None:
    _, problems = load_params_with_findings("atlantis")
    assert [p.code for p in problems] == ["pension.region-unknown"]
    assert "national" in problems[0].message
    _, problems = load_params_with_findings(_write(tmp_path, "name: x\nextends: nowhere\n"))
    assert [p.code for p in problems] == ["pension.region-unknown"]
    assert problems[0].location.source is not None and problems[0].location.source.line == 2


def test_yaml_syntax_error(tmp_path: Path) -> None:
    _, problems = load_params_with_findings(_write(tmp_path, "name: [unclosed\n"))
    assert problems[0].code == "pension.params-invalid" and "YAML" in problems[0].message


def test_load_params_raises_with_findings() -> None:
    with pytest.raises(ParamsError) as info:
        load_params("atlantis")
    assert info.value.findings[0].code == "pension.region-unknown"


def test_inline_overrides_merge_over_the_region() -> None:
    override = {"paid_on_behalf": {"standard": 120, "split": {"municipal": 96, "county": 24}}}
    params, problems = load_params_with_findings("kunming", override, "e.yaml")
    assert problems == [] and params is not None
    assert params.paid_on_behalf.standard == 120
    assert params.paid_on_behalf.groups == load_params("kunming").paid_on_behalf.groups
    # the split is merged key by key: kunming's 80 + 20 no longer adds up to 120
    _, problems = load_params_with_findings("kunming", {"paid_on_behalf": {"standard": 120}}, "e.yaml")
    assert "各级承担金额之和 100元 与代缴标准 120元 不一致" in problems[0].message


def test_inline_override_is_validated_and_named() -> None:
    _, problems = load_params_with_findings("national", {"account": {"divisor": 0}}, "e.yaml")
    assert problems[0].code == "pension.params-invalid"
    assert "pension.params.account.divisor" in problems[0].message
    assert problems[0].location.path == "pension.params.account.divisor"
    assert problems[0].location.source is not None and problems[0].location.source.file == "e.yaml"
