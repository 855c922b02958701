"""Short words and numbers for the window: dates, doses and the allowed values of each field, in plain English."""

from __future__ import annotations

from datetime import date, datetime

from journal import words
from journal.words import form_words

# The words a form offers for each stored code, in the order the forms offer them, from
# journal.words (the one vocabulary the chart, the report and the exports read too).
EPISODE_SEVERITY_LABELS = form_words(words.EPISODE_SEVERITY)
STOP_REASON_LABELS = form_words(words.STOP_REASON)
ADHERENCE_LABELS = form_words(words.ADHERENCE)
RATING_LABELS = form_words(words.RATING)
TREATMENT_LABELS = form_words(words.TREATMENT)
CONDITION_STATUS_LABELS = form_words(words.CONDITION_STATUS)
SIDE_EFFECT_SEVERITY_LABELS = form_words(words.SIDE_EFFECT_SEVERITY)
DAILY_LABELS = form_words(words.DAILY)
# How an assessment outcome reads in a list cell: words, never only a colour.
OUTCOME_LABELS = form_words(words.OUTCOME)


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


def label(mapping: dict, value: object, empty: str = "") -> str:
    """The label of a stored value; a value the mapping does not know reads as itself."""
    if value is None:
        return empty
    return mapping.get(value, str(value))
