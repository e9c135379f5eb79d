"""Documents in, target declarations out: each project of a document read as a declaration
(绩效目标申报表) or as an evaluation, whichever it is, and the declaration's flat summary.

``ingest_any`` is the one reading of a path: one result per project (a sheet of a system export,
a form of a compilation), a :class:`LoadedDeclaration` for a declaration and a :class:`Loaded`
for anything evaluated, read exactly as ``ingest_parts`` reads it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from jixiao.declaration import Declaration, TargetIndicator
from jixiao.findings import Finding, Severity, finding
from jixiao.ingest.document import Document, Table
from jixiao.loader import Loaded, LoadedDeclaration
from jixiao.model import Source

DocumentKind = Literal["declaration", "evaluation"]


def recognise_document(doc: Document, *, part: bool = False) -> Any:
    """Why a document is a declaration (a ``Recognition``), or None when it is read as an evaluation
    (``part``: one project's part of a larger document)."""
    from jixiao.ingest.extract.context import Context
    from jixiao.ingest.extract.declaration import recognise

    return recognise(Context(doc), part=part)


def ingest_declaration_document(
    doc: Document, findings: list[Finding] | None = None, recognition: Any = None
) -> LoadedDeclaration:
    """Extract a Declaration from a document already read (``recognition``: why it is one)."""
    from jixiao.ingest.extract.context import cell_number, clean, label_key
    from jixiao.ingest.extract.declaration import extract_declaration
    from jixiao.ingest.extract.indicators import cell_role

    for cached in (clean, label_key, cell_number, cell_role):
        cached.cache_clear()  # per-document memo, as for evaluations
    declaration, more = extract_declaration(doc, recognition)
    return LoadedDeclaration(
        doc.file, declaration, [*(findings or []), *more, declaration_coverage(doc.file, declaration)]
    )


# The key fields of a declaration read from a document, and how to tell each was read.
KEY_FIELDS: tuple[tuple[str, Any], ...] = (
    ("项目名称", lambda d: not d.project.name.startswith("（未能")),
    ("主管部门", lambda d: d.project.department is not None),
    ("实施单位", lambda d: d.project.unit is not None),
    ("项目期", lambda d: d.period_years is not None),
    ("资金总额", lambda d: d.funds.annual_total is not None or d.funds.medium_total is not None),
    ("绩效目标", lambda d: any(s.goals for s in d.target_sets())),
    ("指标", lambda d: bool(d.indicators())),
)


def declaration_coverage(file: str, declaration: Declaration) -> Finding:
    """An info finding saying which of a declaration's key fields were read (读取覆盖情况)."""
    found = [name for name, test in KEY_FIELDS if test(declaration)]
    missing = [name for name, _ in KEY_FIELDS if name not in found]
    if "指标" in found:
        found[found.index("指标")] = f"指标{len(declaration.indicators())}项"
    return finding(
        "ingest.coverage",
        Severity.info,
        f"读取到{len(found)}/{len(KEY_FIELDS)}项申报表关键信息：{'、'.join(found) or '无'}"
        + (f"；未读到：{'、'.join(missing)}" if missing else ""),
        source=Source(file=file),
    )


def declaration_tables(doc: Document) -> Document | None:
    """The sheets of a document that is no declaration as a whole but holds declaration forms
    (a project-library export: 基本信息, 申报表, 执行监控, 自评表 …): those forms alone, or None."""
    from jixiao.ingest.extract.context import Context
    from jixiao.ingest.extract.declaration import title_of

    tables = []
    for block in doc.blocks:
        if isinstance(block, Table):
            single = Document(file=doc.file, blocks=[block], format=doc.format)
            if title_of(Context(single)) is not None and recognise_document(single) is not None:
                tables.append(block)
    if not tables:
        return None
    return Document(
        file=doc.file, blocks=list(tables), format=doc.format, pages=doc.pages, meta=dict(doc.meta)
    )


def ingest_any(path: str | Path) -> list[Loaded | LoadedDeclaration]:
    """Read a document and extract every project in it, each as a declaration or an evaluation.

    A declaration gives a :class:`LoadedDeclaration` whose findings say why it was taken for one
    (``ingest.kind``); everything else is read exactly as :func:`ingest_parts` reads it.
    """
    from jixiao.ingest.parts import split_projects
    from jixiao.ingest.pipeline import _one_unit_per_workbook, ingest_document, read_for_parts

    doc, findings, failed = read_for_parts(path)
    if doc is None:
        return list(failed)
    out: list[Loaded | LoadedDeclaration] = []
    parts = split_projects(doc)
    for part in parts:
        # the publication's own part before its forms (a 部门预算's 说明 and tables) is no declaration
        own_part = part.label is None and len(parts) > 1
        recognition = None if own_part else recognise_document(part.document, part=part.label is not None)
        if recognition is not None:
            loaded_declaration = ingest_declaration_document(part.document, findings, recognition)
            loaded_declaration.part = part.label
            out.append(loaded_declaration)
            continue
        loaded = ingest_document(part.document, findings, part=part.label is not None)
        loaded.part = part.label
        out.append(loaded)
    evaluations = [p for p in out if isinstance(p, Loaded)]
    if len(out) > 1 and len(evaluations) > 1:
        _one_unit_per_workbook(evaluations)
    declarations = [p for p in out if isinstance(p, LoadedDeclaration)]
    if len(declarations) > 1:
        mend_workbook(declarations)
    return out


def ingest_declarations(path: str | Path) -> list[LoadedDeclaration]:
    """Every declaration of a document, one per project (a multi-sheet system export gives one per
    sheet).  A document holding none gives one LoadedDeclaration with no declaration and an error
    finding saying what it holds instead; a project-library export whose 申报表 sheet sits among
    evaluation sheets gives that sheet read alone."""
    parts = ingest_any(path)
    out = [p for p in parts if isinstance(p, LoadedDeclaration)]
    if out:
        return out
    if any(p.evaluation is None for p in parts if isinstance(p, Loaded)) and len(parts) == 1:
        first = parts[0]
        return [LoadedDeclaration(first.file, None, list(first.findings))]
    from jixiao.ingest.readers import read_document

    doc, findings = read_document(path)
    forms = declaration_tables(doc) if doc is not None else None
    if forms is not None:
        recognition = recognise_document(forms)
        loaded = ingest_declaration_document(forms, findings, recognition)
        names = "、".join(b.name or str(b.index) for b in forms.blocks if isinstance(b, Table))
        loaded.findings.insert(
            0,
            finding(
                "ingest.kind",
                Severity.info,
                f"文件整体为评价或监控材料，只读取其中的申报表工作表“{names}”",
                source=Source(file=str(path)),
            ),
        )
        return [loaded]
    return [
        LoadedDeclaration(
            str(path),
            None,
            [
                finding(
                    "ingest.not-declaration",
                    Severity.error,
                    "文件不是绩效目标申报表：其中的表格印有得分或实际完成值，或未见申报表的标题和栏目，已按评价材料处理",
                    source=Source(file=str(path)),
                )
            ],
        )
    ]


def document_kind(path: str | Path) -> DocumentKind:
    """What a document holds: ``declaration`` when its first project is read as a target
    declaration, else ``evaluation`` (a YAML/JSON file says so by ``kind: declaration``)."""
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml", ".json"):
        from jixiao.loader import file_holds_declaration

        return "declaration" if file_holds_declaration(p) else "evaluation"
    parts = ingest_any(p)
    return "declaration" if parts and isinstance(parts[0], LoadedDeclaration) else "evaluation"


def mend_workbook(parts: list[LoadedDeclaration]) -> None:
    """One export, one unit: when at least two sheets of a workbook show by their own figures that
    their 万元-labelled amounts are 元, and no sheet shows its amounts in 万元 as printed, the other
    sheets' amounts are taken for 元 too (an info finding each; the amounts stay as printed)."""
    from jixiao.ingest.extract.declaration import SLIP, printed_wan
    from jixiao.ingest.extract.declaration_funds import amount_name, as_wan, shows_wan

    read = [p for p in parts if p.declaration is not None]
    shown = [any(f.code == SLIP for f in p.findings) for p in read]
    if sum(shown) < 2:
        return
    for p, done in zip(read, shown, strict=True):
        assert p.declaration is not None
        funds = p.declaration.funds
        if not done and funds.unit == "万元" and shows_wan(funds, printed_wan(p.declaration)):
            return  # a sheet whose amounts are 万元 as printed: the export is not in 元
    for p, done in zip(read, shown, strict=True):
        assert p.declaration is not None
        if done or p.declaration.funds.unit != "万元":
            continue
        for name, value, meant, source in as_wan(p.declaration.funds):
            p.findings.append(
                finding(
                    SLIP,
                    Severity.info,
                    f"{amount_name(name)}{value}标注为万元；同一工作簿中{sum(shown)}个工作表的金额已由其文中数字证实以元填报，"
                    f"本表应同样以元填报，即{meant}万元（按印出的数字保留，待更正）",
                    source=source,
                )
            )


def unit_slipped(loaded: LoadedDeclaration) -> bool:
    """True when reading found the declaration's 万元-labelled amounts to be 元 (``ingest.unit-slip``)."""
    from jixiao.ingest.extract.declaration import SLIP

    return any(f.code == SLIP for f in loaded.findings)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    return value


_SIGNS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def target_as_read(indicator: TargetIndicator) -> str | None:
    """A target as one reads it across its columns: 性质 | 指标值 | 度量单位 (``≥ | 2 | 处``) → ``≥2处``;
    a 指标值 printed whole (``≥95%``, ``按时发放``) as printed."""
    figure = indicator.target
    if figure is None or not figure.text:
        return None
    text = figure.text
    unit = (indicator.unit or "").strip()
    if unit and re.fullmatch(r"\d+(?:\.\d+)?", text) and len(unit) <= 8:
        text += "%" if "%" in unit or "百分比" in unit else unit  # 度量单位 “%（百分比）” read as %
    if indicator.comparison is not None and re.match(r"\d", text):
        text = _SIGNS.get(indicator.comparison.value, "") + text
    return text


def summarize_declaration(loaded: LoadedDeclaration) -> dict[str, Any]:
    """The flat summary of a declaration read from a document, in the shape of an evaluation's
    (amounts in 万元, as meant when reading found a 元-for-万元 slip; ``kind`` declaration,
    ``doc_kind`` target; ``budget`` the 年度资金总额;
    the indicators of both spans, 年度 first, each with its ``period``)."""
    declaration = loaded.declaration
    out: dict[str, Any] = {
        "file": loaded.file,
        "kind": None,
        "doc_kind": "target",
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
    if loaded.part is not None:
        out = {"file": loaded.file, "part": loaded.part, **{k: v for k, v in out.items() if k != "file"}}
    if declaration is None:
        return out
    from jixiao.numbers import to_wan

    funds = declaration.funds
    scale = Decimal(10000) if unit_slipped(loaded) else Decimal(1)  # the amounts meant, in 万元
    annual = funds.annual_total / scale if funds.annual_total is not None else None
    medium = funds.medium_total / scale if funds.medium_total is not None else None
    out.update(
        kind="declaration",
        project=declaration.project.name if not declaration.project.name.startswith("（未能") else None,
        year=declaration.year,
        unit=declaration.project.unit,
        budget=_plain(to_wan(annual, funds.unit)) if annual is not None else None,
        medium_budget=_plain(to_wan(medium, funds.unit)) if medium is not None else None,
        indicators=[
            {
                "period": s.period.value,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": target_as_read(i),
                "actual": None,
                "weight": _plain(i.weight),
                "score": None,
            }
            for s in (declaration.annual, declaration.medium)
            if s is not None
            for i in s.indicators
        ],
    )
    return out
