"""Schema revisions, oldest first: 0001 creates the journal's tables."""
