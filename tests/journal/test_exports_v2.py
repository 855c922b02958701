"""Version 2 records in the CSV and FHIR exports: what a spreadsheet or another health app reads of them.

A history entered from memory (a month, a year, a dose not remembered), psychotherapy courses,
the rest of an esketamine session's monitoring, a time on scores and check-ins, and where an
imported record came from. Built straight from journal.records: the exports are functions of
the journal's contents.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest

from journal.clinical import scales
from journal.exchange.exports import CSV_README, CSV_TABLES, csv_tables, fhir_bundle, write_csv
from journal.records import (
    Condition,
    DailyCheckIn,
    DoseStep,
    Episode,
    JournalContents,
    Note,
    Origin,
    Profile,
    Rating,
    ScaleScore,
    Session,
    Therapy,
    Trial,
)
from tests.journal.test_exports import BP_DIASTOLIC, BP_PANEL, BP_SYSTOLIC, LOINC_FROM_SCALES_MD, SPO2_CODES, by_record

LOINC = "http://loinc.org"
CEST = timezone(timedelta(hours=2))


def v2_contents() -> JournalContents:
    return JournalContents(
        profile=Profile(display_name="Sam"),
        episodes=(
            Episode("e1", date(2018, 1, 1), date(2019, 6, 1), "moderate", start_precision="year", end_precision="month"),
            Episode("e2", date(2020, 3, 1), None, "severe", start_precision="month"),
        ),
        trials=(
            # Remembered roughly: started some time in 2019, stopped in March 2019.
            Trial(
                "t1", "sertraline", (DoseStep(date(2019, 1, 1), 50, "year"),),
                end=date(2019, 3, 1), end_precision="month", stop_reason="ineffective", source="memory",
            ),
            # The first dose is not remembered; the second is, from the pharmacy's records.
            Trial(
                "t2", "venlafaxine",
                (DoseStep(date(2020, 5, 1), None, "month"), DoseStep(date(2020, 7, 14), 150)),
                source="records", origin=Origin("Daylio", "-med=venlafaxine | dose=?"),
            ),
            # A day-precise step followed by a step remembered only as a month.
            Trial(
                "t3", "mirtazapine",
                (DoseStep(date(2021, 1, 10), 15), DoseStep(date(2021, 3, 1), 30, "month")),
                end=date(2021, 6, 1),
            ),
        ),
        therapies=(
            Therapy(
                "p1", "cbt", date(2021, 9, 1), start_precision="month", end=date(2022, 1, 1), end_precision="month",
                sessions=16, stop_reason="other", rating=Rating("partial", None, None), source="memory",
                note="weekly, with a trainee",
            ),
            Therapy(
                "p2", "other", date(2023, 1, 1), name="Compassion-focused therapy", start_precision="year",
                origin=Origin("Bearable", "therapy=CFT"),
            ),
        ),
        scores=(
            ScaleScore("s1", date(2025, 1, 8), "PHQ-9", 16, (2, 3, 2, 3, 1, 2, 2, 1, 0), 2, time=time(8, 30),
                       origin=Origin("Daylio", "mood=meh")),
            ScaleScore("s2", date(2025, 1, 8), "MADRS", 31),
        ),
        checkins=(
            DailyCheckIn("d1", date(2025, 8, 20), mood=3, time=time(21, 5), origin=Origin("Daylio", "mood=awful")),
            DailyCheckIn("d2", date(2025, 8, 20), mood=5),
        ),
        conditions=(Condition("c1", "generalised anxiety", "diagnosed", date(2015, 1, 1), since_precision="year"),),
        sessions=(
            Session(
                "k1", datetime(2025, 8, 5, 9, 30, tzinfo=CEST), "esketamine", 56, 1,
                bp_before=(128, 82), bp_after=(141, 88), dissociation=5, transport_arranged=True,
                phase="induction", bp_40min=(150, 95), spo2_min=94, monitored_minutes=120, ready_to_leave=True,
            ),
            Session("k2", datetime(2025, 8, 8, 9, 30, tzinfo=CEST), "esketamine", 56, 2, bp_before=(126, 80)),
        ),
        notes=(Note("n1", date(2025, 8, 26), "Ask about lithium", True, origin=Origin("Daylio", "note=ask about lithium")),),
    )


# --- CSV ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = write_csv(v2_contents(), tmp_path_factory.mktemp("csv") / "journal.zip")
    found = {}
    with zipfile.ZipFile(out) as zf:
        for name in CSV_TABLES:
            text = zf.read(f"{name}.csv").decode("utf-8-sig")
            found[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return found


def _by(rows, key="id"):
    return {r[key]: r for r in rows}


def test_a_trial_remembered_as_a_year_and_a_month_is_written_as_entered(tables):
    t1 = _by(tables["trials"])["t1"]
    assert (t1["start"], t1["end"]) == ("2019", "2019-03")
    steps = [r for r in tables["dose_steps"] if r["trial_id"] == "t1"]
    assert [(r["start"], r["end"], r["mg_per_day"]) for r in steps] == [("2019", "2019-03", "50")]


def test_a_dose_not_remembered_is_an_empty_cell(tables):
    steps = [r for r in tables["dose_steps"] if r["trial_id"] == "t2"]
    assert [(r["start"], r["end"], r["mg_per_day"]) for r in steps] == [("2020-05", "2020-07-13", ""), ("2020-07-14", "", "150")]


def test_a_step_before_a_month_ends_in_that_month_not_on_a_made_up_day(tables):
    steps = [r for r in tables["dose_steps"] if r["trial_id"] == "t3"]
    assert [(r["start"], r["end"]) for r in steps] == [("2021-01-10", "2021-03"), ("2021-03", "2021-06-01")]


def test_source_and_origin_columns(tables):
    trials = _by(tables["trials"])
    assert (trials["t1"]["source"], trials["t1"]["origin_app"], trials["t1"]["origin_raw"]) == ("memory", "", "")
    # The other app's raw line is free text: guarded like any cell a spreadsheet could run.
    assert (trials["t2"]["source"], trials["t2"]["origin_app"], trials["t2"]["origin_raw"]) == (
        "records", "Daylio", "'-med=venlafaxine | dose=?"
    )
    assert trials["t3"]["source"] == ""
    assert _by(tables["scores"])["s1"]["origin_raw"] == "mood=meh"
    assert _by(tables["checkins"])["d1"]["origin_app"] == "Daylio"
    assert _by(tables["notes"])["n1"]["origin_raw"] == "note=ask about lithium"
    assert _by(tables["therapies"])["p2"]["origin_app"] == "Bearable"


def test_therapies_table_holds_every_field_of_a_course(tables):
    rows = _by(tables["therapies"])
    assert list(rows["p1"]) == [
        "id", "kind", "name", "start", "end", "sessions", "stop_reason",
        "rating_response", "rating_improvement_pct", "rating_date", "source", "note", "origin_app", "origin_raw",
        "start_precision", "end_precision",
    ]
    assert rows["p1"] == {
        "id": "p1", "kind": "cbt", "name": "", "start": "2021-09", "end": "2022-01", "sessions": "16",
        "stop_reason": "other", "rating_response": "partial", "rating_improvement_pct": "", "rating_date": "",
        "source": "memory", "note": "weekly, with a trainee", "origin_app": "", "origin_raw": "",
        "start_precision": "month", "end_precision": "month",
    }
    assert (rows["p2"]["kind"], rows["p2"]["name"], rows["p2"]["start"], rows["p2"]["end"]) == (
        "other", "Compassion-focused therapy", "2023", ""
    )


def test_sessions_carry_the_monitoring_form(tables):
    k1, k2 = (_by(tables["sessions"])[k] for k in ("k1", "k2"))
    assert (k1["phase"], k1["bp_40min_systolic"], k1["bp_40min_diastolic"]) == ("induction", "150", "95")
    assert (k1["spo2_min"], k1["monitored_minutes"], k1["ready_to_leave"]) == ("94", "120", "true")
    assert (k1["bp_before_systolic"], k1["bp_after_diastolic"]) == ("128", "88")
    assert (k2["phase"], k2["bp_40min_systolic"], k2["spo2_min"], k2["ready_to_leave"]) == ("", "", "", "false")


def test_scores_and_check_ins_have_a_time_column(tables):
    scores = _by(tables["scores"])
    assert (scores["s1"]["date"], scores["s1"]["time"], scores["s2"]["time"]) == ("2025-01-08", "08:30", "")
    checkins = _by(tables["checkins"])
    assert (checkins["d1"]["time"], checkins["d2"]["time"]) == ("21:05", "")


def test_episodes_and_conditions_keep_their_partial_dates(tables):
    episodes = _by(tables["episodes"])
    assert (episodes["e1"]["start"], episodes["e1"]["end"]) == ("2018", "2019-06")
    assert (episodes["e2"]["start"], episodes["e2"]["end"]) == ("2020-03", "")
    assert _by(tables["conditions"])["c1"]["since"] == "2015"


def test_every_row_has_as_many_cells_as_its_header():
    for name, (header, rows) in csv_tables(v2_contents()).items():
        assert len(set(header)) == len(header), f"{name}.csv names a column twice"
        for row in rows:
            assert len(row) == len(header), f"{name}.csv: a row of {len(row)} cells under {len(header)} columns"


def test_readme_names_the_new_file_and_how_partial_dates_read():
    assert "therapies.csv" in CSV_README
    assert "YYYY-MM or YYYY" in CSV_README and "not remembered" in CSV_README


# --- FHIR --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle():
    return fhir_bundle(v2_contents())


def _by_identifier(bundle):
    return by_record(bundle)


def _url_of(bundle, resource):
    return next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is resource)


def _notes(resource):
    return [n["text"] for n in resource.get("note", [])]


def test_v2_bundle_validates_as_fhir_r4(bundle):
    from fhir.resources.R4B.bundle import Bundle

    parsed = Bundle.model_validate(bundle)
    assert len(parsed.entry) == len(bundle["entry"])
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)


def _bounds(statement):
    """Each dose step's dates, as its timed dosage entry gives them."""
    return [d["timing"]["repeat"]["boundsPeriod"] for d in statement["dosage"]]


