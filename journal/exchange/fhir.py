"""The journal as a FHIR R4 Bundle another health system can take in without mixing two people up.

Every id and fullUrl is a name-based uuid (uuid5) made in the journal's own namespace, its random
`journal_id` (JournalState): one journal's exports always give the same ids, so a receiving
system can tell an update from a new entry, and no two journals ever share one. The Patient
carries the journal id as its identifier; every other resource's identifier is the journal
record it was made from, in the same namespace. Codes come only from the shared contracts, read
through their loaders: ATC and RxNorm from the drug catalog, LOINC and UCUM from scales.json;
what has no code there goes out as text or with a local code system, never a made-up code.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import UTC, datetime
from datetime import time as TimeOfDay
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.clinical.catalog import Catalog, load_catalog
from journal.exchange.export_parts import Partial, num, step_ends, trial_episode
from journal.files.atomic import atomic_write
from journal.records import DAILY_FIELDS, JournalContents, Origin, Session, Therapy, Trial, date_text
from journal.words import ADHERENCE, EPISODE_SEVERITY, RATING, SIDE_EFFECT_SEVERITY, SOURCE, STOP_REASON, THERAPY_KIND, words_for

if TYPE_CHECKING:
    from journal.clinical.scales import ExportCode, LabTest

__all__ = [
    "fhir_bundle",
    "write_fhir",
    "journal_namespace",
    "LOCAL_SCALE_SYSTEM",
    "IDENTIFIER_SYSTEM",
]

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
# RFC 3986: the identifier's value is itself a URI, here the journal's urn:uuid.
IDENTIFIER_SYSTEM = "urn:ietf:rfc:3986"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ADVERSE_EVENT_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
ADVERSE_EVENT_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
# FHIR's core extension for the score of a coded answer (PHQ-9 "Several days" scores 1).
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
XHTML = "http://www.w3.org/1999/xhtml"
# Local code systems for what has no code in scales.md: a LOINC code is never made up.
LOCAL_SCALE_SYSTEM = "urn:trial-journal:scale"
LOCAL_DAILY_SYSTEM = "urn:trial-journal:daily-check-in"
LOCAL_LAB_SYSTEM = "urn:trial-journal:lab"
LOCAL_SESSION_SYSTEM = "urn:trial-journal:session"

# Only for a journal id that is not a UUID (the stored journal always makes one): its namespace
# is then a uuid5 of it under this fixed one, still one per journal and still stable.
_APP_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:trial-journal")

_VERIFICATION = {"suspected": "provisional", "diagnosed": "confirmed", "treated": "confirmed"}
_TREATMENT_WORDS = {
    "esketamine": "Esketamine session",
    "ketamine_iv": "IV ketamine infusion",
    "ect": "Electroconvulsive therapy (ECT) session",
    "rtms": "Repetitive transcranial magnetic stimulation (rTMS) session",
    "other": "Treatment session",
}
_ADVERSE_SEVERITY = {1: "mild", 2: "moderate", 3: "severe"}
# Resources whose R4 definition has no `note`, or a single identifier rather than a list.
_NO_NOTE = frozenset({"Patient", "AdverseEvent", "Provenance"})
_NO_IDENTIFIER = frozenset({"Provenance"})
_ONE_IDENTIFIER = frozenset({"AdverseEvent"})
_PROBLEM_LIST = [{"coding": [{"system": CONDITION_CATEGORY, "code": "problem-list-item", "display": "Problem List Item"}]}]
_SURVEY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]
_LABORATORY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "laboratory", "display": "Laboratory"}]}]
_VITAL_SIGNS = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs", "display": "Vital Signs"}]}]


def journal_namespace(contents: JournalContents) -> uuid.UUID:
    """The namespace of one export's ids: the journal's own id, or a fresh random one for contents with none.

    Contents built in memory have no journal id; they get a new random namespace each export,
    never a fixed one, so they cannot collide with any journal's ids.
    """
    text = contents.state.journal_id
    if not text:
        return uuid.uuid4()
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.uuid5(_APP_NAMESPACE, text)


class _Names:
    """uuid5(namespace, name) as text, the hash of the namespace made once: the bundle makes thousands."""

    def __init__(self, namespace: uuid.UUID):
        self._base = hashlib.sha1(namespace.bytes, usedforsecurity=False)

    def __call__(self, name: str) -> str:
        h = self._base.copy()
        h.update(name.encode("utf-8"))
        raw = bytearray(h.digest()[:16])
        raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
        raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
        x = raw.hex()
        return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


class _BundleBuilder:
    """Collects resources for one bundle, each with an id and fullUrl made in the journal's namespace."""

    def __init__(self, contents: JournalContents, recorded: datetime):
        self.contents = contents
        self.recorded = recorded
        self.catalog: Catalog = load_catalog()
        namespace = journal_namespace(contents)
        self.journal_urn = f"urn:uuid:{namespace}"
        self._names = _Names(namespace)
        self.authors = {e.record: e.author for e in contents.entries_by}
        self.entries: list[dict[str, Any]] = []
        # journal record id -> the fullUrls made from it, in order (for Provenance)
        self.made_from: dict[str, list[str]] = {}
        self.patient_ref = self.url("patient", "owner")

    def id(self, kind: str, key: str) -> str:
        return self._names(f"{kind}/{key}")

    def url(self, kind: str, key: str) -> str:
        return "urn:uuid:" + self.id(kind, key)

    def add(self, kind: str, key: str, resource: dict[str, Any], *, record: str | None = None, label: str | None = None) -> str:
        """Adds a resource made from the journal record `record` (default `key`); returns its fullUrl.

        `label` is the record as the identifier names it ("score/s1/answers"; default kind/key).
        """
        record = key if record is None else record
        rtype = resource.pop("resourceType")
        resource = {"resourceType": rtype, "id": self.id(kind, key), **resource}
        if rtype not in _NO_IDENTIFIER:
            identifier = {"system": self.journal_urn, "value": label or f"{kind}/{key}"}
            resource.setdefault("identifier", identifier if rtype in _ONE_IDENTIFIER else [identifier])
        author = self.authors.get(record)
        if author and rtype not in _NO_NOTE:
            # Who typed it matters to a clinician reading a caregiver's entries (and Provenance says it for software).
            resource.setdefault("note", []).append({"text": f"Entered by {author}."})
        url = "urn:uuid:" + resource["id"]
        self.entries.append({"fullUrl": url, "resource": resource})
        self.made_from.setdefault(record, []).append(url)
        return url


