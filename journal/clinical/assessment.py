"""The TRD assessment of trd-rules.md: a pure function of records, settings and an as-of date.

`assess` runs the rules in named steps: the episode in question, each trial's days inside it,
each trial's adequacy, then its outcome, then which failed trials count. The verdict's words for
each reader are made from its result by journal.clinical.verdict_words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from journal.clinical.audiences import PERSON
from journal.clinical.catalog import Catalog, Drug, custom_drug_key, load_catalog
from journal.records import DoseStep, JournalContents, Rating, ScaleScore, Settings, Trial, date_text, latest_day
from journal.words import OUTCOME, THERAPY_KIND, date_words, words_for


@dataclass(frozen=True)
class EpisodeRef:
    """The episode the verdict is about; `assumed` when the journal records none."""

    id: str | None
    start: date
    end: date | None
    assumed: bool


@dataclass(frozen=True)
class Maudsley:
    """Maudsley Staging Method score (3-15) and band; None with `missing` naming what is absent."""

    score: int | None
    band: str | None
    missing: tuple[str, ...] = ()
    parts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class TrialVerdict:
    """One trial's verdict, with its reasons and caveats in plain words."""

    id: str
    drug: str
    adequate: bool
    longest_adequate_run_days: int
    adequacy_date: date | None
    outcome: str
    improvement_pct: float | None
    failure_date: date | None
    counts: bool
    reasons: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    augmentation: bool = False
    custom: bool = False  # a drug the catalog does not know (counted only on the person's own minimum)
    still_running: bool = False  # ongoing as of the as-of date in an episode that has not ended
    failed: bool = False
    first_day: date | None = None
    last_day: date | None = None
    adequate_from: date | None = None
    min_adequate_mg: float | None = None
    min_source: str | None = None
    # Rules version 2: remembered trials, read two ways (the fields above are the short reading's).
    approximate: bool = False  # a partial start or end, or a dose not remembered, as of the as-of date
    could_count: bool = False  # counts in the long reading, not in the short, and its drug counts in neither otherwise
    to_settle: tuple[str, ...] = ()  # the file paths of the details to look up ("doses[0].mg_per_day", "end", ...)
    look_up: tuple[str, ...] = ()  # the same in plain words, with the minimum that would make the trial adequate
    outside_short: bool = False  # listed by the long reading only: may lie outside the episode
    possible: TrialVerdict | None = None  # the long reading's verdict of an approximate trial
    partial_dates: bool = False  # a step start or the end entered as a month or a year
    source: str | None = None  # "memory" or "records", as the person said
    rough_precision: str = "day"  # the coarsest precision of its partial start or end ("month", "year")
    entered_start: str = ""  # the first step's start as entered, in words ("Mar 2019")
    entered_end: str = ""  # the end as entered, in words; empty while it goes on


@dataclass(frozen=True)
class TherapyVerdict:
    """A psychotherapy course listed beside the trials (never counted), its outcome from its rating."""

    id: str
    kind: str
    name: str
    start: date
    start_precision: str
    end: date | None
    end_precision: str
    sessions: int | None
    outcome: str
    improvement_pct: float | None = None


@dataclass(frozen=True)
class Assessment:
    """The whole verdict: what the marker, the panel, the report and `assess --json` show."""

    as_of: date
    settings: Settings
    episode: EpisodeRef | None
    maudsley: Maudsley
    failed_adequate_count: int
    threshold_met: bool
    threshold_date: date | None
    trials: tuple[TrialVerdict, ...] = ()
    caveats: tuple[str, ...] = ()
    rule: str = ""
    # Rules version 2.
    possible_count: int = 0  # the long reading's failed_adequate_count
    threshold_possible: bool = False  # met in the long reading, not in the short
    threshold_date_approximate: bool = False  # the threshold date rests on a remembered trial's partial date
    therapies: tuple[TherapyVerdict, ...] = ()
    episode_approximate: bool = False  # the current episode's start or end was entered as a month or a year

    @property
    def general_caveats(self) -> tuple[str, ...]:
        """The caveats about the whole verdict; each trial's own are in its verdict, without the id `caveats` adds."""
        own = {trial_caveat(t.drug, t.id, c) for t in self.trials for c in t.caveats}
        return tuple(c for c in self.caveats if c not in own)


# --------------------------------------------------------------------------- the rules

# trd-rules.md "Outcome" step 2: the remission cut of each primary scale (at or below).
# The version of trd-rules.md this module applies ("Rules version 2"), written out beside the
# settings (CSV export) so someone can re-run the same rule on the exported tables.
RULES_VERSION = 2
REMISSION_MAX = {"PHQ-9": 4, "QIDS-SR16": 5, "MADRS": 10, "HAMD-17": 7}
BASELINE_WINDOW_DAYS = 28
MAUDSLEY_SEVERITY = {"subsyndromal": 1, "mild": 2, "moderate": 3, "severe": 4, "severe_psychotic": 5}
# A catalog row that is a formulation of another row (paroxetine CR) is the same drug when counting.
_FORMULATION_SUFFIXES = (" CR", " XR", " XL", " SR", " ER", " IR", " LA")

NOT_A_DIAGNOSIS = (
    "This is not a diagnosis. It shows how your journal entries line up with a published rule; "
    "talk it through with your clinician."
)


def trial_caveat(drug: str, trial_id: str, caveat: str) -> str:
    """A trial's caveat as `caveats` holds it for `assess --json`: the trial's id ties it to its entry in `trials`."""
    return f"{drug} ({trial_id}): {caveat}"


def _day(d: date) -> str:
    return d.isoformat()


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _mg(value: float) -> str:
    return f"{value:g}"


