"""What the appointment report says, as plain words and rows: the PDF lays it out, the preview lists it."""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean

from journal.charts import trial_numbers
from journal.clinical.assessment import BASELINE_WINDOW_DAYS, Assessment, TrialVerdict, assess, rule_text
from journal.clinical.audiences import CLINICIAN
from journal.clinical.catalog import Catalog, load_catalog
from journal.clinical.scales import (
    CRISIS_RESOURCES,
    WORKUP_CONDITIONS,
    WORKUP_LABS,
    condition_kind_of,
    get_scale,
    severity_label,
    workup_key_for,
)
from journal.clinical.verdict_words import caveat_lines, headline, look_up_lines, rough_dates
from journal.errors import JournalError
from journal.records import (
    ALL_SCALES,
    DAILY_FIELDS,
    JournalContents,
    Note,
    ScaleScore,
    Session,
    Settings,
    Therapy,
    Trial,
    episode_holding,
    latest_day,
)
from journal.words import (
    ADHERENCE,
    CONDITION_STATUS,
    DAILY,
    EPISODE_SEVERITY,
    OUTCOME,
    RATING,
    SESSION_PHASE,
    SIDE_EFFECT_SEVERITY,
    SOURCE,
    STOP_REASON,
    THERAPY_KIND,
    TREATMENT,
    date_words,
    form_words,
    report_words,
    text_words,
)

__all__ = [
    "NAME_STYLES",
    "SECTIONS",
    "NOT_A_DIAGNOSIS",
    "day",
    "entered_day",
    "trial_source_words",
    "dose_words",
    "mg",
    "report_name",
    "plain_dates",
    "LatestScore",
    "MedicationRow",
    "ScoreRow",
    "SessionRow",
    "TherapyRow",
    "WorkupItem",
    "ReportFacts",
    "report_facts",
    "report_dates",
    "fresh_questions",
    "outline",
]

NAME_STYLES = ("full", "initials", "none")

# Section keys in print order, with the heading each one gets; the dialog offers these.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("notes", "Notes and questions for this appointment"),
    ("timeline", "Timeline"),
    ("medications", "Medication history"),
    ("scores", "Score history"),
    ("sessions", "Sessions: esketamine, ketamine, ECT, rTMS"),
    ("labs", "Lab results"),
    ("conditions", "Other conditions"),
    ("workup", "Workup checklist"),
    ("entries", "Records entered by someone else"),
)

NOT_A_DIAGNOSIS = (
    "Prepared by the person from their own journal (Trial Journal). It is not a diagnosis and gives no dosing advice."
)

# The report's words for stored codes, from journal.words: a code it does not know reads as itself.
_STOP_WORDS = text_words(STOP_REASON)
_OUTCOME_SHORT = text_words(OUTCOME)  # the table's short words; the reasons under it say more
_SIDE_EFFECT_SEVERITY = text_words(SIDE_EFFECT_SEVERITY)
_TREATMENTS = report_words(TREATMENT)
_EPISODE_SEVERITY = text_words(EPISODE_SEVERITY)
_CHECKIN_LABELS = text_words(DAILY)
_CONDITION_STATUS = form_words(CONDITION_STATUS)
# How the workup tests of scales.md group on the checklist; a test scales.json adds later
# lands under "Other tests" rather than vanishing.
_LAB_GROUPS = {
    "crp": "Inflammatory markers",
    "il6": "Inflammatory markers",
    "tsh": "Thyroid",
    "free_t4": "Thyroid",
    "morning_cortisol": "Cortisol and other hormones",
    "vitamin_d": "Vitamin D",
}
_MOOD_DAYS_AFTER_SESSION = (1, 2, 7)  # ketamine.md: mood at 24 hours, 2 days and 7 days


# --- small formatters -------------------------------------------------------------------


def day(d: date | None) -> str:
    """A date as "8 Jan 2025": unambiguous on both sides of the Atlantic."""
    if d is None:
        return ""
    return f"{d.day} {d:%b %Y}"


def entered_day(d: date | None, precision: str = "day") -> str:
    """A date as it was entered: "8 Jan 2025" for a day, "Mar 2019" for a month, "2019" for a year, never a made-up day."""
    if d is None:
        return ""
    return day(d) if precision == "day" else date_words(d, precision)


def trial_source_words(trial: Trial | Therapy, approximate: bool) -> str:
    """Where a remembered history comes from, as the report marks it: "from memory, approximate", "from records" or ""."""
    if trial.source == "memory" or (trial.source is None and approximate):
        return SOURCE["memory"].text  # remembered: a partial date or a dose not remembered
    if trial.source == "records":
        rough = "dates approximate" if isinstance(trial, Therapy) else "dates or dose approximate"  # a course has no dose
        return SOURCE["records"].text + (f"; {rough}" if approximate else "")
    return ""


def dose_words(trial: Trial, end: date) -> str:
    """The doses of a trial's steps up to `end`: "50–100 mg", or "dose not recorded" for a dose not remembered."""
    steps = [s for s in trial.doses if s.start <= end] or list(trial.doses[:1])
    known = [s.mg_per_day for s in steps if s.mg_per_day is not None]
    unknown = [s for s in steps if s.mg_per_day is None]
    if not known:
        return "dose not recorded"
    lo, hi = min(known), max(known)
    if hi < 1:  # micrograms (liothyronine)
        text = dose_amount(lo) if lo == hi else f"{lo * 1000:g}–{dose_amount(hi)}"
    else:
        text = f"{mg(lo)} mg" if lo == hi else f"{mg(lo)}–{mg(hi)} mg"
    if unknown:
        text += "; dose not recorded " + ", ".join(
            "at first" if s is steps[0] else f"from {entered_day(s.start, s.start_precision)}" for s in unknown
        )
    return text


def mg(value: float) -> str:
    """A dose without a trailing ".0" (100, 0.025, 62.5)."""
    return f"{value:g}" if value >= 0.001 else f"{value}"


def dose_amount(value: float, per_day: bool = False) -> str:
    """A dose with its unit: "100 mg", and below 1 mg in micrograms ("25 micrograms"), as liothyronine is written
    (drug-catalog.md: every dose is kept in mg per day; the catalog gives liothyronine's in micrograms too)."""
    text = f"{value * 1000:g} micrograms" if 0 < value < 1 else f"{mg(value)} mg"
    return text + "/day" if per_day else text


_FOR_CLINICIAN = (
    ("no rating of your own", "no rating of the person's own"),
    ("your own rating", "the person's own rating"),
    ("your own minimum", "the person's own minimum"),
)


def for_clinician(text: str) -> str:
    """A trial's reason as the report's reader, the clinician, reads it: "the person's own rating", not "your own"."""
    for person, clinician in _FOR_CLINICIAN:
        text = text.replace(person, clinician)
    return text


def plain_dates(text: str) -> str:
    """ISO dates inside a sentence (from the assessment) written the way the rest of the report writes them."""
    return re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: day(date(int(m[1]), int(m[2]), int(m[3]))), text)


def _initials(name: str) -> str:
    # "Zoë Łukasiewicz-Øster" -> "Z. Ł.-Ø."; letters are kept as they are, in any script.
    words = []
    for word in name.split():
        parts = [p for p in word.split("-") if p]
        letters = [next((ch for ch in p if ch.isalpha()), "") for p in parts]
        if any(letters):
            words.append("-".join(f"{ch}." for ch in letters if ch))
    return " ".join(words)


