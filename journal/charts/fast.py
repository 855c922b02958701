"""Pixels kept between draws: the parts of the chart that look the same from one draw to the next are pasted, not drawn again.

Zooming and panning never change the legend or the y axes (score numbers, lane names), and a
rebuild after a change rarely does, yet drawing their text is about half of a redraw. The two
figure artists here draw them for real once on an on-screen Agg canvas, keep their pixels, and
paste them back while everything that decides their look stays the same. Saving a file (PDF,
SVG, PNG) always draws them for real.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from journal.charts.layout import text_pt

__all__ = ["LegendSlot", "StillYAxes", "forget_saved_pixels"]


# Pixels of the parts of the chart that look the same from one draw to the next, and mostly from
# one build to the next (the legend, the y axes' numbers and lane names): a zoom, a pan, or a
# rebuild after a change pastes them instead of drawing their text again. Each is keyed by
# everything that decides how it looks, so a different look is never pasted. In memory only;
# forget_saved_pixels() drops them (the window does when the journal locks).
_SAVED_PIXELS: OrderedDict = OrderedDict()
_SAVED_PIXELS_MAX = 8


def forget_saved_pixels() -> None:
    """Drop every saved piece of a drawn chart (they show drug names)."""
    _SAVED_PIXELS.clear()


def _saved_pixels(key: tuple):
    region = _SAVED_PIXELS.get(key)
    if region is not None:
        _SAVED_PIXELS.move_to_end(key)
    return region


def _save_pixels(key: tuple, region) -> None:
    _SAVED_PIXELS[key] = region
    _SAVED_PIXELS.move_to_end(key)
    while len(_SAVED_PIXELS) > _SAVED_PIXELS_MAX:
        _SAVED_PIXELS.popitem(last=False)


def _keeps_pixels(figure: Figure, renderer) -> bool:
    """Only a real on-screen Agg draw is kept and reused: saving a file, or a measuring pass with
    drawing switched off (its draw_* are then plain functions, not methods), always draws afresh."""
    return (
        hasattr(renderer, "copy_from_bbox")
        and inspect.ismethod(getattr(renderer, "draw_text", None))
        and not figure.canvas.is_saving()
    )


def _canvas_key(figure: Figure, renderer) -> tuple:
    return (getattr(renderer, "width", None), getattr(renderer, "height", None), renderer.dpi, to_rgba(figure.get_facecolor()))


def _handle_look(handle) -> tuple:
    """What a legend entry's symbol looks like (its colours, line, marker, hatch), as plain values."""
    if isinstance(handle, Line2D):
        return (
            "line", to_rgba(handle.get_color()), handle.get_linestyle(), handle.get_linewidth(), str(handle.get_marker()),
            handle.get_markersize(), str(handle.get_markerfacecolor()), str(handle.get_markeredgecolor()), handle.get_alpha(),
        )
    if isinstance(handle, Patch):
        return ("patch", handle.get_facecolor(), handle.get_edgecolor(), handle.get_hatch(), handle.get_alpha(), handle.get_linewidth())
    return (type(handle).__name__, repr(handle))


