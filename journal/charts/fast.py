"""Pixels kept between draws: the parts of the chart that look the same from one draw to the next are pasted, not drawn again.

Zooming and panning never change the legend or the y axes (score numbers, lane names), and a
rebuild after a change rarely does, yet drawing their text is about half of a redraw. The two
figure artists here draw them for real once on an on-screen Agg canvas, keep their pixels, and
paste them back while everything that decides their look stays the same. Saving a file (PDF,
SVG, PNG) always draws them for real.
"""

from __future__ import annotations

import inspect
import math
import types
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends import backend_agg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox, ScaledTranslation

from journal.charts.layout import text_pt

__all__ = ["LegendSlot", "StillYAxes", "HandlesTogether", "forget_saved_pixels"]


# Pixels of the parts of the chart that look the same from one draw to the next, and mostly from
# one build to the next (the legend, the y axes' numbers and lane names): a zoom, a pan, or a
# rebuild after a change pastes them instead of drawing their text again. Each is keyed by
# everything that decides how it looks, so a different look is never pasted. In memory only;
# forget_saved_pixels() drops them (the window does when the journal locks).
_SAVED_PIXELS: OrderedDict = OrderedDict()
_SAVED_PIXELS_MAX = 8


def forget_saved_pixels() -> None:
    """Drop every saved piece of a drawn chart (they show drug names), and the text kept for drawing it."""
    _SAVED_PIXELS.clear()
    _TEXT_LAYOUTS.clear()
    _GLYPHS.clear()


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


# Text drawn by Agg is laid out (glyphs and their places) and every glyph rasterised by FreeType on
# each draw, though a zoom or pan draws the same words again, mostly at the same pixels: about a
# third of a redraw. Kept here instead, for on-screen draws only: each string's layout, and each
# glyph's bitmap at each fraction of a pixel it was drawn at (a glyph moved by whole pixels is the
# same bitmap moved), so a kept glyph is pasted exactly as FreeType drew it. In memory only, bounded,
# dropped by forget_saved_pixels() (the layouts are keyed by the words, drug names among them).
_TEXT_LAYOUTS: OrderedDict = OrderedDict()
_TEXT_LAYOUTS_MAX = 2048
_GLYPHS: OrderedDict = OrderedDict()
_GLYPHS_MAX = 8192


def _kept(store: OrderedDict, key: tuple, most: int, make):
    value = store.get(key)
    if value is None:
        value = store[key] = make()
        while len(store) > most:
            store.popitem(last=False)
    return value


