"""Short words and numbers for the window: dates, doses and the allowed values of each field, in plain English."""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as TimeOfDay

from journal import words
from journal.records import time_text
from journal.words import date_words, form_words

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
THERAPY_KIND_LABELS = form_words(words.THERAPY_KIND)
SOURCE_LABELS = form_words(words.SOURCE)
SESSION_PHASE_LABELS = form_words(words.SESSION_PHASE)

# A dose step whose dose the person does not remember (version 2): said so, never 0 or a blank.
DOSE_NOT_RECORDED = "dose not recorded"


def fmt_date(value: date | None, empty: str = "") -> str:
    return value.isoformat() if value else empty


def fmt_partial(value: date | None, precision: str = "day", empty: str = "") -> str:
    """A date at the precision it was entered: "2019-03-14", "Mar 2019" or "2019", never a made-up day."""
    return date_words(value, precision or "day", empty=empty)


def fmt_time(value: TimeOfDay | None, empty: str = "") -> str:
    """A time of day as the clock reads it, 24-hour: "08:30"."""
    return time_text(value) if value is not None else empty


def parse_time(text: str) -> TimeOfDay | None:
    """ "08:30", "8:30" or "0830" as a time of day (minutes); None for an empty text.

    Raises ValueError, in words, for anything else.
    """
    text = text.strip()
    if not text:
        return None
    hours, sep, minutes = text.partition(":")
    if not sep and len(text) == 4:
        hours, minutes = text[:2], text[2:]
    ok = hours.isdigit() and minutes.isdigit() and hours.isascii() and minutes.isascii() and 1 <= len(hours) <= 2 and len(minutes) == 2
    if ok and int(hours) < 24 and int(minutes) < 60:
        return TimeOfDay(int(hours), int(minutes))
    raise ValueError(f"not a time: {text!r} (type it as HH:MM, 24-hour, e.g. 08:30 or 21:00)")


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


def fmt_doses(doses) -> str:
    """A trial's dose steps: "50 → 100 mg/day"; a step whose dose is not remembered reads "dose not recorded"."""
    amounts = [step.mg_per_day for step in doses]
    if not amounts:
        return ""
    if all(mg is not None for mg in amounts):
        return " → ".join(fmt_number(mg) for mg in amounts) + " mg/day"
    return " → ".join(fmt_mg(mg, DOSE_NOT_RECORDED) for mg in amounts)


def fmt_bp(value: tuple[int, int] | None) -> str:
    return f"{value[0]}/{value[1]}" if value else ""


def label(mapping: dict, value: object, empty: str = "") -> str:
    """The label of a stored value; a value the mapping does not know reads as itself."""
    if value is None:
        return empty
    return mapping.get(value, str(value))
