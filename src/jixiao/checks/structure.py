"""Structure checks (指标体系): required levels, results first, duplicates, misfiled indicators."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jixiao.checks.common import (
    HUNDRED,
    RULE_FORM,
    RULE_FRAMEWORK,
    amount_text,
    category,
    ind_path,
    label,
    level_key,
    weight_text,
)
from jixiao.checks.registry import CheckContext, check
from jixiao.checks.targets import is_empty_slot
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Evaluation, Kind
from jixiao.numbers import money_factor

REQUIRED = {
    "self-2020": ("产出", "效益", "满意度"),
    "eval-2020": ("决策", "过程", "产出", "效益"),
    "common-2013": ("决策", "过程", "产出", "效益"),
}
NAMES = {
    "self-2020": {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"},
    "common-2013": {"决策": "投入", "效益": "效果"},
}
OUTPUT_KINDS = ("数量", "质量", "时效", "成本")


def _framework(evaluation: Evaluation) -> str:
    if evaluation.framework in REQUIRED:
        return evaluation.framework
    if evaluation.kind is Kind.self:
        return "self-2020"
    return "eval-2020"


def _is_evaluation(evaluation: Evaluation) -> bool:
    return evaluation.kind is not Kind.self or (evaluation.framework or "").startswith("eval-")


@check("structure.missing-level", "structure.no-satisfaction")
def missing_levels(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The framework's 一级 levels are all there, and some indicator measures satisfaction."""
    if not evaluation.indicators and not evaluation.levels:
        return []
    framework = _framework(evaluation)
    present = {category(ind.level1) for ind in evaluation.indicators}
    present |= {category(level.name) for level in evaluation.levels}
    out: list[Finding] = []
    for wanted in REQUIRED[framework]:
        if wanted == "满意度" or wanted in present:
            continue
        name = NAMES.get(framework, {}).get(wanted, wanted)
        out.append(
            finding(
                "structure.missing-level",
                Severity.warning,
                f"指标体系（{framework}）缺少一级指标“{name}”",
                "indicators",
                expected=name,
                rule=RULE_FORM if framework == "self-2020" else RULE_FRAMEWORK,
            )
        )
    if evaluation.indicators:
        names = (f"{ind.level1}{ind.level2 or ''}{ind.name or ''}" for ind in evaluation.indicators)
        if not any("满意" in n for n in names):
            out.append(
                finding(
                    "structure.no-satisfaction",
                    Severity.warning,
                    "没有服务对象满意度指标",
                    "indicators",
                    expected="满意度指标",
                    rule=RULE_FORM,
                )
            )
    return out


