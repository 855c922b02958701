"""Exports other software reads: spreadsheets (CSV, one file per record kind) and FHIR R4 bundles."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as TimeOfDay
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.clinical.catalog import load_catalog
from journal.files.atomic import atomic_directory, atomic_write
from journal.records import DAILY_FIELDS, JournalContents, Origin, Rating, Session, Therapy, Trial, date_text, time_text
from journal.words import RATING, SOURCE, STOP_REASON, THERAPY_KIND, words_for

if TYPE_CHECKING:
    from journal.clinical.scales import ExportCode

__all__ = [
    "CSV_TABLES",
    "CSV_README",
    "csv_tables",
    "write_csv",
    "fhir_bundle",
    "write_fhir",
    "LOCAL_SCALE_SYSTEM",
]

# ---------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection);
# OWASP's list, including tab and carriage return.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_README = """\
Trial Journal: spreadsheet export
=================================

One CSV file per kind of record, each with a header row. Files are UTF-8 with a byte-order
mark so spreadsheet programs show accents and other letters correctly. Dates are
YYYY-MM-DD; a date entered as a month or a year (a trial's start or end, a dose step's start,
an episode's, a psychotherapy course's, a condition's "since") is written as entered:
YYYY-MM or YYYY. Session times are ISO 8601 with their UTC offset; a score's or check-in's
time is the local time of day, HH:MM. Doses are milligrams per day; an empty dose means the
dose is not remembered. Empty cells mean "not recorded".

A dose step ends the day before the next step starts; when the next step's start was entered
as a month or a year, the step's end is that month or year (the dose changed during it).
source is where a trial's or course's details come from (memory or records); origin_app and
origin_raw name the app a record was imported from and its original values.

Safety: a text cell that begins with =, +, -, @, a tab or a carriage return has a single
quote (') put in front of it, so a spreadsheet shows it as text and never runs it as a
formula. Remove that quote if you process the files with other software.

Files:
  episodes.csv      depressive episodes
  trials.csv        medication trials (one row per trial)
  dose_steps.csv    each trial's dose steps; trial_id links to trials.csv
  side_effects.csv  each trial's side effects; trial_id links to trials.csv
  therapies.csv     psychotherapy courses (listed beside the trials, never counted)
  scores.csv        rating-scale scores; PHQ-9 and GAD-7 answers in item_1 .. item_9
  checkins.csv      daily check-ins (0-10 ratings)
  labs.csv          laboratory results
  conditions.csv    other conditions and how far they have been looked into
  sessions.csv      esketamine, ketamine, ECT and rTMS sessions; bp_40min is the blood
                    pressure about 40 minutes after the dose, spo2_min the lowest pulse
                    oximetry reading (%)
  notes.csv         notes and questions
  entries_by.csv    records entered by someone else (caregiver mode); record_id links to
                    the id column of the other files

This file holds private health information. Keep it somewhere only you can read.
"""


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


# A date as entered: the earliest day and how precisely it was given (records.date_text).
_Partial = tuple[date, str]


def _text(partial: _Partial | None) -> str | None:
    """A partial date as the person entered it: "2019-03-14", "2019-03" or "2019"."""
    return date_text(*partial) if partial else None


def _step_ends(trial: Trial) -> list[_Partial | None]:
    """The last day of each dose step, as precisely as the journal knows it.

    A step ends the day before the next one starts. When the next start was entered as a month
    or a year, the dose changed some time in that month or year, so the step's end is that month
    or year (a day before it would claim a precision nobody entered). The last step ends with the trial.
    """
    ends: list[_Partial | None] = []
    for nxt in trial.doses[1:]:
        if nxt.start_precision == "day":
            ends.append((nxt.start - timedelta(days=1), "day"))
        else:
            ends.append((nxt.start, nxt.start_precision))
    ends.append((trial.end, trial.end_precision) if trial.end is not None else None)
    return ends


def _bp(reading: tuple[int, int] | None) -> tuple[int | None, int | None]:
    return (reading[0], reading[1]) if reading else (None, None)


def _hhmm(at: TimeOfDay | None) -> str | None:
    return time_text(at) if at is not None else None


def _origin(origin: Origin | None) -> tuple[str | None, str | None]:
    return (origin.app, origin.raw) if origin else (None, None)


def _rating(rating: Rating | None) -> tuple[Any, Any, Any]:
    return (rating.response, rating.improvement_pct, rating.date) if rating else (None, None, None)


_Tables = dict[str, tuple[Sequence[str], list[Sequence[Any]]]]
_RATING_COLUMNS = ("rating_response", "rating_improvement_pct", "rating_date")
_ORIGIN_COLUMNS = ("origin_app", "origin_raw")


def _trial_tables(contents: JournalContents, tables: _Tables) -> None:
    # Columns an earlier export had keep their places; version 2's come after them.
    tables["trials"] = (
        (
            "id", "drug", "augmentation", "min_adequate_mg", "start", "end", "stop_reason", "adherence",
            *_RATING_COLUMNS, "note", "source", *_ORIGIN_COLUMNS,
        ),
        [
            (
                t.id, t.drug, t.augmentation, t.min_adequate_mg,
                _text((t.doses[0].start, t.doses[0].start_precision)) if t.doses else None,
                _text((t.end, t.end_precision) if t.end else None),
                t.stop_reason, t.adherence, *_rating(t.rating), t.note, t.source, *_origin(t.origin),
            )
            for t in contents.trials
        ],
    )
    tables["dose_steps"] = (
        ("trial_id", "step", "start", "end", "mg_per_day"),
        [
            (t.id, n, _text((step.start, step.start_precision)), _text(end), step.mg_per_day)
            for t in contents.trials
            for n, (step, end) in enumerate(zip(t.doses, _step_ends(t), strict=False), start=1)
        ],
    )
    tables["side_effects"] = (
        ("trial_id", "name", "severity", "start", "end"),
        [(t.id, s.name, s.severity, s.start, s.end) for t in contents.trials for s in t.side_effects],
    )


def _rating_tables(contents: JournalContents, tables: _Tables) -> None:
    max_items = 9  # PHQ-9 has the most items of the questionnaires the journal records
    tables["scores"] = (
        ("id", "date", "scale", "total", *(f"item_{i}" for i in range(1, max_items + 1)), "difficulty", "time", *_ORIGIN_COLUMNS),
        [
            (
                s.id, s.date, s.scale, s.total,
                *((list(s.items or ()) + [None] * max_items)[:max_items]),
                s.difficulty, _hhmm(s.time), *_origin(s.origin),
            )
            for s in contents.scores
        ],
    )
    tables["checkins"] = (
        ("id", "date", *DAILY_FIELDS, "hours_slept", "note", "time", *_ORIGIN_COLUMNS),
        [
            (c.id, c.date, *(getattr(c, f) for f in DAILY_FIELDS), c.hours_slept, c.note, _hhmm(c.time), *_origin(c.origin))
            for c in contents.checkins
        ],
    )


def _session_table(contents: JournalContents, tables: _Tables) -> None:
    tables["sessions"] = (
        (
            "id", "datetime", "treatment", "dose_mg", "number_in_course",
            "bp_before_systolic", "bp_before_diastolic", "bp_after_systolic", "bp_after_diastolic",
            "dissociation", "sedation", "nausea", "transport_arranged", "note",
            "phase", "bp_40min_systolic", "bp_40min_diastolic", "spo2_min", "monitored_minutes", "ready_to_leave",
        ),
        [
            (
                s.id, s.datetime, s.treatment, s.dose_mg, s.number_in_course,
                *_bp(s.bp_before), *_bp(s.bp_after),
                s.dissociation, s.sedation, s.nausea, s.transport_arranged, s.note,
                s.phase, *_bp(s.bp_40min), s.spo2_min, s.monitored_minutes, s.ready_to_leave,
            )
            for s in contents.sessions
        ],
    )


def csv_tables(contents: JournalContents) -> _Tables:
    """Every CSV table as (header, rows), in file order; values not yet turned into text."""
    tables: _Tables = {}
    tables["episodes"] = (
        ("id", "start", "end", "severity", "note"),
        [
            (e.id, _text((e.start, e.start_precision)), _text((e.end, e.end_precision) if e.end else None), e.severity, e.note)
            for e in contents.episodes
        ],
    )
    _trial_tables(contents, tables)
    tables["therapies"] = (
        ("id", "kind", "name", "start", "end", "sessions", "stop_reason", *_RATING_COLUMNS, "source", "note", *_ORIGIN_COLUMNS),
        [
            (
                p.id, p.kind, p.name, _text((p.start, p.start_precision)), _text((p.end, p.end_precision) if p.end else None),
                p.sessions, p.stop_reason, *_rating(p.rating), p.source, p.note, *_origin(p.origin),
            )
            for p in contents.therapies
        ],
    )
    _rating_tables(contents, tables)
    tables["labs"] = (
        ("id", "date", "test", "value", "unit", "note"),
        [(lab.id, lab.date, lab.test, lab.value, lab.unit, lab.note) for lab in contents.labs],
    )
    tables["conditions"] = (
        ("id", "name", "status", "since", "note"),
        [(c.id, c.name, c.status, _text((c.since, c.since_precision) if c.since else None), c.note) for c in contents.conditions],
    )
    _session_table(contents, tables)
    tables["notes"] = (
        ("id", "date", "text", "for_appointment", *_ORIGIN_COLUMNS),
        [(n.id, n.date, n.text, n.for_appointment, *_origin(n.origin)) for n in contents.notes],
    )
    tables["entries_by"] = (
        ("record_id", "author"),
        [(e.record, e.author) for e in contents.entries_by],
    )
    return tables


CSV_TABLES: tuple[str, ...] = tuple(csv_tables(JournalContents()))


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


# ---------------------------------------------------------------------------------------
# FHIR R4
# ---------------------------------------------------------------------------------------

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
# Local code systems for what has no code in scales.md: a LOINC code is never made up.
LOCAL_SCALE_SYSTEM = "urn:trial-journal:scale"
LOCAL_DAILY_SYSTEM = "urn:trial-journal:daily-check-in"
LOCAL_LAB_SYSTEM = "urn:trial-journal:lab"
LOCAL_SESSION_SYSTEM = "urn:trial-journal:session"
LOCAL_RECORD_SYSTEM = "urn:trial-journal:record"

# Record ids are stable, so the uuids made from them are too: exporting the same journal
# twice gives the same fullUrls, and a receiving system can tell updates from new entries.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:trial-journal")

_VERIFICATION = {"suspected": "provisional", "diagnosed": "confirmed", "treated": "confirmed"}
_TREATMENT_WORDS = {
    "esketamine": "Esketamine session",
    "ketamine_iv": "IV ketamine infusion",
    "ect": "Electroconvulsive therapy (ECT) session",
    "rtms": "Repetitive transcranial magnetic stimulation (rTMS) session",
    "other": "Treatment session",
}


def _uuid(kind: str, record_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{record_id}"))


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


class _BundleBuilder:
    """Collects resources for one bundle, each with a fullUrl made from its record id."""

    def __init__(self, contents: JournalContents):
        self.contents = contents
        self.entries: list[dict[str, Any]] = []
        self.patient_ref = "urn:uuid:" + _uuid("patient", "owner")

    def add(self, kind: str, record_id: str, resource: dict[str, Any]) -> str:
        rid = _uuid(kind, record_id)
        resource = {"resourceType": resource.pop("resourceType"), "id": rid, **resource}
        resource.setdefault("identifier", [{"system": LOCAL_RECORD_SYSTEM, "value": f"{kind}/{record_id}"}])
        author = self.contents.author_of(record_id)
        if author:
            # Who typed it matters to a clinician reading a caregiver's entries.
            resource.setdefault("note", []).append({"text": f"Entered by {author}."})
        url = "urn:uuid:" + rid
        self.entries.append({"fullUrl": url, "resource": resource})
        return url


def _patient(contents: JournalContents) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient", "id": _uuid("patient", "owner")}
    if contents.profile.display_name:
        # The name the person chose for the journal, not necessarily a legal name.
        patient["name"] = [{"text": contents.profile.display_name}]
    if contents.profile.birth_year:
        patient["birthDate"] = f"{contents.profile.birth_year:04d}"
    return patient


def _period(start: _Partial, end: _Partial | None) -> dict[str, str]:
    """A FHIR Period with dates as entered: FHIR's dateTime takes YYYY and YYYY-MM as they are."""
    period = {"start": date_text(*start)}
    if end is not None:
        period["end"] = date_text(*end)
    return period


def _origin_note(origin: Origin | None) -> list[dict[str, str]]:
    if origin is None:
        return []
    return [{"text": f"Imported from {origin.app}: {origin.raw}" if origin.raw else f"Imported from {origin.app}."}]


def _source_note(source: str | None, what: str) -> list[dict[str, str]]:
    if source is None:
        return []
    return [{"text": f"The details of this {what} are {words_for(SOURCE, source)}."}]


def _dosage(trial: Trial, mg_per_day: float | None) -> dict[str, Any]:
    add_on = " (add-on treatment)" if trial.augmentation else ""
    if mg_per_day is None:
        # The dose is not remembered: the statement says so and carries no dose at all.
        return {"text": "Dose not remembered" + add_on}
    mg = _num(mg_per_day)
    return {
        "text": f"{mg:g} mg per day" + add_on,
        # A daily total, not a single dose: rate is the honest field, since
        # the journal does not know how the day's dose was split.
        "doseAndRate": [{"rateQuantity": {"value": mg, "unit": "mg/d", "system": UCUM, "code": "mg/d"}}],
    }


def _medication_statements(b: _BundleBuilder) -> None:
    catalog = load_catalog()
    for trial in b.contents.trials:
        generic = catalog.generic_name(trial.drug)
        ends = _step_ends(trial)
        last = len(trial.doses)
        for n, (step, end) in enumerate(zip(trial.doses, ends, strict=False), start=1):
            statement: dict[str, Any] = {
                "resourceType": "MedicationStatement",
                "identifier": [{"system": LOCAL_RECORD_SYSTEM, "value": f"trial/{trial.id}/dose/{n}"}],
                "status": "completed" if end is not None else "active",
                "medicationCodeableConcept": {"text": generic},
                "subject": {"reference": b.patient_ref},
                "effectivePeriod": _period((step.start, step.start_precision), end),
                "dosage": [_dosage(trial, step.mg_per_day)],
            }
            if n == last and trial.stop_reason:
                statement["statusReason"] = [{"text": "Stopped: " + trial.stop_reason.replace("_", " ")}]
            notes = []
            if n == 1 and trial.note:
                notes.append({"text": trial.note})
            if n == last and trial.rating:
                r = trial.rating
                pct = f", {r.improvement_pct:g}% better" if r.improvement_pct is not None else ""
                notes.append({"text": f"Own rating of the trial: {r.response}{pct}."})
            if n == 1 and trial.side_effects:
                names = ", ".join(s.name for s in trial.side_effects)
                notes.append({"text": f"Side effects: {names}."})
            if n == 1:
                notes += _source_note(trial.source, "trial") + _origin_note(trial.origin)
            if notes:
                statement["note"] = notes
            b.add("dose", f"{trial.id}/{n}", statement)


# A course goes out as text only (words.THERAPY_KIND, as the forms offer it): no code system is
# checked in for the kinds of psychotherapy (../shared/clinical), so never a made-up code.
def _therapy_name(therapy: Therapy) -> str:
    words = words_for(THERAPY_KIND, therapy.kind, form=True)
    name = therapy.name.strip()
    if therapy.kind == "other" and name:
        return name
    return f"{words} ({name})" if name and name.casefold() != words.casefold() else words


def _therapies(b: _BundleBuilder) -> None:
    # A course of psychotherapy is something done with the person over a period: a Procedure.
    for p in b.contents.therapies:
        procedure: dict[str, Any] = {
            "resourceType": "Procedure",
            "status": "in-progress" if p.end is None else "completed",
            "category": {"text": "psychotherapy"},
            "code": {"text": _therapy_name(p)},
            "subject": {"reference": b.patient_ref},
            "performedPeriod": _period((p.start, p.start_precision), (p.end, p.end_precision) if p.end else None),
        }
        if p.rating:
            r = p.rating
            pct = f", {r.improvement_pct:g}% better" if r.improvement_pct is not None else ""
            when = f" (rated {r.date.isoformat()})" if r.date else ""
            procedure["outcome"] = {"text": f"Own rating of the course: {words_for(RATING, r.response)}{pct}{when}."}
        notes: list[dict[str, str]] = []
        if p.sessions is not None:
            notes.append({"text": f"{p.sessions} session{'' if p.sessions == 1 else 's'}."})
        if p.stop_reason:
            notes.append({"text": f"Reason for stopping: {words_for(STOP_REASON, p.stop_reason)}."})
        if p.note:
            notes.append({"text": p.note})
        notes += _source_note(p.source, "course") + _origin_note(p.origin)
        if notes:
            procedure["note"] = notes
        b.add("therapy", p.id, procedure)


def _scale_code(scale: str, what: str) -> dict[str, Any]:
    """LOINC from scales.md for PHQ-9 and GAD-7, a local code for scales LOINC is not given for."""
    from journal.clinical.scales import get_scale

    if scale in ("PHQ-9", "GAD-7"):
        s = get_scale(scale)
        code = s.total_loinc if what == "total" else s.panel_loinc
        label = f"{scale} total score" if what == "total" else f"{scale} panel"
        return {"coding": [{"system": LOINC, "code": code, "display": label}], "text": label}
    return {"coding": [{"system": LOCAL_SCALE_SYSTEM, "code": scale, "display": f"{scale} total score"}],
            "text": f"{scale} total score"}


def _time_note(at: TimeOfDay | None) -> list[dict[str, str]]:
    # The journal keeps a score's or check-in's time as a local time of day with no UTC offset,
    # and FHIR's dateTime takes hours and minutes only with an offset; guessing one (the
    # exporting computer's zone) would be wrong after travel or a clock change, so
    # effectiveDateTime stays the date and the time is said in words.
    return [{"text": f"Recorded at {at.strftime('%H:%M')} (local time)."}] if at is not None else []


def _observations(b: _BundleBuilder) -> None:
    from journal.clinical.scales import get_scale

    survey = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]
    for score in b.contents.scores:
        total_url = "urn:uuid:" + _uuid("score", score.id)
        total: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": survey,
            "code": _scale_code(score.scale, "total"),
            "subject": {"reference": b.patient_ref},
            "effectiveDateTime": score.date.isoformat(),
            "valueInteger": score.total,
        }
        notes = _time_note(score.time) + _origin_note(score.origin)
        if notes:
            total["note"] = notes
        if score.items and score.scale in ("PHQ-9", "GAD-7"):
            scale = get_scale(score.scale)
            panel_url = "urn:uuid:" + _uuid("score-panel", score.id)
            components = [
                {
                    "code": {"coding": [{"system": LOINC, "code": item.loinc}], "text": item.text},
                    "valueInteger": answer,
                }
                for item, answer in zip(scale.items, score.items, strict=False)
            ]
            if score.difficulty is not None and scale.difficulty is not None:
                components.append(
                    {
                        "code": {"coding": [{"system": LOINC, "code": scale.difficulty.loinc}], "text": scale.difficulty.question},
                        "valueInteger": score.difficulty,
                    }
                )
            total["derivedFrom"] = [{"reference": panel_url}]
            b.add("score", score.id, total)
            b.add(
                "score-panel",
                score.id,
                {
                    "resourceType": "Observation",
                    "identifier": [{"system": LOCAL_RECORD_SYSTEM, "value": f"score/{score.id}/answers"}],
                    "status": "final",
                    "category": survey,
                    "code": _scale_code(score.scale, "panel"),
                    "subject": {"reference": b.patient_ref},
                    "effectiveDateTime": score.date.isoformat(),
                    "hasMember": [{"reference": total_url}],
                    "component": components,
                    **({"note": _time_note(score.time)} if score.time else {}),
                },
            )
        else:
            b.add("score", score.id, total)