def _draw_text_kept(renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """RendererAgg.draw_text for one line of plain text, with its layout and glyph bitmaps kept between draws.

    Follows RendererAgg.draw_text and _draw_text_glyphs_and_boxes step for step, so the pixels are
    the same; mathtext goes to Agg's own drawing."""
    if ismath:
        return type(renderer).draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    size = prop.get_size_in_points()
    load_flags = backend_agg.get_hinting_flag()

    def lay_out() -> list:
        font = renderer._prepare_font(prop)
        items = font._layout(s, flags=load_flags, features=features, language=language)
        return [(item.ft_object, item.glyph_index, item.x, item.y) for item in items]

    key = (s, hash(prop), size, renderer.dpi, repr(features), repr(language), load_flags)
    items = _kept(_TEXT_LAYOUTS, key, _TEXT_LAYOUTS_MAX, lay_out)
    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    antialiased = gc.get_antialiased()
    height = renderer.height
    for font, glyph_index, dx, dy in items:  # dy is upwards.
        # FreeType's places are in 64ths of a pixel; its y is upwards.
        tx = round(0x40 * (x + dx * cos - dy * sin))
        ty = round(0x40 * (height - y + dx * sin + dy * cos))

        def render(font=font, glyph_index=glyph_index, fx=tx % 0x40, fy=ty % 0x40) -> tuple:
            font.set_size(size, renderer.dpi)
            font._set_transform((0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int), [fx, fy])
            bitmap = font._render_glyph(
                glyph_index, load_flags, backend_agg.RenderMode.NORMAL if antialiased else backend_agg.RenderMode.MONO
            )
            buffer = np.array(bitmap.buffer, copy=True)
            if not antialiased:
                buffer *= 0xFF
            return buffer, bitmap.left, bitmap.top

        glyph_key = (font.fname, size, renderer.dpi, glyph_index, angle, tx % 0x40, ty % 0x40, antialiased, load_flags)
        buffer, left, top = _kept(_GLYPHS, glyph_key, _GLYPHS_MAX, render)
        # draw_text_image's y is downwards & the bitmap bottom side.
        renderer._renderer.draw_text_image(
            buffer, left + tx // 0x40, int(height) - (top + ty // 0x40) + buffer.shape[0], 0, gc
        )
    return None


def _keep_text(renderer, on: bool) -> None:
    """Draw text with its layout and glyphs kept (an on-screen Agg draw), or as Agg draws it (anything else)."""
    if on and hasattr(backend_agg.RendererAgg, "_draw_text_glyphs_and_boxes") and isinstance(renderer, backend_agg.RendererAgg):
        if renderer.__dict__.get("draw_text") is None:
            renderer.draw_text = types.MethodType(_draw_text_kept, renderer)  # type: ignore[method-assign]  # this renderer only
    elif getattr(renderer.__dict__.get("draw_text"), "__func__", None) is _draw_text_kept:
        del renderer.draw_text


def _canvas_key(figure: Figure, renderer) -> tuple:
    return (getattr(renderer, "width", None), getattr(renderer, "height", None), renderer.dpi, to_rgba(figure.get_facecolor()))


class HandlesTogether(tuple):
    """Several legend symbols in one entry under one label (a session course's phases: filled, half filled, open)."""

    label: str

    def __new__(cls, handles, label: str):
        made = super().__new__(cls, handles)
        made.label = label
        return made

    def get_label(self) -> str:
        return self.label


def _handle_look(handle) -> tuple:
    """What a legend entry's symbol looks like (its colours, line, marker, hatch), as plain values."""
    if isinstance(handle, Line2D):
        # a session phase differs from the next by its marker's fill alone
        return (
            "line", to_rgba(handle.get_color()), handle.get_linestyle(), handle.get_linewidth(), str(handle.get_marker()),
            handle.get_markersize(), str(handle.get_markerfacecolor()), str(handle.get_markeredgecolor()), handle.get_alpha(),
            handle.get_fillstyle(), str(handle.get_markerfacecoloralt()), handle.get_markeredgewidth(),
        )
    if isinstance(handle, Patch):
        # a remembered month's entry differs from a dose's by its dotted edge and its dots
        return (
            "patch", handle.get_facecolor(), handle.get_edgecolor(), handle.get_hatch(), handle.get_alpha(), handle.get_linewidth(),
            repr(handle.get_linestyle()), repr(getattr(handle, "get_hatchcolor", lambda: None)()),
        )
    if isinstance(handle, tuple):
        return ("together", *(_handle_look(h) for h in handle))
    return (type(handle).__name__, repr(handle))


# What stands in the legend's place when it would leave the panels too little room (large text on a short screen):
# short enough for one line at 200 % text in a laptop's chart.
ROOM_NOTE = "Key hidden for room: a taller chart or smaller text shows it"


class LegendSlot(Artist):
    """The figure legend under both panels: as many columns as the figure's width holds, redrawn cheaply.

    When the layout finds the legend would take too much of the chart's height, it hides it for room
    (`hide_for_room`) and one line of text says so in its place; the panels keep the height.

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
        # symbols side by side need a longer handle (legend default 2.0 font sizes)
        self.handle_length = 2.8 if any(isinstance(h, HandlesTogether) for h in handles) else 2.0
        self.entry_pt = [text_pt(label, fontsize)[0] + (self.handle_length + 0.8 + 2.0) * fontsize for label in self.labels]
        self.legend: Legend | None = None
        self.rows = 0
        self.hidden_for_room = False
        self.room_note: Text | None = None
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
            handlelength=self.handle_length,
            handler_map={HandlesTogether: HandlerTuple(ndivide=None, pad=0.25)},
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
        """How tall the legend is laid out now; one line of text while it is hidden for room."""
        return self._rows_pt(1 if self.hidden_for_room else self.rows)

    def full_height_pt(self) -> float:
        """How tall the whole legend is in its present columns, shown or not."""
        return self._rows_pt(self.rows)

    def _rows_pt(self, rows: int) -> float:
        text_h = text_pt("Ag", self.fontsize)[1]
        # Border pad above and below plus the pad to the figure's edge, then the rows and the gaps between them.
        return (2 * 0.4 + 0.5) * self.fontsize + rows * text_h + max(0, rows - 1) * 0.5 * self.fontsize

    def hide_for_room(self, hidden: bool) -> None:
        """Hide the legend, with a line saying so in its place, or show it again."""
        if hidden and self.room_note is None:
            pad = (0.4 + 0.5) * self.fontsize / 72.0
            self.room_note = Text(0.5, 0.0, ROOM_NOTE, fontsize=self.fontsize, color=self.colour, style="italic",
                                  ha="center", va="bottom")
            self.room_note.set_figure(self.chart)
            # in inches above the figure's foot, as the legend's own pad is, whatever the dpi
            self.room_note.set_transform(self.chart.transSubfigure + ScaledTranslation(0.0, pad, self.chart.dpi_scale_trans))
        if hidden != self.hidden_for_room:
            self.hidden_for_room = hidden
            self.stale = True

    def get_window_extent(self, renderer=None):
        if self.hidden_for_room and self.room_note is not None:
            return self.room_note.get_window_extent(renderer)
        if self.legend is None:
            return super().get_window_extent(renderer)
        return self.legend.get_window_extent(renderer)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.legend is None:
            return
        if self.hidden_for_room and self.room_note is not None:
            self.room_note.draw(renderer)
            self.stale = False
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
        # Drawn first of all (zorder -1), so this also sets how the rest of the chart's text is drawn.
        _keep_text(renderer, self.get_visible() and _keeps_pixels(self.chart, renderer))
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