def round_pct(value: float) -> float:
    """One decimal, halves away from zero (so 12.25 shows as 12.3, not 12.2)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class _Span:
    """Consecutive days [start, end] at one daily dose."""

    start: date
    end: date
    mg: float


def covered_spans(trial: Trial, as_of: date) -> list[_Span]:
    """The trial's covered days as of `as_of`, one span per dose step (steps after `as_of` ignored)."""
    steps = [s for s in trial.doses if s.start <= as_of]
    if not steps:
        return []
    last_day = trial.end if trial.end is not None and trial.end <= as_of else as_of
    spans = []
    for i, step in enumerate(steps):
        end = steps[i + 1].start - timedelta(days=1) if i + 1 < len(steps) else last_day
        if end >= step.start:
            spans.append(_Span(step.start, end, step.mg_per_day or 0.0))  # a reading always gives a dose
    return spans


def _clip(spans: list[_Span], start: date, end: date) -> list[_Span]:
    out = []
    for s in spans:
        a, b = max(s.start, start), min(s.end, end)
        if a <= b:
            out.append(_Span(a, b, s.mg))
    return out


def adequate_runs(spans: list[_Span], minimum: float) -> list[tuple[date, date]]:
    """Stretches of consecutive days at or above `minimum` (adjacent adequate steps join into one run)."""
    runs: list[tuple[date, date]] = []
    for s in spans:
        if s.mg < minimum:
            continue
        if runs and runs[-1][1] + timedelta(days=1) == s.start:
            runs[-1] = (runs[-1][0], s.end)
        else:
            runs.append((s.start, s.end))
    return runs


def _latest_by_date(scores: list[ScaleScore], start: date, end: date) -> ScaleScore | None:
    """The latest score in [start, end]; several on one date: the highest total."""
    best: ScaleScore | None = None
    for s in scores:
        if start <= s.date <= end and (best is None or (s.date, s.total) > (best.date, best.total)):
            best = s
    return best


def _band(pct: float) -> str:
    if pct >= 50:
        return "response"
    if pct >= 25:
        return "partial"
    return "non-response"


# The person's own rating (records.RATINGS) as the outcome it means.
_WORD_OUTCOME = {"none": "non-response", "partial": "partial", "response": "response", "remission": "remission"}


def _drug_key(generic: str | None, name: str) -> str:
    if generic is None:
        return "custom:" + custom_drug_key(name)
    for suffix in _FORMULATION_SUFFIXES:
        if generic.endswith(suffix):
            return generic[: -len(suffix)].casefold()
    return generic.casefold()


@dataclass
class _Work:
    """Mutable working state for one trial while the rules run."""

    trial: Trial
    drug: str
    key: str
    catalog_drug: Drug | None
    is_augmentation: bool
    spans: list[_Span]
    inside: list[_Span]
    minimum: float | None = None
    min_source: str | None = None
    adequate: bool = False
    longest: int = 0
    adequacy_date: date | None = None
    adequate_from: date | None = None
    outcome: str = "not-adequate"
    improvement: float | None = None
    evidence_date: date | None = None
    failure_date: date | None = None
    failed: bool = False
    counts: bool = False
    reasons: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    entered: _Entered | None = None
    still_running: bool = False  # ongoing as of the as-of date in an episode that has not ended

    @property
    def first_day(self) -> date:
        return self.inside[0].start

    @property
    def last_day_inside(self) -> date:
        return self.inside[-1].end


def assess(
    contents: JournalContents,
    settings: Settings | None = None,
    as_of: date | None = None,
    catalog: Catalog | None = None,
) -> Assessment:
    """Applies trd-rules.md (rules version 2) to the journal as of a date (today unless given).

    Remembered trials are read twice (trd-rules.md, "Remembered trials"): the short reading makes
    every adequate run as short as the entries allow, the long one as long. Exact trials read the
    same both times. Every version-1 field is the short reading's; the long one gives what could be.
    """
    if catalog is None:
        catalog = load_catalog()
    settings = settings or contents.settings
    as_of = as_of or date.today()
    entered = {t.id: _entered(t, i, as_of) for i, t in enumerate(contents.trials)}
    # The minimum that decides how a reading takes an unknown dose; exact trials are taken as entered.
    minimums = {t.id: _minimum_of(t, catalog) for t in contents.trials if t.approximate}
    # With no episode: one from the earliest day any trial's first step could start, in both readings.
    firsts = [t.doses[0].start for t in contents.trials if t.doses and t.doses[0].start <= as_of]
    assumed_start = min(firsts, default=None)
    readings = {}
    # An exact journal reads the same both ways: it is assessed once.
    names = ("short", "long") if any(e.approximate for e in entered.values()) else ("short",)
    for name in names:
        trials = tuple(_read_trial(t, name, minimums.get(t.id), as_of) for t in contents.trials)
        readings[name] = _run(replace(contents, trials=trials), entered, settings, as_of, catalog, assumed_start)
    return _merge(readings["short"], readings.get("long", readings["short"]), contents, entered, settings, as_of)


# ----------------------------------------------------------------------- the two readings


@dataclass(frozen=True)
class _Entered:
    """What a trial's entries say as of the as-of date: which details are remembered only roughly."""

    trial: Trial
    index: int  # its place in the file: the first in the file counts on a tie
    approximate: bool
    dates_partial: bool  # a step's start or the end entered as a month or a year
    paths: tuple[str, ...]  # the approximate fields, in file order ("doses[0].start", ..., "end")
    date_paths: tuple[str, ...]  # the partial start and end fields only


