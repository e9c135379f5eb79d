"""The audit of each stored evaluation, kept beside it: a page shows it without auditing again.

An evaluation's audit (``api.check``: every score with its explanation, every finding) is computed
when the evaluation is saved, as auditing the stored JSON gives it, and kept in
``evaluation_audits`` under a key: a digest of the program's own scoring code and built-in
policies, the evaluation's id and its JSON.  A kept audit is used only while its key is the key
of the record as it is now, so it is never stale: not after a change of the data by any path, nor
after an upgrade of the rules (the audit is then computed afresh until the evaluation is saved
again).  An evaluation naming a policy file (not a built-in policy) is never kept: the file may
change under it.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jixiao import api
from jixiao.api import Audit
from jixiao.store.models import EvaluationAudit, EvaluationRecord

PACKAGE = Path(__file__).resolve().parent.parent  # the jixiao package
# what no audit depends on (nothing under ``checks``, ``scoring``, ``policies``, ``model`` … imports them)
NOT_RULES = ("web", "store", "cli", "batch", "ingest", "render", "office.py", "examples.py")


@cache
def rules_fingerprint() -> str:
    """A digest of every Python and YAML file an audit depends on: the scoring rules, the checks,
    the built-in policies and frameworks, the model, the loader (read once per process)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.suffix in (".py", ".yaml") and relative.parts[0] not in NOT_RULES and path.is_file():
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def audit_key(evaluation_id: int, data: dict[str, Any]) -> str:
    """The key a kept audit of the evaluation ``evaluation_id`` holding ``data`` must have."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{rules_fingerprint()}:{evaluation_id}:".encode() + text.encode())
    return digest.hexdigest()


def keepable(data: dict[str, Any]) -> bool:
    """True when the evaluation names a built-in policy (or none): its audit may be kept."""
    policy = data.get("policy")
    return policy is None or (isinstance(policy, str) and policy in api.builtin_policy_names())


def keep(session: Session, record: EvaluationRecord, audit: Audit) -> None:
    """Keep ``audit``, the audit of the record's stored JSON, beside the record."""
    row = session.get(EvaluationAudit, record.id)
    if not keepable(record.data):
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = EvaluationAudit(evaluation_id=record.id)
        session.add(row)
    row.key = audit_key(record.id, record.data)
    row.audit = audit.model_dump(mode="json")


def kept(session: Session, record: EvaluationRecord) -> Audit | None:
    """The kept audit of the record as it is now, or None (none kept, or kept of other data)."""
    if not keepable(record.data):
        return None
    row = session.get(EvaluationAudit, record.id)
    if row is None or row.key != audit_key(record.id, record.data):
        return None
    return Audit.model_validate(row.audit)
