"""Wrong passphrase tries only slow down; nothing is ever wiped. One policy for the window and the command line.

The first `FREE_TRIES` wrong tries cost nothing (typos happen); after that each one makes
the next try wait longer: 1, 2, 4, ... seconds, never more than `MAX_DELAY_S`.

The window counts tries while its passphrase question is open (ui/lock.py). The command
line runs once per try, so `WrongTries` remembers the count beside the journal, in
`<journal>.tries` (0600: a number and the time of the last wrong try, nothing else), and
makes the next command wait out what is left of the delay before the passphrase is
checked. A right passphrase removes the file.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from journal.files.hygiene import PRIVATE_FILE_MODE
from journal.files.own_files import TRIES_SUFFIX

__all__ = ["FREE_TRIES", "MAX_DELAY_S", "delay_after", "tries_path", "WrongTries"]

FREE_TRIES = 3
MAX_DELAY_S = 30


def delay_after(wrong_tries: int) -> int:
    """Seconds before the next try is allowed, after `wrong_tries` wrong ones in a row."""
    extra = wrong_tries - FREE_TRIES
    return 0 if extra <= 0 else min(2 ** (extra - 1), MAX_DELAY_S)


def tries_path(journal_path: str | os.PathLike[str]) -> Path:
    journal_path = Path(journal_path)
    return journal_path.with_name(journal_path.name + TRIES_SUFFIX)


def _seconds(n: float) -> str:
    n = int(round(n))
    return f"{n} second{'' if n == 1 else 's'}"


class WrongTries:
    """The wrong tries remembered for one journal across commands; `sleep` and `clock` are handed in by tests."""

    def __init__(
        self,
        journal_path: str | os.PathLike[str],
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ):
        self.path = tries_path(journal_path)
        self._sleep = sleep
        self._clock = clock

    def _read(self) -> tuple[int, float]:
        try:
            count, last = self.path.read_text(encoding="ascii").split()
            return max(0, int(count)), float(last)
        except (OSError, ValueError):
            return 0, 0.0  # none yet, or unreadable: no wait (a wrong try writes it afresh)

    @property
    def count(self) -> int:
        return self._read()[0]

    def wait_turn(self) -> float:
        """Wait out what is left of the delay the earlier wrong tries earned; returns the seconds waited."""
        count, last = self._read()
        left = delay_after(count) - (self._clock() - last)
        if left > 0:
            left = min(left, MAX_DELAY_S)  # a clock set back never makes anyone wait longer than the policy
            self._sleep(left)
            return left
        return 0.0

    def wrong(self) -> str:
        """Count one more wrong try; returns the words to add to the message (how long the next try waits)."""
        count = self._read()[0] + 1
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        try:
            os.write(fd, f"{count} {self._clock():.3f}\n".encode("ascii"))
        finally:
            os.close(fd)
        wait = delay_after(count)
        return f"The next try will wait {_seconds(wait)}." if wait else ""

    def right(self) -> None:
        """The passphrase was right: start counting afresh."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
