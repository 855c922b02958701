"""Every statement the journal sends, run with the driver's own cursor (executemany for many rows).

The statements are written with SQLAlchemy Core in `journal.storage.statements` and compiled
ahead of time to SQLite's SQL text in `journal.storage.compiled`, so nothing here loads
SQLAlchemy; rows become records in `journal.storage.rows`, a whole list at a time. The facade
calls these with the `Connection` of one action (`journal.storage.connection`);
`Journal._connection` turns the driver's errors into JournalErrors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from journal import records as r
from journal.kinds import KINDS
from journal.storage import compiled
from journal.storage.connection import Connection
from journal.storage.rows import CONVERT, trial_child_values, trials_from_rows

__all__ = [
    "read",
    "read_one",
    "held",
    "held_anywhere",
    "ids",
    "count",
    "insert_records",
    "remove",
    "author",
    "set_author",
    "set_authors",
    "entries_by",
    "profile",
    "write_profile",
    "settings",
    "write_settings",
    "state",
    "write_state",
    "sync_state",
    "write_sync_state",
]


@dataclass(frozen=True)
class _Statement:
    """One compiled statement: its SQL text and the names of its parameters in order."""

    sql: str
    names: tuple[str, ...]
    fixed: dict[str, Any]  # values written into the statement itself (the profile's id 1)

    def params(self, given: dict[str, Any]) -> tuple:
        fixed = self.fixed
        return tuple(given[n] if n in given else fixed[n] for n in self.names)


_STATEMENTS: dict[tuple, _Statement] = {key: _Statement(*value) for key, value in compiled.STATEMENTS.items()}
# The kinds whose rows are sorted here after a plain read (see tables.Stored.sort_here): one stable sort per
# column, the last column first, orders them as one sort by all the columns would, without a tuple per row.
# A column that may be empty (a check-in's time) sorts its empty rows first, as SQLite would, and is
# skipped when no row has a value (a journal of untimed check-ins pays nothing for it).
_SortKey = tuple[Callable[[tuple], Any], Callable[[tuple], Any] | None]  # the key, and for a column that may be empty its value


def _sort_key(kind: str, i: int) -> _SortKey:
    if i in compiled.SORT_MAY_BE_EMPTY.get(kind, ()):
        return (lambda row: row[i] or ""), itemgetter(i)
    return itemgetter(i), None


_SORT_KEYS: dict[str, tuple[_SortKey, ...]] = {
    kind: tuple(_sort_key(kind, i) for i in reversed(at)) for kind, at in compiled.SORT_COLUMNS.items()
}


def _run(conn: Connection, statement: _Statement, **given: Any) -> list[tuple]:
    return conn.driver().execute(statement.sql, statement.params(given)).fetchall()


def _run_many(conn: Connection, statement: _Statement, rows: list[tuple]) -> None:
    if rows:
        conn.driver().executemany(statement.sql, rows)


def _values(table: str) -> Callable[[Any], tuple]:
    values = CONVERT[table].values
    if values is None:
        raise TypeError(f"{table} rows are written with their parent's")
    return values


def _day(value: dt.date) -> str:
    """A date as the journal stores it (what SQLAlchemy's SQLite Date type writes, so comparisons match)."""
    if not isinstance(value, dt.date):
        raise TypeError(f"a date is needed here, not {type(value).__name__}")
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


# ------------------------------------------------------------------------------------ statements


def _select(name: str, start: bool, end: bool, by_id: bool) -> _Statement:
    return _STATEMENTS["select", name, start, end, by_id]


def _select_children(child: str, start: bool, end: bool, by_id: bool) -> _Statement:
    """The dose steps or side effects of the trials a listing picks, in each trial's order."""
    return _STATEMENTS["children", child, start, end, by_id]


def _insert(table: str, replace: bool = False) -> _Statement:
    return _STATEMENTS["insert", table, replace]


def _delete(table: str, column: str) -> _Statement:
    return _STATEMENTS["delete", table, column]


def _ids(table: str, by_id: bool) -> _Statement:
    return _STATEMENTS["ids", table, by_id]


def _count(table: str) -> _Statement:
    return _STATEMENTS["count", table]


def _one_row(table: str) -> _Statement:
    """The profile's or the settings' one row (id 1)."""
    return _STATEMENTS["one_row", table]


def _select_authors(by_record: bool) -> _Statement:
    return _STATEMENTS["authors", by_record]


# --------------------------------------------------------------------------------------- records


def read(conn: Connection, kind: str, start: dt.date | None = None, end: dt.date | None = None) -> list:
    """The records of `kind` overlapping `start`..`end` (both included; None leaves that side open), by date then id."""
    given = {}
    if start is not None:
        given["start"] = _day(start)
    if end is not None:
        given["end"] = _day(end)
    return _read(conn, kind, start is not None, end is not None, False, given)


def read_one(conn: Connection, kind: str, record_id: str) -> Any | None:
    """The record of `kind` with this id, or None."""
    found = _read(conn, kind, False, False, True, {"id": record_id})
    return found[0] if found else None


def _read(conn: Connection, kind: str, start: bool, end: bool, by_id: bool, given: dict[str, Any]) -> list:
    rows = _run(conn, _select(kind, start, end, by_id), **given)
    for sort_key, value in _SORT_KEYS.get(kind, ()):
        if value is not None and not any(map(value, rows)):
            continue
        rows.sort(key=sort_key)
    if kind != "trials":
        return CONVERT[kind].from_rows(rows)
    if not rows:
        return []
    # Each trial's steps and side effects: one query each for all the listed trials, grouped here.
    doses = _children(conn, "dose_steps", _select_children("dose_steps", start, end, by_id), given)
    effects = _children(conn, "side_effects", _select_children("side_effects", start, end, by_id), given)
    return trials_from_rows(rows, doses, effects)


def _children(conn: Connection, child: str, statement: _Statement, given: dict[str, Any]) -> dict[str, tuple]:
    grouped: dict[str, list] = {}
    for row in _run(conn, statement, **given):
        grouped.setdefault(row[0], []).append(row)
    build = CONVERT[child].from_rows
    return {trial: tuple(build(rows)) for trial, rows in grouped.items()}


def held(conn: Connection, kind: str, record_id: str) -> bool:
    """Whether the journal holds a record of `kind` with this id."""
    return bool(_run(conn, _ids(kind, True), id=record_id))


def held_anywhere(conn: Connection, record_id: str) -> bool:
    """Whether any record of any kind has this id."""
    return any(held(conn, kind, record_id) for kind in KINDS)


def ids(conn: Connection, kind: str) -> set[str]:
    """Every id of `kind` the journal holds."""
    return {row[0] for row in _run(conn, _ids(kind, False))}


def count(conn: Connection, kind: str) -> int:
    return _run(conn, _count(kind))[0][0]


def insert_records(conn: Connection, kind: str, records: Sequence[Any]) -> None:
    """Store records already checked: one executemany per table (a trial's steps and side effects too)."""
    many = CONVERT[kind].many
    if many is not None:
        rows = many(records)
    else:
        values = _values(kind)
        rows = [values(record) for record in records]
    _run_many(conn, _insert(kind), rows)
    if kind == "trials":
        doses, effects = trial_child_values(records)
        _run_many(conn, _insert("dose_steps"), doses)
        _run_many(conn, _insert("side_effects"), effects)


def remove(conn: Connection, kind: str, record_id: str) -> None:
    """Delete the record; a trial's dose steps and side effects go with it (ON DELETE CASCADE)."""
    _run(conn, _delete(kind, "id"), id=record_id)


# ---------------------------------------------------------------------------------------- authors


def author(conn: Connection, record_id: str) -> str | None:
    """Who entered the record in caregiver mode, or None for the journal's owner."""
    found = _run(conn, _select_authors(True), id=record_id)
    return found[0][1] if found else None


def set_author(conn: Connection, record_id: str, name: str | None) -> None:
    """Mark the record as entered by `name`, or by the journal's owner with None."""
    if name is None:
        _run(conn, _delete("entries_by", "record"), id=record_id)
    else:
        set_authors(conn, [(record_id, name)])


def set_authors(conn: Connection, authors: Iterable[tuple[str, str]]) -> None:
    """Mark many records at once, (record id, author) each; a record's earlier author gives way."""
    _run_many(conn, _insert("entries_by", replace=True), list(authors))


def entries_by(conn: Connection) -> list[r.EntryBy]:
    """Every record entered by someone other than the owner, by record id."""
    return CONVERT["entries_by"].from_rows(_run(conn, _select_authors(False)))


# ---------------------------------------------------------------------------- profile and settings


def profile(conn: Connection) -> r.Profile:
    found = CONVERT["profile"].from_rows(_run(conn, _one_row("profile")))
    return found[0] if found else r.Profile()


def write_profile(conn: Connection, value: r.Profile) -> None:
    _run_many(conn, _insert("profile", replace=True), [_values("profile")(value)])


def settings(conn: Connection) -> r.Settings:
    found = CONVERT["settings"].from_rows(_run(conn, _one_row("settings")))
    return found[0] if found else r.Settings()


def write_settings(conn: Connection, value: r.Settings) -> None:
    _run_many(conn, _insert("settings", replace=True), [_values("settings")(value)])


def state(conn: Connection) -> r.JournalState:
    found = CONVERT["journal_state"].from_rows(_run(conn, _one_row("journal_state")))
    return found[0] if found else r.JournalState()


def write_state(conn: Connection, value: r.JournalState) -> None:
    _run_many(conn, _insert("journal_state", replace=True), [_values("journal_state")(value)])


def sync_state(conn: Connection) -> dict:
    """What the journal remembers of its sync through a folder (an empty dict before its first sync)."""
    found = CONVERT["sync_state"].from_rows(_run(conn, _one_row("sync_state")))
    return found[0] if found else {}


def write_sync_state(conn: Connection, value: dict) -> None:
    _run_many(conn, _insert("sync_state", replace=True), [_values("sync_state")(value)])
