"""The journal as the window and the command line see it: open a file, then read and change plain records."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, delete, func, insert, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from journal import models as m
from journal import records as r
from journal import storage
from journal.errors import JournalError, JournalLockedError, NotFoundError, Problem, ValidationError

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
    row: type[m.Base]
    record: type
    prefix: str  # fresh ids read like "t-3f9a2c"; the prefix keeps ids unique across kinds too
    singular: str
    order: tuple  # columns to sort by: date first, then id


def _kinds() -> dict[str, _Kind]:
    return {
        "episodes": _Kind("episodes", m.EpisodeRow, r.Episode, "e", "episode", (m.EpisodeRow.start, m.EpisodeRow.id)),
        "trials": _Kind("trials", m.TrialRow, r.Trial, "t", "trial", (m.TrialRow.start, m.TrialRow.id)),
        "scores": _Kind("scores", m.ScoreRow, r.ScaleScore, "s", "score", (m.ScoreRow.date, m.ScoreRow.id)),
        "checkins": _Kind(
            "checkins", m.CheckInRow, r.DailyCheckIn, "d", "check-in", (m.CheckInRow.date, m.CheckInRow.id)
        ),
        "labs": _Kind("labs", m.LabRow, r.Lab, "l", "lab result", (m.LabRow.date, m.LabRow.id)),
        "conditions": _Kind(
            "conditions", m.ConditionRow, r.Condition, "c", "condition", (m.ConditionRow.since, m.ConditionRow.id)
        ),
        # Same-day sessions follow their time as written, then id, so the order never wobbles.
        "sessions": _Kind(
            "sessions", m.SessionRow, r.Session, "k", "session", (m.SessionRow.day, m.SessionRow.at, m.SessionRow.id)
        ),
        "notes": _Kind("notes", m.NoteRow, r.Note, "n", "note", (m.NoteRow.date, m.NoteRow.id)),
    }


_KINDS = _kinds()


def _range_filter(kind: _Kind, start: date | None, end: date | None) -> list:
    """SQL conditions for "overlaps start..end, both ends included" for this kind."""
    row = kind.row
    conds: list = []
    if kind.name in ("episodes", "trials"):
        # A span from its start to its end, or on and on while ongoing.
        if end is not None:
            conds.append(row.start <= end)
        if start is not None:
            conds.append(or_(row.end.is_(None), row.end >= start))
    elif kind.name == "conditions":
        # A condition holds from `since` on; one with no `since` is always part of the picture.
        if end is not None:
            conds.append(or_(row.since.is_(None), row.since <= end))
    else:
        column = m.SessionRow.day if kind.name == "sessions" else row.date
        if start is not None:
            conds.append(column >= start)
        if end is not None:
            conds.append(column <= end)
    return conds


def _load_options(kind: _Kind) -> list:
    # Two extra queries for all trials' steps and side effects, rather than two per trial.
    if kind.name == "trials":
        return [selectinload(m.TrialRow.doses), selectinload(m.TrialRow.side_effects)]
    return []


def _values(kind: _Kind, record: Any) -> dict:
    return kind.row.values(record)


def _new_id(kind: _Kind, taken: Callable[[str], bool]) -> str:
    while True:
        candidate = f"{kind.prefix}-{secrets.token_hex(3)}"
        if not taken(candidate):
            return candidate


def _validate(kind: str, record: Any) -> list[Problem]:
    from journal.validation import validate_record

    # Field names are relative to the record ("doses[1].mg_per_day"); trim any stray leading dot.
    unstorable = _storable_problems(record)
    problems = [Problem(p.field.lstrip("."), p.message) for p in validate_record(kind, record)]
    named = {p.field for p in problems}
    return problems + [p for p in unstorable if p.field not in named]


_SQLITE_INT = 2**63


def _storable_problems(value: Any, where: str = "") -> list[Problem]:
    """What SQLite itself cannot hold, whatever the rules allow: text that is not valid Unicode
    (a lone surrogate), integers beyond 64 bits, numbers that are not finite."""
    if is_dataclass(value) and not isinstance(value, type):
        problems: list[Problem] = []
        for f in fields(value):
            problems += _storable_problems(getattr(value, f.name), f"{where}.{f.name}" if where else f.name)
        return problems
    if isinstance(value, (tuple, list)):
        return [p for i, item in enumerate(value) for p in _storable_problems(item, f"{where}[{i}]")]
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return [Problem(where, f"holds a character that is not valid text (at position {exc.start + 1})")]
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -_SQLITE_INT <= value < _SQLITE_INT:
            return [Problem(where, "is too large a number to store")]
    elif isinstance(value, float) and not math.isfinite(value):
        return [Problem(where, f"must be a finite number, got {value}")]
    return []


def _check_record_type(kind: _Kind, record: Any) -> None:
    if not isinstance(record, kind.record):
        raise TypeError(f"journal.{kind.name} holds {kind.record.__name__} records, not {type(record).__name__}")


class RecordManager(Generic[R]):
    """One kind of record in one journal: list, get, add, update, delete."""

    def __init__(self, journal: Journal, kind: str):
        self._journal = journal
        self._kind = _KINDS[kind]

    @property
    def kind(self) -> str:
        return self._kind.name

    def _select(self):
        return select(self._kind.row).options(*_load_options(self._kind))

    def list(self, start: date | None = None, end: date | None = None) -> list[R]:
        """Records overlapping `start`..`end` (both included; None leaves that side open), by date then id."""
        stmt = self._select().where(*_range_filter(self._kind, start, end)).order_by(*self._kind.order)
        with self._journal._session() as s:
            return [row.to_record() for row in s.scalars(stmt)]

    def get(self, record_id: str) -> R:
        """The record with this id; NotFoundError if the journal holds none."""
        with self._journal._session() as s:
            row = self._load(s, record_id)
            return row.to_record()

    def count(self) -> int:
        with self._journal._session() as s:
            return s.scalar(select(func.count()).select_from(self._kind.row)) or 0

    def _load(self, s: Session, record_id: str) -> Any:
        row = s.get(self._kind.row, record_id, options=_load_options(self._kind))
        if row is None:
            raise NotFoundError(f"The journal holds no {self._kind.singular} with id {record_id!r}.")
        return row

    def add(self, record: R) -> Change:
        """Store a new record (an empty id gets a fresh one); ValidationError names each wrong field."""
        kind = self._kind
        _check_record_type(kind, record)
        with self._journal._session() as s:
            if record.id == "":
                record = r.replace(record, id=_new_id(kind, lambda i: s.get(kind.row, i) is not None))
            problems = _validate(kind.name, record)
            if s.get(kind.row, record.id) is not None:
                problems.append(Problem("id", "the journal already holds a record with this id"))
            if problems:
                raise ValidationError(problems)
            self._insert(s, [record])
            s.commit()
            return Change(kind.name, "added", self._load(s, record.id).to_record())

    def _insert(self, s: Session, records: list) -> None:
        kind = self._kind
        if not records:
            return
        s.execute(insert(kind.row), [_values(kind, rec) for rec in records])
        if kind.name == "trials":
            doses: list[dict] = []
            effects: list[dict] = []
            for rec in records:
                d, e = m.TrialRow.child_values(rec)
                doses.extend(d)
                effects.extend(e)
            if doses:
                s.execute(insert(m.DoseStepRow), doses)
            if effects:
                s.execute(insert(m.SideEffectRow), effects)

    def update(self, record: R) -> Change:
        """Replace the stored record that has this id; NotFoundError if there is none."""
        kind = self._kind
        _check_record_type(kind, record)
        problems = _validate(kind.name, record)
        with self._journal._session() as s:
            self._load(s, record.id)
            if problems:
                raise ValidationError(problems)
            # Replacing the row outright keeps one code path with add; children go with it (cascade).
            s.execute(delete(kind.row).where(kind.row.id == record.id))
            self._insert(s, [record])
            s.commit()
            s.expunge_all()
            return Change(kind.name, "updated", self._load(s, record.id).to_record())

    def delete(self, record_id: str) -> Change:
        """Remove a record; the Change holds it (and its author) so undo can put it back."""
        kind = self._kind
        with self._journal._session() as s:
            old = self._load(s, record_id).to_record()
            author = s.get(m.EntryByRow, record_id)
            author_name = author.author if author else None
            s.execute(delete(kind.row).where(kind.row.id == record_id))
            if author is not None and not self._journal._id_held(s, record_id):
                s.delete(author)
            s.commit()
            return Change(kind.name, "deleted", old, author=author_name)


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

    def __init__(self, path: Path, engine: Engine):
        self._path = path
        self._engine: Engine | None = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        for kind in KINDS:
            setattr(self, kind, RecordManager(self, kind))

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, key: bytes | None = None) -> Journal:
        """Open the journal at `path`, making a new one there if it is missing and `create` is true.

        Raises JournalError (file not a journal, damaged, made by a newer version, no journal at
        PATH), WrongPassphraseError (key does not open it); the file is left as it was.
        """
        path = Path(path)
        made = False
        if not path.exists():
            if not create:
                raise JournalError(f"There is no journal at {path}.")
            try:
                storage.create_file(path)
            except OSError as exc:
                raise JournalError(f"A journal could not be made at {path}: {exc.strerror or exc}.") from None
            made = True
        elif path.is_dir():
            raise JournalError(f"{path} is a folder, not a journal file.")
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
                raise _db_error(path, exc) from None
            raise
        return cls(path, engine)

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

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Journal {'closed' if self.closed else 'open'}>"

    @contextmanager
    def _session(self) -> Iterator[Session]:
        if self._engine is None:
            raise JournalError("This journal is closed (locked); open it again to go on.")
        try:
            with self._sessions() as s:
                yield s
        except IntegrityError as exc:
            raise JournalError(f"The journal refused the change: {exc.orig}") from None
        except DBAPIError as exc:
            raise _db_error(self._path, exc) from None

    # ------------------------------------------------------------------ profile, settings, authors

    def profile(self) -> r.Profile:
        with self._session() as s:
            row = s.get(m.ProfileRow, 1)
            return row.to_record() if row else r.Profile()

    def set_profile(self, profile: r.Profile) -> r.Profile:
        """Replace the profile; the display name and birth year are both optional."""
        problems = _profile_problems(profile)
        if problems:
            raise ValidationError(problems)
        with self._session() as s:
            s.merge(m.ProfileRow(id=1, display_name=profile.display_name, birth_year=profile.birth_year))
            s.commit()
        return profile

    def settings(self) -> r.Settings:
        with self._session() as s:
            row = s.get(m.SettingsRow, 1)
            return row.to_record() if row else r.Settings()

    def update_settings(self, **changes: Any) -> r.Settings:
        """Change the named settings only (trd-rules.md); ValidationError names any wrong key or value."""
        problems = _settings_problems(changes)
        if problems:
            raise ValidationError(problems)
        with self._session() as s:
            settings = self._write_settings(s, changes)
            s.commit()
            return settings

    def _write_settings(self, s: Session, changes: dict[str, Any]) -> r.Settings:
        row = s.get(m.SettingsRow, 1)
        current = row.to_record() if row else r.Settings()
        new = r.replace(current, **changes)
        s.merge(
            m.SettingsRow(
                id=1,
                adequate_weeks=new.adequate_weeks,
                failure_threshold_pct=new.failure_threshold_pct,
                count_augmentation=new.count_augmentation,
                primary_scale=new.primary_scale,
            )
        )
        return new

    def set_author(self, record_id: str, author: str | None) -> None:
        """Mark a record as entered by `author` (caregiver mode), or by the owner again with None."""
        if author is not None and (not isinstance(author, str) or not author.strip()):
            raise ValidationError(Problem("author", "must be a name, or empty for the journal's owner"))
        if author is not None and _storable_problems(author, "author"):
            raise ValidationError(_storable_problems(author, "author"))
        with self._session() as s:
            if not self._id_held(s, record_id):
                raise NotFoundError(f"The journal holds no record with id {record_id!r}.")
            row = s.get(m.EntryByRow, record_id)
            if author is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(m.EntryByRow(record=record_id, author=author.strip()))
            else:
                row.author = author.strip()
            s.commit()

    def author_of(self, record_id: str) -> str | None:
        with self._session() as s:
            row = s.get(m.EntryByRow, record_id)
            return row.author if row else None

    def _id_held(self, s: Session, record_id: str) -> bool:
        return any(s.get(k.row, record_id) is not None for k in _KINDS.values())

    # ------------------------------------------------------------------ everything at once

    def counts(self) -> dict[str, int]:
        """How many records of each kind the journal holds."""
        with self._session() as s:
            return {
                name: s.scalar(select(func.count()).select_from(kind.row)) or 0 for name, kind in _KINDS.items()
            }

    def ids(self) -> dict[str, set[str]]:
        """Every id held, by kind (what the importer checks a file against)."""
        with self._session() as s:
            return {name: set(s.scalars(select(kind.row.id))) for name, kind in _KINDS.items()}

    def contents(self) -> r.JournalContents:
        """Everything the journal holds, each list sorted by date (or start) then id."""
        with self._session() as s:
            lists: dict[str, tuple] = {}
            for name, kind in _KINDS.items():
                stmt = select(kind.row).options(*_load_options(kind))
                lists[name] = tuple(row.to_record() for row in s.scalars(stmt.order_by(*kind.order)))
            profile = s.get(m.ProfileRow, 1)
            settings = s.get(m.SettingsRow, 1)
            entries = tuple(row.to_record() for row in s.scalars(select(m.EntryByRow).order_by(m.EntryByRow.record)))
            return r.JournalContents(
                profile=profile.to_record() if profile else r.Profile(),
                settings=settings.to_record() if settings else r.Settings(),
                entries_by=entries,
                **lists,
            )

    def import_contents(self, contents: r.JournalContents, settings_changes: dict[str, Any] | None = None) -> None:
        """Add every record of `contents` in one transaction: all of it, or (on any problem) nothing.

        Ids the journal already holds are refused, each named (e.g. `trials[t1].id`). The
        profile's given fields replace the journal's; `settings_changes` change only the
        settings they name.
        """
        settings_changes = dict(settings_changes or {})
        problems: list[Problem] = [Problem(f"settings.{p.field}", p.message) for p in _settings_problems(settings_changes)]
        problems += [Problem(f"profile.{p.field}", p.message) for p in _profile_problems(contents.profile)]
        with self._session() as s:
            held = {name: set(s.scalars(select(kind.row.id))) for name, kind in _KINDS.items()}
            every_id = set().union(*held.values())
            batches: dict[str, list] = {}
            for name, kind in _KINDS.items():
                seen: set[str] = set()
                batch: list = []
                for record in getattr(contents, name):
                    _check_record_type(kind, record)
                    if record.id == "":
                        taken = lambda i: i in held[name] or i in seen  # noqa: E731
                        record = r.replace(record, id=_new_id(kind, taken))
                    where = f"{name}[{record.id}]"
                    if record.id in held[name]:
                        problems.append(Problem(f"{where}.id", "the journal already holds a record with this id"))
                    elif record.id in seen:
                        problems.append(Problem(f"{where}.id", f"is given twice in {name}"))
                    for p in _validate(name, record):
                        problems.append(Problem(f"{where}.{p.field}" if p.field else where, p.message))
                    seen.add(record.id)
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
                getattr(self, name)._insert(s, batch)
            if authors:
                s.execute(delete(m.EntryByRow).where(m.EntryByRow.record.in_(list(authors))))
                s.execute(insert(m.EntryByRow), [{"record": k, "author": v} for k, v in authors.items()])
            if settings_changes:
                self._write_settings(s, settings_changes)
            given = {k: v for k, v in vars(contents.profile).items() if v is not None}
            if given:
                row = s.get(m.ProfileRow, 1)
                current = row.to_record() if row else r.Profile()
                new = r.replace(current, **given)
                s.merge(m.ProfileRow(id=1, display_name=new.display_name, birth_year=new.birth_year))
            s.commit()


# ---------------------------------------------------------------------- checks of the journal's own values


def _settings_problems(changes: dict[str, Any]) -> list[Problem]:
    from journal.fileformat import SETTINGS_ALLOWED

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
    from journal.backups import BackupError, make_backup

    try:
        make_backup(path, key, "upgrade")
    except BackupError as exc:
        raise JournalError(
            f"The journal at {path} was made by an earlier version of Trial Journal and must be upgraded, "
            f"but the backup taken first could not be made, so it was left as it is. {exc}"
        ) from None


def _db_error(path: Path, exc: DBAPIError) -> JournalError:
    text = str(exc.orig)
    if "locked" in text or "busy" in text:
        return JournalLockedError(f"The journal at {path} is busy in another window or program; close it there first.")
    if "full" in text:
        return JournalError(f"The disk holding {path} is full: nothing was changed. Free some space and try again.")
    if "readonly" in text or "read-only" in text:
        return JournalError(f"The journal at {path} cannot be written (read-only): nothing was changed.")
    return JournalError(f"The journal at {path} could not be read or written: {text}")
