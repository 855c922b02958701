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
from pathlib import Path
from typing import Any

from journal.clinical.catalog import load_catalog
from journal.files.atomic import atomic_directory, atomic_write
from journal.records import DAILY_FIELDS, JournalContents, Trial

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
YYYY-MM-DD; session times are ISO 8601 with their UTC offset. Doses are milligrams per day.
Empty cells mean "not recorded".

Safety: a text cell that begins with =, +, -, @, a tab or a carriage return has a single
quote (') put in front of it, so a spreadsheet shows it as text and never runs it as a
formula. Remove that quote if you process the files with other software.

Files:
  episodes.csv      depressive episodes
  trials.csv        medication trials (one row per trial)
  dose_steps.csv    each trial's dose steps; trial_id links to trials.csv
  side_effects.csv  each trial's side effects; trial_id links to trials.csv
  scores.csv        rating-scale scores; PHQ-9 and GAD-7 answers in item_1 .. item_9
  checkins.csv      daily check-ins (0-10 ratings)
  labs.csv          laboratory results
  conditions.csv    other conditions and how far they have been looked into
  sessions.csv      esketamine, ketamine, ECT and rTMS sessions
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


def _step_ends(trial: Trial) -> list[date | None]:
    """The last day of each dose step: the day before the next step, or the trial's end."""
    ends: list[date | None] = [nxt.start - timedelta(days=1) for nxt in trial.doses[1:]]
    ends.append(trial.end)
    return ends


def _bp(reading: tuple[int, int] | None) -> tuple[int | None, int | None]:
    return (reading[0], reading[1]) if reading else (None, None)


def csv_tables(contents: JournalContents) -> dict[str, tuple[Sequence[str], list[Sequence[Any]]]]:
    """Every CSV table as (header, rows), in file order; values not yet turned into text."""
    max_items = 9  # PHQ-9 has the most items of the questionnaires the journal records
    tables: dict[str, tuple[Sequence[str], list[Sequence[Any]]]] = {}
    tables["episodes"] = (
        ("id", "start", "end", "severity", "note"),
        [(e.id, e.start, e.end, e.severity, e.note) for e in contents.episodes],
    )
    tables["trials"] = (
        (
            "id", "drug", "augmentation", "min_adequate_mg", "start", "end", "stop_reason", "adherence",
            "rating_response", "rating_improvement_pct", "rating_date", "note",
        ),
        [
            (
                t.id, t.drug, t.augmentation, t.min_adequate_mg, t.start, t.end, t.stop_reason, t.adherence,
                t.rating.response if t.rating else None,
                t.rating.improvement_pct if t.rating else None,
                t.rating.date if t.rating else None,
                t.note,
            )
            for t in contents.trials
        ],
    )
    tables["dose_steps"] = (
        ("trial_id", "step", "start", "end", "mg_per_day"),
        [
            (t.id, n, step.start, end, step.mg_per_day)
            for t in contents.trials
            for n, (step, end) in enumerate(zip(t.doses, _step_ends(t), strict=False), start=1)
        ],
    )
    tables["side_effects"] = (
        ("trial_id", "name", "severity", "start", "end"),
        [(t.id, s.name, s.severity, s.start, s.end) for t in contents.trials for s in t.side_effects],
    )
    tables["scores"] = (
        ("id", "date", "scale", "total", *(f"item_{i}" for i in range(1, max_items + 1)), "difficulty"),
        [
            (
                s.id, s.date, s.scale, s.total,
                *((list(s.items or ()) + [None] * max_items)[:max_items]),
                s.difficulty,
            )
            for s in contents.scores
        ],
    )
    tables["checkins"] = (
        ("id", "date", *DAILY_FIELDS, "hours_slept", "note"),
        [(c.id, c.date, *(getattr(c, f) for f in DAILY_FIELDS), c.hours_slept, c.note) for c in contents.checkins],
    )
    tables["labs"] = (
        ("id", "date", "test", "value", "unit", "note"),
        [(lab.id, lab.date, lab.test, lab.value, lab.unit, lab.note) for lab in contents.labs],
    )
    tables["conditions"] = (
        ("id", "name", "status", "since", "note"),
        [(c.id, c.name, c.status, c.since, c.note) for c in contents.conditions],
    )
    tables["sessions"] = (
        (
            "id", "datetime", "treatment", "dose_mg", "number_in_course",
            "bp_before_systolic", "bp_before_diastolic", "bp_after_systolic", "bp_after_diastolic",
            "dissociation", "sedation", "nausea", "transport_arranged", "note",
        ),
        [
            (
                s.id, s.datetime, s.treatment, s.dose_mg, s.number_in_course,
                *_bp(s.bp_before), *_bp(s.bp_after),
                s.dissociation, s.sedation, s.nausea, s.transport_arranged, s.note,
            )
            for s in contents.sessions
        ],
    )
    tables["notes"] = (
        ("id", "date", "text", "for_appointment"),
        [(n.id, n.date, n.text, n.for_appointment) for n in contents.notes],
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


def _medication_statements(b: _BundleBuilder) -> None:
    catalog = load_catalog()
    for trial in b.contents.trials:
        generic = catalog.generic_name(trial.drug)
        ends = _step_ends(trial)
        last = len(trial.doses)
        for n, (step, end) in enumerate(zip(trial.doses, ends, strict=False), start=1):
            mg = _num(step.mg_per_day)
            period: dict[str, str] = {"start": step.start.isoformat()}
            if end is not None:
                period["end"] = end.isoformat()
            statement: dict[str, Any] = {
                "resourceType": "MedicationStatement",
                "identifier": [{"system": LOCAL_RECORD_SYSTEM, "value": f"trial/{trial.id}/dose/{n}"}],
                "status": "completed" if end is not None else "active",
                "medicationCodeableConcept": {"text": generic},
                "subject": {"reference": b.patient_ref},
                "effectivePeriod": period,
                "dosage": [
                    {
                        "text": f"{mg:g} mg per day" + (" (add-on treatment)" if trial.augmentation else ""),
                        # A daily total, not a single dose: rate is the honest field, since
                        # the journal does not know how the day's dose was split.
                        "doseAndRate": [
                            {"rateQuantity": {"value": mg, "unit": "mg/d", "system": UCUM, "code": "mg/d"}}
                        ],
                    }
                ],
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
            if notes:
                statement["note"] = notes
            b.add("dose", f"{trial.id}/{n}", statement)


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
                },
            )
        else:
            b.add("score", score.id, total)

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
        if c.note:
            obs["note"] = [{"text": c.note}]
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
            condition["onsetDateTime"] = c.since.isoformat()
        notes = []
        if c.status:
            notes.append({"text": f"Status in the journal: {c.status}."})
        if c.note:
            notes.append({"text": c.note})
        if notes:
            condition["note"] = notes
        b.add("condition", c.id, condition)


def _sessions(b: _BundleBuilder) -> None:
    # A session is something done to the person on a date, so a Procedure; its measurements
    # (blood pressure, self-ratings) go in an Observation that is part of it.
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
        notes = []
        if s.number_in_course is not None:
            notes.append({"text": f"Session {s.number_in_course} of the course."})
        if s.transport_arranged:
            notes.append({"text": "Transport home was arranged."})
        if s.note:
            notes.append({"text": s.note})
        if notes:
            procedure["note"] = notes
        url = b.add("session", s.id, procedure)

        components: list[dict[str, Any]] = []
        for label, reading in (("before", s.bp_before), ("after", s.bp_after)):
            if reading:
                for part, value in zip(("systolic", "diastolic"), reading, strict=False):
                    components.append(
                        {
                            "code": {
                                "coding": [{"system": LOCAL_SESSION_SYSTEM, "code": f"bp_{label}_{part}"}],
                                "text": f"{part} blood pressure {label} the dose",
                            },
                            "valueQuantity": {"value": value, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"},
                        }
                    )
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
                    "code": {"coding": [{"system": LOCAL_SESSION_SYSTEM, "code": "measures"}], "text": f"{words}: measurements"},
                    "subject": {"reference": b.patient_ref},
                    "partOf": [{"reference": url}],
                    "effectiveDateTime": s.datetime.isoformat(),
                    "component": components,
                },
            )


def fhir_bundle(contents: JournalContents, *, timestamp: datetime | None = None) -> dict[str, Any]:
    """The journal as a FHIR R4 Bundle of type "collection" (a plain JSON-ready dict).

    Patient (the display name only when one is set), a MedicationStatement per dose step,
    an Observation per scale score (LOINC for PHQ-9 and GAD-7, with a panel Observation
    holding the item answers; a local code system for the other scales), per daily check-in
    and per lab; a Condition per condition; a Procedure per session. Notes are not exported:
    they are the person's own questions, not clinical data.
    """
    b = _BundleBuilder(contents)
    b.entries.append({"fullUrl": b.patient_ref, "resource": _patient(contents)})
    _medication_statements(b)
    _observations(b)
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

