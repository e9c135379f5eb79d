"""Where a finding points, said the way a reviewer says it: “产出指标 / 数量指标 / 参保人数 得分”,
“资金表 合计行 实际支出”, never a field path such as ``indicators[6].claimed``."""

from __future__ import annotations

import re

from jixiao.model import Evaluation
from jixiao.vocabulary import STAGE_NAMES

INDICATOR_FIELDS = {
    "claimed": "得分",
    "reviewed": "复核得分",
    "weight": "分值",
    "target": "年度指标值",
    "actual": "实际完成值",
    "completion": "完成进度",
    "deviation_reason": "偏差原因分析及改进措施",
    "rule": "评分规则",
    "name": "三级指标名称",
    "level1": "一级指标",
    "level2": "二级指标",
    "direction": "指标方向",
    "type": "指标类型",
    "explanation": "指标解释",
    "criteria": "评分标准",
    "points": "评价要点",
    "evidence": "佐证材料",
}
FIELDS = {
    "funds": "资金表",
    "funds.execution_rate": "预算执行率",
    "funds.arrival_rate": "资金到位率",
    "funds.planned_spending": "预算支出",
    "funds.estimate": "测算依据",
    "funds.unit": "金额单位",
    "funds.execution_weight": "资金执行 分值",
    "funds.execution_claimed": "资金执行 得分",
    "claims": "评价结论",
    "claims.total": "总分",
    "claims.total_weight": "满分",
    "claims.rate": "得分率",
    "claims.grade": "评价等级",
    "survey": "满意度调查",
    "survey.method": "满意度调查 调查方式",
    "survey.population": "满意度调查 受益对象人数",
    "survey.distributed": "满意度调查 发放份数",
    "survey.sample_size": "满意度调查 有效样本量",
    "survey.questions": "满意度调查 题数",
    "survey.answers": "满意度调查 各选项人数",
    "survey.satisfaction_rate": "满意度调查 满意率",
    "survey.satisfaction_index": "满意度调查 综合满意度",
    "survey.margin_of_error": "满意度调查 误差范围",
    "project": "项目基本情况",
    "project.name": "项目名称",
    "project.unit": "实施单位",
    "project.department": "主管部门",
    "project.department_code": "主管部门代码",
    "project.period_start": "项目期 开始日期",
    "project.period_end": "项目期 结束日期",
    "project_code": "项目编码",
    "goals": "绩效目标",
    "goals.overall": "总体目标",
    "goals.annual": "年度目标",
    "goals.achieved": "总体目标完成情况",
    "indicators": "绩效指标表",
    "levels": "一级指标小计",
    "groups": "二级指标小计",
    "problems": "存在问题",
    "suggestions": "改进建议",
    "experience": "经验做法",
    "other": "其他需要说明的问题",
    "dates": "日期",
    "dates.filled": "填报日期",
    "dates.report": "报告日期",
    "dates.work_start": "评价工作开始日期",
    "dates.work_end": "评价工作结束日期",
    "commissioner": "委托评价单位",
    "evaluator": "评价机构",
    "purpose": "评价目的",
    "basis": "评价依据",
    "year": "年度",
    "kind": "评价类型",
    "period": "评价期间",
    "pension": "城乡居民养老保险测算",
    "evaluators": "评价人员",
}
_INDEXED = re.compile(
    r"^(indicators|levels|groups|funds\.lines|funds\.items|funds\.changes)\[(\d+)\](?:\.(.+))?$"
)


def _indicator(evaluation: Evaluation | None, index: int) -> str:
    if evaluation is None or index >= len(evaluation.indicators):
        return f"第{index + 1}个指标"
    ind = evaluation.indicators[index]
    return " / ".join(p for p in (ind.level1, ind.level2, ind.name) if p)


def _fund_line(evaluation: Evaluation | None, index: int) -> str:
    if evaluation is not None and index < len(evaluation.funds.lines):
        line = evaluation.funds.lines[index]
        return f"资金表 {line.label or line.source.value}行"
    return f"资金表 第{index + 1}个资金来源"


def _indexed(m: re.Match[str], evaluation: Evaluation | None) -> str:
    what, index, rest = m.group(1), int(m.group(2)), m.group(3) or ""
    field = rest.split(".", 1)[0].split("[", 1)[0]
    if what == "indicators":
        tail = INDICATOR_FIELDS.get(field, "")
        return f"{_indicator(evaluation, index)} {tail}".strip()
    if what == "funds.lines":
        return f"{_fund_line(evaluation, index)} {STAGE_NAMES.get(field, '')}".strip()
    if what == "funds.changes":
        if evaluation is not None and index < len(evaluation.funds.changes):
            return f"与上年对比的说明 “{evaluation.funds.changes[index].label}”"
        return f"与上年对比的说明 第{index + 1}处"
    if what == "funds.items":
        if evaluation is not None and index < len(evaluation.funds.items):
            return f"资金明细 {evaluation.funds.items[index].label}"
        return f"资金明细 第{index + 1}项"
    names = (
        [r.name for r in (evaluation.levels if what == "levels" else evaluation.groups)] if evaluation else []
    )
    if index < len(names):
        label = f"“{names[index]}”小计"
    else:
        label = f"第{index + 1}个{'一级' if what == 'levels' else '二级'}指标小计"
    word = {"claimed": "得分", "weight": "分值"}.get(field, "")
    return f"{label} {word}".strip()


def place_of(path: str, evaluation: Evaluation | None = None) -> str:
    """The Chinese name of the place a field path points to (empty when the path is empty)."""
    if not path:
        return ""
    m = _INDEXED.match(path)
    if m:
        return _indexed(m, evaluation)
    if path.startswith("funds.total."):
        return f"资金表 合计行 {STAGE_NAMES.get(path.split('.')[2], '')}".strip()
    if path.startswith("pension."):
        return FIELDS["pension"]
    for cut in range(path.count(".") + 1):  # the longest known prefix
        key = path.rsplit(".", cut)[0] if cut else path
        if key in FIELDS:
            return FIELDS[key]
    return ""