def _patient(b: _BundleBuilder) -> dict[str, Any]:
    contents = b.contents
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": b.id("patient", "owner"),
        # The journal's own random id: which journal these records come from, and nothing about the person.
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": b.journal_urn}],
    }
    if contents.profile.display_name:
        # The name the person chose for the journal, not necessarily a legal name.
        patient["name"] = [{"text": contents.profile.display_name}]
    if contents.profile.birth_year:
        patient["birthDate"] = f"{contents.profile.birth_year:04d}"
    return patient


def _period(start: Partial, end: Partial | None) -> dict[str, str]:
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


def _coded(concept: dict[str, Any], coding: list[dict[str, str]]) -> dict[str, Any]:
    return {"coding": coding, **concept} if coding else concept


# ------------------------------------------------------------------------------- medication


def _medication(catalog: Catalog, typed: str) -> dict[str, Any]:
    """The drug as a CodeableConcept: ATC and RxNorm from the catalog, the generic name as text.

    A drug the catalog does not know, or a code the catalog gives as "-", goes out as text only.
    """
    drug = catalog.resolve(typed)
    if drug is None:
        return {"text": (typed or "").strip()}
    coding = [
        {"system": catalog.code_systems[kind], "code": code}
        for kind, code in (("atc", drug.codes.atc), ("rxnorm", drug.codes.rxnorm))
        if code and kind in catalog.code_systems
    ]
    return _coded({"text": drug.generic}, coding)


