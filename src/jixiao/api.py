"""The front door: the one place that composes the pipeline. The CLI and the web app call only this
(and ``jixiao.store`` / ``jixiao.batch``, which are built on it).

Every number a user sees — in the terminal, on a web page, in a Word file — is computed through
here, so they all agree: load (evaluation files, jixiao Excel forms, published documents), score,
check, render (by document kind and format), ingest, frameworks, policies, new evaluations and
the pension estimate. The model types a shell needs are re-exported here too.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao import __version__

if TYPE_CHECKING:  # for the type checker; at run time each name is imported on first use (below)
    DOCUMENT_SUFFIXES: frozenset[str]  # the suffixes the document readers take
    from jixiao.checks import Audit, run_checks
    from jixiao.checks.declaration import (
        DeclarationAudit,
        Standards,
        compare_with_declaration,
        evaluation_from_declaration,
        load_standards,
    )
    from jixiao.checks.declaration import review_declaration as run_declaration_review
    from jixiao.checks.monitoring import (
        MonitoringAudit,
        WarningResult,
        monitoring_codes,
        monitoring_from_declaration,
    )
    from jixiao.checks.monitoring import review_monitoring as run_monitoring_review
    from jixiao.checks.monitoring import warn as run_warning
    from jixiao.declaration import Criterion, Declaration, ReviewGrade, ReviewOpinion, ReviewResult
    from jixiao.examples import example_files, examples_dir
    from jixiao.findings import Finding, Severity, has_errors
    from jixiao.frameworks import (
        Framework,
        FrameworkError,
        builtin_framework_names,
        load_framework,
        load_framework_with_findings,
        new_evaluation,
    )
    from jixiao.ingest import document_kind, ingest_any, ingest_parts, summarize
    from jixiao.ingest.monitoring import holds_monitoring, ingest_monitoring, ingest_monitorings
    from jixiao.ingest.project_list import ListRow, read_project_list
    from jixiao.loader import (
        Loaded,
        LoadedDeclaration,
        LoadedMonitoring,
        file_holds_monitoring,
        load_data,
        load_declaration_data,
        load_declaration_file,
        load_file,
        load_monitoring_data,
        load_monitoring_file,
    )
    from jixiao.model import Evaluation, Figure, Survey
    from jixiao.monitoring import Light, Likelihood, Monitoring
    from jixiao.numbers import format_number
    from jixiao.pension.checks import run_pension_checks
    from jixiao.pension.estimate import Estimate, estimate, estimate_data, params_lines
    from jixiao.pension.estimate import describe as describe_estimate
    from jixiao.pension.params import PensionParams, builtin_region_names, load_params_with_findings
    from jixiao.places import INDICATOR_FIELDS, place_of
    from jixiao.policies import Policy, PolicyError, builtin_policy_names, load_policy
    from jixiao.policies.application import (
        ResultsPolicy,
        ResultsPolicyError,
        builtin_results_policy_names,
        load_results_policy,
    )
    from jixiao.policies.rubric import (
        Rubric,
        RubricError,
        builtin_rubric_names,
        load_rubric,
        load_rubric_with_findings,
    )
    from jixiao.policies.warning import (
        WarningPolicy,
        WarningPolicyError,
        builtin_warning_names,
        load_warning_policy,
        load_warning_policy_with_findings,
    )
    from jixiao.rectification import ItemStatus, Origin, RectificationItem, StatusChange, Suggestion
    from jixiao.render import FORMATS, KINDS, MEDIA_TYPES, DocumentKind, Format, RenderError, render_bytes
    from jixiao.render.declaration_documents import (
        DECLARATION_KINDS,
        DeclarationDocument,
        render_declaration_bytes,
    )
    from jixiao.render.monitoring_documents import (
        MONITORING_DOCUMENT_NAMES,
        MONITORING_KINDS,
        ReportEntry,
        render_monitoring_bytes,
        render_monitoring_report_bytes,
    )
    from jixiao.results import (
        LedgerImportError,
        ProjectResult,
        TransitionError,
        due_soon,
        items_from_audit,
        items_from_declaration_review,
        items_from_monitoring,
        items_from_monitoring_review,
        merge_items,
        overdue_items,
        overdue_notice,
        read_audit_problems,
        status_label,
        suggest,
        transition,
    )
    from jixiao.results import result_of as project_result
    from jixiao.scoring import score_evaluation
    from jixiao.scoring.result import ScoreResult
    from jixiao.serialize import (
        AUDIT_FILE_ENCODINGS,
        AUDIT_FILE_WRITERS,
        AUDIT_WRITERS,
        AuditedFile,
        evaluation_data,
        finding_line,
        score_record,
        source_note,
        to_json,
        to_yaml,
    )
    from jixiao.vocabulary import (
        ACTION_NAMES,
        AUDIT_FORMAT_NAMES,
        BASIS_KIND_NAMES,
        CAUSE_NAMES,
        CRITERION_NAMES,
        DECISION_NAMES,
        DECLARATION_DOCUMENT_NAMES,
        DECLARATION_STATUS_NAMES,
        DOCUMENT_NAMES,
        ENTITY_NAMES,
        FORMAT_NAMES,
        FUND_SOURCE_NAMES,
        ITEM_STATUS_NAMES,
        KIND_NAMES,
        LIGHT_NAMES,
        LIKELIHOOD_NAMES,
        NOVELTY_NAMES,
        ORG_KIND_NAMES,
        ORIGIN_NAMES,
        QUALITATIVE_ANSWERS,
        ROLE_NAMES,
        SEVERITY_NAMES,
        STANDARD_FUND_ROWS,
    )
    from jixiao.yamlio import dump_json

# Every name the front door offers, and where it lives: imported when first used, so a shell that
# only parses its arguments (``jixiao --help``) loads none of the pipeline.
_LAZY: dict[str, tuple[str, str]] = {
    "ACTION_NAMES": ("jixiao.vocabulary", "ACTION_NAMES"),
    "AUDIT_FILE_ENCODINGS": ("jixiao.serialize", "AUDIT_FILE_ENCODINGS"),
    "AUDIT_FILE_WRITERS": ("jixiao.serialize", "AUDIT_FILE_WRITERS"),
    "AUDIT_WRITERS": ("jixiao.serialize", "AUDIT_WRITERS"),
    "Audit": ("jixiao.checks", "Audit"),
    "AuditedFile": ("jixiao.serialize", "AuditedFile"),
    "AUDIT_FORMAT_NAMES": ("jixiao.vocabulary", "AUDIT_FORMAT_NAMES"),
    "DOCUMENT_NAMES": ("jixiao.vocabulary", "DOCUMENT_NAMES"),
    "CRITERION_NAMES": ("jixiao.vocabulary", "CRITERION_NAMES"),
    "BASIS_KIND_NAMES": ("jixiao.vocabulary", "BASIS_KIND_NAMES"),
    "NOVELTY_NAMES": ("jixiao.vocabulary", "NOVELTY_NAMES"),
    "DECLARATION_STATUS_NAMES": ("jixiao.vocabulary", "DECLARATION_STATUS_NAMES"),
    "Criterion": ("jixiao.declaration", "Criterion"),
    "Declaration": ("jixiao.declaration", "Declaration"),
    "ReviewGrade": ("jixiao.declaration", "ReviewGrade"),
    "ReviewOpinion": ("jixiao.declaration", "ReviewOpinion"),
    "ReviewResult": ("jixiao.declaration", "ReviewResult"),
    "LoadedDeclaration": ("jixiao.loader", "LoadedDeclaration"),
    "load_declaration_data": ("jixiao.loader", "load_declaration_data"),
    "load_declaration_file": ("jixiao.loader", "load_declaration_file"),
    "FORMAT_NAMES": ("jixiao.vocabulary", "FORMAT_NAMES"),
    "DocumentKind": ("jixiao.render", "DocumentKind"),
    "ENTITY_NAMES": ("jixiao.vocabulary", "ENTITY_NAMES"),
    "FUND_SOURCE_NAMES": ("jixiao.vocabulary", "FUND_SOURCE_NAMES"),
    "STANDARD_FUND_ROWS": ("jixiao.vocabulary", "STANDARD_FUND_ROWS"),
    "Estimate": ("jixiao.pension.estimate", "Estimate"),
    "Evaluation": ("jixiao.model", "Evaluation"),
    "FORMATS": ("jixiao.render", "FORMATS"),
    "Figure": ("jixiao.model", "Figure"),
    "Finding": ("jixiao.findings", "Finding"),
    "Format": ("jixiao.render", "Format"),
    "Framework": ("jixiao.frameworks", "Framework"),
    "FrameworkError": ("jixiao.frameworks", "FrameworkError"),
    "KINDS": ("jixiao.render", "KINDS"),
    "KIND_NAMES": ("jixiao.vocabulary", "KIND_NAMES"),
    "ListRow": ("jixiao.ingest.project_list", "ListRow"),
    "Loaded": ("jixiao.loader", "Loaded"),
    "MEDIA_TYPES": ("jixiao.render", "MEDIA_TYPES"),
    "ORG_KIND_NAMES": ("jixiao.vocabulary", "ORG_KIND_NAMES"),
    "PensionParams": ("jixiao.pension.params", "PensionParams"),
    "Policy": ("jixiao.policies", "Policy"),
    "PolicyError": ("jixiao.policies", "PolicyError"),
    "QUALITATIVE_ANSWERS": ("jixiao.vocabulary", "QUALITATIVE_ANSWERS"),
    "ROLE_NAMES": ("jixiao.vocabulary", "ROLE_NAMES"),
    "SEVERITY_NAMES": ("jixiao.vocabulary", "SEVERITY_NAMES"),
    "RenderError": ("jixiao.render", "RenderError"),
    "ScoreResult": ("jixiao.scoring.result", "ScoreResult"),
    "Severity": ("jixiao.findings", "Severity"),
    "Survey": ("jixiao.model", "Survey"),
    "builtin_framework_names": ("jixiao.frameworks", "builtin_framework_names"),
    "builtin_policy_names": ("jixiao.policies", "builtin_policy_names"),
    "builtin_region_names": ("jixiao.pension.params", "builtin_region_names"),
    "describe_estimate": ("jixiao.pension.estimate", "describe"),
    "dump_json": ("jixiao.yamlio", "dump_json"),
    "estimate": ("jixiao.pension.estimate", "estimate"),
    "estimate_data": ("jixiao.pension.estimate", "estimate_data"),
    "evaluation_data": ("jixiao.serialize", "evaluation_data"),
    "example_files": ("jixiao.examples", "example_files"),
    "examples_dir": ("jixiao.examples", "examples_dir"),
    "finding_line": ("jixiao.serialize", "finding_line"),
    "format_number": ("jixiao.numbers", "format_number"),
    "has_errors": ("jixiao.findings", "has_errors"),
    "ingest_parts": ("jixiao.ingest", "ingest_parts"),
    "ingest_any": ("jixiao.ingest", "ingest_any"),
    "document_kind": ("jixiao.ingest", "document_kind"),
    "load_data": ("jixiao.loader", "load_data"),
    "load_file": ("jixiao.loader", "load_file"),
    "load_framework": ("jixiao.frameworks", "load_framework"),
    "load_framework_with_findings": ("jixiao.frameworks", "load_framework_with_findings"),
    "load_params_with_findings": ("jixiao.pension.params", "load_params_with_findings"),
    "load_policy": ("jixiao.policies", "load_policy"),
    "new_evaluation": ("jixiao.frameworks", "new_evaluation"),
    "params_lines": ("jixiao.pension.estimate", "params_lines"),
    "INDICATOR_FIELDS": ("jixiao.places", "INDICATOR_FIELDS"),
    "place_of": ("jixiao.places", "place_of"),
    "read_project_list": ("jixiao.ingest.project_list", "read_project_list"),
    "render_bytes": ("jixiao.render", "render_bytes"),
    "DECLARATION_DOCUMENT_NAMES": ("jixiao.vocabulary", "DECLARATION_DOCUMENT_NAMES"),
    "DECLARATION_KINDS": ("jixiao.render.declaration_documents", "DECLARATION_KINDS"),
    "DeclarationDocument": ("jixiao.render.declaration_documents", "DeclarationDocument"),
    "render_declaration_bytes": ("jixiao.render.declaration_documents", "render_declaration_bytes"),
    "run_checks": ("jixiao.checks", "run_checks"),
    "DeclarationAudit": ("jixiao.checks.declaration", "DeclarationAudit"),
    "Standards": ("jixiao.checks.declaration", "Standards"),
    "compare_with_declaration": ("jixiao.checks.declaration", "compare_with_declaration"),
    "evaluation_from_declaration": ("jixiao.checks.declaration", "evaluation_from_declaration"),
    "load_standards": ("jixiao.checks.declaration", "load_standards"),
    "run_declaration_review": ("jixiao.checks.declaration", "review_declaration"),
    # 运行监控 (jixiao.monitoring, checks.monitoring, policies/warning)
    "Monitoring": ("jixiao.monitoring", "Monitoring"),
    "Light": ("jixiao.monitoring", "Light"),
    "Likelihood": ("jixiao.monitoring", "Likelihood"),
    "MonitoringAudit": ("jixiao.checks.monitoring", "MonitoringAudit"),
    "WarningResult": ("jixiao.checks.monitoring", "WarningResult"),
    "monitoring_codes": ("jixiao.checks.monitoring", "monitoring_codes"),
    "monitoring_from_declaration": ("jixiao.checks.monitoring", "monitoring_from_declaration"),
    "run_monitoring_review": ("jixiao.checks.monitoring", "review_monitoring"),
    "run_warning": ("jixiao.checks.monitoring", "warn"),
    "ingest_monitoring": ("jixiao.ingest.monitoring", "ingest_monitoring"),
    "ingest_monitorings": ("jixiao.ingest.monitoring", "ingest_monitorings"),
    "holds_monitoring": ("jixiao.ingest.monitoring", "holds_monitoring"),
    "file_holds_monitoring": ("jixiao.loader", "file_holds_monitoring"),
    "LoadedMonitoring": ("jixiao.loader", "LoadedMonitoring"),
    "load_monitoring_data": ("jixiao.loader", "load_monitoring_data"),
    "load_monitoring_file": ("jixiao.loader", "load_monitoring_file"),
    "WarningPolicy": ("jixiao.policies.warning", "WarningPolicy"),
    "WarningPolicyError": ("jixiao.policies.warning", "WarningPolicyError"),
    "builtin_warning_names": ("jixiao.policies.warning", "builtin_warning_names"),
    "load_warning_policy": ("jixiao.policies.warning", "load_warning_policy"),
    "load_warning_policy_with_findings": ("jixiao.policies.warning", "load_warning_policy_with_findings"),
    "MONITORING_DOCUMENT_NAMES": ("jixiao.render.monitoring_documents", "MONITORING_DOCUMENT_NAMES"),
    "MONITORING_KINDS": ("jixiao.render.monitoring_documents", "MONITORING_KINDS"),
    "ReportEntry": ("jixiao.render.monitoring_documents", "ReportEntry"),
    "render_monitoring_bytes": ("jixiao.render.monitoring_documents", "render_monitoring_bytes"),
    "render_monitoring_report_bytes": (
        "jixiao.render.monitoring_documents",
        "render_monitoring_report_bytes",
    ),
    "CAUSE_NAMES": ("jixiao.vocabulary", "CAUSE_NAMES"),
    "DECISION_NAMES": ("jixiao.vocabulary", "DECISION_NAMES"),
    "LIGHT_NAMES": ("jixiao.vocabulary", "LIGHT_NAMES"),
    "LIKELIHOOD_NAMES": ("jixiao.vocabulary", "LIKELIHOOD_NAMES"),
    "Rubric": ("jixiao.policies.rubric", "Rubric"),
    "RubricError": ("jixiao.policies.rubric", "RubricError"),
    "builtin_rubric_names": ("jixiao.policies.rubric", "builtin_rubric_names"),
    "load_rubric": ("jixiao.policies.rubric", "load_rubric"),
    "load_rubric_with_findings": ("jixiao.policies.rubric", "load_rubric_with_findings"),
    "run_pension_checks": ("jixiao.pension.checks", "run_pension_checks"),
    "score_evaluation": ("jixiao.scoring", "score_evaluation"),
    "score_record": ("jixiao.serialize", "score_record"),
    "source_note": ("jixiao.serialize", "source_note"),
    "summarize": ("jixiao.ingest", "summarize"),
    "to_json": ("jixiao.serialize", "to_json"),
    "to_yaml": ("jixiao.serialize", "to_yaml"),
    # 整改 ledger and 结果应用 (jixiao.results, policies/results)
    "ResultsPolicy": ("jixiao.policies.application", "ResultsPolicy"),
    "ResultsPolicyError": ("jixiao.policies.application", "ResultsPolicyError"),
    "builtin_results_policy_names": ("jixiao.policies.application", "builtin_results_policy_names"),
    "load_results_policy": ("jixiao.policies.application", "load_results_policy"),
    "ItemStatus": ("jixiao.rectification", "ItemStatus"),
    "Origin": ("jixiao.rectification", "Origin"),
    "RectificationItem": ("jixiao.rectification", "RectificationItem"),
    "StatusChange": ("jixiao.rectification", "StatusChange"),
    "Suggestion": ("jixiao.rectification", "Suggestion"),
    "LedgerImportError": ("jixiao.results", "LedgerImportError"),
    "ProjectResult": ("jixiao.results", "ProjectResult"),
    "TransitionError": ("jixiao.results", "TransitionError"),
    "items_from_audit": ("jixiao.results", "items_from_audit"),
    "items_from_declaration_review": ("jixiao.results", "items_from_declaration_review"),
    "items_from_monitoring": ("jixiao.results", "items_from_monitoring"),
    "items_from_monitoring_review": ("jixiao.results", "items_from_monitoring_review"),
    "merge_items": ("jixiao.results", "merge_items"),
    "overdue_items": ("jixiao.results", "overdue_items"),
    "overdue_notice": ("jixiao.results", "overdue_notice"),
    "due_soon": ("jixiao.results", "due_soon"),
    "read_audit_problems": ("jixiao.results", "read_audit_problems"),
    "status_label": ("jixiao.results", "status_label"),
    "suggest": ("jixiao.results", "suggest"),
    "project_result": ("jixiao.results", "result_of"),
    "transition": ("jixiao.results", "transition"),
    "ITEM_STATUS_NAMES": ("jixiao.vocabulary", "ITEM_STATUS_NAMES"),
    "ORIGIN_NAMES": ("jixiao.vocabulary", "ORIGIN_NAMES"),
}


def __getattr__(name: str) -> Any:
    """A name of the front door, imported on first use (PEP 562)."""
    if name == "DOCUMENT_SUFFIXES":
        value: Any = _document_suffixes()
    elif name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module), attr)
    else:
        raise AttributeError(f"module 'jixiao.api' has no attribute {name!r}")
    globals()[name] = value
    return value


def pipeline_modules() -> list[str]:
    """The modules the front door's names live in, for a process that preloads them (the upload sandbox)."""
    return sorted({module for module, _ in _LAZY.values()})


