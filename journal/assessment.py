"""The TRD assessment of trd-rules.md: a pure function of records, settings and an as-of date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from journal.records import Settings

OUTCOMES = ("remission", "response", "partial", "non-response", "unknown", "too-short", "not-adequate")


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
    failed: bool = False
    first_day: date | None = None
    last_day: date | None = None
    adequate_from: date | None = None
    min_adequate_mg: float | None = None
    min_source: str | None = None


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
    summary: str = ""
