"""The Chinese words users read, one place for each: evaluation kinds, fund stages and sources,
severities, workflow states, roles, government levels and survey answers.

Keys are the English identifiers of docs/glossary.md (plain strings, so a ``StrEnum`` member
looks its label up as well; this module imports nothing, so a shell loads it in no time); ``tests/test_vocabulary.py`` checks that every pair here is a row
of the glossary, so the two cannot drift apart.
"""

from __future__ import annotations

KIND_NAMES = {"self": "单位自评", "department": "部门评价", "finance": "财政评价"}

STAGE_NAMES = {  # the words every message uses for the fund stages
    "budget": "年初预算",
    "budget_adjusted": "全年预算",
    "available": "实际到位",
    "spent": "实际支出",
    "surplus": "结余",
}

FUND_SOURCE_NAMES = {
    "total": "年度资金总额",
    "central": "中央资金",
    "provincial": "省级资金",
    "municipal": "市级资金",
    "county": "县级资金",
    "appropriation": "本年财政拨款",
    "carryover": "上年结转资金",
    "superior": "上级财政资金",
    "local": "地方资金",
    "other": "其他资金",
}
LABEL_TO_SOURCE = {label: source for source, label in FUND_SOURCE_NAMES.items()}
# The three rows the official form prints under 年度资金总额 (财预〔2020〕10号 附件1).
STANDARD_FUND_ROWS = ("appropriation", "carryover", "other")

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

STATUS_NAMES = {"draft": "填报中", "submitted": "待复核", "returned": "已退回", "approved": "已通过"}

ROLE_NAMES = {
    "admin": "管理员",
    "finance": "财政复核",
    "unit": "单位填报",
    "evaluator": "第三方评价",
    "viewer": "只读查看",
    "department": "主管部门审核",
}

ORG_KIND_NAMES = {"bureau": "财政局", "department": "主管部门", "unit": "实施单位", "evaluator": "第三方机构"}

LEVEL_NAMES = {  # who bears a share of a pension subsidy
    "central": "中央",
    "provincial": "省级",
    "municipal": "市级",
    "county": "县（区）级",
}

DOCUMENT_NAMES = {"self-table": "自评表", "report": "评价报告"}
FORMAT_NAMES = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF"}
# How `jixiao check` can print an audit: text for the terminal, and the writers of jixiao.serialize.
AUDIT_FORMAT_NAMES = {"text": "文本", "json": "JSON", "csv": "CSV（可用 Excel 打开）"}

ACTION_NAMES = {  # what the audit log records (actions logged by jixiao.store)
    "evaluation.create": "新建评价",
    "evaluation.save": "保存评价",
    "evaluation.import": "导入评价",
    "evaluation.review-scores": "填写复核得分",
    "evaluation.submitted": "提交评价",
    "evaluation.returned": "退回修改",
    "evaluation.approved": "复核通过",
    "evaluation.draft": "重新打开",
    "evaluation.download": "下载文书",
    "evaluation.evidence": "上传佐证材料",
    "task.create": "新建任务",
    "task.assign": "分配项目",
    "task.evaluators": "指定第三方机构",
    "task.download": "打包下载文书",
    "survey.create": "新建问卷",
    "survey.apply": "应用问卷结果",
    "survey.codes": "生成答卷码",
    "org.create": "新建单位",
    "user.create": "新建用户",
    "user.active": "启用或停用用户",
    "user.password-reset": "重置密码",
    "user.password-change": "修改密码",
    "user.email": "设置通知邮箱",
    "user.login": "登录",
    "round.create": "开启目标申报",
    "declaration.create": "新建目标申报",
    "declaration.save": "保存目标申报",
    "declaration.import": "导入目标申报",
    "declaration.submitted": "提交目标申报",
    "declaration.returned": "退回目标申报",
    "declaration.forwarded": "主管部门审核通过",
    "declaration.approved": "审定绩效目标",
    "declaration.download": "下载申报文书",
    "declaration.start-evaluation": "按审定目标生成自评",
    "declaration.reopened": "重新打开目标申报（调整绩效目标）",
}
ENTITY_NAMES = {
    "evaluation": "评价",
    "task": "任务",
    "survey": "问卷",
    "organisation": "单位",
    "user": "用户",
    "upload": "附件",
    "round": "申报批次",
    "declaration": "目标申报",
}

