"""Every statement the journal sends, written with SQLAlchemy Core from `journal.storage.tables`, and compiled ahead of time.

The statements are compiled to SQLite's SQL text here, once, and written into the generated
module `journal.storage.compiled`; `journal.storage.store` runs that text with the driver's
own cursor, so opening and using a journal never loads SQLAlchemy (25 MB and a wait at every
start). The Core tables stay the one description of the schema: a test recompiles every
statement from them and compares it with the generated module. After changing the schema or
a statement, write the module again with `python -m journal.storage.statements`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql import ClauseElement, ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler

from journal.kinds import KINDS
from journal.storage import tables as tb

__all__ = ["every_statement", "sort_columns", "sort_columns_may_be_empty", "render", "write", "COMPILED_PATH"]

COMPILED_PATH = Path(__file__).with_name("compiled.py")
_DIALECT = sqlite.dialect()

# One compiled statement: its SQL text, the names of its parameters in order, and the values
# written into the statement itself (the profile's id 1).
Compiled = tuple[str, tuple[str, ...], dict[str, Any]]


def _compile(statement: ClauseElement, **options: Any) -> Compiled:
    compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT, **options))
    names = tuple(compiled.positiontup or ())
    fixed = {name: compiled.binds[name].value for name in names if not compiled.binds[name].required}
    return str(compiled), names, fixed


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


def select_records(name: str, start: bool, end: bool, by_id: bool) -> Compiled:
    kind = tb.stored(name)
    c = kind.table.c
    statement = select(*(c[n] for n in kind.rows.read)).where(*_where(kind, start, end, by_id))
    if not kind.sort_here:
        statement = statement.order_by(*(c[n] for n in KINDS[name].order))
    return _compile(statement)


def select_children(child: str, start: bool, end: bool, by_id: bool) -> Compiled:
    """The dose steps or side effects of the trials a listing picks, in each trial's order."""
    rows = tb.ROWS[child]
    c = rows.table.c
    statement = select(*(c[n] for n in rows.read))
    conds = _where(tb.stored("trials"), start, end, by_id)
    if conds:
        statement = statement.where(c.trial_id.in_(select(tb.trials.c.id).where(and_(*conds))))
    return _compile(statement.order_by(*(c[n] for n in rows.order)))


def insert_rows(table: str, replace: bool = False) -> Compiled:
    rows = tb.ROWS[table]
    statement = insert(rows.table)
    if replace:  # the profile, the settings and the journal's state are one row each (id 1); a record has at most one author
        statement = statement.prefix_with("OR REPLACE")
    compiled = _compile(statement, column_keys=list(rows.write))
    assert compiled[1] == rows.write, f"{table}: rows are written in the table's column order"
    return compiled


def delete_rows(table: str, column: str) -> Compiled:
    t = tb.ROWS[table].table
    return _compile(delete(t).where(t.c[column] == bindparam("id")))


def select_ids(table: str, by_id: bool) -> Compiled:
    t = tb.ROWS[table].table
    statement = select(t.c.id)
    return _compile(statement.where(t.c.id == bindparam("id")) if by_id else statement)


def count_rows(table: str) -> Compiled:
    return _compile(select(func.count()).select_from(tb.ROWS[table].table))


def select_one_row(table: str) -> Compiled:
    """The profile's or the settings' one row (id 1)."""
    rows = tb.ROWS[table]
    c = rows.table.c
    return _compile(select(*(c[n] for n in rows.read)).where(c.id == 1))


def select_authors(by_record: bool) -> Compiled:
    c = tb.entries_by.c
    statement = select(c.record, c.author)
    return _compile(statement.where(c.record == bindparam("id")) if by_record else statement.order_by(c.record))


_FLAGS = (False, True)


def every_statement() -> Iterator[tuple[tuple, Compiled]]:
    """Each statement `journal.storage.store` sends, by the key it looks it up with."""
    for name in KINDS:
        for start in _FLAGS:
            for end in _FLAGS:
                for by_id in _FLAGS:
                    yield ("select", name, start, end, by_id), select_records(name, start, end, by_id)
                    if name == "trials":
                        for child in ("dose_steps", "side_effects"):
                            yield ("children", child, start, end, by_id), select_children(child, start, end, by_id)
        for by_id in _FLAGS:
            yield ("ids", name, by_id), select_ids(name, by_id)
        yield ("count", name), count_rows(name)
        yield ("delete", name, "id"), delete_rows(name, "id")
    for table in tb.ROWS:
        yield ("insert", table, False), insert_rows(table)
    for table in ("profile", "settings", "journal_state", "sync_state", "entries_by"):
        yield ("insert", table, True), insert_rows(table, replace=True)
        if table != "entries_by":
            yield ("one_row", table), select_one_row(table)
    yield ("delete", "entries_by", "record"), delete_rows("entries_by", "record")
    for by_record in _FLAGS:
        yield ("authors", by_record), select_authors(by_record)


def sort_columns() -> dict[str, tuple[int, ...]]:
    """For each kind sorted in Python after a plain read (tables.Stored.sort_here): where its sort columns are in a row."""
    return {
        name: tuple(kind.rows.read.index(c) for c in KINDS[name].order)
        for name, kind in tb.STORED.items()
        if kind.sort_here
    }


def sort_columns_may_be_empty() -> dict[str, tuple[int, ...]]:
    """Of those sort columns, the ones that may be empty (a score's or check-in's time): text sorted with empty first, as SQLite does."""
    found = {}
    for name, kind in tb.STORED.items():
        if not kind.sort_here:
            continue
        empty = tuple(kind.rows.read.index(c) for c in KINDS[name].order if kind.table.c[c].nullable)
        if empty:
            assert all(kind.table.c[kind.rows.read[i]].type.python_type is str for i in empty), f"{name}: only text sorts empty first"
            found[name] = empty
    return found


_HEADER = '''"""Every statement the journal sends, as SQLite SQL text: GENERATED from the Core tables, do not edit.

Written by `python -m journal.storage.statements` from journal/storage/statements.py and
journal/storage/tables.py; tests/journal/test_storage.py recompiles them and compares.
"""

# fmt: off
# ruff: noqa: E501

'''


def render() -> str:
    """The text of the generated module, compiled from the tables now."""
    lines = [_HEADER, "# key -> (SQL text, parameter names in order, values written into the statement)\n"]
    lines.append("STATEMENTS: dict[tuple, tuple[str, tuple[str, ...], dict]] = {\n")
    for key, (sql, names, fixed) in every_statement():
        lines.append(f"    {key!r}: ({sql!r}, {names!r}, {fixed!r}),\n")
    lines.append("}\n\n# kind -> where its sort columns are in a row it reads (the kinds sorted in Python)\n")
    lines.append(f"SORT_COLUMNS: dict[str, tuple[int, ...]] = {sort_columns()!r}\n")
    lines.append("# kind -> which of them may be empty (text, sorted with empty first)\n")
    lines.append(f"SORT_MAY_BE_EMPTY: dict[str, tuple[int, ...]] = {sort_columns_may_be_empty()!r}\n")
    return "".join(lines)


def write(path: Path = COMPILED_PATH) -> None:
    """Write the generated module again (after the schema or a statement changed)."""
    path.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    write()