def _entered(trial: Trial, index: int, as_of: date) -> _Entered:
    paths: list[str] = []
    date_paths: list[str] = []
    for i, step in enumerate(trial.doses):
        if step.start > as_of:  # a step that starts (even at its earliest) after the as-of date is not read
            continue
        if step.start_precision != "day":
            paths.append(f"doses[{i}].start")
            date_paths.append(f"doses[{i}].start")
        if step.mg_per_day is None:
            paths.append(f"doses[{i}].mg_per_day")
    if trial.end is not None and trial.end_precision != "day" and trial.end <= as_of:
        paths.append("end")
        date_paths.append("end")
    return _Entered(trial, index, bool(paths), bool(date_paths), tuple(paths), tuple(date_paths))


def _minimum_of(trial: Trial, catalog: Catalog) -> float | None:
    """The minimum a trial is judged on: the person's own when given, else the catalog's, else None."""
    if trial.min_adequate_mg is not None:
        return trial.min_adequate_mg
    found = catalog.resolve(trial.drug)
    return found.min_adequate_mg if found is not None else None


def _read_trial(trial: Trial, reading: str, minimum: float | None, as_of: date) -> Trial:
    """The trial with full dates and known doses as one reading takes its remembered details."""
    short = reading == "short"
    if not trial.approximate:
        return trial  # full days and known doses: both readings are the trial as entered
    steps = [s for s in trial.doses if s.start <= as_of]
    if not steps:
        return replace(trial, doses=tuple(DoseStep(s.start, s.mg_per_day or 0.0) for s in trial.doses))

    def dose(step: DoseStep) -> float:
        if step.mg_per_day is not None:
            return step.mg_per_day
        # Not remembered: below any minimum when short, just adequate when long and a minimum is known.
        return 0.0 if short or minimum is None else minimum

    def adequate(mg: float) -> bool:
        return minimum is not None and mg >= minimum

    doses = [dose(s) for s in steps]
    starts: list[date] = []
    for i, step in enumerate(steps):
        early, late = step.start, step.latest_start
        if step.start_precision == "day":
            starts.append(early)
            continue
        if i == 0:
            starts.append(late if short else early)
            continue
        falls = adequate(doses[i - 1]) and not adequate(doses[i])  # the run ends where this step starts
        starts.append((early if falls else late) if short else (late if falls else early))
    end = trial.end
    if end is not None and trial.end_precision != "day":
        end = end if short else latest_day(end, trial.end_precision)
    if end is not None:
        # A step never starts after the trial's end as read; of several on one day the last covers it.
        starts = [min(day, end) for day in starts]
    exact = tuple(DoseStep(day, mg) for day, mg in zip(starts, doses, strict=True))
    return replace(trial, doses=exact, end=end, end_precision="day")


@dataclass
class _Reading:
    """One reading's result: the episode, each listed trial's working state, the counting trials, the caveats."""

    scope: _Scope
    works: list[_Work]
    counted: list[_Work]
    caveats: list[str]


def _run(
    contents: JournalContents, entered: dict[str, _Entered], settings: Settings, as_of: date, catalog: Catalog, assumed_start: date | None
) -> _Reading:
    """The rules applied once to a journal whose dates are all full days (one reading)."""
    all_spans = {t.id: covered_spans(t, as_of) for t in contents.trials}
    scope = _episode_scope(contents, as_of, assumed_start)
    caveats: list[str] = [c for c in (scope.caveat, scope.approximate_caveat) if c]
    episode = scope.episode
    episode_ended = episode is not None and episode.end is not None and episode.end < as_of
    works = _works(contents, all_spans, scope, catalog)
    weeks_days = settings.adequate_weeks * 7
    primary = [s for s in contents.scores if s.scale == settings.primary_scale and s.date <= as_of]
    for w in works:
        w.entered = entered[w.trial.id]
        w.still_running = not episode_ended and (w.trial.end is None or w.trial.end > as_of)
        _judge_adequacy(w, weeks_days, settings, catalog, as_of)
        _judge_outcome(w, settings, [] if w.entered.dates_partial else primary, as_of)
    _count(works, settings)
    counted = sorted((w for w in works if w.counts), key=_failure_order)
    return _Reading(scope, works, counted, caveats)


def _merge(
    short: _Reading, long: _Reading, contents: JournalContents, entered: dict[str, _Entered], settings: Settings, as_of: date
) -> Assessment:
    """The short reading's verdict, with what the long one says could count and what to look up to settle it."""
    short_by_id = {w.trial.id: w for w in short.works}
    long_by_id = {w.trial.id: w for w in long.works}
    counting_keys = {w.key for w in short.works if w.counts}
    verdicts: list[TrialVerdict] = []
    for trial_id in sorted(set(short_by_id) | set(long_by_id), key=lambda i: _listed_order(short_by_id, long_by_id, i)):
        s, lw = short_by_id.get(trial_id), long_by_id.get(trial_id)
        e = entered[trial_id]
        possible = _verdict(lw) if lw is not None and e.approximate else None
        could = lw is not None and lw.counts and (s is None or not s.counts) and lw.key not in counting_keys
        settle = _to_settle(e, lw, short, long, contents) if could and lw is not None else ()
        look = _look_up_words(e, lw, settle, contents, settings) if could and lw is not None else ()
        if s is None:
            assert lw is not None
            verdict = _outside_verdict(lw)
            if could:
                look_words = "could count if the remembered details are confirmed: look up " + _and(list(look))
                verdict = replace(verdict, reasons=(*verdict.reasons, look_words))
        else:
            if could:
                s.reasons.append("could count if the remembered details are confirmed: look up " + _and(list(look)))
            if s.counts and e.trial.source == "memory":
                s.caveats.append("from memory: confirm the details with pharmacy or clinic records")
            verdict = _verdict(s)
        verdicts.append(
            replace(
                verdict,
                approximate=e.approximate,
                could_count=could,
                to_settle=settle,
                look_up=look,
                possible=possible,
                partial_dates=e.dates_partial,
                source=e.trial.source,
                rough_precision=_rough_precision(e.trial),
                entered_start=date_words(e.trial.doses[0].start, e.trial.doses[0].start_precision) if e.trial.doses else "",
                entered_end=date_words(e.trial.end, e.trial.end_precision),
            )
        )
    return _assessment(short, long, verdicts, contents, settings, as_of)


