"""Draws a matplotlib Figure straight onto a ReportLab canvas: vector shapes and real text in the report's own fonts.

Why not save the figure as PDF and paste it in: matplotlib's PDF backend subsets DejaVu with
fontTools on every save (about two seconds here, most of a report's build time) and pasting
needs a PDF library at run time. Drawing through this small renderer costs a few tenths of a
second, embeds the fonts once with the rest of the report, and keeps every label selectable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import cast

import numpy as np
from matplotlib import font_manager
from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.transforms import Affine2D
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

__all__ = ["draw_figure"]

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}
_HATCH_CELL = 72.0  # matplotlib's hatch patterns repeat once per inch


class _ReportLabRenderer(RendererBase):
    """The few drawing primitives matplotlib needs; markers and collections fall back to draw_path."""

    def __init__(self, canv: Canvas, width: float, height: float, fonts: dict[tuple[bool, bool], str]):
        super().__init__()
        self.dpi = 72  # as on matplotlib's own renderers, which artists may read
        self.canv = canv
        self.width = width
        self.height = height
        self.fonts = fonts
        self._font_files: dict[str, tuple[bool, bool] | None] = {}
        self._base_files = {
            FilePath(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight=w, style=s))).name: (
                w == "bold",
                s == "oblique",
            )
            for w in ("normal", "bold")
            for s in ("normal", "oblique")
        }

    # --- what matplotlib asks of a renderer ------------------------------------------
    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points):
        return points  # the figure is drawn at 72 dpi: one pixel is one point

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()

    def option_image_nocomposite(self) -> bool:
        return True

    # --- helpers -------------------------------------------------------------------------
    def _clip(self, gc: GraphicsContextBase) -> None:
        c = self.canv
        rect = gc.get_clip_rectangle()
        if rect is not None:
            x0, y0, w, h = rect.bounds
            p = c.beginPath()
            p.rect(x0, y0, w, h)
            c.clipPath(p, stroke=0, fill=0)
        path, transform = gc.get_clip_path()
        if path is not None:
            # matplotlib hands the clip path over already transformed: a plain Path, whatever its stubs say.
            c.clipPath(self._rl_path(cast(Path, path), transform), stroke=0, fill=0)

    def _rl_path(self, path: Path, transform, clip=None):
        p = self.canv.beginPath()
        last = (0.0, 0.0)
        start = (0.0, 0.0)
        for points, code in path.iter_segments(transform, clip=clip, simplify=False, curves=True):
            if code == Path.MOVETO:
                p.moveTo(points[0], points[1])
                last = start = (points[0], points[1])
            elif code == Path.LINETO:
                p.lineTo(points[0], points[1])
                last = (points[0], points[1])
            elif code == Path.CURVE3:
                # A quadratic segment as the cubic it equals.
                qx, qy, x, y = points
                c1 = (last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1]))
                c2 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
                p.curveTo(c1[0], c1[1], c2[0], c2[1], x, y)
                last = (x, y)
            elif code == Path.CURVE4:
                p.curveTo(*points)
                last = (points[4], points[5])
            elif code == Path.CLOSEPOLY:
                p.close()
                last = start
        return p

    def _stroke_style(self, gc: GraphicsContextBase) -> bool:
        c = self.canv
        width = gc.get_linewidth()
        r, g, b, a = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() else a
        if width <= 0 or alpha <= 0:
            return False
        c.setStrokeColorRGB(r, g, b, alpha=alpha)
        c.setLineWidth(width)
        c.setLineCap(_CAPS.get(gc.get_capstyle(), 0))
        c.setLineJoin(_JOINS.get(gc.get_joinstyle(), 0))
        offset, dashes = gc.get_dashes()
        lengths = [] if dashes is None else list(cast(Sequence[float], dashes))  # matplotlib's dash list: on, off, ...
        if lengths and any(d > 0 for d in lengths):
            c.setDash([float(d) for d in lengths], float(offset or 0))
        else:
            c.setDash([])
        return True

    def _fill_style(self, gc: GraphicsContextBase, rgb_face) -> bool:
        if rgb_face is None:
            return False
        r, g, b = rgb_face[:3]
        a = rgb_face[3] if len(rgb_face) > 3 else 1.0
        alpha = gc.get_alpha() if gc.get_forced_alpha() else a
        if alpha <= 0:
            return False
        self.canv.setFillColorRGB(r, g, b, alpha=alpha)
        return True

    # --- drawing ---------------------------------------------------------------------------
    def draw_path(self, gc, path, transform, rgbFace=None):  # noqa: N803 (matplotlib's name)
        c = self.canv
        c.saveState()
        self._clip(gc)
        fill = self._fill_style(gc, rgbFace)
        stroke = self._stroke_style(gc)
        # Long unfilled lines are clipped to the canvas as matplotlib's own backends do.
        clip = None if fill or gc.get_hatch() else (0, 0, self.width, self.height)
        if fill or stroke:
            c.drawPath(self._rl_path(path, transform, clip), stroke=int(stroke), fill=int(fill), fillMode=0)
        if gc.get_hatch():
            self._hatch(gc, path, transform)
        c.restoreState()

    def _hatch(self, gc, path, transform) -> None:
        c = self.canv
        c.saveState()
        c.clipPath(self._rl_path(path, transform), stroke=0, fill=0)
        hatch = gc.get_hatch_path()
        r, g, b, a = gc.get_hatch_color()
        c.setStrokeColorRGB(r, g, b, alpha=a)
        c.setLineWidth(gc.get_hatch_linewidth())
        c.setDash([])
        extent = path.get_extents(transform)
        x0 = math.floor(extent.x0 / _HATCH_CELL) * _HATCH_CELL
        y0 = math.floor(extent.y0 / _HATCH_CELL) * _HATCH_CELL
        x = x0
        while x < extent.x1:
            y = y0
            while y < extent.y1:
                cell = Affine2D().scale(_HATCH_CELL).translate(x, y)
                c.drawPath(self._rl_path(hatch, cell), stroke=1, fill=0)
                y += _HATCH_CELL
            x += _HATCH_CELL
        c.restoreState()

    def _font_for(self, prop) -> str | None:
        """The report font matching matplotlib's choice, or None when matplotlib chose another family."""
        found = FilePath(font_manager.findfont(prop)).name
        if found not in self._font_files:
            self._font_files[found] = self._base_files.get(found)
        style = self._font_files[found]
        return None if style is None else self.fonts[style]

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        font = None if ismath else self._font_for(prop)
        if font is None:
            # Mathematics or a family the report does not embed: drawn as outlines instead.
            self._draw_text_as_path(gc, x, y, s, prop, angle, ismath)  # type: ignore[attr-defined]  # RendererBase's own, unstubbed
            return
        c = self.canv
        c.saveState()
        self._clip(gc)
        r, g, b, a = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() else a
        c.setFillColorRGB(r, g, b, alpha=alpha)
        c.translate(x, y)
        if angle:
            c.rotate(angle)
        c.setFont(font, prop.get_size_in_points())
        c.drawString(0, 0, s)
        c.restoreState()

    def draw_image(self, gc, x, y, im, transform=None):  # transform: only when option_scale_image(), never here
        h, w = im.shape[:2]
        if not w or not h:
            return
        from PIL import Image

        c = self.canv
        c.saveState()
        self._clip(gc)
        c.drawImage(ImageReader(Image.fromarray(np.asarray(im), "RGBA")), x, y, w, h, mask="auto")
        c.restoreState()


class _ReportLabCanvas(FigureCanvasBase):
    """Lets the layout engine measure text with the same renderer that will draw it."""

    def __init__(self, figure: Figure, renderer: _ReportLabRenderer):
        super().__init__(figure)
        self._renderer = renderer

    def get_renderer(self) -> _ReportLabRenderer:
        return self._renderer


def draw_figure(figure: Figure, canv: Canvas, width: float, height: float, fonts: dict[tuple[bool, bool], str]) -> None:
    """Draw `figure` scaled to `width` x `height` points with its lower-left corner at the canvas origin.

    `fonts` maps (bold, oblique) to the ReportLab font names to use for DejaVu Sans text.
    """
    figure.set_dpi(72)
    figure.set_size_inches(width / 72, height / 72)
    renderer = _ReportLabRenderer(canv, width, height, fonts)
    original = figure.canvas
    _ReportLabCanvas(figure, renderer)
    try:
        canv.saveState()
        figure.draw(renderer)
        canv.restoreState()
    finally:
        original.figure = figure
        figure.set_canvas(original)