def _checkins_and_labs(b: _BundleBuilder) -> None:
    survey = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]
    for c in b.contents.checkins:
        components = [
            {
                "code": {"coding": [{"system": LOCAL_DAILY_SYSTEM, "code": f}], "text": f.replace("_", " ") + " (0-10)"},
                "valueInteger": getattr(c, f),
            }
            for f in DAILY_FIELDS
            if getattr(c, f) is not None
        ]
        if c.hours_slept is not None:
            components.append(
                {
                    "code": {"coding": [{"system": LOCAL_DAILY_SYSTEM, "code": "hours_slept"}], "text": "hours slept"},
                    "valueQuantity": {"value": _num(c.hours_slept), "unit": "h", "system": UCUM, "code": "h"},
                }
            )
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": survey,
            "code": {"coding": [{"system": LOCAL_SCALE_SYSTEM, "code": "daily"}], "text": "Daily check-in"},
            "subject": {"reference": b.patient_ref},
            "effectiveDateTime": c.date.isoformat(),
            "component": components,
        }
        notes = ([{"text": c.note}] if c.note else []) + _time_note(c.time) + _origin_note(c.origin)
        if notes:
            obs["note"] = notes
        b.add("checkin", c.id, obs)

    laboratory = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "laboratory", "display": "Laboratory"}]}]
    for lab in b.contents.labs:
        quantity: dict[str, Any] = {"value": _num(lab.value)}
        if lab.unit:
            # The unit as the person typed it; not claimed as a UCUM code.
            quantity["unit"] = lab.unit
        obs = {
            "resourceType": "Observation",
            "status": "final",
            "category": laboratory,
            "code": {"coding": [{"system": LOCAL_LAB_SYSTEM, "code": lab.test}], "text": lab.test},
            "subject": {"reference": b.patient_ref},
            "effectiveDateTime": lab.date.isoformat(),
            "valueQuantity": quantity,
        }
        if lab.note:
            obs["note"] = [{"text": lab.note}]
        b.add("lab", lab.id, obs)