def _assessment(
    short: _Reading, long: _Reading, verdicts: list[TrialVerdict], contents: JournalContents, settings: Settings, as_of: date
) -> Assessment:
    caveats = list(short.caveats)
    threshold_met = len(short.counted) >= 2
    if settings.count_augmentation and any(w.counts and w.is_augmentation for w in short.works):
        caveats.append(
            "A failed augmentation (add-on) treatment is counted, as the MGH-ATRQ does; this goes beyond the "
            "FDA/EMA definition, which counts different antidepressants."
        )
    approximate = [v for v in verdicts if v.approximate]
    if approximate:
        could = sum(1 for v in approximate if v.could_count)
        caveats.append(
            f"{_trials(len(approximate))} remembered (approximate) details; {could} of them could count if those details are confirmed"
        )
    for v in verdicts:
        caveats.extend(trial_caveat(v.drug, v.id, c) for c in v.caveats)
    threshold_date = short.counted[1].failure_date if threshold_met else None
    at_threshold = [w for w in short.counted if w.failure_date == threshold_date]
    return Assessment(
        as_of=as_of,
        settings=settings,
        episode=short.scope.episode,
        maudsley=_maudsley(short.works, short.scope, contents),
        failed_adequate_count=len(short.counted),
        threshold_met=threshold_met,
        threshold_date=threshold_date,
        trials=tuple(verdicts),
        caveats=tuple(caveats),
        rule=rule_text(settings),
        possible_count=len(long.counted),
        threshold_possible=len(long.counted) >= 2 and not threshold_met,
        threshold_date_approximate=threshold_met and all(w.entered is not None and w.entered.dates_partial for w in at_threshold),
        therapies=_therapies(contents, short.scope, as_of),
        episode_approximate=short.scope.approximate_caveat is not None,
    )


def _trials(n: int) -> str:
    return "1 trial has" if n == 1 else f"{n} trials have"


def _listed_order(short_by_id: dict[str, _Work], long_by_id: dict[str, _Work], trial_id: str) -> tuple:
    w = short_by_id.get(trial_id) or long_by_id[trial_id]
    return (w.first_day, trial_id)


def _outside_verdict(long_work: _Work) -> TrialVerdict:
    """A trial the long reading lists and the short does not: as the short reading sees it, with no day inside the episode."""
    return TrialVerdict(
        id=long_work.trial.id,
        drug=long_work.drug,
        adequate=False,
        longest_adequate_run_days=0,
        adequacy_date=None,
        outcome="not-adequate",
        improvement_pct=None,
        failure_date=None,
        counts=False,
        reasons=(
            "may lie outside this episode: with the remembered dates read as late as they allow, it has no day inside it",
        ),
        augmentation=long_work.is_augmentation,
        custom=long_work.catalog_drug is None,
        outside_short=True,
        first_day=None,
        last_day=None,
        min_adequate_mg=long_work.minimum,
        min_source=long_work.min_source,
    )


def _to_settle(e: _Entered, lw: _Work, short: _Reading, long: _Reading, contents: JournalContents) -> tuple[str, ...]:
    """The paths of the details to look up: the trial's own approximate fields, then its partners' dates for an add-on."""
    paths = list(e.paths)
    if lw.is_augmentation:
        sw = next((w for w in short.works if w.trial.id == lw.trial.id), None)
        with_ad_short = sw is not None and any(_overlap(sw.inside, a.inside) for a in short.works if _is_antidepressant(a))
        if not with_ad_short:
            partners = {a.trial.id for a in long.works if _is_antidepressant(a) and _overlap(lw.inside, a.inside)}
            for trial in contents.trials:
                if trial.id in partners:
                    paths += [f"trials[{trial.id}].{p}" for p in _entered(trial, 0, long.scope.as_of).date_paths]
    return tuple(paths)


def _look_up_words(e: _Entered, lw: _Work, settle: tuple[str, ...], contents: JournalContents, settings: Settings) -> tuple[str, ...]:
    """What to look up in plain words ("the dose (50 mg/day or more would count)", "the month it ended")."""
    trial = e.trial
    would = f" ({_mg(lw.minimum)} mg/day or more would count)" if lw.minimum is not None else ""
    words: list[str] = []
    partners: dict[str, Trial] = {}
    by_id = {t.id: t for t in contents.trials}
    for path in settle:
        if path.startswith("trials["):
            other = by_id[path[len("trials[") :].split("]", 1)[0]]
            partners[other.id] = other
        elif path == "end":
            words.append(f"the {_finer(trial.end_precision)} it ended")
        else:
            index = int(path[len("doses[") : path.index("]")])
            step = trial.doses[index]
            if path.endswith("mg_per_day"):
                words.append("the dose" + would if index == 0 else f"the dose from {date_words(step.start, step.start_precision)}{would}")
            elif index == 0:
                words.append(f"the {_finer(step.start_precision)} it started")
            else:
                words.append(f"the {_finer(step.start_precision)} the dose changed")
    dated = [i for i, p in enumerate(p for p in settle if not p.startswith("trials[")) if not p.endswith("mg_per_day")]
    if dated:
        words[dated[-1]] += f" ({settings.adequate_weeks} weeks or more at an adequate dose would count)"
    for other in partners.values():
        words.append(f"when {other.drug} started and ended (to see whether this add-on was taken with it)")
    return tuple(words)


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _finer(precision: str) -> str:
    return "month" if precision == "year" else "day"


