"""The journal as the window and the command line see it: open a file, then read and change plain records."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from journal import records as r
from journal.storage import rows as tb
from journal import rules, storage
from journal.errors import JournalError, JournalLockedError, NotFoundError, Problem, ValidationError
from journal.safekeeping.locking import JournalLock

__all__ = ["Journal", "Change", "RecordManager", "KINDS"]

KINDS = ("episodes", "trials", "scores", "checkins", "labs", "conditions", "sessions", "notes")

R = TypeVar("R")


@dataclass(frozen=True)
class Change:
    """What one action did, so the window refreshes only that and can undo it.

    `record` is the stored record (for a delete, the one removed, so undo can add it back);
    `author` is who entered it in caregiver mode, so that undoing a delete can restore it too.
    """

    kind: str
    action: str  # "added" | "updated" | "deleted"
    record: Any
    author: str | None = None


@dataclass(frozen=True)
class _Kind:
    """How one record kind is stored, listed and named."""

    name: str
    table: type[tb.Table]
    record: type
    prefix: str  # fresh ids read like "t-3f9a2c"; the prefix keeps ids unique across kinds too
    singular: str
    order: tuple[str, ...]  # columns to sort by: date first, then id
    # Kinds whose sort columns are never empty and are read by `table.from_row` are sorted here, by
    # the stored text, after a plain read: SQLite would walk the date index row by row and then
    # sort each day's ids apart, a third slower for the thousands of daily check-ins. Stored
    # dates are ISO text and SQLite compares text by its UTF-8 bytes, in code point order as
    # Python does, so the order is the same.
    sort_here: bool = False


def _kinds() -> dict[str, _Kind]:
    return {
        "episodes": _Kind("episodes", tb.EpisodeTable, r.Episode, "e", "episode", ("start", "id"), sort_here=True),
        "trials": _Kind("trials", tb.TrialTable, r.Trial, "t", "trial", ("start", "id")),
        "scores": _Kind("scores", tb.ScoreTable, r.ScaleScore, "s", "score", ("date", "id"), sort_here=True),
        "checkins": _Kind(
            "checkins", tb.CheckInTable, r.DailyCheckIn, "d", "check-in", ("date", "id"), sort_here=True
        ),
        "labs": _Kind("labs", tb.LabTable, r.Lab, "l", "lab result", ("date", "id"), sort_here=True),
        "conditions": _Kind("conditions", tb.ConditionTable, r.Condition, "c", "condition", ("since", "id")),
        # Same-day sessions follow their time as written, then id, so the order never wobbles.
        "sessions": _Kind("sessions", tb.SessionTable, r.Session, "k", "session", ("day", "at", "id")),
        "notes": _Kind("notes", tb.NoteTable, r.Note, "n", "note", ("date", "id"), sort_here=True),
    }


_KINDS = _kinds()


def _bind_day(value: date) -> str:
    """A date as the journal stores it (what SQLAlchemy's SQLite Date type writes, so comparisons match)."""
    if not isinstance(value, date):
        raise TypeError(f"a date is needed here, not {type(value).__name__}")
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _range_filter(kind: _Kind, start: date | None, end: date | None) -> tuple[list[str], list[str]]:
    """SQL conditions (and their parameters) for "overlaps start..end, both ends included" for this kind."""
    t = f'"{kind.table.NAME}"'
    conds: list[str] = []
    params: list[str] = []
    if kind.name in ("episodes", "trials"):
        # A span from its start to its end, or on and on while ongoing.
        if end is not None:
            conds.append(f'{t}."start" <= ?')
            params.append(_bind_day(end))
        if start is not None:
            conds.append(f'({t}."end" IS NULL OR {t}."end" >= ?)')
            params.append(_bind_day(start))
    elif kind.name == "conditions":
        # A condition holds from `since` on; one with no `since` is always part of the picture.
        if end is not None:
            conds.append(f'({t}."since" IS NULL OR {t}."since" <= ?)')
            params.append(_bind_day(end))
    else:
        column = f'{t}."day"' if kind.name == "sessions" else f'{t}."date"'
        if start is not None:
            conds.append(f"{column} >= ?")
            params.append(_bind_day(start))
        if end is not None:
            conds.append(f"{column} <= ?")
            params.append(_bind_day(end))
    return conds, params


def _rows(conn: Connection, sql: str, params: tuple | list = ()) -> list[tuple]:
    """Run one statement with the driver's own cursor, in the connection's transaction; its rows as tuples.

    No ORM object and no SQLAlchemy row per row (nine tenths of the time of listing a long
    journal); Journal._connection turns the driver's own errors into JournalErrors.
    """
    if not conn.in_transaction():
        conn.begin()  # the engine's begin hook sends BEGIN: each facade call is one real transaction
    return conn.connection.driver_connection.execute(sql, tuple(params)).fetchall()


def _write(conn: Connection, sql: str, rows: list[tuple]) -> None:
    """Many rows with one statement (executemany), in the connection's transaction."""
    if rows:
        conn.exec_driver_sql(sql, rows)


def _read(conn: Connection, kind: _Kind, conds: list[str] = [], params: tuple | list = ()) -> list:  # noqa: B006
    """The records of this kind matching every SQL condition in `conds`, by date then id."""
    where = f" WHERE {' AND '.join(conds)}" if conds else ""
    table = kind.table
    if kind.sort_here:
        rows = _rows(conn, f"{table.select_sql()}{where}", params)
        rows.sort(key=itemgetter(*(table.COLUMNS.index(c) for c in kind.order)))
    else:
        order = ", ".join(f'"{c}"' for c in kind.order)
        rows = _rows(conn, f"{table.select_sql()}{where} ORDER BY {order}", params)
    if kind.name != "trials":
        build = table.from_row
        return [build(row) for row in rows]
    if not rows:
        return []
    # Each trial's steps and side effects: one query each for all the listed trials, grouped here.
    picked = f' WHERE "trial_id" IN (SELECT "id" FROM "trials"{where})' if conds else ""
    doses = _children(conn, tb.DoseStepTable, picked, params)
    effects = _children(conn, tb.SideEffectTable, picked, params)
    return [tb.TrialTable.from_row(row, doses.get(row[0], ()), effects.get(row[0], ())) for row in rows]


def _children(conn: Connection, table: type[tb.Table], where: str, params: tuple | list) -> dict[str, tuple]:
    grouped: dict[str, list] = {}
    build = table.from_row
    for child in _rows(conn, f"{table.select_sql()}{where} ORDER BY {table.ORDER}", params):
        grouped.setdefault(child[0], []).append(build(child))
    return {trial: tuple(items) for trial, items in grouped.items()}


def _held(conn: Connection, kind: _Kind, record_id: str) -> bool:
    return bool(_rows(conn, f'SELECT 1 FROM "{kind.table.NAME}" WHERE "id" = ?', (record_id,)))


def _author(conn: Connection, record_id: str) -> str | None:
    found = _rows(conn, 'SELECT "author" FROM "entries_by" WHERE "record" = ?', (record_id,))
    return found[0][0] if found else None


def _forget_author(conn: Connection, record_id: str) -> None:
    _rows(conn, 'DELETE FROM "entries_by" WHERE "record" = ?', (record_id,))


def _new_id(kind: _Kind, taken: Callable[[str], bool]) -> str:
    while True:
        candidate = f"{kind.prefix}-{secrets.token_hex(3)}"
        if not taken(candidate):
            return candidate


# The rules a record follows live in journal.rules (the forms, the file reader and the command line ask
# them too); the journal asks them before it stores anything.
_plainly_storable = rules.plainly_storable
_storable_problems = rules.storable_problems


def _validate(kind: str, record: Any) -> list[Problem]:
    """What keeps `record` out of the journal: the rules' problems and what SQLite cannot hold."""
    return rules.journal_problems(record)


def _check_record_type(kind: _Kind, record: Any) -> None:
    rules.check_record_type(kind.name, kind.record, record)


class RecordManager(Generic[R]):
    """One kind of record in one journal: list, get, add, update, delete."""

    def __init__(self, journal: Journal, kind: str):
        self._journal = journal
        self._kind = _KINDS[kind]

    @property
    def kind(self) -> str:
        return self._kind.name

    def list(self, start: date | None = None, end: date | None = None) -> list[R]:
        """Records overlapping `start`..`end` (both included; None leaves that side open), by date then id."""
        conds, params = _range_filter(self._kind, start, end)
        with self._journal._connection() as conn:
            return _read(conn, self._kind, conds, params)

    def get(self, record_id: str) -> R:
        """The record with this id; NotFoundError if the journal holds none."""
        with self._journal._connection() as conn:
            return self._load(conn, record_id)

    def count(self) -> int:
        with self._journal._connection() as conn:
            return _rows(conn, f'SELECT count(*) FROM "{self._kind.table.NAME}"')[0][0]

    def _load(self, conn: Connection, record_id: str) -> Any:
        found = _read(conn, self._kind, [f'"{self._kind.table.NAME}"."id" = ?'], (record_id,))
        if not found:
            raise NotFoundError(f"The journal holds no {self._kind.singular} with id {record_id!r}.")
        return found[0]

    def add(self, record: R) -> Change:
        """Store a new record (an empty id gets a fresh one); ValidationError names each wrong field."""
        kind = self._kind
        _check_record_type(kind, record)
        with self._journal._connection() as conn:
            if record.id == "":
                record = r.replace(record, id=_new_id(kind, lambda i: _held(conn, kind, i)))
            problems = _validate(kind.name, record)
            if _held(conn, kind, record.id):
                problems.append(Problem("id", "the journal already holds a record with this id"))
            if problems:
                raise ValidationError(problems)
            self._insert(conn, [record])
            conn.commit()
            return Change(kind.name, "added", self._load(conn, record.id))

    def _insert(self, conn: Connection, records: list) -> None:
        # The rows are already checked and in stored form: one executemany per table.
        table = self._kind.table
        _write(conn, table.insert_sql(), [table.values(rec) for rec in records])
        if self._kind.name == "trials":
            doses: list[tuple] = []
            effects: list[tuple] = []
            for rec in records:
                d, e = tb.TrialTable.child_values(rec)
                doses.extend(d)
                effects.extend(e)
            _write(conn, tb.DoseStepTable.insert_sql(), doses)
            _write(conn, tb.SideEffectTable.insert_sql(), effects)

    def _remove(self, conn: Connection, record_id: str) -> None:
        # Its dose steps and side effects go with it (ON DELETE CASCADE).
        _rows(conn, f'DELETE FROM "{self._kind.table.NAME}" WHERE "id" = ?', (record_id,))

    def update(self, record: R) -> Change:
        """Replace the stored record that has this id; NotFoundError if there is none."""
        kind = self._kind
        _check_record_type(kind, record)
        problems = _validate(kind.name, record)
        with self._journal._connection() as conn:
            self._load(conn, record.id)
            if problems:
                raise ValidationError(problems)
            # Replacing the row outright keeps one code path with add.
            self._remove(conn, record.id)
            self._insert(conn, [record])
            conn.commit()
            return Change(kind.name, "updated", self._load(conn, record.id))

    def delete(self, record_id: str) -> Change:
        """Remove a record; the Change holds it (and its author) so undo can put it back."""
        kind = self._kind
        with self._journal._connection() as conn:
            old = self._load(conn, record_id)
            author = _author(conn, record_id)
            self._remove(conn, record_id)
            if author is not None and not self._journal._id_held(conn, record_id):
                _forget_author(conn, record_id)
            conn.commit()
            return Change(kind.name, "deleted", old, author=author)


class Journal:
    """An open journal file. Every method is one action in its own transaction, returning plain records."""

    episodes: RecordManager[r.Episode]
    trials: RecordManager[r.Trial]
    scores: RecordManager[r.ScaleScore]
    checkins: RecordManager[r.DailyCheckIn]
    labs: RecordManager[r.Lab]
    conditions: RecordManager[r.Condition]
    sessions: RecordManager[r.Session]
    notes: RecordManager[r.Note]

    def __init__(self, path: Path, engine: Engine, lock: JournalLock | None = None, *, own_lock: bool = False):
        self._path = path
        self._engine: Engine | None = engine
        self._lock = lock
        self._own_lock = own_lock
        self._driver_error = engine.dialect.loaded_dbapi.Error
        self._driver_integrity_error = engine.dialect.loaded_dbapi.IntegrityError
        for kind in KINDS:
            setattr(self, kind, RecordManager(self, kind))

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = True, key: bytes | None = None, lock: JournalLock | None = None
    ) -> Journal:
        """Open the journal at `path`, making a new one there if it is missing and `create` is true.

        One writer only: the journal's lock (`journal.safekeeping.locking`) is taken first, or `lock`, one
        the caller already holds (then the caller lets go of it). Raises JournalLockedError
        (open elsewhere), JournalError (file not a journal, damaged, made by a newer version,
        no journal at PATH), WrongPassphraseError (key does not open it); the file is left as it was.
        """
        path = Path(path)
        if path.is_dir():
            raise JournalError(f"{path} is a folder, not a journal file.")
        if not path.exists() and not create:
            raise JournalError(f"There is no journal at {path}.")
        if not path.parent.exists() and create:
            storage.make_private_dir(path.parent)
        own_lock = lock is None
        lock = JournalLock(path) if own_lock else lock
        lock.acquire()
        try:
            journal = cls._open_locked(path, create=create, key=key, lock=lock)
        except BaseException:
            if own_lock:
                lock.discard()
            raise
        journal._own_lock = own_lock
        return journal

    @classmethod
    def _open_locked(cls, path: Path, *, create: bool, key: bytes | None, lock: JournalLock) -> Journal:
        made = False
        if not path.exists():
            if not create:
                raise JournalError(f"There is no journal at {path}.")
            try:
                storage.create_file(path)
            except OSError as exc:
                raise JournalError(f"A journal could not be made at {path}: {exc.strerror or exc}.") from None
            made = True
            try:
                lock.acquire()  # now that the file is there, lock the file itself too
            except BaseException:
                _remove_new_file(path)
                raise
        else:
            lock.acquire()  # the file may have been replaced since the lock was taken (a restore)
        try:
            engine = storage.make_engine(path, key)
        except BaseException:
            if made:
                _remove_new_file(path)
            raise
        try:
            revision = storage.current_revision(engine)
            if revision is None and not create:
                raise JournalError(f"There is no journal at {path}: the file is empty.")
            if revision is not None and revision != storage.head_revision():
                # An older schema: copy the file aside before touching it, and stop if that fails.
                engine.dispose()
                _backup_before_upgrade(path, key)
            if revision != storage.head_revision():
                storage.upgrade(engine)
        except BaseException as exc:
            engine.dispose()
            if made:
                # A half-made new journal would only confuse the next open; nothing of the person's is in it.
                _remove_new_file(path)
            if isinstance(exc, DBAPIError):
                raise _db_error(path, exc.orig) from None
            raise
        return cls(path, engine, lock)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def closed(self) -> bool:
        return self._engine is None

    def close(self) -> None:
        """Let go of the file; the last connection to close folds the write-ahead log back into it."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._own_lock and self._lock is not None:
            self._lock.discard()  # only after every connection is closed (see journal.safekeeping.locking)
        self._lock = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Journal {'closed' if self.closed else 'open'}>"

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A connection for one action; what it has not committed is rolled back when it ends."""
        if self._engine is None:
            raise JournalError("This journal is closed (locked); open it again to go on.")
        try:
            with self._engine.connect() as conn:
                yield conn
        except IntegrityError as exc:
            raise JournalError(f"The journal refused the change: {exc.orig}") from None
        except DBAPIError as exc:
            raise _db_error(self._path, exc.orig) from None
        except self._driver_error as exc:  # from the plain reads and writes of _rows
            if isinstance(exc, self._driver_integrity_error):
                raise JournalError(f"The journal refused the change: {exc}") from None
            raise _db_error(self._path, exc) from None

    # ------------------------------------------------------------------ profile, settings, authors

    def profile(self) -> r.Profile:
        with self._connection() as conn:
            return _profile(conn)

    def set_profile(self, profile: r.Profile) -> r.Profile:
        """Replace the profile; the display name and birth year are both optional."""
        problems = _profile_problems(profile)
        if problems:
            raise ValidationError(problems)
        with self._connection() as conn:
            _write(conn, _REPLACE_PROFILE, [tb.ProfileTable.values(profile)])
            conn.commit()
        return profile

    def settings(self) -> r.Settings:
        with self._connection() as conn:
            return _settings(conn)

    def update_settings(self, **changes: Any) -> r.Settings:
        """Change the named settings only (trd-rules.md); ValidationError names any wrong key or value."""
        problems = _settings_problems(changes)
        if problems:
            raise ValidationError(problems)
        with self._connection() as conn:
            settings = self._write_settings(conn, changes)
            conn.commit()
            return settings

    def _write_settings(self, conn: Connection, changes: dict[str, Any]) -> r.Settings:
        new = r.replace(_settings(conn), **changes)
        _write(conn, _REPLACE_SETTINGS, [tb.SettingsTable.values(new)])
        return new

    def set_author(self, record_id: str, author: str | None) -> None:
        """Mark a record as entered by `author` (caregiver mode), or by the owner again with None."""
        if author is not None and (not isinstance(author, str) or not author.strip()):
            raise ValidationError(Problem("author", "must be a name, or empty for the journal's owner"))
        if author is not None and _storable_problems(author, "author"):
            raise ValidationError(_storable_problems(author, "author"))
        with self._connection() as conn:
            if not self._id_held(conn, record_id):
                raise NotFoundError(f"The journal holds no record with id {record_id!r}.")
            if author is None:
                _forget_author(conn, record_id)
            else:
                _write(conn, _REPLACE_AUTHOR, [(record_id, author.strip())])
            conn.commit()

    def author_of(self, record_id: str) -> str | None:
        with self._connection() as conn:
            return _author(conn, record_id)

    def _id_held(self, conn: Connection, record_id: str) -> bool:
        return any(_held(conn, k, record_id) for k in _KINDS.values())

    # ------------------------------------------------------------------ everything at once

    def counts(self) -> dict[str, int]:
        """How many records of each kind the journal holds."""
        with self._connection() as conn:
            return {
                name: _rows(conn, f'SELECT count(*) FROM "{kind.table.NAME}"')[0][0] for name, kind in _KINDS.items()
            }

    def ids(self) -> dict[str, set[str]]:
        """Every id held, by kind (what the importer checks a file against)."""
        with self._connection() as conn:
            return {name: _ids(conn, kind) for name, kind in _KINDS.items()}

    def contents(self) -> r.JournalContents:
        """Everything the journal holds, each list sorted by date (or start) then id."""
        with self._connection() as conn:
            lists = {name: tuple(_read(conn, kind)) for name, kind in _KINDS.items()}
            entries = tuple(
                r.EntryBy(record=record, author=author)
                for record, author in _rows(conn, f'{tb.EntryByTable.select_sql()} ORDER BY "record"')
            )
            return r.JournalContents(profile=_profile(conn), settings=_settings(conn), entries_by=entries, **lists)

    def import_contents(
        self,
        contents: r.JournalContents,
        settings_changes: dict[str, Any] | None = None,
        *,
        validated: bool = False,
    ) -> None:
        """Add every record of `contents` in one transaction: all of it, or (on any problem) nothing.

        Ids the journal already holds are refused, each named (e.g. `trials[t1].id`). The
        profile's given fields replace the journal's; `settings_changes` change only the
        settings they name.

        `validated=True` says the records come straight from `journal.exchange.jsonfile.parse_contents`
        (`load_file`), which has applied every rule a record is checked by here: those rules are
        then not run a second time, except for a record dated after today (a file exported in a
        time zone already on the next day passes the file's check but not today's). Ids, authors,
        settings, the profile and what SQLite can store are checked either way.
        """
        settings_changes = dict(settings_changes or {})
        problems: list[Problem] = [Problem(f"settings.{p.field}", p.message) for p in _settings_problems(settings_changes)]
        problems += [Problem(f"profile.{p.field}", p.message) for p in _profile_problems(contents.profile)]
        today = date.today()
        with self._connection() as conn:
            held = {name: _ids(conn, kind) for name, kind in _KINDS.items()}
            every_id = set().union(*held.values())
            batches: dict[str, list] = {}
            for name, kind in _KINDS.items():
                seen: set[str] = set()
                batch: list = []
                taken = held[name]
                for record in getattr(contents, name):
                    _check_record_type(kind, record)
                    if record.id == "":
                        record = r.replace(record, id=_new_id(kind, lambda i: i in taken or i in seen))
                    rid = record.id
                    if rid in taken:
                        problems.append(Problem(f"{name}[{rid}].id", "the journal already holds a record with this id"))
                    elif rid in seen:
                        problems.append(Problem(f"{name}[{rid}].id", f"is given twice in {name}"))
                    # A check-in from the reader holds only small numbers and real text: its date is all
                    # that can still be off (thousands of them in a long journal, so the walk is skipped).
                    plain = (
                        record.date <= today if validated and type(record) is r.DailyCheckIn
                        else validated and _plainly_storable(record, today)
                    )
                    if not plain:
                        where = f"{name}[{rid}]"
                        for p in _validate(name, record):
                            problems.append(Problem(f"{where}.{p.field}" if p.field else where, p.message))
                    seen.add(rid)
                    batch.append(record)
                batches[name] = batch
                every_id |= seen
            authors: dict[str, str] = {}
            for i, entry in enumerate(contents.entries_by):
                where = f"entries_by[{i}]"
                if entry.record not in every_id:
                    problems.append(Problem(f"{where}.record", f"no record has the id {entry.record!r}"))
                elif not isinstance(entry.author, str) or not entry.author.strip():
                    problems.append(Problem(f"{where}.author", "must be a name"))
                elif _storable_problems(entry.author):
                    problems += _storable_problems(entry.author, f"{where}.author")
                else:
                    authors[entry.record] = entry.author.strip()
            if problems:
                raise ValidationError(problems)

            for name, batch in batches.items():
                getattr(self, name)._insert(conn, batch)
            # A record's earlier author (if any) gives way to the file's.
            _write(conn, _REPLACE_AUTHOR, list(authors.items()))
            if settings_changes:
                self._write_settings(conn, settings_changes)
            given = {k: v for k, v in vars(contents.profile).items() if v is not None}
            if given:
                new = r.replace(_profile(conn), **given)
                _write(conn, _REPLACE_PROFILE, [tb.ProfileTable.values(new)])
            conn.commit()


