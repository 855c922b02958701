"""The timeline chart: scale scores above, one lane per trial below, on one shared date axis.

Version 2 journals draw as entered: a date remembered as a month or a year is faded and dotted
over the whole month or year ("~Mar 2019"), a dose not remembered is crossed and named,
psychotherapy courses share a row of their own, session phases are named, the threshold is
"by about" a remembered month, and one that may be met is said in words, never at a date.

One idea per module, top to bottom:
- `choices`: what the chart can be asked to show (presets, extra scales, the marker's words);
- `style`: colours, line styles, markers and the lanes' geometry;
- `model`: what the chart shows, as plain data worked out from the journal (no matplotlib);
- `timeline`: `build_timeline`, drawing that data onto a matplotlib figure;
- `update`: `update_timeline`, the drawn chart brought up to date after a change (new points, or drawn again);
- `view`: the drawn `Timeline`, the days in view (`set_range`, `pan`) and hover words;
- `layout`: fixed margins and the panels stretched between them;
- `printed`: the chart on paper (`for_print=True`): every row named, every dose step labelled where it
  fits, call-outs above the panels, and `print_height`, the height a page should give it;
- `fast`: pixels of the legend and y axes kept between draws, so a zoom or pan redraws little.

Importing this package loads none of them: each name below is loaded from its module when first
used, so the window can read the choices before matplotlib is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.charts.choices import MARKER_LABEL, PRESETS
    from journal.charts.fast import forget_saved_pixels
    from journal.charts.model import (
        EXTRA_SCALES,
        Band,
        BarPiece,
        DoseSegment,
        EpisodeSpan,
        SessionLane,
        SessionMarker,
        TherapyCourse,
        TherapyLane,
        ThresholdMarker,
        TimelineOptions,
        TrialLane,
        format_day,
        range_for_preset,
        rolling_mean_7,
        treatment_range,
        trial_numbers,
    )
    from journal.charts.printed import print_height
    from journal.charts.style import SESSION_MARKERS
    from journal.charts.timeline import build_timeline
    from journal.charts.update import update_timeline
    from journal.charts.view import Timeline, TimelineArtists, pan, refit, set_range

# each name others import, and the module it lives in
_HOMES = {
    "MARKER_LABEL": "choices",
    "PRESETS": "choices",
    "SESSION_MARKERS": "style",
    "EXTRA_SCALES": "model",
    "TimelineOptions": "model",
    "Band": "model",
    "DoseSegment": "model",
    "BarPiece": "model",
    "TherapyCourse": "model",
    "TherapyLane": "model",
    "TrialLane": "model",
    "SessionLane": "model",
    "SessionMarker": "model",
    "EpisodeSpan": "model",
    "ThresholdMarker": "model",
    "format_day": "model",
    "range_for_preset": "model",
    "rolling_mean_7": "model",
    "trial_numbers": "model",
    "treatment_range": "model",
    "print_height": "printed",
    "build_timeline": "timeline",
    "update_timeline": "update",
    "Timeline": "view",
    "TimelineArtists": "view",
    "set_range": "view",
    "pan": "view",
    "refit": "view",
    "forget_saved_pixels": "fast",
}

__all__ = [
    "MARKER_LABEL",
    "PRESETS",
    "SESSION_MARKERS",
    "EXTRA_SCALES",
    "TimelineOptions",
    "Band",
    "DoseSegment",
    "BarPiece",
    "TherapyCourse",
    "TherapyLane",
    "TrialLane",
    "SessionLane",
    "SessionMarker",
    "EpisodeSpan",
    "ThresholdMarker",
    "format_day",
    "range_for_preset",
    "rolling_mean_7",
    "trial_numbers",
    "treatment_range",
    "print_height",
    "build_timeline",
    "update_timeline",
    "Timeline",
    "TimelineArtists",
    "set_range",
    "pan",
    "refit",
    "forget_saved_pixels",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
