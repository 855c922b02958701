"""Scale wording, codes and bands match scales.md; the crisis panel and the workup names are right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journal import records
from journal.clinical.scales import (
    CHECKIN_FIELDS,
    CONDITION_STATUS_LABELS,
    CRISIS_RESOURCES,
    DAILY_DOSE_UCUM,
    VITAL_SIGNS,
    WORKUP_CONDITIONS,
    WORKUP_LABS,
    UnknownScaleError,
    condition_key_for,
    crisis_answer_given,
    get_scale,
    load_scales,
    remission_max,
    severity_label,
    workup_key_for,
)

SHARED_SCALES = Path(__file__).resolve().parents[3] / "shared" / "clinical" / "scales.md"

PHQ9_LOINC = ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8")
GAD7_LOINC = ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")


def test_the_journal_knows_exactly_the_scales_records_allow():
    assert tuple(load_scales()) == records.ALL_SCALES
    for name in records.QUESTIONNAIRE_SCALES:
        assert get_scale(name).kind == "questionnaire"
    for name in records.TOTAL_ONLY_SCALES:
        scale = get_scale(name)
        assert scale.kind == "total" and scale.items == () and scale.item_count == 0


def test_phq9_codes_and_wording():
    phq = get_scale("PHQ-9")
    assert (phq.min_total, phq.max_total, phq.item_count) == (0, 27, 9)
    assert tuple(i.loinc for i in phq.items) == PHQ9_LOINC
    assert [i.number for i in phq.items] == list(range(1, 10))
    assert phq.total_loinc == "44261-6"
    assert phq.panel_loinc == "44249-1"
    assert phq.question == "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    assert [(a.value, a.text, a.loinc) for a in phq.answers] == [
        (0, "Not at all", "LA6568-5"),
        (1, "Several days", "LA6569-3"),
        (2, "More than half the days", "LA6570-1"),
        (3, "Nearly every day", "LA6571-9"),
    ]
    assert phq.items[8].text == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert phq.crisis_item == 9
    assert phq.difficulty.loinc == "69722-7"
    assert phq.difficulty.question.startswith("If you checked off any problems, how difficult")
    assert [a.text for a in phq.difficulty.answers] == [
        "Not difficult at all",
        "Somewhat difficult",
        "Very difficult",
        "Extremely difficult",
    ]
    assert phq.credit == (
        "Copyright Pfizer Inc.; developed by Drs. Robert L. Spitzer, Janet B. W. Williams, Kurt Kroenke and "
        "colleagues, with an educational grant from Pfizer Inc. No permission is required to reproduce, "
        "translate, display or distribute."
    )


def test_gad7_codes_and_wording():
    gad = get_scale("GAD-7")
    assert (gad.min_total, gad.max_total, gad.item_count) == (0, 21, 7)
    assert tuple(i.loinc for i in gad.items) == GAD7_LOINC
    assert gad.total_loinc == "70274-6"
    assert gad.panel_loinc == "69737-5"
    assert gad.question == "Over the last 2 weeks, how often have you been bothered by the following problems?"
    assert gad.answers == get_scale("PHQ-9").answers
    assert gad.credit == get_scale("PHQ-9").credit
    assert gad.difficulty is None and gad.crisis_item is None
    assert gad.remission_max is None


def _md_table(text: str, heading: str) -> list[list[str]]:
    section = text.split(heading, 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            rows.append(cells)
    return rows


@pytest.mark.skipif(not SHARED_SCALES.exists(), reason="shared/clinical/scales.md is not beside the checkout")
def test_item_wording_and_codes_match_the_shared_scales_text():
    text = SHARED_SCALES.read_text(encoding="utf-8")
    for heading, name in (("## PHQ-9", "PHQ-9"), ("## GAD-7", "GAD-7")):
        rows = _md_table(text, heading)
        scale = get_scale(name)
        assert [(str(i.number), i.text, i.loinc) for i in scale.items] == [tuple(r) for r in rows]
        quoted = re.search(r'Question: "([^"]+)"', text.split(heading, 1)[1]).group(1)
        assert scale.question == " ".join(quoted.split())
    credit = " ".join(text.split("## PHQ-9", 1)[1].split("Keep that credit line", 1)[0].split())
    assert get_scale("PHQ-9").credit == credit.split(")", 1)[1].strip()
    difficulty = re.search(r'\(LOINC 69722-7\):\s*"([^"]+)"', text, re.S).group(1)
    assert get_scale("PHQ-9").difficulty.question == " ".join(difficulty.split())


@pytest.mark.parametrize(
    ("scale", "total", "label"),
    [
        ("PHQ-9", 0, "minimal"),
        ("PHQ-9", 4, "minimal"),
        ("PHQ-9", 5, "mild"),
        ("PHQ-9", 9, "mild"),
        ("PHQ-9", 10, "moderate"),
        ("PHQ-9", 14, "moderate"),
        ("PHQ-9", 15, "moderately severe"),
        ("PHQ-9", 19, "moderately severe"),
        ("PHQ-9", 20, "severe"),
        ("PHQ-9", 27, "severe"),
        ("GAD-7", 4, "minimal"),
        ("GAD-7", 5, "mild"),
        ("GAD-7", 9, "mild"),
        ("GAD-7", 10, "moderate"),
        ("GAD-7", 14, "moderate"),
        ("GAD-7", 15, "severe"),
        ("GAD-7", 21, "severe"),
        ("QIDS-SR16", 5, "none"),
        ("QIDS-SR16", 6, "mild"),
        ("QIDS-SR16", 10, "mild"),
        ("QIDS-SR16", 11, "moderate"),
        ("QIDS-SR16", 16, "severe"),
        ("QIDS-SR16", 20, "severe"),
        ("QIDS-SR16", 21, "very severe"),
        ("MADRS", 6, "normal"),
        ("MADRS", 7, "mild"),
        ("MADRS", 19, "mild"),
        ("MADRS", 20, "moderate"),
        ("MADRS", 34, "moderate"),
        ("MADRS", 35, "severe"),
        ("MADRS", 60, "severe"),
        ("HAMD-17", 7, "none"),
        ("HAMD-17", 8, "mild"),
        ("HAMD-17", 13, "mild"),
        ("HAMD-17", 14, "moderate"),
        ("HAMD-17", 20, "severe"),
        ("HAMD-17", 25, "severe"),
        ("HAMD-17", 26, "very severe"),
        ("HAMD-17", 52, "very severe"),
    ],
)
def test_severity_band_boundaries(scale, total, label):
    assert severity_label(scale, total) == label


@pytest.mark.parametrize(("scale", "total"), [("PHQ-9", -1), ("PHQ-9", 28), ("GAD-7", 22), ("MADRS", 61), ("HAMD-17", 4.5)])
def test_a_total_outside_the_range_is_refused_with_the_range(scale, total):
    with pytest.raises(ValueError, match=f"{scale} total must be a whole number from 0 to"):
        severity_label(scale, total)


def test_ranges_of_total_only_scales():
    assert [(get_scale(n).min_total, get_scale(n).max_total) for n in ("QIDS-SR16", "MADRS", "HAMD-17")] == [
        (0, 27),
        (0, 60),
        (0, 52),
    ]
    assert "licence" in get_scale("QIDS-SR16").note


def test_remission_cuts():
    assert [remission_max(n) for n in ("PHQ-9", "GAD-7", "QIDS-SR16", "MADRS", "HAMD-17")] == [4, None, 5, 10, 7]


def test_unknown_scale_names_the_known_ones():
    assert get_scale(" phq-9 ") is get_scale("PHQ-9")
    with pytest.raises(UnknownScaleError, match="BDI-II.*PHQ-9, GAD-7"):
        get_scale("BDI-II")
    with pytest.raises(UnknownScaleError):
        severity_label("daily", 3)


@pytest.mark.parametrize(
    ("items", "shown"),
    [
        ((0, 0, 0, 0, 0, 0, 0, 0, 1), True),
        ((3, 3, 3, 3, 3, 3, 3, 3, 3), True),
        ((3, 3, 3, 3, 3, 3, 3, 3, 0), False),
        ((0,) * 9, False),
        (None, False),
        ((), False),
    ],
)
def test_item_9_above_zero_calls_for_the_crisis_panel(items, shown):
    assert crisis_answer_given("PHQ-9", items) is shown


def test_gad7_never_calls_for_the_crisis_panel():
    assert crisis_answer_given("GAD-7", (3,) * 7) is False


def test_crisis_panel_content():
    lines = CRISIS_RESOURCES.text_lines()
    text = "\n".join(lines)
    assert "US: call or text 988" in lines
    assert "UK and Ireland: Samaritans 116 123" in lines
    for number in ("112 in the EU", "911 in the US", "999 in the UK", "findahelpline.com"):
        assert number in text
    assert "clinician" in CRISIS_RESOURCES.advice
    assert "not a suicide-risk assessment" in CRISIS_RESOURCES.not_an_assessment
    assert "Nothing is sent anywhere" in CRISIS_RESOURCES.offline
    assert "safety plan" in CRISIS_RESOURCES.safety_plan


def test_checkin_fields_and_labels():
    by_key = {f.key: f for f in CHECKIN_FIELDS}
    assert tuple(k for k in by_key if by_key[k].kind == "integer") == records.DAILY_FIELDS
    for key in records.DAILY_FIELDS:
        assert (by_key[key].min, by_key[key].max) == (0, 10)
    assert (by_key["hours_slept"].min, by_key["hours_slept"].max, by_key["hours_slept"].kind) == (0, 24, "number")
    assert by_key["sleep_quality"].label == "Sleep quality"
    assert by_key["hours_slept"].label == "Hours slept"
    assert by_key["note"].kind == "text"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("CRP", "crp"),
        ("crp", "crp"),
        ("C-reactive protein", "crp"),
        ("hs-CRP", "crp"),
        ("HS CRP", "crp"),
        ("IL-6", "il6"),
        ("il6", "il6"),
        ("Interleukin 6", "il6"),
        ("TSH", "tsh"),
        ("Serum TSH", "tsh"),
        ("FT4", "free_t4"),
        ("Free T4", "free_t4"),
        ("free thyroxine", "free_t4"),
        ("morning cortisol", "morning_cortisol"),
        ("AM Cortisol", "morning_cortisol"),
        ("25-OH vitamin D", "vitamin_d"),
        ("25(OH)D", "vitamin_d"),
        ("Vitamin D level", "vitamin_d"),
        ("T4", None),
        ("free T3", None),
        ("ferritin", None),
        ("evening cortisol", None),
        ("", None),
        ("   ", None),
    ],
)
def test_free_typed_lab_names_find_the_workup_test(typed, key):
    assert workup_key_for(typed) == key


def test_workup_labs_and_units():
    units = {t.key: t.units for t in WORKUP_LABS}
    assert units == {
        "crp": ("mg/L",),
        "il6": ("pg/mL",),
        "tsh": ("mIU/L",),
        "free_t4": ("pmol/L", "ng/dL"),
        "morning_cortisol": ("nmol/L", "ug/dL"),
        "vitamin_d": ("nmol/L", "ng/mL"),
    }
    for test in WORKUP_LABS:
        assert workup_key_for(test.name) == test.key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Anxiety", "anxiety"),
        ("generalized anxiety disorder", "anxiety"),
        ("ADHD", "adhd"),
        ("attention-deficit/hyperactivity disorder", "adhd"),
        ("post-traumatic stress disorder", "ptsd"),
        ("PTSD", "ptsd"),
        ("insomnia", "sleep_disorder"),
        ("Sleep disorder", "sleep_disorder"),
        ("chronic pain", "chronic_pain"),
        ("substance use", "substance_use"),
        ("alcohol use disorder", "substance_use"),
        ("migraine", None),
        ("", None),
    ],
)
def test_free_typed_condition_names_find_the_workup_condition(typed, key):
    assert condition_key_for(typed) == key


def test_workup_conditions_and_statuses():
    assert [c.key for c in WORKUP_CONDITIONS] == ["anxiety", "adhd", "ptsd", "sleep_disorder", "chronic_pain", "substance_use"]
    assert tuple(CONDITION_STATUS_LABELS) == records.CONDITION_STATUSES
    assert CONDITION_STATUS_LABELS["diagnosed"] == "Diagnosed"


def _export_code_rows(text: str) -> list[list[str]]:
    section = text.split("## Codes for exports", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("what", "---"):
            rows.append(cells)
    return rows


@pytest.mark.skipif(not SHARED_SCALES.exists(), reason="shared/clinical/scales.md is not beside the checkout")
def test_lab_and_vital_sign_codes_match_the_shared_scales_text():
    rows = _export_code_rows(SHARED_SCALES.read_text(encoding="utf-8"))
    assert len(rows) == 10
    shipped = {c.what: c for lab in WORKUP_LABS for c in lab.codes}
    shipped.update({v.code.what: v.code for v in VITAL_SIGNS})
    assert sorted(shipped) == sorted(r[0] for r in rows)
    for what, loinc_cell, unit_cell in rows:
        code = shipped[what]
        components = re.search(r"\(components: (.*)\)", loinc_cell)
        main = loinc_cell.split(" (", 1)[0]
        assert code.loinc == tuple(main.split(" together with ")), what
        expected_components = tuple(tuple(c.split(" ")) for c in components.group(1).split(", ")) if components else ()
        assert code.components == expected_components, what
        assert code.ucum == tuple(unit_cell.split(" or ")), what
    assert DAILY_DOSE_UCUM == "mg/d"


def test_each_workup_lab_carries_its_codes():
    codes = {lab.key: [(c.what, c.loinc) for c in lab.codes] for lab in WORKUP_LABS}
    assert codes["crp"] == [("C-reactive protein", ("1988-5",)), ("high-sensitivity CRP", ("30522-7",))]
    assert codes["tsh"] == [("TSH", ("3016-3",))]
    assert codes["morning_cortisol"] == [("cortisol (serum or plasma)", ("2143-6",))]
    assert all(codes.values())
    pressure = next(v for v in VITAL_SIGNS if v.key == "blood_pressure").code
    assert pressure.loinc == ("85354-9",) and pressure.components == (("systolic", "8480-6"), ("diastolic", "8462-4"))
    assert pressure.ucum == ("mm[Hg]",)
