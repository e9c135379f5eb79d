"""One problem, one finding: a total inflated by row findings is named with them, not apart."""

from __future__ import annotations

from tests.checks.helpers import audit, build


def _messages(case: dict[str, object], code: str) -> list[str]:
    return [f.message for f in audit(build(case)).findings if f.code == code]


def test_one_row_names_the_total_it_inflates() -> None:
    case = {"set": {"indicators[0].actual": "1.8万人", "indicators[0].completion": "90.00%"}}
    [row] = _messages(case, "inflation.full-marks")
    assert "总分因此应为" in row and "高出" in row
    assert _messages(case, "inflation.total") == []


def test_a_total_from_several_rows_names_them() -> None:
    case = {
        "set": {
            "indicators[0].actual": "1.8万人",
            "indicators[0].completion": "90.00%",
            "indicators[1].actual": "93%",
            "indicators[1].completion": None,
        }
    }
    [total] = _messages(case, "inflation.total")
    assert "来自“" in total and "补贴发放人数" in total and "补贴发放准确率" in total


def test_satisfaction_under_outputs_belongs_to_benefits_in_an_evaluation() -> None:
    """附件2 (部门/财政评价): 满意度 is a 效益 item; under 产出 it is misfiled into 效益, not a level apart."""
    case = {"base": "finance-eval", "set": {"indicators[11].level1": "产出"}}
    [misfiled] = _messages(case, "structure.misfiled")
    assert "满意度类二级指标（满意度）归在一级指标“产出”下，应归入一级指标“效益”" in misfiled
    assert _messages({"base": "finance-eval"}, "structure.misfiled") == []  # under 效益: legitimate
