"""The journal's tables as SQLAlchemy ORM classes, for Alembic and for building a new file (private to storage).

The schema itself is written once, as Core tables in `journal.storage.tables`; these classes
are only mapped onto them, so that the ORM, which opening and listing a journal never need,
loads only when a new file is made or a migration runs.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from journal.storage import tables as tb

NAMING_CONVENTION = tb.NAMING_CONVENTION


class Base(DeclarativeBase):
    metadata = tb.metadata


class ProfileRow(Base):
    """The one row naming whose journal this is."""

    __table__ = tb.profile


class SettingsRow(Base):
    """The one row of assessment settings (trd-rules.md)."""

    __table__ = tb.settings


class EpisodeRow(Base):
    __table__ = tb.episodes


class TrialRow(Base):
    __table__ = tb.trials


class DoseStepRow(Base):
    __table__ = tb.dose_steps


class SideEffectRow(Base):
    __table__ = tb.side_effects


class ScoreRow(Base):
    __table__ = tb.scores


class CheckInRow(Base):
    __table__ = tb.checkins


class LabRow(Base):
    __table__ = tb.labs


class ConditionRow(Base):
    __table__ = tb.conditions


class SessionRow(Base):
    __table__ = tb.sessions


class NoteRow(Base):
    __table__ = tb.notes


class EntryByRow(Base):
    """Who entered a record when it was not the journal's owner (caregiver mode)."""

    __table__ = tb.entries_by


class JournalStateRow(Base):
    """The one row of what the journal remembers about itself: its id, the latest report, question choices."""

    __table__ = tb.journal_state


class SyncStateRow(Base):
    """The one row of what the journal remembers of its sync through a folder (JSON)."""

    __table__ = tb.sync_state


class TherapyRow(Base):
    """A course of psychotherapy (version 2)."""

    __table__ = tb.therapies
