"""Declarations and reviews the document tests share: a realistic three-year project, its review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jixiao.declaration import (
    BasisKind,
    Criterion,
    CriterionResult,
    Declaration,
    DeclarationFunds,
    Novelty,
    Period,
    ReviewGrade,
    ReviewOpinion,
    ReviewResult,
    SpendingItem,
    TargetIndicator,
    TargetSet,
)
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Comparison, Figure, IndicatorType, Project, Source


def _ind(
    level1: str,
    level2: str,
    name: str,
    sign: Comparison | None,
    target: str,
    unit: str | None,
    basis: BasisKind | None = BasisKind.plan,
    last: str | None = None,
    explanation: str | None = None,
    *,
    qualitative: bool = False,
) -> TargetIndicator:
    return TargetIndicator(
        level1=level1,
        level2=level2,
        name=name,
        type=IndicatorType.qualitative if qualitative else IndicatorType.quantitative,
        comparison=sign,
        target=Figure(text=target) if target else None,
        unit=unit,
        basis_kind=basis,
        last_actual=Figure(text=last) if last else None,
        explanation=explanation,
    )


def declaration() -> Declaration:
    """A three-year 延续 project of a county education bureau, medium and annual targets."""
    annual = [
        _ind("产出指标", "数量指标", "资助家庭经济困难学生人数", Comparison.ge, "1200", "人次", last="1150"),
        _ind(
            "产出指标",
            "质量指标",
            "资助资金发放准确率",
            Comparison.eq,
            "100",
            "%",
            BasisKind.history,
            "100",
        ),
        _ind("产出指标", "时效指标", "资金发放及时率", Comparison.ge, "95", "%", BasisKind.industry),
        _ind("产出指标", "成本指标", "生均资助标准", Comparison.le, "2000", "元/人·年", BasisKind.budget),
        _ind(
            "效益指标",
            "社会效益指标",
            "家庭经济困难学生因贫辍学情况",
            None,
            "有效避免",
            None,
            BasisKind.other,
            explanation="无因贫辍学为达成；个别为部分达成",
            qualitative=True,
        ),
        _ind("满意度指标", "服务对象满意度指标", "受助学生满意度", Comparison.ge, "90", "%"),
    ]
    annual[1].basis = "历史标准：近三年均为100%"
    annual[0].source = Source(file="申报.yaml", line=40)
    medium = [
        _ind("产出指标", "数量指标", "三年累计资助人次", Comparison.ge, "3600", "人次"),
        _ind("效益指标", "可持续影响指标", "资助政策知晓率", Comparison.ge, "95", "%", None),
    ]
    return Declaration(
        year=2025,
        project=Project(
            name="家庭经济困难学生资助项目",
            department="某县教育局",
            department_code="301",
            unit="某县学生资助管理中心",
            attribute="recurring",
            period_start=date(2025, 1, 1),
            period_end=date(2027, 12, 31),
            category="教育",
        ),
        novelty=Novelty.continuing,
        period_years=3,
        basis="《学生资助资金管理办法》（财教〔2021〕310号）",
        funds=DeclarationFunds(
            medium_total=Decimal("720.00"),
            medium_appropriation=Decimal("660"),
            medium_other=Decimal("60"),
            annual_total=Decimal("240.5"),
            appropriation=Decimal("220.5"),
            other=Decimal("20"),
            last_budget=Decimal("230"),
            last_spent=Decimal("228.36"),
            details=[
                SpendingItem(label="高中国家助学金", amount=Decimal("180"), basis="900人 × 2000元"),
                SpendingItem(label="免学费补助", amount=Decimal("60.5"), basis="550人 × 1100元"),
            ],
            estimate="按上年受助人数及资助标准测算",
        ),
        medium=TargetSet(
            period=Period.medium,
            goals=["三年累计资助家庭经济困难学生3600人次", "实现应助尽助"],
            indicators=medium,
        ),
        annual=TargetSet(
            period=Period.annual, goals=["资助家庭经济困难学生1200人次，资金及时足额发放"], indicators=annual
        ),
        notes=["来源：县教育局2025年预算申报"],
    )


def review() -> ReviewResult:
    """The rubric's verdict on :func:`declaration`."""
    parts = [
        (Criterion.completeness, "30", "5", ["declaration.unit-missing"]),
        (Criterion.relevance, "25", "0", []),
        (Criterion.appropriateness, "25", "3.5", ["declaration.cost-above-budget"]),
        (Criterion.feasibility, "20", "2", ["declaration.below-last-actual"]),
    ]
    return ReviewResult(
        rubric="national-2015",
        criteria=[
            CriterionResult(
                criterion=c,
                weight=Decimal(w),
                deducted=Decimal(d),
                score=Decimal(w) - Decimal(d),
                codes=codes,
            )
            for c, w, d, codes in parts
        ],
        total=Decimal("89.5"),
        grade=ReviewGrade.good,
        consequence="修改完善后进入预算安排",
    )


def findings() -> list[Finding]:
    """Two findings of the automatic review."""
    return [
        finding(
            "declaration.below-last-actual",
            Severity.warning,
            "数量指标“资助家庭经济困难学生人数”目标值1200人次低于上年实际值1150人次以外的历史水平",
        ),
        finding("declaration.cost-above-budget", Severity.error, "成本指标“生均资助标准”高于预算支出标准"),
    ]


def opinion() -> ReviewOpinion:
    """A finance bureau's opinion on :func:`declaration`."""
    return ReviewOpinion(
        reviewer="某县财政局",
        overall="总体目标与项目内容相符，表述清晰。",
        outputs="产出指标较完整，成本指标需与预算支出标准衔接。",
        outcomes="效益指标偏少，建议补充可量化的社会效益指标。",
        satisfaction="满意度指标设置合理。",
        criteria={Criterion.feasibility: "目标值设定偏保守。"},
        to_complete=["补充生态效益或说明不适用", "成本指标按预算支出标准修改"],
        grade=ReviewGrade.good,
    )
