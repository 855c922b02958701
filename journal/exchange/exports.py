"""Exports other software reads: spreadsheets (CSV, one file per record kind) and FHIR R4 bundles (journal.exchange.fhir)."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from datetime import time as TimeOfDay
from pathlib import Path
from typing import Any

from journal.clinical.assessment import RULES_VERSION
from journal.clinical.catalog import Catalog, load_catalog
from journal.exchange.export_parts import Partial, episode_holding, step_ends, trial_episode
from journal.exchange.fhir import LOCAL_SCALE_SYSTEM, fhir_bundle, write_fhir
from journal.files.atomic import atomic_directory, atomic_write
from journal.records import DAILY_FIELDS, Episode, JournalContents, Origin, Rating, date_text, time_text

__all__ = [
    "CSV_TABLES",
    "CSV_README",
    "CSV_COLUMNS",
    "RULES_VERSION",
    "csv_tables",
    "write_csv",
    "fhir_bundle",
    "write_fhir",
    "LOCAL_SCALE_SYSTEM",
]


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection);
# OWASP's list, including tab and carriage return.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_PRECISION = "how precisely {} was entered: day, month or year (empty when there is no date)"
_RATING = (
    ("rating_response", "the person's own rating: none, partial, response or remission"),
    ("rating_improvement_pct", "how much better, in percent, by the person's own judgement"),
    ("rating_date", "the day the rating was made (YYYY-MM-DD)"),
)
_ORIGIN = (
    ("origin_app", "the app a record was imported from (empty: entered in the journal)"),
    ("origin_raw", "that app's original values, as one line of text"),
)
_EPISODE_ID = "the recorded episode this {} falls in (id in episodes.csv); empty when none"

# Every table with what it holds and each column with what it means, in file order. The headers
# are read from here, so the README inside the zip can never miss a column.
CSV_COLUMNS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "profile_and_settings": (
        "who the journal belongs to and the settings of its rule, one row: with trials.csv, dose_steps.csv, "
        "episodes.csv and scores.csv the rule (trd-rules.md) can be run again",
        (
            ("journal_id", "the journal's random id (a UUID); the FHIR export's Patient identifier is urn:uuid:<this id>"),
            ("display_name", "the name the person chose for the journal, as they wrote it (not necessarily a legal name)"),
            ("birth_year", "year of birth (YYYY)"),
            ("adequate_weeks", "weeks at an adequate dose a trial needs to count as adequate"),
            ("failure_threshold_pct", "improvement in percent below which an adequate trial counts as not having worked"),
            ("count_augmentation", "true when add-on (augmentation) treatments count toward the number of trials"),
            ("primary_scale", "the scale whose scores decide a trial's outcome when the person gave no rating"),
            ("rules_version", "the version of the rules (trd-rules.md) the journal applies"),
            ("reminder_checkin_time", "daily check-in reminder, HH:MM local time (empty: off)"),
            ("reminder_questionnaire_every_days", "questionnaire reminder, every so many days (empty: off)"),
            ("reminder_next_appointment", "next appointment: a date, or a date and time with its UTC offset"),
            ("reminder_next_session", "next treatment session: a date, or a date and time with its UTC offset"),
        ),
    ),
    "episodes": (
        "depressive episodes",
        (
            ("id", "the record's id, unique in the journal"),
            ("start", "when the episode started (a date, a month or a year, as entered)"),
            ("end", "when it ended (empty: not ended)"),
            ("severity", "subsyndromal, mild, moderate, severe or severe_psychotic"),
            ("note", "the person's note"),
            ("start_precision", _PRECISION.format("start")),
            ("end_precision", _PRECISION.format("end")),
        ),
    ),
    "trials": (
        "medication trials, one row per trial",
        (
            ("id", "the record's id, unique in the journal"),
            ("drug", "the drug as the person typed it (a brand or generic name)"),
            ("generic", "the generic name from the journal's drug catalog (empty: a drug the catalog does not know)"),
            ("drug_class", "the drug's class from the catalog, e.g. SSRI (empty: not in the catalog)"),
            ("augmentation", "true when taken as an add-on to an antidepressant"),
            ("min_adequate_mg", "the person's own minimum adequate dose, mg per day (empty: the catalog's minimum applies)"),
            ("start", "the first dose step's start"),
            ("end", "when the trial ended (empty: still taking it)"),
            ("stop_reason", "ineffective, side_effects, remission, cost, clinician_advice or other"),
            ("adherence", "good or poor (empty: not recorded)"),
            *_RATING,
            ("note", "the person's note"),
            ("source", "where the details come from: memory or records"),
            *_ORIGIN,
            ("episode_id", _EPISODE_ID.format("trial starts")),
            ("start_precision", _PRECISION.format("start")),
            ("end_precision", _PRECISION.format("end")),
        ),
    ),
    "dose_steps": (
        "each trial's dose steps, in order",
        (
            ("trial_id", "the trial (id in trials.csv)"),
            ("step", "1 for the first step, then 2, 3 ..."),
            ("start", "when this dose started"),
            ("end", "when it ended: the day before the next step, or the trial's end"),
            ("mg_per_day", "the daily dose in milligrams (empty: not remembered)"),
            ("start_precision", _PRECISION.format("start")),
            ("end_precision", _PRECISION.format("end")),
        ),
    ),
    "side_effects": (
        "each trial's side effects",
        (
            ("trial_id", "the trial (id in trials.csv)"),
            ("name", "the side effect, in the person's words"),
            ("severity", "1 mild, 2 moderate, 3 severe"),
            ("start", "when it started (YYYY-MM-DD)"),
            ("end", "when it ended (YYYY-MM-DD)"),
        ),
    ),
    "therapies": (
        "psychotherapy courses (listed beside the trials, never counted by the rule)",
        (
            ("id", "the record's id, unique in the journal"),
            ("kind", "cbt, behavioural_activation, ipt, mbct, psychodynamic, dbt, emdr or other"),
            ("name", "what the person calls it"),
            ("start", "when the course started"),
            ("end", "when it ended (empty: still going)"),
            ("sessions", "number of sessions"),
            ("stop_reason", "ineffective, side_effects, remission, cost, clinician_advice or other"),
            *_RATING,
            ("source", "where the details come from: memory or records"),
            ("note", "the person's note"),
            *_ORIGIN,
            ("start_precision", _PRECISION.format("start")),
            ("end_precision", _PRECISION.format("end")),
        ),
    ),
    "scores": (
        "rating-scale scores",
        (
            ("id", "the record's id, unique in the journal"),
            ("date", "the day of the score (YYYY-MM-DD)"),
            ("scale", "PHQ-9, GAD-7, QIDS-SR16, MADRS or HAMD-17"),
            ("total", "the total score"),
            *((f"item_{i}", f"the answer to question {i} (0-3), PHQ-9 and GAD-7 only") for i in range(1, 10)),
            ("difficulty", "the PHQ-9's closing question, 0 not difficult at all to 3 extremely difficult"),
            ("time", "local time of day, HH:MM, with no UTC offset (empty: not given)"),
            *_ORIGIN,
            ("episode_id", _EPISODE_ID.format("score")),
        ),
    ),
    "checkins": (
        "daily check-ins",
        (
            ("id", "the record's id, unique in the journal"),
            ("date", "the day (YYYY-MM-DD)"),
            *((f, f"{f.replace('_', ' ')}, 0-10") for f in DAILY_FIELDS),
            ("hours_slept", "hours slept"),
            ("note", "the person's note"),
            ("time", "local time of day, HH:MM, with no UTC offset (empty: not given)"),
            *_ORIGIN,
        ),
    ),
    "labs": (
        "laboratory results",
        (
            ("id", "the record's id, unique in the journal"),
            ("date", "the day of the test (YYYY-MM-DD)"),
            ("test", "the test as the person named it"),
            ("value", "the result, a number"),
            ("unit", "the unit as the person typed it"),
            ("note", "the person's note"),
        ),
    ),
    "conditions": (
        "other conditions and how far they have been looked into",
        (
            ("id", "the record's id, unique in the journal"),
            ("name", "the condition, in the person's words"),
            ("status", "suspected, assessed, diagnosed or treated"),
            ("since", "since when (a date, a month or a year, as entered)"),
            ("note", "the person's note"),
            ("since_precision", _PRECISION.format("since")),
        ),
    ),
    "sessions": (
        "esketamine, ketamine, ECT and rTMS sessions",
        (
            ("id", "the record's id, unique in the journal"),
            ("datetime", "when: ISO 8601 date and time with the UTC offset the person's clock had, e.g. 2025-08-05T09:30:00+02:00"),
            ("treatment", "esketamine, ketamine_iv, ect, rtms or other"),
            ("dose_mg", "the dose given, mg"),
            ("number_in_course", "which session of the course"),
            ("bp_before_systolic", "blood pressure before the dose, systolic, mmHg"),
            ("bp_before_diastolic", "blood pressure before the dose, diastolic, mmHg"),
            ("bp_after_systolic", "blood pressure after the dose, systolic, mmHg"),
            ("bp_after_diastolic", "blood pressure after the dose, diastolic, mmHg"),
            ("dissociation", "0-10, as the person rated it"),
            ("sedation", "0-10"),
            ("nausea", "0-10"),
            ("transport_arranged", "true when transport home was arranged"),
            ("note", "the person's note"),
            ("phase", "induction, optimisation or maintenance"),
            ("bp_40min_systolic", "blood pressure about 40 minutes after the dose, systolic, mmHg"),
            ("bp_40min_diastolic", "blood pressure about 40 minutes after the dose, diastolic, mmHg"),
            ("spo2_min", "lowest pulse oximetry reading while monitored, %"),
            ("monitored_minutes", "minutes monitored after the dose"),
            ("ready_to_leave", "true when the clinic judged the person ready to leave"),
        ),
    ),
    "notes": (
        "notes and questions (kept out of the FHIR export: they are the person's own)",
        (
            ("id", "the record's id, unique in the journal"),
            ("date", "the day (YYYY-MM-DD)"),
            ("text", "the note"),
            ("for_appointment", "true when it is a question for the next appointment"),
            *_ORIGIN,
        ),
    ),
    "entries_by": (
        "records entered by someone other than the journal's owner (caregiver mode)",
        (
            ("record_id", "the record (the id column of another file)"),
            ("author", "who entered it, as they are named in the journal"),
        ),
    ),
}

CSV_TABLES: tuple[str, ...] = tuple(CSV_COLUMNS)

_README_HEAD = """\
Trial Journal: spreadsheet export
=================================