def _dosage(trial: Trial, n: int, mg_per_day: float | None, period: dict[str, str]) -> dict[str, Any]:
    add_on = " (add-on treatment)" if trial.augmentation else ""
    dosage: dict[str, Any] = {"sequence": n}
    if mg_per_day is None:
        # The dose is not remembered: the step says so and carries no dose at all.
        dosage["text"] = "Dose not remembered" + add_on
    else:
        dosage["text"] = f"{num(mg_per_day):g} mg per day" + add_on
    # When this step's dose was taken: the step's own dates, as entered.
    dosage["timing"] = {"repeat": {"boundsPeriod": period}}
    if mg_per_day is not None:
        mg = num(mg_per_day)
        # A daily total, not a single dose: rate is the honest field, since
        # the journal does not know how the day's dose was split.
        dosage["doseAndRate"] = [{"rateQuantity": {"value": mg, "unit": "mg/d", "system": UCUM, "code": "mg/d"}}]
    return dosage


def _trial_notes(b: _BundleBuilder, trial: Trial, generic: str) -> list[dict[str, str]]:
    notes = []
    if trial.note:
        notes.append({"text": trial.note})
    typed = (trial.drug or "").strip()
    if typed and typed.casefold() != generic.casefold():
        notes.append({"text": f"Entered as {typed}."})
    if trial.adherence:
        notes.append({"text": f"Adherence: {words_for(ADHERENCE, trial.adherence)}."})
    if trial.rating:
        r = trial.rating
        pct = f", {r.improvement_pct:g}% better" if r.improvement_pct is not None else ""
        notes.append({"text": f"Own rating of the trial: {r.response}{pct}."})
    if trial.side_effects:
        names = ", ".join(s.name for s in trial.side_effects)
        notes.append({"text": f"Side effects: {names}."})
    return notes + _source_note(trial.source, "trial") + _origin_note(trial.origin)


def _medication_statements(b: _BundleBuilder) -> None:
    # One statement per trial, its dose steps as timed dosage entries in order: an importer's
    # medication list shows the trial once, as the journal and the rules count it, and the
    # stop reason, the rating and the side effects belong to the trial, not to one step.
    for trial in b.contents.trials:
        medication = _medication(b.catalog, trial.drug)
        ends = step_ends(trial)
        statement: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "status": "completed" if trial.end is not None else "active",
            "medicationCodeableConcept": medication,
            "subject": {"reference": b.patient_ref},
        }
        if trial.doses:
            statement["effectivePeriod"] = _period(
                (trial.doses[0].start, trial.doses[0].start_precision), (trial.end, trial.end_precision) if trial.end else None
            )
        if trial.stop_reason:
            statement["statusReason"] = [{"text": "Stopped: " + words_for(STOP_REASON, trial.stop_reason)}]
        episode = trial_episode(b.contents.episodes, trial)
        if episode is not None:
            statement["reasonReference"] = [{"reference": b.url("episode", episode.id)}]
        statement["dosage"] = [
            _dosage(trial, n, step.mg_per_day, _period((step.start, step.start_precision), end))
            for n, (step, end) in enumerate(zip(trial.doses, ends, strict=False), start=1)
        ]
        notes = _trial_notes(b, trial, medication["text"])
        if notes:
            statement["note"] = notes
        url = b.add("trial", trial.id, statement)
        _side_effects(b, trial, url, medication["text"])


