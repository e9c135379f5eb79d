"""One serializer: evaluations, findings and scores as plain data, and the formats that write them.

Every shell writes through here — the CLI (``jixiao ingest``, ``check --format json|csv``,
``frameworks new``), the web app and the store (an evaluation's stored JSON), batch (its rows and
findings file) and the Excel form (its hidden copy) — so one evaluation or finding has one shape.
Audit output formats are registered by name in :data:`AUDIT_WRITERS`, as a plug-in registry.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from jixiao.findings import Finding
from jixiao.model import Evaluation
from jixiao.places import place_of
from jixiao.scoring.result import ScoreResult
from jixiao.yamlio import dump_json

# ---------------------------------------------------------------- values


def plain(value: Any) -> Any:
    """Model data with enums as their values and dates as ISO strings; Decimals kept exact."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def plain_number(value: Any) -> Any:
    """A Decimal as an int when whole and printed without a point, else a float; anything else as is."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value


def _prune(value: Any) -> Any:
    """Drop empty lists and mappings (and None) recursively, keeping zeros and empty strings."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


# ---------------------------------------------------------------- evaluations


def evaluation_data(
    evaluation: Evaluation, *, compact: bool = False, keep_empty: bool = False
) -> dict[str, Any]:
    """The evaluation as plain data that loads back unchanged (the evaluation file format).

    JSON-compatible (Decimals as text, as pydantic writes them), with every rule's ``kind`` kept
    and empty lists and mappings left out — kept with ``keep_empty``, as the store keeps them for
    the web form, whose rows they are. ``compact`` is what ``jixiao ingest`` writes for a person
    to read: default values left out too, Decimals kept exact (for YAML numbers), a
    ``schema_version`` first.
    """
    if not compact:
        data: dict[str, Any] = evaluation.model_dump(mode="json", exclude_none=True)
        return data if keep_empty else _prune(data)
    data = plain(evaluation.model_dump(mode="python", exclude_none=True, exclude_defaults=True))
    data = {"schema_version": 1, **data}
    data["kind"] = evaluation.kind.value
    data["project"] = {"name": evaluation.project.name, **data.get("project", {})}
    for i, indicator in enumerate(evaluation.indicators):
        if indicator.rule is not None:  # exclude_defaults would drop the rule's discriminator
            data["indicators"][i]["rule"] = plain(indicator.rule.model_dump(mode="python", exclude_none=True))
    return data


