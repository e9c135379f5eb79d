"""完整性: every required field and block filled, funds adding up, every goal and level covered,
every indicator complete, no template rows left (财预〔2015〕88号 第十七条 完整性审核)."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.checks.declaration.common import (
    RULE_88,
    RULE_FORM,
    Row,
    comparison_of,
    decl_finding,
    is_not_applicable,
    is_qualitative,
    key_terms,
    level_of,
    money,
    rows,
    text_of,
    unit_of,
    value_of,
)
from jixiao.checks.declaration.registry import DeclarationContext, declaration_check
from jixiao.checks.estimate import count_mismatch
from jixiao.declaration import Criterion, Declaration, Period, TargetSet
from jixiao.findings import Finding, Severity
from jixiao.model import Source
from jixiao.numbers import matches_printed

C = Criterion.completeness
RULE_COMPLETE = f"{RULE_88}：完整性（绩效目标填报格式规范，内容完整）"


def active(declaration: Declaration) -> list[Row]:
    """Indicators that are neither a 不适用 row (a level the form lets the project leave out) nor
    a template row left in (``decl.placeholder`` reports those)."""
    return [r for r in rows(declaration) if not is_na_row(r) and placeholder_of(r) is None]


def placeholder_of(row: Row) -> tuple[str, str] | None:
    """The template text a row still holds (“指标1”, “*”, “XXX”, “88/100”) and its field, or None."""
    ind = row.ind
    for field, text in (("name", ind.name), ("level2", ind.level2)):
        if text and _PLACEHOLDER_NAME.match(text):
            return field, text
    value = text_of(ind)
    if value and _PLACEHOLDER_VALUE.match(value):
        return "target", value
    return None


def is_na_row(row: Row) -> bool:
    """A row printed 不适用 (name or value) or with neither a name nor a value."""
    ind = row.ind
    if is_not_applicable(ind.name) or (ind.name is None and is_not_applicable(text_of(ind))):
        return True
    if is_not_applicable(ind.level2) and not ind.name:
        return True
    return not ind.name and not text_of(ind)


_PLACEHOLDER_NAME = re.compile(
    r"^\s*(指标\s*\d*\s*[:：]?|[*＊]+|[xX×]{2,}.*|.*[xX×]{3,}.*|（?请(填写|输入|选择).*|示例.*|例[:：].*|\.\.\.|…+)\s*$"
)
_PLACEHOLDER_VALUE = re.compile(
    r"^\s*([*＊]+|[xX×]{2,}\s*%?|88\s*/\s*100|\d+\s*/\s*100分?|（?请(填写|输入).*|…+)\s*$"
)


@declaration_check("decl.required-field", criterion=C)
def required_fields(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """项目名称, 主管部门, 实施单位, 项目属性 (新增/延续; 经常性/一次性), 年度绩效目标, 立项依据."""
    project = declaration.project
    missing: list[tuple[str, str, Severity]] = []
    if not project.name.strip() or project.name.strip() in ("（项目名称）", "项目名称"):
        missing.append(("project.name", "项目名称", Severity.error))
    if not (project.department or "").strip():
        missing.append(("project.department", "主管部门", Severity.error))
    if not (project.unit or "").strip():
        missing.append(("project.unit", "实施单位", Severity.error))
    if declaration.novelty is None:
        missing.append(("novelty", "项目属性（新增项目 / 延续项目）", Severity.error))
    if project.attribute is None:
        missing.append(("project.attribute", "项目属性（经常性项目 / 一次性项目）", Severity.warning))
    if not any(goal.strip() for goal in declaration.annual.goals):
        missing.append(("annual.goals", "年度绩效目标", Severity.error))
    if not (declaration.basis or "").strip():
        missing.append(("basis", "立项依据", Severity.warning))
    return [
        decl_finding(
            "decl.required-field",
            severity,
            f"申报表未填写“{what}”" + ("，无法审核" if severity is Severity.error else "，请补充"),
            path,
            place=what,
            source=declaration.source,
            expected=what,
            actual="未填写",
            rule=RULE_COMPLETE,
        )
        for path, what, severity in missing
    ]


@declaration_check("decl.missing-block", criterion=C)
def required_blocks(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """The indicator table, the funds block and, for a project of several years, the 中期 targets."""
    out: list[Finding] = []
    funds = declaration.funds
    if not declaration.annual.indicators:
        out.append(
            decl_finding(
                "decl.missing-block",
                Severity.error,
                "申报表没有年度绩效指标表：绩效目标应细化为产出、效益、满意度等绩效指标",
                "annual.indicators",
                place="年度绩效指标",
                source=declaration.annual.goals_source or declaration.source,
                expected="年度绩效指标表",
                actual="缺失",
                rule=RULE_COMPLETE,
            )
        )
    if funds.annual_total is None and funds.appropriation is None and funds.other is None:
        out.append(
            decl_finding(
                "decl.missing-block",
                Severity.error,
                "申报表没有填写年度资金（年度资金总额、财政拨款、其他资金），无法判断目标与资金是否匹配",
                "funds.annual_total",
                place="资金情况 / 年度资金总额",
                source=declaration.source,
                expected="年度资金总额",
                actual="缺失",
                rule=RULE_COMPLETE,
            )
        )
    years = declaration.period_years
    if years is not None and years > 1 and (declaration.medium is None or not declaration.medium.goals):
        out.append(
            decl_finding(
                "decl.missing-block",
                Severity.warning,
                f"项目实施期为{years}年，申报表没有中期（实施期）绩效目标",
                "medium",
                place="中期绩效目标",
                source=declaration.source,
                expected="中期绩效目标",
                actual="缺失",
                rule=RULE_COMPLETE,
            )
        )
    return out


@declaration_check("decl.funds-sum", criterion=C)
def funds_sum(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """资金总额 = 财政拨款 + 其他资金 (annual, and medium-term when printed)."""
    funds = declaration.funds
    unit = funds.unit
    out: list[Finding] = []
    for span, total, appropriation, other, carried, path in (
        ("年度", funds.annual_total, funds.appropriation, funds.other, "carryover", "funds.annual_total"),
        (
            "中期",
            funds.medium_total,
            funds.medium_appropriation,
            funds.medium_other,
            "medium_carryover",
            "funds.medium_total",
        ),
    ):
        if total is None or appropriation is None:
            continue
        carryover: Decimal | None = getattr(funds, carried, None)  # 上年结转, where the form prints it
        parts = appropriation + (other or 0) + (carryover or 0)
        if other is None and parts <= total:
            continue  # 其他资金 not printed: the rest may be other funds
        if matches_printed(total, parts, 2):
            continue
        out.append(
            decl_finding(
                "decl.funds-sum",
                Severity.error,
                f"{span}资金总额{money(total, unit)}不等于财政拨款{money(appropriation, unit)}"
                f" + 其他资金{money(other or Decimal(0), unit)}"
                + (f" + 上年结转{money(carryover, unit)}" if carryover else "")
                + f" = {money(parts, unit)}"
                f"（相差{money(abs(total - parts), unit)}）",
                path,
                place=f"资金情况 / {span}资金总额",
                source=funds.sources.get(path.removeprefix("funds.")) or declaration.source,
                expected=parts,
                actual=total,
                rule="资金总额 = 财政拨款 + 其他资金",
            )
        )
    return out


@declaration_check("decl.goal-uncovered", criterion=C)
def goals_covered(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """Each 年度目标 sentence has at least one indicator sharing its key terms."""
    target_set = declaration.annual
    live = [r for r in active(declaration) if r.set.period is Period.annual]
    if not live:
        return []  # decl.missing-block says so
    sentences = [key_terms(goal) for goal in target_set.goals]
    topic = key_terms(declaration.project.name)  # the project's own subject: no evidence of cover
    if len(sentences) >= 3:
        topic |= set.intersection(*sentences)  # …nor what every goal says
    measures = [
        key_terms(f"{row.ind.name or ''} {text_of(row.ind)} {row.ind.explanation or ''}") - topic
        for row in live
    ]
    values = {
        v for row in live for v in (value_of(row.ind), row.ind.target.upper if row.ind.target else None) if v
    }
    out: list[Finding] = []
    for i, goal in enumerate(target_set.goals):
        own = sentences[i] - topic
        need = min(3, max(1, -(-len(own) // 4)))  # a quarter of the sentence's terms, at most 3
        if len(own) < 2 or any(len(own & terms) >= need for terms in measures) or _numbers(goal) & values:
            continue
        out.append(
            decl_finding(
                "decl.goal-uncovered",
                Severity.warning,
                f"年度目标第{i + 1}项“{_short(goal)}”没有对应的绩效指标：每项目标至少应有一个指标衡量",
                f"annual.goals[{i}]",
                place=f"年度绩效目标 第{i + 1}项",
                source=target_set.goals_source or declaration.source,
                expected="至少一个对应指标",
                actual="无",
                rule=RULE_COMPLETE,
            )
        )
    return out


_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]*\s*年(?!度|底|内))")


def _numbers(text: str) -> set[Decimal]:
    """The numbers a goal sentence states (a target it names: “约6.3万名”, “96%以上”), years left out."""
    return {Decimal(m) for m in _NUMBER.findall(text) if Decimal(m) != 0}


def _short(text: str, size: int = 30) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= size else text[:size] + "…"


_LEVELS = (("产出", Severity.error), ("效益", Severity.error), ("满意度", Severity.warning))


def _exempted(declaration: Declaration, level: str, target_set: TargetSet) -> bool:
    if any(level in note for note in declaration.exemptions):
        return True
    return any(level_of(ind) == level or level in ind.level1 for ind in target_set.indicators)


@declaration_check("decl.missing-level", criterion=C)
def levels_present(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """产出, 效益 and 满意度 indicators present in each target set (or exempted: ``exemptions``,
    or a level printed 不适用 as read)."""
    out: list[Finding] = []
    for target_set in declaration.target_sets():
        if not target_set.indicators:
            continue
        span = "中期" if target_set.period is Period.medium else "年度"
        for level, severity in _LEVELS:
            has = any(level_of(ind) == level for ind in target_set.indicators)
            if level == "产出":
                has = has or any(level_of(ind) == "成本" for ind in target_set.indicators)
            if has or _exempted(declaration, level, target_set):
                continue
            out.append(
                decl_finding(
                    "decl.missing-level",
                    severity,
                    f"{span}绩效指标没有{level}指标，也未说明不适用的理由",
                    f"{target_set.period.value}.indicators",
                    place=f"{span}绩效指标 / {level}指标",
                    source=target_set.goals_source or declaration.source,
                    expected=f"{level}指标",
                    actual="缺失",
                    rule=f"{RULE_FORM}：一级指标包括产出、效益、满意度",
                )
            )
    return out


@declaration_check("decl.blank-target", criterion=C)
def blank_targets(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """Each indicator has its 指标值."""
    return [
        decl_finding(
            "decl.blank-target",
            Severity.error,
            f"{row.name}没有填写指标值",
            row.at("target"),
            place=row.place,
            source=row.ind.source,
            expected="指标值",
            actual="空白",
            rule=RULE_COMPLETE,
        )
        for row in active(declaration)
        if row.ind.name and not text_of(row.ind)
    ]


@declaration_check("decl.quantitative-incomplete", criterion=C)
def quantitative_complete(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """Each 定量 indicator has a value and a unit (one finding each) and its 性质 ≥ ≤ = (one
    finding per target set listing the rows without it; a date needs none)."""
    out: list[Finding] = []
    unsigned: dict[Period, list[Row]] = {}
    for row in active(declaration):
        ind = row.ind
        if is_qualitative(ind) or not text_of(ind):
            continue
        lacking = []
        if value_of(ind) is None:
            lacking.append("数值")
        elif unit_of(ind) is None:
            lacking.append("计量单位")
        if lacking:
            out.append(
                decl_finding(
                    "decl.quantitative-incomplete",
                    Severity.warning,
                    f"{row.name}是定量指标，指标值“{text_of(ind)}”缺少{'、'.join(lacking)}",
                    row.at("target"),
                    place=row.place,
                    source=row.ind.source,
                    expected="数值和计量单位",
                    actual=text_of(ind),
                    rule=f"{RULE_FORM}：定量指标应填写性质、指标值和度量单位",
                )
            )
        elif comparison_of(ind) is None and unit_of(ind) not in ("月", "日"):
            unsigned.setdefault(row.set.period, []).append(row)
    for period, lacking_rows in unsigned.items():
        first = lacking_rows[0]
        names = "、".join(f"“{r.ind.name or r.ind.level2}”（{text_of(r.ind)}）" for r in lacking_rows[:5])
        more = f"等{len(lacking_rows)}项" if len(lacking_rows) > 5 else ""
        span = "中期" if period is Period.medium else "年度"
        out.append(
            decl_finding(
                "decl.quantitative-incomplete",
                Severity.warning,
                f"{span}定量指标{names}{more}没有写明性质（≥、≤、=）：是下限、上限还是须恰好达到，评价时无从判断",
                first.at("comparison"),
                place=first.place,
                source=first.ind.source,
                expected="≥、≤ 或 =",
                actual=f"{len(lacking_rows)}项未写",
                rule=f"{RULE_FORM}：定量指标应填写性质、指标值和度量单位",
            )
        )
    return out


_GRADE_WORDS = re.compile(
    r"(较好|一般|较差|部分达成|未达成|基本达成|达成|优秀|良好|不合格|合格|较显著|不显著|显著|较高|较低|优|良|中|差|好)"
)


@declaration_check("decl.qualitative-grades", criterion=C)
def qualitative_grades(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """Each 定性 indicator describes its grades (好 / 较好 / 一般 / 差, 达成 / 部分达成 / 未达成 …)."""
    out: list[Finding] = []
    for row in active(declaration):
        ind = row.ind
        if not is_qualitative(ind) or not text_of(ind):
            continue
        words = set(_GRADE_WORDS.findall(f"{text_of(ind)} {ind.explanation or ''}"))
        if len(words) >= 2:
            continue
        out.append(
            decl_finding(
                "decl.qualitative-grades",
                Severity.warning,
                f"{row.name}是定性指标，指标值“{text_of(ind)}”未说明评判等级（如好、较好、一般、差及各自的标准），"
                "评价时无法判断是否达成",
                row.at("explanation"),
                place=row.place,
                source=row.ind.source,
                expected="分级标准",
                actual=text_of(ind),
                rule=f"{RULE_FORM}：定性指标应分级分档表述",
            )
        )
    return out


@declaration_check("decl.placeholder", criterion=C)
def placeholders(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """No template rows left: “指标1”, “*”, “XXX”, an example value “88/100”, “请填写…”."""
    out: list[Finding] = []
    for row in rows(declaration):
        found = placeholder_of(row)
        if found is None:
            continue
        field, hit = found
        out.append(
            decl_finding(
                "decl.placeholder",
                Severity.error,
                f"{row.name}是未替换的模板内容“{hit}”：应填写本项目的指标和指标值，或删除该行",
                row.at(field),
                place=row.place,
                source=row.ind.source,
                expected="本项目的指标",
                actual=hit,
                rule=RULE_COMPLETE,
            )
        )
    return out


@declaration_check("decl.count-list", criterion=C)
def count_list(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A count the prose announces (包括3个支出事项) followed by a list of another length (一是…四是)."""
    texts: list[tuple[str, str, str | None, Source | None]] = [
        ("funds.estimate", "测算依据", declaration.funds.estimate, declaration.funds.sources.get("estimate"))
    ]
    for target_set in declaration.target_sets():
        name = "中期目标" if target_set.period is Period.medium else "年度目标"
        printed = target_set.goals_source.text if target_set.goals_source else None
        goals = printed or "；".join(target_set.goals)  # as printed: the split goals lost their marks
        texts.append((f"{target_set.period.value}.goals", name, goals, target_set.goals_source))
    texts.append(("basis", "立项依据", declaration.basis, None))
    out: list[Finding] = []
    for path, place, text, source in texts:
        mismatch = count_mismatch(text) if text else None
        if mismatch is None:
            continue
        words, said, listed = mismatch
        out.append(
            decl_finding(
                "decl.count-list",
                Severity.warning,
                f"{place}称“{words}”，其后却列了{listed}项：申报内容前后不一致",
                path,
                place=place,
                source=source or declaration.source,
                expected=said,
                actual=listed,
            )
        )
    return out
