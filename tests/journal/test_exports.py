"""CSV and FHIR exports: what a spreadsheet or another health app would read from the journal."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import zipfile

import pytest

from journal.errors import JournalError
from journal.exchange.exports import CSV_TABLES, LOCAL_SCALE_SYSTEM, fhir_bundle, write_csv, write_fhir
from journal.files import atomic
from journal.records import JournalContents, JournalState, replace
from tests.journal.report_sample import PHQ9_ITEMS, UNICODE_NAME
from tests.journal.report_sample import sample_contents as _sample

# A journal's own id, as the stored journal fills it (JournalState.journal_id).
JOURNAL_ID = "6f1d2c3a-58e4-4b7a-9c0d-1e2f3a4b5c6d"


def sample_contents(*, name: str | None = UNICODE_NAME, journal_id: str | None = JOURNAL_ID) -> JournalContents:
    """The report's sample journal, as the stored journal gives it: with its own journal id."""
    return replace(_sample(name=name), state=JournalState(journal_id=journal_id))


# Copied from /work/shared/clinical/scales.md: the contract these codes are checked against.
PHQ9_TOTAL, PHQ9_PANEL = "44261-6", "44249-1"
PHQ9_ITEM_CODES = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
GAD7_TOTAL, GAD7_PANEL = "70274-6", "69737-5"
GAD7_ITEM_CODES = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
# scales.md's "Codes for exports": the blood pressure panel and its components, pulse oximetry.
BP_PANEL, BP_SYSTOLIC, BP_DIASTOLIC = "85354-9", "8480-6", "8462-4"
SPO2_CODES = ["59408-5", "2708-6"]
# scales.md's lab codes (LOINC, UCUM).
LAB_CODES = {"crp": "1988-5", "hs-crp": "30522-7", "il6": "26881-3", "tsh": "3016-3", "free_t4": "3024-7", "cortisol": "2143-6", "vitamin_d": "62292-8"}
# scales.md: the PHQ-9's (and GAD-7's) answers "Not at all" (0) .. "Nearly every day" (3).
ANSWER_CODES = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
LOINC_FROM_SCALES_MD = {
    PHQ9_TOTAL, PHQ9_PANEL, GAD7_TOTAL, GAD7_PANEL, "69722-7", *PHQ9_ITEM_CODES, *GAD7_ITEM_CODES,
    BP_PANEL, BP_SYSTOLIC, BP_DIASTOLIC, *SPO2_CODES, *LAB_CODES.values(),
}


def _read_zip_csv(path, name):
    with zipfile.ZipFile(path) as zf:
        raw = zf.read(name)
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name} lacks the UTF-8 byte-order mark spreadsheets need"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# --- CSV ---------------------------------------------------------------------------------


def test_zip_holds_one_csv_per_record_kind_and_a_readme(tmp_path):
    out = write_csv(sample_contents(), tmp_path / "journal.zip")
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
    expected = {
        "profile_and_settings", "episodes", "trials", "dose_steps", "side_effects", "therapies", "scores", "checkins",
        "labs", "conditions", "sessions", "notes", "entries_by",
    }
    assert set(CSV_TABLES) == expected
    assert names == {f"{n}.csv" for n in expected} | {"README.txt"}
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_scores_put_questionnaire_answers_in_item_columns(tmp_path):
    out = write_csv(sample_contents(), tmp_path / "j.zip")
    rows = {r["id"]: r for r in _read_zip_csv(out, "scores.csv")}
    s1 = rows["s1"]
    assert s1["date"] == "2025-01-08" and s1["scale"] == "PHQ-9" and s1["total"] == "16"
    assert [int(s1[f"item_{i}"]) for i in range(1, 10)] == list(PHQ9_ITEMS["s1"])
    assert s1["difficulty"] == "2"
    gad = rows["s2"]
    assert [gad[f"item_{i}"] for i in range(1, 10)] == ["2", "2", "2", "2", "1", "2", "1", "", ""]
    assert rows["s3"]["item_1"] == "" and rows["s3"]["total"] == "31"