def report_name(display_name: str | None, style: str) -> str | None:
    """The name as the person chose to show it: full, initials, or none at all."""
    if style not in NAME_STYLES:
        raise JournalError(f"The name style must be one of {', '.join(NAME_STYLES)}, got {style!r}")
    name = (display_name or "").strip()
    if not name or style == "none":
        return None
    return name if style == "full" else _initials(name)


def _length(days: int) -> str:
    weeks = days // 7
    if days < 7:
        return f"{days} day{'s' if days != 1 else ''}"
    if weeks < 16:
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    months = round(days / 30.44)
    if months < 24:
        return f"about {months} months"
    years, rest = divmod(months, 12)
    return f"about {years} years" + (f" {rest} months" if rest else "")


def _in_range(d: date, start: date | None, end: date) -> bool:
    return (start is None or d >= start) and d <= end


def _trial_last_day(trial: Trial, as_of: date) -> date:
    last = latest_day(trial.end, trial.end_precision) if trial.end is not None else None
    return last if last is not None and last <= as_of else as_of


def _clock(at: _dt.time | None) -> str:
    return at.strftime("%H:%M") if at is not None else ""


# --- rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestScore:
    """A scale's latest score in the range, its severity, and the change since the one before."""

    scale: str
    date: date
    total: int
    max_total: int
    severity: str
    previous_date: _dt.date | None = None  # `date` is a field's name here, so the type is named in full
    previous_total: int | None = None
    time: str = ""  # the latest score's time of day, when written down

    @property
    def change(self) -> int | None:
        return None if self.previous_total is None else self.total - self.previous_total

    @property
    def change_text(self) -> str:
        if self.change is None:
            return "first score"
        sign = "+" if self.change > 0 else ("−" if self.change < 0 else "±")
        return f"{sign}{abs(self.change)} since {day(self.previous_date)} ({self.previous_total})"


@dataclass(frozen=True)
class MedicationRow:
    """One trial as a line of the medication history table."""

    trial_id: str
    drug: str
    entered_as: str | None
    drug_class: str
    role: str
    dates: str
    doses: str
    weeks_adequate: str
    adequate: str
    outcome: str
    stop: str
    side_effects: str
    counts: bool
    ongoing: bool
    reasons: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    source: str = ""  # "from memory, approximate", "from records" or "" (rules version 2)
    could_count: bool = False  # could count once the remembered details are confirmed
    short_outcome: str = ""  # the outcome's word and the scores it rests on, for the one-line history


@dataclass(frozen=True)
class TherapyRow:
    """A psychotherapy course as a line of the treatment history: listed beside the trials, never counted."""

    kind: str
    dates: str
    sessions: str
    outcome: str
    stop: str
    source: str
    note: str
    ongoing: bool


@dataclass(frozen=True)
class ScoreRow:
    date: date
    scale: str
    total: int
    severity: str
    answers: str
    difficulty: str
    crisis: bool
    entered_by: str | None
    time: str = ""  # "08:30" when the time of day was written down


@dataclass(frozen=True)
class SessionRow:
    when: str
    treatment: str
    dose: str
    number: str
    blood_pressure: str
    ratings: str
    mood_after: str
    transport: str
    note: str
    entered_by: str | None
    phase: str = ""  # induction, optimisation, maintenance
    monitoring: str = ""  # "lowest SpO2 96 %; monitored 120 min; ready to leave"
    transport_missing: bool = False  # esketamine without transport home arranged (no driving until the next day, ketamine.md)


@dataclass(frozen=True)
class WorkupItem:
    """A workup test or condition of scales.md, and whether the journal holds it yet."""

    group: str
    name: str
    recorded: bool
    detail: str


@dataclass(frozen=True)
class ReportFacts:
    """Everything the report shows, already in words; no layout."""

    name: str | None
    start: date | None
    end: date
    generated: date
    birth_year: int | None
    assessment: Assessment
    episode: str
    current_medications: tuple[str, ...]
    current_sessions: tuple[str, ...]
    latest_scores: tuple[LatestScore, ...]
    daily_summary: str | None
    item9_answers: tuple[str, ...]
    crisis_lines: tuple[str, ...]
    appointment_notes: tuple[tuple[date, str, str | None], ...]
    medications: tuple[MedicationRow, ...]
    scores: tuple[ScoreRow, ...]
    sessions: tuple[SessionRow, ...]
    labs: tuple[tuple[date, str, str, str, str], ...]
    conditions: tuple[tuple[str, str, str, str], ...]
    workup: tuple[WorkupItem, ...]
    entries: tuple[tuple[str, str, list[str]], ...]
    summary: str = ""
    rule: str = ""
    caveats: tuple[str, ...] = ()
    maudsley: str = ""
    maudsley_parts: tuple[str, ...] = field(default_factory=tuple)
    look_up: tuple[str, ...] = ()  # what to look up to settle remembered trials that could count
    therapies: tuple[TherapyRow, ...] = ()
    # the appointment report for a two-minute read (page one), and the appendix behind it
    whole_history: bool = False
    made_up: bool = False  # the demo journal: every page says the data is made up
    dates_note: str = ""
    treatment: tuple[TreatmentRow, ...] = ()
    earlier: tuple[EarlierEpisode, ...] = ()
    recent_primary: tuple[tuple[date, int, str, str], ...] = ()  # (date, total, severity, "08:30" or "")
    primary_scale: str = "PHQ-9"
    primary_note: str | None = None  # "Latest PHQ-9 16 months before this report."
    item9_latest: str | None = None
    item9_older: int = 0
    item9_last_positive: str | None = None
    questions: tuple[Question, ...] = ()
    questions_heading: str = "Questions and notes for this appointment"
    earlier_questions: tuple[Question, ...] = ()
    score_months: tuple[MonthOfScores, ...] = ()
    lab_grid: LabGrid | None = None

    @property
    def range_text(self) -> str:
        if self.start is None:
            return f"Records up to {day(self.end)}"
        return f"Records from {day(self.start)} to {day(self.end)}"


# --- the facts ------------------------------------------------------------------------------


def _verdicts(contents: JournalContents, settings: Settings, current: Assessment, catalog: Catalog) -> dict[str, TrialVerdict]:
    """Each trial's verdict, judged in its own episode: the current one, or an earlier one as of its end."""
    verdicts = {v.id: v for v in current.trials}
    current_start = current.episode.start if current.episode else None
    for episode in sorted(contents.episodes, key=lambda e: e.start, reverse=True):
        if episode.end is None or current_start is None or episode.start >= current_start:
            continue
        # as of its last day: an end entered as a month or a year takes in the whole of it
        for v in assess(contents, settings, latest_day(episode.end, episode.end_precision), catalog).trials:
            verdicts.setdefault(v.id, v)
    return verdicts


def _episode_line(a: Assessment, contents: JournalContents) -> str:
    ep = a.episode
    if ep is None:
        return "No episode recorded and no trial yet."
    if ep.assumed:
        return (
            f"No episode recorded: the assessment treats the time since {day(ep.start)} "
            "(the first recorded trial) as one episode."
        )
    record = next((e for e in contents.episodes if e.id == ep.id), None)
    severity = record.severity if record else None
    at_onset = f"; {_EPISODE_SEVERITY.get(severity, severity)} at onset" if severity else "; severity at onset not recorded"
    # A remembered start or end is written as entered ("Mar 2019"), its length "about" so long.
    starts = entered_day(ep.start, record.start_precision) if record else day(ep.start)
    rough = record is not None and (record.start_precision != "day" or (record.end is not None and record.end_precision != "day"))

    def length(days: int) -> str:
        words = _length(days)
        return f"about {words}" if rough and not words.startswith("about") else words

    if ep.end is not None:
        ends = entered_day(record.end, record.end_precision) if record and record.end else day(ep.end)
        return f"Latest episode: {starts} to {ends} ({length((ep.end - ep.start).days + 1)}){at_onset}."
    return f"Current episode since {starts} ({length((a.as_of - ep.start).days + 1)}){at_onset}."