def _document_suffixes() -> frozenset[str]:
    """One list: the suffixes the document readers take."""
    return frozenset(import_module("jixiao.ingest.readers").READERS)


def _ready() -> None:
    """Bring in every name the functions below use (once; cheap afterwards)."""
    if "_READY" not in globals():
        for name in (*_LAZY, "DOCUMENT_SUFFIXES"):
            if name not in globals():
                __getattr__(name)
        globals()["_READY"] = True


__all__ = [
    "ACTION_NAMES",
    "AUDIT_FILE_ENCODINGS",
    "AUDIT_FILE_WRITERS",
    "AUDIT_FORMAT_NAMES",
    "AUDIT_WRITERS",
    "BASIS_KIND_NAMES",
    "CAUSE_NAMES",
    "CRITERION_NAMES",
    "DECISION_NAMES",
    "DECLARATION_DOCUMENT_NAMES",
    "DECLARATION_KINDS",
    "DECLARATION_STATUS_NAMES",
    "DOCUMENT_NAMES",
    "DOCUMENT_SUFFIXES",
    "ENTITY_NAMES",
    "FORMATS",
    "FORMAT_NAMES",
    "FUND_SOURCE_NAMES",
    "INDICATOR_FIELDS",
    "ITEM_STATUS_NAMES",
    "KINDS",
    "KIND_NAMES",
    "LIGHT_NAMES",
    "LIKELIHOOD_NAMES",
    "MEDIA_TYPES",
    "MONITORING_DOCUMENT_NAMES",
    "MONITORING_KINDS",
    "NOVELTY_NAMES",
    "ORG_KIND_NAMES",
    "ORIGIN_NAMES",
    "QUALITATIVE_ANSWERS",
    "ROLE_NAMES",
    "SEVERITY_NAMES",
    "STANDARD_FUND_ROWS",
    "Audit",
    "AuditedFile",
    "Criterion",
    "Declaration",
    "DeclarationAudit",
    "DeclarationDocument",
    "DocumentKind",
    "Estimate",
    "Evaluation",
    "Figure",
    "Finding",
    "Format",
    "Framework",
    "FrameworkError",
    "ItemStatus",
    "LedgerImportError",
    "Light",
    "Likelihood",
    "ListRow",
    "Loaded",
    "LoadedDeclaration",
    "LoadedMonitoring",
    "Monitoring",
    "MonitoringAudit",
    "Origin",
    "PensionParams",
    "Policy",
    "PolicyError",
    "ProjectResult",
    "RectificationItem",
    "RenderError",
    "ReportEntry",
    "ResultsPolicy",
    "ResultsPolicyError",
    "ReviewGrade",
    "ReviewOpinion",
    "ReviewResult",
    "Rubric",
    "RubricError",
    "ScoreResult",
    "Severity",
    "Standards",
    "StatusChange",
    "Suggestion",
    "Survey",
    "TransitionError",
    "WarningPolicy",
    "WarningPolicyError",
    "WarningResult",
    "__version__",
    "budget_suggestions",
    "builtin_framework_names",
    "builtin_policy_names",
    "builtin_region_names",
    "builtin_results_policy_names",
    "builtin_rubric_names",
    "builtin_warning_names",
    "check",
    "compare_with_declaration",
    "describe_estimate",
    "document_kind",
    "due_soon",
    "dump_json",
    "estimate_data",
    "evaluation_from_declaration",
    "example_files",
    "examples_dir",
    "finding_line",
    "format_number",
    "framework_titles",
    "get_policy",
    "has_errors",
    "ingest_any",
    "ingest_declarations",
    "ingest_monitoring",
    "ingest_monitorings",
    "ingest_parts",
    "is_monitoring_file",
    "items_from_audit",
    "items_from_declaration_review",
    "items_from_monitoring",
    "items_from_monitoring_review",
    "ledger_items",
    "ledger_xlsx",
    "load",
    "load_all",
    "load_any",
    "load_data",
    "load_declaration",
    "load_declaration_data",
    "load_declaration_file",
    "load_framework",
    "load_framework_with_findings",
    "load_monitoring",
    "load_monitoring_data",
    "load_params_with_findings",
    "load_results_policy",
    "load_rubric",
    "load_rubric_with_findings",
    "load_standards",
    "load_warning_policy",
    "load_warning_policy_with_findings",
    "merge_items",
    "monitoring_codes",
    "monitoring_from_declaration",
    "new_declaration",
    "new_evaluation",
    "overdue_items",
    "overdue_notice",
    "params_lines",
    "pdf_font_warnings",
    "pension_estimate",
    "pipeline_modules",
    "place_of",
    "policy_titles",
    "project_result",
    "publication_pack",
    "read_audit_problems",
    "read_ledger",
    "read_project_list",
    "render",
    "render_declaration",
    "render_declaration_to_file",
    "render_monitoring",
    "render_monitoring_report",
    "render_rectification",
    "render_to_file",
    "review_declaration",
    "review_monitoring",
    "score",
    "score_record",
    "source_note",
    "status_label",
    "suggest",
    "suggestions_table",
    "summarize",
    "to_data",
    "to_json",
    "to_yaml",
    "transition",
    "warn",
]


