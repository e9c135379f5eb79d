"""Target declarations (绩效目标申报): rounds, declarations, reviewers' opinions, frozen baselines;
the declaration an evaluation started from.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "declaration_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_declaration_rounds_year", "declaration_rounds", ["year"])
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("declaration_rounds.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("project_name", sa.String(500), nullable=False),
        sa.Column("unit_name", sa.String(300), nullable=False),
        sa.Column("department_name", sa.String(300), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("auto_grade", sa.String(10), nullable=True),
        sa.Column("n_errors", sa.Integer(), nullable=False),
        sa.Column("n_warnings", sa.Integer(), nullable=False),
        sa.Column("review", sa.JSON(), nullable=True),
        sa.Column("return_comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.UniqueConstraint("round_id", "unit_id", "project_name", name="uq_declaration_project"),
    )
    for column in ("round_id", "unit_id", "department_id", "year", "status"):
        op.create_index(f"ix_declarations_{column}", "declarations", [column])
    op.create_index("ix_declarations_lookup", "declarations", ["unit_id", "year", "project_name"])
    op.create_table(
        "declaration_opinions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "declaration_id",
            sa.Integer(),
            sa.ForeignKey("declarations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reviewer_name", sa.String(200), nullable=True),
        sa.Column("declaration_version", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(10), nullable=True),
        sa.Column("opinion", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_declaration_opinions_declaration_id", "declaration_opinions", ["declaration_id"])
    op.create_table(
        "declaration_baselines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "declaration_id",
            sa.Integer(),
            sa.ForeignKey("declarations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("declaration_version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("approved_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_declaration_baselines_declaration_id", "declaration_baselines", ["declaration_id"])
    op.add_column("evaluations", sa.Column("declaration_id", sa.Integer(), nullable=True))
    op.create_index("ix_evaluations_declaration_id", "evaluations", ["declaration_id"])


def downgrade() -> None:
    """Revert."""
    op.drop_index("ix_evaluations_declaration_id", table_name="evaluations")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_column("declaration_id")
    op.drop_table("declaration_baselines")
    op.drop_table("declaration_opinions")
    op.drop_table("declarations")
    op.drop_table("declaration_rounds")
