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


# Bigrams of names any project may use (发放准确率, 补贴发放及时性, 受益人次, 社会影响, 合格率 …):
# such a name neither ties an indicator to the project nor shows it unrelated.
GENERIC = set(
    [
        "发放",
        "放准",
        "准确",
        "确率",
        "确性",
        "及时",
        "时性",
        "时率",
        "补贴",
        "贴发",
        "放补",
        "贴人",
        "人数",
        "人次",
        "受益",
        "益人",
        "益群",
        "合格",
        "格率",
        "覆盖",
        "盖率",
        "到位",
        "位率",
        "经费",
        "费发",
        "社会",
        "会影",
        "影响",
        "效果",
        "幸福",
        "福感",
        "获得",
        "得感",
        "安全",
        "全感",
        "意识",
        "水平",
        "能力",
        "知晓",
        "晓率",
        "参与",
        "与率",
        "使用",
        "用率",
        "正常",
        "常运",
        "运行",
        "行率",
        "投诉",
        "诉率",
        "问题",
        "整改",
        "改率",
        "办结",
        "结率",
        "完好",
        "好率",
        "服务",
        "务质",
        "质量",
        "工作",
        "作量",
        "活动",
        "动次",
        "次数",
        "场次",
        "宣传",
        "传次",
    ]
)


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
        specific = key_terms(ind.name) - GENERIC
        own = key_terms(f"{ind.name or ''}") | key_terms(text_of(ind)) | key_terms(ind.explanation)
        if len(specific) < 2 or own & content:
            continue  # a generic name (发放准确率, 受益人次, 社会影响) says nothing either way
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
        seen: dict[str, list[Row]] = {}
        for row in active(declaration):
            if row.set is not target_set or not row.ind.name:
                continue
            key = _norm(row.ind.name)
            earlier = seen.setdefault(key, [])
            first = next(
                (
                    r
                    for r in earlier
                    if level_of(r.ind) != level_of(row.ind) or _norm(r.ind.level2) == _norm(row.ind.level2)
                ),
                None,
            )  # the same name under 数量 and 时效 of 产出 is two indicators of one task, not a duplicate
            earlier.append(row)
            if first is None:
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
