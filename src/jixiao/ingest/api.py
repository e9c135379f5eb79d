"""Ingest entry points: file → Loaded (evaluation + findings), flat summary, batch unit."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.findings import Finding, Severity
from jixiao.ingest.document import Document
from jixiao.loader import Loaded
from jixiao.model import Evaluation


def ingest_document(doc: Document, findings: list[Finding] | None = None) -> Loaded:
    """Extract an Evaluation from a document already read."""
    from jixiao.ingest.extract import extract

    evaluation, more = extract(doc)
    return Loaded(doc.file, evaluation, [*(findings or []), *more])


def ingest_file(path: str | Path) -> Loaded:
    """Read and extract one document; unreadable documents give an evaluation of None and findings."""
    from jixiao.ingest.readers import read_document

    doc, findings = read_document(path)
    if doc is None:
        return Loaded(str(path), None, findings)
    if not doc.blocks:
        from jixiao.ingest.readers.common import problem

        return Loaded(
            str(path), None, [*findings, problem("ingest.empty", "error", "文档中没有可读的文字", path)]
        )
    return ingest_document(doc, findings)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value


def summarize(loaded: Loaded) -> dict[str, Any]:
    """The flat summary of an ingested document (amounts in 万元, rates in %, unknown = None)."""
    ev: Evaluation | None = loaded.evaluation
    out: dict[str, Any] = {
        "file": loaded.file,
        "kind": None,
        "project": None,
        "year": None,
        "unit": None,
        "budget": None,
        "available": None,
        "spent": None,
        "execution_rate": None,
        "total": None,
        "grade": None,
        "levels": [],
        "indicators": [],
    }
    if ev is None:
        return out
    total = ev.funds.total
    rate = ev.funds.execution_rate
    out.update(
        kind=ev.kind.value,
        project=ev.project.name if not ev.project.name.startswith("（未能") else None,
        year=ev.year,
        unit=ev.project.unit,
        budget=_plain(total.budget if total.budget is not None else total.budget_adjusted),
        available=_plain(total.available),
        spent=_plain(total.spent),
        execution_rate=_plain(rate.value) if rate is not None else None,
        total=_plain(ev.claims.total),
        grade=ev.claims.grade,
        levels=[
            {"name": lv.name, "weight": _plain(lv.weight), "score": _plain(lv.claimed)} for lv in ev.levels
        ],
        indicators=[
            {
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": i.target.text if i.target else None,
                "actual": i.actual.text if i.actual else None,
                "weight": _plain(i.weight),
                "score": _plain(i.claimed),
            }
            for i in ev.indicators
        ],
    )
    return out


ROW_FIELDS = [
    "file",
    "status",
    "error",
    "kind",
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


def process_document(path: str) -> dict[str, Any]:
    """Batch unit: ingest + audit one document → a flat row (picklable; never raises).

    The row holds the summary fields, ``levels``/``indicators`` counts, finding counts by
    severity, the recomputed total and grade (``jixiao.api.check``), ``status`` (ok / failed)
    and ``findings`` (a list of plain dicts for the findings file).
    """
    start = time.perf_counter()
    row: dict[str, Any] = dict.fromkeys(ROW_FIELDS)
    row.update(file=str(path), status="failed", errors=0, warnings=0, infos=0, findings=[])
    try:
        loaded = ingest_file(path)
        findings = list(loaded.findings)
        summary = summarize(loaded)
        row.update({k: v for k, v in summary.items() if k not in ("levels", "indicators")})
        row["levels"] = len(summary["levels"])
        row["indicators"] = len(summary["indicators"])
        if loaded.evaluation is not None:
            try:
                from jixiao import api

                audit = api.check(loaded.evaluation)
                findings.extend(audit.findings)
                row["recomputed_total"] = _plain(audit.score.computed_total)
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
        row["findings"] = [
            {
                "file": str(path),
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "where": f.location.describe(),
                "page": f.location.source.page if f.location.source else None,
                "line": f.location.source.line if f.location.source else None,
            }
            for f in findings
        ]
    except Exception as exc:  # the batch contract: a broken file is a failed row
        row["error"] = f"{type(exc).__name__}: {exc}"[:500]
    row["seconds"] = round(time.perf_counter() - start, 4)
    return row