def _side_effects(b: _BundleBuilder, trial: Trial, statement_url: str, drug: str) -> None:
    # An AdverseEvent says what happened during the trial, linked to it as the suspected cause;
    # an AllergyIntolerance would put a lasting intolerance on the person's allergy list, and
    # whether a side effect means that is the clinician's judgement, not the journal's.
    for n, effect in enumerate(trial.side_effects, start=1):
        event: dict[str, Any] = {
            "resourceType": "AdverseEvent",
            "actuality": "actual",
            "event": {"text": effect.name},
            "subject": {"reference": b.patient_ref},
            "suspectEntity": [{"instance": {"reference": statement_url}}],
        }
        if effect.start is not None:
            event["date"] = effect.start.isoformat()
        words = [effect.name]
        if effect.severity in _ADVERSE_SEVERITY:
            code = _ADVERSE_SEVERITY[effect.severity]
            event["severity"] = {
                "coding": [{"system": ADVERSE_EVENT_SEVERITY, "code": code, "display": code.capitalize()}],
                "text": words_for(SIDE_EFFECT_SEVERITY, effect.severity),
            }
            words.append(f"({words_for(SIDE_EFFECT_SEVERITY, effect.severity)})")
        if effect.end is not None:
            # R4's AdverseEvent has no end date: the outcome says it ended, the narrative says when.
            event["outcome"] = {"coding": [{"system": ADVERSE_EVENT_OUTCOME, "code": "resolved", "display": "Resolved"}]}
        when = ""
        if effect.start is not None:
            when += f" from {effect.start.isoformat()}"
        if effect.end is not None:
            when += f" until {effect.end.isoformat()}"
        line = f"Side effect of {drug}: {' '.join(words)}{when}."
        event["text"] = {"status": "generated", "div": f'<div xmlns="{XHTML}">{escape(line, quote=False)}</div>'}
        b.add("side-effect", f"{trial.id}/{n}", event, record=trial.id)


# ------------------------------------------------------------------------------- therapies


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


# ------------------------------------------------------------------------------- scores


def _scale_code(scale: str, what: str) -> dict[str, Any]:
    """LOINC from scales.md for PHQ-9 and GAD-7, a local code for scales LOINC is not given for."""
    from journal.clinical.scales import get_scale

    if scale in ("PHQ-9", "GAD-7"):
        s = get_scale(scale)
        code = s.total_loinc if what == "total" else s.panel_loinc
        label = f"{scale} total score" if what == "total" else f"{scale} panel"
        return {"coding": [{"system": LOINC, "code": code, "display": label}], "text": label}
    return {"coding": [{"system": LOCAL_SCALE_SYSTEM, "code": scale, "display": f"{scale} total score"}], "text": f"{scale} total score"}


def _time_note(at: TimeOfDay | None) -> list[dict[str, str]]:
    # The journal keeps a score's or check-in's time as a local time of day with no UTC offset,
    # and FHIR's dateTime takes hours and minutes only with an offset; guessing one (the
    # exporting computer's zone) would be wrong after travel or a clock change, so
    # effectiveDateTime stays the date and the time is said in words.
    return [{"text": f"Recorded at {at.strftime('%H:%M')} (local time)."}] if at is not None else []


def _answer_value(answers: dict[int, Any], value: int) -> dict[str, Any]:
    """An item's answer: its LOINC answer code (scales.json) with its score as the code's ordinal value.

    An answer with no LOINC code goes out as its wording; one the scale does not know, as the number.
    """
    answer = answers.get(value)
    if answer is None:
        return {"valueInteger": value}
    if answer.loinc is None:
        return {"valueCodeableConcept": {"text": answer.text}}
    coding = {
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": value}],
        "system": LOINC,
        "code": answer.loinc,
        "display": answer.text,
    }
    return {"valueCodeableConcept": {"coding": [coding], "text": answer.text}}