def _rough_precision(trial: Trial) -> str:
    rough = {s.start_precision for s in trial.doses} | ({trial.end_precision} if trial.end is not None else set())
    return "year" if "year" in rough else "month" if "month" in rough else "day"


def _is_antidepressant(w: _Work) -> bool:
    """trd-rules.md v2: a trial of a catalog drug whose role is antidepressant, not marked as augmentation."""
    return w.catalog_drug is not None and not w.is_augmentation


def _therapies(contents: JournalContents, scope: _Scope, as_of: date) -> tuple[TherapyVerdict, ...]:
    """The psychotherapy courses listed beside the trials: started by the as-of date and overlapping the episode."""
    episode = scope.episode
    if episode is None:
        return ()
    listed = []
    for p in contents.therapies:
        if p.start > as_of:
            continue
        last = latest_day(p.end, p.end_precision) if p.end is not None else as_of
        if last < episode.start or p.start > scope.window_end:
            continue
        rating = _rating_as_of(p.rating, as_of)
        listed.append(
            TherapyVerdict(
                id=p.id,
                kind=p.kind,
                name=p.name,
                start=p.start,
                start_precision=p.start_precision,
                end=p.end,
                end_precision=p.end_precision,
                sessions=p.sessions,
                outcome=_rated_outcome(rating) if rating is not None else "unknown",
                improvement_pct=None if rating is None or rating.improvement_pct is None else float(rating.improvement_pct),
            )
        )
    return tuple(listed)


def _rating_as_of(rating: Rating | None, as_of: date) -> Rating | None:
    """The rating the rules read: none when dated after the as-of date or when it gives no response word (trd-rules.md v2)."""
    if rating is None or rating.response is None or (rating.date is not None and rating.date > as_of):
        return None
    return rating


def _rated_outcome(rating: Rating) -> str:
    """Step 1 of Outcome: remission wins; else the number's band when given; else the word."""
    assert rating.response is not None  # _rating_as_of reads a rating without a word as none
    if rating.response == "remission":
        return "remission"
    if rating.improvement_pct is not None:
        return _band(rating.improvement_pct)
    return _WORD_OUTCOME[rating.response]


@dataclass(frozen=True)
class _Scope:
    """The episode the rules look at, the last day they look at in it, and its severity at onset."""

    episode: EpisodeRef | None
    window_end: date
    severity: str | None
    as_of: date
    caveat: str | None = None  # said when no episode is recorded
    approximate_caveat: str | None = None  # said when the episode's dates were entered as months or years


def _episode_scope(contents: JournalContents, as_of: date, assumed_start: date | None) -> _Scope:
    """The current episode (the latest started by `as_of`), or the whole journal as one when none is recorded.

    A partial start is read as its earliest day and a partial end as its latest, in both readings.
    """
    started = [e for e in contents.episodes if e.start <= as_of]
    if started:
        current = max(started, key=lambda e: (e.start, e.id))
        end = latest_day(current.end, current.end_precision) if current.end is not None else None
        ep_end_recorded = end if end is not None and end <= as_of else None
        episode = EpisodeRef(id=current.id, start=current.start, end=ep_end_recorded, assumed=False)
        rough = current.start_precision != "day" or (current.end is not None and current.end_precision != "day")
        approximate = "the episode's dates are approximate (entered as a month or a year)" if rough else None
        return _Scope(episode, ep_end_recorded or as_of, current.severity, as_of, approximate_caveat=approximate)
    # No episode: one from the earliest day any trial's first step could start (trd-rules.md v2).
    assumed = EpisodeRef(id=None, start=assumed_start, end=None, assumed=True) if assumed_start is not None else None
    caveat = (
        "No episode is recorded, so the whole journal is treated as one episode "
        + (f"from {_day(assumed.start)}, the earliest day a recorded trial could have started, " if assumed else "")
        + "up to the assessment date. Recording your current episode makes the verdict sharper."
    )
    return _Scope(assumed, as_of, None, as_of, caveat)


def _works(contents: JournalContents, all_spans: dict[str, list[_Span]], scope: _Scope, catalog: Catalog) -> list[_Work]:
    """Each trial with days inside the episode, as the rules' working state, in order of its first day there."""
    works: list[_Work] = []
    episode = scope.episode
    if episode is None:
        return works
    for trial in contents.trials:
        spans = all_spans[trial.id]
        inside = _clip(spans, episode.start, scope.window_end)
        if not inside:
            continue
        found = catalog.resolve(trial.drug)
        works.append(
            _Work(
                trial=trial,
                drug=found.generic if found is not None else trial.drug.strip(),
                key=_drug_key(found.generic if found is not None else None, trial.drug),
                catalog_drug=found,
                is_augmentation=trial.augmentation or (found is not None and found.is_augmentation),
                spans=spans,
                inside=inside,
            )
        )
    works.sort(key=lambda w: (w.first_day, w.trial.id))
    return works