def _current_medications(contents: JournalContents, as_of: date) -> list[str]:
    catalog = load_catalog()
    lines = []
    for t in sorted(contents.trials, key=lambda t: (t.start, t.id)):
        if t.start > as_of or (t.end is not None and latest_day(t.end, t.end_precision) < as_of):
            continue
        steps = [s for s in t.doses if s.start <= as_of]
        step = steps[-1]
        drug = catalog.resolve(t.drug)
        name = drug.generic if drug else t.drug.strip()
        extra = [drug.drug_class] if drug else []
        if t.augmentation or (drug is not None and drug.is_augmentation):
            extra.append("add-on")
        dose = "dose not recorded" if step.mg_per_day is None else dose_amount(step.mg_per_day, per_day=True)
        text = f"{name} {dose}"
        if extra:
            text += f" ({', '.join(extra)})"
        since = entered_day(step.start, step.start_precision)
        text += f" since {since}" if step is t.doses[0] else f" since {since}; started {entered_day(t.start, t.doses[0].start_precision)}"
        if t.end == as_of and t.end_precision == "day":
            text += f"; last dose {day(t.end)}"
        if t.source == "memory" or t.approximate:
            text += f" ({trial_source_words(t, t.approximate)})"
        lines.append(text)
    return lines


def _current_sessions(contents: JournalContents, start: date | None, end: date) -> list[str]:
    by_treatment: dict[str, list] = defaultdict(list)
    for s in contents.sessions:
        if _in_range(s.date, start, end):
            by_treatment[s.treatment].append(s)
    lines = []
    for treatment, sessions in by_treatment.items():
        sessions.sort(key=lambda s: s.datetime)
        last = sessions[-1]
        dose = f", latest {mg(last.dose_mg)} mg" if last.dose_mg is not None else ""
        if last.phase:
            dose += f" ({words_for_phase(last.phase)} phase)"
        n = len(sessions)
        span = day(sessions[0].date) if n == 1 else f"{day(sessions[0].date)} to {day(last.date)}"
        lines.append(f"{_TREATMENTS.get(treatment, treatment)}: {n} session{'s' if n != 1 else ''}, {span}{dose}")
    return lines


def _pick(scores: list[ScaleScore]) -> ScaleScore:
    # Several scores on one date: the highest total, as the assessment does.
    return max(scores, key=lambda s: (s.date, s.total))


def _latest_scores(contents: JournalContents, start: date | None, end: date) -> list[LatestScore]:
    out = []
    for name in ALL_SCALES:
        mine = [s for s in contents.scores if s.scale == name and s.date <= end]
        shown = [s for s in mine if _in_range(s.date, start, end)]
        if not shown:
            continue
        latest = _pick(shown)
        earlier = [s for s in mine if s.date < latest.date]
        prev = _pick(earlier) if earlier else None
        out.append(
            LatestScore(
                scale=name,
                date=latest.date,
                total=latest.total,
                max_total=get_scale(name).max_total,
                severity=severity_label(name, latest.total),
                previous_date=prev.date if prev else None,
                previous_total=prev.total if prev else None,
                time=_clock(latest.time),
            )
        )
    return out


def _daily_summary(contents: JournalContents, end: date) -> str | None:
    since = end - timedelta(days=27)
    recent = [c for c in contents.checkins if since <= c.date <= end]
    if not recent:
        return None
    parts = []
    for f in DAILY_FIELDS:
        values = [getattr(c, f) for c in recent if getattr(c, f) is not None]
        if values:
            parts.append(f"{_CHECKIN_LABELS[f]} {mean(values):.1f}")
    hours = [c.hours_slept for c in recent if c.hours_slept is not None]
    text = f"Daily check-ins, last 4 weeks: {len(recent)} of 28 days"
    if parts:
        text += "; average " + ", ".join(parts) + " (0-10)"
    if hours:
        text += f"; sleep {mean(hours):.1f} h a night"
    return text + "."


def _item9(contents: JournalContents, start: date | None, end: date) -> list[str]:
    scale = get_scale("PHQ-9")
    n = scale.crisis_item
    if n is None:
        return []
    answers = {a.value: a.text for a in scale.answers}
    out = []
    for s in sorted(contents.scores, key=lambda s: s.date):
        if s.scale == "PHQ-9" and s.items and len(s.items) >= n and s.items[n - 1] > 0 and _in_range(s.date, start, end):
            v = s.items[n - 1]
            out.append(f"{day(s.date)}: \u201c{answers.get(v, v)}\u201d ({v})")
    return out


def _medication_rows(
    contents: JournalContents, verdicts: dict[str, TrialVerdict], start: date | None, end: date
) -> list[MedicationRow]:
    catalog = load_catalog()
    numbers = trial_numbers(contents)
    rows = []
    for t in sorted(contents.trials, key=lambda t: (t.start, t.id)):
        last = _trial_last_day(t, end)
        if t.start > end or (start is not None and last < start):
            continue
        drug = catalog.resolve(t.drug)
        generic = drug.generic if drug else t.drug.strip()
        dose_text = dose_words(t, end)
        ongoing = t.end is None or t.end > end
        dates = f"{entered_day(t.start, t.doses[0].start_precision)} – " + ("ongoing" if ongoing else entered_day(t.end, t.end_precision))
        v = verdicts.get(t.id)
        augmentation = t.augmentation or (drug is not None and drug.is_augmentation)
        short_outcome = ""
        if v is None:
            weeks, adequate, outcome = "", "not judged", "outside any recorded episode"
        else:
            weeks = f"{v.longest_adequate_run_days / 7:.1f}"
            if v.possible is not None and v.possible.longest_adequate_run_days != v.longest_adequate_run_days:
                # remembered: the short reading's weeks, with the most the entries allow
                weeks += f" (up to {v.possible.longest_adequate_run_days / 7:.1f})"
            adequate = "yes" if v.adequate else ("not certain" if v.could_count else "no")
            outcome = _OUTCOME_SHORT.get(v.outcome, v.outcome)
            if v.improvement_pct is not None and v.first_day is not None:
                # the scores themselves, never a bare percentage ("280 % worse" from a baseline of 5)
                scale = contents.settings.primary_scale
                scores = scores_text(contents, scale, v.first_day, v.last_day or last)
                pct = f"{v.improvement_pct:g} % better" if v.improvement_pct >= 0 else f"{-v.improvement_pct:g} % worse"
                if not any(r.startswith(f"outcome {v.outcome} from {scale}:") for r in v.reasons):
                    pct += " by the person's own rating"
                outcome += f", {pct}" + (f" ({scores})" if scores.startswith(scale) else "")
                short_outcome = _OUTCOME_SHORT.get(v.outcome, v.outcome) + (f" ({scores})" if scores.startswith(scale) else "")
        stop = "ongoing" if ongoing else _STOP_WORDS.get(t.stop_reason or "", "not recorded")
        effects = ", ".join(
            s.name + (f" ({_SIDE_EFFECT_SEVERITY[s.severity]})" if s.severity in _SIDE_EFFECT_SEVERITY else "")
            for s in t.side_effects
        )
        rows.append(
            MedicationRow(
                trial_id=t.id,
                drug=numbered(generic, numbers.get(t.id, 1)),
                entered_as=t.drug.strip() if drug and t.drug.strip().casefold() != generic.casefold() else None,
                drug_class=drug.drug_class if drug else "not in the catalog",
                role="add-on" if augmentation else "antidepressant",
                dates=dates,
                doses=dose_text,
                weeks_adequate=weeks,
                adequate=adequate,
                outcome=outcome,
                stop=stop,
                side_effects=effects,
                counts=bool(v and v.counts),
                ongoing=ongoing,
                # a remembered trial's worked-out days at its precision, the rest as the report writes dates
                reasons=tuple(for_clinician(plain_dates(rough_dates(r, v))) for r in v.reasons) if v else (),
                caveats=tuple(for_clinician(plain_dates(rough_dates(c, v))) for c in v.caveats) if v else (),
                source=trial_source_words(t, t.approximate),
                could_count=bool(v and v.could_count),
                short_outcome=short_outcome or outcome,
            )
        )
    return rows


