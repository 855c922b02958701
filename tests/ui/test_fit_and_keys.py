"""Every window and form fits a 1366x768 laptop at 100, 150 and 200 % text; closing a changed form asks first;
one Save names every problem; the check-in says what its ends mean; keys and the dark look do what they say."""

from __future__ import annotations

import gc
import re

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QComboBox, QDialog, QLabel, QRadioButton

import ui.fit
from journal.errors import Problem
from journal.records import DailyCheckIn
from tests.ui.conftest import click, shortcut, type_into
from ui.checkin_dialog import CheckInDialog, TodayCheckInBox
from ui.forms import DiscardBox, LeaveBox
from ui.history_dialog import HistoryDialog
from ui.main_window import MainWindow
from ui.questionnaire_dialog import Gad7Dialog, Phq9Dialog
from ui.record_dialogs import ConditionDialog, EpisodeDialog, LabDialog, NoteDialog, ScoreTotalDialog, SessionDialog
from ui.therapy_dialog import TherapyDialog
from ui.trial_dialog import TrialDialog

# a 1366x768 laptop with a 40-pixel panel along one edge
LAPTOP = QRect(0, 0, 1366, 728)
ALL_DIALOGS = (TrialDialog, Phq9Dialog, Gad7Dialog, CheckInDialog, ScoreTotalDialog, EpisodeDialog, LabDialog,
               ConditionDialog, SessionDialog, NoteDialog, TherapyDialog, HistoryDialog)


@pytest.fixture(autouse=True)
def close_quietly(monkeypatch):
    """Forms still open when a test ends close as if the person chose "Discard changes" (tests that ask say otherwise)."""
    monkeypatch.setattr(DiscardBox, "ask", classmethod(lambda cls, *a, **k: True))
    monkeypatch.setattr(LeaveBox, "ask", classmethod(lambda cls, *a, **k: True))


_OPENED: list = []


@pytest.fixture(autouse=True)
def delete_opened_forms():
    """Each form a test opened is deleted when the test ends, not left for the interpreter to collect at exit."""
    yield
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    while _OPENED:
        widget = _OPENED.pop()
        if shiboken6.isValid(widget):
            widget.hide()
            shiboken6.delete(widget)
    gc.collect()


@pytest.fixture
def laptop(monkeypatch):
    monkeypatch.setattr(ui.fit, "available_geometry", lambda widget: QRect(LAPTOP))
    return LAPTOP


