"""How the journal writes files: private modes, atomic replacement, which files are the journal's own."""
