"""The batch unit: one document in, flat rows out (ingest + audit through ``jixiao.api``; never raises)."""

from __future__ import annotations

import time
from typing import Any

from jixiao import api
from jixiao.api import Finding, Loaded, LoadedDeclaration, Severity
from jixiao.serialize import batch_finding, plain_number

ROW_FIELDS = [
    "file",
    "part",
    "status",
    "error",
    "kind",
    "doc_kind",
    "project",
    "year",
    "unit",
    "budget",
    "available",
    "spent",
    "execution_rate",
    "total",
    "grade",
    "recomputed_total",
    "computed_grade",
    "levels",
    "indicators",
    "errors",
    "warnings",
    "infos",
    "seconds",
]


def process_document(path: str) -> list[dict[str, Any]]:
    """Batch unit: ingest + audit one document → flat rows (picklable; never raises).

    One row per evaluation the document holds — one, or one per project of a workbook that
    holds a project per sheet (``part`` names the sheet); a target declaration (绩效目标申报表) is
    a row of kind ``declaration`` (doc_kind ``target``) with its review's findings. A row holds the summary fields,
    ``levels``/``indicators`` counts, finding counts by severity, the recomputed total and grade
    (``jixiao.api.check``), ``status`` (ok / failed / skipped: not an evaluation document) and ``findings`` (plain dicts for the
    findings file).
    """
    start = time.perf_counter()
    try:
        rows = [_row(str(path), loaded) for loaded in api.ingest_any(path)]
    except Exception as exc:  # the batch contract: a broken file is a failed row
        rows = [failed_row(str(path), f"{type(exc).__name__}: {exc}"[:500])]
    seconds = round((time.perf_counter() - start) / len(rows), 4)
    for row in rows:
        row["seconds"] = seconds
    return rows


def failed_row(path: str, error: str) -> dict[str, Any]:
    """The row of a document that could not be processed."""
    row: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
    row.update(file=path, status="failed", error=error, errors=1, warnings=0, infos=0, findings=[])
    return row


# The facts any evaluation document prints at least one of; a file with none of them (a README,
# a list of sources, minutes of a meeting) is not read as an evaluation.
EVALUATION_FACTS = ("project", "unit", "budget", "available", "spent", "total", "levels", "indicators")
NOT_EVALUATION = (
    "未读出任何评价内容（项目名称、单位、资金、总分、指标表均未找到），按非评价文档跳过；"
    "如确为绩效评价文档，请用 jixiao ingest 查看读取情况"
)


def is_evaluation_document(summary: dict[str, Any]) -> bool:
    """Whether an ingested document's summary holds any fact an evaluation document prints."""
    return any(summary.get(key) not in (None, "", []) for key in EVALUATION_FACTS)


def _row(path: str, loaded: Loaded | LoadedDeclaration) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
    row.update(file=path, part=loaded.part, status="failed", errors=0, warnings=0, infos=0, findings=[])
    findings = list(loaded.findings)
    summary = api.summarize(loaded)
    row.update({k: v for k, v in summary.items() if k in ROW_FIELDS and k not in ("levels", "indicators")})
    row["levels"] = len(summary["levels"])
    row["indicators"] = len(summary["indicators"])
    if isinstance(loaded, LoadedDeclaration):  # a target declaration (kind declaration, doc_kind target)
        return _declaration_row(path, loaded, row, findings)
    if loaded.evaluation is not None and not is_evaluation_document(summary):
        row.update(status="skipped", error=NOT_EVALUATION, findings=[])
        return row
    if loaded.evaluation is not None:
        try:
            audit = api.check(loaded.evaluation)
            findings.extend(audit.findings)
            row["recomputed_total"] = plain_number(audit.score.computed_total)
            row["computed_grade"] = audit.score.computed_grade
        except Exception as exc:  # an audit bug must not stop a batch
            row["error"] = f"复核失败：{type(exc).__name__}: {exc}"
        row["status"] = "ok"
    else:
        row["error"] = (
            "; ".join(f.message for f in findings if f.severity is Severity.error)[:500] or "无法读取"
        )
    for f in findings:
        row[{"error": "errors", "warning": "warnings", "info": "infos"}[f.severity.value]] += 1
    row["findings"] = [batch_finding(f, path, loaded.part) for f in findings]
    return row


def _declaration_row(
    path: str, loaded: LoadedDeclaration, row: dict[str, Any], findings: list[Finding]
) -> dict[str, Any]:
    """The row of a target declaration: its summary, its review's findings and the review's points
    and result (审核: ``recomputed_total`` / ``computed_grade``)."""
    if loaded.declaration is not None:
        try:
            review = api.review_declaration(loaded.declaration)
            findings.extend(review.findings)
            row["recomputed_total"] = plain_number(review.result.total)  # the rubric's points
            row["computed_grade"] = review.result.grade.value  # 优 / 良 / 中 / 差
        except Exception as exc:  # a review bug must not stop a batch
            row["error"] = f"审核失败：{type(exc).__name__}: {exc}"
        row["status"] = "ok"
    else:
        row["error"] = (
            "; ".join(f.message for f in findings if f.severity is Severity.error)[:500] or "无法读取"
        )
    for f in findings:
        row[{"error": "errors", "warning": "warnings", "info": "infos"}[f.severity.value]] += 1
    row["findings"] = [batch_finding(f, path, loaded.part) for f in findings]
    return row