def _conditions(b: _BundleBuilder) -> None:
    for c in b.contents.conditions:
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "code": {"text": c.name},
            "subject": {"reference": b.patient_ref},
        }
        if c.status in _VERIFICATION:
            code = _VERIFICATION[c.status]
            condition["verificationStatus"] = {"coding": [{"system": CONDITION_VERIFICATION, "code": code}]}
        if c.since:
            # As entered: FHIR's dateTime takes a year or a month as a partial date.
            condition["onsetDateTime"] = date_text(c.since, c.since_precision)
        notes = []
        if c.status:
            notes.append({"text": f"Status in the journal: {c.status}."})
        if c.note:
            notes.append({"text": c.note})
        if notes:
            condition["note"] = notes
        b.add("condition", c.id, condition)


_VITAL_SIGNS = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs", "display": "Vital Signs"}]}]
# A session's blood pressure readings: (field, when it was taken, in words).
_BP_READINGS = (("bp_before", "before the dose"), ("bp_40min", "about 40 minutes after the dose"), ("bp_after", "after the dose"))


def _vital_code(key: str) -> ExportCode | None:
    """The LOINC codes scales.md gives a vital sign for exports, or None when it gives none."""
    from journal.clinical.scales import VITAL_SIGNS

    return next((v.code for v in VITAL_SIGNS if v.key == key and v.code.loinc), None)


