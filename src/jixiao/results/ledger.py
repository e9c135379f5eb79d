"""The rectification ledger (整改台账): items made from findings, reviews, monitoring lights and the
printed 存在问题, and the rules of their status.

Every item carries where the problem was found (来源), its category (类别, from the finding's code
family or the words of a printed problem), its severity and the evidence (the place in the
document). Status moves only along :data:`ALLOWED`; :func:`transition` refuses any other step with
a Chinese message. 逾期 is derived from the deadline (``RectificationItem.overdue``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from jixiao.checks import Audit
from jixiao.checks.declaration import DeclarationAudit
from jixiao.checks.monitoring import MonitoringAudit
from jixiao.checks.registry import CRASHED
from jixiao.declaration import Declaration
from jixiao.findings import Finding, Severity
from jixiao.model import Evaluation
from jixiao.monitoring import Light, Monitoring
from jixiao.rectification import OPEN_STATUSES, ItemStatus, Origin, RectificationItem, StatusChange
from jixiao.vocabulary import ITEM_STATUS_NAMES

DEFAULT_DEADLINE_DAYS = 90  # the national result-use policy's ``deadline_days`` (a local default)

# A finding's code family → the category (类别) of the problem it shows.
CATEGORY_OF_FAMILY: dict[str, str] = {
    "funds": "资金管理",
    "pension": "资金管理",
    "targets": "绩效目标",
    "decl": "绩效目标",
    "explanations": "偏差说明",
    "arithmetic": "评分",
    "inflation": "评分",
    "grade": "评分",
    "structure": "指标体系",
    "survey": "满意度调查",
    "text": "信息公开",  # the report's printed text: what the public reads
    "mon": "运行监控",
}
OTHER_CATEGORY = "其他"
# Words of a printed problem (存在问题, an audit report) → its category, first match wins.
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "资金管理",
        ("资金", "支出", "预算执行", "执行率", "拨付", "结余", "沉淀", "挤占", "挪用", "报销", "财务"),
    ),
    ("绩效目标", ("绩效目标", "目标", "指标")),
    ("信息公开", ("公开", "公示")),
    ("政府采购", ("采购", "招标", "合同")),
    ("资产管理", ("资产", "固定资产", "设备")),
    ("项目实施", ("制度", "管理", "档案", "台账", "验收", "实施", "宣传", "发放", "进度")),
)


def category_of(code: str | None, text: str = "") -> str:
    """The category of a problem: from its finding code's family (funds.* → 资金管理), else from its words."""
    if code:
        family = code.split(".", 1)[0]
        if family in CATEGORY_OF_FAMILY:
            return CATEGORY_OF_FAMILY[family]
    for category, words in CATEGORY_WORDS:
        if any(word in text for word in words):
            return category
    return OTHER_CATEGORY


