"""The journal as the window and the command line see it: plain records read and changed (`journal.opening` opens it)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from journal import kinds, rules
from journal import records as r
from journal.errors import JournalError, JournalLockedError, NotFoundError, Problem, ValidationError
from journal.kinds import Kind
from journal.safekeeping.locking import JournalLock
from journal.storage import store
from journal.storage.connection import Connection, Database

__all__ = ["Journal", "Change", "RecordManager", "KINDS"]

# The record kinds a journal holds, in the order it stores and lists them (journal.kinds).
KINDS = kinds.KIND_NAMES
_Kind = Kind  # the name the record checks below were written with

R = TypeVar("R")
_QUESTION_CHOICES = ("added", "dismissed")


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


def _new_id(kind: Kind, taken: Callable[[str], bool]) -> str:
    while True:
        candidate = f"{kind.prefix}-{secrets.token_hex(3)}"
        if not taken(candidate):
            return candidate


# The rules a record follows live in journal.rules (the forms, the file reader and the command line ask
# them too); the journal asks them before it stores anything.
_plainly_storable = rules.plainly_storable
_storable_problems = rules.storable_problems


def _author_problems(author: Any, where: str = "author") -> list[Problem]:
    """What is wrong with a caregiver's name (None, the journal's owner, is always right)."""
    if author is None:
        return []
    if not isinstance(author, str) or not author.strip():
        return [Problem(where, "must be a name, or empty for the journal's owner")]
    return _storable_problems(author, where)


def _validate(kind: str, record: Any) -> list[Problem]:
    """What keeps `record` out of the journal: the rules' problems and what SQLite cannot hold."""
    return rules.journal_problems(record)


def _check_record_type(kind: _Kind, record: Any) -> None:
    rules.check_record_type(kind.name, kind.record, record)


class RecordManager(Generic[R]):
    """One kind of record in one journal: list, get, add, update, delete."""

    def __init__(self, journal: Journal, kind: str):
        self._journal = journal
        self._kind = kinds.kind(kind)

    @property
    def kind(self) -> str:
        return self._kind.name

    def list(self, start: date | None = None, end: date | None = None) -> list[R]:
        """Records overlapping `start`..`end` (both included; None leaves that side open), by date then id."""
        with self._journal._connection() as conn:
            return store.read(conn, self._kind.name, start, end)

    def get(self, record_id: str) -> R:
        """The record with this id; NotFoundError if the journal holds none."""
        with self._journal._connection() as conn:
            return self._load(conn, record_id)

    def count(self) -> int:
        with self._journal._connection() as conn:
            return store.count(conn, self._kind.name)

    def _load(self, conn: Connection, record_id: str) -> Any:
        found = store.read_one(conn, self._kind.name, record_id)
        if found is None:
            raise NotFoundError(f"The journal holds no {self._kind.singular} with id {record_id!r}.")
        return found

    def add(self, record: R, *, author: str | None = None) -> Change:
        """Store a new record (an empty id gets a fresh one); ValidationError names each wrong field.

        `author` marks it as entered by a caregiver, in the same transaction: the record and
        who entered it are stored together or not at all.
        """
        return self._add(record, author)

    def _add(self, record: Any, author: str | None) -> Change:
        kind = self._kind
        _check_record_type(kind, record)
        with self._journal._connection() as conn:
            if record.id == "":
                record = r.replace(record, id=_new_id(kind, lambda i: store.held(conn, kind.name, i)))
            problems = _validate(kind.name, record) + _author_problems(author)
            if store.held(conn, kind.name, record.id):
                problems.append(Problem("id", "the journal already holds a record with this id"))
            if problems:
                raise ValidationError(problems)
            store.insert_records(conn, kind.name, [record])
            if author is not None:
                store.set_author(conn, record.id, author.strip())
            conn.commit()
            return Change(kind.name, "added", self._load(conn, record.id), author=author and author.strip())

    def update(self, record: R) -> Change:
        """Replace the stored record that has this id; NotFoundError if there is none."""
        return self._update(record)

    def _update(self, record: Any) -> Change:
        kind = self._kind
        _check_record_type(kind, record)
        problems = _validate(kind.name, record)
        with self._journal._connection() as conn:
            self._load(conn, record.id)
            if problems:
                raise ValidationError(problems)
            # Replacing the row outright keeps one code path with add.
            store.remove(conn, kind.name, record.id)
            store.insert_records(conn, kind.name, [record])
            conn.commit()
            return Change(kind.name, "updated", self._load(conn, record.id))

    def delete(self, record_id: str) -> Change:
        """Remove a record; the Change holds it (and its author) so undo can put it back."""
        kind = self._kind
        with self._journal._connection() as conn:
            old = self._load(conn, record_id)
            author = store.author(conn, record_id)
            store.remove(conn, kind.name, record_id)
            if author is not None and not store.held_anywhere(conn, record_id):
                store.set_author(conn, record_id, None)
            conn.commit()
            return Change(kind.name, "deleted", old, author=author)