One CSV file per kind of record, each with a header row. Files are UTF-8 with a byte-order
mark so spreadsheet programs show accents and other letters correctly. Empty cells mean
"not recorded". Numbers use a full stop for decimals; true/false for yes/no.

Dates. A full date is YYYY-MM-DD. A date entered as a month or a year (a trial's start or
end, a dose step's start, an episode's, a psychotherapy course's, a condition's "since") is
written as entered: YYYY-MM or YYYY, and the column <name>_precision beside it says day, month
or year. Read such a date as any day of that month or year: the journal reads a partial
start as its first day and a partial episode end as its last day.

Times. A session's datetime is its date and time with the UTC offset the person's clock had
(ISO 8601, e.g. 2025-08-05T09:30:00+02:00): the local time as it was, and UTC by subtracting
the offset. A score's or check-in's time is the local time of day, HH:MM, with no offset:
the journal keeps no time zone for them. Dates are calendar dates where the person was.

Units and codes. Doses are milligrams per day; an empty dose means the dose is not
remembered. Blood pressure is mmHg, oxygen saturation %. Lab values are in the unit typed
beside them, never converted. Drug classes and generic names come from the journal's drug
catalog; the FHIR export carries the ATC, RxNorm, LOINC and UCUM codes.

A dose step ends the day before the next step starts; when the next step's start was entered
as a month or a year, the step's end is that month or year (the dose changed during it).
episode_id links a trial (by the day it started, a partial date read as its first day) and a
score to the recorded episode that holds that day; an episode entered as a month or a year
ends on the last day of it.

