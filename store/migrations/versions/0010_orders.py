"""Money as it moves: purchase orders (EJ), their lines and services faits; payments of an order.

Every existing consumption line is kept as it is: a payment names no order, so it is a
*direct payment* (it counts as engaged and as paid, as before); an engagement line stays
an engagement.  ``consumption_month`` gains the running total of the payments; the rollup
is derived, emptied here and rebuilt by the upgrade's caller (``reattribute_all``).

Revision ID: 0010_orders
Revises: 0009_cents_bigint
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_orders"
down_revision = "0009_cents_bigint"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purchase_order",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=True),
        sa.Column("counted_convention_id", sa.Integer(), nullable=True),
        sa.Column("ej", sa.String(), nullable=True),
        sa.Column("supplier", sa.String(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("centre_financier", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["counted_convention_id"], ["convention.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ej"),
    )
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.create_index("ix_purchase_order_startup_id", ["startup_id"], unique=False)
        batch_op.create_index("ix_purchase_order_convention_id", ["convention_id"], unique=False)
        batch_op.create_index(
            "ix_purchase_order_date_counted",
            ["date", "startup_id", "counted_convention_id", "status", "amount_cents"],
            unique=False,
        )
    op.create_table(
        "order_line",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("unit_price_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["purchase_order.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.create_index("ix_order_line_order_id", ["order_id"], unique=False)
    op.create_table(
        "service_fait",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("dedup_key", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["purchase_order.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedup_key"),
    )
    with op.batch_alter_table("service_fait", schema=None) as batch_op:
        batch_op.create_index("ix_service_fait_order_id", ["order_id"], unique=False)
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_consumption_line_order_id", ["order_id"], unique=False)
        # The partial month of an as-of report tells an order's payments apart (index only).
        batch_op.drop_index("ix_consumption_date_counted")
        batch_op.create_index(
            "ix_consumption_date_counted",
            ["date", "startup_id", "counted_convention_id", "kind", "order_id", "amount_cents"],
            unique=False,
        )
        batch_op.create_foreign_key(
            "fk_consumption_line_order_id",
            "purchase_order",
            ["order_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    op.execute("DELETE FROM consumption_month")
    # A plain ADD COLUMN: a batch (the table copied) would lose the expression index.
    op.add_column(
        "consumption_month",
        sa.Column("cum_paid_cents", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    op.execute("DELETE FROM consumption_month")
    op.drop_column("consumption_month", "cum_paid_cents")
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.drop_constraint("fk_consumption_line_order_id", type_="foreignkey")
        batch_op.drop_index("ix_consumption_line_order_id")
        batch_op.drop_index("ix_consumption_date_counted")
        batch_op.drop_column("order_id")
        batch_op.create_index(
            "ix_consumption_date_counted",
            ["date", "startup_id", "counted_convention_id", "kind", "amount_cents"],
            unique=False,
        )
    op.drop_table("service_fait")
    op.drop_table("order_line")
    op.drop_table("purchase_order")