def _score_rows(contents: JournalContents, start: date | None, end: date) -> list[ScoreRow]:
    rows = []
    for s in sorted(contents.scores, key=lambda s: (s.date, ALL_SCALES.index(s.scale) if s.scale in ALL_SCALES else 99)):
        if not _in_range(s.date, start, end):
            continue
        scale = get_scale(s.scale)
        crisis = bool(
            scale.crisis_item and s.items and len(s.items) >= scale.crisis_item and s.items[scale.crisis_item - 1] > 0
        )
        difficulty = ""
        if s.difficulty is not None and scale.difficulty is not None:
            difficulty = next((a.text for a in scale.difficulty.answers if a.value == s.difficulty), str(s.difficulty))
        rows.append(
            ScoreRow(
                date=s.date,
                scale=s.scale,
                total=s.total,
                severity=severity_label(s.scale, s.total),
                answers=" ".join(str(i) for i in s.items) if s.items else "",
                difficulty=difficulty,
                crisis=crisis,
                entered_by=contents.author_of(s.id),
                time=_clock(s.time),
            )
        )
    return rows


def _session_rows(contents: JournalContents, start: date | None, end: date) -> list[SessionRow]:
    mood_by_day: dict[date, list[int]] = defaultdict(list)
    for c in contents.checkins:
        if c.mood is not None:
            mood_by_day[c.date].append(c.mood)
    rows = []
    for s in sorted(contents.sessions, key=lambda s: s.datetime):
        if not _in_range(s.date, start, end):
            continue
        bp = _blood_pressure(s)
        ratings = " / ".join("–" if v is None else str(v) for v in (s.dissociation, s.sedation, s.nausea))
        moods = []
        for offset in _MOOD_DAYS_AFTER_SESSION:
            values = mood_by_day.get(s.date + timedelta(days=offset))
            moods.append(f"{mean(values):.0f}" if values else "–")
        rows.append(
            SessionRow(
                when=f"{day(s.date)} {s.datetime:%H:%M}",
                treatment=_TREATMENTS.get(s.treatment, s.treatment),
                dose=f"{mg(s.dose_mg)} mg" if s.dose_mg is not None else "",
                number=str(s.number_in_course) if s.number_in_course is not None else "",
                blood_pressure=bp,
                ratings="" if ratings == "– / – / –" else ratings,
                mood_after="" if all(m == "–" for m in moods) else " / ".join(moods),
                transport="yes" if s.transport_arranged else "no",
                note=s.note,
                entered_by=contents.author_of(s.id),
                phase=words_for_phase(s.phase),
                monitoring=_monitoring(s),
                transport_missing=s.treatment == "esketamine" and not s.transport_arranged,
            )
        )
    return rows


def _pressure(bp: tuple[int, int] | None) -> str:
    return f"{bp[0]}/{bp[1]}" if bp else "?"


def _blood_pressure(s: Session) -> str:
    """Before → after, or before → at 40 min → after when the 40-minute reading was written down (ketamine.md)."""
    if not (s.bp_before or s.bp_after or s.bp_40min):
        return ""
    if s.bp_40min is None:
        return f"{_pressure(s.bp_before)} → {_pressure(s.bp_after)}"
    return f"{_pressure(s.bp_before)} → {_pressure(s.bp_40min)} at 40 min → {_pressure(s.bp_after)}"


def _monitoring(s: Session) -> str:
    """The rest of the clinic's monitoring form in words: lowest SpO2, minutes monitored, ready to leave."""
    parts = []
    if s.spo2_min is not None:
        parts.append(f"lowest SpO2 {s.spo2_min:g} %")
    if s.monitored_minutes is not None:
        parts.append(f"monitored {s.monitored_minutes} min")
    if s.ready_to_leave:
        parts.append("ready to leave")
    return "; ".join(parts)


def words_for_phase(phase: str | None) -> str:
    if not phase:
        return ""
    w = SESSION_PHASE.get(phase)
    return w.text if w is not None else phase.replace("_", " ")


def _therapy_rows(contents: JournalContents, a: Assessment, start: date | None, end: date) -> list[TherapyRow]:
    """The psychotherapy courses in the range, dates as entered; the outcome from the assessment when it lists the course."""
    listed = {p.id: p for p in a.therapies}
    rows = []
    for p in sorted(contents.therapies, key=lambda p: (p.start, p.id)):
        last = latest_day(p.end, p.end_precision) if p.end is not None else end
        if p.start > end or (start is not None and last < start):
            continue
        ongoing = p.end is None or p.end > end
        kind = THERAPY_KIND[p.kind].report if p.kind in THERAPY_KIND else p.kind.replace("_", " ")
        if p.name and p.name.casefold() != kind.casefold():
            kind = f"{kind} ({p.name})" if p.kind != "other" else p.name
        verdict = listed.get(p.id)
        if verdict is not None:
            outcome = _OUTCOME_SHORT.get(verdict.outcome, verdict.outcome)
            pct = verdict.improvement_pct
        elif p.rating is not None and p.rating.response:
            outcome = RATING[p.rating.response].text if p.rating.response in RATING else p.rating.response
            pct = p.rating.improvement_pct
        else:
            outcome, pct = "outcome not known", None
        if pct is not None:
            outcome += f", {pct:g} % better" if pct >= 0 else f", {-pct:g} % worse"
        rows.append(
            TherapyRow(
                kind=kind,
                dates=f"{entered_day(p.start, p.start_precision)} – " + ("ongoing" if ongoing else entered_day(p.end, p.end_precision)),
                sessions=str(p.sessions) if p.sessions is not None else "not recorded",
                outcome=outcome,
                stop="ongoing" if ongoing else _STOP_WORDS.get(p.stop_reason or "", "not recorded"),
                source=trial_source_words(p, p.start_precision != "day" or (p.end is not None and p.end_precision != "day")),
                note=p.note,
                ongoing=ongoing,
            )
        )
    return rows


def _value(v: float) -> str:
    return f"{v:g}"


def words_for_kind(p: Therapy) -> str:
    w = THERAPY_KIND.get(p.kind)
    return p.name if p.kind == "other" and p.name else (w.text if w is not None else p.kind)


