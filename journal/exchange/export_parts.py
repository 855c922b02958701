"""What the CSV tables and the FHIR bundle read the same way: a dose step's end, the episode a date falls in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from journal.records import Episode, Trial, episode_holding

__all__ = ["Partial", "step_ends", "episode_holding", "trial_episode", "num"]

# A date as entered: the earliest day and how precisely it was given (records.date_text).
Partial = tuple[date, str]


def num(value: float) -> int | float:
    """A number as JSON and CSV write it: 50 for 50.0, 4.2 as it is."""
    return int(value) if float(value).is_integer() else value


def step_ends(trial: Trial) -> list[Partial | None]:
    """The last day of each dose step, as precisely as the journal knows it.

    A step ends the day before the next one starts. When the next start was entered as a month
    or a year, the dose changed some time in that month or year, so the step's end is that month
    or year (a day before it would claim a precision nobody entered). The last step ends with the trial.
    """
    ends: list[Partial | None] = []
    for nxt in trial.doses[1:]:
        if nxt.start_precision == "day":
            ends.append((nxt.start - timedelta(days=1), "day"))
        else:
            ends.append((nxt.start, nxt.start_precision))
    ends.append((trial.end, trial.end_precision) if trial.end is not None else None)
    return ends


def trial_episode(episodes: Sequence[Episode], trial: Trial) -> Episode | None:
    """The recorded episode a trial starts in: the one holding its first day (a month or a year read as its first day)."""
    return episode_holding(episodes, trial.doses[0].start) if trial.doses else None