ANSWERS = ("很满意", "满意", "一般", "不满意", "很不满意")  # the five-point scale of a survey question
# The three fixed answers of a qualitative indicator (定性三档), as the official form prints them.
QUALITATIVE_ANSWERS = {
    "达成": "达成年度指标",
    "部分达成": "部分达成年度指标并具有一定效果",
    "未达成": "未达成年度指标且效果较差",
}
SATISFIED = ANSWERS[:2]

# The target declaration (绩效目标申报) and its review (绩效目标审核): jixiao.declaration.
NOVELTY_NAMES = {"new": "新增项目", "continuing": "延续项目"}
BASIS_KIND_NAMES = {
    "plan": "计划标准",
    "history": "历史标准",
    "industry": "行业标准",
    "budget": "预算支出标准",
    "other": "其他标准",
}
PERIOD_NAMES = {"medium": "中期目标", "annual": "年度目标"}
# where a declaration is in its round (jixiao.store: DeclarationStatus)
DECLARATION_STATUS_NAMES = {
    "draft": "填报中",
    "submitted": "待主管部门审核",
    "forwarded": "待财政审核",
    "returned": "已退回",
    "approved": "已审定",
}
CRITERION_NAMES = {
    "completeness": "完整性",
    "relevance": "相关性",
    "appropriateness": "适当性",
    "feasibility": "可行性",
}
ATTRIBUTE_NAMES = {"recurring": "经常性项目", "one_off": "一次性项目"}  # 项目类型 on the 申报表
# The documents of a declaration (`jixiao report --kind`); DOCUMENT_NAMES are an evaluation's.
DECLARATION_DOCUMENT_NAMES = {"declaration": "绩效目标申报表", "review-opinion": "绩效目标审核意见表"}
# The documents of monitoring (`jixiao report --kind`).
MONITORING_DOCUMENT_NAMES = {"monitoring": "绩效目标执行监控表", "monitoring-report": "运行监控报告"}
# The standard 一级 / 二级 rows of a blank 申报表 (财预〔2015〕88号 附件; the 中央部门 layout).
DECLARATION_LEVELS = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "生态效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
)

# Monitoring (运行监控), rectification (整改) and the use of results: jixiao.monitoring, jixiao.rectification.
LIKELIHOOD_NAMES = {"certain": "确定能", "possible": "有可能", "impossible": "完全不可能"}
CAUSE_NAMES = {
    "funding": "经费保障",
    "system": "制度保障",
    "staffing": "人员保障",
    "hardware": "硬件条件保障",
    "other": "其他",
}
LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
DECISION_NAMES = {"proceed": "继续实施", "adjust": "调整", "suspend": "暂缓拨款", "stop": "停止实施"}
ORIGIN_NAMES = {
    "self": "单位自评",
    "review": "复核",
    "department": "部门评价",
    "finance": "财政评价",
    "monitoring": "运行监控",
    "audit": "审计",
}
ITEM_STATUS_NAMES = {
    "pending": "待整改",
    "in_progress": "整改中",
    "done": "已整改待确认",
    "confirmed": "已确认",
    "declined": "不整改",
}

# Every table above whose keys are glossary identifiers (checked against docs/glossary.md).
GLOSSARY_TABLES: dict[str, dict[str, str]] = {
    "kind": KIND_NAMES,
    "stage": STAGE_NAMES,
    "fund source": FUND_SOURCE_NAMES,
    "severity": SEVERITY_NAMES,
    "status": STATUS_NAMES,
    "role": ROLE_NAMES,
    "organisation": ORG_KIND_NAMES,
    "level": LEVEL_NAMES,
    "document": DOCUMENT_NAMES,
    "novelty": NOVELTY_NAMES,
    "basis kind": BASIS_KIND_NAMES,
    "period": PERIOD_NAMES,
    "criterion": CRITERION_NAMES,
    "likelihood": LIKELIHOOD_NAMES,
    "cause": CAUSE_NAMES,
    "light": LIGHT_NAMES,
    "decision": DECISION_NAMES,
    "origin": ORIGIN_NAMES,
    "item status": ITEM_STATUS_NAMES,
    "attribute": ATTRIBUTE_NAMES,
    "declaration document": DECLARATION_DOCUMENT_NAMES,
    "monitoring document": MONITORING_DOCUMENT_NAMES,
    "declaration status": DECLARATION_STATUS_NAMES,
}
