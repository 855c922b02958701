"""The open journal as the window sees it: facade calls wrapped in undoable commands, and Qt signals saying what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

if TYPE_CHECKING:  # names for the type hints only: the window paints before these modules load
    from journal.clinical.assessment import Assessment
    from journal.records import JournalContents, Profile, Settings

# The record kinds the facade has a manager for, in the order the window lists them.
KINDS = ("trials", "scores", "checkins", "episodes", "sessions", "labs", "conditions", "notes")

# Kinds whose changes can move the assessment or the timeline; labs, conditions and notes cannot.
_ASSESSED_KINDS = frozenset({"trials", "scores", "checkins", "episodes", "sessions"})

# How each kind is named in an undo entry ("Undo add trial").
RECORD_NOUNS = {
    "trials": "trial",
    "scores": "score",
    "checkins": "check-in",
    "episodes": "episode",
    "sessions": "session",
    "labs": "lab result",
    "conditions": "condition",
    "notes": "note",
}

# Caregiver mode: who is entering records in each journal open in this process, by the journal's
# file, and the names typed this run but not used yet. In memory only: a caregiver's name is
# personal, so it never goes to settings or logs. Keyed by file rather than held by one session,
# because unlocking or protecting a journal gives the window a new session for the same file and
# the person at the keyboard has not changed; another journal starts with its owner.
_ENTERING_AS: dict[str, str] = {}
_TYPED_NAMES: dict[str, list[str]] = {}


class JournalSession(QObject):
    """Holds the open `Journal`, its undo stack, and the latest contents and assessment.

    Every change the person makes goes through `add`, `update`, `delete` or `change_settings`:
    the facade call happens first (so a validation error reaches the form that caused it and
    nothing is pushed), then an already-done command lands on the undo stack.
    """

    # kind of record that changed ("trials", ...), or "settings"
    changed = Signal(str)
    # the assessment (and so the timeline) may have moved
    assessment_changed = Signal()

    def __init__(
        self,
        journal: Any,
        *,
        today: date | None = None,
        demo: bool = False,
        access: Any = None,
        assess: Callable[..., Assessment] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.journal = journal
        self.demo = demo
        # journal.opening.JournalAccess when the window opened the journal itself: lock, key, backups
        self.access = access
        self._today = today
        self._assess = assess
        self.undo_stack = QUndoStack(self)
        self._contents: JournalContents | None = None
        self._assessment: Assessment | None = None

    # -- what the window reads ------------------------------------------------------------

    @property
    def today(self) -> date:
        """The as-of date of the assessment: today, unless a test or the demo pins it."""
        return self._today or date.today()

    def contents(self) -> JournalContents:
        if self._contents is None:
            self._contents = self.journal.contents()
        return self._contents

    def settings(self) -> Settings:
        return self.contents().settings

    def assessment(self) -> Assessment:
        if self._assessment is None:
            assess = self._assess
            if assess is None:
                from journal.clinical.assessment import assess  # the lead's function, looked up late
            self._assessment = assess(self.contents(), self.settings(), as_of=self.today)
        return self._assessment

    def records(self, kind: str) -> tuple:
        return getattr(self.contents(), kind)

    def find(self, kind: str, record_id: str):
        for record in self.records(kind):
            if record.id == record_id:
                return record
        return None

    # -- caregiver mode ---------------------------------------------------------------------

    @property
    def author(self) -> str | None:
        """Who is entering records now: None for the journal's owner, else a caregiver's name."""
        return _ENTERING_AS.get(self._journal_key())

    def set_author(self, name: str | None) -> None:
        """Enter the next records as `name` (a caregiver), or as the journal's owner with None or ""."""
        key = self._journal_key()
        name = (name or "").strip()
        if name:
            _ENTERING_AS[key] = name
            typed = _TYPED_NAMES.setdefault(key, [])
            if name not in typed:
                typed.append(name)
        else:
            _ENTERING_AS.pop(key, None)

    def caregiver_names(self) -> list[str]:
        """The names to offer: everyone who entered a record in this journal, and names typed this run."""
        names = {e.author for e in self.contents().entries_by}
        names.update(_TYPED_NAMES.get(self._journal_key(), ()))
        return sorted(names, key=lambda n: (n.casefold(), n))

    def _journal_key(self) -> str:
        path = getattr(self.journal, "path", None)
        return str(path) if path is not None else f"journal-{id(self.journal)}"

    # -- what the window does (each an undoable step) ---------------------------------------

    def add(self, kind: str, record):
        """Store a new record, marked with who entered it in caregiver mode, in one step.

        Raises ValidationError (nothing stored) when a field or the caregiver's name is wrong.
        """
        author = self.author
        change = self._manager(kind).add(record, author=author)  # the record and its author in one step
        self.undo_stack.push(_AddCommand(self, kind, change.record, author))
        self._after_change(kind)
        return change.record

    def update(self, kind: str, record):
        """Replace a stored record by one with the same id; raises ValidationError when a field is wrong.

        The record keeps who entered it: an edit, by the owner or a caregiver, never changes that.
        """
        old = self._manager(kind).get(record.id)
        change = self._manager(kind).update(record)
        self.undo_stack.push(_UpdateCommand(self, kind, old, change.record))
        self._after_change(kind)
        return change.record

    def delete(self, kind: str, record_id: str):
        change = self._manager(kind).delete(record_id)
        self.undo_stack.push(_DeleteCommand(self, kind, change.record, change.author))
        self._after_change(kind)
        return change.record

    def change_settings(self, **changes) -> Settings:
        """Change the assessment rule's settings; the marker moves as soon as this returns."""
        old = self.settings()
        new = self.journal.update_settings(**changes)
        if new != old:
            self.undo_stack.push(_SettingsCommand(self, old, new))
        self._after_change("settings")
        return new

    def profile(self) -> Profile:
        """Who the journal belongs to, as the person chose to be named (both fields may be empty)."""
        return self.journal.profile()  # read fresh: what undo goes back to is what the journal holds

    def change_profile(self, profile: Profile) -> Profile:
        """Replace the name and birth year, checked by the journal's rules (ValidationError names the field); undoable."""
        old = self.profile()
        new = self.journal.set_profile(profile)
        if new != old:
            self.undo_stack.push(_ProfileCommand(self, old, new))
        self._after_change("profile")
        return new

    # -- plumbing ---------------------------------------------------------------------------

    def _manager(self, kind: str):
        if kind not in KINDS:
            raise ValueError(f"unknown record kind {kind!r}")
        return getattr(self.journal, kind)

    def _after_change(self, kind: str) -> None:
        self._contents = None
        if self.access is not None:
            self.access.note_change()  # the periodic backup knows there is something new
        if kind in _ASSESSED_KINDS or kind == "settings":
            self._assessment = None
        self.changed.emit(kind)
        if kind in _ASSESSED_KINDS or kind == "settings":
            self.assessment_changed.emit()

    def reload(self) -> None:
        """Forget cached contents (after an import, say) and tell every view to refresh."""
        self._contents = None
        self._assessment = None
        for kind in KINDS:
            self.changed.emit(kind)
        self.changed.emit("settings")
        self.assessment_changed.emit()