def test_dose_steps_end_the_day_before_the_next_step(tmp_path):
    out = write_csv(sample_contents(), tmp_path / "j.zip")
    steps = [r for r in _read_zip_csv(out, "dose_steps.csv") if r["trial_id"] == "t1"]
    assert [(r["step"], r["start"], r["end"], r["mg_per_day"]) for r in steps] == [
        ("1", "2025-01-10", "2025-02-06", "50"),
        ("2", "2025-02-07", "2025-04-01", "100"),
    ]
    ongoing = [r for r in _read_zip_csv(out, "dose_steps.csv") if r["trial_id"] == "t3"]
    assert ongoing[-1]["end"] == ""


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_quoted(tmp_path):
    out = write_csv(sample_contents(), tmp_path / "j.zip")
    trials = {r["id"]: r for r in _read_zip_csv(out, "trials.csv")}
    assert trials["t3"]["note"] == "'=HYPERLINK(\"http://example.invalid\")"
    conditions = {r["id"]: r for r in _read_zip_csv(out, "conditions.csv")}
    assert conditions["c2"]["note"] == "'@ask for assessment"
    notes = {r["id"]: r for r in _read_zip_csv(out, "notes.csv")}
    assert notes["n3"]["text"].startswith("'-Is the sweating")
    assert notes["n1"]["text"].startswith("Ask about")  # ordinary text untouched
    with zipfile.ZipFile(out) as zf:
        assert "single" in zf.read("README.txt").decode() and "formula" in zf.read("README.txt").decode()


def test_unicode_and_caregiver_entries_survive(tmp_path):
    out = write_csv(sample_contents(), tmp_path / "j.zip")
    by = _read_zip_csv(out, "entries_by.csv")
    assert {(r["record_id"], r["author"]) for r in by} == {("s7", "caregiver (Marta)"), ("k1", "caregiver (Marta)")}
    sessions = {r["id"]: r for r in _read_zip_csv(out, "sessions.csv")}
    assert sessions["k1"]["datetime"] == "2025-08-05T09:30:00+02:00"
    assert (sessions["k1"]["bp_before_systolic"], sessions["k1"]["bp_after_diastolic"]) == ("128", "88")
    assert sessions["k1"]["transport_arranged"] == "true"