# The profile and the settings are one row each (id 1); a record has at most one author.
_REPLACE_PROFILE = tb.ProfileTable.insert_sql().replace("INSERT", "INSERT OR REPLACE", 1)
_REPLACE_SETTINGS = tb.SettingsTable.insert_sql().replace("INSERT", "INSERT OR REPLACE", 1)
_REPLACE_AUTHOR = tb.EntryByTable.insert_sql().replace("INSERT", "INSERT OR REPLACE", 1)


def _ids(conn: Connection, kind: _Kind) -> set[str]:
    return {row[0] for row in _rows(conn, f'SELECT "id" FROM "{kind.table.NAME}"')}


def _profile(conn: Connection) -> r.Profile:
    found = _rows(conn, f'{tb.ProfileTable.select_sql()} WHERE "id" = 1')
    return tb.ProfileTable.from_row(found[0]) if found else r.Profile()


def _settings(conn: Connection) -> r.Settings:
    found = _rows(conn, f'{tb.SettingsTable.select_sql()} WHERE "id" = 1')
    return tb.SettingsTable.from_row(found[0]) if found else r.Settings()


# ---------------------------------------------------------------------- checks of the journal's own values


def _settings_problems(changes: dict[str, Any]) -> list[Problem]:
    from journal.rules import SETTINGS_ALLOWED

    problems = []
    for key, value in changes.items():
        allowed = SETTINGS_ALLOWED.get(key)
        if allowed is None:
            problems.append(Problem(key, f"is not a setting (the settings are {', '.join(SETTINGS_ALLOWED)})"))
            continue
        if key == "count_augmentation":
            ok = isinstance(value, bool)
        else:
            ok = not isinstance(value, bool) and value in allowed
        if not ok:
            shown = ", ".join("true" if a is True else "false" if a is False else str(a) for a in allowed)
            problems.append(Problem(key, f"must be one of {shown}, got {value!r}"))
    return problems


