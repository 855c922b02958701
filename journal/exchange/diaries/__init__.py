"""Bring a diary kept in another mood app into the journal: Daylio, eMoods, iMoodJournal, Bearable, T2 Mood Tracker.

Three steps, shared by the command line (`trial-journal import-app`) and the window (Journal ▸
Import from another app…):

1. `read_diary(path, app)` reads the file whole into a `SourceFile` (the app found from the
   content when not given); a file no reader can take raises `DiaryFileError` saying why.
2. `plan_import(source, choices, held_origins(contents))` says what an import would add with
   the person's choices (`DiaryChoices`: mood names' levels, a rating's scale, a group's
   rating), what the journal already holds, what is skipped and why, and what is still to choose.
3. `store_plan(journal, plan, backup=..., author=...)` backs the journal up and adds the plan's
   records in one transaction (all or nothing), with fresh ids it returns so the window can undo
   the whole import as one step (`Journal.remove_records`).

Every check-in keeps `origin` = the app's name and the row's original values as one line: the
mapping can be redone, and a row already imported is recognised and left out.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from journal.exchange.diaries.mapping import (
    DEFAULT_MOOD_LEVELS,
    DEFAULT_SEVERITY_LEVELS,
    GROUP_TARGETS,
    SEVERITIES,
    DiaryChoices,
    DiaryPlan,
    MedicineHint,
    Question,
    choices_from_maps,
    held_origins,
    map_hint,
    plainly_kept,
    plan_import,
    questions,
)
from journal.exchange.diaries.source import APPS, DiaryFileError, Reading, Skipped, SourceFile, SourceProblem, SourceRow
from journal.kinds import KINDS
from journal.records import EntryBy, JournalContents

__all__ = [
    "APPS",
    "DEFAULT_MOOD_LEVELS",
    "DEFAULT_SEVERITY_LEVELS",
    "GROUP_TARGETS",
    "SEVERITIES",
    "DiaryChoices",
    "DiaryFileError",
    "DiaryPlan",
    "MedicineHint",
    "Question",
    "Reading",
    "Skipped",
    "SourceFile",
    "SourceProblem",
    "SourceRow",
    "StoredDiary",
    "choices_from_maps",
    "held_origins",
    "map_hint",
    "plan_import",
    "questions",
    "read_diary",
    "store_plan",
]


class _Journal(Protocol):
    def ids(self) -> dict[str, set[str]]: ...

    def import_contents(self, contents: Any, settings_changes: dict[str, Any] | None = None, *, validated: bool = False) -> None: ...


@dataclass(frozen=True)
class StoredDiary:
    """What an import added: the records themselves (with their ids), so the window can take them out again or put them back."""

    contents: JournalContents

    @property
    def ids(self) -> dict[str, list[str]]:
        return {"checkins": [c.id for c in self.contents.checkins], "notes": [n.id for n in self.contents.notes]}

    @property
    def count(self) -> int:
        return len(self.contents.checkins) + len(self.contents.notes)


def read_diary(path: str | os.PathLike[str], app: str | None = None) -> SourceFile:
    """The file read whole by its app's reader (found from the content when `app` is None); DiaryFileError says why not."""
    from journal.exchange.diaries.detect import read_path

    if app is not None and app not in APPS:
        raise DiaryFileError(f"unknown app {app!r}: choose one of {', '.join(APPS)}")
    return read_path(path, app)


def _fresh_ids(prefix: str, n: int, taken: set[str]) -> list[str]:
    made: list[str] = []
    while len(made) < n:
        candidate = f"{prefix}-{secrets.token_hex(4)}"
        if candidate not in taken:
            taken.add(candidate)
            made.append(candidate)
    return made


def store_plan(
    journal: _Journal,
    plan: DiaryPlan,
    *,
    backup: Callable[[], object] | None = None,
    author: str | None = None,
) -> StoredDiary:
    """Back the journal up (`backup`, when it holds anything), then add the plan's records in one transaction.

    Refused (ValueError) when the plan is not ready: a file with problems or choices still to
    make adds nothing. The journal's rules check every record; a ValidationError names each
    one wrong and nothing is stored. `author` marks every record as a caregiver's.
    """
    if not plan.ready:
        raise ValueError("the import is not ready: the file has problems or choices still to make")
    taken = set().union(*journal.ids().values())
    checkin_ids = _fresh_ids(KINDS["checkins"].prefix, len(plan.checkins), taken)
    note_ids = _fresh_ids(KINDS["notes"].prefix, len(plan.notes), taken)
    from dataclasses import replace

    checkins = tuple(replace(c, id=i) for c, i in zip(plan.checkins, checkin_ids, strict=True))
    notes = tuple(replace(n, id=i) for n, i in zip(plan.notes, note_ids, strict=True))
    entries = tuple(EntryBy(i, author) for i in (*checkin_ids, *note_ids)) if author else ()
    contents = JournalContents(checkins=checkins, notes=notes, entries_by=entries)
    if backup is not None and (checkins or notes):
        backup()  # an import is a big change: the journal as it was is kept first
    if checkins or notes:
        # records that plainly keep the journal's rules go in at once; any doubt and the journal checks each, naming problems
        journal.import_contents(contents, validated=_plainly_within_rules(contents))
    return StoredDiary(contents)


def _plainly_within_rules(contents: JournalContents) -> bool:
    """True when every record plainly keeps the journal's rules (mapping.plainly_kept): stored without the rules' walk."""
    today = date.today()
    return all(plainly_kept(c, today) for c in contents.checkins) and all(plainly_kept(n, today) for n in contents.notes)
