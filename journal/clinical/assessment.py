"""The TRD assessment of trd-rules.md: a pure function of records, settings and an as-of date.

`assess` runs the rules in named steps: the episode in question, each trial's days inside it,
each trial's adequacy, then its outcome, then which failed trials count. The verdict's words for
each reader are made from its result by journal.clinical.verdict_words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from journal.clinical.audiences import PERSON
from journal.clinical.catalog import Catalog, Drug, custom_drug_key, load_catalog
from journal.records import JournalContents, Rating, ScaleScore, Settings, Trial
from journal.words import OUTCOME


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
            spans.append(_Span(step.start, end, step.mg_per_day))
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

    @property
    def first_day(self) -> date:
        return self.inside[0].start

    @property
    def last_day_inside(self) -> date:
        return self.inside[-1].end

    @property
    def last_covered(self) -> date:
        return self.spans[-1].end


def assess(
    contents: JournalContents,
    settings: Settings | None = None,
    as_of: date | None = None,
    catalog: Catalog | None = None,
) -> Assessment:
    """Applies trd-rules.md to the journal as of a date (today unless given)."""
    if catalog is None:
        catalog = load_catalog()
    settings = settings or contents.settings
    as_of = as_of or date.today()

    # Every trial's covered days as of the date.
    all_spans = {t.id: covered_spans(t, as_of) for t in contents.trials}
    scope = _episode_scope(contents, all_spans, as_of)
    caveats: list[str] = [scope.caveat] if scope.caveat else []
    works = _works(contents, all_spans, scope, catalog)

    weeks_days = settings.adequate_weeks * 7
    primary = [s for s in contents.scores if s.scale == settings.primary_scale and s.date <= as_of]
    for w in works:
        _judge_adequacy(w, weeks_days, settings, catalog, as_of)
        _judge_outcome(w, settings, primary, as_of)
    _count(works, settings)

    counted = sorted((w for w in works if w.counts), key=lambda w: (w.failure_date, w.first_day, w.trial.id))
    threshold_met = len(counted) >= 2
    if settings.count_augmentation and any(w.counts and w.is_augmentation for w in works):
        caveats.append(
            "A failed augmentation (add-on) treatment is counted, as the MGH-ATRQ does; this goes beyond the "
            "FDA/EMA definition, which counts different antidepressants."
        )
    for w in works:
        caveats.extend(trial_caveat(w.drug, w.trial.id, c) for c in w.caveats)

    episode = scope.episode
    episode_ended = episode is not None and episode.end is not None and episode.end < as_of
    return Assessment(
        as_of=as_of,
        settings=settings,
        episode=episode,
        maudsley=_maudsley(works, scope, contents),
        failed_adequate_count=len(counted),
        threshold_met=threshold_met,
        threshold_date=counted[1].failure_date if threshold_met else None,
        trials=tuple(
            _verdict(w, still_running=not episode_ended and (w.trial.end is None or w.trial.end > as_of)) for w in works
        ),
        caveats=tuple(caveats),
        rule=rule_text(settings),
    )


@dataclass(frozen=True)
class _Scope:
    """The episode the rules look at, the last day they look at in it, and its severity at onset."""

    episode: EpisodeRef | None
    window_end: date
    severity: str | None
    caveat: str | None = None  # said when no episode is recorded


def _episode_scope(contents: JournalContents, all_spans: dict[str, list[_Span]], as_of: date) -> _Scope:
    """The current episode (the latest started by `as_of`), or the whole journal as one when none is recorded."""
    started = [e for e in contents.episodes if e.start <= as_of]
    if started:
        current = max(started, key=lambda e: (e.start, e.id))
        ep_end_recorded = current.end if current.end is not None and current.end <= as_of else None
        episode = EpisodeRef(id=current.id, start=current.start, end=ep_end_recorded, assumed=False)
        return _Scope(episode, ep_end_recorded or as_of, current.severity)
    firsts = [spans[0].start for spans in all_spans.values() if spans]
    assumed = EpisodeRef(id=None, start=min(firsts), end=None, assumed=True) if firsts else None
    caveat = (
        "No episode is recorded, so the whole journal is treated as one episode "
        + (f"from {_day(assumed.start)}, the first day of a recorded trial, " if assumed else "")
        + "up to the assessment date. Recording your current episode makes the verdict sharper."
    )
    return _Scope(assumed, as_of, None, caveat)


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
    ended = trial.end is not None and trial.end <= as_of
    if trial.adherence == "poor":
        w.outcome = "not-adequate"
        w.reasons.append("adherence recorded as poor, so this trial cannot count as adequate")
        if adequacy_date is not None:
            w.reasons.append(f"the dose was adequate for {settings.adequate_weeks} weeks by {_day(adequacy_date)}")
    elif w.longest == 0:
        w.outcome = "not-adequate"
        w.reasons.append(f"the dose never reached the minimum adequate dose ({_mg(minimum)} mg/day, {w.min_source}) in this episode")
    elif ended:
        w.outcome = "too-short"
        w.reasons.append(
            f"stopped after {w.longest} days at an adequate dose, short of {settings.adequate_weeks} weeks "
            f"({weeks_days} days); stopping early is never counted as a failure"
        )
    else:
        w.outcome = "not-adequate"
        w.reasons.append(
            f"still running: {w.longest} days at an adequate dose so far, {settings.adequate_weeks} weeks "
            f"({weeks_days} days) needed"
        )


def _judge_outcome(w: _Work, settings: Settings, primary: list[ScaleScore], as_of: date) -> None:
    """The trial's outcome from the person's own rating, else from the primary scale; and whether it failed."""
    trial = w.trial
    rating = trial.rating if trial.rating is not None and (trial.rating.date is None or trial.rating.date <= as_of) else None
    ongoing = trial.end is None or trial.end > as_of
    if rating is not None and rating.improvement_pct is not None:
        w.improvement = float(rating.improvement_pct)
    if not w.adequate:
        if w.improvement is None and w.adequacy_date is not None:
            _score_evidence(w, settings, primary, record=False)
        return

    if rating is not None:
        _rating_evidence(w, rating, ongoing)
        if w.improvement is None:
            # The rating gave no number: the improvement shown is the scores' (trd-rules.md), the outcome stays the rating's.
            _score_evidence(w, settings, primary, record=False)
    else:
        _score_evidence(w, settings, primary, record=True)

    if w.outcome == "non-response" or (w.outcome == "partial" and settings.failure_threshold_pct == 50):
        # A failing outcome always has its evidence dated, and an adequate trial its adequacy date.
        assert w.adequacy_date is not None and w.evidence_date is not None
        w.failed = True
        w.failure_date = max(w.adequacy_date, w.evidence_date)
        if ongoing:
            w.caveats.append("judged while still running: a later score can change it")
    elif w.outcome == "partial":
        w.reasons.append("a partial response is not a failure under the stricter 25 % rule")


def _rating_evidence(w: _Work, rating: Rating, ongoing: bool) -> None:
    """The outcome the person's own rating gives (its number wins over its word), and the day it speaks for."""
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
    if rating.date is not None:
        w.evidence_date = rating.date
    else:
        w.evidence_date = w.last_covered
        if ongoing:
            w.caveats.append(
                "your rating has no date, so it is dated to the assessment date while the trial runs; "
                "the failure date will move"
            )
    pct = f", {_mg(rating.improvement_pct)} % improvement" if rating.improvement_pct is not None else ""
    dated = _day(rating.date) if rating.date else f"undated, taken as {_day(w.evidence_date)}"
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
    antidepressants = [w for w in works if not w.is_augmentation]
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
    for w in sorted(eligible, key=lambda w: (w.failure_date, w.first_day, w.trial.id)):
        if w.key in first_per_drug:
            w.reasons.append("same drug as an earlier failed trial (optimisation, not a new trial)")
            continue
        first_per_drug[w.key] = w
        assert w.failure_date is not None  # every failed trial has its failure date
        w.counts = True
        w.reasons.append(f"failed on {_day(w.failure_date)}: counts toward the two-trial rule")
        if w.catalog_drug is None:
            w.caveats.append("counted on your own minimum for a drug the catalog does not know")
    for w in antidepressants:
        partners = [o.drug for o in antidepressants if o is not w and _overlap(w.inside, o.inside)]
        if partners:
            w.caveats.append("taken together with " + ", ".join(sorted(set(partners))))


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


def _verdict(w: _Work, *, still_running: bool) -> TrialVerdict:
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
        still_running=still_running,
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
            }
            for t in a.trials
        ],
        "caveats": list(a.caveats),
    }
