"""Wrong passphrases on the command line slow the next try down, as in the window; nothing is wiped, nothing slept for real."""

from __future__ import annotations

import stat

import pytest

from journal.cli import open_access_for_cli
from journal.errors import WrongPassphraseError
from journal.opening import open_journal, restore_journal
from journal.safekeeping.keystore import KdfParams
from journal.safekeeping.wrong_tries import WrongTries, delay_after, tries_path

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASS = "a long enough passphrase"


class Clock:
    """A clock that only moves when the fake sleep sleeps."""

    def __init__(self):
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def encrypted(tmp_path):
    path = tmp_path / "journal.db"
    access = open_journal(path, passphrase=PASS, create=True, kdf=FAST)
    made = access.backup("manual")
    access.close(backup=False)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    right = tmp_path / "right.txt"
    right.write_text(PASS + "\n")
    return path, wrong, right, made


def test_three_tries_are_free_then_the_wait_doubles_up_to_half_a_minute():
    assert [delay_after(n) for n in (0, 1, 2, 3, 4, 5, 6, 20)] == [0, 0, 0, 0, 1, 2, 4, 30]


def test_each_wrong_passphrase_makes_the_next_command_wait_longer(encrypted):
    path, wrong, right, _ = encrypted
    clock = Clock()
    messages = []
    for _ in range(6):
        tries = WrongTries(path, sleep=clock.sleep, clock=clock.time)
        with pytest.raises(WrongPassphraseError) as caught:
            open_access_for_cli(path, wrong, False, tries=tries)
        messages.append(str(caught.value))
    assert clock.slept == [1, 2]  # before the 5th and 6th tries: three free, then 1, 2, 4, ... seconds
    assert "The next try will wait" not in messages[2]
    assert messages[3].endswith("The next try will wait 1 second.")
    assert messages[5].endswith("The next try will wait 4 seconds.")
    assert stat.S_IMODE(tries_path(path).stat().st_mode) == 0o600
    assert path.name not in tries_path(path).read_text()

    # the right passphrase waits its turn too, then opens and starts the count afresh
    access = open_access_for_cli(path, right, False, tries=WrongTries(path, sleep=clock.sleep, clock=clock.time))
    access.close(backup=False)
    assert clock.slept == [1, 2, 4]
    assert not tries_path(path).exists()


def test_time_already_passed_counts_towards_the_wait(encrypted):
    path, wrong, _, _ = encrypted
    clock = Clock()
    for _ in range(5):
        with pytest.raises(WrongPassphraseError):
            open_access_for_cli(path, wrong, False, tries=WrongTries(path, sleep=clock.sleep, clock=clock.time))
    assert clock.slept == [1]
    clock.now += 60  # a minute later: the 2 seconds earned are long over
    with pytest.raises(WrongPassphraseError):
        open_access_for_cli(path, wrong, False, tries=WrongTries(path, sleep=clock.sleep, clock=clock.time))
    assert clock.slept == [1]


def test_restoring_from_the_command_line_counts_wrong_passphrases_too(encrypted):
    path, _, _, made = encrypted
    clock = Clock()
    for _ in range(5):
        with pytest.raises(WrongPassphraseError):
            restore_journal(path, made.path, passphrase="not it", tries=WrongTries(path, sleep=clock.sleep, clock=clock.time))
    assert clock.slept == [1]
    assert WrongTries(path).count == 5