def _session_notes(s: Session, *, bp_as_text: bool, spo2_as_text: bool) -> list[dict[str, str]]:
    # Phase, minutes watched and being judged ready to leave have no element of their own on a
    # Procedure (an extension would need a definition nobody else reads), so they are said in words;
    # so is a vital sign scales.md gives no LOINC code for.
    notes = []
    if s.phase:
        notes.append({"text": f"Phase of the course: {s.phase}."})
    if s.number_in_course is not None:
        notes.append({"text": f"Session {s.number_in_course} of the course."})
    if s.monitored_minutes is not None:
        notes.append({"text": f"Monitored for {s.monitored_minutes} minutes after the dose."})
    for field, when in _BP_READINGS if bp_as_text else ():
        if getattr(s, field):
            notes.append({"text": "Blood pressure {} {}/{} mmHg.".format(when, *getattr(s, field))})
    if spo2_as_text and s.spo2_min is not None:
        notes.append({"text": f"Lowest oxygen saturation (pulse oximetry): {_num(s.spo2_min):g} %."})
    if s.ready_to_leave:
        notes.append({"text": "The clinic judged the person ready to leave."})
    if s.transport_arranged:
        notes.append({"text": "Transport home was arranged."})
    if s.note:
        notes.append({"text": s.note})
    return notes