def item_id(*parts: object) -> str:
    """A stable id for an item: the same problem found again gets the same id (so a ledger merges)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _deadline(on: date | None, days: int) -> date:
    return (on or date.today()) + timedelta(days=days)


def _evidence(f: Finding) -> str:
    return f.location.describe() or f.location.path


def _merged(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Error and warning findings grouped per problem (one code at one place), most severe first; info
    findings and crashed rules (a problem of jixiao, not of the project) make none."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.severity is Severity.info or f.code == CRASHED:  # a crashed rule is jixiao's to fix
            continue
        groups.setdefault((f.code, f.location.path or f.location.place), []).append(f)
    return sorted(groups.values(), key=lambda group: min(f.severity.rank for f in group))


def _from_findings(
    findings: Iterable[Finding],
    *,
    project: str,
    year: int | None,
    origin: Origin,
    unit: str | None,
    deadline: date,
) -> list[RectificationItem]:
    items = []
    for group in _merged(findings):
        first = min(group, key=lambda f: f.severity.rank)
        evidence = list(dict.fromkeys(e for e in (_evidence(f) for f in group) if e))
        message = "；".join(dict.fromkeys(f.message for f in group))
        items.append(
            RectificationItem(
                id=item_id(project, year, origin.value, first.code, first.location.path or message),
                project=project,
                year=year,
                problem=message,
                origin=origin,
                category=category_of(first.code),
                severity=first.severity.value,
                finding_code=first.code,
                evidence=evidence,
                requirement=f"按{first.rule}的要求整改" if first.rule else None,
                unit=unit,
                deadline=deadline,
            )
        )
    return items


def items_from_audit(
    evaluation: Evaluation,
    audit: Audit,
    origin: Origin = Origin.review,
    *,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    on: date | None = None,
) -> list[RectificationItem]:
    """The items an audit (复核) and the evaluation's printed 存在问题 give: one per problem.

    Error and warning findings of one code at one place make one item (info findings none); each
    printed problem makes one, with the printed 建议 of the same number as its 整改要求 when the two
    lists are as long. ``on`` is the day the problems were found (default today); the deadline is
    ``deadline_days`` after it.
    """
    project = evaluation.project.name
    unit = evaluation.project.unit
    deadline = _deadline(on, deadline_days)
    items = _from_findings(
        audit.findings, project=project, year=evaluation.year, origin=origin, unit=unit, deadline=deadline
    )
    printed_origin = Origin(evaluation.kind.value)  # the 存在问题 are the evaluator's own
    paired = len(evaluation.suggestions) == len(evaluation.problems)
    for n, problem in enumerate(evaluation.problems):
        text = problem.strip()
        if not text:
            continue
        items.append(
            RectificationItem(
                id=item_id(project, evaluation.year, printed_origin.value, "printed", text),
                project=project,
                year=evaluation.year,
                problem=text,
                origin=printed_origin,
                category=category_of(None, text),
                severity=Severity.warning.value,
                evidence=[f"存在问题 第{n + 1}条"],
                requirement=evaluation.suggestions[n].strip() if paired else None,
                unit=unit,
                deadline=deadline,
            )
        )
    return items


def items_from_declaration_review(
    declaration: Declaration,
    review: DeclarationAudit,
    origin: Origin = Origin.review,
    *,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    on: date | None = None,
) -> list[RectificationItem]:
    """The items a target review (审核) gives: one per error or warning problem, and, when the result
    is 中 or 差, one for the result with its consequence as the requirement."""
    project = declaration.project.name
    unit = declaration.project.unit
    deadline = _deadline(on, deadline_days)
    items = _from_findings(
        review.findings, project=project, year=declaration.year, origin=origin, unit=unit, deadline=deadline
    )
    result = review.result
    if result.grade.value in ("中", "差"):
        items.append(
            RectificationItem(
                id=item_id(project, declaration.year, origin.value, "decl.result"),
                project=project,
                year=declaration.year,
                problem=f"绩效目标审核结果为“{result.grade.value}”（{result.total}分）",
                origin=origin,
                category="绩效目标",
                severity=(Severity.error if result.grade.value == "差" else Severity.warning).value,
                evidence=[result.rubric_title or result.rubric],
                requirement=result.consequence,
                unit=unit,
                deadline=deadline,
            )
        )
    return items


LIGHT_SEVERITY = {Light.red: Severity.error, Light.yellow: Severity.warning}
LIGHT_NAMES = {Light.red: "红灯", Light.yellow: "黄灯", Light.green: "绿灯"}


def items_from_monitoring(
    monitoring: Monitoring,
    light: Light,
    reasons: Sequence[str | Finding],
    *,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    on: date | None = None,
) -> list[RectificationItem]:
    """The item a monitoring round's warning gives: a red or yellow light with its reasons (none for
    green). ``reasons`` are the warning policy's words or findings; a finding's code gives the category."""
    if light not in LIGHT_SEVERITY:
        return []
    project = monitoring.project.name
    texts = [r.message if isinstance(r, Finding) else r for r in reasons]
    codes = [r.code for r in reasons if isinstance(r, Finding)]
    evidence = [e for e in (_evidence(r) for r in reasons if isinstance(r, Finding)) if e]
    cut = f"1—{monitoring.cutoff_month}月"
    problem = f"运行监控（{cut}）预警{LIGHT_NAMES[light]}" + (f"：{'；'.join(texts)}" if texts else "")
    measures = monitoring.measures
    return [
        RectificationItem(
            id=item_id(project, monitoring.year, "monitoring", monitoring.cutoff_month),
            project=project,
            year=monitoring.year,
            problem=problem,
            origin=Origin.monitoring,
            category=category_of(codes[0]) if codes else "运行监控",
            severity=LIGHT_SEVERITY[light].value,
            finding_code=codes[0] if codes else None,
            evidence=[f"执行监控表（{cut}）", *evidence],
            requirement="分析偏差原因，采取纠偏措施，确保完成年度绩效目标",
            measures=measures,
            unit=monitoring.project.unit,
            deadline=_deadline(on, deadline_days),
        )
    ]


def items_from_monitoring_review(
    monitoring: Monitoring,
    review: MonitoringAudit,
    *,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    on: date | None = None,
) -> list[RectificationItem]:
    """The items a monitoring review (``review_monitoring``) gives: the red or yellow light with the
    warning's reasons (:func:`items_from_monitoring`), then one per error or warning problem of the
    report (mon.* findings: figures that cannot both be true, a lagging item without a cause …)."""
    light = items_from_monitoring(
        monitoring, review.light, review.warning.reasons(), deadline_days=deadline_days, on=on
    )
    problems = _from_findings(
        review.findings,
        project=monitoring.project.name,
        year=monitoring.year,
        origin=Origin.monitoring,
        unit=monitoring.project.unit,
        deadline=_deadline(on, deadline_days),
    )
    return light + problems


# ---------------------------------------------------------------- status rules

ALLOWED: dict[ItemStatus, frozenset[ItemStatus]] = {
    ItemStatus.pending: frozenset({ItemStatus.in_progress, ItemStatus.done, ItemStatus.declined}),
    ItemStatus.in_progress: frozenset({ItemStatus.done, ItemStatus.declined}),
    ItemStatus.done: frozenset({ItemStatus.confirmed, ItemStatus.in_progress}),  # 退回: not yet fixed
    ItemStatus.declined: frozenset({ItemStatus.pending}),  # 重新整改
    ItemStatus.confirmed: frozenset(),
}


class TransitionError(ValueError):
    """A status change the rules refuse; the message is Chinese and says why."""


def _name(status: ItemStatus) -> str:
    return ITEM_STATUS_NAMES[status.value]


def transition(
    item: RectificationItem,
    to: ItemStatus | str,
    by: str | None,
    on: date,
    note: str | None = None,
    *,
    evidence: Sequence[str] = (),
) -> RectificationItem:
    """The item moved to status ``to`` by ``by`` on ``on`` (a new item; the step is kept in ``history``).

    Rules: the step must be in :data:`ALLOWED`; 不整改 needs a reason (``note``); 已整改待确认 needs
    the 完成情况 (``note`` or the item's ``progress``); 已确认 needs a confirmer (``by``) and evidence
    of completion (``evidence`` or the item's ``progress_evidence``). Raises ``TransitionError``.
    """
    try:
        after = ItemStatus(to)
    except ValueError:
        names = "、".join(f"{key}（{name}）" for key, name in ITEM_STATUS_NAMES.items())
        raise TransitionError(f"未知的整改状态“{to}”，可选：{names}") from None
    before = item.status
    label = f"“{item.problem[:30]}”"
    if after not in ALLOWED[before]:
        allowed = (
            "、".join(_name(s) for s in ItemStatus if s in ALLOWED[before]) or "无（已确认的问题不再变更）"
        )
        raise TransitionError(
            f"问题{label}当前为“{_name(before)}”，不能改为“{_name(after)}”；可改为：{allowed}"
        )
    reason = (note or "").strip() or None
    update: dict[str, object] = {"status": after}
    if after is ItemStatus.declined:
        if not reason:
            raise TransitionError(f"问题{label}改为“不整改”须说明理由")
        update["progress"] = reason
    elif after is ItemStatus.in_progress:
        if reason and before is ItemStatus.pending and not item.measures:
            update["measures"] = reason
    elif after is ItemStatus.done:
        if not (reason or item.progress):
            raise TransitionError(f"问题{label}改为“已整改待确认”须填写完成情况")
        if reason:
            update["progress"] = reason
        if evidence:
            update["progress_evidence"] = [*item.progress_evidence, *evidence]
    elif after is ItemStatus.confirmed:
        if not (by or "").strip():
            raise TransitionError(f"问题{label}改为“已确认”须有确认人")
        proof = [*item.progress_evidence, *(e for e in evidence if e.strip())]
        if not proof:
            raise TransitionError(f"问题{label}改为“已确认”须有整改完成的佐证材料")
        update.update(progress_evidence=proof, confirmed_by=by, confirmed_on=on)
    elif after is ItemStatus.pending:
        update["progress"] = None
    step = StatusChange(before=before, after=after, by=by, on=on, note=reason)
    update["history"] = [*item.history, step]
    return item.model_copy(update=update)


def overdue_items(items: Iterable[RectificationItem], today: date) -> list[RectificationItem]:
    """The items still open after their deadline (逾期), earliest deadline first."""
    late = [i for i in items if i.overdue(today)]
    return sorted(late, key=lambda i: (i.deadline or today, i.project))


def status_label(item: RectificationItem, today: date) -> str:
    """The status as users read it: 逾期 for an open item past its deadline, else its status name."""
    return "逾期" if item.overdue(today) else _name(item.status)


def overdue_notice(item: RectificationItem, today: date) -> str | None:
    """The Chinese notice of an overdue item (for the responsible unit), None when it is not overdue."""
    if not item.overdue(today) or item.deadline is None:
        return None
    days = (today - item.deadline).days
    who = "、".join(p for p in (item.unit, item.person) if p)
    return (
        f"【整改逾期】{item.project}：“{item.problem[:40]}”整改时限为{item.deadline.isoformat()}，"
        f"已逾期{days}天，当前状态为“{_name(item.status)}”"
        + (f"，责任单位（人）：{who}" if who else "")
        + "。"
    )


def due_soon(items: Iterable[RectificationItem], today: date, days: int = 7) -> list[RectificationItem]:
    """The open items whose deadline falls within ``days`` from ``today`` (not yet overdue), earliest first."""
    end = today + timedelta(days=days)
    soon = [
        i
        for i in items
        if i.status in OPEN_STATUSES and i.deadline is not None and today <= i.deadline <= end
    ]
    return sorted(soon, key=lambda i: (i.deadline or today, i.project))


def merge_items(
    ledger: Iterable[RectificationItem], found: Iterable[RectificationItem]
) -> list[RectificationItem]:
    """The ledger with newly found items added: an item whose id is already there is kept as it is
    (its status and progress are the ledger's), the others are appended."""
    out = list(ledger)
    known = {i.id for i in out if i.id}
    for item in found:
        if item.id and item.id in known:
            continue
        out.append(item)
        if item.id:
            known.add(item.id)
    return out
