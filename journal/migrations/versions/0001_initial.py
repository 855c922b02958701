"""Create the journal's tables: records of every kind, the profile, the settings and who entered what.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.String(), nullable=False)


def _note() -> sa.Column:
    return sa.Column("note", sa.Text(), nullable=False)


# long: the first schema, one table after another as it was released; a migration is never edited afterwards
def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
    )
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("adequate_weeks", sa.Integer(), nullable=False),
        sa.Column("failure_threshold_pct", sa.Integer(), nullable=False),
        sa.Column("count_augmentation", sa.Boolean(), nullable=False),
        sa.Column("primary_scale", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settings")),
    )
    op.create_table(
        "episodes",
        _id(),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("severity", sa.String(), nullable=True),
        _note(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episodes")),
    )
    op.create_index(op.f("ix_episodes_start"), "episodes", ["start"])
    op.create_table(
        "trials",
        _id(),
        sa.Column("drug", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("augmentation", sa.Boolean(), nullable=False),
        sa.Column("min_adequate_mg", sa.Float(), nullable=True),
        sa.Column("stop_reason", sa.String(), nullable=True),
        sa.Column("adherence", sa.String(), nullable=True),
        sa.Column("rating_response", sa.String(), nullable=True),
        sa.Column("rating_improvement_pct", sa.Float(), nullable=True),
        sa.Column("rating_date", sa.Date(), nullable=True),
        _note(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trials")),
    )
    op.create_index(op.f("ix_trials_start"), "trials", ["start"])
    op.create_table(
        "dose_steps",
        sa.Column("trial_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("mg_per_day", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_dose_steps_trial_id_trials"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("trial_id", "position", name=op.f("pk_dose_steps")),
    )
    op.create_table(
        "side_effects",
        sa.Column("trial_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_side_effects_trial_id_trials"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("trial_id", "position", name=op.f("pk_side_effects")),
    )
    op.create_table(
        "scores",
        _id(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("scale", sa.String(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("items", sa.Text(), nullable=True),
        sa.Column("difficulty", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scores")),
    )
    op.create_index(op.f("ix_scores_date"), "scores", ["date"])
    op.create_table(
        "checkins",
        _id(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("anxiety", sa.Integer(), nullable=True),
        sa.Column("sleep_quality", sa.Integer(), nullable=True),
        sa.Column("energy", sa.Integer(), nullable=True),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.Column("hours_slept", sa.Float(), nullable=True),
        _note(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index(op.f("ix_checkins_date"), "checkins", ["date"])
    op.create_table(
        "labs",
        _id(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("test", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        _note(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labs")),
    )
    op.create_index(op.f("ix_labs_date"), "labs", ["date"])
    op.create_table(
        "conditions",
        _id(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        _note(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conditions")),
    )
    op.create_table(
        "sessions",
        _id(),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("treatment", sa.String(), nullable=False),
        sa.Column("dose_mg", sa.Float(), nullable=True),
        sa.Column("number_in_course", sa.Integer(), nullable=True),
        sa.Column("bp_before_systolic", sa.Integer(), nullable=True),
        sa.Column("bp_before_diastolic", sa.Integer(), nullable=True),
        sa.Column("bp_after_systolic", sa.Integer(), nullable=True),
        sa.Column("bp_after_diastolic", sa.Integer(), nullable=True),
        sa.Column("dissociation", sa.Integer(), nullable=True),
        sa.Column("sedation", sa.Integer(), nullable=True),
        sa.Column("nausea", sa.Integer(), nullable=True),
        sa.Column("transport_arranged", sa.Boolean(), nullable=False),
        _note(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_day"), "sessions", ["day"])
    op.create_table(
        "notes",
        _id(),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("for_appointment", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index(op.f("ix_notes_date"), "notes", ["date"])
    op.create_table(
        "entries_by",
        sa.Column("record", sa.String(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("record", name=op.f("pk_entries_by")),
    )


def downgrade() -> None:
    for table in (
        "entries_by",
        "notes",
        "sessions",
        "conditions",
        "labs",
        "checkins",
        "scores",
        "side_effects",
        "dose_steps",
        "trials",
        "episodes",
        "settings",
        "profile",
    ):
        op.drop_table(table)
