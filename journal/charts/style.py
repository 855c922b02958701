"""How the timeline looks: the colour-blind-safe colours of both themes, each series' line and marker, the lanes' geometry.

Plain values only (no matplotlib): the drawing modules read them, and a test can too.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Theme", "LIGHT", "DARK", "theme_for", "SCALE_STYLE", "DAILY_STYLE", "SESSION_MARKERS", "PHASE_FILL",
    "ROUGH_HATCH", "UNKNOWN_HATCH", "ADEQUATE_HATCH", "ADDON_HATCH", "RowGeometry", "ROUGH_LINE", "ROUGH_ALPHA",
]

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
_OI_ORANGE = "#E69F00"
_OI_SKY = "#56B4E9"
_OI_GREEN = "#009E73"
_OI_YELLOW = "#F0E442"
_OI_BLUE = "#0072B2"
_OI_VERMILLION = "#D55E00"
_OI_PURPLE = "#CC79A7"

# Shape and line style carry each series too, so colour is never the only signal.
SCALE_STYLE: dict[str, tuple[str, str | tuple, float]] = {
    "PHQ-9": ("o", "-", 2.0),
    "GAD-7": ("s", "--", 1.6),
    "QIDS-SR16": ("^", ":", 1.6),
    "MADRS": ("D", "-.", 1.6),
    "HAMD-17": ("v", (0, (5, 1, 1, 1, 1, 1)), 1.6),
}
DAILY_STYLE: dict[str, str | tuple] = {
    "mood": "-",
    "anxiety": "--",
    "sleep_quality": ":",
    "energy": "-.",
    "pain": (0, (3, 1, 1, 1)),
}
# Each session treatment's marker; the order is also the order of their rows when they start on one day.
SESSION_MARKERS = {"esketamine": "D", "ketamine_iv": "^", "ect": "s", "rtms": "P", "other": "X"}

# An esketamine or ketamine course's phase is told by the marker's fill as well as by words
# (legend and labels): filled in induction, half filled in optimisation, open in maintenance.
PHASE_FILL = {None: "full", "induction": "full", "optimisation": "bottom", "maintenance": "none"}
# Patterns that say what a stretch of a bar is without colour: the days a date remembered as a month or a
# year could fall on (faded, dotted), a dose not remembered (crossed, unfilled), the adequate-dose strip.
ROUGH_HATCH = "...."
UNKNOWN_HATCH = "xxx"
ADEQUATE_HATCH = "////"
ADDON_HATCH = "\\\\\\"  # an add-on's bar: hatched the other way from the adequate strip, so grey-scale print tells it apart
ROUGH_LINE: tuple = (0, (1.5, 1.5))  # the dotted outline of a remembered month or year
ROUGH_ALPHA = 0.35  # how much of the bar's colour a remembered month or year keeps

# Row geometry of the trial lanes (y grows downwards: the axis is inverted so the first row is on top).
BAR_BOTTOM = 0.15  # every dose bar sits on this line, so taller means a higher dose
BAR_MIN_H = 0.30
BAR_MAX_H = 0.60
STRIP = (0.20, 0.42)  # the hatched "adequate dose" strip under the bars
MIN_ROWS = 4  # a lone trial stays a bar, not a wall of colour


@dataclass(frozen=True)
class Theme:
    figure_bg: str
    axes_bg: str
    text: str
    muted: str
    grid: str
    episode: str
    episode_alpha: float
    band: str
    bar_text: str
    marker: str
    scale_colours: dict
    daily_colours: dict
    session_colours: dict
    bar_colours: dict
    # PHQ-9 bands: the lowest band's opacity, and how much more each higher band has (a dark window needs more)
    band_alpha: float = 0.02
    band_alpha_step: float = 0.04
    therapy: str = _OI_GREEN  # the psychotherapy courses' bars


LIGHT = Theme(
    figure_bg="#ffffff",
    axes_bg="#ffffff",
    text="#1a1a1a",
    muted="#4d4d4d",
    grid="#dcdcdc",
    episode="#7f7f7f",
    episode_alpha=0.13,
    band=_OI_VERMILLION,
    bar_text="#111111",
    marker=_OI_VERMILLION,
    scale_colours={"PHQ-9": _OI_BLUE, "GAD-7": _OI_VERMILLION, "QIDS-SR16": _OI_GREEN, "MADRS": _OI_PURPLE, "HAMD-17": _OI_ORANGE},
    daily_colours={"mood": _OI_SKY, "anxiety": _OI_VERMILLION, "sleep_quality": _OI_GREEN, "energy": _OI_ORANGE, "pain": "#000000"},
    session_colours={"esketamine": _OI_PURPLE, "ketamine_iv": _OI_ORANGE, "ect": _OI_GREEN, "rtms": _OI_BLUE, "other": "#000000"},
    bar_colours={"antidepressant": _OI_SKY, "augmentation": _OI_ORANGE},
)
DARK = Theme(
    figure_bg="#1b1b1d",
    axes_bg="#242427",
    text="#ececec",
    muted="#bdbdbd",
    grid="#3c3c41",
    episode="#d0d0d0",
    episode_alpha=0.09,
    band=_OI_VERMILLION,
    bar_text="#111111",
    marker=_OI_ORANGE,
    scale_colours={"PHQ-9": _OI_SKY, "GAD-7": _OI_VERMILLION, "QIDS-SR16": _OI_GREEN, "MADRS": _OI_PURPLE, "HAMD-17": _OI_ORANGE},
    daily_colours={"mood": _OI_YELLOW, "anxiety": _OI_VERMILLION, "sleep_quality": _OI_GREEN, "energy": _OI_ORANGE, "pain": "#ffffff"},
    session_colours={"esketamine": _OI_PURPLE, "ketamine_iv": _OI_ORANGE, "ect": _OI_GREEN, "rtms": _OI_SKY, "other": _OI_YELLOW},
    bar_colours={"antidepressant": _OI_SKY, "augmentation": _OI_ORANGE},
    band_alpha=0.03,
    band_alpha_step=0.08,
)


def theme_for(dark: bool) -> Theme:
    return DARK if dark else LIGHT


@dataclass(frozen=True)
class RowGeometry:
    """Where a bar sits in its row, in rows (y grows downwards): its bottom line, its lowest and highest dose's
    height, the adequate-dose strip, and the line session markers stand on."""

    bar_bottom: float = BAR_BOTTOM
    bar_min_h: float = BAR_MIN_H
    bar_max_h: float = BAR_MAX_H
    strip: tuple[float, float] = STRIP
    marker_y: float = 0.0
