"""Monitoring rounds and reports (运行监控, 纠偏) and the rectification ledger (整改台账).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 03:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "monitoring_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cutoff_month", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_monitoring_rounds_year", "monitoring_rounds", ["year"])
    op.create_table(
        "monitoring_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("monitoring_rounds.id"), nullable=False),
        sa.Column("declaration_id", sa.Integer(), sa.ForeignKey("declarations.id"), nullable=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cutoff_month", sa.Integer(), nullable=False),
        sa.Column("project_name", sa.String(500), nullable=False),
        sa.Column("unit_name", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("light", sa.String(10), nullable=True),
        sa.Column("execution_rate", sa.Float(), nullable=True),
        sa.Column("n_findings", sa.Integer(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=True),
        sa.Column("decision", sa.String(20), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.UniqueConstraint("round_id", "unit_id", "project_name", name="uq_monitoring_project"),
    )
    for column in ("round_id", "declaration_id", "unit_id", "department_id", "year", "status", "light"):
        op.create_index(f"ix_monitoring_reports_{column}", "monitoring_reports", [column])
    op.create_index("ix_monitoring_reports_lookup", "monitoring_reports", ["unit_id", "year", "project_name"])
    op.create_table(
        "rectification_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("project_name", sa.String(500), nullable=False),
        sa.Column("unit_name", sa.String(300), nullable=True),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("monitoring_id", sa.Integer(), nullable=True),
        sa.Column("overdue_notified", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    for column in (
        "unit_id",
        "department_id",
        "year",
        "origin",
        "status",
        "deadline",
        "evaluation_id",
        "declaration_id",
        "monitoring_id",
    ):
        op.create_index(f"ix_rectification_items_{column}", "rectification_items", [column])
    op.create_index(
        "ix_rectification_items_lookup", "rectification_items", ["unit_id", "year", "project_name"]
    )


def downgrade() -> None:
    """Revert."""
    op.drop_table("rectification_items")
    op.drop_table("monitoring_reports")
    op.drop_table("monitoring_rounds")