def _workup(contents: JournalContents, end: date) -> list[WorkupItem]:
    labs_by_key: dict[str, list] = defaultdict(list)
    for lab in contents.labs:
        key = workup_key_for(lab.test)
        if key and lab.date <= end:
            labs_by_key[key].append(lab)
    items = []
    for test in WORKUP_LABS:
        found = sorted(labs_by_key.get(test.key, []), key=lambda lab: (lab.date, lab.id))
        group = _LAB_GROUPS.get(test.key, "Other tests")
        if found:
            last = found[-1]
            unit = f" {last.unit}" if last.unit else ""
            more = f"; {len(found)} results" if len(found) > 1 else ""
            items.append(WorkupItem(group, test.name, True, f"latest {_value(last.value)}{unit} on {day(last.date)}{more}"))
        else:
            items.append(WorkupItem(group, test.name, False, "not recorded yet"))
    conditions_by_key: dict[str, list] = defaultdict(list)
    for c in contents.conditions:
        key = condition_kind_of(c.name)
        if key:
            conditions_by_key[key].append(c)
    for kind in WORKUP_CONDITIONS:
        found = conditions_by_key.get(kind.key, [])
        if found:
            details = []
            for c in found:
                status = _CONDITION_STATUS.get(c.status or "", "status not recorded").lower()
                since = f" since {entered_day(c.since, c.since_precision)}" if c.since else ""
                named = "" if c.name.strip().casefold() == kind.name.casefold() else f"{c.name}: "
                details.append(f"{named}{status}{since}")
            items.append(WorkupItem("Comorbidity assessments", kind.name, True, "; ".join(details)))
        else:
            items.append(WorkupItem("Comorbidity assessments", kind.name, False, "not recorded yet"))
    return items


def _entries_by(contents: JournalContents, start: date | None, end: date) -> list[tuple[str, str, list[str]]]:
    """Records in the report's range entered by someone else, grouped by who and what: (author, kind, [which])."""
    what: dict[str, tuple[str, str, date | None]] = {}
    for ep in contents.episodes:
        what[ep.id] = ("Episodes", f"from {day(ep.start)}", ep.start)
    for t in contents.trials:
        what[t.id] = ("Trials", f"{t.drug} from {entered_day(t.start, t.doses[0].start_precision)}", t.start)
    for p in contents.therapies:
        what[p.id] = ("Psychotherapy courses", f"{words_for_kind(p)} from {entered_day(p.start, p.start_precision)}", p.start)
    for score in contents.scores:
        what[score.id] = ("Scale scores", f"{score.scale} {score.total} on {day(score.date)}", score.date)
    for checkin in contents.checkins:
        what[checkin.id] = ("Daily check-ins", day(checkin.date), checkin.date)
    for lab in contents.labs:
        what[lab.id] = ("Lab results", f"{lab.test} on {day(lab.date)}", lab.date)
    for condition in contents.conditions:
        what[condition.id] = ("Conditions", condition.name, None)  # a condition belongs to every range
    for session in contents.sessions:
        what[session.id] = ("Sessions", f"{_TREATMENTS.get(session.treatment, session.treatment)} on {day(session.date)}", session.date)
    for n in contents.notes:
        what[n.id] = ("Notes", day(n.date), n.date)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in contents.entries_by:
        kind, which, when = what.get(entry.record, ("Other records", entry.record, None))
        if when is not None and not _in_range(when, start, end):
            continue
        groups[(entry.author, kind)].append(which)
    return [(author, kind, items) for (author, kind), items in groups.items()]


# --- page one: the treatment table, the last scores, item 9, the questions ----------------------

_STALE_SCORE_DAYS = 30  # a primary-scale total older than this is flagged on page one
_RECENT_SCORES = 6
_PAGE_ONE_QUESTIONS = 8  # "at most a screenful"
_PAGE_ONE_QUESTION_CHARS = 280  # a longer question is cut there on page one and printed whole in the appendix
_DEFAULT_MONTHS = 24  # the report's dates when there is no current episode


@dataclass(frozen=True)
class TreatmentRow:
    """One line of page one's treatment table (the MGH-ATRQ's terms): a trial, a psychotherapy course or a course of sessions."""

    kind: str  # "antidepressant", "add-on", "other medicine", "psychotherapy", "sessions"
    name: str
    detail: str  # the class, "entered as ...", the phase
    dates: str
    highest: str
    weeks: str
    adherence: str
    scores: str  # "PHQ-9 18 → 9"
    outcome: str
    stop: str
    counts: str  # "yes", or why not in a few words
    remembered: str = ""  # "from memory" when remembered
    counted: bool = False


@dataclass(frozen=True)
class EarlierEpisode:
    """The trials of an earlier episode (or of no recorded episode), for the full medication history."""

    label: str
    rows: tuple[MedicationRow, ...]


@dataclass(frozen=True)
class Question:
    date: date
    text: str
    author: str | None
    cut: bool = False  # cut short on page one; whole in the appendix


@dataclass(frozen=True)
class MonthOfScores:
    """One row of the compact score table: a month's totals by scale."""

    month: str  # "Nov 2026"
    by_scale: tuple[tuple[str, str], ...]  # (scale, "3 scores: 12-18, last 14")
    item9_positive: int


@dataclass(frozen=True)
class LabGrid:
    """Lab results as dates x tests: the header names each test with its unit."""

    tests: tuple[str, ...]  # "CRP (mg/L)"
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (day, one value per test, "" when none)


