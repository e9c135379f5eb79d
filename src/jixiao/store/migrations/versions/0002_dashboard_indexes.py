"""Covering indexes for the dashboard aggregates and the unit's list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:52:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    op.create_index("ix_evaluations_grade", "evaluations", ["grade", "year", "task_id", "department_name"])
    op.create_index(
        "ix_evaluations_department", "evaluations", ["department_name", "computed_total", "year", "task_id"]
    )
    op.create_index(
        "ix_evaluations_rate", "evaluations", ["execution_rate", "year", "task_id", "department_name"]
    )
    op.create_index("ix_evaluations_unit_updated", "evaluations", ["unit_id", "updated_at"])


def downgrade() -> None:
    """Revert."""
    op.drop_index("ix_evaluations_unit_updated", table_name="evaluations")
    op.drop_index("ix_evaluations_rate", table_name="evaluations")
    op.drop_index("ix_evaluations_department", table_name="evaluations")
    op.drop_index("ix_evaluations_grade", table_name="evaluations")