class LegendSlot(Artist):
    """The figure legend under both panels: as many columns as the figure's width holds, redrawn cheaply.

    The legend never changes when the view is zoomed or panned, and rarely when the chart is
    rebuilt, yet laying out and rasterising its entries is a quarter of a redraw; once drawn by
    Agg its pixels are pasted back (see _SAVED_PIXELS) while its entries, their look, the text
    and the figure's size stay the same. It sits outside both panels on the plain figure
    background, so the saved pixels hold nothing that moves. Other renderers (PDF, SVG) always
    draw it for real.
    """

    def __init__(self, figure: Figure, handles: list, fontsize: float, colour: str) -> None:
        super().__init__()
        self.set_figure(figure)
        self.chart: Figure = figure  # the same figure, typed as the whole figure it is
        self.set_zorder(5)
        self.handles = handles
        self.labels = [h.get_label() for h in handles]
        self.fontsize = fontsize
        self.colour = colour
        # Each label's width plus the handle, the gap after it and the gap to the next column (legend
        # defaults, in font sizes): the columns are as wide as their own longest label, not all as the longest.
        self.entry_pt = [text_pt(label, fontsize)[0] + (2.0 + 0.8 + 2.0) * fontsize for label in self.labels]
        self.legend: Legend | None = None
        self.rows = 0
        self._ncols: int | None = None
        self._look = (tuple(self.labels), fontsize, colour, tuple(_handle_look(h) for h in handles))
        self.fit(figure.get_figwidth())

    def fit(self, width_in: float) -> None:
        """Lay the entries out for a figure `width_in` inches wide (a new legend only when the columns change)."""
        room = width_in * 72.0 * 0.96 - 0.8 * self.fontsize
        ncols = 1
        for tried in range(len(self.handles), 1, -1):  # the most columns that fit: the fewest rows under the chart
            if self._width_pt(tried) <= room:
                ncols = tried
                break
        if ncols == self._ncols:
            return
        self._ncols = ncols
        self.rows = -(-len(self.handles) // ncols)
        self.legend = Legend(
            self.chart,
            self.handles,
            self.labels,
            loc="lower center",
            bbox_transform=self.chart.transSubfigure,
            ncols=ncols,
            fontsize=self.fontsize,
            frameon=False,
            labelcolor=self.colour,
        )

    def _width_pt(self, ncols: int) -> float:
        """The legend's width in `ncols` columns, split into runs as matplotlib's Legend splits them (numpy.array_split)."""
        count = len(self.entry_pt)
        size, extra = divmod(count, ncols)
        width, start = 0.0, 0
        for column in range(ncols):
            end = start + size + (1 if column < extra else 0)
            if end > start:
                width += max(self.entry_pt[start:end])
            start = end
        return width

    def height_pt(self) -> float:
        text_h = text_pt("Ag", self.fontsize)[1]
        # Border pad above and below plus the pad to the figure's edge, then the rows and the gaps between them.
        return (2 * 0.4 + 0.5) * self.fontsize + self.rows * text_h + max(0, self.rows - 1) * 0.5 * self.fontsize

    def get_window_extent(self, renderer=None):
        if self.legend is None:
            return super().get_window_extent(renderer)
        return self.legend.get_window_extent(renderer)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.legend is None:
            return
        usable = _keeps_pixels(self.chart, renderer)
        key = ("legend", _canvas_key(self.chart, renderer), self._look, self._ncols)
        saved = _saved_pixels(key) if usable else None
        if saved is not None:
            renderer.restore_region(saved)
        else:
            self.legend.draw(renderer)
            if usable:
                box = self.legend.get_window_extent(renderer).padded(2)
                _save_pixels(key, renderer.copy_from_bbox(box))
        self.stale = False


class StillYAxes(Artist):
    """The panels' y axes (score numbers, lane names, the axis label): pasted from saved pixels while they look the same.

    Zooming and panning never move a y axis, yet drawing their text is a third of a redraw. The
    panels' y axes are marked animated, so the panels leave them out of an on-screen draw, and
    this figure artist draws them first of all, on the bare background, into the margin left of
    the panels: for real when a limit, tick, name, text size, colour, size or dpi changed, keeping
    the margin's pixels after each axis (see _SAVED_PIXELS); pasted back otherwise. (The score
    axis never changes on zoom; the lane names do when other rows come into view, and then only
    they are drawn again.) Everything else that reaches into the margin (dates, the marker's
    label, the legend) is drawn after it, as before. Saving a file always draws the real axes
    where they belong (matplotlib draws animated artists when saving), and this artist then
    draws nothing.
    """

    def __init__(self, figure: Figure, axes: Sequence[Axes]) -> None:
        super().__init__()
        self.set_figure(figure)
        self.chart: Figure = figure  # the same figure, typed as the whole figure it is
        self.axes_list = list(axes)
        for ax in self.axes_list:
            ax.yaxis.set_animated(True)
        self.set_zorder(-1)  # before the panels (zorder 0): only the figure's background is drawn yet
        self.set_in_layout(False)

    @staticmethod
    def _axis_look(ax: Axes) -> tuple:
        """Everything that decides how a y axis looks, as plain values."""
        axis = ax.yaxis
        locs = [float(x) for x in axis.get_major_locator()()]
        names = tuple(axis.get_major_formatter().format_ticks(locs)) if locs else ()
        label = axis.label
        return (
            ax.get_ylim(), ax.bbox.bounds, tuple(locs), names, repr(sorted(axis.get_tick_params(which="major").items())),
            label.get_text(), label.get_fontsize(), to_rgba(label.get_color()), label.get_rotation(),
            tuple(label.get_transform().transform((0.0, 0.0))), axis.get_visible(),
        )

    def _margin(self) -> Bbox:
        # Agg clips each panel's contents at its left edge rounded to a pixel: the margin ends there
        right = round(min(ax.bbox.x0 for ax in self.axes_list))
        return Bbox.from_extents(0, 0, max(right, 0), round(self.chart.bbox.height))

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.chart.canvas.is_saving():
            return
        usable = _keeps_pixels(self.chart, renderer)
        margin = self._margin()
        keys = []
        if usable:
            key: tuple = ("y axes", _canvas_key(self.chart, renderer), margin.bounds)
            for ax in self.axes_list:
                ax.apply_aspect()
                key = (key, self._axis_look(ax))  # an axis's pixels also hold those drawn before it
                keys.append(key)
        first = 0
        for i in reversed(range(len(keys))):
            saved = _saved_pixels(keys[i])
            if saved is not None:
                renderer.restore_region(saved)
                first = i + 1
                break
        for i in range(first, len(self.axes_list)):
            ax = self.axes_list[i]
            ax.apply_aspect()  # as the panel's own draw would, before its axis is drawn
            ax.yaxis.draw(renderer)
            if usable and margin.width > 0:
                _save_pixels(keys[i], renderer.copy_from_bbox(margin))
        self.stale = False


