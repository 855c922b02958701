"""What the timeline can be asked to show, importable without matplotlib (or the records).

The range presets, the extra scales, the marker's words.
"""

from __future__ import annotations

__all__ = ["MARKER_LABEL", "PRESETS", "extra_scales"]

MARKER_LABEL = "TRD criteria appear met"
# "treatment": the current episode and recent treatment (journal.charts.model.treatment_range), the window's first view
PRESETS = ("3 months", "1 year", "all", "treatment")


def extra_scales() -> tuple[str, ...]:
    """The scales the chart can show beside PHQ-9, in journal.records' order."""
    from journal.records import ALL_SCALES

    return tuple(s for s in ALL_SCALES if s != "PHQ-9")