def _judge_adequacy(w: _Work, weeks_days: int, settings: Settings, catalog: Catalog, as_of: date) -> None:
    """Whether the trial was taken at or above its minimum for the weeks the rule needs, with the reasons why."""
    trial, found = w.trial, w.catalog_drug
    _choose_minimum(w, catalog)
    if w.first_day > w.spans[0].start:
        w.caveats.append(f"started before this episode (on {_day(w.spans[0].start)}); only its days inside the episode count")

    if w.minimum is None:
        w.reasons.append("no minimum adequate dose known")
        if found is not None:
            w.reasons.append(catalog.minimum_label(found))
        else:
            w.reasons.append(
                f"the catalog does not know {w.drug}; if your clinician considers a dose adequate for you, "
                "enter it as your own minimum"
            )
        return

    runs = adequate_runs(w.inside, w.minimum)
    w.longest = max(((b - a).days + 1 for a, b in runs), default=0)
    reached = [(a, b) for a, b in runs if (b - a).days + 1 >= weeks_days]
    adequacy_date: date | None = None
    if reached:
        start = reached[0][0]
        adequacy_date = start + timedelta(days=weeks_days - 1)
        w.adequate_from, w.adequacy_date = start, adequacy_date
    poor = trial.adherence == "poor"
    w.adequate = adequacy_date is not None and not poor
    if w.adequate and adequacy_date is not None:
        w.reasons.append(
            f"{settings.adequate_weeks} weeks at an adequate dose (at least {_mg(w.minimum)} mg/day, {w.min_source}) "
            f"reached on {_day(adequacy_date)}; longest run {w.longest} days"
        )
        if trial.adherence is None:
            w.caveats.append("adherence not recorded (counted as taken as prescribed)")
        return
    _why_not_adequate(w, w.minimum, adequacy_date, weeks_days, settings, as_of)


def _choose_minimum(w: _Work, catalog: Catalog) -> None:
    """The minimum the trial is judged on: the person's own when given, else the catalog's (None when neither is)."""
    trial, found = w.trial, w.catalog_drug
    catalog_min = found.min_adequate_mg if found is not None else None
    if trial.min_adequate_mg is not None:
        w.minimum = trial.min_adequate_mg
        w.min_source = "your own minimum"
        if found is not None and catalog_min is not None and trial.min_adequate_mg < catalog_min:
            w.caveats.append(
                f"judged on your own minimum of {_mg(trial.min_adequate_mg)} mg/day, below the catalog's "
                f"{catalog.minimum_label(found)}"
            )
    elif found is not None and catalog_min is not None:
        w.minimum = catalog_min
        w.min_source = found.min_source


def _why_not_adequate(
    w: _Work, minimum: float, adequacy_date: date | None, weeks_days: int, settings: Settings, as_of: date
) -> None:
    """The outcome and reason of a trial that is not adequate: poor adherence, never at the minimum, stopped early, or still running."""
    trial = w.trial
    # Not still running (it ended, even on the as-of date, or its episode ended): a short run is too short.
    ended = not w.still_running
    if trial.adherence == "poor":
        w.outcome = "not-adequate"
        w.reasons.append("adherence recorded as poor, so this trial cannot count as adequate")
        if adequacy_date is not None:
            w.reasons.append(f"the dose was adequate for {settings.adequate_weeks} weeks by {_day(adequacy_date)}")
    elif w.longest == 0 and w.entered is not None and any(p.endswith("mg_per_day") for p in w.entered.paths):
        w.outcome = "not-adequate"
        w.reasons.append(
            f"the dose is not recorded, so it is not taken as adequate ({_mg(minimum)} mg/day or more would be, {w.min_source})"
        )
    elif w.longest == 0:
        w.outcome = "not-adequate"
        w.reasons.append(f"the dose never reached the minimum adequate dose ({_mg(minimum)} mg/day, {w.min_source}) in this episode")
    elif ended:
        w.outcome = "too-short"
        w.reasons.append(
            f"stopped after {_days(w.longest)} at an adequate dose, short of {settings.adequate_weeks} weeks "
            f"({weeks_days} days); stopping early is never counted as a failure"
        )
    else:
        w.outcome = "not-adequate"
        w.reasons.append(
            f"still running: {_days(w.longest)} at an adequate dose so far, {settings.adequate_weeks} weeks "
            f"({weeks_days} days) needed"
        )


def _judge_outcome(w: _Work, settings: Settings, primary: list[ScaleScore], as_of: date) -> None:
    """The trial's outcome from the person's own rating, else from the primary scale; and whether it failed."""
    trial = w.trial
    rating = _rating_as_of(trial.rating, as_of)
    if rating is not None and rating.improvement_pct is not None:
        w.improvement = float(rating.improvement_pct)
    if not w.adequate:
        if w.improvement is None and w.adequacy_date is not None:
            _score_evidence(w, settings, primary, record=False)
        return

    if rating is not None:
        _rating_evidence(w, rating, as_of)
        if w.improvement is None:
            # The rating gave no number: the improvement shown is the scores' (trd-rules.md), the outcome stays the rating's.
            _score_evidence(w, settings, primary, record=False)
    elif w.entered is not None and w.entered.dates_partial:
        # A remembered span cannot be placed against dated scores: only the person's rating judges it.
        w.outcome = "unknown"
        w.reasons.append("outcome not recorded: say how well it worked")
    else:
        _score_evidence(w, settings, primary, record=True)

    if w.outcome == "non-response" or (w.outcome == "partial" and settings.failure_threshold_pct == 50):
        # A failing outcome always has its evidence dated, and an adequate trial its adequacy date.
        assert w.adequacy_date is not None and w.evidence_date is not None
        w.failed = True
        w.failure_date = max(w.adequacy_date, w.evidence_date)
        if w.still_running:
            w.caveats.append("judged while still running: a later score can change it")
    elif w.outcome == "partial":
        w.reasons.append("a partial response is not a failure under the stricter 25 % rule")


