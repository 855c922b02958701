"""Alembic scripts that create and upgrade the journal's schema, one revision per change."""
