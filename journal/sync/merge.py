"""Merging changes from several computers record by record: the latest change wins; a version typed elsewhere that lost is named, to keep.

What counts as *superseded* (the versions the window reports as "changed on both computers;
the earlier versions are kept"): a change L that lost to the winner W of its record, when

1. L holds a version (L.data is not None: a deletion that lost takes nothing typed away),
2. L's data differs from W's (the same words twice lose nothing),
3. L was made on another computer than W (a computer's own earlier change is always one it saw), and
4. L is not one of W's ancestors: following W.base (the stamp of the version W was made
   over), then that change's base, and so on through the changes at hand (the current ones
   and the incoming ones), never reaches L. A change whose base is unknown or missing from
   what is at hand has no known ancestors, so when its predecessors arrive in a later file
   the older one may be listed although its computer had seen it: the list errs on saying
   too much, never on hiding a version that was overwritten unseen.

Each such loser is listed once per merge, with the change that beat it; a loser whose stamp is
in `already_kept` (the versions the journal's history holds already) is not listed again.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from journal.errors import JournalError
from journal.kinds import KIND_NAMES
from journal.sync.hlc import Stamp

__all__ = ["Change", "MergeResult", "merge", "CHANGE_KINDS", "SINGLE_KINDS", "Key"]

# The journal's settings and the person's profile are one record each, named by their kind.
SINGLE_KINDS: tuple[str, ...] = ("settings", "profile")
CHANGE_KINDS: tuple[str, ...] = (*KIND_NAMES, *SINGLE_KINDS)

Key = tuple[str, str]


@dataclass(frozen=True)
class Change:
    """One change to one record: its new version as the journal file writes it, or None when it was deleted.

    `base` is the stamp of the version the computer held for that record when the change was
    made (None for a new record, or when it is not known); it tells an edit made over another
    computer's version apart from one made without seeing it. `author` is who entered the
    record in caregiver mode (None for the journal's owner); it travels with the version.
    """

    kind: str
    record_id: str
    stamp: Stamp
    data: Mapping[str, Any] | None
    base: Stamp | None = None
    author: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in CHANGE_KINDS:
            raise JournalError(f"{self.kind!r} is not a kind of record a change can carry (one of {', '.join(CHANGE_KINDS)}).")
        if self.kind in SINGLE_KINDS and self.record_id != self.kind:
            raise JournalError(f"A change to the {self.kind} must have the id {self.kind!r}, not {self.record_id!r}.")
        if not isinstance(self.record_id, str) or not self.record_id:
            raise JournalError(f"A change's record id {self.record_id!r} is not a non-empty text.")
        if not isinstance(self.stamp, Stamp) or not (self.base is None or isinstance(self.base, Stamp)):
            raise JournalError("A change's stamp and base must be change stamps.")
        if self.data is not None and not isinstance(self.data, Mapping):
            raise JournalError(f"A change's data must be a record (a JSON object) or None for a deletion, not {type(self.data).__name__}.")
        if self.author is not None and (not isinstance(self.author, str) or not self.author.strip() or self.kind in SINGLE_KINDS):
            raise JournalError(f"A change's author must be a name, given only for a record, not {self.author!r}.")

    def __hash__(self) -> int:
        return hash((self.kind, self.record_id, self.stamp))

    @property
    def key(self) -> Key:
        """The record this change is to: (kind, record id)."""
        return (self.kind, self.record_id)

    @property
    def deleted(self) -> bool:
        """Whether this change deletes its record (a tombstone)."""
        return self.data is None


@dataclass
class MergeResult:
    """What a merge decided: the winner of every record, what the journal must write, and the versions that lost unseen."""

    winners: dict[Key, Change] = field(default_factory=dict)
    replaced: list[Change] = field(default_factory=list)  # incoming winners that differ from the current state, to write
    superseded: list[tuple[Change, Change]] = field(default_factory=list)  # (loser, winner): keep the loser in the history

    @property
    def conflicts(self) -> int:
        """How many records were changed on two computers without one seeing the other's version."""
        return len({winner.key for _, winner in self.superseded})


def _canonical(data: Mapping[str, Any] | None) -> str:
    """The data as one text, so two changes with the same stamp (never made by the app) still have a fixed winner."""
    if data is None:
        return ""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr)


def _rank(change: Change) -> tuple[Stamp, str]:
    return (change.stamp, _canonical(change.data))


def _ancestors(winner: Change, at_hand: Mapping[Stamp, Change]) -> set[Stamp]:
    """The stamps reached by following `base` from the winner through the changes at hand (its own record's)."""
    found: set[Stamp] = set()
    base = winner.base
    while base is not None and base not in found:
        found.add(base)
        earlier = at_hand.get(base)
        base = earlier.base if earlier is not None and earlier.key == winner.key else None
    return found


def _lost_unseen(loser: Change, winner: Change, ancestors: set[Stamp]) -> bool:
    """Whether `loser` is a version that `winner` overwrote without its computer having seen it (the module's rule)."""
    return (
        loser.data is not None
        and loser.data != winner.data
        and loser.stamp.device != winner.stamp.device
        and loser.stamp not in ancestors
    )


def merge(current: Mapping[Key, Change], incoming: Iterable[Change], *, already_kept: Container[Stamp] = frozenset()) -> MergeResult:
    """Merge incoming changes into the current winners: for each record the change with the greatest stamp wins.

    The result's winners are the new state of every record the current state or the incoming
    changes name. Merging the same changes again changes no winner and replaces nothing, and
    the order in which changes (or files of them) are merged does not change the winners.
    """
    by_key: dict[Key, list[Change]] = {}
    for change in incoming:
        by_key.setdefault(change.key, []).append(change)
    result = MergeResult(winners=dict(current))
    for key, changes in by_key.items():
        _merge_record(current.get(key), changes, result, already_kept)
    return result


def _merge_record(now: Change | None, changes: list[Change], result: MergeResult, already_kept: Container[Stamp]) -> None:
    """Decide one record: its winner, whether the journal must write it, and which losers it overwrote unseen."""
    both = [*changes, now] if now is not None else changes
    candidates = {c.stamp: c for c in sorted(both, key=_rank)}  # one stamp twice (never made by the app): the higher rank stays
    winner = max(candidates.values(), key=_rank)
    result.winners[winner.key] = winner
    if winner != now:
        result.replaced.append(winner)
    ancestors = _ancestors(winner, candidates)
    for loser in sorted(candidates.values(), key=_rank):
        if loser is not winner and loser.stamp not in already_kept and _lost_unseen(loser, winner, ancestors):
            result.superseded.append((loser, winner))
