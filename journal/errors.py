"""Errors the journal raises, each naming what is wrong in plain words."""

from __future__ import annotations

from dataclasses import dataclass


class JournalError(Exception):
    """Something the person can act on: the message is shown to them as it is."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field, e.g. `trials[t3].doses[1].mg_per_day`."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ValidationError(JournalError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def for_field(self, name: str) -> list[Problem]:
        """Problems whose field is `name` or lies inside it (`doses` matches `doses[1].mg_per_day`)."""
        return [p for p in self.problems if p.field == name or p.field.startswith((name + ".", name + "["))]


class NotFoundError(JournalError):
    """A record id the journal does not hold."""


class WrongPassphraseError(JournalError):
    """The passphrase (or recovery code) does not open this journal."""


class JournalLockedError(JournalError):
    """Another window or process has this journal open."""


class DamagedJournalError(JournalError):
    """The journal's file is damaged (or is no longer a journal); `backup` is its newest good backup, or None."""

    def __init__(self, message: str, backup: object = None):
        super().__init__(message)
        self.backup = backup
