"""Merging two or three computers' changes: the latest change to a record wins everywhere, and a version typed elsewhere that lost is named."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.errors import JournalError
from journal.sync import Change, Clock, Stamp, merge

A, B, C = "aaaa", "bbbb", "cccc"


def stamp(ms: int, device: str, counter: int = 0) -> Stamp:
    return Stamp(ms, counter, device)


def note(ms: int, device: str, text: str | None, base: Stamp | None = None, rid: str = "n-1") -> Change:
    return Change("notes", rid, stamp(ms, device), None if text is None else {"id": rid, "date": "2024-12-01", "text": text}, base)


def test_a_record_added_on_one_computer_is_added_on_the_other():
    added = note(1000, A, "slept badly")
    result = merge({}, [added])
    assert result.winners == {("notes", "n-1"): added}
    assert result.replaced == [added] and result.superseded == []


def test_the_later_edit_wins_and_the_earlier_one_made_unseen_is_named():
    on_a, on_b = note(1000, A, "first words"), note(2000, B, "other words")
    for current, incoming in (({on_a.key: on_a}, [on_b]), ({on_b.key: on_b}, [on_a])):
        result = merge(current, incoming)
        assert result.winners[on_a.key] == on_b
        assert result.superseded == [(on_a, on_b)]
        assert result.conflicts == 1
    assert merge({on_a.key: on_a}, [on_b]).replaced == [on_b]
    assert merge({on_b.key: on_b}, [on_a]).replaced == []  # the journal already holds the winner: nothing to write


def test_an_edit_made_over_the_other_computers_version_is_no_conflict():
    on_a = note(1000, A, "first words")
    on_b = note(2000, B, "first words, and more", base=on_a.stamp)
    result = merge({on_a.key: on_a}, [on_b])
    assert result.winners[on_a.key] == on_b and result.superseded == []


def test_a_chain_of_edits_through_the_files_at_hand_is_no_conflict():
    on_a = note(1000, A, "one")
    b1 = note(2000, B, "two", base=on_a.stamp)
    b2 = note(3000, B, "three", base=b1.stamp)
    assert merge({on_a.key: on_a}, [b2, b1]).superseded == []
    # Without the middle version at hand the ancestry is unknown: it says too much rather than too little.
    assert merge({on_a.key: on_a}, [b2]).superseded == [(on_a, b2)]


def test_a_computers_own_earlier_edit_is_no_conflict():
    first, second = note(1000, A, "draft"), note(2000, A, "final")
    result = merge({}, [second, first])
    assert result.winners[first.key] == second and result.superseded == [] and result.replaced == [second]


def test_the_same_words_on_both_computers_are_no_conflict():
    assert merge({}, [note(1000, A, "same"), note(2000, B, "same")]).superseded == []


def test_a_later_deletion_deletes_and_keeps_the_edit_it_never_saw():
    edit, deletion = note(1000, A, "kept words"), note(2000, B, None)
    result = merge({edit.key: edit}, [deletion])
    assert result.winners[edit.key].deleted
    assert result.replaced == [deletion]
    assert result.superseded == [(edit, deletion)]


def test_a_later_edit_wins_over_an_earlier_deletion_and_a_lost_deletion_is_not_listed():
    deletion, edit = note(1000, A, None), note(2000, B, "still here")
    result = merge({deletion.key: deletion}, [edit])
    assert result.winners[edit.key] == edit and result.replaced == [edit]
    assert result.superseded == []  # the deletion took nothing typed with it


def test_an_older_edit_arriving_after_a_deletion_does_not_bring_the_record_back():
    edit, deletion = note(1000, A, "old"), note(2000, A, None, base=stamp(1000, A))
    result = merge({deletion.key: deletion}, [edit])
    assert result.winners[edit.key] == deletion and result.replaced == []


def test_settings_and_the_profile_merge_like_records():
    s_a = Change("settings", "settings", stamp(1000, A), {"week_starts": "monday"})
    s_b = Change("settings", "settings", stamp(2000, B), {"week_starts": "sunday"})
    p_a = Change("profile", "profile", stamp(1500, A), {"name": "R."})
    result = merge({s_a.key: s_a}, [s_b, p_a])
    assert result.winners == {("settings", "settings"): s_b, ("profile", "profile"): p_a}
    assert sorted(c.kind for c in result.replaced) == ["profile", "settings"]
    assert result.superseded == [(s_a, s_b)]


def test_merging_the_same_changes_again_changes_nothing():
    changes = [note(1000, A, "a"), note(2000, B, "b"), note(1500, C, "c", rid="n-2"), note(3000, A, None, rid="n-2")]
    first = merge({}, changes)
    again = merge(first.winners, changes, already_kept={loser.stamp for loser, _ in first.superseded})
    assert again.winners == first.winners and again.replaced == [] and again.superseded == []
    assert merge(first.winners, changes).replaced == []


def test_records_of_other_kinds_or_ids_are_left_alone():
    other = Change("trials", "t-1", stamp(500, C), {"drug": "sertraline"})
    result = merge({other.key: other}, [note(1000, A, "a")])
    assert result.winners[other.key] == other and other not in result.replaced


@pytest.mark.parametrize(
    ("kind", "rid", "data", "words"),
    [
        ("diary", "x-1", None, "not a kind of record"),
        ("settings", "s-1", {}, "must have the id 'settings'"),
        ("notes", "", None, "record id"),
        ("notes", "n-1", ["text"], "must be a record"),
    ],
)
def test_a_change_that_breaks_the_rules_is_refused_by_what_is_wrong(kind, rid, data, words):
    with pytest.raises(JournalError, match=words):
        Change(kind, rid, stamp(1, A), data)


# The property tests: computers editing, deleting and syncing at random, their changes cut into files in any order.

KEYS = [("notes", "n-1"), ("notes", "n-2"), ("trials", "t-1"), ("settings", "settings"), ("profile", "profile")]


@dataclass
class Computer:
    clock: Clock
    state: dict = field(default_factory=dict)
    made: list = field(default_factory=list)


class Wall:
    def __init__(self) -> None:
        self.at = 1733150000.0

    def __call__(self) -> float:
        return self.at


edit_op = st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, len(KEYS) - 1), st.sampled_from(["x", "y", "z", None]))
sync_op = st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.none())
time_op = st.tuples(st.just("time"), st.integers(-5000, 5000), st.none(), st.none())  # the wall clock may go back


def simulate(devices: int, ops: list) -> list[Change]:
    """Every change `devices` computers make while editing and syncing as `ops` says, each edit made over what that computer held."""
    wall = Wall()
    computers = [Computer(Clock(d, wall)) for d in (A, B, C)[:devices]]
    for op, x, y, value in ops:
        if op == "time":
            wall.at += x / 1000
            continue
        here = computers[x % devices]
        if op == "edit":
            kind, rid = KEYS[y]
            held = here.state.get((kind, rid))
            change = Change(kind, rid, here.clock.tick(), None if value is None else {"v": value}, None if held is None else held.stamp)
            here.state[change.key] = change
            here.made.append(change)
        else:
            theirs = computers[y % devices].made
            here.state = merge(here.state, theirs).winners
            for change in theirs:
                here.clock.observe(change.stamp)
    return [change for computer in computers for change in computer.made]


def cut(changes: list[Change], order: list[int], cuts: list[int]) -> list[list[Change]]:
    """The changes in the order given, cut into files at the given places."""
    shuffled = [changes[i] for i in order]
    places = sorted({c % (len(shuffled) + 1) for c in cuts} | {0, len(shuffled)})
    return [shuffled[a:b] for a, b in zip(places, places[1:], strict=False)]


def ancestors_of_others(changes: list[Change]) -> set[Stamp]:
    """Stamps some computer knowingly made a change over: its own earlier ones, and every base."""
    known = {c.base for c in changes if c.base is not None}
    known |= {c.stamp for c in changes for d in changes if d.key == c.key and d.stamp.device == c.stamp.device and d.stamp > c.stamp}
    return known


@st.composite
def histories(draw):
    devices = draw(st.integers(2, 3))
    changes = simulate(devices, draw(st.lists(st.one_of(edit_op, edit_op, sync_op, time_op), max_size=30)))
    order = draw(st.permutations(range(len(changes))))
    cuts = draw(st.lists(st.integers(0, 40), max_size=6))
    return changes, cut(changes, list(order), cuts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_any_order_of_any_files_gives_the_same_journal_and_keeps_every_version_that_lost(history):
    changes, files = history
    everything = merge({}, changes)
    state: dict = {}
    kept: set[Stamp] = set()
    for file in files:
        result = merge(state, file)
        state = result.winners
        kept |= {c.stamp for c in result.replaced} | {loser.stamp for loser, _ in result.superseded}
    assert state == everything.winners
    for key, winner in state.items():
        assert winner.stamp == max(c.stamp for c in changes if c.key == key)
    again = merge(state, changes)
    assert again.winners == state and again.replaced == []
    kept |= {c.stamp for c in state.values()}
    spared = ancestors_of_others(changes)
    kept_data = {(c.key, repr(c.data)) for c in changes if c.stamp in kept}
    lost = [c for c in changes if c.data is not None and c.stamp not in kept and c.stamp not in spared and (c.key, repr(c.data)) not in kept_data]
    assert lost == []


def test_two_computers_editing_the_same_record_unseen_is_named_whichever_file_comes_first():
    changes = simulate(2, [("edit", 0, 0, "x"), ("time", 10, None, None), ("edit", 1, 0, "y")])
    for files in ([changes[:1], changes[1:]], [changes[1:], changes[:1]]):
        state: dict = {}
        named = []
        for file in files:
            result = merge(state, file)
            state, named = result.winners, named + result.superseded
        assert named == [(changes[0], changes[1])]
