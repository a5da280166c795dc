"""The whole next deadline in ``startup_state``: its kind, id, convention and origin.

The report reads the next deadline from the precomputed state; with only its date and
title it could not say what kind of deadline it is, so the card and the report did not
agree on it.  The rows are derived data: the upgrade rebuilds them (``store.open``).

Revision ID: 0006_state_deadline
Revises: 0005_audit_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_state_deadline"
down_revision = "0005_audit_versions"
branch_labels = None
depends_on = None

COLUMNS = (
    ("next_deadline_kind", sa.String()),
    ("next_deadline_id", sa.Integer()),
    ("next_deadline_convention_id", sa.Integer()),
    ("next_deadline_derived", sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table("startup_state") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    # Rebuilt from the facts by the upgrade's caller; stale rows must not be read meanwhile.
    op.execute("DELETE FROM startup_state")


def downgrade() -> None:
    with op.batch_alter_table("startup_state") as batch:
        for name, _type in reversed(COLUMNS):
            batch.drop_column(name)
