"""The data revision stamp (caches keyed on it), each evaluation's audit kept beside it, the review
queue's order and the findings' order as indexes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    table = op.create_table(
        "data_revisions",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("stamp", sa.String(64), nullable=False),
    )
    op.bulk_insert(table, [{"name": "data", "stamp": secrets.token_hex(8)}])
    op.create_table(
        "evaluation_audits",
        sa.Column(
            "evaluation_id",
            sa.Integer(),
            sa.ForeignKey("evaluations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("audit", sa.JSON(), nullable=False),
    )
    descending = (
        "inflation DESC NULLS LAST" if op.get_bind().dialect.name == "postgresql" else "inflation DESC"
    )
    op.create_index(
        "ix_evaluations_review", "evaluations", ["status", "max_severity", sa.text(descending), "id"]
    )
    op.drop_index("ix_evaluations_queue", table_name="evaluations")
    op.create_index("ix_findings_rank_id", "findings", ["rank", "id"])
    op.drop_index("ix_findings_rank", table_name="findings")


def downgrade() -> None:
    """Revert."""
    op.create_index("ix_findings_rank", "findings", ["rank"])
    op.drop_index("ix_findings_rank_id", table_name="findings")
    op.create_index("ix_evaluations_queue", "evaluations", ["status", "max_severity", "inflation"])
    op.drop_index("ix_evaluations_review", table_name="evaluations")
    op.drop_table("evaluation_audits")
    op.drop_table("data_revisions")
