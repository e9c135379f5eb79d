"""Framework model (指标体系模板): 一级 levels → 二级 groups → 三级 indicator templates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jixiao.model import Direction, IndicatorType, Kind, Rule


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TemplateIndicator(_Strict):
    """A 三级 indicator template: name, reference weight, 指标解释, 评价要点, 评分标准 and default rule.

    ``name`` may be left empty in a form template (自评表: the unit writes its own indicators).
    A rule ``{kind: elements}`` without elements takes one element per 评价要点.
    """

    name: str | None = None
    weight: Decimal | None = Field(default=None, ge=0)
    type: IndicatorType | None = None
    direction: Direction | None = None
    unit: str | None = None
    explanation: str | None = None  # 指标解释
    points: list[str] = Field(default_factory=list)  # 评价要点
    criteria: str | None = None  # 评分标准
    rule: Rule | None = None

    @model_validator(mode="before")
    @classmethod
    def _elements_from_points(cls, data: Any) -> Any:
        """``rule: {kind: elements}`` with no elements → one element per 评价要点."""
        if isinstance(data, dict):
            rule = data.get("rule")
            if isinstance(rule, dict) and rule.get("kind") == "elements" and "elements" not in rule:
                points = data.get("points") or []
                data = {**data, "rule": {**rule, "elements": [{"text": str(p)} for p in points]}}
        return data


class Group(_Strict):
    """A 二级 group of indicator templates; an empty group is an optional slot."""

    name: str
    weight: Decimal | None = Field(default=None, ge=0)
    explanation: str | None = None
    indicators: list[TemplateIndicator] = Field(default_factory=list)

    @property
    def indicator_weight(self) -> Decimal | None:
        """Σ indicator weights, None when any indicator has no weight."""
        weights = [i.weight for i in self.indicators]
        if not weights or any(w is None for w in weights):
            return None
        return sum((w for w in weights if w is not None), Decimal(0))

    @model_validator(mode="after")
    def _weights_add_up(self) -> Group:
        total = self.indicator_weight
        if self.weight is not None and total is not None and total != self.weight:
            raise ValueError(f"二级指标“{self.name}”分值 {self.weight} 与三级指标分值合计 {total} 不符")
        return self


class FrameworkLevel(_Strict):
    """A 一级 level with its reference weight."""

    name: str
    weight: Decimal | None = Field(default=None, ge=0)
    explanation: str | None = None
    groups: list[Group] = Field(default_factory=list)

    @property
    def group_weight(self) -> Decimal | None:
        """Σ group weights (a group without weight counts its indicators), None when unknown."""
        total = Decimal(0)
        for group in self.groups:
            weight = group.weight if group.weight is not None else group.indicator_weight
            if weight is None and group.indicators:
                return None
            total += weight or Decimal(0)
        return total if self.groups else None

    @model_validator(mode="after")
    def _weights_add_up(self) -> FrameworkLevel:
        total = self.group_weight
        if self.weight is not None and total is not None and total != self.weight:
            raise ValueError(f"一级指标“{self.name}”分值 {self.weight} 与下级分值合计 {total} 不符")
        return self


class Framework(_Strict):
    """A named indicator template (指标体系框架), loaded from YAML."""

    name: str
    title: str = ""
    kind: Kind = Kind.self  # default kind of the evaluations built from it
    source: str = ""
    description: str | None = None
    execution_weight: Decimal | None = Field(default=None, ge=0)  # 自评表 预算执行率 row (年度资金总额)
    pension: dict[str, Any] | None = None  # pension block template copied into new evaluations
    levels: list[FrameworkLevel] = Field(min_length=1)

    @property
    def total_weight(self) -> Decimal:
        """Σ level weights plus the 预算执行率 row."""
        total = sum((lv.weight or Decimal(0) for lv in self.levels), Decimal(0))
        return total + (self.execution_weight or Decimal(0))

    def level_weights(self) -> dict[str, Decimal | None]:
        """一级 name → weight, with the 预算执行率 row last when the framework has one."""
        out: dict[str, Decimal | None] = {lv.name: lv.weight for lv in self.levels}
        if self.execution_weight is not None:
            out["预算执行率"] = self.execution_weight
        return out

    def indicator_count(self) -> int:
        """Number of 三级 templates."""
        return sum(len(g.indicators) for lv in self.levels for g in lv.groups)