class Journal:
    """An open journal file (made by `journal.opening`). Every method is one action in its own transaction, returning plain records."""

    episodes: RecordManager[r.Episode]
    trials: RecordManager[r.Trial]
    scores: RecordManager[r.ScaleScore]
    checkins: RecordManager[r.DailyCheckIn]
    labs: RecordManager[r.Lab]
    conditions: RecordManager[r.Condition]
    sessions: RecordManager[r.Session]
    notes: RecordManager[r.Note]
    therapies: RecordManager[r.Therapy]

    def __init__(self, path: Path, database: Database, lock: JournalLock | None = None, *, own_lock: bool = False):
        self._path = path
        self._database: Database | None = database
        self._lock = lock
        self._own_lock = own_lock
        self._driver_error = database.error
        self._driver_integrity_error = database.integrity_error
        for kind in KINDS:
            setattr(self, kind, RecordManager(self, kind))

    # ------------------------------------------------------------------ closing (journal.opening opens)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def closed(self) -> bool:
        return self._database is None

    def close(self) -> None:
        """Let go of the file; the last connection to close folds the write-ahead log back into it."""
        if self._database is not None:
            self._database.dispose()
            self._database = None
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
        if self._database is None:
            raise JournalError("This journal is closed (locked); open it again to go on.")
        try:
            with self._database.connect() as conn:
                yield conn
        except self._driver_error as exc:  # from the reads and writes of journal.storage.store
            if isinstance(exc, self._driver_integrity_error):
                raise JournalError(f"The journal refused the change: {exc}") from None
            raise database_error(self._path, exc) from None

    # ------------------------------------------------------------------ profile, settings, authors

    def profile(self) -> r.Profile:
        with self._connection() as conn:
            return store.profile(conn)

    def set_profile(self, profile: r.Profile) -> r.Profile:
        """Replace the profile; the display name and birth year are both optional."""
        problems = _profile_problems(profile)
        if problems:
            raise ValidationError(problems)
        with self._connection() as conn:
            store.write_profile(conn, profile)
            conn.commit()
        return profile

    def settings(self) -> r.Settings:
        with self._connection() as conn:
            return store.settings(conn)

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
        new = r.replace(store.settings(conn), **changes)
        store.write_settings(conn, new)
        return new

    def set_author(self, record_id: str, author: str | None) -> None:
        """Mark a record as entered by `author` (caregiver mode), or by the owner again with None."""
        problems = _author_problems(author)
        if problems:
            raise ValidationError(problems)
        with self._connection() as conn:
            if not store.held_anywhere(conn, record_id):
                raise NotFoundError(f"The journal holds no record with id {record_id!r}.")
            store.set_author(conn, record_id, None if author is None else author.strip())
            conn.commit()

    def author_of(self, record_id: str) -> str | None:
        with self._connection() as conn:
            return store.author(conn, record_id)

    # ------------------------------------------------------------------ what the journal remembers about itself

    def state(self) -> r.JournalState:
        """The journal's own state; its random id is made the first time it is asked for."""
        with self._connection() as conn:
            state = self._state(conn)
            conn.commit()
            return state

    def _state(self, conn: Connection) -> r.JournalState:
        state = store.state(conn)
        if state.journal_id is None:
            # A journal made by this version gets its id here, once; an upgraded one got it in revision 0003.
            state = r.replace(state, journal_id=str(uuid.uuid4()))
            store.write_state(conn, state)
        return state

    def choose_question(self, choice: r.QuestionChoice) -> None:
        """Remember that the person added a suggested question to their notes or dismissed it (replaces an earlier choice for it)."""
        if choice.choice not in _QUESTION_CHOICES:
            raise ValidationError([Problem("choice", f"must be one of {', '.join(_QUESTION_CHOICES)}, got {choice.choice!r}")])
        if not choice.key.strip():
            raise ValidationError([Problem("key", "a suggested question needs its key")])
        with self._connection() as conn:
            state = self._state(conn)
            kept = tuple(c for c in state.question_choices if c.key != choice.key)
            store.write_state(conn, r.replace(state, question_choices=(*kept, choice)))
            conn.commit()

    def forget_question(self, key: str) -> None:
        """Forget what the person chose for a suggested question (undoing the choice): it is suggested again while it applies."""
        with self._connection() as conn:
            state = self._state(conn)
            store.write_state(conn, r.replace(state, question_choices=tuple(c for c in state.question_choices if c.key != key)))
            conn.commit()

    def report_made(self, on: date) -> None:
        """Remember the day an appointment report was made: the next report's questions start after it."""
        with self._connection() as conn:
            store.write_state(conn, r.replace(self._state(conn), last_report=on))
            conn.commit()

    # ------------------------------------------------------------------ sync through a folder

    def sync_state(self) -> dict:
        """What the journal remembers of its sync through a folder (journal.syncing): an empty dict before the first sync."""
        with self._connection() as conn:
            return store.sync_state(conn)

    def write_sync_state(self, state: dict) -> None:
        """Remember `state` as the journal's sync state (a JSON-ready dict)."""
        with self._connection() as conn:
            store.write_sync_state(conn, state)
            conn.commit()

    def apply_sync(
        self,
        upserts: Mapping[str, Iterable[Any]],
        deletes: Mapping[str, Iterable[str]],
        settings: r.Settings | None = None,
        profile: r.Profile | None = None,
        *,
        sync_state: dict | None = None,
        authors: Mapping[str, str | None] | None = None,
    ) -> None:
        """Store what a sync brought from other computers, in one transaction: all of it, or (on any problem) nothing.

        `upserts` (by kind) replace the records with their ids or add them; `deletes` (by kind)
        take records out (ids not held are passed over); `settings` and `profile` replace the
        journal's whole; `sync_state`, given, is remembered in the same transaction, so what the
        journal holds and what it remembers of the sync never part. `authors`, by record id, says
        who entered each upserted record in caregiver mode (None: the journal's owner).
        """
        problems: list[Problem] = []
        batches = {name: list(records) for name, records in upserts.items()}
        for name, batch in batches.items():
            if name not in KINDS:
                raise ValueError(f"unknown record kind {name!r}")
            kind = kinds.kind(name)
            for record in batch:
                _check_record_type(kind, record)
                problems += [Problem(f"{name}[{record.id}].{p.field}" if p.field else f"{name}[{record.id}]", p.message)
                             for p in _validate(name, record)]
        if profile is not None:
            problems += [Problem(f"profile.{p.field}", p.message) for p in _profile_problems(profile)]
        for record_id, author in (authors or {}).items():
            problems += _author_problems(author, f"entries_by[{record_id}].author")
        if problems:
            raise ValidationError(problems)
        with self._connection() as conn:
            _remove_all(conn, deletes)
            for name, batch in batches.items():
                for record in batch:
                    store.remove(conn, name, record.id)
                store.insert_records(conn, name, batch)
            for record_id, author in (authors or {}).items():
                store.set_author(conn, record_id, None if author is None else author.strip())
            if settings is not None:
                store.write_settings(conn, settings)
            if profile is not None:
                store.write_profile(conn, profile)
            if sync_state is not None:
                store.write_sync_state(conn, sync_state)
            conn.commit()

    # ------------------------------------------------------------------ everything at once

    def counts(self) -> dict[str, int]:
        """How many records of each kind the journal holds."""
        with self._connection() as conn:
            return {name: store.count(conn, name) for name in KINDS}

    def remove_records(self, ids: Mapping[str, Iterable[str]]) -> None:
        """Take out many records at once, by kind, in one transaction (undoing an import); ids not held are passed over.

        Who entered each (caregiver mode) goes with it.
        """
        with self._connection() as conn:
            _remove_all(conn, ids)
            conn.commit()

    def ids(self) -> dict[str, set[str]]:
        """Every id held, by kind (what the importer checks a file against)."""
        with self._connection() as conn:
            return {name: store.ids(conn, name) for name in KINDS}

    def contents(self) -> r.JournalContents:
        """Everything the journal holds, each list sorted by date (or start) then id."""
        with self._connection() as conn:
            lists = {name: tuple(store.read(conn, name)) for name in KINDS}
            contents = r.JournalContents(
                profile=store.profile(conn),
                settings=store.settings(conn),
                entries_by=tuple(store.entries_by(conn)),
                state=self._state(conn),
                **lists,
            )
            conn.commit()  # a new journal's id, made just now, is kept
            return contents

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
            held = {name: store.ids(conn, name) for name in KINDS}
            batches = {
                name: _import_batch(contents, kinds.kind(name), held[name], validated, today, problems) for name in KINDS
            }
            every_id = set().union(*held.values(), *({rec.id for rec in batch} for batch in batches.values()))
            authors = _import_authors(contents.entries_by, every_id, problems)
            if problems:
                raise ValidationError(problems)

            for name, batch in batches.items():
                store.insert_records(conn, name, batch)
            # A record's earlier author (if any) gives way to the file's.
            store.set_authors(conn, authors.items())
            if settings_changes:
                self._write_settings(conn, settings_changes)
            given = {k: v for k, v in vars(contents.profile).items() if v is not None}
            if given:
                store.write_profile(conn, r.replace(store.profile(conn), **given))
            conn.commit()