def _answer_components(score: Any) -> list[dict[str, Any]]:
    from journal.clinical.scales import get_scale

    scale = get_scale(score.scale)
    answers = {a.value: a for a in scale.answers}
    components = [
        {"code": {"coding": [{"system": LOINC, "code": item.loinc}], "text": item.text}, **_answer_value(answers, answer)}
        for item, answer in zip(scale.items, score.items, strict=False)
    ]
    if score.difficulty is not None and scale.difficulty is not None:
        difficulty = {a.value: a for a in scale.difficulty.answers}
        components.append(
            {
                "code": {"coding": [{"system": LOINC, "code": scale.difficulty.loinc}], "text": scale.difficulty.question},
                **_answer_value(difficulty, score.difficulty),
            }
        )
    return components


def _observations(b: _BundleBuilder) -> None:
    for score in b.contents.scores:
        total: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": _SURVEY,
            "code": _scale_code(score.scale, "total"),
            "subject": {"reference": b.patient_ref},
            "effectiveDateTime": score.date.isoformat(),
            "valueInteger": score.total,
        }
        notes = _time_note(score.time) + _origin_note(score.origin)
        if notes:
            total["note"] = notes
        if not (score.items and score.scale in ("PHQ-9", "GAD-7")):
            b.add("score", score.id, total)
            continue
        panel_url = b.url("score-panel", score.id)
        total["derivedFrom"] = [{"reference": panel_url}]
        total_url = b.add("score", score.id, total)
        panel: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": _SURVEY,
            "code": _scale_code(score.scale, "panel"),
            "subject": {"reference": b.patient_ref},
            "effectiveDateTime": score.date.isoformat(),
            "hasMember": [{"reference": total_url}],
            "component": _answer_components(score),
        }
        if score.time:
            panel["note"] = _time_note(score.time)
        b.add("score-panel", score.id, panel, label=f"score/{score.id}/answers")


def _checkins(b: _BundleBuilder) -> None:
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
                    "valueQuantity": {"value": num(c.hours_slept), "unit": "h", "system": UCUM, "code": "h"},
                }
            )
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": _SURVEY,
            "code": {"coding": [{"system": LOCAL_SCALE_SYSTEM, "code": "daily"}], "text": "Daily check-in"},
            "subject": {"reference": b.patient_ref},
            "effectiveDateTime": c.date.isoformat(),
            "component": components,
        }
        notes = ([{"text": c.note}] if c.note else []) + _time_note(c.time) + _origin_note(c.origin)
        if notes:
            obs["note"] = notes
        b.add("checkin", c.id, obs)


# ------------------------------------------------------------------------------- labs


def _unit_key(unit: str) -> str:
    # How a typed unit is compared with a UCUM code: case, spaces and UCUM's brackets aside,
    # and the micro sign as "u" ("mIU/L" is m[IU]/L, "µg/dL" is ug/dL).
    return "".join(ch for ch in unit.replace("µ", "u").replace("μ", "u").casefold() if ch not in "[] ")


def _high_sensitivity(test_name: str) -> bool:
    words = test_name.casefold().replace("-", " ").replace("(", " ").replace(")", " ").split()
    folded = "".join(words)
    return "highsensitivity" in folded or any(w == "hs" or w.startswith("hscrp") for w in words)


def _lab_code(test: LabTest, test_name: str) -> ExportCode | None:
    """The LOINC code scales.json gives the lab; of CRP's two, the high-sensitivity one when the name says so."""
    if not test.codes:
        return None
    if len(test.codes) > 1:
        sensitive = [c for c in test.codes if "high-sensitivity" in c.what]
        plain = [c for c in test.codes if c not in sensitive]
        if sensitive and _high_sensitivity(test_name):
            return sensitive[0]
        if plain:
            return plain[0]
    return test.codes[0]