def test_a_month_end_and_a_year_start_are_fhir_partial_dates(bundle):
    statement = _by_identifier(bundle)["trial/t1"]
    assert statement["effectivePeriod"] == {"start": "2019", "end": "2019-03"}
    assert _bounds(statement) == [{"start": "2019", "end": "2019-03"}]
    assert statement["status"] == "completed"
    assert "The details of this trial are from memory, approximate." in _notes(statement)


def test_a_dose_not_remembered_has_no_dose_but_the_step_stays(bundle):
    statement = _by_identifier(bundle)["trial/t2"]
    assert statement["resourceType"] == "MedicationStatement"
    assert statement["medicationCodeableConcept"]["text"] == "venlafaxine"
    unknown, known = statement["dosage"]
    assert unknown == {"sequence": 1, "text": "Dose not remembered", "timing": {"repeat": {"boundsPeriod": {"start": "2020-05", "end": "2020-07-13"}}}}
    assert known["doseAndRate"][0]["rateQuantity"]["value"] == 150
    assert known["timing"]["repeat"]["boundsPeriod"] == {"start": "2020-07-14"}
    assert statement["status"] == "active" and statement["effectivePeriod"] == {"start": "2020-05"}
    assert "Imported from Daylio: -med=venlafaxine | dose=?" in _notes(statement)