def report_dates(a: Assessment, end: date) -> tuple[date, str]:
    """The report's first day when none is chosen: the current episode's start, else 24 months back; and in words."""
    ep = a.episode
    if ep is not None and (ep.end is None or ep.end >= end):
        what = "the time since the first recorded trial" if ep.assumed else "the current episode"
        return ep.start, f"This report covers {what} (from {day(ep.start)})."
    months_back = end.year * 12 + end.month - 1 - _DEFAULT_MONTHS
    first = date(months_back // 12, months_back % 12 + 1, 1)
    return first, f"No current episode is recorded: this report covers the last {_DEFAULT_MONTHS} months (from {day(first)})."


def _primary_between(contents: JournalContents, scale: str, first: date, last: date) -> ScaleScore | None:
    found = [s for s in contents.scores if s.scale == scale and first <= s.date <= last]
    return _pick(found) if found else None


def scores_text(contents: JournalContents, scale: str, first: date, last: date) -> str:
    """The baseline (28 days up to the first day, trd-rules.md) and the last score of the primary scale during the trial."""
    baseline = _primary_between(contents, scale, first - timedelta(days=BASELINE_WINDOW_DAYS), first)
    during = [s for s in contents.scores if s.scale == scale and first < s.date <= last]
    latest = _pick(during) if during else None
    if baseline is None and latest is None:
        return "no scores"
    b = str(baseline.total) if baseline else "no baseline"
    return f"{scale} {b} → {latest.total}" if latest else f"{scale} {b}, none after"


def _why_not(v: TrialVerdict | None, settings: Settings) -> str:
    """Whether a trial counts toward the rule, and why not, in a few words."""
    if v is None:
        return "no: outside the current episode"
    if v.counts:
        return "yes"
    if v.could_count:
        return "maybe: remembered details to confirm"
    if v.augmentation and not settings.count_augmentation:
        return "no: add-on, not counted by this rule"
    if v.still_running:
        return "not yet: still running"
    if not v.adequate:
        if v.longest_adequate_run_days == 0:
            return "no: dose never adequate" if v.min_adequate_mg is not None else "no: no adequate dose known"
        return f"no: under {settings.adequate_weeks} weeks at an adequate dose"
    if v.outcome in ("remission", "response"):
        return f"no: {_OUTCOME_SHORT.get(v.outcome, v.outcome)}"
    if v.outcome == "unknown":
        return "no: outcome not recorded"
    if v.failed:
        return "no: its drug already counts"
    return "no"


def numbered(name: str, number: int) -> str:
    """ "escitalopram (2)" for a drug's second trial, as the chart names it; the first keeps its name."""
    return f"{name} ({number})" if number > 1 else name


def _treatment_rows(
    contents: JournalContents, a: Assessment, verdicts: dict[str, TrialVerdict], start: date, end: date
) -> list[TreatmentRow]:
    catalog = load_catalog()
    numbers = trial_numbers(contents)
    scale = a.settings.primary_scale
    rows: list[TreatmentRow] = []
    for t in sorted(contents.trials, key=lambda t: (t.start, t.id)):
        last = _trial_last_day(t, end)
        if t.start > end or last < start:
            continue
        drug = catalog.resolve(t.drug)
        generic = drug.generic if drug else t.drug.strip()
        augmentation = t.augmentation or (drug is not None and drug.is_augmentation)
        v = verdicts.get(t.id)
        known = [s.mg_per_day for s in t.doses if s.start <= end and s.mg_per_day is not None]
        highest = dose_amount(max(known), per_day=True) if known else "not recorded"
        if any(s.mg_per_day is None for s in t.doses if s.start <= end) and known:
            highest += " (a dose not recorded)"
        ongoing = t.end is None or t.end > end
        dates = f"{entered_day(t.start, t.doses[0].start_precision)} – " + ("ongoing" if ongoing else entered_day(t.end, t.end_precision))
        if v is None:
            weeks, outcome = "", "not judged"
        else:
            weeks = f"{v.longest_adequate_run_days / 7:.1f}"
            if v.possible is not None and v.possible.longest_adequate_run_days != v.longest_adequate_run_days:
                weeks += f" (up to {v.possible.longest_adequate_run_days / 7:.1f})"
            outcome = _OUTCOME_SHORT.get(v.outcome, v.outcome)
        first = v.first_day if v is not None and v.first_day else t.start
        final = v.last_day if v is not None and v.last_day else last
        detail = [drug.drug_class] if drug else ["not in the catalog"]
        if drug and t.drug.strip().casefold() != generic.casefold():
            detail.append(f"entered as {t.drug.strip()}")
        rows.append(
            TreatmentRow(
                kind="add-on" if augmentation else ("antidepressant" if drug else "other medicine"),
                name=numbered(generic, numbers.get(t.id, 1)),
                detail=", ".join(detail),
                dates=dates,
                highest=highest,
                weeks=weeks,
                adherence=text_words(ADHERENCE).get(t.adherence or "", "not recorded"),
                scores=scores_text(contents, scale, first, final),
                outcome=outcome,
                stop="ongoing" if ongoing else _STOP_WORDS.get(t.stop_reason or "", "not recorded"),
                counts=_why_not(v, a.settings),
                remembered="from memory" if t.source == "memory" or t.approximate else "",
                counted=bool(v and v.counts),
            )
        )
    for p in _therapy_rows(contents, a, start, end):
        rows.append(
            TreatmentRow(
                kind="psychotherapy", name=p.kind, detail=f"{p.sessions} sessions" if p.sessions != "not recorded" else "",
                dates=p.dates, highest="", weeks="", adherence="", scores="", outcome=p.outcome, stop=p.stop,
                counts="listed, never counted", remembered="from memory" if p.source.startswith("from memory") else "",
            )
        )
    by_treatment: dict[str, list[Session]] = defaultdict(list)
    for s in contents.sessions:
        if _in_range(s.date, start, end):
            by_treatment[s.treatment].append(s)
    for treatment, sessions in by_treatment.items():
        sessions.sort(key=lambda s: s.datetime)
        doses = [s.dose_mg for s in sessions if s.dose_mg is not None]
        phase = words_for_phase(sessions[-1].phase)
        first_day, last_day = sessions[0].date, sessions[-1].date
        rows.append(
            TreatmentRow(
                kind="sessions",
                name=_TREATMENTS.get(treatment, treatment),
                detail=f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}" + (f", {phase} phase" if phase else ""),
                dates=day(first_day) if first_day == last_day else f"{day(first_day)} – {day(last_day)}",
                highest=dose_amount(max(doses)) + " a session" if doses else "",
                weeks="",
                adherence="",
                scores=scores_text(contents, scale, first_day, last_day),
                outcome="",
                stop="",
                counts="listed, never counted",
            )
        )
    return rows


def _earlier_episodes(
    contents: JournalContents, verdicts: dict[str, TrialVerdict], start: date, end: date, rows: list[MedicationRow]
) -> list[EarlierEpisode]:
    """The trials that ended before the report's dates, grouped by the episode each started in."""
    by_id = {t.id: t for t in contents.trials}
    episodes = sorted(contents.episodes, key=lambda e: e.start)
    groups: dict[str, list[MedicationRow]] = defaultdict(list)
    labels: dict[str, str] = {}
    for row in rows:
        t = by_id[row.trial_id]
        if _trial_last_day(t, end) >= start:
            continue
        home = episode_holding(episodes, t.start)  # the episode its first day falls in, as the CSV's episode_id says
        key = home.id if home else ""
        if home is None:
            labels[key] = "Outside any recorded episode"
        else:
            ends = f" to {entered_day(home.end, home.end_precision)}" if home.end else ""
            severity = f", {_EPISODE_SEVERITY.get(home.severity, home.severity)} at onset" if home.severity else ""
            labels[key] = f"Episode from {entered_day(home.start, home.start_precision)}{ends}{severity}"
        groups[key].append(row)
    order = sorted(groups, key=lambda k: (k != "", min(by_id[r.trial_id].start for r in groups[k])), reverse=True)
    return [EarlierEpisode(labels[k], tuple(groups[k])) for k in order]


def _recent_primary(contents: JournalContents, scale: str, end: date) -> tuple[list[tuple[date, int, str, str]], str | None]:
    """The last six totals of the primary scale up to the report's end, newest first, and a flag when the latest is old."""
    mine = [s for s in contents.scores if s.scale == scale and s.date <= end]
    by_date: dict[date, list[ScaleScore]] = defaultdict(list)
    for s in mine:
        by_date[s.date].append(s)
    recent = [(d, _pick(by_date[d])) for d in sorted(by_date, reverse=True)[:_RECENT_SCORES]]
    out = [(d, s.total, severity_label(scale, s.total), _clock(s.time)) for d, s in recent]
    if not out:
        return out, f"No {scale} score recorded."
    age = (end - out[0][0]).days
    if age <= _STALE_SCORE_DAYS:
        return out, None
    months = round(age / 30.44)
    ago = f"{age // 7} weeks" if months < 2 else f"{months} months"
    return out, f"Latest {scale} {ago} before this report."


def _item9_summary(contents: JournalContents, start: date | None, end: date) -> tuple[str | None, int, str | None]:
    """Question 9, newest first: the latest answer and its date, and how many earlier answers were above 0 (with the last of them)."""
    scale = get_scale("PHQ-9")
    n = scale.crisis_item
    if n is None:
        return None, 0, None
    answers = {a.value: a.text for a in scale.answers}
    given = sorted(
        ((s, s.items[n - 1]) for s in contents.scores
         if s.scale == "PHQ-9" and s.items and len(s.items) >= n and _in_range(s.date, start, end)),
        key=lambda pair: (pair[0].date, pair[0].time or _dt.time.min),
        reverse=True,
    )
    if not any(answer > 0 for _, answer in given):
        return None, 0, None
    latest, v = given[0]
    latest_text = f"latest answer \u201c{answers.get(v, v)}\u201d ({v}) on {day(latest.date)}"
    older = [(s, answer) for s, answer in given[1:] if answer > 0]
    last_positive = None
    if older:
        o, w = older[0]
        last_positive = f"\u201c{answers.get(w, w)}\u201d ({w}) on {day(o.date)}"
    return latest_text, len(older), last_positive


