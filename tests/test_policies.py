"""Policies as data: a province overrides parameters in its own file, with no code edited."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import api
from jixiao.policies import PolicyError, load_policy
from jixiao.policies.loader import load_policy_with_findings


def _ev() -> api.Evaluation:
    loaded = api.load_data(
        {
            "kind": "self",
            "project": {"name": "p"},
            "indicators": [
                {"level1": "产出指标", "weight": 10, "target": "≤100万元", "actual": "150万元"},
                {"level1": "产出指标", "weight": 80, "claimed": 80},
            ],
        }
    )
    assert loaded.evaluation is not None
    return loaded.evaluation


def test_province_changes_a_formula_and_the_bands(tmp_path: Path) -> None:
    province = tmp_path / "province.yaml"
    province.write_text(
        "extends: national-2020\nname: province-x\nratio:\n  lower: inverse\n"
        "grades:\n  - {name: 优秀, min: 85}\n  - {name: 合格, min: 60}\n  - {name: 不合格, min: 0}\n",
        encoding="utf-8",
    )
    national = api.score(_ev())
    local = api.score(_ev(), api.get_policy(province))
    assert national.indicators[0].computed == Decimal("5.00")  # 1 − (150 − 100) / 100
    assert local.indicators[0].computed == Decimal("6.67")  # 100 / 150
    assert local.policy == "province-x"
    assert local.computed_grade == "优秀" and national.computed_grade == "良"  # 86.67 vs 85.00


def test_rounding_places_are_a_parameter(tmp_path: Path) -> None:
    province = tmp_path / "p.yaml"
    province.write_text("extends: national-2020\nname: p1\nrounding: {places: 1}\n", encoding="utf-8")
    assert api.score(_ev(), api.get_policy(province)).indicators[0].computed == Decimal("5.0")


def test_builtin() -> None:
    policy = load_policy()
    assert policy.name == "national-2020"
    assert policy.canonical_grade("良好") == "良"
    assert policy.canonical_grade("一等") == "优"
    assert policy.canonical_grade("自评优秀") == "优"
    assert policy.canonical_grade("很棒") is None


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("name: x\ngrades: [\n", "YAML 格式错误"),
        ("extends: national-2020\nname: x\nover_achievement: 很多\n", "over_achievement"),
        ("extends: national-2020\nname: x\ngrades:\n  - {name: 优, min: -5}\n", "grades[0].min"),
        ("extends: national-2020\nname: x\nunknown_key: 1\n", "不认识的字段"),
        ("extends: nowhere-2099\nname: x\n", "不存在"),
        (
            "extends: national-2020\nname: x\ngrades:\n  - {name: 优, min: 60}\n  - {name: 良, min: 90}\n",
            "从高到低",
        ),
    ],
)
def test_bad_policy_files(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    policy, findings = load_policy_with_findings(path)
    assert policy is None
    assert findings and needle in " ".join(f.message for f in findings)
    assert all(f.location.source and f.location.source.file == str(path) for f in findings)


def test_unknown_policy_name() -> None:
    with pytest.raises(PolicyError, match="national-2020"):
        load_policy("no-such-policy")
