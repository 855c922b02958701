"""What an EHR importing the exports relies on: one journal's ids never meet another's, codes come from the contracts."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import date

import pytest

from journal.clinical import catalog as catalog_module
from journal.exchange import fhir
from journal.exchange.export_parts import episode_holding
from journal.exchange.exports import CSV_COLUMNS, CSV_README, RULES_VERSION, csv_tables, fhir_bundle, write_csv, write_fhir
from journal.records import (
    Condition,
    DoseStep,
    EntryBy,
    Episode,
    JournalContents,
    JournalState,
    Lab,
    Note,
    Profile,
    Reminders,
    ScaleScore,
    Settings,
    Trial,
    replace,
)
from tests.journal.test_exports import JOURNAL_ID, by_record, sample_contents

OTHER_ID = "0b7e4a52-1c3d-4e5f-8a9b-0c1d2e3f4a5b"


def _ids(bundle):
    return {e["resource"]["id"] for e in bundle["entry"]}


def _urls(bundle):
    return {e["fullUrl"] for e in bundle["entry"]}


def _resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


# --- namespaces ---------------------------------------------------------------------------


def test_two_journals_with_the_same_records_share_no_id_and_no_full_url():
    a = fhir_bundle(sample_contents(journal_id=JOURNAL_ID))
    b = fhir_bundle(sample_contents(journal_id=OTHER_ID))
    assert len(_ids(a)) == len(a["entry"]) and len(_ids(b)) == len(b["entry"])
    assert not _ids(a) & _ids(b)
    assert not _urls(a) & _urls(b)
    # Nor an identifier an importer could match on.
    pairs = lambda bundle: {(i["system"], i["value"]) for r in by_record(bundle).values() for i in ([r["identifier"]] if isinstance(r["identifier"], dict) else r["identifier"])}  # noqa: E731
    assert not pairs(a) & pairs(b)


def test_the_same_journal_exported_twice_gives_the_same_ids():
    a, b = fhir_bundle(sample_contents()), fhir_bundle(sample_contents())
    assert [(e["fullUrl"], e["resource"]["id"]) for e in a["entry"]] == [(e["fullUrl"], e["resource"]["id"]) for e in b["entry"]]
    assert all(e["fullUrl"] == "urn:uuid:" + e["resource"]["id"] for e in a["entry"])


def test_ids_are_uuid5_of_the_journal_namespace_kind_and_record():
    bundle = fhir_bundle(sample_contents())
    namespace = uuid.UUID(JOURNAL_ID)
    assert by_record(bundle)["score/s1"]["id"] == str(uuid.uuid5(namespace, "score/s1"))
    assert _resources(bundle, "Patient")[0]["id"] == str(uuid.uuid5(namespace, "patient/owner"))


def test_contents_without_a_journal_id_get_a_fresh_random_namespace_each_export():
    a = fhir_bundle(sample_contents(journal_id=None))
    b = fhir_bundle(sample_contents(journal_id=None))
    assert not _ids(a) & _ids(b)
    old_fixed = uuid.uuid5(uuid.NAMESPACE_URL, "urn:trial-journal")
    assert _resources(a, "Patient")[0]["id"] != str(uuid.uuid5(old_fixed, "patient/owner"))
    assert uuid.UUID(_resources(a, "Patient")[0]["identifier"][0]["value"].removeprefix("urn:uuid:")).version == 4


def test_patient_and_records_carry_the_journal_id():
    bundle = fhir_bundle(sample_contents())
    patient = _resources(bundle, "Patient")[0]
    assert patient["identifier"] == [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{JOURNAL_ID}"}]
    assert by_record(bundle)["lab/l1"]["identifier"] == [{"system": f"urn:uuid:{JOURNAL_ID}", "value": "lab/l1"}]


def test_every_resource_validates_as_fhir_r4_and_every_reference_is_in_the_bundle():
    from fhir.resources.R4B import get_fhir_model_class

    bundle = fhir_bundle(sample_contents())
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    urls = _urls(bundle)

    def references(value):
        if isinstance(value, dict):
            if "reference" in value:
                yield value["reference"]
            for v in value.values():
                yield from references(v)
        elif isinstance(value, list):
            for v in value:
                yield from references(v)

    found = list(references(bundle["entry"]))
    assert found and set(found) <= urls


# --- medication codes ------------------------------------------------------------------------


def _trial_contents(*drugs):
    trials = tuple(Trial(f"t{i}", d, (DoseStep(date(2025, 1, 1), 10),)) for i, d in enumerate(drugs))
    return JournalContents(trials=trials, state=JournalState(journal_id=JOURNAL_ID))


def test_every_catalog_drug_goes_out_with_the_catalogs_codes_and_text_where_it_has_none():
    cat = catalog_module.load_catalog()
    statements = _resources(fhir_bundle(_trial_contents(*(d.generic for d in cat.drugs))), "MedicationStatement")
    for drug, statement in zip(cat.drugs, statements, strict=True):
        concept = statement["medicationCodeableConcept"]
        assert concept["text"] == drug.generic
        expected = [(cat.code_systems[k], c) for k, c in (("atc", drug.codes.atc), ("rxnorm", drug.codes.rxnorm)) if c]
        assert [(c["system"], c["code"]) for c in concept.get("coding", [])] == expected
    moclobemide = next(s for s in statements if s["medicationCodeableConcept"]["text"] == "moclobemide")
    assert [c["system"] for c in moclobemide["medicationCodeableConcept"]["coding"]] == ["http://www.whocc.no/atc"]


def test_drug_codes_are_read_from_the_catalog_loader(monkeypatch):
    shipped = catalog_module.load_catalog()
    sertraline = shipped.resolve("sertraline")
    changed = replace(sertraline, codes=replace(sertraline.codes, atc="TEST-ATC", rxnorm=None))
    fake = catalog_module.Catalog(
        tuple(changed if d is sertraline else d for d in shipped.drugs), shipped.session_treatments, code_systems=shipped.code_systems
    )
    monkeypatch.setattr(fhir, "load_catalog", lambda: fake)
    statement = _resources(fhir_bundle(_trial_contents("Zoloft")), "MedicationStatement")[0]
    assert statement["medicationCodeableConcept"]["coding"] == [{"system": "http://www.whocc.no/atc", "code": "TEST-ATC"}]


def test_a_drug_the_catalog_does_not_know_is_text_only():
    statement = _resources(fhir_bundle(_trial_contents("  Mystery-pill ")), "MedicationStatement")[0]
    assert statement["medicationCodeableConcept"] == {"text": "Mystery-pill"}


# --- labs, episodes, conditions, side effects, provenance ---------------------------------------


def test_labs_get_the_loinc_and_ucum_of_scales_md():
    labs = (
        Lab("a", date(2025, 1, 1), "hs-CRP", 1.1, "mg/l"),
        Lab("b", date(2025, 1, 1), "IL 6", 3, "pg/mL"),
        Lab("c", date(2025, 1, 1), "free T4", 14, "pmol/L"),
        Lab("d", date(2025, 1, 1), "Vitamin D", 20, "ng/ml"),
        Lab("e", date(2025, 1, 1), "morning cortisol", 400, "nmol/L"),
        Lab("f", date(2025, 1, 1), "ferritin", 50, "ug/L"),
        Lab("g", date(2025, 1, 1), "TSH", 2, "units"),
    )
    by_id = by_record(fhir_bundle(JournalContents(labs=labs, state=JournalState(journal_id=JOURNAL_ID))))
    loinc = {k: [c["code"] for c in by_id[f"lab/{k}"]["code"]["coding"] if c["system"] == "http://loinc.org"] for k in "abcdefg"}
    assert loinc == {"a": ["30522-7"], "b": ["26881-3"], "c": ["3024-7"], "d": ["62292-8"], "e": ["2143-6"], "f": [], "g": ["3016-3"]}
    assert by_id["lab/a"]["valueQuantity"]["code"] == "mg/L" and by_id["lab/d"]["valueQuantity"]["code"] == "ng/mL"
    assert by_id["lab/f"]["code"]["coding"] == [{"system": fhir.LOCAL_LAB_SYSTEM, "code": "ferritin"}]
    # A unit that is not one scales.md gives for the test keeps its words and claims no UCUM code.
    assert by_id["lab/g"]["valueQuantity"] == {"value": 2, "unit": "units"}


def test_an_episode_is_a_condition_with_onset_end_and_severity_in_words():
    contents = JournalContents(
        episodes=(
            Episode("e1", date(2018, 1, 1), date(2019, 6, 1), "severe_psychotic", start_precision="year", end_precision="month"),
            Episode("e2", date(2020, 3, 1), None, "moderate"),
        ),
        conditions=(Condition("c1", "ADHD", "assessed"),),
        state=JournalState(journal_id=JOURNAL_ID),
    )
    by_id = by_record(fhir_bundle(contents))
    e1, e2 = by_id["episode/e1"], by_id["episode/e2"]
    assert e1["resourceType"] == "Condition" and e1["code"] == {"text": "Depressive episode"}
    assert (e1["onsetDateTime"], e1["abatementDateTime"]) == ("2018", "2019-06")
    assert e1["severity"] == {"text": "Severe, with psychotic features"}
    assert e1["clinicalStatus"]["coding"][0]["code"] == "inactive" and e2["clinicalStatus"]["coding"][0]["code"] == "active"
    assert "abatementDateTime" not in e2
    for condition in (e1, e2, by_id["condition/c1"]):
        assert condition["clinicalStatus"]["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/condition-clinical"
        assert condition["category"][0]["coding"][0] == {
            "system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item", "display": "Problem List Item"
        }
        assert "coding" not in condition["code"]  # no SNOMED code is checked in: none is made up


def test_side_effects_are_adverse_events_with_severity_dates_and_the_trial_as_suspect():
    bundle = fhir_bundle(sample_contents())
    by_id = by_record(bundle)
    nausea = by_id["side-effect/t1/1"]
    assert nausea["resourceType"] == "AdverseEvent" and nausea["actuality"] == "actual"
    assert nausea["event"] == {"text": "nausea"} and nausea["date"] == "2025-01-12"
    assert nausea["severity"]["coding"][0] == {"system": "http://terminology.hl7.org/CodeSystem/adverse-event-severity", "code": "mild", "display": "Mild"}
    assert nausea["outcome"]["coding"][0]["code"] == "resolved"
    assert "until 2025-01-30" in nausea["text"]["div"]
    trial_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is by_id["trial/t1"])
    assert nausea["suspectEntity"] == [{"instance": {"reference": trial_url}}]
    sweating = by_id["side-effect/t2/1"]
    assert sweating["severity"]["coding"][0]["code"] == "moderate" and "date" not in sweating and "outcome" not in sweating


def test_caregiver_entries_have_a_provenance_naming_every_resource_made_from_them():
    contents = replace(
        sample_contents(), entries_by=(*sample_contents().entries_by, EntryBy("n1", "caregiver (Marta)"))
    )
    bundle = fhir_bundle(contents)
    urls = {id(e["resource"]): e["fullUrl"] for e in bundle["entry"]}
    by_id = by_record(bundle)
    provenances = _resources(bundle, "Provenance")
    assert len(provenances) == 2  # the note n1 is not exported, so it has none
    targets = [sorted(t["reference"] for t in p["target"]) for p in provenances]
    assert sorted(urls[id(by_id[k])] for k in ("score/s7", "score/s7/answers")) in targets
    session = sorted(urls[id(by_id[k])] for k in ("session/k1", "session/k1/bp_before", "session/k1/bp_after", "session/k1/measures"))
    assert session in targets
    agent = provenances[0]["agent"][0]
    assert agent["who"] == {"type": "RelatedPerson", "display": "caregiver (Marta)"}
    assert agent["type"]["coding"][0]["code"] == "enterer"


def test_gad7_answers_carry_loinc_answer_codes():
    panel = by_record(fhir_bundle(sample_contents()))["score/s2/answers"]
    codes = [c["valueCodeableConcept"]["coding"][0]["code"] for c in panel["component"]]
    assert codes == ["LA6570-1", "LA6570-1", "LA6570-1", "LA6570-1", "LA6569-3", "LA6570-1", "LA6569-3"]


def test_the_quick_uuid5_is_uuid5():
    namespace = uuid.uuid4()
    names = fhir._Names(namespace)
    for name in ("patient/owner", "score/ä-1", "side-effect/t1/2", ""):
        assert names(name) == str(uuid.uuid5(namespace, name))


# --- CSV ---------------------------------------------------------------------------------------


def _csv(contents, tmp_path):
    out = write_csv(contents, tmp_path / "j.zip")
    with zipfile.ZipFile(out) as zf:
        return {n: list(csv.DictReader(io.StringIO(zf.read(f"{n}.csv").decode("utf-8-sig"), newline=""))) for n in CSV_COLUMNS}, zf.read("README.txt").decode()


def test_profile_and_settings_hold_what_the_rule_needs_to_run_again(tmp_path):
    contents = JournalContents(
        profile=Profile("Zoë", 1984),
        settings=Settings(8, 25, True, "MADRS", Reminders("20:30", 14, "2026-12-10", "2026-12-03T10:00:00+01:00")),
        state=JournalState(journal_id=JOURNAL_ID),
    )
    tables, _ = _csv(contents, tmp_path)
    assert tables["profile_and_settings"] == [
        {
            "journal_id": JOURNAL_ID, "display_name": "Zoë", "birth_year": "1984", "adequate_weeks": "8",
            "failure_threshold_pct": "25", "count_augmentation": "true", "primary_scale": "MADRS", "rules_version": str(RULES_VERSION),
            "reminder_checkin_time": "20:30", "reminder_questionnaire_every_days": "14",
            "reminder_next_appointment": "2026-12-10", "reminder_next_session": "2026-12-03T10:00:00+01:00",
        }
    ]


def test_trials_have_the_generic_name_and_class_beside_the_drug_as_typed(tmp_path):
    tables, _ = _csv(_trial_contents("Effexor XR", "Mystery-pill"), tmp_path)
    rows = [(r["drug"], r["generic"], r["drug_class"]) for r in tables["trials"]]
    assert rows == [("Effexor XR", "venlafaxine", "SNRI"), ("Mystery-pill", "", "")]
    assert list(tables["trials"][0])[:4] == ["id", "drug", "generic", "drug_class"]


def test_episode_id_on_trials_and_scores_reads_a_month_end_as_its_last_day(tmp_path):
    contents = JournalContents(
        episodes=(
            Episode("e1", date(2019, 1, 1), date(2019, 6, 1), end_precision="month", start_precision="year"),
            Episode("e2", date(2021, 1, 10)),
        ),
        trials=(
            Trial("t1", "sertraline", (DoseStep(date(2019, 6, 30), 50),)),
            Trial("t2", "sertraline", (DoseStep(date(2019, 7, 1), 50),)),
            Trial("t3", "sertraline", (DoseStep(date(2021, 1, 1), 50, "month"),)),  # its first day is before e2
        ),
        scores=(
            ScaleScore("s1", date(2019, 6, 30), "PHQ-9", 10),
            ScaleScore("s2", date(2020, 1, 1), "PHQ-9", 10),
            ScaleScore("s3", date(2026, 1, 1), "PHQ-9", 10),
        ),
    )
    tables, _ = _csv(contents, tmp_path)
    assert [(r["id"], r["episode_id"]) for r in tables["trials"]] == [("t1", "e1"), ("t2", ""), ("t3", "")]
    assert [(r["id"], r["episode_id"]) for r in tables["scores"]] == [("s1", "e1"), ("s2", ""), ("s3", "e2")]
    assert [(r["start"], r["start_precision"], r["end"], r["end_precision"]) for r in tables["episodes"]] == [
        ("2019", "year", "2019-06", "month"), ("2021-01-10", "day", "", "")
    ]


def test_episode_holding_takes_partial_ends_to_their_last_day():
    year = Episode("y", date(2015, 1, 1), date(2015, 1, 1), end_precision="year")
    assert episode_holding((year,), date(2015, 12, 31)) is year
    assert episode_holding((year,), date(2016, 1, 1)) is None
    assert episode_holding((year,), date(2014, 12, 31)) is None


def test_the_readme_describes_every_table_and_column(tmp_path):
    tables, readme = _csv(sample_contents(), tmp_path)
    assert readme == CSV_README
    for name, (header, _) in csv_tables(sample_contents()).items():
        assert f"\n{name}.csv: " in readme
        section = readme.split(f"\n{name}.csv: ", 1)[1].split("\n\n", 1)[0]
        for column in header:
            assert f"\n  {column} " in section, f"{name}.csv: {column} is not described"
        assert list(tables[name][0]) == list(header) if tables[name] else True
    assert "UTC offset" in readme and "_precision" in readme


def test_bad_paths_are_named_and_nothing_is_written(tmp_path):
    from journal.errors import JournalError

    with pytest.raises(JournalError, match="does not exist"):
        write_fhir(sample_contents(), tmp_path / "missing" / "j.fhir.json")
    with pytest.raises(JournalError, match="does not exist"):
        write_csv(sample_contents(), tmp_path / "missing" / "j.zip")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(JournalError, match="a folder of that name is already there"):
        write_fhir(sample_contents(), tmp_path / "folder.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.json"]


def test_notes_stay_out_of_the_fhir_bundle():
    contents = replace(sample_contents(), notes=(Note("n9", date(2025, 1, 1), "private question"),))
    assert "private question" not in str(fhir_bundle(contents))
