"""整改 and 结果应用: the rectification ledger (items from audits, reviews, monitoring lights and audit
reports; the status rules; overdue), problems imported from audit reports, and next year's budget
suggestions by a result-use policy. Documents (the ledger xlsx, the 整改情况表, the publication
pack) are in ``jixiao.render``; the front door composes them.
"""

from jixiao.results.ledger import (
    ALLOWED,
    DEFAULT_DEADLINE_DAYS,
    TransitionError,
    category_of,
    due_soon,
    items_from_audit,
    items_from_declaration_review,
    items_from_monitoring,
    items_from_monitoring_review,
    merge_items,
    overdue_items,
    overdue_notice,
    status_label,
    transition,
)
from jixiao.results.sheet import COLUMNS, LedgerImportError, read_audit_problems, read_ledger_rows
from jixiao.results.suggest import ProjectResult, result_of, suggest, table_csv, table_rows

__all__ = [
    "ALLOWED",
    "COLUMNS",
    "DEFAULT_DEADLINE_DAYS",
    "LedgerImportError",
    "ProjectResult",
    "TransitionError",
    "category_of",
    "due_soon",
    "items_from_audit",
    "items_from_declaration_review",
    "items_from_monitoring",
    "items_from_monitoring_review",
    "merge_items",
    "overdue_items",
    "overdue_notice",
    "read_audit_problems",
    "read_ledger_rows",
    "result_of",
    "status_label",
    "suggest",
    "table_csv",
    "table_rows",
    "transition",
]