def _rating_evidence(w: _Work, rating: Rating, as_of: date) -> None:
    """The outcome the person's own rating gives (its number wins over its word), and the day it speaks for."""
    assert rating.response is not None  # _rating_as_of reads a rating without a word as none
    word = _WORD_OUTCOME[rating.response]
    if rating.response == "remission":
        outcome = "remission"
        if rating.improvement_pct is not None and _band(rating.improvement_pct) != "response":
            w.reasons.append(
                f"your rating says remission but gives {_mg(rating.improvement_pct)} % improvement; remission was used"
            )
    elif rating.improvement_pct is not None:
        outcome = _band(rating.improvement_pct)
        if outcome != word:
            w.reasons.append(
                f"your rating says \"{rating.response}\" but the {_mg(rating.improvement_pct)} % improvement you gave "
                f"means {outcome}; the number was used"
            )
    else:
        outcome = word
    w.outcome = outcome
    last = w.last_day_inside
    if rating.date is not None:
        # A judgement written down after the trial's last day in the episode says how it went, not when it failed.
        w.evidence_date = min(rating.date, last)
    else:
        w.evidence_date = last
        if last == as_of:
            w.caveats.append(
                "your rating has no date, so it is dated to the assessment date while the trial runs; "
                "the failure date will move"
            )
    pct = f", {_mg(rating.improvement_pct)} % improvement" if rating.improvement_pct is not None else ""
    if rating.date is None:
        dated = f"undated, taken as {_day(w.evidence_date)}"
    elif rating.date > last:
        dated = f"{_day(rating.date)}, after its last day in this episode, so taken as {_day(last)}"
    else:
        dated = _day(rating.date)
    w.reasons.append(f"outcome {outcome} from your own rating (\"{rating.response}\"{pct}; {dated})")


def _score_evidence(w: _Work, settings: Settings, primary: list[ScaleScore], *, record: bool) -> None:
    """Outcome from the primary scale: baseline before the first day, outcome score once adequate."""
    scale = settings.primary_scale
    first = w.first_day
    baseline = _latest_by_date(primary, first - timedelta(days=BASELINE_WINDOW_DAYS), first)
    outcome_score = _latest_by_date(primary, w.adequacy_date, w.last_day_inside) if w.adequacy_date else None
    if baseline is None or outcome_score is None or baseline.total == 0:
        if record:
            w.outcome = "unknown"
            w.reasons.append("outcome not recorded")
            if baseline is None:
                w.reasons.append(
                    f"no {scale} score in the 28 days up to the trial's first day ({_day(first)}) to compare with, "
                    "and no rating of your own"
                )
            elif baseline.total == 0:
                w.reasons.append(f"the {scale} baseline on {_day(baseline.date)} is 0, so improvement cannot be measured")
            else:
                assert w.adequacy_date is not None  # a scale's evidence is recorded only for an adequate trial
                w.reasons.append(
                    f"no {scale} score between {_day(w.adequacy_date)} (adequate from then) and {_day(w.last_day_inside)}, "
                    "and no rating of your own"
                )
        return
    pct = (baseline.total - outcome_score.total) / baseline.total * 100
    if not record:
        w.improvement = round_pct(pct)
        return
    w.improvement = round_pct(pct)
    w.evidence_date = outcome_score.date
    if outcome_score.total <= REMISSION_MAX[scale]:
        w.outcome = "remission"
    else:
        w.outcome = _band(pct)
    w.reasons.append(
        f"outcome {w.outcome} from {scale}: {baseline.total} on {_day(baseline.date)} before the trial, "
        f"{outcome_score.total} on {_day(outcome_score.date)} at an adequate dose ({round_pct(pct):g} % improvement)"
    )


def _count(works: list[_Work], settings: Settings) -> None:
    """Which failed trials count toward the two-trial rule: one per drug, add-ons only when the rule counts them."""
    antidepressants = [w for w in works if _is_antidepressant(w)]
    eligible: list[_Work] = []
    for w in works:
        if w.is_augmentation:
            with_ad = any(_overlap(w.inside, a.inside) for a in antidepressants)
            if not settings.count_augmentation:
                w.reasons.append("augmentation not counted under this rule")
                continue
            if not with_ad:
                w.reasons.append("taken without an antidepressant")
                continue
        if w.failed:
            eligible.append(w)
    first_per_drug: dict[str, _Work] = {}
    # Among eligible trials each drug counts once, by the earliest failure date; on one date, the first in the file.
    for w in sorted(eligible, key=_failure_order):
        if w.key in first_per_drug:
            w.reasons.append("same drug as an earlier failed trial (optimisation, not a new trial)")
            continue
        first_per_drug[w.key] = w
        assert w.failure_date is not None  # every failed trial has its failure date
        w.counts = True
        w.reasons.append(f"failed on {_day(w.failure_date)}: counts toward the two-trial rule")
        if w.catalog_drug is None:
            w.caveats.append("counted on your own minimum for a drug the catalog does not know")
    taken = [w for w in works if not w.is_augmentation]
    for w in taken:
        partners = [o.drug for o in taken if o is not w and _overlap(w.inside, o.inside)]
        if partners:
            w.caveats.append("taken together with " + ", ".join(sorted(set(partners))))


def _failure_order(w: _Work) -> tuple[date, int]:
    assert w.failure_date is not None  # only failed trials are ordered
    return (w.failure_date, w.entered.index if w.entered is not None else 0)


def _overlap(a: list[_Span], b: list[_Span]) -> bool:
    return bool(a and b) and a[0].start <= b[-1].end and b[0].start <= a[-1].end