def _vital_observation(b: _BundleBuilder, s: Session, url: str, what: str, code: dict[str, Any], value: dict[str, Any]) -> None:
    """An Observation in FHIR R4's vital-signs form, part of the session's Procedure."""
    b.add(
        f"session-{what}",
        s.id,
        {
            "resourceType": "Observation",
            "identifier": [{"system": LOCAL_RECORD_SYSTEM, "value": f"session/{s.id}/{what}"}],
            "status": "final",
            "category": _VITAL_SIGNS,
            "code": code,
            "subject": {"reference": b.patient_ref},
            "partOf": [{"reference": url}],
            # The session's own time: the journal does not keep the minute each reading was taken.
            "effectiveDateTime": s.datetime.isoformat(),
            **value,
        },
    )


def _session_vitals(b: _BundleBuilder, s: Session, url: str, pressure: ExportCode | None, oximetry: ExportCode | None) -> None:
    parts: dict[str, Any] = {**dict(pressure.components), "panel": pressure.loinc} if pressure else {}
    for field, when in _BP_READINGS if pressure else ():
        reading = getattr(s, field)
        if not reading:
            continue
        code = {"coding": [{"system": LOINC, "code": c} for c in parts["panel"]], "text": f"Blood pressure {when}"}
        components = [
            {
                "code": {"coding": [{"system": LOINC, "code": parts[part]}], "text": f"{part} blood pressure"},
                "valueQuantity": {"value": value, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"},
            }
            for part, value in zip(("systolic", "diastolic"), reading, strict=True)
        ]
        _vital_observation(b, s, url, field, code, {"component": components})
    if oximetry is not None and s.spo2_min is not None:
        code = {
            "coding": [{"system": LOINC, "code": c} for c in oximetry.loinc],
            "text": "Lowest oxygen saturation by pulse oximetry while monitored",
        }
        value = {"valueQuantity": {"value": _num(s.spo2_min), "unit": "%", "system": UCUM, "code": "%"}}
        _vital_observation(b, s, url, "spo2_min", code, value)


def _sessions(b: _BundleBuilder) -> None:
    # A session is something done to the person on a date, so a Procedure; its blood pressure
    # and oxygen saturation go out as vital-signs Observations with the LOINC codes of scales.md,
    # its self-ratings in one Observation with local codes, all part of it.
    pressure = _vital_code("blood_pressure")
    oximetry = _vital_code("oxygen_saturation")
    if pressure is not None and not {"systolic", "diastolic"} <= set(dict(pressure.components)):
        pressure = None
    for s in b.contents.sessions:
        words = _TREATMENT_WORDS.get(s.treatment, s.treatment)
        procedure: dict[str, Any] = {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"coding": [{"system": LOCAL_SESSION_SYSTEM, "code": s.treatment}], "text": words},
            "subject": {"reference": b.patient_ref},
            "performedDateTime": s.datetime.isoformat(),
        }
        if s.dose_mg is not None and s.treatment in ("esketamine", "ketamine_iv"):
            drug = "esketamine" if s.treatment == "esketamine" else "ketamine"
            procedure["usedCode"] = [{"text": f"{drug} {_num(s.dose_mg):g} mg"}]
        notes = _session_notes(s, bp_as_text=pressure is None, spo2_as_text=oximetry is None)
        if notes:
            procedure["note"] = notes
        url = b.add("session", s.id, procedure)
        _session_vitals(b, s, url, pressure, oximetry)

        components: list[dict[str, Any]] = []
        for rating in ("dissociation", "sedation", "nausea"):
            value = getattr(s, rating)
            if value is not None:
                components.append(
                    {
                        "code": {"coding": [{"system": LOCAL_SESSION_SYSTEM, "code": rating}], "text": f"{rating} (0-10)"},
                        "valueInteger": value,
                    }
                )
        if components:
            b.add(
                "session-measures",
                s.id,
                {
                    "resourceType": "Observation",
                    "identifier": [{"system": LOCAL_RECORD_SYSTEM, "value": f"session/{s.id}/measures"}],
                    "status": "final",
                    "code": {"coding": [{"system": LOCAL_SESSION_SYSTEM, "code": "measures"}], "text": f"{words}: self-ratings"},
                    "subject": {"reference": b.patient_ref},
                    "partOf": [{"reference": url}],
                    "effectiveDateTime": s.datetime.isoformat(),
                    "component": components,
                },
            )


