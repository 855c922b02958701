"""What keeps a journal safe: passphrases and keys, backups, the lock, profiles."""
