"""The journal's own connections to its file, on the database driver alone (sqlite3, or sqlcipher3 when encrypted).

A `Database` hands out one connection per action (`with db.connect() as conn:`), keeps idle
ones for the next action, and sets each new one up the same way: the key first, then WAL,
full sync, foreign keys, temp data in memory and overwritten deletions. An action's
transaction begins with its first statement (`conn.driver()`) and what it has not committed
is rolled back when it ends, as SQLAlchemy's engine did; SQLAlchemy itself is loaded only to
build a new file or upgrade an older one (`Database.engine`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.storage.keys import apply_key

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["Database", "Connection", "connect_driver", "set_up", "engine_on"]


def connect_driver(path: Path, key: bytes | bytearray | None) -> Any:
    """A driver connection to `path`, keyed when the journal is encrypted (not yet set up: see `set_up`)."""
    if key is None:
        return sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    from sqlcipher3 import dbapi2

    conn = dbapi2.connect(str(path), check_same_thread=False, isolation_level=None)
    # The key must be given first on the connection, before anything reads a page.
    apply_key(conn, key)
    return conn


def set_up(driver: Any) -> None:
    """The settings every connection to a journal has, before its first statement."""
    cur = driver.cursor()
    # WAL and FULL sync: a committed entry survives a crash or power cut.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Sorts and indexes SQLite builds on the side stay in memory: no health data in temp files
    # (SQLCipher does not encrypt them).
    cur.execute("PRAGMA temp_store=MEMORY")
    # A deleted entry is overwritten in the file, not left readable in a free page.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


class Connection:
    """One action's connection: `driver()` inside the action's transaction, `commit()` to keep what it did."""

    __slots__ = ("_driver",)

    def __init__(self, driver: Any):
        self._driver = driver

    def driver(self) -> Any:
        """The driver's own connection, inside the action's transaction.

        The driver's own implicit transactions start late and skip reads; BEGIN is sent
        explicitly instead, so each facade call is one real transaction (import is all or nothing).
        """
        driver = self._driver
        if not driver.in_transaction:
            driver.execute("BEGIN")
        return driver

    def commit(self) -> None:
        self._driver.commit()


class Database:
    """The journal file at `path` (encrypted with `key` when given), one connection per action."""

    def __init__(self, path: Path, key: bytes | bytearray | None):
        self.path = path
        self._key = key
        self._idle: list[Any] = []
        self._guard = threading.Lock()
        self._generation = 0  # dispose() lets go of every connection handed out before it
        if key is None:
            self.error: type[Exception] = sqlite3.Error
            self.integrity_error: type[Exception] = sqlite3.IntegrityError
        else:
            from sqlcipher3 import dbapi2

            self.error, self.integrity_error = dbapi2.Error, dbapi2.IntegrityError

    def new_driver_connection(self) -> Any:
        """A new driver connection, keyed and set up."""
        driver = connect_driver(self.path, self._key)
        try:
            set_up(driver)
        except BaseException:
            driver.close()
            raise
        return driver

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for one action; what it has not committed is rolled back when it ends."""
        with self._guard:
            generation = self._generation
            driver = self._idle.pop() if self._idle else None
        if driver is None:
            driver = self.new_driver_connection()
        try:
            yield Connection(driver)
        finally:
            self._give_back(driver, generation)

    def _give_back(self, driver: Any, generation: int) -> None:
        try:
            driver.rollback()  # a no-op once committed
        except BaseException:
            driver.close()
            raise
        with self._guard:
            if generation == self._generation:
                self._idle.append(driver)
                return
        driver.close()

    def dispose(self) -> None:
        """Close every idle connection (and each one in use when its action ends); the next action connects anew."""
        with self._guard:
            idle, self._idle = self._idle, []
            self._generation += 1
        for driver in idle:
            driver.close()

    def engine(self) -> Engine:
        """A SQLAlchemy engine on the same file with the same setup (loads SQLAlchemy: only to build or upgrade the schema)."""
        return engine_on(self.path, self._key)


def engine_on(path: Path, key: bytes | bytearray | None) -> Engine:
    """A SQLAlchemy engine whose connections are set up as the `Database`'s are (for building and upgrading the schema)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    url = f"sqlite+pysqlite:///{path}"
    options: dict[str, Any] = {"creator": lambda: connect_driver(path, key), "poolclass": QueuePool}
    if key is not None:
        # Lets SQLAlchemy recognise sqlcipher3's own exception classes.
        from sqlcipher3 import dbapi2

        options["module"] = dbapi2
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    set_up(dbapi_connection)


def _on_begin(conn: Any) -> None:
    # As `Connection.driver` does: each call is one real transaction, begun explicitly.
    conn.exec_driver_sql("BEGIN")
