"""The journal's tables, described once: the schema as SQLAlchemy Core `Table`s, and which columns each reads.

These tables are the schema: a new journal is built from them, Alembic compares the migration
scripts with them (through `journal.storage.models`, the ORM classes mapped onto them), and
`journal.storage.statements` writes every statement from them. Opening and using a journal
never loads this module: the statements are compiled from it ahead of time into
`journal.storage.compiled` (a test recompiles them and compares), and the rows are turned into
records by `journal.storage.rows`, with nothing but the database driver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, Date, Float, ForeignKey, Integer, MetaData, String, Table, Text, text

from journal.storage import rows as rw

__all__ = ["metadata", "Rows", "ROWS", "STORED", "Stored", "stored"]

# Named constraints let a later SQLite batch migration find and alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> Column:
    return Column("id", String, primary_key=True)


def _note() -> Column:
    return Column("note", Text, nullable=False)


def _day_column(name: str, *, nullable: bool = False, index: bool = False) -> Column:
    return Column(name, Date, nullable=nullable, index=index)


# Version 2 (revision 0002). The columns a later revision adds come after a table's first ones, as
# SQLite's ALTER TABLE adds them, so a new journal and an upgraded one have their columns in one order.


def _precision(name: str) -> Column:
    """How precisely a date was entered ("day", "month", "year"); rows from before version 2 read as full dates."""
    return Column(name, String, nullable=False, server_default="day")


def _latest_end() -> Column:
    """The last day a partial end may mean (records.latest_day): what listing by date range matches
    an end on, so a trial ended "2019-03" still shows in a range from 2019-03-20. Written, not read back."""
    return Column("end_latest", Date, nullable=True)


def _origin() -> tuple[Column, Column]:
    """Where an imported record came from (records.Origin): the app's name, null for none, and its raw line."""
    return Column("origin_app", Text), Column("origin_raw", Text)


def _time() -> Column:
    """The local time of day as "HH:MM", or null for none."""
    return Column("time", String)


# ---------------------------------------------------------------------------------- the schema

# The one row naming whose journal this is.
profile = Table(
    "profile",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("display_name", Text),
    Column("birth_year", Integer),
)

# The one row of assessment settings (trd-rules.md).
settings = Table(
    "settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("adequate_weeks", Integer, nullable=False),
    Column("failure_threshold_pct", Integer, nullable=False),
    Column("count_augmentation", Boolean, nullable=False),
    Column("primary_scale", String, nullable=False),
    # records.Reminders, each null when off (version 2)
    Column("reminder_checkin_time", String),
    Column("reminder_questionnaire_every_days", Integer),
    Column("reminder_next_appointment", String),
    Column("reminder_next_session", String),
)

episodes = Table(
    "episodes",
    metadata,
    _id(),
    _day_column("start", index=True),
    _day_column("end", nullable=True),
    Column("severity", String),
    _note(),
    _precision("start_precision"),
    _precision("end_precision"),
    _latest_end(),
)

trials = Table(
    "trials",
    metadata,
    _id(),
    Column("drug", String, nullable=False),
    # The first dose step's start, kept here so listing by span needs no join.
    _day_column("start", index=True),
    _day_column("end", nullable=True),
    Column("augmentation", Boolean, nullable=False),
    Column("min_adequate_mg", Float),
    Column("stop_reason", String),
    Column("adherence", String),
    # A trial has at most one rating; a null response means none was given.
    Column("rating_response", String),
    Column("rating_improvement_pct", Float),
    _day_column("rating_date", nullable=True),
    _note(),
    _precision("end_precision"),
    _latest_end(),
    Column("source", String),
    *_origin(),
)

