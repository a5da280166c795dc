"""One rollup row per startup, counted convention and month: a unique key.

Two writers of one startup could leave two rows for the same month (each rebuilt the
rollup from what it saw); the upkeep is now serialised (``store.derived.hold``) and the
store refuses a second row.  The rollup is derived: rebuilt by the upgrade's caller.

Revision ID: 0008_rollup_key
Revises: 0007_co_incubation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_rollup_key"
down_revision = "0007_co_incubation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM consumption_month")
    op.create_index(
        "ux_consumption_month_key",
        "consumption_month",
        ["startup_id", sa.text("coalesce(convention_id, 0)"), "month"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ux_consumption_month_key", table_name="consumption_month")