def to_yaml(evaluation: Evaluation, header: str = "") -> str:
    """YAML text of an evaluation (compact); Decimals printed exactly as numbers."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.add_representer(
        Decimal,
        lambda r, d: r.represent_scalar(
            "tag:yaml.org,2002:float" if "." in str(d) else "tag:yaml.org,2002:int", str(d)
        ),
    )
    buffer = io.StringIO()
    if header:
        buffer.write("".join(f"# {line}\n" for line in header.splitlines()))
    yaml.dump(evaluation_data(evaluation, compact=True), buffer)
    return buffer.getvalue()


def to_json(evaluation: Evaluation) -> str:
    """JSON text of an evaluation (compact)."""
    return dump_json(evaluation_data(evaluation, compact=True))


def _tag(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__}")


def _untag(obj: dict[str, Any]) -> Any:
    if obj.keys() == {"$decimal"}:
        return Decimal(obj["$decimal"])
    if obj.keys() == {"$date"}:
        return date.fromisoformat(obj["$date"])
    return obj


def exact_json(evaluation: Evaluation) -> str:
    """The evaluation as JSON that keeps Decimals and dates exactly, even inside free-form mappings."""
    return json.dumps(evaluation.model_dump(exclude_none=True), ensure_ascii=False, default=_tag)


def from_exact_json(text: str) -> Evaluation:
    """The evaluation written by :func:`exact_json` (raises ValueError / ValidationError when broken)."""
    return Evaluation.model_validate(json.loads(text, object_hook=_untag))


# ---------------------------------------------------------------- findings


def finding_data(f: Finding) -> dict[str, Any]:
    """A finding as JSON data that loads back as the same :class:`Finding`."""
    data: dict[str, Any] = f.model_dump(mode="json", exclude_none=True)
    return data


def _value(value: Any) -> Any:
    """Numbers stay numbers (Decimal → JSON number), lists stay lists, anything else becomes text."""
    if isinstance(value, str | int | float | bool | Decimal | type(None)):
        return value
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return str(value)


def _same_file(a: str | None, b: str) -> bool:
    return a is not None and Path(a).name == Path(b).name


def line_for(path: str, line_of: dict[str, int]) -> int | None:
    """The file line of a field path, or of its nearest parent that has one."""
    while path:
        if path in line_of:
            return line_of[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def finding_line(f: Finding, file: str, line_of: dict[str, int]) -> int | None:
    """The line in ``file``: the finding's own source when it is this file, else the field path's line."""
    source = f.location.source
    if source is not None and source.line and _same_file(source.file, file):
        return source.line
    return line_for(f.location.path, line_of)


def source_note(f: Finding, file: str) -> str:
    """Where in another document a finding was read (empty when it is ``file`` itself)."""
    source = f.location.source
    if source is None or not source.describe():
        return ""
    if _same_file(source.file, file):
        return ""
    return source.describe()


def finding_record(f: Finding, file: str, line_of: dict[str, int]) -> dict[str, Any]:
    """The JSON record of one finding of an audit (``jixiao check --format json``)."""
    source = f.location.source
    return {
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "location": {
            "path": f.location.path,
            "place": f.location.place or place_of(f.location.path),
            "line": finding_line(f, file, line_of),
            "source": source.model_dump(exclude_none=True) if source is not None else None,
        },
        "expected": _value(f.expected),
        "actual": _value(f.actual),
        "rule": f.rule,
    }


CSV_COLUMNS = (
    "file",
    "line",
    "severity",
    "code",
    "message",
    "path",
    "place",
    "expected",
    "actual",
    "rule",
    "source",
)


def finding_csv_row(f: Finding, label: str, file: str, line_of: dict[str, int]) -> dict[str, Any]:
    """One CSV row of an audit's finding (``label``: the file or workbook part it belongs to)."""
    record = finding_record(f, file, line_of)
    return {
        "file": label,
        "line": record["location"]["line"] or "",
        "severity": f.severity.value,
        "code": f.code,
        "message": f.message,
        "path": f.location.path,
        "place": record["location"]["place"],
        "expected": "" if f.expected is None else record["expected"],
        "actual": "" if f.actual is None else record["actual"],
        "rule": f.rule or "",
        "source": source_note(f, file),
    }


BATCH_FINDING_FIELDS = ["file", "part", "code", "severity", "message", "where", "page", "line"]


def batch_finding(f: Finding, file: str, part: str | None) -> dict[str, Any]:
    """One row of a batch's findings file."""
    source = f.location.source
    return {
        "file": file,
        "part": part,
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "where": f.location.describe(),
        "page": source.page if source else None,
        "line": source.line if source else None,
    }


# ---------------------------------------------------------------- scores


def score_record(file: str, evaluation: Evaluation, result: ScoreResult) -> dict[str, Any]:
    """The JSON record of one scored file (``jixiao score --format json``; documented in docs/cli.md)."""
    return {
        "file": file,
        "project": {
            "name": evaluation.project.name,
            "year": evaluation.year,
            "unit": evaluation.project.unit,
        },
        "kind": evaluation.kind.value,
        "granularity": result.granularity,
        "total": {"claimed": result.claimed_total, "computed": result.computed_total},
        "grade": {"claimed": result.claimed_grade, "computed": result.computed_grade},
        "levels": [
            {
                "name": lv.name,
                "weight": lv.weight,
                "claimed": lv.claimed,
                "computed": lv.computed,
                "rate": lv.rate,
            }
            for lv in result.levels
        ],
        "indicators": [
            {
                "level1": s.level1,
                "level2": s.level2,
                "name": s.name,
                "weight": s.weight,
                "target": s.target,
                "actual": s.actual,
                "completion": s.completion,
                "claimed": s.claimed,
                "computed": s.computed,
                "rule": s.rule,
                "explanation": s.explanation,
            }
            for s in result.indicators
        ],
    }


# ---------------------------------------------------------------- audit output formats