def test_folder_export_and_refusing_a_folder_with_other_files(tmp_path):
    folder = tmp_path / "csv"
    write_csv(sample_contents(), folder)
    raw = (folder / "labs.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [(r["test"], r["value"], r["unit"]) for r in rows] == [("CRP", "4.2", "mg/L"), ("TSH", "2.1", "mIU/L")]
    assert stat.S_IMODE(os.stat(folder / "labs.csv").st_mode) == 0o600
    # Exporting again over an earlier export replaces it.
    write_csv(JournalContents(), folder)
    assert list(csv.reader(io.StringIO((folder / "labs.csv").read_text("utf-8-sig")))) == [
        ["id", "date", "test", "value", "unit", "note"]
    ]
    other = tmp_path / "Documents"
    other.mkdir()
    (other / "letter.odt").write_text("keep me")
    with pytest.raises(JournalError, match="other files"):
        write_csv(sample_contents(), other)
    assert (other / "letter.odt").read_text() == "keep me"


def test_failed_zip_write_keeps_the_earlier_export(tmp_path, monkeypatch):
    out = tmp_path / "j.zip"
    write_csv(sample_contents(), out)
    before = out.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_csv(JournalContents(), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["j.zip"]


# --- FHIR --------------------------------------------------------------------------------


def by_record(bundle):
    """Each resource by the journal record its identifier names ("score/s1"); AdverseEvent has one identifier, not a list."""
    found = {}
    for entry in bundle["entry"]:
        r = entry["resource"]
        ident = r.get("identifier")
        if isinstance(ident, dict):
            found[ident["value"]] = r
        elif ident and r["resourceType"] != "Patient":
            found[ident[0]["value"]] = r
    return found


def _resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _codes(codeable):
    return [(c.get("system"), c.get("code")) for c in codeable.get("coding", [])]


@pytest.mark.slow
def test_bundle_validates_as_fhir_r4():
    # fhir.resources 8 defaults to R5; its R4B package is the R4-compatible release.
    from fhir.resources.R4B.bundle import Bundle

    bundle = fhir_bundle(sample_contents())
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert len(parsed.entry) == len(bundle["entry"])
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)


def test_empty_journal_validates_too():
    from fhir.resources.R4B.bundle import Bundle

    bundle = fhir_bundle(JournalContents())
    Bundle.model_validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    assert "name" not in bundle["entry"][0]["resource"]


def test_full_urls_are_stable_across_exports():
    a = fhir_bundle(sample_contents())
    b = fhir_bundle(sample_contents(name=None))
    assert [e["fullUrl"] for e in a["entry"]] == [e["fullUrl"] for e in b["entry"]]


def test_patient_carries_the_chosen_name_only():
    patient = _resources(fhir_bundle(sample_contents()), "Patient")[0]
    assert patient["name"] == [{"text": UNICODE_NAME}]
    assert patient["birthDate"] == "1984"


def _dose_steps(statement):
    return [
        (d["sequence"], d["timing"]["repeat"]["boundsPeriod"], d.get("doseAndRate", [{}])[0].get("rateQuantity", {}).get("value"))
        for d in statement["dosage"]
    ]


def test_a_medication_statement_per_trial_with_its_dose_steps_and_catalog_codes():
    bundle = fhir_bundle(sample_contents())
    statements = {s["identifier"][0]["value"]: s for s in _resources(bundle, "MedicationStatement")}
    assert list(statements) == ["trial/t1", "trial/t2", "trial/t3", "trial/t4"]
    venlafaxine = statements["trial/t2"]
    # The brand Effexor XR exports as its generic name, with the catalog's ATC and RxNorm codes.
    assert venlafaxine["medicationCodeableConcept"] == {
        "coding": [
            {"system": "http://www.whocc.no/atc", "code": "N06AX16"},
            {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "39786"},
        ],
        "text": "venlafaxine",
    }
    assert {"text": "Entered as Effexor XR."} in venlafaxine["note"]
    assert venlafaxine["effectivePeriod"] == {"start": "2025-04-05", "end": "2025-07-01"}
    assert venlafaxine["status"] == "completed"
    assert _dose_steps(venlafaxine) == [
        (1, {"start": "2025-04-05", "end": "2025-04-18"}, 75),
        (2, {"start": "2025-04-19", "end": "2025-05-02"}, 150),
        (3, {"start": "2025-05-03", "end": "2025-07-01"}, 225),
    ]
    rate = venlafaxine["dosage"][1]["doseAndRate"][0]["rateQuantity"]
    assert rate == {"value": 150, "unit": "mg/d", "system": "http://unitsofmeasure.org", "code": "mg/d"}
    assert venlafaxine["dosage"][1]["text"] == "150 mg per day"
    assert venlafaxine["statusReason"] == [{"text": "Stopped: side effects"}]
    bupropion = statements["trial/t3"]
    assert bupropion["status"] == "active" and bupropion["effectivePeriod"] == {"start": "2025-07-08"}
    assert "end" not in bupropion["dosage"][-1]["timing"]["repeat"]["boundsPeriod"]
    assert statements["trial/t4"]["dosage"][0]["text"] == "2 mg per day (add-on treatment)"
    # A trial links to the episode it started in.
    episode = by_record(bundle)["episode/e1"]
    episode_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is episode)
    assert venlafaxine["reasonReference"] == [{"reference": episode_url}]


