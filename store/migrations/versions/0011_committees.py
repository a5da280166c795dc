"""Investment committees and the startups each reviews (request, decision, convention).

Revision ID: 0011_committees
Revises: 0010_orders
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_committees"
down_revision = "0010_orders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "committee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("committee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_date"), ["date"], unique=True)

    op.create_table(
        "committee_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("requested_cents", sa.BigInteger(), nullable=True),
        sa.Column("requested_team", sa.String(), nullable=True),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("provisional_months", sa.Integer(), nullable=True),
        sa.Column("granted_cents", sa.BigInteger(), nullable=True),
        sa.Column("convention_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(["committee_id"], ["committee.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("committee_id", "startup_id"),
    )
    with op.batch_alter_table("committee_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_review_committee_id"), ["committee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_review_startup_id"), ["startup_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_review_convention_id"), ["convention_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("committee_review")
    op.drop_table("committee")