def _open(qtbot, dialog_class, session, record=None):
    dialog = dialog_class(session, record)
    qtbot.addWidget(dialog)
    _OPENED.append(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _inside(widget, window) -> bool:
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.rect().contains(rect)


def _outer_fits(window, area: QRect) -> bool:
    """The whole window, its frame included, lies on the free part of the screen."""
    return area.contains(window.frameGeometry())


# -- item 14: fit the screen -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("scale", (1.0, 1.5, 2.0))
@pytest.mark.parametrize("dialog_class", (TrialDialog, Phq9Dialog, CheckInDialog, SessionDialog), ids=lambda c: c.__name__)
def test_each_form_fits_a_laptop_screen_with_save_in_view(qtbot, session, look, laptop, dialog_class, scale):
    look.apply(text_scale=scale)
    dialog = _open(qtbot, dialog_class, session)
    assert _outer_fits(dialog, laptop), f"{dialog.width()}x{dialog.height()} does not fit {laptop.width()}x{laptop.height()}"
    assert dialog.save_button.isVisible() and _inside(dialog.save_button, dialog)
    # the fields scroll up and down inside the form; none is cut off on the right
    body = dialog.scroll.widget()
    assert body.width() <= dialog.scroll.viewport().width()


@pytest.mark.slow
@pytest.mark.parametrize("scale", (1.0, 1.5, 2.0))
def test_the_phq9_answers_wrap_instead_of_running_off_the_side(qtbot, session, look, laptop, scale):
    look.apply(text_scale=scale)
    dialog = _open(qtbot, Phq9Dialog, session)
    viewport = dialog.scroll.viewport()
    cut = [
        b.text() for b in dialog.findChildren(QRadioButton)
        if b.mapTo(viewport, QPoint(b.width(), 0)).x() > viewport.width()
    ]
    assert cut == []


def _shown_window(qtbot, session, qsettings, look) -> MainWindow:
    window = MainWindow(session, settings=qsettings, look=look)
    qtbot.addWidget(window)
    _OPENED.append(window)
    with qtbot.waitSignal(window.chart_ready, timeout=10_000):
        window.show()
    return window


@pytest.mark.slow
@pytest.mark.parametrize("scale", (1.0, 1.5, 2.0))
def test_the_window_fits_a_laptop_screen_with_its_status_bar_and_chart(qtbot, laptop, window, scale):
    window.set_text_scale(scale)  # Ctrl++ : the window stays on the screen, its panels share the room
    QApplication.processEvents()
    assert _outer_fits(window, laptop), (window.frameGeometry(), window.minimumSizeHint())
    assert window.statusBar().isVisible() and _inside(window.statusBar(), window)
    assert window.timeline_panel.height() >= 200  # the chart keeps room to be read


@pytest.mark.slow
def test_a_window_saved_on_a_larger_screen_comes_back_onto_this_one(qtbot, session, qsettings, look, laptop):
    qsettings.setValue("window/geometry", _saved_geometry(qtbot, 1900, 1150, 300, 200))
    window = _shown_window(qtbot, session, qsettings, look)
    assert _outer_fits(window, laptop)


def _saved_geometry(qtbot, width, height, x, y):
    """What a window of that size and place on a larger screen leaves in the settings."""
    from PySide6.QtWidgets import QWidget

    other = QWidget()
    qtbot.addWidget(other)
    other.resize(width, height)
    other.move(x, y)
    return other.saveGeometry()


# -- item 15: ask before discarding; every problem at once ---------------------------------------------


def _answer(monkeypatch, hook, answer, asked):
    monkeypatch.setattr(hook, "ask", classmethod(lambda cls, *a, **k: asked.append(a) or answer))


def test_esc_on_a_changed_form_asks_and_keep_editing_keeps_every_field(qtbot, monkeypatch, session):
    asked = []
    _answer(monkeypatch, DiscardBox, False, asked)
    dialog = _open(qtbot, NoteDialog, session)
    qtbot.keyClicks(dialog.text_edit, "ask about sleep")
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert len(asked) == 1
    assert dialog.isVisible() and dialog.text_edit.toPlainText() == "ask about sleep"
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    assert len(asked) == 2 and dialog.isVisible()
    _answer(monkeypatch, DiscardBox, True, asked)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.Rejected
    assert session.records("notes") == ()


def test_esc_on_an_unchanged_form_closes_without_asking(qtbot, monkeypatch, session):
    asked = []
    _answer(monkeypatch, DiscardBox, False, asked)
    dialog = _open(qtbot, TrialDialog, session)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert asked == [] and not dialog.isVisible()


def test_one_save_names_every_problem_and_focus_goes_to_the_first(qtbot, session):
    dialog = _open(qtbot, TrialDialog, session)
    type_into(qtbot, dialog.doses.rows[0]["mg"], "lots")
    dialog.ongoing_check.setChecked(False)
    type_into(qtbot, dialog.end_field, "31/01/2025")
    dialog.note_edit.setFocus()
    click(qtbot, dialog.save_button)
    drug_error = dialog._error_slots["drug"][0]
    end_error = dialog._error_slots["end"][0]
    assert drug_error.isVisible() and "drug" in drug_error.text()
    assert end_error.isVisible() and "not a date" in end_error.text()
    assert dialog.doses.rows[0]["error"].isVisible() and "not a number" in dialog.doses.rows[0]["error"].text()
    assert QApplication.focusWidget() is dialog.drug_edit  # the first field in the form, not the last one read
    assert "3 fields" in dialog.general_error.text()
    assert session.records("trials") == ()


def test_problems_from_the_journal_never_show_its_internal_names(qtbot, session):
    dialog = _open(qtbot, CheckInDialog, session)
    dialog.show_problems([
        Problem("checkins[#1].sleep_quality", "must be at most 10, got 11"),
        Problem("checkins[#1].entered_by", "is not someone this journal knows"),
    ])
    sleep_error = dialog._error_slots["sleep_quality"][0]
    assert sleep_error.isVisible() and "at most 10" in sleep_error.text()
    shown = dialog.general_error.text()
    assert "is not someone this journal knows" in shown
    assert not re.search(r"\w+\[#?\w*\]|[a-z]+_[a-z]+", shown), shown


def test_esc_on_the_first_welcome_asks_and_never_starts_the_journal_by_itself(qtbot, monkeypatch):
    from ui.welcome import WelcomeDialog

    asked = []
    _answer(monkeypatch, LeaveBox, False, asked)
    dialog = WelcomeDialog(None, offer_demo=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert len(asked) == 1 and dialog.isVisible()
    _answer(monkeypatch, LeaveBox, True, asked)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible() and dialog.choice == "quit"


def test_closing_from_the_welcome_makes_no_journal(monkeypatch, tmp_path, qapp):
    from ui import app as app_module
    from ui.passphrase_dialog import NewPassphraseDialog
    from ui.welcome import WelcomeDialog

    monkeypatch.setattr(WelcomeDialog, "ask", classmethod(lambda cls, parent=None, *, offer_demo=False: "quit"))
    monkeypatch.setattr(NewPassphraseDialog, "ask", classmethod(lambda cls, *a, **k: pytest.fail("asked for a passphrase")))
    path = tmp_path / "data" / "journal.db"
    assert app_module.run(journal_path=path) == 0
    assert not path.exists()


def test_esc_on_the_passphrase_prompt_asks_before_closing(qtbot, monkeypatch):
    from ui.passphrase_dialog import OpenPassphraseDialog

    asked = []
    _answer(monkeypatch, LeaveBox, False, asked)
    dialog = OpenPassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.passphrase_field, Qt.Key_Escape)
    assert len(asked) == 1 and dialog.isVisible()
    _answer(monkeypatch, LeaveBox, True, asked)
    qtbot.keyClick(dialog.passphrase_field, Qt.Key_Escape)
    assert not dialog.isVisible()


# -- item 16: the check-in ---------------------------------------------------------------------------


def test_each_check_in_slider_says_what_its_ends_mean_and_not_rated_is_its_own_state(qtbot, session):
    dialog = _open(qtbot, CheckInDialog, session)
    mood, pain = dialog.sliders["mood"], dialog.sliders["pain"]
    assert [label.text() for label in mood.anchor_labels] == ["0: worst mood", "10: best mood"]
    assert [label.text() for label in pain.anchor_labels] == ["0: no pain", "10: worst pain"]
    assert all(label.isVisible() for label in mood.anchor_labels)
    # not rated is a tick of its own; the slider only ever holds a score
    assert mood.not_rated_box.isVisible() and mood.not_rated_box.isChecked()
    assert mood.slider.minimum() == 0 and mood.value() is None
    assert "not rated" in mood.slider.accessibleDescription() and "10 means best mood" in mood.slider.accessibleDescription()
    mood.slider.setFocus()
    qtbot.keyClick(mood.slider, Qt.Key_Home)  # 0 is a rating, not "not rated"
    assert mood.value() == 0 and not mood.not_rated_box.isChecked()
    assert mood.value_label.text() == "0 of 10"
    mood.not_rated_box.setChecked(True)
    assert mood.value() is None and mood.value_label.text() == "not rated"


@pytest.mark.slow
def test_a_second_check_in_today_offers_to_edit_the_first(qtbot, monkeypatch, window, dialogs, journal):
    first = journal.checkins.add(DailyCheckIn(id="", date=window.session.today, mood=3)).record
    window.session.reload()
    monkeypatch.setattr(TodayCheckInBox, "ask", classmethod(lambda cls, parent: "edit"))
    seen = {}

    def fill(dialog):
        seen["title"] = dialog.windowTitle()
        seen["mood"] = dialog.sliders["mood"].value()
        dialog.sliders["mood"].set_value(5)
        click(qtbot, dialog.save_button)

    dialogs.on(CheckInDialog, fill)
    shortcut(qtbot, window, Qt.Key_D)
    assert seen == {"title": "Edit daily check-in", "mood": 3}
    (checkin,) = journal.checkins.list()
    assert checkin.id == first.id and checkin.mood == 5


@pytest.mark.slow
def test_mood_is_on_the_chart_from_the_start(window):
    assert window.timeline_panel.options().daily == ("mood",)


# -- item 19: keyboard, title, dark look ---------------------------------------------------------------


@pytest.mark.parametrize("dialog_class", ALL_DIALOGS, ids=lambda c: c.__name__)
def test_no_alt_key_is_bound_twice_in_a_form(qtbot, session, dialog_class):
    dialog = _open(qtbot, dialog_class, session)
    keys: dict[str, list[str]] = {}
    for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
        m = re.search(r"&([^&\s])", w.text().replace("&&", ""))
        if m and w.isVisibleTo(dialog):
            keys.setdefault(m.group(1).lower(), []).append(w.text())
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}


