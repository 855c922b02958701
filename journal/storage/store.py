"""Every statement the journal sends, written with SQLAlchemy Core from `journal.storage.tables`.

Each statement is built and compiled once, to SQL text for SQLite, and then run with the
driver's own cursor (executemany for many rows): no SQLAlchemy row or ORM object per row,
which was nine tenths of the time of listing a long journal. The facade calls these with the
connection of one action; `Journal._connection` turns the driver's errors into JournalErrors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql import ClauseElement, ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler

from journal import records as r
from journal.kinds import KINDS
from journal.storage import tables as tb

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
]

_DIALECT = sqlite.dialect()


@dataclass(frozen=True)
class _Statement:
    """One compiled statement: its SQL text and the names of its parameters in order."""

    sql: str
    names: tuple[str, ...]
    fixed: dict[str, Any]  # values written into the statement itself (the profile's id 1)

    def params(self, given: dict[str, Any]) -> tuple:
        fixed = self.fixed
        return tuple(given[n] if n in given else fixed[n] for n in self.names)


def _compile(statement: ClauseElement, **options: Any) -> _Statement:
    compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT, **options))
    fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
    return _Statement(str(compiled), tuple(compiled.positiontup or ()), fixed)


def _driver(conn: Connection) -> Any:
    """The driver's own connection, inside the action's transaction."""
    if not conn.in_transaction():
        conn.begin()  # the engine's begin hook sends BEGIN: each facade call is one real transaction
    return conn.connection.driver_connection


def _run(conn: Connection, statement: _Statement, **given: Any) -> list[tuple]:
    return _driver(conn).execute(statement.sql, statement.params(given)).fetchall()


def _run_many(conn: Connection, statement: _Statement, rows: list[tuple]) -> None:
    if rows:
        _driver(conn).executemany(statement.sql, rows)


def _values(table: str) -> Callable[[Any], tuple]:
    values = tb.ROWS[table].values
    if values is None:
        raise TypeError(f"{table} rows are written with their parent's")
    return values


def _day(value: dt.date) -> str:
    """A date as the journal stores it (what SQLAlchemy's SQLite Date type writes, so comparisons match)."""
    if not isinstance(value, dt.date):
        raise TypeError(f"a date is needed here, not {type(value).__name__}")
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


# ------------------------------------------------------------------------------------ statements


def _range(kind: tb.Stored, start: bool, end: bool) -> list[ColumnElement[bool]]:
    """Conditions for "overlaps :start..:end, both ends included" for this kind (each side only when given)."""
    c = kind.table.c
    conds: list[ColumnElement[bool]] = []
    if kind.span is not None:
        # A span from its start to its end, or on and on while ongoing.
        first, last = kind.span
        if end:
            conds.append(c[first] <= bindparam("end"))
        if start:
            conds.append(or_(c[last].is_(None), c[last] >= bindparam("start")))
    elif kind.since is not None:
        # A condition holds from `since` on; one with no `since` is always part of the picture.
        if end:
            conds.append(or_(c[kind.since].is_(None), c[kind.since] <= bindparam("end")))
    elif kind.day is not None:
        if start:
            conds.append(c[kind.day] >= bindparam("start"))
        if end:
            conds.append(c[kind.day] <= bindparam("end"))
    return conds


def _where(kind: tb.Stored, start: bool, end: bool, by_id: bool) -> list[ColumnElement[bool]]:
    conds = _range(kind, start, end)
    if by_id:
        conds.append(kind.table.c.id == bindparam("id"))
    return conds


@cache
def _select(name: str, start: bool, end: bool, by_id: bool) -> _Statement:
    kind = tb.stored(name)
    c = kind.table.c
    statement = select(*(c[n] for n in kind.rows.read)).where(*_where(kind, start, end, by_id))
    if not kind.sort_here:
        statement = statement.order_by(*(c[n] for n in KINDS[name].order))
    return _compile(statement)


@cache
def _select_children(child: str, start: bool, end: bool, by_id: bool) -> _Statement:
    """The dose steps or side effects of the trials a listing picks, in each trial's order."""
    rows = tb.ROWS[child]
    c = rows.table.c
    statement = select(*(c[n] for n in rows.read))
    conds = _where(tb.stored("trials"), start, end, by_id)
    if conds:
        statement = statement.where(c.trial_id.in_(select(tb.trials.c.id).where(and_(*conds))))
    return _compile(statement.order_by(*(c[n] for n in rows.order)))


@cache
def _insert(table: str, replace: bool = False) -> _Statement:
    rows = tb.ROWS[table]
    statement = insert(rows.table)
    if replace:  # the profile and the settings are one row each (id 1); a record has at most one author
        statement = statement.prefix_with("OR REPLACE")
    compiled = _compile(statement, column_keys=list(rows.write))
    assert compiled.names == rows.write, f"{table}: rows are written in the table's column order"
    return compiled


@cache
def _delete(table: str, column: str) -> _Statement:
    t = tb.ROWS[table].table
    return _compile(delete(t).where(t.c[column] == bindparam("id")))


@cache
def _ids(table: str, by_id: bool) -> _Statement:
    t = tb.ROWS[table].table
    statement = select(t.c.id)
    return _compile(statement.where(t.c.id == bindparam("id")) if by_id else statement)


@cache
def _count(table: str) -> _Statement:
    return _compile(select(func.count()).select_from(tb.ROWS[table].table))


@cache
def _one_row(table: str) -> _Statement:
    """The profile's or the settings' one row (id 1)."""
    rows = tb.ROWS[table]
    c = rows.table.c
    return _compile(select(*(c[n] for n in rows.read)).where(c.id == 1))


@cache
def _select_authors(by_record: bool) -> _Statement:
    c = tb.entries_by.c
    statement = select(c.record, c.author)
    return _compile(statement.where(c.record == bindparam("id")) if by_record else statement.order_by(c.record))


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
    stored = tb.stored(kind)
    rows = _run(conn, _select(kind, start, end, by_id), **given)
    if stored.sort_here:
        read_columns = stored.rows.read
        rows.sort(key=itemgetter(*(read_columns.index(c) for c in KINDS[kind].order)))
    if kind != "trials":
        return stored.rows.from_rows(rows)
    if not rows:
        return []
    # Each trial's steps and side effects: one query each for all the listed trials, grouped here.
    doses = _children(conn, "dose_steps", _select_children("dose_steps", start, end, by_id), given)
    effects = _children(conn, "side_effects", _select_children("side_effects", start, end, by_id), given)
    return tb.trials_from_rows(rows, doses, effects)


def _children(conn: Connection, child: str, statement: _Statement, given: dict[str, Any]) -> dict[str, tuple]:
    grouped: dict[str, list] = {}
    for row in _run(conn, statement, **given):
        grouped.setdefault(row[0], []).append(row)
    build = tb.ROWS[child].from_rows
    return {trial: tuple(build(rows)) for trial, rows in grouped.items()}


def held(conn: Connection, kind: str, record_id: str) -> bool:
    """Whether the journal holds a record of `kind` with this id."""
    return bool(_run(conn, _ids(kind, True), id=record_id))


def held_anywhere(conn: Connection, record_id: str) -> bool:
    """Whether any record of any kind has this id."""
    return any(held(conn, kind, record_id) for kind in tb.STORED)


def ids(conn: Connection, kind: str) -> set[str]:
    """Every id of `kind` the journal holds."""
    return {row[0] for row in _run(conn, _ids(kind, False))}


def count(conn: Connection, kind: str) -> int:
    return _run(conn, _count(kind))[0][0]


def insert_records(conn: Connection, kind: str, records: Sequence[Any]) -> None:
    """Store records already checked: one executemany per table (a trial's steps and side effects too)."""
    many = tb.ROWS[kind].many
    if many is not None:
        rows = many(records)
    else:
        values = _values(kind)
        rows = [values(record) for record in records]
    _run_many(conn, _insert(kind), rows)
    if kind == "trials":
        doses, effects = tb.trial_child_values(records)
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
    return tb.ROWS["entries_by"].from_rows(_run(conn, _select_authors(False)))


# ---------------------------------------------------------------------------- profile and settings


def profile(conn: Connection) -> r.Profile:
    found = tb.ROWS["profile"].from_rows(_run(conn, _one_row("profile")))
    return found[0] if found else r.Profile()


def write_profile(conn: Connection, value: r.Profile) -> None:
    _run_many(conn, _insert("profile", replace=True), [_values("profile")(value)])


def settings(conn: Connection) -> r.Settings:
    found = tb.ROWS["settings"].from_rows(_run(conn, _one_row("settings")))
    return found[0] if found else r.Settings()


def write_settings(conn: Connection, value: r.Settings) -> None:
    _run_many(conn, _insert("settings", replace=True), [_values("settings")(value)])
