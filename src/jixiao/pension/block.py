"""The pension block of an evaluation (``Evaluation.pension``): program, region, counts, standards.

Example (seed 003, 困难群体代缴)::

    pension:
      program: paid_on_behalf
      region: kunming
      standard: 100                 # 元/人/年
      split: {municipal: 80, county: 20}
      persons: {planned: 65443, actual: 61722}

Counts accept ``61722`` or a printed figure (``108.13万人``); a figure printed in 万人 keeps its
rounding so the checks allow for it.  Money is in 万元.  Figures left out are taken from the
evaluation's funds (planned spending, budget, spending, lines by level) or from the region's
parameters (standard, split).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.numbers import parse_quantity, printed_places
from jixiao.pension.params import GovLevel, RegionClass
from jixiao.yamlio import ParsedDocument, validation_findings

INVALID = "pension.block-invalid"

_PERSON_UNITS = {None: Decimal(1), "人": Decimal(1), "万人": Decimal(10000), "人次": Decimal(1)}


class Program(StrEnum):
    """Pension program type (项目类型)."""

    basic_pension = "basic_pension"  # 城乡居民基本养老保险补助资金（基础养老金）
    contribution_subsidy = "contribution_subsidy"  # 缴费补贴（入口补）
    paid_on_behalf = "paid_on_behalf"  # 困难群体代缴
    land_expropriated = "land_expropriated"  # 被征地农民养老保险

    @property
    def chinese(self) -> str:
        """The program's Chinese name."""
        return {
            "basic_pension": "基础养老金",
            "contribution_subsidy": "缴费补贴",
            "paid_on_behalf": "困难群体代缴",
            "land_expropriated": "被征地农民养老保险补贴",
        }[self.value]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Count(_Record):
    """A number of persons, with the rounding of the printed figure (``108.13万人`` → ±50人)."""

    value: Decimal = Field(ge=0)
    tolerance: Decimal = Decimal(0)  # persons
    text: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_any(cls, data: Any) -> Any:
        if isinstance(data, bool):
            return data
        if isinstance(data, int | Decimal | float):
            return {"value": Decimal(str(data)), "text": str(data)}
        if isinstance(data, str):
            q = parse_quantity(data)
            if q.value is None or q.unit not in _PERSON_UNITS:
                raise ValueError(f"人数“{data}”无法识别（应为 61722、61722人 或 108.13万人）")
            factor = _PERSON_UNITS[q.unit]
            places = printed_places(data)
            tolerance = Decimal(0) if factor == 1 else Decimal(5).scaleb(-(places + 1)) * factor
            return {"value": q.value * factor, "tolerance": tolerance, "text": data}
        return data

    def __str__(self) -> str:
        if self.text and not self.text.replace(".", "").isdigit():
            return self.text
        return f"{self.value.normalize():f}人"


class Persons(_Record):
    """Planned and actual persons (计划 / 实际)."""

    planned: Count | None = None
    actual: Count | None = None


class Group(_Record):
    """One hardship group (or other subgroup): persons, its standard, its printed amount (万元)."""

    planned: Count | None = None
    actual: Count | None = None
    standard: Decimal | None = Field(default=None, ge=0)  # 元/人/年
    amount: Decimal | None = Field(default=None, ge=0)  # printed 万元


class PensionBlock(_Record):
    """The pension facts of one evaluation; checks and the estimate read it."""

    program: Program
    region: str | None = None  # built-in region (kunming, jinzhong …) or a parameter file; default national
    region_class: RegionClass | None = None  # 东部 / 中西部; default from the region file
    year: int | None = Field(default=None, ge=1990, le=2100)  # default: the evaluation's year
    persons: Persons = Field(default_factory=Persons)  # contributors / persons paid for / beneficiaries
    tiers: dict[Decimal, Count] = Field(default_factory=dict)  # actual contributors by tier (元/年)
    planned_tiers: dict[Decimal, Count] = Field(default_factory=dict)
    groups: dict[str, Group] = Field(default_factory=dict)
    standard: Decimal | None = Field(default=None, ge=0)  # 元/人/年; basic_pension: 元/人/月
    split: dict[GovLevel, Decimal] = Field(default_factory=dict)  # 元/人 (or parts) by level
    months: int = Field(12, ge=1, le=12)  # basic_pension: months paid in the year
    planned_amount: Decimal | None = Field(default=None, ge=0)  # 预算支出, 万元
    budget: Decimal | None = Field(default=None, ge=0)  # 预算 / 到位, 万元
    spent: Decimal | None = Field(default=None, ge=0)  # 实际支出, 万元
    budget_by_level: dict[GovLevel, Decimal] = Field(default_factory=dict)  # 万元
    spent_by_level: dict[GovLevel, Decimal] = Field(default_factory=dict)  # 万元
    indicator: str | None = None  # id or 三级 name of the persons indicator (default: found by unit)
    gap_reason: str | None = None  # why fewer persons than planned
    params: dict[str, Any] | None = None  # parameters written inline, merged over the region's

    @model_validator(mode="after")
    def _non_negative_split(self) -> PensionBlock:
        for mapping, what in ((self.split, "split"), (self.budget_by_level, "budget_by_level")):
            for level, value in mapping.items():
                if value < 0:
                    raise ValueError(f"{what}.{level} 不能为负数（{value}）")
        for level, value in self.spent_by_level.items():
            if value < 0:
                raise ValueError(f"spent_by_level.{level} 不能为负数（{value}）")
        return self


def parse_block(evaluation: Evaluation) -> tuple[PensionBlock | None, list[Finding]]:
    """The evaluation's pension block, validated; None (and no findings) when it has none."""
    data = evaluation.pension
    if data is None:
        return None, []
    try:
        return PensionBlock.model_validate(data), []
    except ValidationError as exc:
        file = evaluation.source.file if evaluation.source and evaluation.source.file else "<evaluation>"
        doc = ParsedDocument(data, data, file)
        out: list[Finding] = []
        for problem in validation_findings(exc, doc, INVALID):
            path = f"pension.{problem.location.path}" if problem.location.path else "pension"
            message = problem.message.replace("Value error, ", "").replace("字段 ", "字段 pension.", 1)
            out.append(
                problem.model_copy(
                    update={
                        "message": f"养老保险信息块：{message}",
                        "location": problem.location.model_copy(update={"path": path, "source": None}),
                    }
                )
            )
        return None, out
