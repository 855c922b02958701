"""Where the timeline's panels sit: fixed margins in inches, measured once from the text they hold.

The panels stretch between the margins; zoom and pan never change them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import LayoutEngine
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.transforms import ScaledTranslation

from journal.charts.model import TimelineOptions

__all__ = ["TimelineLayout", "text_pt", "lay_out", "ANXIETY_RATIO"]

ANXIETY_RATIO = 0.32  # GAD-7's panel, as a share of the score panel's height
# The most of the chart's height the legend may take; beyond it (large text on a short screen) it is hidden for room.
LEGEND_MOST_SHARE = 0.4


class _Wrapping(Protocol):
    """The legend under the panels, as the layout sees it: it wraps to a width and says how tall it then is."""

    def fit(self, width_in: float) -> None: ...

    def height_pt(self) -> float: ...

    def full_height_pt(self) -> float: ...

    def hide_for_room(self, hidden: bool) -> None: ...


class TimelineLayout(LayoutEngine):
    """Keeps fixed margins in inches (measured once, at build) and stretches the two panels between them.

    Constrained layout measures every tick label and legend entry on every draw, which costs
    more than drawing the data; zooming and panning never change the margins, and a resize
    only needs the panels stretched.
    """

    _adjust_compatible = False
    _colorbar_gridspec = False

    def __init__(
        self,
        score_ax: Axes,
        trial_ax: Axes,
        daily_ax: Axes | None,
        ratios: tuple[float, float],
        margins: tuple[float, float, float, float, float],
        legend: _Wrapping | None = None,
        fit_height: Callable[[float], None] | None = None,
        anxiety_ax: Axes | None = None,
        anxiety_ratio: float = 0.0,
    ) -> None:
        super().__init__()
        self.anxiety_ax = anxiety_ax  # GAD-7's own small panel between the scores and the lanes
        self.anxiety_ratio = anxiety_ratio if anxiety_ax is not None else 0.0
        self.legend = legend
        self.fit_height = fit_height  # told the score panel's height in points, to fit its text to it
        self.score_ax = score_ax
        self.trial_ax = trial_ax
        self.daily_ax = daily_ax
        self.ratios = ratios
        self.margins = margins  # left, right, top, bottom (without the legend), gap between the panels (inches)

    def execute(self, fig) -> None:
        left, right, top, bottom, gap = self.margins
        width, height = fig.get_size_inches()
        if self.legend is not None:
            self.legend.fit(width)  # a narrower window wraps the legend onto more rows
            self.legend.hide_for_room(self.legend.full_height_pt() / 72.0 > LEGEND_MOST_SHARE * height)
            bottom += self.legend.height_pt() / 72.0
        gaps = gap * (2 if self.anxiety_ax is not None else 1)
        panel_w = max(0.2, width - left - right)
        panels_h = max(0.4, height - top - bottom - gaps)
        total = self.ratios[0] + self.ratios[1] + self.anxiety_ratio
        score_h = panels_h * self.ratios[0] / total
        anxiety_h = panels_h * self.anxiety_ratio / total
        trial_h = panels_h - score_h - anxiety_h
        if self.fit_height is not None:
            self.fit_height(score_h * 72.0)
        x0 = min(left, max(0.0, width - panel_w)) / width
        w = panel_w / width
        bottom = min(bottom, max(0.0, height - panels_h - gaps))
        score_rect = (x0, (bottom + trial_h + anxiety_h + gaps) / height, w, score_h / height)
        self.score_ax.set_position(score_rect)
        if self.daily_ax is not None:
            self.daily_ax.set_position(score_rect)
        if self.anxiety_ax is not None:
            self.anxiety_ax.set_position((x0, (bottom + trial_h + gap) / height, w, anxiety_h / height))
        self.trial_ax.set_position((x0, bottom / height, w, trial_h / height))


_TEXT_PATH = TextToPath()


@lru_cache(maxsize=1024)
def text_pt(text: str, size_pt: float) -> tuple[float, float]:
    """Width and height (with descent) of one line of text in points, without needing a renderer."""
    if not text:
        return 0.0, 0.0
    w, h, _ = _TEXT_PATH.get_text_width_height_descent(text, FontProperties(size=size_pt), ismath=False)
    return float(w), float(h)


def lay_out(
    figure: Figure,
    score_ax: Axes,
    trial_ax: Axes,
    daily_ax: Axes | None,
    ratios: tuple[float, float],
    row_labels: list[str],
    options: TimelineOptions,
    legend: _Wrapping | None,
    band_texts: Sequence[Text] = (),
    anxiety_ax: Axes | None = None,
) -> None:
    """Measure the margins once from the text they must hold and fix them; zoom and pan only move the limits."""
    tick_pt, label_pt = options.text(9), options.text(10)
    widest = sorted(set(row_labels), key=len, reverse=True)[:4] + ["00"]
    tick_w = max(text_pt(label, tick_pt)[0] for label in widest)
    label_h = text_pt("score (total)", label_pt)[1]
    line_h = text_pt("Ag", tick_pt)[1]
    tick_room = 7.0  # tick length and pad, in points
    left = 6.0 + label_h + 4.0 + tick_w + tick_room
    # a daily axis has its numbers and name on the right; without one, the last date label overhangs the panel
    right = 6.0 + tick_room + text_pt("10", tick_pt)[0] + 4.0 + label_h if daily_ax is not None else 8.0 + text_pt("2025", tick_pt)[0] / 2.0
    bottom = 4.0 + tick_room + 2 * line_h + 6.0  # the dates and the year under them; the legend adds its own
    margins = (left / 72.0, right / 72.0, 8.0 / 72.0, bottom / 72.0, 6.0 / 72.0)
    fit_height = _height_fitter(score_ax, daily_ax, band_texts, label_pt, text_pt("Ag", options.text(7.5))[1])
    layout = TimelineLayout(
        score_ax, trial_ax, daily_ax, ratios, margins, legend, fit_height, anxiety_ax, ANXIETY_RATIO * ratios[0]
    )
    # Axis labels at fixed offsets beside the tick labels: left to matplotlib, every axis measures
    # all its tick labels and the panel's frame on each draw just to place its label.
    numbers_w = text_pt("00", tick_pt)[0] + tick_room + 3.0
    for ax in (score_ax, anxiety_ax):
        if ax is not None:
            ax.yaxis.set_label_coords(
                0.0, 0.5, transform=ax.transAxes + ScaledTranslation(-numbers_w / 72.0, 0.0, figure.dpi_scale_trans)
            )
    if daily_ax is not None:
        daily_ax.yaxis.set_label_coords(
            1.0, 0.5, transform=daily_ax.transAxes + ScaledTranslation(numbers_w / 72.0, 0.0, figure.dpi_scale_trans)
        )
    for axis in (score_ax.xaxis, trial_ax.xaxis, trial_ax.yaxis, *((anxiety_ax.xaxis,) if anxiety_ax is not None else ())):
        axis.set_label_coords(0.5, 0.5)  # unlabelled; this only turns the measuring off
    figure.set_layout_engine(layout)
    layout.execute(figure)


def _shorter_forms(label: str) -> list[str]:
    """An axis title and its shorter forms: without what is in brackets, then its last word ("check-in")."""
    forms = [label, label.split(" (")[0]]
    forms.append(forms[-1].split(" ")[-1])
    return list(dict.fromkeys(f for f in forms if f))


def _height_fitter(
    score_ax: Axes, daily_ax: Axes | None, band_texts: Sequence[Text], label_pt: float, band_text_h: float
) -> Callable[[float], None]:
    """What the score panel does when its height is known: a short panel (a laptop at 150 % text) takes
    the shorter form of an axis title that would run past its ends, and every other band name when
    the names would overlap; a taller one shows them all again."""
    titles = [(ax, _shorter_forms(ax.get_ylabel())) for ax in (score_ax, daily_ax) if ax is not None and ax.get_ylabel()]
    low, high = score_ax.get_ylim()
    centres = sorted(text.get_position()[1] for text in band_texts)
    spacing = min((b - a for a, b in zip(centres, centres[1:], strict=False)), default=0.0)  # each band and the next

    def fit(height_pt: float) -> None:
        # runs before every draw (a zoom or pan too): it changes an artist only when the height asks for it
        for ax, forms in titles:
            fitting = [f for f in forms if text_pt(f, label_pt)[0] <= height_pt]
            title = fitting[0] if fitting else forms[-1]
            if ax.get_ylabel() != title:
                ax.set_ylabel(title)
        if band_texts and spacing > 0 and high > low:
            spacing_pt = spacing * height_pt / (high - low)
            step = max(1, math.ceil(band_text_h * 1.5 / spacing_pt))  # half a line between names, or every other one
            last = len(band_texts) - 1  # the top band, which names the scale, is always shown
            for i, text in enumerate(band_texts):
                shown = (last - i) % step == 0
                if text.get_visible() != shown:
                    text.set_visible(shown)

    return fit
