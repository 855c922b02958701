"""The statements of a journal's upkeep: copying it whole, checking it, folding its log in before a key change.

Backups, "Check journal", restoring and changing the key (journal.safekeeping) work on files
rather than on an open journal; they ask for these by name and never write SQL themselves.
Each function runs on a plain DB-API connection (`connect_file`) and lets the driver's own
errors through: the caller words them for the person.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from journal.storage.keys import apply_key

__all__ = [
    "connect_file",
    "quiet_cipher",
    "copy_into",
    "integrity_check",
    "foreign_key_problems",
    "table_names",
    "schema_revision",
    "fold_log_in",
]


def connect_file(path: Path, key: bytes | bytearray | None, *, readonly: bool = False) -> Any:
    """A DB-API connection to a journal or backup file, keyed when it is encrypted."""
    uri = f"file:{quote(str(path.absolute()), safe='/')}" + ("?mode=ro" if readonly else "")
    if key is None:
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    quiet_cipher(conn)
    apply_key(conn, key)
    return conn


def quiet_cipher(conn: Any) -> None:
    """A wrong key is reported to the person, not printed by SQLCipher to stderr."""
    conn.execute("PRAGMA cipher_log_level = NONE")


def copy_into(conn: Any, target: Path) -> None:
    """A whole, compacted copy of the database into `target` (missing or empty), under the same key."""
    conn.execute("VACUUM INTO ?", (str(target),))


def integrity_check(conn: Any) -> list[str]:
    """SQLite's integrity check: ["ok"] when the file is sound, else what it found."""
    return [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]


def foreign_key_problems(conn: Any) -> list[tuple[str, int, str]]:
    """Rows that point to a missing row: (table, rowid, the table it points to)."""
    return [(str(table), rowid, str(parent)) for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]


def table_names(conn: Any) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def schema_revision(conn: Any) -> str | None:
    """The schema revision Alembic wrote into the file (None when its table is empty); the table must exist."""
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else row[0]


def fold_log_in(conn: Any) -> None:
    """Everything in the write-ahead log into the main file, and the log emptied."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
