"""The declaration review as a whole: the example declarations, the rubric, crashed checks."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.checks.declaration import (
    DeclarationContext,
    declaration_codes,
    load_standards,
    review_declaration,
    review_result,
)
from jixiao.checks.declaration import registry as decl_registry
from jixiao.declaration import Criterion, Declaration, ReviewGrade
from jixiao.findings import Finding, Severity, finding
from jixiao.loader import load_declaration_file
from jixiao.policies.rubric import RubricError, builtin_rubric_names, load_rubric, load_rubric_with_findings
from tests.checks.declaration_helpers import EXAMPLES, declaration_data, declaration_of

STANDARDS = EXAMPLES / "standards-example.yaml"
EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.yaml") if p.name != STANDARDS.name)


def _review(path: Path) -> list[str]:
    loaded = load_declaration_file(path)
    assert loaded.declaration is not None, [f.message for f in loaded.findings]
    standards, problems = load_standards(STANDARDS)
    assert standards is not None and not problems
    return [f.code for f in review_declaration(loaded.declaration, standards=standards).findings]


def _listed(path: Path) -> set[str]:
    """The codes an example's header says it should raise (“（decl.xxx）” in its comments)."""
    head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    return set(re.findall(r"（(?:[^（）]*?，)?(decl\.[a-z0-9-]+)）", head))


def test_the_clean_declaration_is_excellent_with_no_findings() -> None:
    loaded = load_declaration_file(EXAMPLES / "pension-2025-clean.yaml")
    assert loaded.declaration is not None
    audit = review_declaration(loaded.declaration)
    assert audit.findings == [] and audit.ok
    assert audit.result.grade is ReviewGrade.excellent and audit.result.total == Decimal(100)
    assert audit.result.consequence == "绩效目标完全符合要求，进入下一步预算安排流程"
    assert [c.criterion for c in audit.result.criteria] == list(Criterion)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_each_example_raises_exactly_the_flaws_it_lists(path: Path) -> None:
    found = set(_review(path))
    assert found == _listed(path), f"{path.name}: found {sorted(found)}, listed {sorted(_listed(path))}"


def test_the_examples_cover_every_code() -> None:
    covered = set().union(*(_listed(p) for p in EXAMPLE_FILES))
    assert set(declaration_codes()) <= covered, sorted(set(declaration_codes()) - covered)


def test_the_flawed_employment_declaration_is_poor() -> None:
    loaded = load_declaration_file(EXAMPLES / "employment-2025-flawed.yaml")
    assert loaded.declaration is not None
    result = review_declaration(loaded.declaration).result
    assert result.grade is ReviewGrade.poor and result.consequence.endswith("不得进入下一步预算安排流程")
    completeness = result.criteria[0]
    assert completeness.score == 0 and completeness.deducted == completeness.weight
    assert "decl.placeholder" in completeness.codes


def test_the_street_office_slip_from_the_system_export() -> None:
    loaded = load_declaration_file(EXAMPLES / "collapse-2025-street.yaml")
    assert loaded.declaration is not None
    slip = [f for f in review_declaration(loaded.declaration).findings if f.code == "decl.unit-slip"]
    assert len(slip) == 1 and "480000" in slip[0].message and "48.00万元" in slip[0].message


def test_findings_name_the_place_in_chinese() -> None:
    data = declaration_data()
    data["annual"]["indicators"][4]["target"] = "101%"
    audit = review_declaration(declaration_of(data))
    hit = next(f for f in audit.findings if f.code == "decl.over-100")
    assert hit.location.place == "年度绩效指标 / 效益指标 / 社会效益指标 / 城乡居民养老保险参保率"
    assert hit.location.path == "annual.indicators[4].target"
    assert hit.expected == "≤ 100%" and hit.actual == "≥96%".replace("96", "101")
    assert audit.by_criterion()[Criterion.feasibility] == [hit]


def test_a_crashing_check_becomes_a_finding_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
        raise ZeroDivisionError("division by zero")

    checks = [
        decl_registry.RegisteredDeclarationCheck(
            "tests.broken", Criterion.relevance, ("test.broken",), broken
        ),
        *decl_registry.load_declaration_checks(),
    ]
    monkeypatch.setattr("jixiao.checks.declaration.load_declaration_checks", lambda: checks)
    data = declaration_data()
    data["annual"]["indicators"][4]["target"] = "101%"
    audit = review_declaration(declaration_of(data))
    crashed = [f for f in audit.findings if f.code == "check.crashed"]
    assert (
        len(crashed) == 1 and "tests.broken" in crashed[0].message and crashed[0].severity is Severity.error
    )
    assert "decl.over-100" in [f.code for f in audit.findings]
    relevance = audit.result.criteria[1]
    assert relevance.criterion is Criterion.relevance and "check.crashed" in relevance.codes


def test_declaration_check_needs_codes() -> None:
    with pytest.raises(ValueError):
        decl_registry.declaration_check(criterion=Criterion.relevance)


