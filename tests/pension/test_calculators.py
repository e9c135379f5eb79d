"""Every calculator against hand-computed cases (amounts in 万元, inputs in 元 and persons)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.pension import calculators as calc
from jixiao.pension.params import load_params

D = Decimal


def test_persons_cost_seed_003() -> None:
    # 61722人 × 100元 = 6172200元 = 617.22万元
    amount = calc.persons_cost(61722, D(100))
    assert amount.value == D("617.22")
    assert amount.explanation == "61722人 × 100元 = 617.22万元"


def test_level_costs_seed_003() -> None:
    levels = calc.level_costs(65443, {"municipal": D(80), "county": D(20)})
    assert levels["municipal"].value == D("523.544")  # 65443 × 80 = 5235440元
    assert levels["county"].value == D("130.886")  # 65443 × 20 = 1308860元
    assert levels["municipal"].explanation == "市级 65443人 × 80元 = 523.544万元"


def test_split_by_level_8_2() -> None:
    parts = calc.split_by_level(D("617.22"), {"municipal": D(80), "county": D(20)})
    assert parts["municipal"].value == D("493.776")
    assert parts["county"].value == D("123.444")
    assert "617.22万元 × 80/100" in parts["municipal"].explanation


def test_split_rounds_half_up_to_the_yuan() -> None:
    parts = calc.split_by_level(D(1), {"municipal": D(1), "county": D(2)})
    assert parts["municipal"].value == D("0.3333")
    assert parts["county"].value == D("0.6667")


def test_ratio_text() -> None:
    assert (
        calc.ratio_text({"county": D(20), "municipal": D(80)}) == "市级 80元 : 县（区）级 20元（80% : 20%）"
    )


def test_subsidy_cost_by_tier_jinzhong() -> None:
    table = load_params("jinzhong").subsidy
    # 200元档 1000人 × 20元 = 2万元；1000元档 500人 × 40元 = 2万元；5000元档 100人 × 60元 = 0.6万元
    amount = calc.subsidy_cost({D(200): 1000, D(1000): 500, D(5000): 100}, table)
    assert amount.value == D("4.6")
    assert amount.parts == {"200元档": D(2), "1000元档": D(2), "5000元档": D("0.6")}
    assert amount.explanation.endswith("合计 4.6万元")


def test_subsidy_cost_unknown_tier() -> None:
    table = load_params("jinzhong").subsidy
    with pytest.raises(calc.CalculationError, match="800元档次"):
        calc.subsidy_cost({D(800): 10}, table)


def test_subsidy_range_seed_002() -> None:
    low, high = calc.subsidy_range(1081300, load_params("jinzhong").subsidy)
    assert (low.value, high.value) == (D("2162.6"), D("6487.8"))


def test_national_subsidy_minimum() -> None:
    table = load_params().subsidy
    row = table.row_for(D(300))
    assert row is not None and row.amount == 30
    row = table.row_for(D(2000))
    assert row is not None and row.amount == 60


def test_paid_on_behalf_by_group() -> None:
    amount = calc.paid_on_behalf_cost({"建档立卡贫困人口": 123900, "低保对象、特困人员": 25400}, D(30))
    assert amount.parts == {"建档立卡贫困人口": D("371.7"), "低保对象、特困人员": D("76.2")}
    assert amount.value == D("447.9")


def test_basic_pension_cost() -> None:
    # 1000人 × 150元/月 × 12个月 = 1800000元 = 180万元
    amount = calc.basic_pension_cost(1000, D(150), 12)
    assert amount.value == D(180)
    assert amount.explanation == "1000人 × 150元/月 × 12个月 = 180万元"


def test_central_minimum_mid_year_raise_2014() -> None:
    per_person, verified = calc.central_minimum_for_year(load_params().basic_pension, 2014)
    assert per_person.value == D(750)  # 55 × 6 + 70 × 6
    assert "55元 × 6个月 + 70元 × 6个月 = 750元/人" in per_person.explanation
    assert verified


def test_central_minimum_unverified_year() -> None:
    per_person, verified = calc.central_minimum_for_year(load_params().basic_pension, 2024)
    assert per_person.value == D(123 * 12)
    assert not verified


def test_central_minimum_missing_year() -> None:
    with pytest.raises(calc.CalculationError, match="2008年不在中央最低标准表内"):
        calc.central_minimum_for_year(load_params().basic_pension, 2008)


def test_basic_pension_split() -> None:
    total = calc.basic_pension_cost(1000, D(150), 12)  # 180万元
    parts = calc.basic_pension_split(1000, total, D(88 * 12), D(50))  # 东部: 50%
    assert parts["central"].value == D("52.8")  # 1000 × 1056 × 50% = 528000元
    assert parts["local"].value == D("127.2")


def test_account_pension_divisor_139() -> None:
    amount = calc.account_pension(D(27800))
    assert amount.value == D("200.00")
    assert amount.explanation == "个人账户储存额 27800元 ÷ 139 = 200.00元/月"
    assert calc.account_pension(D(10000)).value == D("71.94")  # 71.942… → 71.94


def test_eligibility() -> None:
    rule = load_params().eligibility
    ok, text = calc.eligible(60, 15, rule)
    assert ok and text.endswith("符合领取条件")
    ok, text = calc.eligible(61, 14, rule)
    assert not ok and "14年（<15年）" in text


def test_per_person() -> None:
    assert calc.per_person(D("2364.01"), 1081300).value == D("21.86")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: calc.persons_cost(-1, D(100)), "人数不能为负数"),
        (lambda: calc.persons_cost(1, D(-100)), "标准不能为负数"),
        (lambda: calc.basic_pension_cost(1, D(100), 13), "发放月数"),
        (lambda: calc.account_pension(D(-1)), "储存额不能为负数"),
        (lambda: calc.per_person(D(1), 0), "人数为0"),
    ],
)
def test_bad_inputs(call: object, message: str) -> None:
    with pytest.raises(calc.CalculationError, match=message):
        call()  # type: ignore[operator]
