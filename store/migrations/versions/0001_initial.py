"""Initial schema: the whole domain.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25 18:46:43.478203
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "fast_promotion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fast_promotion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fast_promotion_number"), ["number"], unique=True)

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("acronym", sa.String(), nullable=True),
        sa.Column("type", sa.String(), nullable=True),
        sa.Column("domaine_ministeriel", sa.String(), nullable=True),
        sa.Column("placeholder", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_slug"), ["slug"], unique=True)

    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=True),
        sa.Column("updated_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "incubator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("website", sa.String(), nullable=True),
        sa.Column("github", sa.String(), nullable=True),
        sa.Column("short_description", sa.String(), nullable=True),
        sa.Column("placeholder", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["organisation.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incubator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incubator_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incubator_slug"), ["slug"], unique=True)

    op.create_table(
        "startup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("mission", sa.String(), nullable=True),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("incubator_id", sa.Integer(), nullable=True),
        sa.Column("link", sa.String(), nullable=True),
        sa.Column("repository", sa.String(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("budget_url", sa.String(), nullable=True),
        sa.Column("dashlord_url", sa.String(), nullable=True),
        sa.Column("accessibility_status", sa.String(), nullable=True),
        sa.Column("thematiques", sa.String(), nullable=True),
        sa.Column("usertypes", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("upstream_missing", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["incubator_id"], ["incubator.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("startup", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_startup_incubator_id"), ["incubator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_startup_slug"), ["slug"], unique=True)

    op.create_table(
        "convention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("object", sa.String(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("starts_on_precision", sa.String(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("ends_on_precision", sa.String(), nullable=True),
        sa.Column("ceiling_cents", sa.Integer(), nullable=True),
        sa.Column("programme", sa.String(), nullable=True),
        sa.Column("bop", sa.String(), nullable=True),
        sa.Column("uo", sa.String(), nullable=True),
        sa.Column("brique", sa.String(), nullable=True),
        sa.Column("activite", sa.String(), nullable=True),
        sa.Column("domaine_fonctionnel", sa.String(), nullable=True),
        sa.Column("centre_couts", sa.String(), nullable=True),
        sa.Column("service_executant", sa.String(), nullable=True),
        sa.Column("placeholder", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("source_file", sa.String(), nullable=True),
        sa.Column("source_sha256", sa.String(), nullable=True),
        sa.Column("evidence", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["convention.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("convention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_convention_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_convention_source_sha256"), ["source_sha256"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_convention_startup_id"), ["startup_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("comment", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_startup_id"), ["startup_id"], unique=False)

    op.create_table(
        "fast_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=True),
        sa.Column("promotion_id", sa.Integer(), nullable=True),
        sa.Column("laureate_name", sa.String(), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["promotion_id"], ["fast_promotion.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fast_award", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fast_award_promotion_id"), ["promotion_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fast_award_startup_id"), ["startup_id"], unique=False)

    op.create_table(
        "objective",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objective_startup_id"), ["startup_id"], unique=False)

    op.create_table(
        "phase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("comment", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phase_startup_id"), ["startup_id"], unique=False)

    op.create_table(
        "startup_sponsor",
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("startup_id", "organisation_id"),
    )
    op.create_table(
        "consumption_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("dedup_key", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedup_key"),
    )
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consumption_line_convention_id"), ["convention_id"], unique=False
        )
        batch_op.create_index("ix_consumption_startup_date", ["startup_id", "date"], unique=False)

    op.create_table(
        "convention_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("short_name", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("representative", sa.String(), nullable=True),
        sa.Column("representative_title", sa.String(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("convention_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_convention_party_convention_id"), ["convention_id"], unique=False
        )

    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_convention_id"), ["convention_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_deadline_startup_id"), ["startup_id"], unique=False)

    op.create_table(
        "measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["objective_id"], ["objective.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measurement_objective_id"), ["objective_id"], unique=False
        )

    op.create_table(
        "schedule_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ae_cents", sa.Integer(), nullable=True),
        sa.Column("cp_cents", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("convention_id", "year"),
    )
    with op.batch_alter_table("schedule_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_line_convention_id"), ["convention_id"], unique=False
        )

    op.create_table(
        "staffing_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("startup_id", sa.Integer(), nullable=False),
        sa.Column("convention_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("headcount", sa.Float(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("daily_rate_cents", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["convention_id"], ["convention.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["startup_id"], ["startup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staffing_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staffing_line_convention_id"), ["convention_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staffing_line_startup_id"), ["startup_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("staffing_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffing_line_startup_id"))
        batch_op.drop_index(batch_op.f("ix_staffing_line_convention_id"))

    op.drop_table("staffing_line")
    with op.batch_alter_table("schedule_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_line_convention_id"))

    op.drop_table("schedule_line")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurement_objective_id"))

    op.drop_table("measurement")
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_startup_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_convention_id"))

    op.drop_table("deadline")
    with op.batch_alter_table("convention_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_convention_party_convention_id"))

    op.drop_table("convention_party")
    with op.batch_alter_table("consumption_line", schema=None) as batch_op:
        batch_op.drop_index("ix_consumption_startup_date")
        batch_op.drop_index(batch_op.f("ix_consumption_line_convention_id"))

    op.drop_table("consumption_line")
    op.drop_table("startup_sponsor")
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phase_startup_id"))

    op.drop_table("phase")
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objective_startup_id"))

    op.drop_table("objective")
    with op.batch_alter_table("fast_award", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fast_award_startup_id"))
        batch_op.drop_index(batch_op.f("ix_fast_award_promotion_id"))

    op.drop_table("fast_award")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_startup_id"))

    op.drop_table("event")
    with op.batch_alter_table("convention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_convention_startup_id"))
        batch_op.drop_index(batch_op.f("ix_convention_source_sha256"))
        batch_op.drop_index(batch_op.f("ix_convention_parent_id"))

    op.drop_table("convention")
    with op.batch_alter_table("startup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_startup_slug"))
        batch_op.drop_index(batch_op.f("ix_startup_incubator_id"))

    op.drop_table("startup")
    with op.batch_alter_table("incubator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incubator_slug"))
        batch_op.drop_index(batch_op.f("ix_incubator_owner_id"))

    op.drop_table("incubator")
    op.drop_table("store_meta")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_slug"))

    op.drop_table("organisation")
    with op.batch_alter_table("fast_promotion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fast_promotion_number"))

    op.drop_table("fast_promotion")