def test_standards_from_csv(tmp_path: Path) -> None:
    csv = tmp_path / "标准.csv"
    csv.write_text(
        "支出项目,计量单位,标准上限,别名\n培训费,元/人·天,450,培训补贴标准、技能培训\n会议费,元/人·天,\n",
        "utf-8-sig",
    )
    standards, problems = load_standards(csv)
    assert standards is not None and [i.item for i in standards.items] == ["培训费"]
    assert standards.items[0].aliases == ("培训补贴标准", "技能培训")
    assert len(problems) == 1 and "第3行" in problems[0].message
    missing, problems = load_standards(tmp_path / "none.yaml")
    assert missing is None and problems[0].code == "file.unreadable"


# The rubric.


def _findings(*items: tuple[str, Severity]) -> list[Finding]:
    return [finding(code, severity, "问题") for code, severity in items]


CRITERIA = {
    "decl.funds-sum": Criterion.completeness,
    "decl.placeholder": Criterion.completeness,
    "decl.missing-block": Criterion.completeness,
    "decl.duplicate": Criterion.relevance,
    "decl.no-basis": Criterion.feasibility,
    "decl.direction": Criterion.feasibility,
}


def test_the_national_rubric_is_documented_as_a_local_default() -> None:
    rubric = load_rubric()
    assert rubric.name == "national" and builtin_rubric_names() == ["national"]
    assert sum(rubric.criteria.values()) == 100
    assert [g.name.value for g in rubric.grades] == ["优", "良", "中", "差"]
    assert "88号" in rubric.source and "本地默认口径" in rubric.source
    text = (Path(__file__).parents[2] / "src/jixiao/policies/review/national.yaml").read_text("utf-8")
    assert "第十七条" in text and "第十九条" in text and "不是财政部的规定" in text


def test_points_come_off_the_criterion_of_each_finding() -> None:
    rubric = load_rubric()
    result = review_result(
        _findings(("decl.funds-sum", Severity.error), ("decl.duplicate", Severity.warning)), CRITERIA, rubric
    )
    by = {c.criterion: c for c in result.criteria}
    assert by[Criterion.completeness].deducted == 10 and by[Criterion.completeness].score == 20
    assert by[Criterion.relevance].deducted == 4 and by[Criterion.relevance].codes == ["decl.duplicate"]
    assert result.total == Decimal(86) and result.grade is ReviewGrade.good
    assert result.consequence == "绩效目标基本符合要求，完善绩效目标后进入下一步预算安排流程"


def test_a_code_override_repeat_limit_and_criterion_floor() -> None:
    rubric = load_rubric()
    result = review_result(_findings(*[("decl.direction", Severity.warning)] * 5), CRITERIA, rubric)
    assert result.criteria[3].deducted == 12  # at most 3 findings of one code counted
    assert review_result(_findings(("decl.no-basis", Severity.warning)), CRITERIA, rubric).total == 97
    many = _findings(*[(c, Severity.error) for c in ("decl.funds-sum", "decl.placeholder")] * 3)
    assert review_result(many, CRITERIA, rubric).criteria[0].score == 0  # never below zero


def test_caps_and_bands() -> None:
    rubric = load_rubric()
    capped = review_result(_findings(("decl.placeholder", Severity.error)), CRITERIA, rubric)
    assert capped.total == 90 and capped.grade is ReviewGrade.fair
    assert capped.consequence == "绩效目标部分内容不符合要求，修改完善后按程序重新报送审核"
    blocked = review_result(_findings(("decl.missing-block", Severity.error)), CRITERIA, rubric)
    assert blocked.grade is ReviewGrade.poor
    assert review_result([], CRITERIA, rubric).grade is ReviewGrade.excellent


def test_a_local_rubric_extends_the_national_one(tmp_path: Path) -> None:
    local = tmp_path / "某省.yaml"
    local.write_text(
        "extends: national\nname: 某省\ncriteria: {completeness: 40, relevance: 20, appropriateness: 20, feasibility: 20}\n"
        "deductions: {warning: 5}\n",
        "utf-8",
    )
    rubric = load_rubric(local)
    assert rubric.name == "某省" and rubric.criteria[Criterion.completeness] == 40
    assert rubric.deductions[Severity.warning] == 5 and rubric.deductions[Severity.error] == 10
    result = review_result(_findings(("decl.duplicate", Severity.warning)), CRITERIA, rubric)
    assert result.rubric == "某省" and result.total == 95


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("criteria: {completeness: 50, relevance: 25, appropriateness: 20, feasibility: 25}\n", "合计"),
        ("deductions: {error: -5}\n", "负数"),
        (
            "grades: [{name: 优, min: 90, consequence: 通过}, {name: 差, min: 0, consequence: 不通过}]\n",
            "等级",
        ),
    ],
)
def test_a_bad_rubric_is_a_finding(tmp_path: Path, body: str, words: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: national\nname: bad\n{body}", "utf-8")
    rubric, problems = load_rubric_with_findings(bad)
    assert rubric is None and problems and words in problems[0].message
    with pytest.raises(RubricError):
        load_rubric(bad)


def test_an_unknown_rubric() -> None:
    rubric, problems = load_rubric_with_findings("atlantis")
    assert rubric is None and "找不到审核评分规则" in problems[0].message
