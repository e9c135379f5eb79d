"""Surveys that cannot be stuffed: per-survey address limits, hashed addresses, one-time codes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    # Server defaults: existing surveys get the defaults (3 answers per address per 60 minutes).
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address_limit", sa.Integer(), server_default="3", nullable=False))
        batch_op.add_column(
            sa.Column("address_window_minutes", sa.Integer(), server_default="60", nullable=False)
        )
        batch_op.add_column(
            sa.Column("codes_required", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Existing answers have no address hash: they count for neither limits nor duplicates.
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address_hash", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("agent_hash", sa.String(64), nullable=True))
        batch_op.create_index(
            "ix_survey_responses_address", ["survey_id", "address_hash", "created_at"], unique=False
        )
    op.create_table(
        "survey_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("survey_id", sa.Integer(), sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("survey_id", "code", name="uq_survey_code"),
    )
    op.create_index("ix_survey_codes_survey_id", "survey_codes", ["survey_id"])


def downgrade() -> None:
    """Revert."""
    op.drop_index("ix_survey_codes_survey_id", table_name="survey_codes")
    op.drop_table("survey_codes")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_responses_address")
        batch_op.drop_column("agent_hash")
        batch_op.drop_column("address_hash")
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_column("codes_required")
        batch_op.drop_column("address_window_minutes")
        batch_op.drop_column("address_limit")
