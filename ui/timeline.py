"""The timeline in the window: hosts the figure journal.charts builds, with range presets, pan, series toggles and hover text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCursor
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

# Only the words and choices here: matplotlib (journal.charts, ui.timeline_canvas) loads when the
# chart is first drawn, after the window is on screen, and journal.records with the series menus.
from journal import words
from journal.charts.choices import MARKER_LABEL, PRESETS
from ui.fit import WrapLayout
from ui.session import Changes, JournalSession

if TYPE_CHECKING:
    from journal import charts
    from ui.timeline_canvas import TimelineCanvas

# The presets' shortcuts are on the View menu's actions (Ctrl+1/2/3); the buttons share those actions.
PRESET_TEXT = {"3 months": "3 &months", "1 year": "1 &year", "all": "&All", "treatment": "&Treatment"}
# what the View menu says of each (the buttons say PRESET_TEXT)
PRESET_ACTION_TEXT = {"treatment": "Show the treatment years"}
WAITING_TEXT = "Opening your journal…"
# shown on the chart until the person switches it off: how the days feel between questionnaires
DEFAULT_DAILY = ("mood",)


# how long what waits for the chart's first paint waits, at most, should no paint come
PAINT_WAIT_MS = 1000


class _PaintWatch(QObject):
    """Calls back once `widget` has finished its next paint, or after PAINT_WAIT_MS, whichever comes first."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self, self._call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            # the filter sees the paint before the widget does it: the zero timer runs once it is done
            QTimer.singleShot(0, self, self._call)
        return False

    def _call(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._widget.removeEventFilter(self)
        self.deleteLater()
        callback()


class TimelinePanel(QWidget):
    """Presets, pan buttons and series toggles above the chart; a line under it says what the pointer is on."""

    def __init__(self, session: JournalSession | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.timeline: charts.Timeline | None = None
        # the treatment years at first (the current episode and recent treatment, see journal.charts.treatment_range):
        # a twenty-year journal on "all" opens as slivers; the whole journal is one click (or Ctrl+3) away
        self.preset: str | None = "treatment"
        self.font_scale = 1.0
        self.dark = False
        self._drag_x: float | None = None
        # made when the chart is first drawn (see _ensure_canvas); until then a line of text holds the place
        self.figure = None
        self.canvas: TimelineCanvas | None = None
        self.waiting_label = QLabel(WAITING_TEXT, self)
        self.waiting_label.setObjectName("hint")
        self.waiting_label.setAlignment(Qt.AlignCenter)
        self.waiting_label.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.waiting_label.setMinimumHeight(220)
        self.waiting_label.setAccessibleName("Timeline chart")

        self.preset_actions: dict[str, QAction] = {}
        self.preset_group = QActionGroup(self)
        self.preset_group.setExclusive(True)
        for preset, shortcut in zip(PRESETS, ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"), strict=True):
            action = QAction(PRESET_ACTION_TEXT.get(preset, f"Show {PRESET_TEXT[preset].replace('&', '')}"), self)
            # what the button says, beside "Show:"; a button takes it again from the action whenever the action changes
            action.setIconText(PRESET_TEXT[preset].replace("&", ""))
            action.setCheckable(True)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.WindowShortcut)
            action.triggered.connect(lambda _=False, p=preset: self.show_preset(p))
            self.preset_group.addAction(action)
            self.preset_actions[preset] = action
        self.preset_actions[self.preset].setChecked(True)
        self.earlier_action = QAction("Earlier", self)
        self.earlier_action.setShortcut("Alt+Left")
        self.earlier_action.triggered.connect(lambda: self.pan_by_fraction(-0.5))
        self.later_action = QAction("Later", self)
        self.later_action.setShortcut("Alt+Right")
        self.later_action.triggered.connect(lambda: self.pan_by_fraction(0.5))
        # the chart's words for the keyboard and screen readers: a table of what it plots in the dates shown
        self.table_action = QAction("Chart as a &table", self)
        self.table_action.setCheckable(True)
        self.table_action.setShortcut("Ctrl+Shift+B")
        self.table_action.setShortcutContext(Qt.WindowShortcut)
        self.table_action.setStatusTip("Show what the chart plots, by date, as a table under it")
        self.table_action.toggled.connect(self._on_table_action_toggled)
        self.chart_table = None  # made when first asked for

        # the series to switch on are filled in when a menu is first opened or the chart first drawn
        self.scale_actions: dict[str, QAction] = {}
        self.scales_menu = QMenu("Other &scales", self)
        self.scales_menu.aboutToShow.connect(self._add_series_choices)
        self.daily_actions: dict[str, QAction] = {}
        self.daily_menu = QMenu("&Daily check-ins", self)
        self.daily_menu.aboutToShow.connect(self._add_series_choices)

        # the range buttons, pan buttons and series menus wrap onto a second line when the text is large,
        # so the chart's row never makes the window wider than the screen
        bar = WrapLayout(spacing=8, line_spacing=2)
        bar.setContentsMargins(4, 2, 4, 2)
        shown = QLabel("Show:")
        bar.addWidget(shown)
        self.preset_buttons: dict[str, QToolButton] = {}
        for preset in PRESETS:
            button = QToolButton(self)
            button.setObjectName("presetButton")
            button.setDefaultAction(self.preset_actions[preset])
            button.setToolTip(f"{self.preset_actions[preset].text()} ({self.preset_actions[preset].shortcut().toString()})")
            button.setAccessibleName(self.preset_actions[preset].text())
            self.preset_buttons[preset] = button
            bar.addWidget(button)
        for action, text in ((self.earlier_action, "◀ Earlier"), (self.later_action, "Later ▶")):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setText(text)
            button.setToolTip(f"{action.text()} ({action.shortcut().toString()}; or drag the chart, or use the arrow keys on it)")
            button.setAccessibleName(f"Move the chart {action.text().lower()}")
            bar.addWidget(button)
        for menu in (self.scales_menu, self.daily_menu):
            button = QToolButton(self)
            button.setText(menu.title().replace("&", "") + " ▾")
            button.setMenu(menu)
            button.setPopupMode(QToolButton.InstantPopup)
            button.setAccessibleName("Choose " + menu.title().replace("&", "").lower() + " to show")
            bar.addWidget(button)
        table_button = QToolButton(self)
        table_button.setDefaultAction(self.table_action)
        table_button.setText("Table")
        table_button.setToolTip(f"{self.table_action.text().replace('&', '')} ({self.table_action.shortcut().toString()})")
        table_button.setAccessibleName("Show the chart as a table")
        self.table_button = table_button
        bar.addWidget(table_button)
        self.range_label = QLabel(self)
        self.range_label.setAccessibleDescription("The dates the chart shows")
        bar.addWidget(self.range_label)

        self.hover_label = QLabel(" ", self)
        self.hover_label.setObjectName("hoverLine")
        self.hover_label.setWordWrap(True)
        self.hover_label.setAccessibleDescription("What the pointer is on in the chart")

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.waiting_label, 1)
        layout.addWidget(self.hover_label)
        self._range_spoken = ""

    # -- building ---------------------------------------------------------------------------

    def _add_series_choices(self) -> None:
        """Fill the "Other scales" and "Daily check-ins" menus (once)."""
        if self.scale_actions:
            return
        from journal.charts.choices import extra_scales
        from journal.records import DAILY_FIELDS

        for name in extra_scales():
            action = self.scales_menu.addAction(name)
            action.setCheckable(True)
            action.toggled.connect(lambda on, n=name: self._on_series_toggled("scale", n, on))
            self.scale_actions[name] = action
        for name in DAILY_FIELDS:
            action = self.daily_menu.addAction(words.words_for(words.DAILY, name, form=True))
            action.setCheckable(True)
            action.setChecked(name in DEFAULT_DAILY)
            action.toggled.connect(lambda on, n=name: self._on_series_toggled("daily", n, on))
            self.daily_actions[name] = action

    def _ensure_canvas(self) -> None:
        """Load matplotlib and put the canvas where the waiting text was (once)."""
        if self.canvas is not None:
            return
        self._add_series_choices()
        # (here, not before the first paint: Qt makes this flag type slowly the first time)
        self.hover_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        from ui.timeline_canvas import new_canvas

        canvas = new_canvas()
        canvas.setParent(self)
        canvas.pan_requested.connect(self.pan_by_fraction)
        canvas.mpl_connect("motion_notify_event", self._on_canvas_motion)
        canvas.mpl_connect("button_press_event", self._on_canvas_press)
        canvas.mpl_connect("button_release_event", self._on_canvas_release)
        canvas.mpl_connect("figure_leave_event", self._on_canvas_leave)
        canvas.mpl_connect("resize_event", self._on_canvas_resize)
        had_focus = self.waiting_label.hasFocus()
        self._layout.replaceWidget(self.waiting_label, canvas)
        self.waiting_label.hide()
        canvas.show()
        self.canvas = canvas
        self.figure = canvas.figure
        if had_focus:
            canvas.setFocus(Qt.OtherFocusReason)

    def when_painted(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the chart, as drawn now, has been painted on screen (or after a second,
        should no paint come: a window opened minimised)."""
        if self.canvas is None:
            callback()
            return
        _PaintWatch(self.canvas, callback)

    def focus_chart(self) -> None:
        (self.canvas or self.waiting_label).setFocus(Qt.ShortcutFocusReason)

    def options(self) -> charts.TimelineOptions:
        from journal import charts

        self._add_series_choices()
        return charts.TimelineOptions(
            scales=tuple(n for n, a in self.scale_actions.items() if a.isChecked()),
            daily=tuple(n for n, a in self.daily_actions.items() if a.isChecked()),
            dark=self.dark,
            font_scale=self.font_scale,
            as_of=self.session.today,
        )

    def rebuild(self) -> None:
        """Draw the chart again from the journal and the assessment, keeping the dates in view."""
        from journal import charts

        self._ensure_canvas()
        keep = self.timeline.range if self.timeline is not None and self.preset is None else None
        self._show(
            charts.build_timeline(self.session.contents(), self.session.assessment(), self.options(), figure=self.figure),
            keep,
        )

    def show_changes(self, changes: Changes) -> None:
        """Bring the drawn chart up to date with one step: where only the changed kinds' points moved, the lines
        get their new points; anything else (a new lane, the marker, other settings) draws it again."""
        from journal import charts

        if self.timeline is None or changes.everything or changes.settings:
            self.rebuild()
            return
        keep = self.timeline.range if self.preset is None else None
        self._show(
            charts.update_timeline(
                self.timeline, self.session.contents(), self.session.assessment(), self.options(), changed=changes.kinds
            ),
            keep,
        )

    def _show(self, timeline: charts.Timeline, keep: tuple[date, date] | None) -> None:
        """Put the dates in view on a chart just drawn or updated (`keep`, or the preset's), and say what it shows."""
        from journal import charts

        self.timeline = timeline
        if keep is not None:
            charts.set_range(self.timeline, *keep)
        else:
            self._apply_preset()
        self._after_view_change()
        summary = self.summary()
        self.canvas.setAccessibleDescription(
            f"{summary} {self.range_text()}. {self.table_action.text().replace('&', '')} "
            f"({self.table_action.shortcut().toString()}) lists what it plots, by date."
        )

    def clear(self) -> None:
        """Draw nothing (the journal is locked); rebuild() draws it again."""
        self.timeline = None
        if self.canvas is not None:
            from journal import charts

            self.figure.clear()
            charts.forget_saved_pixels()  # the pixels kept for quick redraws show drug names
            self.canvas.draw_idle()
            self.canvas.setAccessibleDescription("")
        self.hover_label.setText(" ")
        self.range_label.clear()
        self._range_spoken = ""
        if self.chart_table is not None:
            self.chart_table.show_rows([], "")  # the journal is locked: nothing of it stays in the table

    def show_preset(self, preset: str) -> None:
        self.preset = preset
        self.preset_actions[preset].setChecked(True)
        if self.timeline is not None:
            self._apply_preset()
            self._after_view_change(announce_range=True)

    def _apply_preset(self) -> None:
        from journal import charts

        start, end = charts.range_for_preset(self.session.contents(), self.preset or "treatment", self.session.today)
        charts.set_range(self.timeline, start, end)

    def pan_by_fraction(self, fraction: float) -> None:
        if self.timeline is None:
            return
        x0, x1 = self.timeline.xlim
        self._pan_days((x1 - x0) * fraction)

    def _pan_days(self, days: float) -> None:
        from journal import charts

        charts.pan(self.timeline, days)
        self._leave_preset()
        self._after_view_change(announce_range=self._drag_x is None)  # a drag is spoken once it ends

    def _leave_preset(self) -> None:
        # after a pan the view is no longer "the last year"; no preset button stays pressed
        self.preset = None
        self.preset_group.setExclusive(False)
        for action in self.preset_actions.values():
            action.setChecked(False)
        self.preset_group.setExclusive(True)

    def _after_view_change(self, *, announce_range: bool = False) -> None:
        from journal import charts

        if self.timeline is not None and self.timeline.range is not None:
            start, end = self.timeline.range
            self.range_label.setText(f"{charts.format_day(start)} – {charts.format_day(end)}")
        if self.canvas is not None:
            self.canvas.draw_idle()
        self._fill_chart_table()
        if announce_range:
            self._announce_range()

    def range_text(self) -> str:
        """The dates the chart shows, in words ("Showing 1 Dec 2025 – 1 Dec 2026"); empty before it is drawn."""
        shown = self.range_label.text()
        return f"Showing {shown}" if shown else ""

    def _announce_range(self) -> None:
        from ui.announce import announce

        text = self.range_text()
        if text and text != self._range_spoken:
            self._range_spoken = text
            announce(self.canvas or self, text)  # polite: after what is being read

    def _on_table_action_toggled(self, on: bool) -> None:
        if on:
            if self.chart_table is None:
                from ui.chart_table import ChartTable

                self.chart_table = ChartTable(self)
                self._layout.addWidget(self.chart_table, 1)
            self._fill_chart_table()
            self.chart_table.show()
            self.chart_table.setFocus(Qt.ShortcutFocusReason)
        elif self.chart_table is not None:
            had_focus = self.chart_table.hasFocus()
            self.chart_table.hide()
            if had_focus:
                self.focus_chart()

    def _fill_chart_table(self) -> None:
        if self.chart_table is None or not self.table_action.isChecked():
            return
        if self.timeline is None:
            self.chart_table.show_rows([], "")
            return
        from ui.chart_table import chart_rows

        start, end = self.timeline.range if self.timeline.range is not None else (None, None)
        self.chart_table.show_rows(chart_rows(self.timeline, start, end), self.range_text())

    def set_look(self, *, dark: bool, font_scale: float) -> None:
        """Follow the window's theme and text size; the chart is rebuilt when either changed."""
        if dark == self.dark and font_scale == self.font_scale:
            return
        self.dark = dark
        self.font_scale = font_scale
        if self.timeline is not None:
            self.rebuild()

    def _on_series_toggled(self, what: str, name: str, shown: bool) -> None:
        if self.timeline is not None:
            self.rebuild()

    # -- pointer ------------------------------------------------------------------------------

    def _on_canvas_motion(self, event) -> None:
        if self.timeline is None:
            return
        if self._drag_x is not None and event.inaxes is not None and event.xdata is not None:
            # drag to pan: keep the day under the pointer under the pointer
            self._pan_days(self._drag_x - event.xdata)
            return
        text = ""
        if event.inaxes is not None and event.xdata is not None:
            text = self.timeline.hover_text(event.xdata, event.ydata, event.inaxes)
        self.hover_label.setText(text or " ")
        if text:
            QToolTip.showText(QCursor.pos(), text, self.canvas)
        else:
            QToolTip.hideText()

    def _on_canvas_press(self, event) -> None:
        if event.button == 1 and event.inaxes is not None and event.xdata is not None:
            self._drag_x = event.xdata
            self.canvas.setCursor(Qt.ClosedHandCursor)

    def _on_canvas_release(self, event) -> None:
        dragged = self._drag_x is not None
        self._drag_x = None
        self.canvas.unsetCursor()
        if dragged:
            self._announce_range()

    def _on_canvas_resize(self, event) -> None:
        # the table opened under the chart, or the window resized: the rows' names and the words on the bars
        # are fitted again to the new height, the same days kept in view
        if self.timeline is not None:
            from journal import charts

            charts.refit(self.timeline)

    def _on_canvas_leave(self, event) -> None:
        self._drag_x = None
        self.hover_label.setText(" ")
        QToolTip.hideText()

    # -- what tests and screen readers ask -------------------------------------------------------

    def summary(self) -> str:
        """What the chart shows in a sentence or two, for screen readers: the marker's date (at the precision it
        rests on), or that the criteria may be met once remembered details are confirmed (never with a date)."""
        if self.timeline is None:
            return ""
        marker = self.timeline.marker
        if marker is not None and marker.approximate:
            said = f"{MARKER_LABEL}, {marker.when_text}."
        elif marker is not None:
            said = f"{MARKER_LABEL} on {marker.date.isoformat()}."
        elif self.timeline.possible_text:
            said = f"The TRD criteria do not appear met; they {self.timeline.possible_text.removeprefix('TRD criteria ')}."
        else:
            said = "The TRD criteria do not appear met."
        kinds = "scores, trials and psychotherapy" if self.timeline.therapy_lane is not None else "scores and trials"
        return f"Timeline of {kinds}. {said}"

    def marker_date(self) -> date | None:
        """The day the "TRD criteria appear met" marker stands at, or None when it is not drawn."""
        if self.timeline is None or self.timeline.marker is None:
            return None
        return self.timeline.marker.date
