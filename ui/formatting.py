"""Short words and numbers for the window: dates, doses and the allowed values of each field, in plain English."""

from __future__ import annotations

from datetime import date, datetime

# Labels for the allowed-value tuples of journal.records, in the order the forms offer them.
EPISODE_SEVERITY_LABELS = {
    "subsyndromal": "Subsyndromal (below the usual threshold)",
    "mild": "Mild",
    "moderate": "Moderate",
    "severe": "Severe",
    "severe_psychotic": "Severe, with psychotic features",
}
STOP_REASON_LABELS = {
    "ineffective": "It did not help enough",
    "side_effects": "Side effects",
    "remission": "I got well (remission)",
    "cost": "Cost",
    "clinician_advice": "My clinician advised it",
    "other": "Other",
}
ADHERENCE_LABELS = {
    "good": "Good: took most doses (about 80 % or more)",
    "poor": "Poor: missed many doses",
}
RATING_LABELS = {
    "none": "No improvement",
    "partial": "Partial improvement",
    "response": "Clear improvement (response)",
    "remission": "Well again (remission)",
}
TREATMENT_LABELS = {
    "esketamine": "Esketamine (nasal spray)",
    "ketamine_iv": "IV ketamine",
    "ect": "ECT",
    "rtms": "rTMS",
    "other": "Other",
}
CONDITION_STATUS_LABELS = {
    "suspected": "Suspected",
    "assessed": "Assessed",
    "diagnosed": "Diagnosed",
    "treated": "Treated",
}
SIDE_EFFECT_SEVERITY_LABELS = {1: "Mild", 2: "Moderate", 3: "Severe"}
DAILY_LABELS = {
    "mood": "Mood",
    "anxiety": "Anxiety",
    "sleep_quality": "Sleep quality",
    "energy": "Energy",
    "pain": "Pain",
}
# How an assessment outcome reads in a list cell: words, never only a colour.
OUTCOME_LABELS = {
    "remission": "remission",
    "response": "response",
    "partial": "partial response",
    "non-response": "no response",
    "unknown": "outcome not known",
    "too-short": "too short",
    "not-adequate": "not adequate",
}


def fmt_date(value: date | None, empty: str = "") -> str:
    return value.isoformat() if value else empty


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def fmt_number(value: float | int | None, empty: str = "") -> str:
    """A number as a person writes it: 50 not 50.0, 0.025 not 2.5e-02."""
    if value is None:
        return empty
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def fmt_mg(value: float | None, empty: str = "") -> str:
    return f"{fmt_number(value)} mg/day" if value is not None else empty


def fmt_bp(value: tuple[int, int] | None) -> str:
    return f"{value[0]}/{value[1]}" if value else ""


def label(mapping: dict, value, empty: str = "") -> str:
    if value is None:
        return empty
    return mapping.get(value, str(value))
