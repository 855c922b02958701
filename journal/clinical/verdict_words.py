"""The assessment's headline and caveats in words, for the person on screen or the clinician reading the report.

One place makes these words (trd-rules.md, "Words that must not overclaim" and "Words for what
was counted"); the panel, `trial-journal assess` and the report all take them from here. No
trial id ever appears in them: a trial is named by its drug, with its first day when the
episode holds two trials of one drug.
"""

from __future__ import annotations

import re
from datetime import date

from journal.clinical.assessment import Assessment, TrialVerdict
from journal.clinical.audiences import AUDIENCES, CLINICIAN, PERSON, check_audience
from journal.words import MONTH_NAMES, date_words

__all__ = [
    "PERSON",
    "CLINICIAN",
    "AUDIENCES",
    "headline",
    "headline_sentences",
    "trial_group",
    "trial_name",
    "caveat_lines",
    "possible_sentence",
    "look_up_lines",
    "threshold_when",
    "threshold_precision",
    "rough_dates",
]

_CRITERIA = "the criteria for treatment-resistant depression"
_ADEQUATE = "taken at an adequate dose for long enough did not work well enough"
# trd-rules.md "Words for what was counted": the three groups, singular and plural.
_GROUPS = {
    "antidepressant": ("antidepressant", "antidepressants"),
    "add-on": ("add-on", "add-ons"),
    "other medicine": ("other medicine", "other medicines"),
}
_SO_FAR = {"response": "response so far", "remission": "remission so far"}


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _n(count: int, group: str) -> str:
    singular, plural = _GROUPS[group]
    return f"{count} {singular if count == 1 else plural}"


def _own(audience: str) -> str:
    return "your own minimum" if audience == PERSON else "the person's own minimum"


def trial_group(v: TrialVerdict) -> str:
    """Which group a trial is named in: an add-on (role or marked), another medicine (not in the catalog), or an antidepressant."""
    if v.augmentation:
        return "add-on"
    if v.custom:
        return "other medicine"
    return "antidepressant"


def trial_name(v: TrialVerdict, a: Assessment) -> str:
    """A trial as a reader knows it: its drug, with its first day in the episode when another listed trial has the same drug."""
    same = [t for t in a.trials if t.drug.casefold() == v.drug.casefold()]
    if len(same) > 1 and v.partial_dates and v.entered_start:
        return f"{v.drug} from {v.entered_start}"  # a remembered start is named as entered, never as a made-up day
    if len(same) > 1 and v.first_day is not None:
        return f"{v.drug} from {v.first_day.isoformat()}"
    return v.drug


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def rough_dates(text: str, v: TrialVerdict) -> str:
    """A remembered trial's reasons with the days the readings chose written at its precision ("about Jul 2021").

    The assessment works such a trial out on days it picks within the month or year entered;
    no reader is shown them as days the person gave (trd-rules.md: dates from memory are shown
    at the precision entered). A trial entered in days is left as it is.
    """
    if not v.partial_dates or v.rough_precision == "day":
        return text
    return _ISO_DAY.sub(lambda m: "about " + date_words(date(int(m[1]), int(m[2]), int(m[3])), v.rough_precision), text)


def threshold_when(a: Assessment) -> str:
    """"as of 2025-06-28", or for a date resting on a remembered trial "by about March 2018" (at its precision)."""
    if a.threshold_date is None:
        return ""
    if not a.threshold_date_approximate:
        return f"as of {a.threshold_date.isoformat()}"
    if threshold_precision(a) == "year":
        return f"by about {a.threshold_date.year}"
    return f"by about {MONTH_NAMES[a.threshold_date.month - 1]} {a.threshold_date.year}"


def threshold_precision(a: Assessment) -> str:
    """How precisely the threshold date is known: "day", or the coarsest precision ("month", "year") of the
    remembered trials it rests on (trd-rules.md v2: the words give the date at that trial's precision)."""
    if not a.threshold_date_approximate:
        return "day"
    at = [v for v in a.trials if v.counts and v.failure_date == a.threshold_date]
    return "year" if any(v.rough_precision == "year" for v in at) else "month"


def possible_sentence(a: Assessment) -> str:
    """"May be met once remembered details are confirmed: 1 failed trial is certain, 3 more could count." or ""."""
    more = a.possible_count - a.failed_adequate_count
    if not a.threshold_possible or more <= 0:
        return ""
    n = a.failed_adequate_count
    certain = f"{n} failed trial is" if n == 1 else f"{n} failed trials are"
    return f"May be met once remembered details are confirmed: {certain} certain, {more} more could count."


