"""The sync clock: every change gets a stamp later than all before it, whatever the computer's wall clock does."""

from __future__ import annotations

import pytest

from journal.errors import JournalError
from journal.sync import Clock, Stamp, new_device_id, parse_stamp


class WallClock:
    """A wall clock the test sets by hand (seconds)."""

    def __init__(self, at: float):
        self.at = at

    def __call__(self) -> float:
        return self.at


def test_stamps_follow_the_wall_clock_and_count_within_a_millisecond():
    wall = WallClock(1733150000.123)
    clock = Clock("abcd", wall)
    first, second = clock.tick(), clock.tick()
    assert first == Stamp(1733150000123, 0, "abcd")
    assert second == Stamp(1733150000123, 1, "abcd")
    wall.at = 1733150001.0
    assert clock.tick() == Stamp(1733150001000, 0, "abcd")


def test_a_wall_clock_going_back_never_makes_an_earlier_stamp():
    wall = WallClock(1733150000.0)
    clock = Clock("abcd", wall)
    before = clock.tick()
    wall.at -= 3600  # the computer's clock is set back an hour
    after = [clock.tick() for _ in range(3)]
    assert before < after[0] < after[1] < after[2]
    assert str(before) < str(after[0]) < str(after[1]) < str(after[2])


def test_a_full_counter_moves_on_to_the_next_millisecond():
    clock = Clock("abcd", WallClock(1.0), start=Stamp(1000, 9999, "beef"))
    assert clock.tick() == Stamp(1001, 0, "abcd")


def test_observing_another_computers_later_change_puts_the_next_stamp_after_it():
    clock = Clock("abcd", WallClock(1733150000.0))
    ahead = Stamp(1733159999000, 5, "ffff")  # the other computer's clock runs hours ahead
    clock.observe(ahead)
    stamp = clock.tick()
    assert stamp > ahead and stamp.device == "abcd"


def test_observing_an_older_change_does_not_move_the_clock_back():
    clock = Clock("abcd", WallClock(1733150000.0))
    made = clock.tick()
    clock.observe(Stamp(5, 0, "ffff"))
    assert clock.tick() > made


def test_a_reopened_journal_starts_after_its_latest_stamp():
    clock = Clock("abcd", WallClock(1733150000.0))
    clock.observe(Stamp(1733150500000, 2, "ffff"))
    again = Clock("abcd", WallClock(1733150000.0), start=clock.last)
    assert again.tick() > Stamp(1733150500000, 2, "ffff")


def test_a_stamp_reads_back_from_its_text_and_the_texts_sort_like_the_stamps():
    stamps = [Stamp(1733150000123, 7, "abcd"), Stamp(99, 0, "ffff"), Stamp(1733150000123, 7, "abce"), Stamp(1733150000123, 12, "0000")]
    assert str(stamps[0]) == "000001733150000123-0007-abcd"
    assert [parse_stamp(str(s)) for s in stamps] == stamps
    assert sorted(stamps) == [parse_stamp(t) for t in sorted(str(s) for s in stamps)]


@pytest.mark.parametrize(
    "text",
    ["", "1733150000123-0007-abcd", "000001733150000123-0007-ABCD", "000001733150000123-7-abcd", "000001733150000123-0007-ab",
     "000001733150000123-0007-abcd ", 1733150000123, None],
)
def test_anything_but_a_stamp_is_refused_with_what_it_was(text):
    with pytest.raises(JournalError, match="is not a change stamp") as caught:
        parse_stamp(text)
    assert repr(text) in str(caught.value) or str(text) in str(caught.value)


def test_a_device_id_is_short_hex_and_fresh_each_time():
    ids = {new_device_id() for _ in range(20)}
    assert len(ids) == 20
    for device in ids:
        Clock(device)  # accepted
        assert len(device) == 16 and set(device) <= set("0123456789abcdef")
    with pytest.raises(JournalError, match="not a computer's id"):
        Clock("My Laptop")
