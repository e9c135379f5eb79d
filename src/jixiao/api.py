"""The public API: the CLI, the web app and batch jobs call only these functions.

Every number a user sees — in the terminal, on a web page, in a Word file — is computed through
here, so they all agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.findings import Finding
from jixiao.ingest.readers import READERS
from jixiao.loader import Loaded, load_data, load_file
from jixiao.model import Evaluation
from jixiao.policies import Policy, load_policy
from jixiao.scoring import score_evaluation
from jixiao.scoring.result import ScoreResult

if TYPE_CHECKING:
    from jixiao.checks import Audit

__all__ = [
    "Evaluation",
    "Finding",
    "Loaded",
    "Policy",
    "ScoreResult",
    "check",
    "get_policy",
    "load",
    "load_all",
    "load_data",
    "score",
]

DOCUMENT_SUFFIXES = frozenset(READERS)  # one list: the suffixes the document readers take


def get_policy(name_or_path: str | Path | None = None) -> Policy:
    """A built-in policy by name (default ``national-2020``) or a user policy file."""
    return load_policy(name_or_path)


def _is_document(p: Path) -> bool:
    """A published document to ingest (not an evaluation file, nor an Excel form jixiao wrote)."""
    from jixiao.render.xlsx_form import is_jixiao_form

    suffix = p.suffix.lower()
    return suffix in DOCUMENT_SUFFIXES and not (suffix in (".xlsx", ".xlsm") and is_jixiao_form(p))


def load(path: str | Path) -> Loaded:
    """Load an evaluation file (YAML/JSON), a jixiao Excel form, or ingest a document (txt, html, docx, xlsx, pdf).

    A workbook holding several projects gives its first (see :func:`load_all`).
    """
    p = Path(path)
    if _is_document(p):
        from jixiao.ingest import ingest_file

        return ingest_file(p)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from jixiao.render.xlsx_form import read_form

        return read_form(p)
    return load_file(p)


def load_all(path: str | Path) -> list[Loaded]:
    """Every evaluation a file holds: one, or one per project of a one-project-per-sheet workbook."""
    p = Path(path)
    if _is_document(p):
        from jixiao.ingest import ingest_parts

        return ingest_parts(p)
    return [load(p)]


def score(evaluation: Evaluation, policy: Policy | None = None) -> ScoreResult:
    """Score an evaluation by its rules: indicator scores with explanations, levels, total, grade."""
    return score_evaluation(evaluation, policy or get_policy(evaluation.policy))


def check(evaluation: Evaluation, policy: Policy | None = None) -> Audit:
    """Audit (复核) an evaluation: the recomputed result plus every finding."""
    from jixiao.checks import run_checks

    return run_checks(evaluation, policy or get_policy(evaluation.policy))


def to_data(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as plain JSON-compatible data (the evaluation file format)."""
    from jixiao.frameworks import evaluation_file_data

    return evaluation_file_data(evaluation)
