"""The one place a journal file is opened: file hygiene, encryption, SQLite settings and schema upgrades.

The package holds all of the journal's SQL. Opening, reading and writing a journal that is up
to date runs on the database driver alone; SQLAlchemy (and Alembic) load only to build a new
file or to upgrade an older one.
- here: the journal's `Database` on a file, its key, the check that it is a journal, and schema upgrades;
- `connection`: the `Database` and its connections, each set up the same way (the key, WAL, ...);
- `keys`: how a raw key reaches SQLCipher (never as SQL text) and is wiped;
- `tables`: the schema, written once as Core tables, and which columns each table reads;
- `rows`: how each table's rows become records and back (plain Python);
- `statements`: every statement the journal sends, built with Core from the tables and compiled
  ahead of time into `compiled` (generated; a test recompiles and compares);
- `store`: those statements run with the driver's cursor, for `journal.facade`;
- `models`: ORM classes mapped onto the same tables, only for Alembic and for building a new file.
"""

from __future__ import annotations

import ast
import os
import re
import uuid
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from journal.errors import JournalError, WrongPassphraseError
from journal.files.hygiene import PRIVATE_FILE_MODE, make_private_dir
from journal.storage.connection import Database, connect_driver, engine_on

# The key calls, for journal.safekeeping too (re-exported here).
from journal.storage.keys import apply_key, attach_encrypted
from journal.storage.keys import change_key as change_key
from journal.storage.keys import wipe_key as wipe_key

if TYPE_CHECKING:
    from sqlalchemy import Engine

KEY_BYTES = 32
# Tables any journal holds; a database with other tables and none of these is someone else's file.
_VERSION_TABLE = "alembic_version"


def open_database(path: str | os.PathLike[str], key: bytes | bytearray | None = None) -> Database:
    """The journal file at `path` (encrypted with the raw 256-bit `key` when given), on the driver alone.

    Checks first, without changing the file, that it opens, is readable with this key, passes
    SQLite's quick check and is not some other program's database or a newer journal's.
    """
    path = Path(path)
    _check_key(key)
    probe_file(path, key)
    return Database(path, key)


def make_engine(path: str | os.PathLike[str], key: bytes | None = None) -> Engine:
    """A SQLAlchemy engine on the journal file at `path`, after the same checks as `open_database` (loads SQLAlchemy)."""
    path = Path(path)
    _check_key(key)
    probe_file(path, key)
    return engine_on(path, key)


def _check_key(key: bytes | bytearray | None) -> None:
    if key is not None and (not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES):
        raise ValueError(f"a journal key is {KEY_BYTES} raw bytes")


def export_encrypted(path: Path, into: Path, new_key: bytes | bytearray, *, key: bytes | bytearray | None = None) -> None:
    """Copy every table of the journal at `path` (encrypted with `key`, or plain) into the empty file `into`,
    encrypted with `new_key`, keeping its schema revision. The caller checks the copy and renames it into place."""
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(str(path), isolation_level=None)
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported to the person, not to stderr
            apply_key(conn, key)
        # everything into the main file first, so the -wal the caller may remove holds nothing
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        attach_encrypted(conn, into, "fresh", new_key)
        conn.execute("SELECT sqlcipher_export('fresh')").fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA fresh.user_version = {int(version)}")
        conn.execute("DETACH DATABASE fresh")
    finally:
        conn.close()


def opens_with(path: Path, key: bytes | bytearray) -> bool:
    """Whether the encrypted file at `path` reads with `key` (nothing is written)."""
    from sqlcipher3 import dbapi2

    try:
        conn = dbapi2.connect(f"file:{_uri_path(path)}?mode=ro", uri=True, isolation_level=None)
    except Exception:
        return False
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        apply_key(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        return True
    except Exception:
        return False
    finally:
        conn.close()


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(Path(path).absolute()), safe="/")


def probe_file(path: Path, key: bytes | bytearray | None) -> None:
    """Raise a JournalError naming the file unless it is empty or a journal this version can open."""
    try:
        conn = connect_driver(path, key)
    except Exception as exc:  # the driver's errors differ between sqlite3 and sqlcipher3
        raise JournalError(f"{path} could not be opened: {exc}") from None
    try:
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except Exception as exc:
            if "not a database" in str(exc) and key is not None:
                raise WrongPassphraseError(
                    f"This passphrase does not open the journal at {path} (or the file is not a journal)."
                ) from None
            if "not a database" in str(exc):
                raise JournalError(
                    f"{path} is not a Trial Journal file: it is not a database, or it is an encrypted "
                    "journal that needs its passphrase."
                ) from None
            if "malformed" in str(exc):
                raise JournalError(f"{path} is damaged: SQLite reports {exc}. A backup can be restored.") from None
            raise JournalError(f"{path} could not be read: {exc}") from None
        try:
            check = [row[0] for row in conn.execute("PRAGMA quick_check")]
        except Exception as exc:
            raise JournalError(f"{path} is damaged: SQLite's check could not run ({exc}). A backup can be restored.") from None
        if check != ["ok"]:
            raise JournalError(f"{path} is damaged: SQLite's check found {'; '.join(check[:3])}. A backup can be restored.")
        if not tables:
            return
        if _VERSION_TABLE not in tables:
            raise JournalError(f"{path} is a database, but not a Trial Journal file: it holds other tables.")
        row = conn.execute(f"SELECT version_num FROM {_VERSION_TABLE}").fetchone()
        revision = row[0] if row else None
        if revision is None:
            raise JournalError(f"{path} is not a complete Trial Journal file: it has no schema version.")
        if revision not in known_revisions():
            raise JournalError(
                f"This journal was made by a newer version of Trial Journal (schema {revision}); "
                f"update Trial Journal to open {path}. The file was left as it is."
            )
    finally:
        conn.close()