def _marked_notes(contents: JournalContents, end: date) -> list[Note]:
    return sorted((n for n in contents.notes if n.for_appointment and n.date <= end), key=lambda n: (n.date, n.id), reverse=True)


def fresh_questions(contents: JournalContents, start: date | None, end: date) -> tuple[list[Note], str]:
    """The appointment notes a report from `start` to `end` puts on page one, newest first, and its heading for them.

    Those since the latest report when one was made within the report's dates, else those in
    the report's dates. The journal keeps the day of a report, not its hour, so a question dated
    that day counts as since it: one written after the report was made is never left out (one
    written before it, on the same day, is listed once more). The "Prepare for my appointment"
    view lists the same notes.
    """
    since = contents.state.last_report
    marked = _marked_notes(contents, end)
    if since is not None and (start is None or since >= start):
        return [n for n in marked if n.date >= since], f"Questions and notes since the last report ({day(since)})"
    return [n for n in marked if _in_range(n.date, start, end)], "Questions and notes for this appointment"


def _questions(
    contents: JournalContents, start: date | None, end: date, whole: bool
) -> tuple[list[Question], list[Question], str]:
    """Page one's questions (since the latest report, else in the report's dates; at most a screenful) and the rest for the appendix."""
    marked = _marked_notes(contents, end)
    fresh, where = fresh_questions(contents, start, end)
    shown: list[Question] = []
    rest: list[Question] = []
    for n in fresh:
        author = contents.author_of(n.id)
        if len(shown) < _PAGE_ONE_QUESTIONS:
            cut = len(n.text) > _PAGE_ONE_QUESTION_CHARS or n.text.count("\n") > 3
            shown.append(Question(n.date, n.text, author, cut))
            if cut:
                rest.append(Question(n.date, n.text, author))
        else:
            rest.append(Question(n.date, n.text, author))
    fresh_ids = {n.id for n in fresh}
    rest += [
        Question(n.date, n.text, contents.author_of(n.id))
        for n in marked
        if n.id not in fresh_ids and (whole or _in_range(n.date, start, end))
    ]
    return shown, rest, where


def _score_months(contents: JournalContents, start: date | None, end: date) -> list[MonthOfScores]:
    by_month: dict[tuple[int, int], list[ScaleScore]] = defaultdict(list)
    for s in contents.scores:
        if _in_range(s.date, start, end):
            by_month[(s.date.year, s.date.month)].append(s)
    nine = get_scale("PHQ-9").crisis_item or 9
    out = []
    for (year, month) in sorted(by_month, reverse=True):
        scores = by_month[(year, month)]
        cells = []
        for name in [*ALL_SCALES, *sorted({s.scale for s in scores} - set(ALL_SCALES))]:
            mine = sorted((s for s in scores if s.scale == name), key=lambda s: (s.date, s.time or _dt.time.min))
            if not mine:
                continue
            totals = [s.total for s in mine]
            if len(mine) == 1:
                cells.append((name, f"{totals[0]} ({severity_label(name, totals[0])}) on {mine[0].date:%d %b}".replace(" 0", " ")))
            else:
                last = f"last {totals[-1]} ({severity_label(name, totals[-1])})"
                cells.append((name, f"{len(mine)} scores, {min(totals)}–{max(totals)}, {last}"))
        positive = sum(
            1 for s in scores if s.scale == "PHQ-9" and s.items and len(s.items) >= nine and s.items[nine - 1] > 0
        )
        out.append(MonthOfScores(f"{date(year, month, 1):%b %Y}", tuple(cells), positive))
    return out


