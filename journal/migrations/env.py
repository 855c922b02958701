"""Alembic's environment: runs revisions on the connection the journal opened (never a URL from a file)."""

from __future__ import annotations

from alembic import context

from journal.storage.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("journal migrations run only through journal.storage.upgrade(), on an open journal")

context.configure(
    connection=connection,
    target_metadata=metadata,  # the schema as journal/storage/tables.py describes it
    # SQLite alters tables by copying them; later revisions use op.batch_alter_table.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
