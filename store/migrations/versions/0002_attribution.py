"""Attribution of consumption lines, and the indexes the as-of reports read.

``counted_convention_id`` caches which convention each line counts against (a
budget rule, see ``store.rules.budget.attribute``) so that reports aggregate in SQL;
existing lines are attributed by ``store.derived.reattribute_all`` right after.

Revision ID: 0002_attribution
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_attribution"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted_convention_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_consumption_line_counted_convention_id_convention",
            "convention",
            ["counted_convention_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "ix_consumption_counted", ["counted_convention_id", "date", "amount_cents"]
        )
        batch_op.create_index("ix_consumption_date_startup", ["date", "startup_id", "amount_cents"])


def downgrade() -> None:
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.drop_index("ix_consumption_date_startup")
        batch_op.drop_index("ix_consumption_counted")
        batch_op.drop_constraint(
            "fk_consumption_line_counted_convention_id_convention", type_="foreignkey"
        )
        batch_op.drop_column("counted_convention_id")