def test_ctrl_enter_on_either_enter_key_saves(qtbot, session):
    dialog = _open(qtbot, NoteDialog, session)
    qtbot.keyClicks(dialog.text_edit, "ask about the dose")
    qtbot.keyClick(dialog.text_edit, Qt.Key_Enter, Qt.ControlModifier | Qt.KeypadModifier)
    assert dialog.result() == QDialog.Accepted
    assert [n.text for n in session.records("notes")] == ["ask about the dose"]


@pytest.mark.slow
def test_the_range_buttons_keep_their_words_after_ctrl_1_2_3(qtbot, window):
    panel = window.timeline_panel
    before = {p: b.text() for p, b in panel.preset_buttons.items()}
    for key in (Qt.Key_1, Qt.Key_2, Qt.Key_3, Qt.Key_4):
        shortcut(qtbot, window, key)
    after = {p: b.text() for p, b in panel.preset_buttons.items()}
    assert after == before == {"3 months": "3 months", "1 year": "1 year", "all": "All", "treatment": "Treatment"}


@pytest.mark.slow
def test_the_window_title_never_says_trial_journal_twice(qapp, session, qsettings, look, delete_opened_forms):
    qapp.setApplicationDisplayName("Trial Journal")
    try:
        demo = MainWindow(session, settings=qsettings, look=look, demo=True)
        own = MainWindow(session, settings=qsettings, look=look, demo=False)
        _OPENED.extend((demo, own))
        # the desktop shows "<title> — Trial Journal" unless the title is the name itself
        assert "Trial Journal" not in demo.windowTitle() and "Demo journal" in demo.windowTitle()
        assert own.windowTitle() == "Trial Journal"
    finally:
        qapp.setApplicationDisplayName("")