def test_a_step_before_a_month_ends_in_that_month(bundle):
    assert _bounds(_by_identifier(bundle)["trial/t3"]) == [{"start": "2021-01-10", "end": "2021-03"}, {"start": "2021-03", "end": "2021-06-01"}]


def test_a_therapy_is_a_procedure_named_in_text_with_no_code(bundle):
    by_id = _by_identifier(bundle)
    cbt = by_id["therapy/p1"]
    assert cbt["resourceType"] == "Procedure"
    assert cbt["code"] == {"text": "Cognitive behavioural therapy (CBT)"}
    assert cbt["status"] == "completed"
    assert cbt["performedPeriod"] == {"start": "2021-09", "end": "2022-01"}
    assert cbt["outcome"] == {"text": "Own rating of the course: partial improvement."}
    assert {"16 sessions.", "weekly, with a trainee", "The details of this course are from memory, approximate."} <= set(_notes(cbt))
    other = by_id["therapy/p2"]
    assert other["code"] == {"text": "Compassion-focused therapy"}
    assert other["status"] == "in-progress" and other["performedPeriod"] == {"start": "2023"}
    assert "Imported from Bearable: therapy=CFT" in _notes(other)
    # Nothing about a course claims a code from any system: none is checked in for them.
    for therapy in (cbt, other):
        assert "coding" not in therapy["code"] and "coding" not in therapy["category"]


