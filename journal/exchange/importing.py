"""Importing a journal file: the one way the window and the command line bring a file's records into a journal.

An import reads the file and checks it whole (every problem named, ids checked against those the
journal already holds), backs the journal up, stores every record in one transaction (all of it,
or on any problem nothing), and says what changed. It is two steps, `read_import` and
`store_import`, so the command line can say the file's warnings and make a new journal between
them; `import_file` is both at once. None of it touches the screen, so it may run off the
window's thread; `progress(done, total)` hears of each step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from journal.exchange.jsonfile import ImportResult, load_file
from journal.kinds import KIND_NAMES, KINDS

__all__ = ["ImportOutcome", "read_import", "store_import", "import_file", "held_ids"]

Progress = Callable[[int, int], None]
_STEPS = 3  # read and check, back up, store

# How an import counts each kind ("2 trials, 30 daily check-ins"); a check-in is a daily one here.
# Therapies (version 2) are counted whether or not journal.kinds names them yet.
_COUNTED = tuple(dict.fromkeys((*KIND_NAMES, "therapies")))
_COUNTED_AS = {"therapies": "therapy"} | {name: KINDS[name].singular for name in KIND_NAMES} | {"checkins": "daily check-in"}


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


class _Journal(Protocol):
    def ids(self) -> dict[str, set[str]]: ...

    def import_contents(self, contents: Any, settings_changes: dict[str, Any] | None = None, *, validated: bool = False) -> None: ...


@dataclass(frozen=True)
class ImportOutcome:
    """What an import changed: records added by kind, the settings it changed, and the file's warnings."""

    counts: dict[str, int]
    settings_changed: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        """E.g. "2 trials, 1 score, 30 daily check-ins", or "no records"."""
        said = ", ".join(f"{n} {_plural(_COUNTED_AS[name], n)}" for name, n in self.counts.items() if n)
        return said or "no records"


def held_ids(journal: _Journal | None) -> dict[str, set[str]]:
    """The ids a journal holds, by the list of the file that would hold them (`scores` for check-ins too)."""
    by_list: dict[str, set[str]] = {}
    if journal is None:
        return by_list
    for name, ids in journal.ids().items():
        by_list.setdefault(KINDS[name].file_list, set()).update(ids)
    return by_list


def read_import(
    path: str | os.PathLike[str], journal: _Journal | None = None, *, today: date | None = None, progress: Progress | None = None
) -> ImportResult:
    """Reads and checks the file against `journal` (None: a journal still to be made); ValidationError names every problem."""
    result = load_file(path, today=today, existing_ids=held_ids(journal))
    if progress is not None:
        progress(1, _STEPS)
    return result


def store_import(
    journal: _Journal, result: ImportResult, *, backup: Callable[[], object] | None = None, progress: Progress | None = None
) -> ImportOutcome:
    """Backs the journal up (`backup`, when it holds anything worth keeping), then stores the file's records in one go."""
    if backup is not None:
        backup()  # an import is a big change: the journal as it was is kept first
    if progress is not None:
        progress(2, _STEPS)
    journal.import_contents(result.contents, result.settings_changes, validated=True)
    if progress is not None:
        progress(3, _STEPS)
    counts = {name: len(getattr(result.contents, name)) for name in _COUNTED}
    return ImportOutcome(counts=counts, settings_changed=dict(result.settings_changes), warnings=list(result.warnings))


def import_file(
    journal: _Journal,
    path: str | os.PathLike[str],
    *,
    backup: Callable[[], object] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """The whole import into an open journal: read and check, back up, store, and say what changed."""
    result = read_import(path, journal, today=today, progress=progress)
    return store_import(journal, result, backup=backup, progress=progress)