def test_scale_scores_use_the_loinc_codes_of_scales_md():
    bundle = fhir_bundle(sample_contents())
    observations = _resources(bundle, "Observation")
    by_id = by_record(bundle)

    s1 = by_id["score/s1"]
    assert _codes(s1["code"]) == [("http://loinc.org", PHQ9_TOTAL)]
    assert s1["valueInteger"] == 16 and s1["effectiveDateTime"] == "2025-01-08"
    panel = by_id["score/s1/answers"]
    assert _codes(panel["code"]) == [("http://loinc.org", PHQ9_PANEL)]
    # Each answer goes out as its LOINC answer code, its score as the code's ordinal value.
    items = [(c["code"]["coding"][0]["code"], c["valueCodeableConcept"]["coding"][0]) for c in panel["component"][:9]]
    assert [(item, answer["code"]) for item, answer in items] == [
        (code, ANSWER_CODES[n]) for code, n in zip(PHQ9_ITEM_CODES, PHQ9_ITEMS["s1"], strict=True)
    ]
    assert [answer["extension"] for _, answer in items][:2] == [
        [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": n}] for n in PHQ9_ITEMS["s1"][:2]
    ]
    assert items[1][1]["display"] == "Nearly every day" and items[1][1]["system"] == "http://loinc.org"
    # The difficulty question's answers have no LOINC code in scales.md: the answer's words go out.
    difficulty = panel["component"][9]
    assert difficulty["code"]["coding"][0]["code"] == "69722-7"
    assert difficulty["valueCodeableConcept"] == {"text": "Very difficult"}

    gad = by_id["score/s2/answers"]
    assert _codes(gad["code"]) == [("http://loinc.org", GAD7_PANEL)]
    assert [c["code"]["coding"][0]["code"] for c in gad["component"]] == GAD7_ITEM_CODES
    assert _codes(by_id["score/s2"]["code"]) == [("http://loinc.org", GAD7_TOTAL)]

    # A PHQ-9 entered as a total only has no panel.
    assert "score/s5/answers" not in by_id
    assert _codes(by_id["score/s5"]["code"]) == [("http://loinc.org", PHQ9_TOTAL)]

    # Scales with no LOINC code in scales.md get the local code system, never a made-up LOINC.
    assert _codes(by_id["score/s3"]["code"]) == [(LOCAL_SCALE_SYSTEM, "MADRS")]
    assert _codes(by_id["score/s6"]["code"]) == [(LOCAL_SCALE_SYSTEM, "QIDS-SR16")]
    every_loinc = {
        c["code"]
        for o in observations
        for codeable in [o["code"], *(comp["code"] for comp in o.get("component", []))]
        for c in codeable.get("coding", [])
        if c["system"] == "http://loinc.org"
    }
    assert every_loinc <= LOINC_FROM_SCALES_MD


def test_labs_conditions_sessions_and_caregiver_entries():
    bundle = fhir_bundle(sample_contents())
    by_id = by_record(bundle)
    crp = by_id["lab/l1"]
    # scales.md's LOINC for CRP; the unit as typed, with its UCUM code.
    assert _codes(crp["code"]) == [("http://loinc.org", LAB_CODES["crp"])] and crp["code"]["text"] == "CRP"
    assert crp["valueQuantity"] == {"value": 4.2, "unit": "mg/L", "system": "http://unitsofmeasure.org", "code": "mg/L"}
    # "mIU/L" as typed is UCUM's m[IU]/L.
    tsh = by_id["lab/l2"]
    assert _codes(tsh["code"]) == [("http://loinc.org", LAB_CODES["tsh"])]
    assert tsh["valueQuantity"] == {"value": 2.1, "unit": "mIU/L", "system": "http://unitsofmeasure.org", "code": "m[IU]/L"}
    assert crp["category"][0]["coding"][0]["code"] == "laboratory"
    anxiety = by_id["condition/c1"]
    assert anxiety["code"] == {"text": "generalised anxiety"} and anxiety["onsetDateTime"] == "2019-05-01"
    assert anxiety["verificationStatus"]["coding"][0]["code"] == "confirmed"
    assert by_id["condition/c2"]["verificationStatus"]["coding"][0]["code"] == "provisional"
    session = by_id["session/k1"]
    assert session["resourceType"] == "Procedure" and session["performedDateTime"] == "2025-08-05T09:30:00+02:00"
    # What was given, with the catalog's codes for esketamine's sessions.
    assert session["usedCode"] == [
        {
            "coding": [
                {"system": "http://www.whocc.no/atc", "code": "N06AX27"},
                {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "2119365"},
            ],
            "text": "esketamine 56 mg",
        }
    ]
    assert {"text": "Entered by caregiver (Marta)."} in session["note"]
    measures = by_id["session/k1/measures"]
    values = {c["code"]["coding"][0]["code"]: c["valueInteger"] for c in measures["component"]}
    assert values == {"dissociation": 5, "sedation": 3, "nausea": 1}
    # Blood pressure goes out in the vital-signs form scales.md asks for, part of the session.
    before = by_id["session/k1/bp_before"]
    assert before["category"][0]["coding"][0]["code"] == "vital-signs"
    assert _codes(before["code"]) == [("http://loinc.org", BP_PANEL)]
    readings = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in before["component"]}
    assert readings[BP_SYSTOLIC] == {"value": 128, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}
    assert readings[BP_DIASTOLIC]["value"] == 82
    assert before["partOf"] == [{"reference": next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is session)}]
    assert [c["code"]["coding"][0]["code"] for c in by_id["session/k1/bp_after"]["component"]] == [BP_SYSTOLIC, BP_DIASTOLIC]
    assert {"text": "Entered by caregiver (Marta)."} in by_id["score/s7"]["note"]


def test_write_fhir_is_private_json(tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    out = write_fhir(sample_contents(), tmp_path / "journal.fhir.json")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    data = json.loads(out.read_text("utf-8"))
    Bundle.model_validate(data)
    assert "timestamp" in data
    assert UNICODE_NAME in out.read_text("utf-8")
