"""The startup timeline the as-of reports read (see ``store.rules.timeline``).

``startup_state`` is derived from each startup's conventions, phases, deadlines and
engagement dates; it is filled for existing stores by ``store.derived.reattribute_all``
right after the upgrade (as for 0002 and 0003).

Revision ID: 0004_startup_state
Revises: 0003_report_rollup
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_startup_state"
down_revision = "0003_report_rollup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "startup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("phase", sa.String(), nullable=True),
        sa.Column("envelope_cents", sa.Integer(), nullable=True),
        sa.Column("pending_cents", sa.Integer(), nullable=False),
        sa.Column("roots", sa.String(), nullable=True),
        sa.Column("alerts", sa.String(), nullable=False),
        sa.Column("next_deadline_on", sa.Date(), nullable=True),
        sa.Column("next_deadline_title", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("startup_state", schema=None) as batch_op:
        batch_op.create_index(
            "ix_startup_state_startup_from", ["startup_id", "valid_from"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("startup_state", schema=None) as batch_op:
        batch_op.drop_index("ix_startup_state_startup_from")
    op.drop_table("startup_state")