def _labs(b: _BundleBuilder) -> None:
    from journal.clinical.scales import WORKUP_LABS, workup_key_for

    tests = {t.key: t for t in WORKUP_LABS}
    for lab in b.contents.labs:
        key = workup_key_for(lab.test)
        export = _lab_code(tests[key], lab.test) if key in tests else None
        quantity: dict[str, Any] = {"value": num(lab.value)}
        if lab.unit:
            # The unit as the person typed it, with its UCUM code when it is one scales.json gives for the test.
            quantity["unit"] = lab.unit
            ucum = next((u for u in (export.ucum if export else ()) if _unit_key(u) == _unit_key(lab.unit)), None)
            if ucum is not None:
                quantity["system"] = UCUM
                quantity["code"] = ucum
        if export is not None:
            code = {"coding": [{"system": LOINC, "code": c} for c in export.loinc], "text": lab.test}
        else:
            code = {"coding": [{"system": LOCAL_LAB_SYSTEM, "code": lab.test}], "text": lab.test}
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": _LABORATORY,
            "code": code,
            "subject": {"reference": b.patient_ref},
            "effectiveDateTime": lab.date.isoformat(),
            "valueQuantity": quantity,
        }
        if lab.note:
            obs["note"] = [{"text": lab.note}]
        b.add("lab", lab.id, obs)


# ------------------------------------------------------------------------------- conditions


def _clinical_status(code: str) -> dict[str, Any]:
    return {"coding": [{"system": CONDITION_CLINICAL, "code": code, "display": code.capitalize()}]}


def _episodes(b: _BundleBuilder) -> None:
    # A depressive episode as the person recorded it: a Condition named in text (no SNOMED code is
    # checked in), with its onset and end as entered and its severity in words. An ended episode is
    # "inactive": whether it ended in remission is not something the journal records.
    for e in b.contents.episodes:
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "clinicalStatus": _clinical_status("inactive" if e.end is not None else "active"),
            "category": _PROBLEM_LIST,
            "code": {"text": "Depressive episode"},
            "subject": {"reference": b.patient_ref},
            "onsetDateTime": date_text(e.start, e.start_precision),
        }
        if e.severity:
            condition["severity"] = {"text": words_for(EPISODE_SEVERITY, e.severity, form=True)}
        if e.end is not None:
            condition["abatementDateTime"] = date_text(e.end, e.end_precision)
        if e.note:
            condition["note"] = [{"text": e.note}]
        b.add("episode", e.id, condition)


def _conditions(b: _BundleBuilder) -> None:
    # A comorbid condition has no end in the journal: it stays active, and how far it has been
    # looked into goes in verificationStatus where FHIR has a word for it, and in a note.
    for c in b.contents.conditions:
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "clinicalStatus": _clinical_status("active"),
        }
        if c.status in _VERIFICATION:
            code = _VERIFICATION[c.status]
            condition["verificationStatus"] = {"coding": [{"system": CONDITION_VERIFICATION, "code": code}]}
        condition["category"] = _PROBLEM_LIST
        condition["code"] = {"text": c.name}
        condition["subject"] = {"reference": b.patient_ref}
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


# ------------------------------------------------------------------------------- sessions

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
        notes.append({"text": f"Lowest oxygen saturation (pulse oximetry): {num(s.spo2_min):g} %."})
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
            "status": "final",
            "category": _VITAL_SIGNS,
            "code": code,
            "subject": {"reference": b.patient_ref},
            "partOf": [{"reference": url}],
            # The session's own time: the journal does not keep the minute each reading was taken.
            "effectiveDateTime": s.datetime.isoformat(),
            **value,
        },
        label=f"session/{s.id}/{what}",
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
        value = {"valueQuantity": {"value": num(s.spo2_min), "unit": "%", "system": UCUM, "code": "%"}}
        _vital_observation(b, s, url, "spo2_min", code, value)


def _used_code(catalog: Catalog, s: Session) -> list[dict[str, Any]] | None:
    """What was given at an esketamine or ketamine session, with the catalog's ATC and RxNorm codes."""
    if s.dose_mg is None or s.treatment not in ("esketamine", "ketamine_iv"):
        return None
    drug = "esketamine" if s.treatment == "esketamine" else "ketamine"
    treatment = next((t for t in catalog.session_treatments if t.key == s.treatment), None)
    coding = []
    if treatment is not None:
        coding = [
            {"system": catalog.code_systems[kind], "code": code}
            for kind, code in (("atc", treatment.codes.atc), ("rxnorm", treatment.codes.rxnorm))
            if code and kind in catalog.code_systems
        ]
    return [_coded({"text": f"{drug} {num(s.dose_mg):g} mg"}, coding)]