def _colours(image, rect: QRect) -> list[QColor]:
    return [image.pixelColor(x, y) for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom())]


def test_a_ticked_box_in_the_dark_look_shows_a_tick(qtbot, look):
    look.apply("dark")
    box = QCheckBox("Count add-ons")
    qtbot.addWidget(box)
    box.setChecked(True)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    height = image.height()
    dark = [c for c in _colours(image, QRect(0, 0, height, height)) if c.lightness() < 60]
    light = [c for c in _colours(image, QRect(0, 0, height, height)) if c.lightness() > 150]
    assert len(dark) > 8 and len(light) > 8  # a dark tick on the light fill, not a plain filled square


@pytest.mark.slow
def test_the_range_preset_in_use_stands_out_in_the_dark_look(qtbot, window, look):
    window.set_theme("dark")
    panel = window.timeline_panel
    panel.show_preset("1 year")
    QApplication.processEvents()

    def mean_lightness(button) -> float:
        colours = _colours(button.grab().toImage(), QRect(2, 2, button.width() - 4, button.height() - 4))
        return sum(c.lightnessF() for c in colours) / len(colours)

    chosen = panel.preset_buttons["1 year"]
    other = panel.preset_buttons["all"]
    assert chosen.isChecked() and not other.isChecked()
    assert chosen.font().bold() or abs(mean_lightness(chosen) - mean_lightness(other)) > 0.08


# -- item 20: Tab goes round; combos are named ---------------------------------------------------------


@pytest.mark.parametrize("dialog_class", (TrialDialog, CheckInDialog), ids=lambda c: c.__name__)
def test_tab_from_cancel_comes_back_to_the_first_field(qtbot, session, dialog_class):
    dialog = _open(qtbot, dialog_class, session)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    first = QApplication.focusWidget()
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    cancel.setFocus()
    qtbot.keyClick(cancel, Qt.Key_Tab)
    assert QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key_Backtab, Qt.ShiftModifier)
    assert QApplication.focusWidget() is cancel


@pytest.mark.parametrize("dialog_class", ALL_DIALOGS, ids=lambda c: c.__name__)
def test_every_drop_down_has_a_label_and_says_its_choices_in_words(qtbot, session, dialog_class):
    dialog = _open(qtbot, dialog_class, session)
    if dialog_class is TrialDialog:
        dialog.side_effects.add_row()
    buddies = {id(label.buddy()) for label in dialog.findChildren(QLabel) if label.buddy() is not None}
    for combo in dialog.findChildren(QComboBox):
        if not combo.isVisibleTo(dialog):
            continue
        assert combo.accessibleName(), combo.currentText()
        in_rows = dialog_class is TrialDialog and dialog.side_effects.isAncestorOf(combo)
        assert id(combo) in buddies or in_rows, combo.accessibleName()
        for i in range(combo.count()):
            assert re.search(r"\w", combo.itemText(i)), f"{combo.accessibleName()}: {combo.itemText(i)!r}"