Safety: a text cell that begins with =, +, -, @, a tab or a carriage return has a single
quote (') put in front of it, so a spreadsheet shows it as text and never runs it as a
formula. Remove that quote if you process the files with other software.

This file holds private health information. Keep it somewhere only you can read.

Files and columns
-----------------
"""


def _readme() -> str:
    lines = [_README_HEAD]
    for name, (about, columns) in CSV_COLUMNS.items():
        lines.append(f"\n{name}.csv: {about}\n")
        width = max(len(c) for c, _ in columns)
        lines += [f"  {column.ljust(width)}  {meaning}\n" for column, meaning in columns]
    return "".join(lines)


CSV_README = _readme()


def _cell(value: Any) -> str:
    """A value as spreadsheet-safe text: ISO dates, plain numbers, guarded free text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _text(partial: Partial | None) -> str | None:
    """A partial date as the person entered it: "2019-03-14", "2019-03" or "2019"."""
    return date_text(*partial) if partial else None


def _dated(day: date | None, precision: str) -> Partial | None:
    return (day, precision) if day is not None else None


def _precision(partial: Partial | None) -> str | None:
    return partial[1] if partial else None


def _bp(reading: tuple[int, int] | None) -> tuple[int | None, int | None]:
    return (reading[0], reading[1]) if reading else (None, None)


def _hhmm(at: TimeOfDay | None) -> str | None:
    return time_text(at) if at is not None else None


def _origin(origin: Origin | None) -> tuple[str | None, str | None]:
    return (origin.app, origin.raw) if origin else (None, None)


def _rating(rating: Rating | None) -> tuple[Any, Any, Any]:
    return (rating.response, rating.improvement_pct, rating.date) if rating else (None, None, None)


def _id(episode: Episode | None) -> str | None:
    return episode.id if episode is not None else None


_Rows = list[Sequence[Any]]


def _profile_rows(contents: JournalContents) -> _Rows:
    p, s = contents.profile, contents.settings
    r = s.reminders
    return [
        (
            contents.state.journal_id, p.display_name, p.birth_year,
            s.adequate_weeks, s.failure_threshold_pct, s.count_augmentation, s.primary_scale, RULES_VERSION,
            r.checkin_time, r.questionnaire_every_days, r.next_appointment, r.next_session,
        )
    ]


def _episode_rows(contents: JournalContents) -> _Rows:
    rows: _Rows = []
    for e in contents.episodes:
        start, end = (e.start, e.start_precision), _dated(e.end, e.end_precision)
        rows.append((e.id, _text(start), _text(end), e.severity, e.note, _precision(start), _precision(end)))
    return rows


def _trial_rows(contents: JournalContents, catalog: Catalog) -> _Rows:
    rows: _Rows = []
    for t in contents.trials:
        drug = catalog.resolve(t.drug)
        start = (t.doses[0].start, t.doses[0].start_precision) if t.doses else None
        end = _dated(t.end, t.end_precision)
        rows.append(
            (
                t.id, t.drug, drug.generic if drug else None, drug.drug_class if drug else None,
                t.augmentation, t.min_adequate_mg, _text(start), _text(end),
                t.stop_reason, t.adherence, *_rating(t.rating), t.note, t.source, *_origin(t.origin),
                _id(trial_episode(contents.episodes, t)), _precision(start), _precision(end),
            )
        )
    return rows


def _dose_step_rows(contents: JournalContents) -> _Rows:
    rows: _Rows = []
    for t in contents.trials:
        for n, (step, end) in enumerate(zip(t.doses, step_ends(t), strict=False), start=1):
            start = (step.start, step.start_precision)
            rows.append((t.id, n, _text(start), _text(end), step.mg_per_day, _precision(start), _precision(end)))
    return rows


def _therapy_rows(contents: JournalContents) -> _Rows:
    rows: _Rows = []
    for p in contents.therapies:
        start, end = (p.start, p.start_precision), _dated(p.end, p.end_precision)
        rows.append(
            (
                p.id, p.kind, p.name, _text(start), _text(end), p.sessions, p.stop_reason, *_rating(p.rating),
                p.source, p.note, *_origin(p.origin), _precision(start), _precision(end),
            )
        )
    return rows


def _score_rows(contents: JournalContents) -> _Rows:
    max_items = 9  # PHQ-9 has the most items of the questionnaires the journal records
    return [
        (
            s.id, s.date, s.scale, s.total,
            *((list(s.items or ()) + [None] * max_items)[:max_items]),
            s.difficulty, _hhmm(s.time), *_origin(s.origin), _id(episode_holding(contents.episodes, s.date)),
        )
        for s in contents.scores
    ]


def _session_rows(contents: JournalContents) -> _Rows:
    return [
        (
            s.id, s.datetime, s.treatment, s.dose_mg, s.number_in_course,
            *_bp(s.bp_before), *_bp(s.bp_after),
            s.dissociation, s.sedation, s.nausea, s.transport_arranged, s.note,
            s.phase, *_bp(s.bp_40min), s.spo2_min, s.monitored_minutes, s.ready_to_leave,
        )
        for s in contents.sessions
    ]


def _rows(contents: JournalContents) -> dict[str, _Rows]:
    catalog = load_catalog()
    return {
        "profile_and_settings": _profile_rows(contents),
        "episodes": _episode_rows(contents),
        "trials": _trial_rows(contents, catalog),
        "dose_steps": _dose_step_rows(contents),
        "side_effects": [(t.id, s.name, s.severity, s.start, s.end) for t in contents.trials for s in t.side_effects],
        "therapies": _therapy_rows(contents),
        "scores": _score_rows(contents),
        "checkins": [
            (c.id, c.date, *(getattr(c, f) for f in DAILY_FIELDS), c.hours_slept, c.note, _hhmm(c.time), *_origin(c.origin))
            for c in contents.checkins
        ],
        "labs": [(lab.id, lab.date, lab.test, lab.value, lab.unit, lab.note) for lab in contents.labs],
        "conditions": [
            (c.id, c.name, c.status, _text(_dated(c.since, c.since_precision)), c.note, _precision(_dated(c.since, c.since_precision)))
            for c in contents.conditions
        ],
        "sessions": _session_rows(contents),
        "notes": [(n.id, n.date, n.text, n.for_appointment, *_origin(n.origin)) for n in contents.notes],
        "entries_by": [(e.record, e.author) for e in contents.entries_by],
    }


def csv_tables(contents: JournalContents) -> dict[str, tuple[Sequence[str], _Rows]]:
    """Every CSV table as (header, rows), in file order; values not yet turned into text."""
    rows = _rows(contents)
    return {name: (tuple(c for c, _ in columns), rows[name]) for name, (_, columns) in CSV_COLUMNS.items()}


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, dialect="excel")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    # The byte-order mark is what makes Excel read the file as UTF-8 rather than a code page.
    return buf.getvalue().encode("utf-8-sig")


