"""Plain words for the codes the journal stores: one vocabulary for the window, the chart, the report and the exports.

Each stored code has two forms:
- `form`: how a form offers it, written to the person ("It did not help enough");
- `text`: how it reads inside a sentence, a list cell, the chart or the report ("did not work").
Two more forms exist only where a place must read differently, and default to `text`:
- `report`: a cell of the appointment report that names a thing on its own ("Esketamine", not "esketamine");
- `explained`: the outcome with what it means, for `trial-journal assess` ("response (at least 50 % better)").
A new code is worded here once, and every place that shows it reads it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

__all__ = [
    "Words",
    "EPISODE_SEVERITY",
    "STOP_REASON",
    "ADHERENCE",
    "RATING",
    "TREATMENT",
    "CONDITION_STATUS",
    "SIDE_EFFECT_SEVERITY",
    "DAILY",
    "OUTCOME",
    "form_words",
    "text_words",
    "report_words",
    "words_for",
    "date_words",
    "MONTH_NAMES",
    "MONTH_ABBREVIATIONS",
    "THERAPY_KIND",
    "SOURCE",
    "SESSION_PHASE",
]


@dataclass(frozen=True)
class Words:
    """The words for one stored code, one per place that shows it (see the module's note)."""

    form: str
    text: str
    report: str = ""  # empty: the report reads `text`
    explained: str = ""  # empty: `trial-journal assess` reads `text`

    def __post_init__(self) -> None:
        # The two optional forms read as `text` unless a place needs other words.
        if not self.report:
            object.__setattr__(self, "report", self.text)
        if not self.explained:
            object.__setattr__(self, "explained", self.text)


EPISODE_SEVERITY: Mapping[str, Words] = {
    "subsyndromal": Words("Subsyndromal (below the usual threshold)", "subsyndromal"),
    "mild": Words("Mild", "mild"),
    "moderate": Words("Moderate", "moderate"),
    "severe": Words("Severe", "severe"),
    "severe_psychotic": Words("Severe, with psychotic features", "severe with psychotic features"),
}
STOP_REASON: Mapping[str, Words] = {
    "ineffective": Words("It did not help enough", "did not work"),
    "side_effects": Words("Side effects", "side effects"),
    "remission": Words("I got well (remission)", "remission"),
    "cost": Words("Cost", "cost"),
    "clinician_advice": Words("My clinician advised it", "clinician's advice"),
    "other": Words("Other", "other reason"),
}
ADHERENCE: Mapping[str, Words] = {
    "good": Words("Good: took most doses (about 80 % or more)", "good"),
    "poor": Words("Poor: missed many doses", "poor"),
}
RATING: Mapping[str, Words] = {
    "none": Words("No improvement", "no improvement"),
    "partial": Words("Partial improvement", "partial improvement"),
    "response": Words("Clear improvement (response)", "response"),
    "remission": Words("Well again (remission)", "remission"),
}
# The report's session tables and lists name the treatment on its own, capitalised (`report`).
TREATMENT: Mapping[str, Words] = {
    "esketamine": Words("Esketamine (nasal spray)", "esketamine", report="Esketamine"),
    "ketamine_iv": Words("IV ketamine", "IV ketamine"),
    "ect": Words("ECT", "ECT"),
    "rtms": Words("rTMS", "rTMS"),
    "other": Words("Other", "other treatment", report="Other"),
}
CONDITION_STATUS: Mapping[str, Words] = {
    "suspected": Words("Suspected", "suspected"),
    "assessed": Words("Assessed", "assessed"),
    "diagnosed": Words("Diagnosed", "diagnosed"),
    "treated": Words("Treated", "treated"),
}
SIDE_EFFECT_SEVERITY: Mapping[int, Words] = {
    1: Words("Mild", "mild"),
    2: Words("Moderate", "moderate"),
    3: Words("Severe", "severe"),
}
# The daily check-in's measures.
DAILY: Mapping[str, Words] = {
    "mood": Words("Mood", "mood"),
    "anxiety": Words("Anxiety", "anxiety"),
    "sleep_quality": Words("Sleep quality", "sleep quality"),
    "energy": Words("Energy", "energy"),
    "pain": Words("Pain", "pain"),
}
# The assessment's verdict on one trial: `form` is the window's list cell, `text` the report's table,
# `explained` the list of trials `trial-journal assess` prints.
OUTCOME: Mapping[str, Words] = {
    "remission": Words("remission", "remission"),
    "response": Words("response", "response", explained="response (at least 50 % better)"),
    "partial": Words("partial response", "partial response", explained="partial response (25-49 % better)"),
    "non-response": Words("no response", "no response", explained="no response (less than 25 % better)"),
    "unknown": Words("outcome not known", "outcome not known"),
    "too-short": Words(
        "too short", "stopped before adequate length", explained="stopped before it was long enough at an adequate dose"
    ),
    "not-adequate": Words("not adequate", "not an adequate trial"),
}


# Version 2: psychotherapy courses, where a trial's details come from, a session's phase.
THERAPY_KIND: Mapping[str, Words] = {
    "cbt": Words("Cognitive behavioural therapy (CBT)", "CBT", report="CBT"),
    "behavioural_activation": Words("Behavioural activation", "behavioural activation", report="Behavioural activation"),
    "ipt": Words("Interpersonal therapy (IPT)", "IPT", report="IPT"),
    "mbct": Words("Mindfulness-based cognitive therapy (MBCT)", "MBCT", report="MBCT"),
    "psychodynamic": Words("Psychodynamic therapy", "psychodynamic therapy", report="Psychodynamic therapy"),
    "dbt": Words("Dialectical behaviour therapy (DBT)", "DBT", report="DBT"),
    "emdr": Words("EMDR", "EMDR"),
    "other": Words("Other", "other therapy", report="Other therapy"),
}
SOURCE: Mapping[str, Words] = {
    "memory": Words("From memory (approximate)", "from memory, approximate"),
    "records": Words("From records (prescriptions, pharmacy, clinic letters)", "from records"),
}
SESSION_PHASE: Mapping[str, Words] = {
    "induction": Words("Induction", "induction"),
    "optimisation": Words("Optimisation", "optimisation"),
    "maintenance": Words("Maintenance", "maintenance"),
}

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)  # "Mar 2019" on screens, the chart and the report


def date_words(day: date | None, precision: str = "day", *, empty: str = "") -> str:
    """A date at the precision it was entered: "2019-03-14", "Mar 2019" or "2019", never a made-up day."""
    if day is None:
        return empty
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"
    return day.isoformat()


_Code = TypeVar("_Code")


def form_words(vocabulary: Mapping[_Code, Words]) -> dict[_Code, str]:
    """code -> the words a form offers, in the vocabulary's order."""
    return {code: w.form for code, w in vocabulary.items()}


def text_words(vocabulary: Mapping[_Code, Words]) -> dict[_Code, str]:
    """code -> the words inside a sentence, a list cell, the chart or the report."""
    return {code: w.text for code, w in vocabulary.items()}


def report_words(vocabulary: Mapping[_Code, Words]) -> dict[_Code, str]:
    """code -> the words of the appointment report's cells (`text` unless the report reads otherwise)."""
    return {code: w.report for code, w in vocabulary.items()}


def words_for(vocabulary: Mapping[Any, Words], code: object, *, form: bool = False, empty: str = "") -> str:
    """The words for one stored code; a code the vocabulary does not know reads as itself, underscores as spaces."""
    if code is None or code == "":
        return empty
    w = vocabulary.get(code)
    if w is None:
        return str(code).replace("_", " ")
    return w.form if form else w.text
