"""Chorus exports as imported (the reconciliation), and the committees in the timeline.

Each imported INF-BUD-53 export is recorded with the centres financiers it covers, the
store's orders on them it did not list (ORDER_NOT_IN_CHORUS) and the EJs it listed that
could be placed nowhere.  The committees' lead-time alerts ENDS_BEFORE_COMMITTEE and
FUNDING_UNSIGNED are now decided in the startup timeline: its rows are derived data,
rebuilt by the upgrade's caller (``store.open``).

Revision ID: 0012_chorus_reconciliation
Revises: 0011_committees
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_chorus_reconciliation"
down_revision = "0011_committees"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chorus_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("exported_on", sa.Date(), nullable=True),
        sa.Column("layout", sa.String(), nullable=True),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("file", "day"),
    )
    with op.batch_alter_table("chorus_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chorus_export_day"), ["day"], unique=False)
    op.create_table(
        "chorus_export_centre",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("centre_financier", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["export_id"], ["chorus_export.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("export_id", "centre_financier"),
    )
    with op.batch_alter_table("chorus_export_centre", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chorus_export_centre_centre_financier"),
            ["centre_financier"],
            unique=False,
        )
    op.create_table(
        "chorus_export_missing",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("ej", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["export_id"], ["chorus_export.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("export_id", "ej"),
    )
    with op.batch_alter_table("chorus_export_missing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chorus_export_missing_ej"), ["ej"], unique=False)
    op.create_table(
        "chorus_unplaced",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("ej", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("lines", sa.String(), nullable=False),
        sa.Column("engaged_cents", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["export_id"], ["chorus_export.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("export_id", "ej"),
    )
    with op.batch_alter_table("chorus_unplaced", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chorus_unplaced_ej"), ["ej"], unique=False)
    # Rebuilt from the facts by the upgrade's caller; stale rows must not be read meanwhile.
    op.execute("DELETE FROM startup_state")


def downgrade() -> None:
    op.drop_table("chorus_unplaced")
    op.drop_table("chorus_export_missing")
    op.drop_table("chorus_export_centre")
    op.drop_table("chorus_export")