def create_file(path: Path) -> None:
    """Make an empty journal file readable by its owner only, and its folder if missing (0700)."""
    if not path.parent.exists():
        # Only folders we make are tightened: the person's own existing folder is theirs to set.
        make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)


@lru_cache(maxsize=1)
def migrations_dir() -> Path:
    """Where the Alembic scripts live inside the installed package."""
    return Path(str(resources.files("journal.migrations")))


def alembic_config():  # -> alembic.config.Config, imported lazily: only an upgrade needs it
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@lru_cache(maxsize=1)
def scripts():  # -> alembic.script.ScriptDirectory, read once per run
    """The schema revisions shipped with this version of Trial Journal, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


# `revision = "0001"` and `down_revision = None` as every script (script.py.mako) writes them.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


@lru_cache(maxsize=4)
def _revision_graph(folder: Path) -> tuple[frozenset[str], str]:
    """Every revision in the scripts in `folder` and the newest one, read from the scripts' own lines.

    Opening a journal only needs these two facts; reading them this way spares loading Alembic
    (about 17 MB and a noticeable wait) on every start. A test checks them against Alembic's view.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((folder / "versions").glob("*.py")):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(script.read_text(encoding="utf-8"))}
        if "revision" not in found:
            continue  # the package's __init__.py
        revisions.add(ast.literal_eval(found["revision"]))
        down = ast.literal_eval(found.get("down_revision", "None"))
        parents.update((down,) if isinstance(down, str) else down or ())
    heads = revisions - parents
    if len(heads) != 1:
        raise JournalError(
            f"This installation of Trial Journal is damaged: its schema scripts have {len(heads)} newest revisions."
        )
    return frozenset(revisions), heads.pop()


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of Trial Journal knows."""
    return _revision_graph(migrations_dir())[0]


def head_revision() -> str:
    """The schema revision a journal has once this version has opened it."""
    return _revision_graph(migrations_dir())[1]


# The revision the models in journal.storage.models describe (a test keeps it equal to the scripts' newest):
# a new journal is built straight from the models, stamped with it, without running Alembic.
MODELS_REVISION = "0004"

# Exactly the table Alembic makes to remember the revision, so a journal made either way is the same file.
_VERSION_TABLE_SQL = (
    f"CREATE TABLE {_VERSION_TABLE} (\n\tversion_num VARCHAR(32) NOT NULL, "
    f"\n\tCONSTRAINT {_VERSION_TABLE}_pkc PRIMARY KEY (version_num)\n)"
)


def current_revision(db: Database) -> str | None:
    """The schema revision stamped in the file, or None for an empty file (read with the driver)."""
    with db.connect() as conn:
        driver = conn.driver()
        held = driver.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_VERSION_TABLE,)).fetchone()
        if held is None:
            return None
        rows = driver.execute(f"SELECT version_num FROM {_VERSION_TABLE}").fetchall()
    if len(rows) > 1:
        raise JournalError("The journal's schema version is unclear: it names more than one revision.")
    return rows[0][0] if rows else None


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision (creates it in an empty file), in one transaction.

    An empty file gets its tables straight from the models when they describe the newest
    revision: the very tables Alembic would make (a test compares the two files), in a fraction
    of the time and without loading Alembic. Everything else goes through the Alembic scripts.
    Either way SQLAlchemy is loaded, on an engine of its own; the driver's error stands for
    SQLAlchemy's, as for every other action.
    """
    from sqlalchemy.exc import DBAPIError

    new = current_revision(db) is None
    engine = db.engine()
    try:
        if new and head_revision() == MODELS_REVISION:
            _create_from_models(engine)
        else:
            migrate(engine)
    except DBAPIError as exc:
        if exc.orig is None:
            raise
        raise exc.orig from None
    finally:
        engine.dispose()


def migrate(engine: Engine) -> None:
    """Run the Alembic scripts up to the newest revision, in one transaction."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _create_from_models(engine: Engine) -> None:
    from journal.storage.models import Base

    with engine.begin() as conn:
        Base.metadata.create_all(conn, checkfirst=False)
        conn.exec_driver_sql(_VERSION_TABLE_SQL)
        conn.exec_driver_sql(f"INSERT INTO {_VERSION_TABLE} (version_num) VALUES (?)", (MODELS_REVISION,))
        # the journal's random id, made with it, as revision 0003 makes one for an older journal
        conn.exec_driver_sql(
            "INSERT INTO journal_state (id, journal_id, last_report, question_choices) VALUES (1, ?, NULL, '[]')",
            (str(uuid.uuid4()),),
        )
        # nothing of a sync yet, as revision 0004 starts an older journal
        conn.exec_driver_sql("INSERT INTO sync_state (id, data) VALUES (1, '{}')")