@dataclass(frozen=True)
class AuditedFile:
    """One audited evaluation as an output format sees it."""

    label: str  # the file, or ``file#sheet`` for one project of a workbook
    file: str  # the file on disk
    claimed_total: Decimal | None
    computed_total: Decimal | None
    claimed_grade: str | None
    computed_grade: str | None
    findings: list[Finding]
    line_of: dict[str, int]


def _json_audits(files: list[AuditedFile]) -> str:
    return dump_json(
        {
            "files": [
                {
                    "file": a.label,
                    "total": {"claimed": a.claimed_total, "computed": a.computed_total},
                    "grade": {"claimed": a.claimed_grade, "computed": a.computed_grade},
                    "findings": [finding_record(f, a.file, a.line_of) for f in a.findings],
                }
                for a in files
            ]
        }
    )


# Column headers of the CSV files people open in Excel; programs read the files back through
# ``read_csv_rows``, which maps these (or the identifiers, in older files) to the identifiers.
CSV_LABELS = {
    "file": "文件",
    "part": "工作表",
    "status": "状态",
    "error": "问题说明",
    "kind": "评价类型",
    "doc_kind": "文档类型",
    "project": "项目名称",
    "year": "年度",
    "unit": "单位",
    "budget": "预算数（万元）",
    "available": "到位数（万元）",
    "spent": "执行数（万元）",
    "execution_rate": "执行率（%）",
    "total": "总分",
    "grade": "等级",
    "recomputed_total": "重算总分",
    "computed_grade": "重算等级",
    "levels": "一级指标数",
    "indicators": "指标数",
    "errors": "错误数",
    "warnings": "警告数",
    "infos": "提示数",
    "seconds": "用时（秒）",
    "line": "行",
    "severity": "严重程度",
    "code": "代码",
    "message": "复核意见",
    "path": "字段",
    "place": "位置",
    "where": "所在位置",
    "page": "页",
    "expected": "应为",
    "actual": "实际",
    "rule": "规则",
    "source": "原文出处",
}
LABEL_IDS = {label: key for key, label in CSV_LABELS.items()}


def csv_header(columns: Sequence[str]) -> list[str]:
    """The Chinese headers of ``columns`` (an identifier without a label stays as it is)."""
    return [CSV_LABELS.get(c, c) for c in columns]


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file jixiao wrote, keyed by column identifier (Chinese or English headers)."""
    with path.open(encoding=EXCEL_CSV_ENCODING, newline="") as handle:
        rows = csv.reader(handle)
        header = [LABEL_IDS.get(h, h) for h in next(rows, [])]
        return [dict(zip(header, row, strict=False)) for row in rows]


def _csv_audits(files: list[AuditedFile], *, labels: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    if labels:
        csv.writer(buffer, lineterminator="\n").writerow(csv_header(CSV_COLUMNS))
    else:
        writer.writeheader()
    for a in files:
        writer.writerows(finding_csv_row(f, a.label, a.file, a.line_of) for f in a.findings)
    return buffer.getvalue()


# Machine-readable audit outputs by format name; the terminal's text output is the CLI's own.
AUDIT_WRITERS: dict[str, Callable[[list[AuditedFile]], str]] = {"json": _json_audits, "csv": _csv_audits}

# CSV files are opened by people in Excel, which on Chinese Windows reads a CSV without a byte-order
# mark as GBK (the Chinese turns to mojibake): a CSV *file* starts with the UTF-8 BOM. Text for a
# program (stdout, a pipe) carries none; JSON never does (RFC 8259). Read CSV back with this
# encoding too: it takes files with and without the mark.
EXCEL_CSV_ENCODING = "utf-8-sig"

# The encoding of each audit output format when written to a file (``jixiao check -o``).
AUDIT_FILE_ENCODINGS: dict[str, str] = {"json": "utf-8", "csv": EXCEL_CSV_ENCODING}

# Audit outputs written to a file for people (``jixiao check -o``): CSV with Chinese headers.
AUDIT_FILE_WRITERS: dict[str, Callable[[list[AuditedFile]], str]] = {
    "json": _json_audits,
    "csv": lambda files: _csv_audits(files, labels=True),
}