def _session_measures(b: _BundleBuilder, s: Session, url: str, words: str) -> None:
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
        measures = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": LOCAL_SESSION_SYSTEM, "code": "measures"}], "text": f"{words}: self-ratings"},
            "subject": {"reference": b.patient_ref},
            "partOf": [{"reference": url}],
            "effectiveDateTime": s.datetime.isoformat(),
            "component": components,
        }
        b.add("session-measures", s.id, measures, label=f"session/{s.id}/measures")


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
        used = _used_code(b.catalog, s)
        if used:
            procedure["usedCode"] = used
        notes = _session_notes(s, bp_as_text=pressure is None, spo2_as_text=oximetry is None)
        if notes:
            procedure["note"] = notes
        url = b.add("session", s.id, procedure)
        _session_vitals(b, s, url, pressure, oximetry)
        _session_measures(b, s, url, words)


# ------------------------------------------------------------------------------- provenance


def _provenance(b: _BundleBuilder) -> None:
    # Records someone else entered (caregiver mode): one Provenance per record, naming every
    # resource made from it. The caregiver is a name only (a display-only RelatedPerson
    # reference): the journal keeps no more about them. `recorded` is when this bundle was made,
    # since the journal does not keep when a record was entered.
    for entry in b.contents.entries_by:
        targets = b.made_from.get(entry.record)
        if not targets:
            continue  # a note, or a record that is not exported
        b.entries.append(
            {
                "fullUrl": b.url("provenance", entry.record),
                "resource": {
                    "resourceType": "Provenance",
                    "id": b.id("provenance", entry.record),
                    "target": [{"reference": url} for url in targets],
                    "recorded": b.recorded.isoformat(),
                    "agent": [
                        {
                            "type": {"coding": [{"system": PROVENANCE_PARTICIPANT, "code": "enterer", "display": "Enterer"}]},
                            "who": {"type": "RelatedPerson", "display": entry.author},
                            "onBehalfOf": {"reference": b.patient_ref},
                        }
                    ],
                },
            }
        )


def fhir_bundle(contents: JournalContents, *, timestamp: datetime | None = None) -> dict[str, Any]:
    """The journal as a FHIR R4 Bundle of type "collection" (a plain JSON-ready dict).

    Patient (the journal id as its identifier, the display name only when one is set); a
    MedicationStatement per trial (ATC and RxNorm from the drug catalog, each dose step a timed
    dosage entry, dates as entered, a year or a month as a FHIR partial date; a dose not
    remembered has no doseAndRate) with an AdverseEvent per side effect; a Procedure per
    psychotherapy course (named in text only); an Observation per scale score (LOINC for PHQ-9
    and GAD-7, with a panel Observation holding the item answers as LOINC answer codes; a local
    code system for the other scales), per daily check-in and per lab (LOINC and UCUM from
    scales.json for the workup tests); a Condition per episode and per condition; a Procedure
    per session, with its blood pressure readings and lowest oxygen saturation as vital-signs
    Observations (scales.md's LOINC codes) and its self-ratings in one more; a Provenance per
    record a caregiver entered. Notes are not exported: they are the person's own questions,
    not clinical data.
    """
    recorded = timestamp or datetime.now(UTC).replace(microsecond=0)
    b = _BundleBuilder(contents, recorded)
    b.entries.append({"fullUrl": b.patient_ref, "resource": _patient(b)})
    _episodes(b)
    _medication_statements(b)
    _therapies(b)
    _observations(b)
    _checkins(b)
    _labs(b)
    _conditions(b)
    _sessions(b)
    _provenance(b)
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
