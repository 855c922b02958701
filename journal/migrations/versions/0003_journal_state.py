"""What the journal remembers about itself: a random id (the namespace of its FHIR exports, so no two
journals share a Patient or a record id), the day the latest appointment report was made, and the
suggested questions the person added to their notes or dismissed.

An existing journal gets its id now; nothing else it holds changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "journal_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.String(), nullable=True),
        sa.Column("last_report", sa.Date(), nullable=True),
        sa.Column("question_choices", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_state")),
    )
    op.bulk_insert(state, [{"id": 1, "journal_id": str(uuid.uuid4()), "last_report": None, "question_choices": "[]"}])


def downgrade() -> None:
    raise NotImplementedError(
        "A journal is not taken back to schema 0002: restore the backup made before it was upgraded."
    )