def _csv_files(contents: JournalContents) -> dict[str, bytes]:
    files = {f"{name}.csv": _csv_bytes(header, rows) for name, (header, rows) in csv_tables(contents).items()}
    files["README.txt"] = CSV_README.encode("utf-8")
    return files


def _is_earlier_csv_export(folder: Path) -> bool:
    ours = {f"{name}.csv" for name in CSV_TABLES} | {"README.txt"}
    return all(p.is_file() and p.name in ours for p in folder.iterdir())


def write_csv(contents: JournalContents, out_path: str | os.PathLike[str]) -> Path:
    """Write one CSV per record kind into a ZIP (when `out_path` ends in .zip) or a folder.

    Either way the write is atomic: a failure leaves any earlier export as it was. A folder
    that already holds files other than an earlier export of this kind is refused.
    """
    out = Path(out_path)
    files = _csv_files(contents)
    if out.suffix.lower() == ".zip":

        def write_zip(f) -> None:
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                stamp = datetime.now().timetuple()[:6]
                for name, data in files.items():
                    info = zipfile.ZipInfo(name, date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    # Unzipped files stay readable by their owner only.
                    info.external_attr = (0o100600 & 0xFFFF) << 16
                    zf.writestr(info, data)

        return atomic_write(out, write_zip)
    with atomic_directory(out, replaceable=_is_earlier_csv_export) as staging:
        for name, data in files.items():
            target = staging / name
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
    return out
