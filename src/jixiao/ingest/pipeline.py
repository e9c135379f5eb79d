"""The ingest pipeline: a document read, its evaluations extracted, a flat summary of each."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.findings import Finding
from jixiao.ingest.document import Document
from jixiao.loader import Loaded, LoadedDeclaration
from jixiao.model import Evaluation


def ingest_document(doc: Document, findings: list[Finding] | None = None, *, part: bool = False) -> Loaded:
    """Extract an Evaluation from a document already read (``part``: one project's part of a
    larger document, never the department's budget or final accounts as a whole)."""
    from jixiao.ingest.extract import extract

    evaluation, more = extract(doc, part=part)
    return Loaded(doc.file, evaluation, [*(findings or []), *more, coverage(doc.file, evaluation)])


# The key fields of an evaluation read from a document, and how to tell each was read.
KEY_FIELDS: tuple[tuple[str, Callable[[Evaluation], bool]], ...] = (
    ("项目名称", lambda e: not e.project.name.startswith("（未能")),
    ("单位", lambda e: e.project.unit is not None),
    ("年度", lambda e: e.year is not None),
    ("预算数", lambda e: e.funds.total.budget is not None or e.funds.total.budget_adjusted is not None),
    ("执行数", lambda e: e.funds.total.spent is not None),
    ("执行率", lambda e: e.funds.execution_rate is not None),
    ("指标", lambda e: bool(e.indicators)),
    ("一级指标得分", lambda e: any(lv.claimed is not None for lv in e.levels)),
    ("总分", lambda e: e.claims.total is not None),
    ("等级", lambda e: e.claims.grade is not None),
)


# What each kind of document prints, of the key fields (the rest: every key field).
_FORM_FIELDS = {
    "target": {"项目名称", "单位", "年度", "预算数", "指标"},
    "budget": {"单位", "年度"},
    "final-accounts": {"单位", "年度"},
}


def coverage(file: str, evaluation: Evaluation) -> Finding:
    """An info finding saying which of the key fields were read (读取覆盖情况)."""
    from jixiao.ingest.readers.common import problem

    wanted = _FORM_FIELDS.get(evaluation.form.value if evaluation.form else "")
    fields = [(n, t) for n, t in KEY_FIELDS if wanted is None or n in wanted]
    found = [name for name, test in fields if test(evaluation)]
    missing = [name for name, _ in fields if name not in found]
    if "指标" in found:
        found[found.index("指标")] = f"指标{len(evaluation.indicators)}项"
    return problem(
        "ingest.coverage",
        "info",
        f"读取到{len(found)}/{len(fields)}项关键信息：{'、'.join(found) or '无'}"
        + (f"；未读到：{'、'.join(missing)}" if missing else ""),
        file,
    )


def read_for_parts(path: str | Path) -> tuple[Document | None, list[Finding], list[Loaded]]:
    """A document read for extraction: (document, reading findings, []), or (None, findings, the
    one Loaded with no evaluation that says why) when it is unreadable or holds no text."""
    from jixiao.ingest.readers import read_document

    doc, findings = read_document(path)
    if doc is None:
        return None, findings, [Loaded(str(path), None, findings)]
    if not doc.blocks:
        from jixiao.ingest.readers.common import problem

        empty = problem("ingest.empty", "error", "文档中没有可读的文字", path)
        return None, findings, [Loaded(str(path), None, [*findings, empty])]
    return doc, findings, []


def ingest_parts(path: str | Path) -> list[Loaded]:
    """Read a document and extract every evaluation in it: one, or one per project of a workbook.

    Each part of a one-project-per-sheet workbook is a :class:`Loaded` whose ``part`` names
    its sheet; an unreadable document gives one Loaded with no evaluation and the findings.
    """
    from jixiao.ingest.parts import split_projects

    doc, findings, failed = read_for_parts(path)
    if doc is None:
        return failed
    out = []
    for part in split_projects(doc):  # a single part is the whole document, labelled None
        loaded = ingest_document(part.document, findings, part=part.label is not None)
        loaded.part = part.label
        out.append(loaded)
    if len(out) > 1:
        _one_unit_per_workbook(out)
    return out


def _one_unit_per_workbook(parts: list[Loaded]) -> None:
    """Amounts of a workbook's sheets read in one unit (see ``units.mend_workbook``)."""
    from jixiao.ingest.extract.units import mend_workbook

    read = [p for p in parts if p.evaluation is not None]
    shown = [any(f.code == "ingest.unit-mended" for f in p.findings) for p in read]
    for i, note in mend_workbook([p.evaluation for p in read if p.evaluation is not None], shown):
        read[i].findings.append(note)


def ingest_file(path: str | Path) -> Loaded:
    """Read and extract one document; unreadable documents give an evaluation of None and findings.

    A workbook holding several projects gives its first one, a publication printing several
    projects' forms its own part, with a warning naming how many there are (:func:`ingest_parts`
    reads them all).
    """
    parts = ingest_parts(path)
    first = parts[0]
    if len(parts) > 1:
        from jixiao.ingest.readers.common import problem

        first.findings.append(
            problem(
                "ingest.several-projects",
                "warning",
                (
                    f"工作簿含 {len(parts)} 个项目（每个工作表一个），此处只读取了第一个“{first.part}”；"
                    if first.part is not None
                    else f"文件含部门整体内容和 {len(parts) - 1} 个项目的表，此处只读取了部门整体部分；"
                )
                + "jixiao ingest、check 和 batch 会逐个读取",
                path,
            )
        )
    return first


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value


def summarize(loaded: Loaded | LoadedDeclaration) -> dict[str, Any]:
    """The flat summary of an ingested document (amounts in 万元, rates in %, unknown = None); a
    declaration's in the same shape (see ``declarations.summarize_declaration``)."""
    if isinstance(loaded, LoadedDeclaration):
        from jixiao.ingest.declarations import summarize_declaration

        return summarize_declaration(loaded)
    evaluation: Evaluation | None = loaded.evaluation
    out: dict[str, Any] = {
        "file": loaded.file,
        "kind": None,
        "doc_kind": None,
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
    if loaded.part is not None:  # a project of a workbook holding several: the sheet's name
        out = {"file": loaded.file, "part": loaded.part, **{k: v for k, v in out.items() if k != "file"}}
    if evaluation is None:
        return out
    total = evaluation.funds.total
    rate = evaluation.funds.execution_rate
    out.update(
        kind=evaluation.kind.value,
        doc_kind=evaluation.form.value if evaluation.form is not None else None,
        project=evaluation.project.name if not evaluation.project.name.startswith("（未能") else None,
        year=evaluation.year,
        unit=evaluation.project.unit,
        budget=_plain(total.budget if total.budget is not None else total.budget_adjusted),
        available=_plain(total.available),
        spent=_plain(total.spent),
        execution_rate=_plain(rate.value) if rate is not None else None,
        total=_plain(evaluation.claims.total),
        grade=evaluation.claims.grade,
        levels=[
            {"name": lv.name, "weight": _plain(lv.weight), "score": _plain(lv.claimed)}
            for lv in evaluation.levels
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
            for i in evaluation.indicators
        ],
    )
    return out