def get_policy(name_or_path: str | Path | None = None) -> Policy:
    """A built-in policy by name (default ``national-2020``) or a user policy file."""
    _ready()
    return load_policy(name_or_path)


def _is_document(p: Path) -> bool:
    """A published document to ingest (not an evaluation file, nor an Excel form jixiao wrote)."""
    _ready()
    from jixiao.ingest.readers.form import is_jixiao_form  # openpyxl loads only when needed

    suffix = p.suffix.lower()
    return suffix in _document_suffixes() and not (suffix in (".xlsx", ".xlsm") and is_jixiao_form(p))


def load(path: str | Path) -> Loaded:
    """Load an evaluation file (YAML/JSON), a jixiao Excel form, or ingest a document (txt, html, docx, xlsx, pdf).

    A workbook holding several projects gives its first (see :func:`load_all`).
    """
    _ready()
    p = Path(path)
    if _is_document(p):
        from jixiao.ingest import ingest_file

        return ingest_file(p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from jixiao.ingest.readers.form import read_form

        return read_form(p)
    return load_file(p)


def load_all(path: str | Path) -> list[Loaded]:
    """Every evaluation a file holds: one, or one per project of a one-project-per-sheet workbook."""
    _ready()
    p = Path(path)
    if _is_document(p):
        return ingest_parts(p)
    return [load(p)]


def load_any(path: str | Path) -> list[Loaded | LoadedDeclaration]:
    """Every project a file holds, each as what it is: a target declaration (``LoadedDeclaration``:
    a declaration file, a 申报表 jixiao wrote, a published or exported 申报表) or an evaluation
    (``Loaded``, as :func:`load_all` reads it)."""
    _ready()
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        return [load_declaration_file(p)] if document_kind(p) == "declaration" else [load_file(p)]
    from jixiao.ingest.readers.declaration_form import SUFFIXES, is_declaration_form

    if suffix in SUFFIXES and p.is_file() and is_declaration_form(p):
        return [load_declaration(p)]
    if _is_document(p) and p.is_file():
        return list(ingest_any(p))
    return [load(p)]


def score(evaluation: Evaluation, policy: Policy | None = None) -> ScoreResult:
    """Score an evaluation by its rules: indicator scores with explanations, levels, total, grade."""
    _ready()
    return score_evaluation(evaluation, policy or get_policy(evaluation.policy))


def check(evaluation: Evaluation, policy: Policy | None = None) -> Audit:
    """Audit (复核) an evaluation: the recomputed result plus every finding."""
    _ready()
    return run_checks(evaluation, policy or get_policy(evaluation.policy))


def review_declaration(
    declaration: Declaration,
    rubric: Rubric | str | Path | None = None,
    standards: Standards | str | Path | None = None,
) -> DeclarationAudit:
    """Review (审核) a target declaration: every declaration check, then the rubric's points per
    criterion, total, result (优 / 良 / 中 / 差) and its consequence (``.result``, a ``ReviewResult``)
    beside the findings (``.findings``, most severe first).

    ``rubric`` is a rubric, a built-in rubric name or a rubric file (default: the one the
    declaration names, else ``national``); ``standards`` a 预算支出标准 table or its YAML/CSV file.
    Raises ``RubricError`` when the rubric or the standards file cannot be used.
    """
    _ready()
    chosen = load_rubric(rubric) if isinstance(rubric, str | Path) else rubric
    if isinstance(standards, str | Path):
        table, problems = load_standards(standards)
        if table is None:
            raise RubricError(problems)
        standards = table
    return run_declaration_review(declaration, chosen, standards)


# 运行监控 (财预〔2019〕136号 双监控): a monitoring report loaded, lit, reviewed and laid out.

MONITORING_FORM_SUFFIXES = frozenset({".xlsx", ".xls", ".docx"})


def load_monitoring(path: str | Path) -> LoadedMonitoring:
    """A monitoring file (YAML / JSON, ``kind: monitoring``), or an 执行监控表 in Excel or Word read
    by its headings (jixiao's own form or a unit's)."""
    _ready()
    p = Path(path)
    if p.suffix.lower() in MONITORING_FORM_SUFFIXES and p.is_file():
        return ingest_monitoring(p)
    return load_monitoring_file(p)


def is_monitoring_file(path: str | Path) -> bool:
    """True when a file holds a monitoring report: ``kind: monitoring`` in YAML / JSON, or an
    Excel / Word file whose first table is an 执行监控表."""
    _ready()
    p = Path(path)
    if not p.is_file():
        return False
    if p.suffix.lower() in MONITORING_FORM_SUFFIXES:
        return holds_monitoring(p)
    return file_holds_monitoring(p)


def _warning_policy(
    policy: WarningPolicy | str | Path | None, monitoring: Monitoring | None
) -> WarningPolicy:
    if isinstance(policy, WarningPolicy):
        return policy
    if policy is None and monitoring is not None and monitoring.policy:
        name = monitoring.policy
        if name in builtin_warning_names() or Path(name).is_file():
            return load_warning_policy(name)
    return load_warning_policy(policy)


def warn(monitoring: Monitoring, policy: WarningPolicy | str | Path | None = None) -> WarningResult:
    """预警: the lights of a monitoring report (budget execution, each indicator, the project) with
    their reasons, under a warning policy (a policy, a built-in name or a file; default: the one
    the report names, else ``national``). Raises ``WarningPolicyError`` when it cannot be used."""
    _ready()
    return run_warning(monitoring, _warning_policy(policy, monitoring))


def review_monitoring(
    monitoring: Monitoring,
    policy: WarningPolicy | str | Path | None = None,
    declaration: Declaration | None = None,
) -> MonitoringAudit:
    """Review a monitoring report: its lights (``.warning``) and every ``mon.*`` finding
    (``.findings``, most severe first); the checks against the approved targets run when the
    declaration is given. Raises ``WarningPolicyError`` when the policy cannot be used."""
    _ready()
    return run_monitoring_review(monitoring, _warning_policy(policy, monitoring), declaration)


def render_monitoring(
    monitoring: Monitoring,
    fmt: Format,
    *,
    policy: WarningPolicy | str | Path | None = None,
    declaration: Declaration | None = None,
    with_review: bool = True,
) -> bytes:
    """The 项目支出绩效目标执行监控表 as docx, xlsx or pdf; with ``with_review`` its light, the reasons
    and the findings follow (a second sheet in Excel). The Excel and Word forms read back with
    :func:`load_monitoring`. Raises ``RenderError`` for problems the user can fix."""
    _ready()
    if not with_review:
        return render_monitoring_bytes(monitoring, fmt)
    audit = review_monitoring(monitoring, policy, declaration)
    return render_monitoring_bytes(
        monitoring,
        fmt,
        findings=audit.findings,
        light=audit.light.value,
        reasons=audit.warning.reasons(),
    )


def render_monitoring_report(
    unit: str,
    monitorings: list[Monitoring],
    fmt: Format,
    *,
    policy: WarningPolicy | str | Path | None = None,
) -> bytes:
    """A unit's monitoring report (docx or pdf): its projects with their lights, reddest first,
    then each project's 执行监控表 with its reasons and findings."""
    _ready()
    entries = []
    for monitoring in monitorings:
        audit = review_monitoring(monitoring, policy)
        entries.append(ReportEntry(monitoring, audit.light.value, audit.warning.reasons(), audit.findings))
    rank = {"red": 0, "yellow": 1, "green": 2}
    entries.sort(key=lambda e: rank[e.light])
    return render_monitoring_report_bytes(unit, entries, fmt)


def render(
    evaluation: Evaluation,
    kind: DocumentKind,
    fmt: Format,
    *,
    policy: Policy | None = None,
    template: Path | None = None,
    with_findings: bool = False,
) -> bytes:
    """The 自评表 (``self-table``: docx, xlsx, pdf) or 评价报告 (``report``: docx, pdf) as bytes.

    Scores come from :func:`score` (or :func:`check` with ``with_findings``, whose findings are
    appended as a 复核意见 annex). Raises ``RenderError`` for problems the user can fix.
    """
    _ready()
    rules = policy or get_policy(evaluation.policy)
    if with_findings:
        audit = check(evaluation, rules)
        return render_bytes(
            evaluation, audit.score, list(audit.findings), kind, fmt, template=template, policy=rules
        )
    return render_bytes(
        evaluation, score(evaluation, rules), None, kind, fmt, template=template, policy=rules
    )


def render_to_file(
    evaluation: Evaluation,
    kind: DocumentKind,
    fmt: Format,
    out: Path,
    *,
    policy: Policy | None = None,
    template: Path | None = None,
    with_findings: bool = False,
) -> Path:
    """Write the document of :func:`render` to ``out`` (a ``RenderError`` when it cannot be written)."""
    _ready()
    data = render(evaluation, kind, fmt, policy=policy, template=template, with_findings=with_findings)
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise RenderError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    return out


def render_declaration(
    declaration: Declaration,
    kind: DeclarationDocument,
    fmt: Format,
    *,
    review: ReviewResult | None = None,
    findings: list[Finding] | None = None,
    opinion: ReviewOpinion | None = None,
) -> bytes:
    """The 绩效目标申报表 (``declaration``) or 绩效目标审核意见表 (``review-opinion``) as docx, xlsx or pdf.

    ``review`` (the automatic review's points and result), ``findings`` (printed as an annex) and
    ``opinion`` (the reviewer's) are printed as given. Raises ``RenderError`` for problems the
    user can fix. The Word and Excel 申报表 read back with :func:`load_declaration`.
    """
    _ready()
    return render_declaration_bytes(declaration, kind, fmt, review=review, findings=findings, opinion=opinion)


def render_declaration_to_file(
    declaration: Declaration,
    kind: DeclarationDocument,
    fmt: Format,
    out: Path,
    *,
    review: ReviewResult | None = None,
    findings: list[Finding] | None = None,
    opinion: ReviewOpinion | None = None,
) -> Path:
    """Write the document of :func:`render_declaration` to ``out`` (a ``RenderError`` when it cannot be written)."""
    _ready()
    data = render_declaration(declaration, kind, fmt, review=review, findings=findings, opinion=opinion)
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise RenderError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    return out


def new_declaration(
    *, year: int | None = None, project_name: str = "（项目名称）", medium: bool = True
) -> Declaration:
    """A blank target declaration: the standard 一级 / 二级 rows of the 申报表 in the 年度 target set
    (and in a 中期 one unless ``medium`` is False), nothing filled in."""
    _ready()
    from jixiao.declaration import Period, TargetIndicator, TargetSet
    from jixiao.model import Project
    from jixiao.vocabulary import DECLARATION_LEVELS

    def blank(period: Period) -> TargetSet:
        rows = [TargetIndicator(level1=level1, level2=level2) for level1, level2 in DECLARATION_LEVELS]
        return TargetSet(period=period, indicators=rows)

    return Declaration(
        year=year,
        project=Project(name=project_name),
        medium=blank(Period.medium) if medium else None,
        annual=blank(Period.annual),
    )


def ingest_declarations(path: str | Path) -> list[LoadedDeclaration]:
    """Every target declaration a file holds, one per project: a published or exported 申报表
    (xlsx, xls, docx, pdf, html, txt; a system export gives one per sheet) read by the layouts,
    a 申报表 jixiao wrote read back, or a declaration file (YAML/JSON).  A document holding no
    declaration gives one LoadedDeclaration with no declaration and an error finding."""
    _ready()
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml", ".json"):
        return [load_declaration_file(p)]
    from jixiao.ingest.readers.declaration_form import SUFFIXES, is_declaration_form

    if p.suffix.lower() in SUFFIXES and is_declaration_form(p):
        return [load_declaration(p)]
    from jixiao.ingest import ingest_declarations as read_declarations

    return read_declarations(p)


def load_declaration(path: str | Path) -> LoadedDeclaration:
    """A target declaration: a declaration file (YAML/JSON) or a 申报表 jixiao wrote (Excel or Word),
    read back with the unit's edits; problems as findings, never an exception."""
    _ready()
    from jixiao.ingest.readers.declaration_form import SUFFIXES, is_declaration_form, read_declaration_form

    p = Path(path)
    if p.suffix.lower() in SUFFIXES:
        if is_declaration_form(p):
            return read_declaration_form(p)
        from jixiao.findings import finding

        message = f"{p.name} 不是 jixiao 生成的绩效目标申报表（申报文件应为 YAML/JSON，或用 jixiao new --kind declaration 生成的表格）"
        return LoadedDeclaration(str(p), None, [finding("form.not-jixiao", Severity.error, message)])
    return load_declaration_file(p)


def pension_estimate(
    evaluation: Evaluation, region: str | Path | None = None
) -> tuple[Estimate | None, list[Finding]]:
    """The pension program's funds recomputed (人数 × 标准) and audited against budget and spending.

    ``region`` replaces the evaluation's own region parameters. None with findings when the
    estimate cannot be made; else the estimate and the pension audit's findings.
    """
    _ready()
    if region is not None and evaluation.pension is not None:
        evaluation = evaluation.model_copy(update={"pension": {**evaluation.pension, "region": region}})
    result, problems = estimate(evaluation)
    if result is None or has_errors(problems):
        return None, problems
    return result, problems + [f for f in run_pension_checks(evaluation) if f not in problems]


def pdf_font_warnings() -> list[str]:
    """Chinese warnings for each official face a PDF prints in a substitute (empty when all are installed)."""
    _ready()
    from jixiao.render.pdf import font_warnings

    return font_warnings()


def framework_titles() -> dict[str, str]:
    """The built-in frameworks by name, each with its Chinese title (the name when it has none)."""
    _ready()
    return {name: load_framework(name).title or name for name in builtin_framework_names()}


def policy_titles() -> dict[str, str]:
    """The built-in policies by name, each with its Chinese title (the name when it has none)."""
    _ready()
    return {name: load_policy(name).title or name for name in builtin_policy_names()}


def to_data(evaluation: Evaluation, *, keep_empty: bool = False) -> dict[str, Any]:
    """The evaluation as plain JSON-compatible data (the evaluation file format; see ``serialize``)."""
    _ready()
    return evaluation_data(evaluation, keep_empty=keep_empty)


# ---------------------------------------------------------------- 整改 ledger and 结果应用


def _results_policy(policy: ResultsPolicy | str | Path | None) -> ResultsPolicy:
    return policy if isinstance(policy, ResultsPolicy) else load_results_policy(policy)


def ledger_items(
    evaluation: Evaluation,
    origin: Origin | str = "review",
    *,
    audit: Audit | None = None,
    on: date | None = None,
    deadline_days: int | None = None,
    results_policy: ResultsPolicy | str | Path | None = None,
) -> list[RectificationItem]:
    """The rectification items of an evaluation: its audit's error and warning findings (one item per
    problem) and its printed 存在问题. ``audit`` is :func:`check`'s (audited here when None); the
    deadline is ``deadline_days`` (default: the result-use policy's) after ``on`` (default today)."""
    _ready()
    days = deadline_days if deadline_days is not None else _results_policy(results_policy).deadline_days
    found = audit if audit is not None else check(evaluation)
    return items_from_audit(evaluation, found, Origin(origin), deadline_days=days, on=on)


def read_ledger(path: str | Path) -> list[RectificationItem]:
    """A ledger read back from the xlsx :func:`ledger_xlsx` wrote (or any sheet with its headers);
    raises ``LedgerImportError`` naming each cell that cannot be read."""
    _ready()
    return read_audit_problems(path)


def ledger_xlsx(items: list[RectificationItem], today: date | None = None, *, title: str = "") -> bytes:
    """The 整改台账 as xlsx: every column, 逾期 items (open past their deadline on ``today``) marked."""
    _ready()
    from jixiao.render.rectification_xlsx import ledger_bytes

    return ledger_bytes(items, today or date.today(), title=title)


def render_rectification(
    items: list[RectificationItem],
    fmt: Format,
    *,
    unit: str = "",
    year: int | None = None,
    today: date | None = None,
) -> bytes:
    """The 整改情况表 (docx, pdf) or the whole ledger (xlsx) of ``items`` as of ``today``."""
    _ready()
    day = today or date.today()
    if fmt == "xlsx":
        return ledger_xlsx(
            items, day, title=" ".join(p for p in (unit, f"{year}年度" if year else "", "整改台账") if p)
        )
    if fmt not in ("docx", "pdf"):
        raise RenderError(f"未知的输出格式“{fmt}”，可选：docx、xlsx、pdf")
    import io
    import tempfile

    from jixiao.render import rectification_docx

    buffer = io.BytesIO()
    rectification_docx.build(items, day, unit=unit, year=year).save(buffer)
    if fmt == "docx":
        return buffer.getvalue()
    from jixiao.render.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-render-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(buffer.getvalue())
        return docx_to_pdf(source, Path(tmp)).read_bytes()


def budget_suggestions(
    evaluations: list[Evaluation],
    results_policy: ResultsPolicy | str | Path | None = None,
    *,
    items: list[RectificationItem] | None = None,
    today: date | None = None,
) -> list[Suggestion]:
    """结果应用: next year's budget suggestion per evaluation, by its grade (the reviewed one when a
    reviewer scored, else the recomputed one, else the printed one) and the result-use policy
    (default ``national``); a project with overdue or declined items in ``items`` gets the policy's
    ``unrectified`` change. Raises ``ResultsPolicyError`` when the policy cannot be loaded."""
    _ready()
    from jixiao.results import result_of, suggest

    chosen = _results_policy(results_policy)
    ledger = items or []
    results = [result_of(e, score(e), ledger, today) for e in evaluations]
    return suggest(results, chosen)


def suggestions_table(
    suggestions: list[Suggestion],
    fmt: str = "xlsx",
    *,
    units: dict[str, str | None] | None = None,
    title: str = "",
) -> bytes:
    """The bureau's table of next year's suggested adjustments per project, as xlsx or csv bytes."""
    _ready()
    from jixiao.results import table_csv

    if fmt == "csv":
        return table_csv(suggestions, units)
    if fmt != "xlsx":
        raise RenderError(f"未知的输出格式“{fmt}”，可选：xlsx、csv")
    from jixiao.render.rectification_xlsx import suggestions_bytes

    return suggestions_bytes(suggestions, units, title=title)


def publication_pack(
    unit: str,
    year: int | None,
    evaluations: list[Evaluation],
    items: list[RectificationItem],
    *,
    today: date | None = None,
) -> tuple[bytes, bytes]:
    """绩效公开: a unit's year as (one PDF, a zip of its parts), in the order 决算公开 attaches them —
    the 自评表 of every project, the 评价报告摘要, the 整改情况表 of ``items``. Each evaluation is
    scored by its policy as :func:`render` does. Raises ``RenderError`` (LibreOffice missing …)."""
    _ready()
    from jixiao.render.publication import publication_pack_bytes

    entries = [(e, score(e)) for e in evaluations]
    return publication_pack_bytes(unit, year, entries, items, today or date.today())
