"""Version 2 records: dates entered as a month or a year, a dose not remembered, times of day, where an
imported record came from, the session monitoring fields, reminders, and courses of psychotherapy.

Every row a journal already holds keeps its values: its dates read as full dates (precision "day"),
with no time, no origin and no reminder; each listed span's latest end is its end.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _precision(name: str) -> sa.Column:
    return sa.Column(name, sa.String(), server_default="day", nullable=False)


def _origin() -> tuple[sa.Column, sa.Column]:
    return sa.Column("origin_app", sa.Text(), nullable=True), sa.Column("origin_raw", sa.Text(), nullable=True)


def _latest_end() -> sa.Column:
    return sa.Column("end_latest", sa.Date(), nullable=True)


def _add(table: str, *columns: sa.Column) -> None:
    # Added columns need no copy of the table: SQLite's ALTER TABLE ADD COLUMN adds them in place.
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.add_column(column)


def upgrade() -> None:
    _add(
        "settings",
        sa.Column("reminder_checkin_time", sa.String(), nullable=True),
        sa.Column("reminder_questionnaire_every_days", sa.Integer(), nullable=True),
        sa.Column("reminder_next_appointment", sa.String(), nullable=True),
        sa.Column("reminder_next_session", sa.String(), nullable=True),
    )
    _add("episodes", _precision("start_precision"), _precision("end_precision"), _latest_end())
    _add("trials", _precision("end_precision"), _latest_end(), sa.Column("source", sa.String(), nullable=True), *_origin())
    # A dose may now be not remembered: SQLite cannot drop NOT NULL in place, so the table is copied.
    with op.batch_alter_table("dose_steps", recreate="always") as batch:
        batch.alter_column("mg_per_day", existing_type=sa.Float(), nullable=True)
        batch.add_column(_precision("start_precision"))
    _add("scores", sa.Column("time", sa.String(), nullable=True), *_origin())
    _add("checkins", sa.Column("time", sa.String(), nullable=True), *_origin())
    _add("conditions", _precision("since_precision"))
    _add(
        "sessions",
        sa.Column("phase", sa.String(), nullable=True),
        sa.Column("bp_40min_systolic", sa.Integer(), nullable=True),
        sa.Column("bp_40min_diastolic", sa.Integer(), nullable=True),
        sa.Column("spo2_min", sa.Float(), nullable=True),
        sa.Column("monitored_minutes", sa.Integer(), nullable=True),
        sa.Column("ready_to_leave", sa.Boolean(), server_default=sa.text("0"), nullable=False),
    )
    _add("notes", *_origin())
    # Every end held so far is a full date: its latest day is itself.
    for table in ("episodes", "trials"):
        op.execute(f'UPDATE {table} SET end_latest = "end"')
    op.create_table(
        "therapies",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        _precision("start_precision"),
        sa.Column("end", sa.Date(), nullable=True),
        _precision("end_precision"),
        _latest_end(),
        sa.Column("sessions", sa.Integer(), nullable=True),
        sa.Column("stop_reason", sa.String(), nullable=True),
        sa.Column("rating_response", sa.String(), nullable=True),
        sa.Column("rating_improvement_pct", sa.Float(), nullable=True),
        sa.Column("rating_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        *_origin(),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_therapies")),
    )
    op.create_index(op.f("ix_therapies_start"), "therapies", ["start"])


def downgrade() -> None:
    # Going back would drop what only version 2 can hold (therapies, partial dates, doses not
    # remembered, times, origins): the backup made before the upgrade is the way back.
    raise NotImplementedError(
        "A journal is not taken back to schema 0001: restore the backup made before it was upgraded."
    )