class _DoneCommand(QUndoCommand):
    """A command whose first redo already happened through the facade (when it was pushed)."""

    def __init__(self, session: JournalSession, kind: str, text: str):
        super().__init__(text)
        self._session = session
        self._kind = kind
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._apply()
        self._session._after_change(self._kind)

    def undo(self) -> None:
        self._revert()
        self._session._after_change(self._kind)

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


class _AddCommand(_DoneCommand):
    def __init__(self, session: JournalSession, kind: str, record, author: str | None = None):
        super().__init__(session, kind, f"add {RECORD_NOUNS[kind]}")
        self._record = record
        self._author = author

    def _apply(self) -> None:
        # re-adding keeps the id, so a later command that names this record still finds it
        self._session._manager(self._kind).add(self._record, author=self._author)

    def _revert(self) -> None:
        # the facade lets go of who entered it along with the record
        self._session._manager(self._kind).delete(self._record.id)


class _UpdateCommand(_DoneCommand):
    def __init__(self, session: JournalSession, kind: str, old, new):
        super().__init__(session, kind, f"edit {RECORD_NOUNS[kind]}")
        self._old = old
        self._new = new

    def _apply(self) -> None:
        self._session._manager(self._kind).update(self._new)

    def _revert(self) -> None:
        self._session._manager(self._kind).update(self._old)


class _DeleteCommand(_DoneCommand):
    def __init__(self, session: JournalSession, kind: str, record, author: str | None):
        super().__init__(session, kind, f"delete {RECORD_NOUNS[kind]}")
        self._record = record
        self._author = author

    def _apply(self) -> None:
        self._session._manager(self._kind).delete(self._record.id)

    def _revert(self) -> None:
        # caregiver mode: the record comes back with who entered it
        self._session._manager(self._kind).add(self._record, author=self._author)


class _SettingsCommand(_DoneCommand):
    def __init__(self, session: JournalSession, old: Settings, new: Settings):
        super().__init__(session, "settings", "change assessment settings")
        self._old = old
        self._new = new

    def _apply(self) -> None:
        self._session.journal.update_settings(**asdict(self._new))

    def _revert(self) -> None:
        self._session.journal.update_settings(**asdict(self._old))


class _ProfileCommand(_DoneCommand):
    def __init__(self, session: JournalSession, old: Profile, new: Profile):
        super().__init__(session, "profile", "change name and birth year")
        self._old = old
        self._new = new

    def _apply(self) -> None:
        self._session.journal.set_profile(self._new)

    def _revert(self) -> None:
        self._session.journal.set_profile(self._old)
