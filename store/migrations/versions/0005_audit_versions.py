"""Optimistic concurrency and the audit log.

A ``version`` column on every table people edit (SQLAlchemy's ``version_id_col``:
a row changed since it was read is refused), and ``audit_log``, which records
every change (``store.audit``).

Revision ID: 0005_audit_versions
Revises: 0004_startup_state
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_audit_versions"
down_revision = "0004_startup_state"
branch_labels = None
depends_on = None

VERSIONED = (
    "organisation",
    "incubator",
    "startup",
    "phase",
    "event",
    "fast_award",
    "convention",
    "convention_party",
    "schedule_line",
    "deadline",
    "objective",
    "measurement",
    "consumption_line",
    "staffing_line",
)


def upgrade() -> None:
    # A plain ADD COLUMN on both engines (SQLite accepts NOT NULL with a default):
    # no table is rebuilt, so no ON DELETE CASCADE can fire.
    for table in VERSIONED:
        op.add_column(
            table,
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("row_id", sa.String(), nullable=True),
        sa.Column("startup_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("changes", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_startup", "audit_log", ["startup_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_startup", table_name="audit_log")
    op.drop_table("audit_log")
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("version")
