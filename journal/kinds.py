"""The record kinds a journal holds: one entry per kind, read by storage, the file format and the window.

A new kind of record is added here once; every table of kinds elsewhere (the lists in the
window, the managers of the journal, the lists of the file) is made from this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from journal import records as r

__all__ = ["Kind", "KINDS", "KIND_NAMES", "WINDOW_ORDER", "FILE_LISTS", "ASSESSED", "kind"]


@dataclass(frozen=True)
class Kind:
    """One kind of record: how it is named, stored, listed and written to the journal file."""

    name: str  # "trials": the manager's name, the window's list and the record's kind in a change
    record: type  # the record class from journal.records
    prefix: str  # fresh ids read like "t-3f9a2c"; the prefix keeps ids unique across kinds too
    singular: str  # "trial": how one record is named in an undo entry ("Undo add trial")
    title: str  # "Trial": how one record starts a sentence ("Trial added.")
    tab: str  # "&Trials": the window's tab, Alt+letter goes to the list
    order: tuple[str, ...]  # columns the journal lists the kind by: date first, then id
    file_list: str  # the list of the journal JSON file that holds the kind ("scores" holds check-ins too)
    assessed: bool  # whether a change to this kind can move the assessment and the timeline


# In the order the journal stores and lists its kinds (the facade's and the file's order).
_ALL = (
    Kind("episodes", r.Episode, "e", "episode", "Episode", "E&pisodes", ("start", "id"), "episodes", True),
    Kind("trials", r.Trial, "t", "trial", "Trial", "&Trials", ("start", "id"), "trials", True),
    # Same-day scores and check-ins: untimed first, then by their time of day (version 2), then id.
    Kind("scores", r.ScaleScore, "s", "score", "Score", "&Scores", ("date", "time", "id"), "scores", True),
    Kind("checkins", r.DailyCheckIn, "d", "check-in", "Check-in", "Check-&ins", ("date", "time", "id"), "scores", True),
    Kind("labs", r.Lab, "l", "lab result", "Lab result", "&Labs", ("date", "id"), "labs", False),
    Kind("conditions", r.Condition, "c", "condition", "Condition", "Co&nditions", ("since", "id"), "conditions", False),
    # Same-day sessions follow their time as written, then id, so the order never wobbles.
    Kind("sessions", r.Session, "k", "session", "Session", "Sessi&ons", ("day", "at", "id"), "sessions", True),
    Kind("notes", r.Note, "n", "note", "Note", "No&tes", ("date", "id"), "notes", False),
    # Version 2: courses of psychotherapy, listed beside the trials in the verdict, never counted.
    # Alt+R: "Thera&py" would take E&pisodes' P; R is no other tab's nor the menu bar's (J A E V H).
    Kind("therapies", r.Therapy, "p", "therapy", "Therapy", "The&rapies", ("start", "id"), "therapies", True),
)

KINDS: dict[str, Kind] = {k.name: k for k in _ALL}
KIND_NAMES: tuple[str, ...] = tuple(KINDS)
# The window's tabs, most used first.
WINDOW_ORDER: tuple[str, ...] = ("trials", "scores", "checkins", "episodes", "therapies", "sessions", "labs", "conditions", "notes")
# The record lists of the journal JSON file, in the order the spec lists them.
FILE_LISTS: tuple[str, ...] = tuple(dict.fromkeys(k.file_list for k in _ALL))
ASSESSED: frozenset[str] = frozenset(k.name for k in _ALL if k.assessed)

assert set(WINDOW_ORDER) == set(KINDS), "every kind has a place in the window"


def kind(name: str) -> Kind:
    """The kind called `name`; a KeyError names it when there is none."""
    return KINDS[name]