def _maudsley(works: list[_Work], scope: _Scope, contents: JournalContents) -> Maudsley:
    """The Maudsley Staging Method's score of the episode, or what is missing for it."""
    missing: list[str] = []
    parts: list[tuple[str, int]] = []
    episode, severity, window_end = scope.episode, scope.severity, scope.window_end
    if episode is None:
        return Maudsley(score=None, band=None, missing=("episode",))
    days = (window_end - episode.start).days + 1
    duration = 1 if days <= 365 else 2 if days <= 730 else 3
    parts.append((f"duration ({days} days)", duration))
    if severity is None:
        missing.append("severity")
    else:
        parts.append((f"severity at episode start ({severity.replace('_', ' ')})", MAUDSLEY_SEVERITY[severity]))
    failed_drugs = {w.key for w in works if w.failed and w.adequate and not w.is_augmentation}
    n = len(failed_drugs)
    if n == 0:
        missing.append("no failed antidepressant")
    else:
        points = 1 if n <= 2 else 2 if n <= 4 else 3 if n <= 6 else 4 if n <= 10 else 5
        parts.append((f"failed antidepressants ({n})", points))
    if any(w.is_augmentation for w in works):
        parts.append(("augmentation used", 1))
    if any(s.treatment == "ect" and episode.start <= s.date <= window_end for s in contents.sessions):
        parts.append(("ECT used", 1))
    if missing:
        return Maudsley(score=None, band=None, missing=tuple(missing), parts=tuple(parts))
    score = sum(p for _, p in parts)
    band = "mild" if score <= 6 else "moderate" if score <= 10 else "severe"
    return Maudsley(score=score, band=band, missing=(), parts=tuple(parts))


def _verdict(w: _Work) -> TrialVerdict:
    return TrialVerdict(
        id=w.trial.id,
        drug=w.drug,
        adequate=w.adequate,
        longest_adequate_run_days=w.longest,
        adequacy_date=w.adequacy_date,
        outcome=w.outcome,
        improvement_pct=None if w.improvement is None else round_pct(w.improvement),
        failure_date=w.failure_date,
        counts=w.counts,
        reasons=tuple(w.reasons),
        caveats=tuple(w.caveats),
        augmentation=w.is_augmentation,
        custom=w.catalog_drug is None,
        still_running=w.still_running,
        failed=w.failed,
        first_day=w.first_day,
        last_day=w.last_day_inside,
        adequate_from=w.adequate_from,
        min_adequate_mg=w.minimum,
        min_source=w.min_source,
    )


def rule_text(settings: Settings, audience: str = PERSON) -> str:
    """The rule applied, in plain words for its reader (journal.clinical.audiences.AUDIENCES), with the settings that shape it."""
    whose = "your own rating" if audience == PERSON else "the person's own rating"
    text = (
        f"Rule: at least 2 different antidepressants in the current episode, each taken at or above its minimum "
        f"adequate dose for at least {settings.adequate_weeks} weeks with adherence not recorded as poor, that did not "
        f"work: less than {settings.failure_threshold_pct} % improvement"
        + (" (a partial response counts as not working)" if settings.failure_threshold_pct == 50 else "")
        + f", judged by {whose} or else by {settings.primary_scale} scores."
    )
    if settings.count_augmentation:
        text += (
            " Failed add-on (augmentation) treatments taken with an antidepressant are counted too, as the MGH-ATRQ does;"
            " this goes beyond the FDA/EMA definition."
        )
    else:
        text += " Add-on (augmentation) treatments are not counted, as in the FDA/EMA definition."
    return text


def therapy_line(p: TherapyVerdict) -> str:
    """A psychotherapy course in a line: "CBT, Sep 2021 to Jan 2022, 16 sessions: partial response"."""
    kind = words_for(THERAPY_KIND, p.kind)
    name = f" ({p.name})" if p.name and p.name != kind else ""
    until = f" to {date_words(p.end, p.end_precision)}" if p.end is not None else ", ongoing"
    sessions = f", {p.sessions} session{'s' if p.sessions != 1 else ''}" if p.sessions is not None else ""
    return f"{kind}{name}, {date_words(p.start, p.start_precision)}{until}{sessions}: {outcome_words(p.outcome)}"


def outcome_words(outcome: str) -> str:
    """An outcome code in plain words, with what it means (journal.words.OUTCOME, `explained`)."""
    words = OUTCOME.get(outcome)
    return words.explained if words is not None else outcome


def assessment_to_json(a: Assessment) -> dict:
    """The object `trial-journal assess --json` prints (spec/journal-json.md)."""
    s = a.settings
    return {
        "as_of": _day(a.as_of),
        "settings": {
            "adequate_weeks": s.adequate_weeks,
            "failure_threshold_pct": s.failure_threshold_pct,
            "count_augmentation": s.count_augmentation,
            "primary_scale": s.primary_scale,
        },
        "episode": None
        if a.episode is None
        else {
            "id": a.episode.id,
            "start": _day(a.episode.start),
            "end": _day(a.episode.end) if a.episode.end else None,
            "assumed": a.episode.assumed,
        },
        "maudsley": {"score": a.maudsley.score, "band": a.maudsley.band, "missing": list(a.maudsley.missing)},
        "failed_adequate_count": a.failed_adequate_count,
        "threshold_met": a.threshold_met,
        "threshold_date": _day(a.threshold_date) if a.threshold_date else None,
        "trials": [
            {
                "id": t.id,
                "drug": t.drug,
                "adequate": t.adequate,
                "longest_adequate_run_days": t.longest_adequate_run_days,
                "adequacy_date": _day(t.adequacy_date) if t.adequacy_date else None,
                "outcome": t.outcome,
                "improvement_pct": t.improvement_pct,
                "failure_date": _day(t.failure_date) if t.failure_date else None,
                "counts": t.counts,
                "reasons": list(t.reasons),
                "approximate": t.approximate,
                "could_count": t.could_count,
                "to_settle": list(t.to_settle),
            }
            for t in a.trials
        ],
        "caveats": list(a.caveats),
        "possible_count": a.possible_count,
        "threshold_possible": a.threshold_possible,
        "threshold_date_approximate": a.threshold_date_approximate,
        "therapies": [
            {
                "id": p.id,
                "kind": p.kind,
                "name": p.name,
                "start": date_text(p.start, p.start_precision),
                "end": date_text(p.end, p.end_precision) if p.end is not None else None,
                "sessions": p.sessions,
                "outcome": p.outcome,
            }
            for p in a.therapies
        ],
    }
