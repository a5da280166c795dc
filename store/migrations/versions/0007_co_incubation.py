"""Co-incubation: a startup's other incubators (beta.gouv.fr's ``incubators:`` list).

Revision ID: 0007_co_incubation
Revises: 0006_state_deadline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_co_incubation"
down_revision = "0006_state_deadline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "startup_incubator",
        sa.Column(
            "startup_id",
            sa.Integer(),
            sa.ForeignKey("startup.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "incubator_id",
            sa.Integer(),
            sa.ForeignKey("incubator.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("startup_incubator")