def look_up_lines(a: Assessment) -> list[str]:
    """What to look up, one line per trial that could count: "sertraline, 2019: the dose (50 mg/day or more would count) ..."."""
    lines = []
    for v in a.trials:
        if not v.could_count or not v.look_up:
            continue
        when = v.entered_start or (v.first_day.isoformat() if v.first_day else "")
        lines.append(f"{v.drug}{', ' + when if when else ''}: {_and(list(v.look_up))}")
    return lines


def _what_was_counted(a: Assessment, audience: str) -> tuple[str, str]:
    """("3 treatments (2 antidepressants and 1 add-on)", "Counted: ...") for the counting trials."""
    counting = sorted((v for v in a.trials if v.counts), key=lambda v: (v.failure_date or date.max, v.id))
    by_group: dict[str, list[str]] = {g: [] for g in _GROUPS}
    for v in counting:
        by_group[trial_group(v)].append(trial_name(v, a))
    total = len(counting)
    if len(by_group["antidepressant"]) == total:
        what = "1 antidepressant" if total == 1 else f"{total} different antidepressants"
        return what, f"Counted: {_and(by_group['antidepressant'])}."
    parts = [_n(len(names), g) for g, names in by_group.items() if names]
    what = parts[0] if total == 1 else f"{total} treatments ({_and(parts)})"
    named = []
    for group, names in by_group.items():
        if not names:
            continue
        label = _GROUPS[group][0 if len(names) == 1 else 1]
        if group == "other medicine":
            label += f", counted on {_own(audience)}"
        named.append(f"{_and(names)} ({label})")
    return what, "Counted: " + "; ".join(named) + "."


def headline(a: Assessment, audience: str = PERSON) -> str:
    """The verdict in words for its reader, saying what was counted and never more than the entries show."""
    return " ".join(headline_sentences(a, audience))


def headline_sentences(a: Assessment, audience: str = PERSON) -> list[str]:
    """The headline's sentences: the verdict first, then what was counted, what goes beyond FDA/EMA, what is helping now."""
    check_audience(audience)
    ep = a.episode
    opening = "By the person's own records, t" if audience == CLINICIAN else "T"
    if ep is None:
        return [f"{opening}{_CRITERIA[1:]} do not appear to be met: no trial is recorded yet."]
    ended = ep.end is not None and ep.end < a.as_of
    where = "in it" if ended else "in this episode"
    which_episode = f" in the episode from {ep.start.isoformat()} to {ep.end.isoformat()}, which has ended" if ep.end and ended else ""
    if a.threshold_met and a.threshold_date is not None:  # a met threshold always has its date
        verb = "appeared to be met" if ended else "appear to be met"
        first = f"{opening}{_CRITERIA[1:]} {verb} {threshold_when(a)}{which_episode}"
    else:
        verb = "did not appear to be met" if ended else "do not appear to be met"
        first = f"{opening}{_CRITERIA[1:]} {verb}{which_episode}"
    sentences = []
    if a.failed_adequate_count:
        what, counted = _what_was_counted(a, audience)
        sentences += [f"{first}: {what} {_ADEQUATE} {where}.", counted]
        if any(v.counts and v.augmentation for v in a.trials):
            sentences.append(
                "Counting add-on treatments goes beyond the FDA/EMA definition, which counts different antidepressants."
            )
    elif a.trials:
        sentences.append(f"{first}: no trial {where} was taken at an adequate dose for long enough and then did not work well enough.")
    else:
        sentences.append(f"{first}: no treatment trial is recorded {where}.")
    possible = possible_sentence(a)
    if possible:
        sentences.append(possible)
    if a.threshold_met:
        helping = [f"{trial_name(v, a)}, ongoing, {_SO_FAR[v.outcome]}" for v in a.trials if v.still_running and v.outcome in _SO_FAR]
        if helping:
            sentences.append("Since then: " + "; ".join(helping) + ".")
    if audience == CLINICIAN:
        sentences.append("For discussion.")
    return sentences


def caveat_lines(a: Assessment) -> list[str]:
    """Every caveat for a reader: the verdict's own, then each trial's named by its drug (never by its id)."""
    lines = list(a.general_caveats)
    for v in a.trials:
        lines += [f"{trial_name(v, a)}: {c}" for c in v.caveats]
    return lines