dose_steps = Table(
    "dose_steps",
    metadata,
    Column("trial_id", String, ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    _day_column("start"),
    # null: the dose is not remembered (version 2)
    Column("mg_per_day", Float),
    _precision("start_precision"),
)

side_effects = Table(
    "side_effects",
    metadata,
    Column("trial_id", String, ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("severity", Integer),
    _day_column("start", nullable=True),
    _day_column("end", nullable=True),
)

scores = Table(
    "scores",
    metadata,
    _id(),
    _day_column("date", index=True),
    Column("scale", String, nullable=False),
    Column("total", Integer, nullable=False),
    # Questionnaire answers in order, as a JSON list, exactly as given (null for total-only scales).
    Column("items", Text),
    Column("difficulty", Integer),
    _time(),
    *_origin(),
)

checkins = Table(
    "checkins",
    metadata,
    _id(),
    _day_column("date", index=True),
    Column("mood", Integer),
    Column("anxiety", Integer),
    Column("sleep_quality", Integer),
    Column("energy", Integer),
    Column("pain", Integer),
    Column("hours_slept", Float),
    _note(),
    _time(),
    *_origin(),
)

labs = Table(
    "labs",
    metadata,
    _id(),
    _day_column("date", index=True),
    Column("test", String, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String),
    _note(),
)

conditions = Table(
    "conditions",
    metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("status", String),
    _day_column("since", nullable=True),
    _note(),
    _precision("since_precision"),
)

sessions = Table(
    "sessions",
    metadata,
    _id(),
    # ISO 8601 text exactly as given, so the person's own UTC offset survives the round trip.
    Column("at", String, nullable=False),
    # The calendar date of `at` in its own offset: what date-range listings match on.
    _day_column("day", index=True),
    Column("treatment", String, nullable=False),
    Column("dose_mg", Float),
    Column("number_in_course", Integer),
    Column("bp_before_systolic", Integer),
    Column("bp_before_diastolic", Integer),
    Column("bp_after_systolic", Integer),
    Column("bp_after_diastolic", Integer),
    Column("dissociation", Integer),
    Column("sedation", Integer),
    Column("nausea", Integer),
    Column("transport_arranged", Boolean, nullable=False),
    _note(),
    # the rest of the clinic's monitoring form (ketamine.md, version 2)
    Column("phase", String),
    Column("bp_40min_systolic", Integer),
    Column("bp_40min_diastolic", Integer),
    Column("spo2_min", Float),
    Column("monitored_minutes", Integer),
    Column("ready_to_leave", Boolean, nullable=False, server_default=text("0")),
)

notes = Table(
    "notes",
    metadata,
    _id(),
    _day_column("date", index=True),
    Column("text", Text, nullable=False),
    Column("for_appointment", Boolean, nullable=False),
    *_origin(),
)

# Courses of psychotherapy (version 2): listed beside the trials, never counted.
therapies = Table(
    "therapies",
    metadata,
    _id(),
    Column("kind", String, nullable=False),
    Column("name", Text, nullable=False),
    _day_column("start", index=True),
    _precision("start_precision"),
    _day_column("end", nullable=True),
    _precision("end_precision"),
    _latest_end(),
    Column("sessions", Integer),
    Column("stop_reason", String),
    # at most one rating; a null response means none was given
    Column("rating_response", String),
    Column("rating_improvement_pct", Float),
    _day_column("rating_date", nullable=True),
    Column("source", String),
    *_origin(),
    _note(),
)

# The one row of what the journal remembers about itself (records.JournalState): its random id,
# the day of the latest report, and the suggested questions the person added or dismissed (JSON).
journal_state = Table(
    "journal_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("journal_id", String),
    Column("last_report", Date),
    Column("question_choices", Text, nullable=False),
)

# The one row of what the journal remembers of its sync through a folder (journal.syncing), as JSON:
# this computer's id, its clock, each record's last stamp and digest, the files read, the versions kept.
sync_state = Table(
    "sync_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("data", Text, nullable=False),
)

# Who entered a record when it was not the journal's owner (caregiver mode).
entries_by = Table(
    "entries_by",
    metadata,
    Column("record", String, primary_key=True),
    Column("author", Text, nullable=False),
)


# ------------------------------------------------------------------------------ rows and records


@dataclass(frozen=True)
class Rows:
    """One table as the journal reads and writes it.

    `read` are the columns `from_rows` takes, in that order (the first is what child rows are
    grouped by); `values` gives a record's row with every column of the table, in the table's order.
    """

    table: Table
    read: tuple[str, ...]
    from_rows: Callable[[Sequence[tuple]], list]
    values: Callable[[Any], tuple] | None = None
    order: tuple[str, ...] = ()  # child rows: the order they are read in
    # the rows of many records at once, for the kinds a long journal holds thousands of
    many: Callable[[Sequence[Any]], list[tuple]] | None = None

    @property
    def write(self) -> tuple[str, ...]:
        return tuple(self.table.c.keys())

def _all_but(table: Table, *left_out: str) -> tuple[str, ...]:
    names: list[str] = table.c.keys()  # the column names, in the table's order
    return tuple(c for c in names if c not in left_out)


def _rows(table: Table, read: tuple[str, ...], order: tuple[str, ...] = ()) -> Rows:
    convert = rw.CONVERT[table.name]
    return Rows(table, read, convert.from_rows, convert.values, order, convert.many)


# Every table of the schema, by its name.
ROWS: dict[str, Rows] = {
    "profile": _rows(profile, _all_but(profile, "id")),
    "settings": _rows(settings, _all_but(settings, "id")),
    # `end_latest` is written for listing by span and not read back (here and below).
    "episodes": _rows(episodes, _all_but(episodes, "end_latest")),
    # `start` is the first dose step's, written for listing by span and not read back.
    "trials": _rows(trials, _all_but(trials, "start", "end_latest")),
    "dose_steps": _rows(dose_steps, ("trial_id", "start", "mg_per_day", "start_precision"), order=("trial_id", "position")),
    "side_effects": _rows(side_effects, ("trial_id", "name", "severity", "start", "end"), order=("trial_id", "position")),
    "scores": _rows(scores, _all_but(scores)),
    "checkins": _rows(checkins, _all_but(checkins)),
    "labs": _rows(labs, _all_but(labs)),
    "conditions": _rows(conditions, _all_but(conditions)),
    # `day` is the calendar date of `at` in its own offset, written for date ranges and not read back.
    "sessions": _rows(sessions, _all_but(sessions, "day")),
    "notes": _rows(notes, _all_but(notes)),
    "therapies": _rows(therapies, _all_but(therapies, "end_latest")),
    "entries_by": _rows(entries_by, ("record", "author")),
    "journal_state": _rows(journal_state, _all_but(journal_state, "id")),
    "sync_state": _rows(sync_state, _all_but(sync_state, "id")),
}
assert set(ROWS) == set(rw.CONVERT) == set(metadata.tables), "every table is read and written"


# ------------------------------------------------------------------------ each record kind's table


@dataclass(frozen=True)
class Stored:
    """How one record kind (journal.kinds) is stored: its table and how a date range picks its records.

    A listing's date range is matched on `span` (the start and end columns of something that
    runs on while its end is empty), on `since` (what holds from a date on, or always when it
    has none) or on `day` (the one column holding the record's date).

    `sort_here`: kinds whose sort columns are read back are sorted in Python after a plain read,
    by the stored text: SQLite would walk the date index row by row and then sort each day's ids
    apart, a third slower for the thousands of daily check-ins. Stored dates and times ("HH:MM")
    are ISO text and SQLite compares text by its UTF-8 bytes, in code point order as Python
    does, so the order is the same; a sort column that may be empty (a check-in's time) puts
    the empty ones first, as SQLite does with nulls.
    """

    kind: str
    rows: Rows
    span: tuple[str, str] | None = None
    since: str | None = None
    day: str | None = None
    sort_here: bool = False

    @property
    def table(self) -> Table:
        return self.rows.table


STORED: dict[str, Stored] = {
    s.kind: s
    for s in (
        # A span runs from its start's earliest day to its end's latest (a partial end reaches its month's or year's last day).
        Stored("episodes", ROWS["episodes"], span=("start", "end_latest"), sort_here=True),
        Stored("trials", ROWS["trials"], span=("start", "end_latest")),
        Stored("scores", ROWS["scores"], day="date", sort_here=True),
        Stored("checkins", ROWS["checkins"], day="date", sort_here=True),
        Stored("labs", ROWS["labs"], day="date", sort_here=True),
        Stored("conditions", ROWS["conditions"], since="since"),
        Stored("sessions", ROWS["sessions"], day="day"),
        Stored("notes", ROWS["notes"], day="date", sort_here=True),
        Stored("therapies", ROWS["therapies"], span=("start", "end_latest")),
    )
}


def stored(kind: str) -> Stored:
    """How the record kind called `kind` is stored."""
    return STORED[kind]