def _profile_problems(profile: r.Profile) -> list[Problem]:
    problems = _storable_problems(profile)
    if profile.display_name is not None and not isinstance(profile.display_name, str):
        problems.append(Problem("display_name", "must be text"))
    elif profile.display_name is not None:
        from journal.limits import limit_for, too_long_message

        limit = limit_for("display_name")
        if len(profile.display_name) > limit.max_chars:
            problems.append(Problem("display_name", too_long_message(limit, len(profile.display_name))))
    year = profile.birth_year
    if year is not None:
        this_year = date.today().year
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= this_year:
            problems.append(Problem("birth_year", f"must be a year from 1900 to {this_year}, got {year!r}"))
    return problems


def _remove_new_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _backup_before_upgrade(path: Path, key: bytes | None) -> None:
    from journal.safekeeping.backups import BackupError, make_backup

    try:
        make_backup(path, key, "upgrade")
    except BackupError as exc:
        raise JournalError(
            f"The journal at {path} was made by an earlier version of Trial Journal and must be upgraded, "
            f"but the backup taken first could not be made, so it was left as it is. {exc}"
        ) from None


def _db_error(path: Path, exc: BaseException) -> JournalError:
    """The driver's error `exc` in plain words."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return JournalLockedError(f"The journal at {path} is busy in another window or program; close it there first.")
    if "full" in text:
        return JournalError(f"The disk holding {path} is full: nothing was changed. Free some space and try again.")
    if "readonly" in text or "read-only" in text:
        return JournalError(f"The journal at {path} cannot be written (read-only): nothing was changed.")
    return JournalError(f"The journal at {path} could not be read or written: {text}")