def test_session_blood_pressure_at_40_minutes_is_a_vital_sign_like_the_others(bundle):
    by_id = _by_identifier(bundle)
    session = by_id["session/k1"]
    readings = {}
    for field in ("bp_before", "bp_40min", "bp_after"):
        obs = by_id[f"session/k1/{field}"]
        assert obs["category"][0]["coding"][0]["code"] == "vital-signs"
        assert [(c["system"], c["code"]) for c in obs["code"]["coding"]] == [(LOINC, BP_PANEL)]
        assert obs["partOf"] == [{"reference": _url_of(bundle, session)}]
        readings[field] = {c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in obs["component"]}
    assert readings["bp_40min"] == {BP_SYSTOLIC: 150, BP_DIASTOLIC: 95}
    assert readings["bp_before"] == {BP_SYSTOLIC: 128, BP_DIASTOLIC: 82}
    assert "40 minutes" in by_id["session/k1/bp_40min"]["code"]["text"]
    # A session without the reading has no observation for it.
    assert "session/k2/bp_40min" not in by_id and "session/k2/bp_before" in by_id


def test_lowest_oxygen_saturation_goes_out_with_the_pulse_oximetry_codes_of_scales_md(bundle):
    by_id = _by_identifier(bundle)
    spo2 = by_id["session/k1/spo2_min"]
    assert [(c["system"], c["code"]) for c in spo2["code"]["coding"]] == [(LOINC, code) for code in SPO2_CODES]
    assert spo2["valueQuantity"] == {"value": 94, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}
    assert spo2["category"][0]["coding"][0]["code"] == "vital-signs"
    assert "session/k2/spo2_min" not in by_id


def test_without_a_loinc_code_for_oxygen_saturation_the_reading_is_text_only(monkeypatch):
    monkeypatch.setattr(scales, "VITAL_SIGNS", tuple(v for v in scales.VITAL_SIGNS if v.key != "oxygen_saturation"))
    by_id = _by_identifier(fhir_bundle(v2_contents()))
    assert "session/k1/spo2_min" not in by_id
    assert "Lowest oxygen saturation (pulse oximetry): 94 %." in _notes(by_id["session/k1"])


def test_phase_minutes_watched_and_ready_to_leave_are_said_on_the_session(bundle):
    notes = _notes(_by_identifier(bundle)["session/k1"])
    assert "Phase of the course: induction." in notes
    assert "Monitored for 120 minutes after the dose." in notes
    assert "The clinic judged the person ready to leave." in notes
    assert "Transport home was arranged." in notes
    k2 = _notes(_by_identifier(bundle)["session/k2"])
    assert not any("ready to leave" in n or "Phase" in n for n in k2)


def test_a_score_time_is_said_in_words_and_the_effective_date_stays_a_date(bundle):
    by_id = _by_identifier(bundle)
    s1 = by_id["score/s1"]
    assert s1["effectiveDateTime"] == "2025-01-08"
    assert "Recorded at 08:30 (local time)." in _notes(s1)
    assert "Imported from Daylio: mood=meh" in _notes(s1)
    assert "Recorded at 08:30 (local time)." in _notes(by_id["score/s1/answers"])
    assert "note" not in by_id["score/s2"]
    d1 = by_id["checkin/d1"]
    assert d1["effectiveDateTime"] == "2025-08-20"
    assert {"Recorded at 21:05 (local time).", "Imported from Daylio: mood=awful"} <= set(_notes(d1))


def test_a_condition_since_a_year_has_a_year_onset(bundle):
    assert _by_identifier(bundle)["condition/c1"]["onsetDateTime"] == "2015"


def test_every_loinc_code_in_the_bundle_is_one_scales_md_gives(bundle):
    used = set()
    for entry in bundle["entry"]:
        r = entry["resource"]
        for codeable in [r.get("code", {}), *(c["code"] for c in r.get("component", []))]:
            used |= {c["code"] for c in codeable.get("coding", []) if c.get("system") == LOINC}
    assert used and used <= LOINC_FROM_SCALES_MD


def test_a_full_date_trial_still_reads_as_before():
    contents = replace(
        v2_contents(),
        trials=(Trial("t9", "sertraline", (DoseStep(date(2025, 1, 10), 50), DoseStep(date(2025, 2, 7), 100)), end=date(2025, 4, 1)),),
    )
    by_id = _by_identifier(fhir_bundle(contents))
    statement = by_id["trial/t9"]
    assert statement["effectivePeriod"] == {"start": "2025-01-10", "end": "2025-04-01"}
    assert _bounds(statement) == [{"start": "2025-01-10", "end": "2025-02-06"}, {"start": "2025-02-07", "end": "2025-04-01"}]
    assert statement["dosage"][0]["doseAndRate"][0]["rateQuantity"]["value"] == 50
