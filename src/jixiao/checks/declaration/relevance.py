"""相关性: indicators tied to the goals and the project's content, outputs that are outputs, no
indicator counted twice (财预〔2015〕88号 第十七条 相关性审核)."""

from __future__ import annotations

import re

from jixiao.checks.declaration.common import RULE_88, Row, decl_finding, is_cost, key_terms, level_of, text_of
from jixiao.checks.declaration.completeness import active
from jixiao.checks.declaration.registry import DeclarationContext, declaration_check
from jixiao.declaration import Criterion, Declaration
from jixiao.findings import Finding, Severity

C = Criterion.relevance
RULE_RELEVANT = f"{RULE_88}：相关性（绩效目标与部门职能、项目内容和预算资金相关）"


def content_terms(declaration: Declaration) -> set[str]:
    """The key terms of what the project is: its name, category, description, 立项依据, goals,
    spending details and 测算依据."""
    project = declaration.project
    texts = [
        project.name,
        project.category,
        project.description,
        declaration.basis,
        declaration.funds.estimate,
    ]
    texts += [goal for s in declaration.target_sets() for goal in s.goals]
    texts += [f"{item.label}{item.basis or ''}" for item in declaration.funds.details]
    out: set[str] = set()
    for text in texts:
        out |= key_terms(text)
    return out


@declaration_check("decl.unrelated-indicator", criterion=C)
def unrelated(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """An 产出 or 效益 indicator sharing no key term with the goals and the project's content."""
    content = content_terms(declaration)
    if len(content) < 4:
        return []  # too little said of the project to judge
    out: list[Finding] = []
    for row in active(declaration):
        ind = row.ind
        level = level_of(ind)
        if (
            level not in ("产出", "效益")
            or is_cost(ind)
            or "时效" in (ind.level2 or "")
            or funds_as_output(row)
        ):
            continue
        own = key_terms(f"{ind.name or ''}") | key_terms(text_of(ind)) | key_terms(ind.explanation)
        if len(key_terms(ind.name)) < 1 or own & content:
            continue
        out.append(
            decl_finding(
                "decl.unrelated-indicator",
                Severity.warning if level == "产出" else Severity.info,
                f"{row.name}与项目名称、绩效目标和支出内容没有共同的关键词，看不出与本项目的关系；"
                "请确认指标是否反映本项目的产出和效益",
                row.at("name"),
                place=row.place,
                source=ind.source,
                actual=ind.name,
                rule=RULE_RELEVANT,
            )
        )
    return out


_FUNDS_WORDS = re.compile(r"(资金|预算|经费)?(支付|拨付|执行|支出|到位|使用)(率|进度|比例)|执行率")


def funds_as_output(row: Row) -> bool:
    """A 资金支付率 / 拨付率 / 预算执行率 filed as an output (数量 or 产出)."""
    ind = row.ind
    return level_of(ind) == "产出" and bool(_FUNDS_WORDS.search(f"{ind.name or ''}"))


@declaration_check("decl.funds-as-output", criterion=C)
def funds_output(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """A 资金支付率 / 拨付率 / 执行率 used as an output indicator: paying is no output."""
    return [
        decl_finding(
            "decl.funds-as-output",
            Severity.warning,
            f"{row.name}衡量的是资金支付进度，不是项目提供的产品或服务，不应作为产出指标"
            "（预算执行情况另行监控，不占产出指标）",
            row.at("name"),
            place=row.place,
            source=row.ind.source,
            expected="项目的产品或服务",
            actual=row.ind.name,
            rule="财预〔2020〕10号 附件2：产出指标反映项目提供的产品和服务",
        )
        for row in active(declaration)
        if funds_as_output(row)
    ]


def _norm(name: str | None) -> str:
    return re.sub(r"[\s（）()“”\"'：:、，,。.]", "", name or "")


@declaration_check("decl.duplicate", criterion=C)
def duplicates(declaration: Declaration, ctx: DeclarationContext) -> list[Finding]:
    """The same indicator in 产出 and in 效益 (or twice in one target set)."""
    out: list[Finding] = []
    for target_set in declaration.target_sets():
        seen: dict[str, Row] = {}
        for row in active(declaration):
            if row.set is not target_set or not row.ind.name:
                continue
            key = _norm(row.ind.name)
            first = seen.get(key)
            if first is None:
                seen[key] = row
                continue
            levels = {level_of(first.ind), level_of(row.ind)}
            where = "同时列为产出指标和效益指标" if levels == {"产出", "效益"} else "重复列出"
            out.append(
                decl_finding(
                    "decl.duplicate",
                    Severity.warning,
                    f"{row.name}与{first.name}是同一指标，{where}：同一内容不应重复设置",
                    row.at("name"),
                    place=row.place,
                    source=row.ind.source,
                    expected="每项内容一个指标",
                    actual=row.ind.name,
                    rule=RULE_RELEVANT,
                )
            )
    return out
