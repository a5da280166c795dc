"""The consumption rollup the as-of reports read (see ``store.rules.rollup``).

``consumption_month`` is derived from the lines; it is filled for existing stores by
``store.derived.reattribute_all`` right after the upgrade (as for 0002).

Revision ID: 0003_report_rollup
Revises: 0002_attribution
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_report_rollup"
down_revision = "0002_attribution"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumption_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("paid_cents", sa.Integer(), nullable=False),
        sa.Column("cum_cents", sa.Integer(), nullable=False),
        sa.Column("engaged_last_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consumption_month", schema=None) as batch_op:
        batch_op.create_index("ix_consumption_month_startup_id", ["startup_id"], unique=False)
        batch_op.create_index(
            "ix_consumption_month_convention",
            ["convention_id", "startup_id", "month", "cum_cents", "engaged_last_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_consumption_month_month",
            ["month", "startup_id", "convention_id", "amount_cents", "paid_cents"],
            unique=False,
        )
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consumption_date_counted",
            ["date", "startup_id", "counted_convention_id", "kind", "amount_cents"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.drop_index("ix_consumption_date_counted")
    with op.batch_alter_table("consumption_month", schema=None) as batch_op:
        batch_op.drop_index("ix_consumption_month_month")
        batch_op.drop_index("ix_consumption_month_convention")
        batch_op.drop_index("ix_consumption_month_startup_id")
    op.drop_table("consumption_month")
