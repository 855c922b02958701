"""The open journal as the window sees it: facade calls wrapped in undoable commands, and Qt signals saying what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from journal import kinds as _kinds

if TYPE_CHECKING:  # names for the type hints only: the window paints before these modules load
    from journal.clinical.assessment import Assessment
    from journal.exchange.diaries import StoredDiary
    from journal.facade import Change, Journal
    from journal.opening import JournalAccess
    from journal.questions import Suggestion
    from journal.records import JournalContents, Note, Profile, QuestionChoice, Settings

# The record kinds the facade has a manager for, in the order the window lists them.
KINDS = _kinds.WINDOW_ORDER

# Kinds whose changes can move the assessment or the timeline; labs, conditions and notes cannot.
_ASSESSED_KINDS = _kinds.ASSESSED

# How each kind is named in an undo entry ("Undo add trial").
RECORD_NOUNS = {name: _kinds.kind(name).singular for name in KINDS}


@dataclass(frozen=True)
class Changes:
    """What one step changed, so the window updates only that (as Anki's OpChanges does).

    `kinds` are the record lists that changed; `assessment` says the assessment (its panel, and
    the trials' adequacy and outcome) may have moved; `chart` that the timeline must be drawn
    again; `questions` that a suggested question was added to the notes, dismissed, or that
    choice undone; `everything` that the whole journal was read again (unlocking, an import, a restore).
    """

    kinds: frozenset[str] = frozenset()
    settings: bool = False
    profile: bool = False
    assessment: bool = False
    chart: bool = False
    questions: bool = False
    everything: bool = False

    def touches(self, kind: str) -> bool:
        """Whether the list of `kind` must be shown again."""
        return self.everything or kind in self.kinds or (kind == "trials" and self.assessment)


EVERYTHING = Changes(kinds=frozenset(KINDS), settings=True, profile=True, assessment=True, chart=True, questions=True, everything=True)

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

    # what one step changed (a Changes): the window updates those views and no others
    changed = Signal(object)

    def __init__(
        self,
        journal: Journal,
        *,
        today: date | None = None,
        demo: bool = False,
        access: JournalAccess | None = None,
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
                from journal.clinical.assessment import assess  # looked up late: start-up paints before it loads
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
        self._after_change(kind, change, author)
        return change.record

    def update(self, kind: str, record):
        """Replace a stored record by one with the same id; raises ValidationError when a field is wrong.

        The record keeps who entered it: an edit, by the owner or a caregiver, never changes that.
        """
        old = self._manager(kind).get(record.id)
        change = self._manager(kind).update(record)
        self.undo_stack.push(_UpdateCommand(self, kind, old, change.record))
        self._after_change(kind, change)
        return change.record

    def delete(self, kind: str, record_id: str):
        change = self._manager(kind).delete(record_id)
        self.undo_stack.push(_DeleteCommand(self, kind, change.record, change.author))
        self._after_change(kind, change)
        return change.record

    def change_settings(self, **changes) -> Settings:
        """Change the assessment rule's settings; the marker moves as soon as this returns."""
        old = self.settings()
        new = self.journal.update_settings(**changes)
        if new != old:
            self.undo_stack.push(_SettingsCommand(self, old, new))
        self._after_change("settings", new)
        return new

    def choose_question(self, suggestion: Suggestion, choice: str) -> Note | None:
        """Add a suggested question to the notes for the appointment ("added") or dismiss it ("dismissed"), in one undoable step.

        "added" stores the question as an ordinary appointment note, marked with who entered it
        in caregiver mode, and returns it. Undo takes the note out again and brings back what
        was chosen before (usually nothing), so the suggestion shows again.
        """
        from journal.questions import choice_for, note_for

        made = choice_for(suggestion, choice, self.today)
        previous = next((c for c in self.journal.state().question_choices if c.key == suggestion.key), None)
        note = None
        change = None
        author = self.author
        if choice == "added":
            change = self.journal.notes.add(note_for(suggestion, self.today), author=author)
            note = change.record
        self.journal.choose_question(made)
        self.undo_stack.push(_QuestionCommand(self, made, previous, note, author))
        self._after_question(change, author)
        return note

    def diary_imported(self, stored: StoredDiary, app_name: str) -> None:
        """An import from another app was stored (off the window's thread): it becomes one step Undo takes out whole."""
        self.undo_stack.push(_DiaryCommand(self, stored, app_name))
        if self.access is not None:
            self.access.note_change()
        self.reload()

    def report_made(self) -> None:
        """Remember that an appointment report was made today: the next one's questions start after it."""
        self.journal.report_made(self.today)
        self._after_question(None, None)

    def _after_question(self, change: Change | None, author: str | None) -> None:
        """Take in a question's note (if any) and the journal's own state, and tell the views."""
        if self.access is not None:
            self.access.note_change()
        if change is not None:
            self._take("notes", change, author)
        if self._contents is not None:
            self._contents = replace(self._contents, state=self.journal.state())
        self.changed.emit(Changes(kinds=frozenset({"notes"}) if change is not None else frozenset(), questions=True))

    def profile(self) -> Profile:
        """Who the journal belongs to, as the person chose to be named (both fields may be empty)."""
        return self.journal.profile()  # read fresh: what undo goes back to is what the journal holds

    def change_profile(self, profile: Profile) -> Profile:
        """Replace the name and birth year, checked by the journal's rules (ValidationError names the field); undoable."""
        old = self.profile()
        new = self.journal.set_profile(profile)
        if new != old:
            self.undo_stack.push(_ProfileCommand(self, old, new))
        self._after_change("profile", new)
        return new

    # -- plumbing ---------------------------------------------------------------------------

    def _manager(self, kind: str):
        if kind not in KINDS:
            raise ValueError(f"unknown record kind {kind!r}")
        return getattr(self.journal, kind)

    def _after_change(self, kind: str, done: Change | Settings | Profile | None = None, author: str | None = None) -> None:
        """Bring the held contents up to date with one step and tell the window what changed.

        `done` is what the journal returned: a facade Change for a record, the new Settings or
        Profile. The one record is put in, replaced or taken out of the held contents, in the
        journal's order; the assessment is worked out again only when the kind can move it.
        Without `done` the held contents are read again from the journal when next wanted.
        """
        if self.access is not None:
            self.access.note_change()  # the periodic backup knows there is something new
        self._take(kind, done, author)
        moved = False
        if kind in _ASSESSED_KINDS or kind == "settings":
            before, self._assessment = self._assessment, None
            moved = before is None or kind == "settings" or self.assessment() != before
        self.changed.emit(
            Changes(
                kinds=frozenset({kind}) if kind in KINDS else frozenset(),
                settings=kind == "settings",
                profile=kind == "profile",
                assessment=moved,
                chart=kind in _ASSESSED_KINDS or kind == "settings",
            )
        )

    def _take(self, kind: str, done: Change | Settings | Profile | None, author: str | None) -> None:
        """Apply one step to the held contents (nothing held yet: nothing to do, it is read when wanted)."""
        held = self._contents
        if held is None:
            return
        if done is None:
            self._contents = None
        elif kind == "settings":
            self._contents = replace(held, settings=done)
        elif kind == "profile":
            self._contents = replace(held, profile=done)
        else:
            self._contents = _with_change(held, done, author)  # type: ignore[arg-type]

    def reload(self) -> None:
        """Read the whole journal again (unlocking, an import, a restore) and tell every view to refresh."""
        self._contents = None
        self._assessment = None
        self.changed.emit(EVERYTHING)


def _with_change(held: JournalContents, change: Change, author: str | None = None) -> JournalContents:
    """The held contents with one record added, replaced or removed, each list in the journal's order."""
    from journal.records import EntryBy, JournalContents, in_journal_order

    record = change.record
    kept = [r for r in getattr(held, change.kind) if r.id != record.id]
    entries = held.entries_by
    if change.action == "deleted":
        entries = tuple(e for e in entries if e.record != record.id)  # the journal lets go of who entered it
    else:
        kept.append(record)
        author = author or change.author
        if change.action == "added" and author:
            entries = (*(e for e in entries if e.record != record.id), EntryBy(record.id, author))
    # in_journal_order is the journal's own order; sorting only this one list (and who entered what)
    ordered = in_journal_order(JournalContents(**{change.kind: tuple(kept)}, entries_by=entries))
    return replace(held, **{change.kind: getattr(ordered, change.kind)}, entries_by=ordered.entries_by)


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
        self._session._after_change(self._kind, self._apply())

    def undo(self) -> None:
        self._session._after_change(self._kind, self._revert())

    # each returns what the journal did (a Change, Settings or Profile), which the session takes in
    def _apply(self):
        raise NotImplementedError

    def _revert(self):
        raise NotImplementedError


class _AddCommand(_DoneCommand):
    def __init__(self, session: JournalSession, kind: str, record, author: str | None = None):
        super().__init__(session, kind, f"add {RECORD_NOUNS[kind]}")
        self._record = record
        self._author = author

    def _apply(self) -> Change:
        # re-adding keeps the id, so a later command that names this record still finds it
        return self._session._manager(self._kind).add(self._record, author=self._author)

    def _revert(self) -> Change:
        # the facade lets go of who entered it along with the record
        return self._session._manager(self._kind).delete(self._record.id)


class _UpdateCommand(_DoneCommand):
    def __init__(self, session: JournalSession, kind: str, old, new):
        super().__init__(session, kind, f"edit {RECORD_NOUNS[kind]}")
        self._old = old
        self._new = new

    def _apply(self) -> Change:
        return self._session._manager(self._kind).update(self._new)

    def _revert(self) -> Change:
        return self._session._manager(self._kind).update(self._old)


class _DeleteCommand(_DoneCommand):
    def __init__(self, session: JournalSession, kind: str, record, author: str | None):
        super().__init__(session, kind, f"delete {RECORD_NOUNS[kind]}")
        self._record = record
        self._author = author

    def _apply(self) -> Change:
        return self._session._manager(self._kind).delete(self._record.id)

    def _revert(self) -> Change:
        # caregiver mode: the record comes back with who entered it, in the same transaction
        return self._session._manager(self._kind).add(self._record, author=self._author)


class _SettingsCommand(_DoneCommand):
    def __init__(self, session: JournalSession, old: Settings, new: Settings):
        super().__init__(session, "settings", "change assessment settings")
        self._old = old
        self._new = new

    def _apply(self) -> Settings:
        return self._session.journal.update_settings(**vars(self._new))

    def _revert(self) -> Settings:
        return self._session.journal.update_settings(**vars(self._old))


class _ProfileCommand(_DoneCommand):
    def __init__(self, session: JournalSession, old: Profile, new: Profile):
        super().__init__(session, "profile", "change name and birth year")
        self._old = old
        self._new = new

    def _apply(self) -> Profile:
        return self._session.journal.set_profile(self._new)

    def _revert(self) -> Profile:
        return self._session.journal.set_profile(self._old)


class _QuestionCommand(QUndoCommand):
    """A suggested question added to the notes or dismissed (already done when pushed); undo takes both back."""

    def __init__(
        self, session: JournalSession, made: QuestionChoice, previous: QuestionChoice | None, note: Note | None, author: str | None
    ):
        super().__init__("add question to the notes" if note is not None else "dismiss suggested question")
        self._session = session
        self._made = made
        self._previous = previous
        self._note = note
        self._author = author
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        journal = self._session.journal
        change = journal.notes.add(self._note, author=self._author) if self._note is not None else None
        journal.choose_question(self._made)
        self._session._after_question(change, self._author)

    def undo(self) -> None:
        journal = self._session.journal
        change = journal.notes.delete(self._note.id) if self._note is not None else None
        if self._previous is not None:
            journal.choose_question(self._previous)
        else:
            journal.forget_question(self._made.key)
        self._session._after_question(change, self._author)


class _DiaryCommand(QUndoCommand):
    """Check-ins (and notes) brought in from another app, already stored when pushed; undo takes every one out in one transaction."""

    def __init__(self, session: JournalSession, stored: StoredDiary, app_name: str):
        super().__init__(f"import from {app_name}")
        self._session = session
        self._stored = stored
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._session.journal.import_contents(self._stored.contents)  # the same records, ids and caregiver's name
        self._changed()

    def undo(self) -> None:
        self._session.journal.remove_records(self._stored.ids)
        self._changed()

    def _changed(self) -> None:
        if self._session.access is not None:
            self._session.access.note_change()
        self._session.reload()