@check("structure.misfiled")
def misfiled(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """An indicator whose 二级 belongs to another 一级 (效益 items under 产出)."""
    separate = "满意度" in REQUIRED[_framework(evaluation)]  # 附件1: 满意度 is a 一级 of its own
    wrong: dict[tuple[str, str], dict[str, list[int]]] = {}  # (一级 as printed, where it belongs) → 类 → rows
    for i, ind in enumerate(evaluation.indicators):
        top, sub = category(ind.level1), category(ind.level2)
        if top and sub and top != sub and {top, sub} <= {"产出", "效益", "满意度", "决策", "过程"}:
            if top == "效益" and sub == "满意度":
                continue  # 满意度 is a 效益 item in evaluation frameworks
            home = sub if sub != "满意度" or separate else "效益"  # 附件2: 满意度 is a 效益 item
            if home == top:
                continue
            wrong.setdefault((ind.level1, home), {}).setdefault(sub, []).append(i)
    out: list[Finding] = []
    for (level1, home), by_kind in wrong.items():
        what = "和".join(
            f"{sub}类二级指标（{'、'.join(evaluation.indicators[i].level2 or '' for i in rows)}）"
            for sub, rows in by_kind.items()
        )
        first = min(i for rows in by_kind.values() for i in rows)
        out.append(
            finding(
                "structure.misfiled",
                Severity.warning,
                f"{what}归在一级指标“{level1}”下，应归入一级指标“{home}”",
                ind_path(first, "level1"),
                source=evaluation.indicators[first].source,
                expected=home,
                actual=level1,
                rule=RULE_FRAMEWORK,
            )
        )
    return out


@check("structure.results-first")
def results_first(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """In a department or finance evaluation, 产出 + 效益 weigh at least 60% of the total."""
    if not _is_evaluation(evaluation):
        return []
    levels = [lv for lv in ctx.score.levels if lv.weight is not None]
    total = sum((lv.weight for lv in levels if lv.weight is not None), Decimal(0))
    if not levels or not total:
        return []
    results = [lv for lv in levels if category(lv.name) in ("产出", "效益")]
    weight = sum((lv.weight for lv in results if lv.weight is not None), Decimal(0))
    share = weight / total * HUNDRED
    minimum = ctx.policy.results_first_minimum
    if share >= minimum:
        return []
    terms = " + ".join(f"{lv.name}{weight_text(lv.weight)}" for lv in results if lv.weight is not None) or "0"
    return [
        finding(
            "structure.results-first",
            Severity.warning,
            f"产出、效益指标分值合计 {terms} = {weight_text(weight)}，占总分值{weight_text(total)}的{amount_text(share)}%，"
            f"低于{amount_text(minimum, 0)}%",
            "levels",
            expected=f"≥ {amount_text(minimum, 0)}%",
            actual=share,
            rule="财预〔2020〕10号 第十四条：突出结果导向，产出、效益指标权重一般不低于60%",
        )
    ]


def _weight_text(weight: Decimal | None) -> str:
    return "未印" if weight is None else weight_text(weight)


@check("structure.duplicate")
def duplicates(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """The same indicator twice, or the same 三级 name under both 产出 and 效益."""
    out: list[Finding] = []
    seen: dict[tuple[str, str, str], int] = {}
    by_name: dict[str, dict[str, int]] = {}
    for i, ind in enumerate(evaluation.indicators):
        if not ind.name or is_empty_slot(ind):
            continue
        key = (level_key(ind.level1), ind.level2 or "", ind.name)
        if ind.weight is not None:
            if key in seen:
                out.append(
                    finding(
                        "structure.duplicate",
                        Severity.warning,
                        f"指标“{label(ind)}”重复列出（第{seen[key] + 1}项与第{i + 1}项）",
                        ind_path(i),
                        source=ind.source,
                        rule=RULE_FRAMEWORK,
                    )
                )
            seen.setdefault(key, i)
        cat = category(ind.level1)
        if cat in ("产出", "效益"):
            by_name.setdefault(ind.name, {}).setdefault(cat, i)
    printed: dict[tuple[str, str], int] = {}
    for g, group in enumerate(evaluation.groups):
        key2 = (level_key(group.level1), group.name)
        if key2 in printed:
            first = evaluation.groups[printed[key2]]
            out.append(
                finding(
                    "structure.duplicate",
                    Severity.warning,
                    f"二级指标“{group.name}”在一级指标“{group.level1}”下列出两次"
                    f"（分值{_weight_text(first.weight)}、{_weight_text(group.weight)}），应合并为一个二级指标",
                    f"groups[{g}]",
                    source=group.source,
                    rule=RULE_FRAMEWORK,
                )
            )
        printed.setdefault(key2, g)
    for name, cats in by_name.items():
        if len(cats) == 2:
            i = cats["效益"]
            out.append(
                finding(
                    "structure.duplicate",
                    Severity.warning,
                    f"同一指标“{name}”既列在产出指标下，又列在效益指标下",
                    ind_path(i),
                    source=evaluation.indicators[i].source,
                    rule=RULE_FRAMEWORK,
                )
            )
    return out


@check("structure.output-kinds", "structure.funds-as-quantity")
def output_kinds(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """产出 has 数量, 质量, 时效 and 成本 indicators; a 数量 indicator counts outputs, not money paid."""
    outputs = [(i, ind) for i, ind in enumerate(evaluation.indicators) if category(ind.level1) == "产出"]
    if not outputs:
        return []
    out: list[Finding] = []
    subs = "".join(ind.level2 or "" for _, ind in outputs)
    missing = [k for k in OUTPUT_KINDS if k not in subs]
    if missing and any(ind.level2 for _, ind in outputs):
        out.append(
            finding(
                "structure.output-kinds",
                Severity.info,
                f"产出指标下没有{'、'.join(k + '指标' for k in missing)}",
                ind_path(outputs[0][0], "level2"),
                source=outputs[0][1].source,
                expected=[k + "指标" for k in OUTPUT_KINDS],
                rule=RULE_FORM,
            )
        )
    for i, ind in outputs:
        if "数量" not in (ind.level2 or ""):
            continue
        unit = ind.target.unit if ind.target else None
        money = money_factor(unit) is not None or any(w in (ind.name or "") for w in ("资金支付", "资金拨付"))
        if money:
            out.append(
                finding(
                    "structure.funds-as-quantity",
                    Severity.info,
                    f"数量指标“{label(ind)}”以资金金额或资金支付作为产出数量，应以实际产出（人数、件数等）衡量",
                    ind_path(i, "name"),
                    source=ind.source,
                    rule=RULE_FORM,
                )
            )
    return out


# What a 项目支出绩效自评表 must fill in (财预〔2020〕10号 附件1), besides its indicators.
SELF_TABLE_FIELDS: tuple[tuple[str, Callable[[Evaluation], bool]], ...] = (
    ("项目名称", lambda e: not e.project.name.startswith("（未能")),
    ("主管部门", lambda e: bool(e.project.department or e.project.department_code)),
    ("实施单位", lambda e: bool(e.project.unit)),
    ("年度总体目标", lambda e: bool(e.goals.annual or e.goals.overall)),
    ("总体目标完成情况", lambda e: bool(e.goals.achieved)),
)


@check("structure.required-field")
def required_fields(evaluation: Evaluation, ctx: CheckContext) -> list[Finding]:
    """A 10号 自评表 leaves none of its required fields blank (项目名称, 主管部门, 实施单位, 年度目标 and
    its 完成情况)."""
    form = evaluation.form.value if evaluation.form is not None else None
    if form not in ("self-table", "transfer-self-table") or _framework(evaluation) != "self-2020":
        return []  # other documents and older local forms (项目概况 / 项目绩效情况) print other fields
    blank = [name for name, filled in SELF_TABLE_FIELDS if not filled(evaluation)]
    if not blank:
        return []
    return [
        finding(
            "structure.required-field",
            Severity.warning,
            f"自评表未填写：{'、'.join(blank)}",
            "project",
            source=evaluation.source,
            expected="、".join(blank),
            rule=f"{RULE_FORM}：自评表各栏均应填写",
        )
    ]