def _lab_grid(contents: JournalContents, start: date | None, end: date) -> LabGrid:
    labs = [lab for lab in contents.labs if _in_range(lab.date, start, end)]
    tests: dict[str, str] = {}
    for lab in sorted(labs, key=lambda lab: (lab.date, lab.id)):
        tests.setdefault(lab.test, lab.unit or "")
    names = sorted(tests, key=lambda t: (t.casefold()))
    by_day: dict[date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for lab in labs:
        unit = "" if (lab.unit or "") == tests[lab.test] else f" {lab.unit}"
        by_day[lab.date][lab.test].append(_value(lab.value) + unit)
    rows = tuple((day(d), tuple(", ".join(by_day[d].get(t, [])) for t in names)) for d in sorted(by_day, reverse=True))
    return LabGrid(tuple(f"{t} ({tests[t]})" if tests[t] else t for t in names), rows)


def maudsley_words(a: Assessment) -> tuple[str, tuple[str, ...]]:
    """The Maudsley score, as a range when only the severity at onset is missing, and each part with the ECT item shown."""
    m = a.maudsley
    parts = [f"{label}: {points}" for label, points in m.parts]
    labels = " ".join(label for label, _ in m.parts)
    if a.episode is not None:
        if "augmentation used" not in labels:
            parts.append("augmentation used: no (0)")
        if "ECT used" not in labels:
            parts.append("ECT used: no (0)")
    if m.score is not None:
        return f"{m.score} of 15 ({m.band})", tuple(parts)
    if tuple(m.missing) == ("severity",):
        known = sum(p for _, p in m.parts)
        lo, hi = known + 1, known + 5  # severity at onset scores 1 (subsyndromal) to 5 (severe with psychosis)
        return f"{lo}–{hi} of 15, severity at onset not recorded", tuple(parts)
    missing = {"episode": "no episode recorded", "severity": "severity at onset not recorded"}
    words = "; ".join(missing.get(x, x) for x in m.missing)
    return (f"not computed: {words}" if words else "not computed"), tuple(parts)


# long: one constructor naming every field the report shows, each worked out by its own function above
def report_facts(
    contents: JournalContents,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    name_style: str = "initials",
    assessment_settings: Settings | None = None,
    whole_history: bool = False,
) -> ReportFacts:
    """Everything the report shows, for the records from `start` to `end` (today unless given).

    With no `start`, the report covers the current episode (or the last 24 months), with the
    earlier treatment history in full behind page one; `whole_history` covers every record and
    keeps every table.
    """
    today = today or date.today()
    end = end or today
    if start is not None and start > end:
        raise JournalError(f"The report would start on {day(start)}, after it ends on {day(end)}: choose a start on or before the end.")
    settings = assessment_settings or contents.settings
    # The clinician's catalog: each minimum's source as graded, with its grade letter.
    clinician_catalog = load_catalog(CLINICIAN)
    a = assess(contents, settings, end, clinician_catalog)
    verdicts = _verdicts(contents, settings, a, clinician_catalog)
    maudsley, maudsley_parts = maudsley_words(a)
    if start is not None:
        dates_note = f"This report covers {day(start)} to {day(end)}."
    elif whole_history:
        dates_note = "The whole history: every record the journal holds, every table in full."
    else:
        start, dates_note = report_dates(a, end)
    first = start or date.min
    medications = _medication_rows(contents, verdicts, None, end)
    shown_medications = tuple(r for r in medications if whole_history or _trial_last_day(_by_id(contents, r.trial_id), end) >= first)
    recent, primary_note = _recent_primary(contents, settings.primary_scale, end)
    item9_latest, item9_older, item9_last_positive = _item9_summary(contents, None if whole_history else start, end)
    questions, earlier_questions, questions_heading = _questions(contents, None if whole_history else start, end, whole_history)
    table_start = None if whole_history else start
    return ReportFacts(
        name=report_name(contents.profile.display_name, name_style),
        start=start,
        end=end,
        generated=today,
        birth_year=contents.profile.birth_year if name_style == "full" else None,
        assessment=a,
        episode=_episode_line(a, contents),
        current_medications=tuple(_current_medications(contents, end)),
        current_sessions=tuple(_current_sessions(contents, start, end)),
        latest_scores=tuple(_latest_scores(contents, start, end)),
        daily_summary=_daily_summary(contents, end),
        item9_answers=tuple(_item9(contents, start, end)),
        crisis_lines=tuple(str(line) for line in CRISIS_RESOURCES.lines),
        appointment_notes=tuple(
            (n.date, n.text, contents.author_of(n.id))
            for n in sorted(contents.notes, key=lambda n: (n.date, n.id))
            if n.for_appointment and _in_range(n.date, start, end)
        ),
        medications=shown_medications,
        scores=tuple(_score_rows(contents, table_start, end)),
        sessions=tuple(_session_rows(contents, table_start, end)),
        labs=tuple(
            (lab.date, lab.test, _value(lab.value), lab.unit or "", lab.note)
            for lab in sorted(contents.labs, key=lambda lab: (lab.date, lab.test))
            if _in_range(lab.date, table_start, end)
        ),
        conditions=tuple(
            (
                c.name,
                _CONDITION_STATUS.get(c.status or "", "not recorded"),
                entered_day(c.since, c.since_precision),
                c.note,
            )
            for c in sorted(contents.conditions, key=lambda c: c.name.casefold())
        ),
        workup=tuple(_workup(contents, end)),
        entries=tuple(_entries_by(contents, table_start, end)),
        summary=plain_dates(headline(a, CLINICIAN)),
        rule=plain_dates(rule_text(settings, CLINICIAN)),
        caveats=tuple(for_clinician(plain_dates(c)) for c in caveat_lines(a)),
        maudsley=maudsley,
        maudsley_parts=maudsley_parts,
        look_up=tuple(plain_dates(line) for line in look_up_lines(a)),
        therapies=tuple(_therapy_rows(contents, a, table_start, end)),
        whole_history=whole_history,
        # the demo's and the benchmarks' journals say so in their name ("Demo — made-up data")
        made_up="made-up data" in (contents.profile.display_name or "").casefold(),
        dates_note=dates_note,
        treatment=tuple(_treatment_rows(contents, a, verdicts, first, end)),
        earlier=() if whole_history else tuple(_earlier_episodes(contents, verdicts, first, end, list(medications))),
        recent_primary=tuple(recent),
        primary_scale=settings.primary_scale,
        primary_note=primary_note,
        item9_latest=item9_latest,
        item9_older=item9_older,
        item9_last_positive=item9_last_positive,
        questions=tuple(questions),
        questions_heading=questions_heading,
        earlier_questions=tuple(earlier_questions),
        score_months=tuple(_score_months(contents, table_start, end)),
        lab_grid=_lab_grid(contents, table_start, end),
    )


def _by_id(contents: JournalContents, trial_id: str) -> Trial:
    return next(t for t in contents.trials if t.id == trial_id)


def _per_day(doses: str) -> str:
    """ "50–100 mg" as "50–100 mg/day"; "dose not recorded" stays as it is."""
    return doses.replace(" mg", " mg/day", 1) if doses.split(";")[0].endswith(" mg") else doses


def outline(facts: ReportFacts, sections: set[str] | None = None) -> list[tuple[str, list[str]]]:
    """The report as headed lists of lines: what a preview shows without drawing the PDF."""
    wanted = {k for k, _ in SECTIONS} if sections is None else sections
    out: list[tuple[str, list[str]]] = []
    titles = dict(SECTIONS)
    if "summary" in wanted:
        lines = [facts.episode]
        lines += [f"Taking: {m}" for m in facts.current_medications] or ["No medication recorded as current."]
        lines += [f"Sessions: {s}" for s in facts.current_sessions]
        lines += [facts.summary, facts.rule, *facts.caveats]
        if facts.look_up:
            lines += ["What to look up (remembered trials that could count):", *(f"  {line}" for line in facts.look_up)]
        lines.append(f"Maudsley staging score: {facts.maudsley}")
        if facts.recent_primary:
            lines.append(
                f"Last {facts.primary_scale} totals: "
                + ", ".join(f"{total} ({day(d)}{' ' + at if at else ''})" for d, total, _, at in facts.recent_primary)
            )
        if facts.primary_note:
            lines.append(facts.primary_note)
        if facts.item9_latest:
            more = f"; {facts.item9_older} earlier answers above 0" if facts.item9_older else ""
            lines.append(f"PHQ-9 question 9 answered above 0: {facts.item9_latest}{more}")
        if facts.daily_summary:
            lines.append(facts.daily_summary)
        lines.append(facts.dates_note)
        out.append((titles["summary"], lines))
    if "notes" in wanted:
        lines = [f"{day(q.date)}: {q.text}" for q in facts.questions] or ["None."]
        if facts.earlier_questions:
            lines.append(f"{len(facts.earlier_questions)} earlier questions and notes in the appendix.")
        out.append((facts.questions_heading, lines))
    if "timeline" in wanted:
        out.append((titles["timeline"], ["The timeline chart of scores, trials and sessions."]))
    if "medications" in wanted:
        lines = [
            f"{r.name} ({r.kind}), {r.dates}, {r.highest or 'no dose'}: {r.outcome or 'listed'}; counts: {r.counts}"
            + (f" ({r.remembered})" if r.remembered else "")
            for r in facts.treatment
        ] or ["No treatment recorded in this report's dates."]
        for episode in facts.earlier:
            lines.append(f"{episode.label}: " + ", ".join(r.drug for r in episode.rows))
        if facts.whole_history:
            lines += [
                f"{r.drug} ({r.drug_class}), {r.dates}, {_per_day(r.doses)}: {r.outcome}" + (f" ({r.source})" if r.source else "")
                for r in facts.medications
            ]
        lines += [
            f"{p.kind} (psychotherapy, listed, never counted), {p.dates}, sessions: {p.sessions}: {p.outcome}"
            + (f" ({p.source})" if p.source else "")
            for p in facts.therapies
        ]
        out.append((titles["medications"], lines))
    if "scores" in wanted:
        out.append(
            (
                titles["scores"],
                [f"{day(r.date)}{' ' + r.time if r.time else ''} {r.scale} {r.total} ({r.severity})" for r in facts.scores] or ["None."],
            )
        )
    if "sessions" in wanted:
        out.append(
            (
                titles["sessions"],
                [
                    " ".join(x for x in (r.when, r.treatment, r.phase, r.dose, r.blood_pressure, r.monitoring) if x)
                    for r in facts.sessions
                ]
                or ["None."],
            )
        )
    if "labs" in wanted:
        out.append((titles["labs"], [f"{day(d)} {t} {v} {u}".rstrip() for d, t, v, u, _ in facts.labs] or ["None."]))
    if "conditions" in wanted:
        out.append((titles["conditions"], [f"{n}: {s}" for n, s, _, _ in facts.conditions] or ["None."]))
    if "workup" in wanted:
        out.append(
            (titles["workup"], [f"{'✓' if w.recorded else '○'} {w.name}: {w.detail}" for w in facts.workup])
        )
    if "entries" in wanted and facts.entries:
        out.append((titles["entries"], [f"{who}: {kind} ({len(items)})" for who, kind, items in facts.entries]))
    return out