def _remove_all(conn: Connection, ids: Mapping[str, Iterable[str]]) -> None:
    """Take out the records named, by kind, and who entered each; ids not held are passed over (within the caller's transaction)."""
    for name, wanted in ids.items():
        if name not in KINDS:
            raise ValueError(f"unknown record kind {name!r}")
        for record_id in wanted:
            store.remove(conn, name, record_id)
            store.set_author(conn, record_id, None)


def _import_batch(
    contents: r.JournalContents, kind: Kind, taken: set[str], validated: bool, today: date, problems: list[Problem]
) -> list:
    """The records of one kind to import, each given an id when it has none; what is wrong goes to `problems`."""
    records = getattr(contents, kind.name)
    if validated:
        quick = _checked_batch(records, kind.record, taken, today)
        if quick is not None:
            return quick
    name = kind.name
    seen: set[str] = set()
    batch: list = []
    exact = kind.record
    for record in records:
        if type(record) is not exact:  # the check itself only for what may be another class
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
    return batch


def _checked_batch(records: tuple, exact: type, taken: set[str], today: date) -> list | None:
    """The records of a checked file's list as they are, when `_import_batch` would find nothing to say of any; None to go one by one.

    Thousands of check-ins in a long journal: each of their ids is new and distinct, and (as
    `_import_batch` says) a check-in's date is all that can still be off, so the list is looked
    at whole. Any doubt sends the list to the walk, which names each problem.
    """
    ids = {record.id for record in records}
    if len(ids) != len(records) or "" in ids or not taken.isdisjoint(ids):
        return None
    if any(type(record) is not exact for record in records):
        return None
    if exact is r.DailyCheckIn:
        if any(record.date > today for record in records):
            return None
    elif not all(_plainly_storable(record, today) for record in records):
        return None
    return list(records)


