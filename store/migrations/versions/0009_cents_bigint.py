"""Amounts in cents as 64-bit integers on PostgreSQL.

A 32-bit INTEGER holds at most 21 474 836,47 €: a ceiling, a month's consumption or a
running total beyond that was refused ("integer out of range").  SQLite's INTEGER is
64-bit already: nothing to change there.

Revision ID: 0009_cents_bigint
Revises: 0008_rollup_key
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_cents_bigint"
down_revision = "0008_rollup_key"
branch_labels = None
depends_on = None

COLUMNS = {
    "fast_award": ("amount_cents",),
    "convention": ("ceiling_cents",),
    "schedule_line": ("ae_cents", "cp_cents"),
    "consumption_line": ("amount_cents",),
    "consumption_month": ("amount_cents", "paid_cents", "cum_cents"),
    "startup_state": ("envelope_cents", "pending_cents"),
    "staffing_line": ("daily_rate_cents",),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
