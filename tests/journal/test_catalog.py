"""The drug catalog holds every row of drug-catalog.md and resolves names as trd-rules.md says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journal.clinical.catalog import Catalog, Drug, custom_drug_key, load_catalog
from journal.clinical.verdict_words import CLINICIAN, PERSON

SHARED_CATALOG = Path(__file__).resolve().parents[3] / "shared" / "clinical" / "drug-catalog.md"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _generic(catalog: Catalog, name: str) -> str | None:
    drug = catalog.resolve(name)
    return drug.generic if drug is not None else None


def _markdown_rows() -> list[list[str]]:
    rows = []
    for line in SHARED_CATALOG.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 7 and cells[0] not in ("generic", "---"):
            rows.append(cells)
    return rows


def _first_number(cell: str) -> float | None:
    match = re.match(r"^\s*([0-9]+(?:\.[0-9]+)?)", cell)
    return float(match.group(1)) if match else None


@pytest.mark.skipif(not SHARED_CATALOG.exists(), reason="shared/clinical/drug-catalog.md is not beside the checkout")
def test_every_row_of_the_shared_catalog_is_transcribed_exactly(catalog):
    rows = _markdown_rows()
    assert len(rows) == 40
    assert [d.generic for d in catalog.drugs] == [r[0] for r in rows]
    for generic, drug_class, role, minimum, maximum, brands, grade in rows:
        drug = catalog.resolve(generic)
        assert drug is not None and drug.generic == generic
        assert drug.drug_class == drug_class
        assert drug.role == role
        assert drug.min_adequate_mg == _first_number(minimum), generic
        assert drug.typical_max_mg == _first_number(maximum), generic
        assert drug.brands == tuple(b.strip() for b in brands.split(","))
        assert drug.min_grade == grade[0]
        note = re.search(r"\((.*)\)", grade)
        if note:
            assert drug.min_note == note.group(1)
        for brand in drug.brands:
            assert catalog.resolve(brand) is drug, brand


def _code_rows() -> list[list[str]]:
    section = SHARED_CATALOG.read_text(encoding="utf-8").split("## Codes for exports", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("generic", "---"):
            rows.append(cells)
    return rows


def _code_cell(cell: str) -> tuple[str | None, str]:
    """A code cell as (code, note): "-" is no code, "42351 (lithium carbonate)" a code with a note."""
    if cell == "-":
        return None, ""
    match = re.fullmatch(r"(\S+)(?: \((.*)\))?", cell)
    return match.group(1), match.group(2) or ""


@pytest.mark.skipif(not SHARED_CATALOG.exists(), reason="shared/clinical/drug-catalog.md is not beside the checkout")
def test_every_export_code_of_the_shared_catalog_is_transcribed_exactly(catalog):
    rows = _code_rows()
    assert len(rows) == 41
    seen = set()
    for names, atc_cell, rxnorm_cell in rows:
        atc, atc_note = _code_cell(atc_cell)
        rxnorm, rxnorm_note = _code_cell(rxnorm_cell)
        for name in (n.strip() for n in names.split(",")):
            if name.endswith(" (sessions)"):
                entry = catalog.session_treatment_for(name.removesuffix(" (sessions)"))
                key = entry.key
            else:
                entry = catalog.resolve(name)
                assert entry is not None and entry.generic == name
                key = entry.generic
            assert entry.codes.atc == atc and entry.codes.rxnorm == rxnorm, name
            assert (entry.codes.atc_note, entry.codes.rxnorm_note) == (atc_note, rxnorm_note), name
            seen.add(key)
    # Every catalog drug has a row; a drug or session treatment without one carries no code at all.
    assert {d.generic for d in catalog.drugs} <= seen
    for treatment in catalog.session_treatments:
        if treatment.key not in seen:
            assert treatment.codes.atc is None and treatment.codes.rxnorm is None, treatment.key
    assert catalog.code_systems == {
        "atc": "http://www.whocc.no/atc",
        "rxnorm": "http://www.nlm.nih.gov/research/umls/rxnorm",
    }


def test_a_drug_without_a_checked_code_has_none(catalog):
    reboxetine = catalog.resolve("Edronax")
    assert reboxetine.codes.atc == "N06AX18"
    assert reboxetine.codes.rxnorm is None
    assert catalog.resolve("lithium carbonate").codes.rxnorm == "42351"
    assert catalog.session_treatment_for("ECT").codes.atc is None


@pytest.mark.parametrize(
    ("name", "minimum", "maximum", "grade", "role"),
    [
        ("sertraline", 50, 200, "A", "antidepressant"),
        ("paroxetine CR", 25, 62.5, "A", "antidepressant"),
        ("venlafaxine", 150, 375, "A", "antidepressant"),
        ("bupropion", 300, 450, "A", "antidepressant"),
        ("selegiline transdermal", 6, 12, "A", "antidepressant"),
        ("reboxetine", 8, 12, "B", "antidepressant"),
        ("aripiprazole", 5, 15, "B", "augmentation"),
        ("brexpiprazole", 2, 3, "B", "augmentation"),
        ("quetiapine", 150, 300, "B", "augmentation"),
        ("cariprazine", 1.5, 3, "B", "augmentation"),
        ("lithium", None, 1800, "C", "augmentation"),
        ("liothyronine", 0.025, 0.05, "C", "augmentation"),
    ],
)
def test_figures_of_sample_rows(catalog, name, minimum, maximum, grade, role):
    drug = catalog.resolve(name)
    assert (drug.min_adequate_mg, drug.typical_max_mg, drug.min_grade, drug.role) == (minimum, maximum, grade, role)


def test_session_treatments_are_not_drugs(catalog):
    for name in ("esketamine", "Spravato", "ketamine", "ECT", "rTMS"):
        assert catalog.resolve(name) is None
    assert catalog.session_treatment_for("spravato").key == "esketamine"
    assert catalog.session_treatment_for("  ECT ").key == "ect"
    assert catalog.session_treatment_for("sertraline") is None
    assert catalog.session_treatment_for("") is None


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        # the brief's examples
        ("sertraline hydrochloride", "sertraline"),
        ("venlafaxine XR", "venlafaxine"),
        ("bupropion hydrochloride XL", "bupropion"),
        ("lithium carbonate", "lithium"),
        ("escitalopram oxalate", "escitalopram"),
        ("Prozac", "fluoxetine"),
        # brands and case
        ("zoloft", "sertraline"),
        ("LEXAPRO", "escitalopram"),
        ("Seroxat", "paroxetine"),
        ("Emsam", "selegiline transdermal"),
        ("Cytomel", "liothyronine"),
        ("Lithobid", "lithium"),
        ("SERTRALINE", "sertraline"),
        # surrounding and inner spaces
        ("  sertraline\t", "sertraline"),
        ("sertraline   HCl", "sertraline"),
        ("selegiline  transdermal", "selegiline transdermal"),
        # entries that themselves carry a tag win over dropping it
        ("paroxetine CR", "paroxetine CR"),
        ("paroxetine cr", "paroxetine CR"),
        ("paroxetine  CR", "paroxetine CR"),
        ("Paxil CR", "paroxetine CR"),
        ("paroxetine", "paroxetine"),
        ("Paxil", "paroxetine"),
        ("paroxetine CR hydrochloride", "paroxetine CR"),
        ("paroxetine hydrochloride CR", "paroxetine CR"),
        ("paroxetine hydrochloride", "paroxetine"),
        ("Effexor XR", "venlafaxine"),
        ("Wellbutrin XL", "bupropion"),
        ("Seroquel XR", "quetiapine"),
        ("quetiapine fumarate XR", None),  # fumarate is not one of the salt words
        # every tag and every salt word
        ("fluoxetine IR", "fluoxetine"),
        ("bupropion SR", "bupropion"),
        ("venlafaxine ER", "venlafaxine"),
        ("Wellbutrin LA", "bupropion"),
        ("citalopram hydrobromide", "citalopram"),
        ("citalopram HBr", "citalopram"),
        ("lithium citrate", "lithium"),
        ("desvenlafaxine succinate", "desvenlafaxine"),
        ("fluvoxamine maleate", "fluvoxamine"),
        ("duloxetine HCL", "duloxetine"),
        # both, in either order
        ("venlafaxine hydrochloride ER", "venlafaxine"),
        ("bupropion XL hydrochloride", "bupropion"),
        ("lithium carbonate ER", "lithium"),
        ("Effexor XR hydrochloride", "venlafaxine"),
    ],
)
def test_names_resolve_to_their_catalog_drug(catalog, name, generic):
    assert _generic(catalog, name) == generic


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "XR",
        "hydrochloride",
        "HCl XR",
        "sertraline HCl HCl",  # only one salt word is dropped
        "sertraline XR XL",  # only one tag is dropped
        "sertraline 50",
        "sertraline-HCl",  # the rule drops whole words only
        "selegiline",  # only the patch is in the catalog
        "St John's wort",
        "sertralin",
        "hydrochloride sertraline",
        "XR sertraline",
    ],
)
def test_other_names_are_custom_drugs(catalog, name):
    assert catalog.resolve(name) is None


def test_generic_name_for_known_and_custom_drugs(catalog):
    assert catalog.generic_name(" Zoloft ") == "sertraline"
    assert catalog.generic_name("Paxil CR") == "paroxetine CR"
    assert catalog.generic_name("  St John's wort ") == "St John's wort"
    assert catalog.generic_name("") == ""


def test_custom_drug_key_folds_case_spaces_and_punctuation():
    assert custom_drug_key("St John's Wort") == custom_drug_key("st. johns-wort") == custom_drug_key(" ST JOHNS  WORT ")
    assert custom_drug_key("Drug A") != custom_drug_key("Drug B")
    assert custom_drug_key("") == ""


def test_minimum_label_shows_the_source_beside_the_figure(catalog):
    label = catalog.minimum_label
    assert label(catalog.resolve("sertraline")) == "50 mg/day, MGH-ATRQ list"
    assert label(catalog.resolve("paroxetine CR")) == (
        "25 mg/day, MGH-ATRQ list (the list gives paroxetine 20/25; 25 read as the CR dose)"
    )
    assert label(catalog.resolve("venlafaxine")) == "150 mg/day, MGH-ATRQ list"
    grade_b = catalog.resolve("quetiapine").min_source
    assert grade_b == catalog.resolve("reboxetine").min_source != catalog.resolve("sertraline").min_source
    assert label(catalog.resolve("quetiapine")) == (
        f"150 mg/day, {grade_b} (SmPC add-on dose; outside the main MGH-ATRQ list)"
    )
    assert label(catalog.resolve("reboxetine")) == (
        f"8 mg/day, {grade_b} (UK SmPC: therapeutic dose 4 mg twice a day; one MGH-ATRQ form lists 4)"
    )
    assert label(catalog.resolve("cariprazine")) == f"1.5 mg/day, {grade_b} (label: 1.5 mg is a therapeutic dose)"
    assert label(catalog.resolve("liothyronine")) == (
        "0.025 mg/day (25 micrograms), a usual figure, not yet confirmed by a published source"
    )
    lithium = label(catalog.resolve("lithium"))
    assert "blood level" in lithium and "your own minimum" in lithium
    # The unconfirmed level figure is gone from the catalog.
    assert "mmol/L" not in lithium and "0.4" not in lithium
    assert "mg/day" not in lithium


def test_minimum_label_of_a_grade_b_drug():
    drug = Drug("examplix", "SSRI", "antidepressant", 10, "B", "label or usual range (secondary source)")
    assert Catalog((drug,)).minimum_label(drug) == "10 mg/day, label or usual range (secondary source)"


def test_maximum_label_says_it_is_unchecked(catalog):
    assert catalog.maximum_label(catalog.resolve("sertraline")) == (
        "200 mg/day, typical maximum, a usual figure, not yet confirmed by a published source"
    )


def test_the_person_reads_each_source_in_plain_words_and_the_clinician_reads_its_grade():
    person, clinician = load_catalog(PERSON), load_catalog(CLINICIAN)
    liothyronine = "liothyronine"  # grade C in drug-catalog.md
    assert person.minimum_label(person.resolve(liothyronine)) == (
        "0.025 mg/day (25 micrograms), a usual figure, not yet confirmed by a published source"
    )
    assert clinician.minimum_label(clinician.resolve(liothyronine)) == (
        "0.025 mg/day (25 micrograms), commonly cited figure, not yet checked against a primary source, grade C"
    )
    assert clinician.minimum_label(clinician.resolve("sertraline")) == "50 mg/day, MGH-ATRQ list, grade A"
    assert clinician.maximum_label(clinician.resolve("sertraline")) == (
        "200 mg/day, typical maximum, commonly cited figure, not yet checked against a primary source, grade C"
    )
    # No grade letter and none of the sources' jargon reaches the person's screen.
    for drug in person.drugs:
        words = person.minimum_label(drug) + person.maximum_label(drug)
        assert "commonly cited" not in words and "grade" not in words and "secondary source" not in words, drug.generic
    assert load_catalog() is person
    with pytest.raises(ValueError):
        load_catalog("patient")


def test_completion_names_list_generics_and_brands_sorted(catalog):
    names = catalog.completion_names()
    for expected in ("sertraline", "Zoloft", "paroxetine CR", "Paxil CR", "Effexor XR", "lithium", "Emsam"):
        assert expected in names
    assert "esketamine" not in names
    assert names == sorted(names, key=str.casefold)
    assert len(names) == len(set(names))
    assert all(catalog.resolve(n) is not None for n in names)


def test_a_name_shared_by_two_drugs_is_refused():
    a = Drug("alpha", "SSRI", "antidepressant", 10, "A", "MGH-ATRQ list", brands=("Same",))
    b = Drug("beta", "SSRI", "antidepressant", 10, "A", "MGH-ATRQ list", brands=("same",))
    with pytest.raises(ValueError, match="belongs to both alpha and beta"):
        Catalog((a, b))


def test_load_catalog_is_read_once():
    assert load_catalog() is load_catalog()
