"""Ready-to-fill evaluations built from a framework: indicators with weights and rules, no figures yet."""

from __future__ import annotations

from jixiao.frameworks.model import Framework, TemplateIndicator
from jixiao.model import Evaluation, Figure, Funds, Indicator, IndicatorType, Project


def _indicator(level1: str, level2: str, template: TemplateIndicator) -> Indicator:
    """One indicator from its template: weight, type, direction, rule and explanations; empty figures."""
    unit = template.unit
    blank = Figure(unit=unit) if unit and template.type is not IndicatorType.qualitative else None
    return Indicator(
        level1=level1,
        level2=level2,
        name=template.name,
        weight=template.weight,
        type=template.type,
        direction=template.direction,
        target=blank,
        actual=blank,
        rule=template.rule,
        explanation=template.explanation,
        points=list(template.points),
        criteria=template.criteria,
    )


def new_evaluation(
    framework: Framework, *, year: int | None = None, project_name: str = "（项目名称）"
) -> Evaluation:
    """A new evaluation following ``framework``: every template indicator, weights and rules set."""
    indicators = [
        _indicator(level.name, group.name, template)
        for level in framework.levels
        for group in level.groups
        for template in group.indicators
    ]
    return Evaluation(
        kind=framework.kind,
        year=year,
        framework=framework.name,
        project=Project(name=project_name),
        funds=Funds(execution_weight=framework.execution_weight),
        indicators=indicators,
        pension=dict(framework.pension) if framework.pension else None,
    )
