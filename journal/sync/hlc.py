"""A hybrid logical clock: every change a computer makes gets a stamp later than all it has made or seen, whatever its wall clock says."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from journal.errors import JournalError

__all__ = ["Stamp", "Clock", "parse_stamp", "new_device_id", "WALL_DIGITS", "COUNTER_DIGITS"]

WALL_DIGITS = 18  # milliseconds since 1970: 18 digits last far beyond any journal
COUNTER_DIGITS = 4
_MAX_WALL = 10**WALL_DIGITS - 1
_MAX_COUNTER = 10**COUNTER_DIGITS - 1
# A device id is short lowercase hex, so a stamp's text sorts exactly as the stamps do.
DEVICE_PATTERN = "[0-9a-f]{4,32}"
STAMP_PATTERN = rf"\d{{{WALL_DIGITS}}}-\d{{{COUNTER_DIGITS}}}-{DEVICE_PATTERN}"
_DEVICE = re.compile(DEVICE_PATTERN)
_STAMP = re.compile(rf"(\d{{{WALL_DIGITS}}})-(\d{{{COUNTER_DIGITS}}})-({DEVICE_PATTERN})")


def new_device_id() -> str:
    """A fresh id for this computer's copy of a journal: 16 random hex digits, made once and kept by the journal."""
    return secrets.token_hex(8)


def check_device(device: object) -> str:
    """`device` if it is a device id (4 to 32 lowercase hex digits); otherwise a plain message saying what it is."""
    if not isinstance(device, str) or not _DEVICE.fullmatch(device):
        raise JournalError(f"{device!r} is not a computer's id: it should be 4 to 32 lowercase hex digits (0-9, a-f).")
    return device


@dataclass(frozen=True, order=True)
class Stamp:
    """When a change was made: the wall clock in milliseconds, a counter for changes within one millisecond, and the computer."""

    wall: int
    counter: int
    device: str

    def __post_init__(self) -> None:
        if isinstance(self.wall, bool) or not isinstance(self.wall, int) or not 0 <= self.wall <= _MAX_WALL:
            raise JournalError(f"A change stamp's time {self.wall!r} is not a number of milliseconds from 0 to {_MAX_WALL}.")
        if isinstance(self.counter, bool) or not isinstance(self.counter, int) or not 0 <= self.counter <= _MAX_COUNTER:
            raise JournalError(f"A change stamp's counter {self.counter!r} is not a whole number from 0 to {_MAX_COUNTER}.")
        check_device(self.device)

    def __str__(self) -> str:
        """The text form, e.g. '000001733150000123-0007-3f9a2c41': sorting these texts sorts the stamps."""
        return f"{self.wall:0{WALL_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.device}"


def parse_stamp(text: object) -> Stamp:
    """The stamp that `text` writes (as `str(stamp)` does); anything else is refused with a message quoting it."""
    if not isinstance(text, str):
        raise JournalError(f"{text!r} is not a change stamp: a stamp is written as text.")
    found = _STAMP.fullmatch(text)
    if found is None:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise JournalError(
            f"'{shown}' is not a change stamp: it should read like 000001733150000123-0007-3f9a2c41 "
            f"({WALL_DIGITS} digits of time, {COUNTER_DIGITS} of counter, then the computer's hex id)."
        )
    return Stamp(int(found.group(1)), int(found.group(2)), found.group(3))


def _after(wall: int, counter: int) -> tuple[int, int]:
    """The next (wall, counter) after the given one; a full counter moves on to the next millisecond."""
    if counter < _MAX_COUNTER:
        return wall, counter + 1
    return wall + 1, 0


class Clock:
    """One computer's clock for one journal: `tick()` stamps a change made here, `observe()` takes in a change read from elsewhere.

    `start` is the latest stamp the journal holds (made here or read from another computer),
    so a reopened journal never stamps a change earlier than one it already has.
    """

    def __init__(self, device: str, now: Callable[[], float] = time.time, *, start: Stamp | None = None):
        self.device = check_device(device)
        self._now = now
        self._wall, self._counter = (start.wall, start.counter) if start is not None else (-1, 0)

    def _wall_now(self) -> int:
        return min(max(int(self._now() * 1000), 0), _MAX_WALL)

    def tick(self) -> Stamp:
        """A stamp for a change made now on this computer: later than every stamp made or observed, even if the wall clock went back."""
        wall = self._wall_now()
        if wall > self._wall:
            self._wall, self._counter = wall, 0
        else:
            self._wall, self._counter = _after(self._wall, self._counter)
        return Stamp(self._wall, self._counter, self.device)

    def observe(self, stamp: Stamp) -> None:
        """Take in a stamp read from another computer's change, so every later `tick()` comes after it."""
        if (stamp.wall, stamp.counter) > (self._wall, self._counter):
            self._wall, self._counter = stamp.wall, stamp.counter

    @property
    def last(self) -> Stamp | None:
        """The latest stamp this clock has made or observed, with this computer's id (what the journal keeps for `start`), or None."""
        return None if self._wall < 0 else Stamp(self._wall, self._counter, self.device)
