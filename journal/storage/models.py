"""The journal's tables as SQLAlchemy models: the schema of new journals and of the migrations (private to storage)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let a later SQLite batch migration find and alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProfileRow(Base):
    """The one row naming whose journal this is."""

    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str | None] = mapped_column(Text)
    birth_year: Mapped[int | None] = mapped_column(Integer)


class SettingsRow(Base):
    """The one row of assessment settings (trd-rules.md)."""

    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adequate_weeks: Mapped[int] = mapped_column(Integer)
    failure_threshold_pct: Mapped[int] = mapped_column(Integer)
    count_augmentation: Mapped[bool] = mapped_column(Boolean)
    primary_scale: Mapped[str] = mapped_column(String)


class EpisodeRow(Base):
    __tablename__ = "episodes"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date, index=True)
    end: Mapped[dt.date | None] = mapped_column(Date)
    severity: Mapped[str | None] = mapped_column(String)
    note: Mapped[str] = mapped_column(Text, default="")


class TrialRow(Base):
    __tablename__ = "trials"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    drug: Mapped[str] = mapped_column(String)
    # The first dose step's start, kept here so listing by span needs no join.
    start: Mapped[dt.date] = mapped_column(Date, index=True)
    end: Mapped[dt.date | None] = mapped_column(Date)
    augmentation: Mapped[bool] = mapped_column(Boolean, default=False)
    min_adequate_mg: Mapped[float | None] = mapped_column(Float)
    stop_reason: Mapped[str | None] = mapped_column(String)
    adherence: Mapped[str | None] = mapped_column(String)
    # A trial has at most one rating; a null response means none was given.
    rating_response: Mapped[str | None] = mapped_column(String)
    rating_improvement_pct: Mapped[float | None] = mapped_column(Float)
    rating_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class DoseStepRow(Base):
    __tablename__ = "dose_steps"

    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date)
    mg_per_day: Mapped[float] = mapped_column(Float)


class SideEffectRow(Base):
    __tablename__ = "side_effects"

    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    severity: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)


class ScoreRow(Base):
    __tablename__ = "scores"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    scale: Mapped[str] = mapped_column(String)
    total: Mapped[int] = mapped_column(Integer)
    # Questionnaire answers in order, as a JSON list, exactly as given (null for total-only scales).
    items: Mapped[str | None] = mapped_column(Text)
    difficulty: Mapped[int | None] = mapped_column(Integer)


class CheckInRow(Base):
    __tablename__ = "checkins"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    mood: Mapped[int | None] = mapped_column(Integer)
    anxiety: Mapped[int | None] = mapped_column(Integer)
    sleep_quality: Mapped[int | None] = mapped_column(Integer)
    energy: Mapped[int | None] = mapped_column(Integer)
    pain: Mapped[int | None] = mapped_column(Integer)
    hours_slept: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")


class LabRow(Base):
    __tablename__ = "labs"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    test: Mapped[str] = mapped_column(String)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String)
    note: Mapped[str] = mapped_column(Text, default="")


class ConditionRow(Base):
    __tablename__ = "conditions"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String)
    since: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    # ISO 8601 text exactly as given, so the person's own UTC offset survives the round trip.
    at: Mapped[str] = mapped_column(String)
    # The calendar date of `at` in its own offset: what date-range listings match on.
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    treatment: Mapped[str] = mapped_column(String)
    dose_mg: Mapped[float | None] = mapped_column(Float)
    number_in_course: Mapped[int | None] = mapped_column(Integer)
    bp_before_systolic: Mapped[int | None] = mapped_column(Integer)
    bp_before_diastolic: Mapped[int | None] = mapped_column(Integer)
    bp_after_systolic: Mapped[int | None] = mapped_column(Integer)
    bp_after_diastolic: Mapped[int | None] = mapped_column(Integer)
    dissociation: Mapped[int | None] = mapped_column(Integer)
    sedation: Mapped[int | None] = mapped_column(Integer)
    nausea: Mapped[int | None] = mapped_column(Integer)
    transport_arranged: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    for_appointment: Mapped[bool] = mapped_column(Boolean, default=False)


class EntryByRow(Base):
    """Who entered a record when it was not the journal's owner (caregiver mode)."""

    __tablename__ = "entries_by"

    record: Mapped[str] = mapped_column(String, primary_key=True)
    author: Mapped[str] = mapped_column(Text)
