"""What the journal remembers of its sync through a folder: this computer's id, its clock, every
record's last stamp and digest, the change files already read, and the versions that lost a merge.

One row (id 1) holding JSON; an existing journal starts with nothing remembered, and nothing
else it holds changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.bulk_insert(state, [{"id": 1, "data": "{}"}])


def downgrade() -> None:
    raise NotImplementedError(
        "A journal is not taken back to schema 0003: restore the backup made before it was upgraded."
    )