def _import_authors(entries: tuple[r.EntryBy, ...], every_id: set[str], problems: list[Problem]) -> dict[str, str]:
    """Who entered which imported record, by record id; what is wrong goes to `problems`."""
    authors: dict[str, str] = {}
    for i, entry in enumerate(entries):
        where = f"entries_by[{i}]"
        if entry.record not in every_id:
            problems.append(Problem(f"{where}.record", f"no record has the id {entry.record!r}"))
        elif not isinstance(entry.author, str) or not entry.author.strip():
            problems.append(Problem(f"{where}.author", "must be a name"))
        elif _storable_problems(entry.author):
            problems += _storable_problems(entry.author, f"{where}.author")
        else:
            authors[entry.record] = entry.author.strip()
    return authors


# ---------------------------------------------------------------------- checks of the journal's own values


def _settings_problems(changes: dict[str, Any]) -> list[Problem]:
    from journal.rules import settings_problems

    return settings_problems(changes)


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


def database_error(path: Path, exc: BaseException | None) -> JournalError:
    """The database driver's error `exc` in plain words (for `journal.opening` too)."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return JournalLockedError(f"The journal at {path} is busy in another window or program; close it there first.")
    if "full" in text:
        return JournalError(f"The disk holding {path} is full: nothing was changed. Free some space and try again.")
    if "readonly" in text or "read-only" in text:
        return JournalError(f"The journal at {path} cannot be written (read-only): nothing was changed.")
    return JournalError(f"The journal at {path} could not be read or written: {text}")