def fhir_bundle(contents: JournalContents, *, timestamp: datetime | None = None) -> dict[str, Any]:
    """The journal as a FHIR R4 Bundle of type "collection" (a plain JSON-ready dict).

    Patient (the display name only when one is set), a MedicationStatement per dose step
    (dates as entered, a year or a month as a FHIR partial date; a dose not remembered has no
    doseAndRate), a Procedure per psychotherapy course (named in text only), an Observation
    per scale score (LOINC for PHQ-9 and GAD-7, with a panel Observation holding the item
    answers; a local code system for the other scales), per daily check-in and per lab; a
    Condition per condition; a Procedure per session, with its blood pressure readings and
    lowest oxygen saturation as vital-signs Observations (scales.md's LOINC codes) and its
    self-ratings in one more. Notes are not exported: they are the person's own questions,
    not clinical data. Episodes are not exported either.
    """
    b = _BundleBuilder(contents)
    b.entries.append({"fullUrl": b.patient_ref, "resource": _patient(contents)})
    _medication_statements(b)
    _therapies(b)
    _observations(b)
    _checkins_and_labs(b)
    _conditions(b)
    _sessions(b)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if timestamp is not None:
        bundle["timestamp"] = timestamp.isoformat()
    bundle["entry"] = b.entries
    return bundle


def write_fhir(contents: JournalContents, out_path: str | os.PathLike[str]) -> Path:
    """Write the FHIR bundle as JSON, atomically, readable by the owner only."""
    bundle = fhir_bundle(contents, timestamp=datetime.now().astimezone().replace(microsecond=0))
    data = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return atomic_write(Path(out_path), data)

